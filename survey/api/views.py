from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, viewsets
from rest_framework.response import Response

from survey.api.serializers import SurveyDetailSerializer, SurveySerializer
from survey.queries import survey_benchmarks, surveys_with_counts


class SurveyViewSet(viewsets.ReadOnlyModelViewSet):
    """Published surveys and their figures; public, read-only."""

    queryset = surveys_with_counts()
    serializer_class = SurveySerializer
    lookup_field = "slug"
    permission_classes = [permissions.AllowAny]
    authentication_classes = []

    @extend_schema(
        responses=SurveyDetailSerializer,
        parameters=[
            OpenApiParameter(
                "category",
                OpenApiTypes.STR,
                description="Only figures of this category, e.g. app_selection_criteria.",
            )
        ],
    )
    def retrieve(self, request, *args, **kwargs):
        survey = self.get_object()
        benchmarks = survey_benchmarks(
            survey, category=request.query_params.get("category")
        )
        serializer = SurveyDetailSerializer(
            survey, context={**self.get_serializer_context(), "benchmarks": benchmarks}
        )
        return Response(serializer.data)
