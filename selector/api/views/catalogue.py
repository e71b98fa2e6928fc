"""Criteria and weight profiles: read by everyone, written by staff."""

from functools import partial

from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from selector import selectors
from selector.api.errors import ErrorResponse, InUse
from selector.api.permissions import IsStaffOrReadOnly
from selector.api.serializers.catalogue import (
    CriterionSerializer,
    ProfileInputSerializer,
    ProfileSerializer,
)
from selector.api.views.docs import ERRORS, KEY, WRITES, respond, write_docs
from selector.models import Criterion, WeightProfile
from selector.services.catalogue.criteria import delete_criterion, save_criterion
from selector.services.catalogue.profiles import delete_profile, save_profile


@write_docs(
    CriterionSerializer,
    destroy=extend_schema(responses={204: None, **ERRORS, 409: ErrorResponse}),
)
class CriterionViewSet(viewsets.ModelViewSet):
    """Criteria tools are scored on, by ``key``. Staff may create, edit and delete."""

    queryset = Criterion.objects.none()  # the model, for the schema; see get_queryset
    serializer_class = CriterionSerializer
    permission_classes = [IsAuthenticated, IsStaffOrReadOnly]
    lookup_field = "key"
    lookup_value_regex = KEY
    http_method_names = WRITES

    def get_queryset(self):
        return selectors.criteria().select_related("parent").order_by("key")

    def create(self, request, *args, **kwargs):
        return self._save(Criterion(), status.HTTP_201_CREATED, partial=False)

    def partial_update(self, request, *args, **kwargs):
        return self._save(self.get_object(), status.HTTP_200_OK, partial=True)

    def _save(self, criterion, code, *, partial):
        serializer = self.get_serializer(data=self.request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        for name, value in serializer.validated_data.items():
            setattr(criterion, name, value)
        save_criterion(user=self.request.user, criterion=criterion)
        return respond(
            CriterionSerializer, criterion, self.get_serializer_context(), code
        )

    def destroy(self, request, *args, **kwargs):
        criterion = self.get_object()
        InUse.refusing(
            partial(delete_criterion, user=request.user, criterion=criterion)
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


@write_docs(
    ProfileSerializer,
    request=ProfileInputSerializer,
    destroy=extend_schema(
        responses={204: None, **ERRORS, 409: ErrorResponse},
        description="Delete a profile no evaluation follows; a built-in or followed "
        "one is a 409 saying why.",
    ),
)
class ProfileViewSet(viewsets.ModelViewSet):
    """Weight profiles by ``slug``, with weights by criterion key. Staff may create,
    edit (which re-ranks the evaluations that follow the profile) and delete them."""

    queryset = (
        WeightProfile.objects.none()
    )  # the model, for the schema; see get_queryset
    serializer_class = ProfileSerializer
    permission_classes = [IsAuthenticated, IsStaffOrReadOnly]
    lookup_field = "slug"
    lookup_value_regex = KEY
    http_method_names = WRITES

    def get_queryset(self):
        return selectors.profiles().order_by("slug")

    def create(self, request, *args, **kwargs):
        return self._save(WeightProfile(), status.HTTP_201_CREATED, partial=False)

    def partial_update(self, request, *args, **kwargs):
        return self._save(self.get_object(), status.HTTP_200_OK, partial=True)

    def _save(self, profile, code, *, partial):
        serializer = ProfileInputSerializer(data=self.request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        weights = data.pop("weights", None)
        saved = save_profile(
            user=self.request.user, profile=profile, data=data, weights=weights
        )
        profile = self.get_queryset().get(pk=saved.profile.pk)
        return respond(ProfileSerializer, profile, self.get_serializer_context(), code)

    def destroy(self, request, *args, **kwargs):
        profile = self.get_object()
        InUse.refusing(partial(delete_profile, user=request.user, profile=profile))
        return Response(status=status.HTTP_204_NO_CONTENT)
