"""factory_boy factories for the decision domain (built-in criteria come from
migrations)."""

import random

import factory
import kombu.exceptions
from celery import group
from celery.canvas import Signature
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from selector.models import (
    Criterion,
    Evaluation,
    Membership,
    Score,
    Tool,
    WeightProfile,
    Workspace,
)

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.django.Password(PASSWORD)


class WorkspaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Workspace

    name = factory.Sequence(lambda n: f"Workspace {n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    workspace = factory.SubFactory(WorkspaceFactory)
    user = factory.SubFactory(UserFactory)
    role = Membership.Role.OWNER


class ToolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tool

    workspace = factory.SubFactory(WorkspaceFactory)
    name = factory.Sequence(lambda n: f"Tool {n}")
    vendor = "Example Corp"
    category = Tool.Category.CHAT_ASSISTANT


def app_selection() -> WeightProfile:
    return WeightProfile.objects.get(slug="menlo-2024-app-selection")


def weights_of(profile: WeightProfile) -> dict[str, float]:
    """A profile's weights by criterion key."""
    return {
        w.criterion.key: w.value for w in profile.weights.select_related("criterion")
    }


def score(tool: Tool, key: str, value: float, **extra) -> Score:
    return Score.objects.create(
        tool=tool, criterion=Criterion.objects.get(key=key), value=value, **extra
    )


def scored_tool(workspace: Workspace, name: str, **values: float) -> Tool:
    """A tool with scores by criterion key, e.g. ``roi=4, price=30``."""
    tool = ToolFactory(workspace=workspace, name=name)
    for key, value in values.items():
        score(tool, key, value)
    return tool


def cheap_and_strong_tools(workspace: Workspace) -> list[Tool]:
    """ "Cheap" (low price, safer, weak) and "Strong" (costly, strong): profiles that
    weigh price and safety rank them differently from those that weigh ROI."""
    return [
        scored_tool(
            workspace,
            "Cheap",
            roi=2,
            industry_customization=2,
            price=5,
            security_safety=5,
            performance=2,
            expanded_capabilities=2,
        ),
        scored_tool(
            workspace,
            "Strong",
            roi=5,
            industry_customization=5,
            price=90,
            security_safety=2,
            performance=5,
            expanded_capabilities=5,
        ),
    ]


class EvaluationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Evaluation
        skip_postgeneration_save = True

    workspace = factory.SubFactory(WorkspaceFactory)
    name = factory.Sequence(lambda n: f"Evaluation {n}")
    profile = factory.LazyFunction(app_selection)

    @factory.post_generation
    def tools(self, create, extracted, **kwargs):
        if create and extracted:
            self.tools.set(extracted)


def api_client(user=None):
    """A DRF test client that sends ``Authorization: Token <key>`` for ``user``."""
    client = APIClient()
    if user is not None:
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def member(workspace: Workspace, role: str = Membership.Role.OWNER, **user_fields):
    """A new user with ``role`` in ``workspace``."""
    user = UserFactory(**user_fields)
    MembershipFactory(workspace=workspace, user=user, role=role)
    return user


def scored_evaluation(
    *, tools: int = 4, profile=None, seed: int = 0, **fields
) -> Evaluation:
    """An evaluation of ``tools`` tools scored on every criterion, so that any weight
    profile can rank it; its owner is ``evaluation.created_by``."""
    rng = random.Random(seed)
    workspace = WorkspaceFactory()
    owner = member(workspace)
    criteria = list(Criterion.objects.all())
    chosen = []
    for number in range(1, tools + 1):
        tool = ToolFactory(workspace=workspace, name=f"Tool {number:02d}")
        Score.objects.bulk_create(
            Score(
                tool=tool,
                criterion=criterion,
                value=rng.randint(int(criterion.scale_min), int(criterion.scale_max))
                if criterion.kind == Criterion.Kind.RATING
                else round(rng.uniform(5, 60), 2),
            )
            for criterion in criteria
        )
        chosen.append(tool)
    return EvaluationFactory(
        workspace=workspace,
        profile=profile or app_selection(),
        tools=chosen,
        created_by=owner,
        **fields,
    )


def make_user(username: str, *, staff: bool = True, perms=()):
    """A user (staff by default) holding the given permission codenames."""
    user = get_user_model().objects.create_user(
        username, password="pw-admin-123", is_staff=staff
    )
    user.user_permissions.add(*Permission.objects.filter(codename__in=perms))
    return user


def refuse_broker(monkeypatch) -> None:
    """Make every publish fail as when Redis is down (a real outage is in
    ``tests/workers/test_broker_outage.py``; this one is for eager-mode tests)."""

    def refuse(self, *args, **kwargs):
        raise kombu.exceptions.OperationalError(
            "Error 111 connecting. Connection refused."
        )

    monkeypatch.setattr(Signature, "apply_async", refuse)
    monkeypatch.setattr(group, "apply_async", refuse)
