"""Input serializers parse requests into service arguments; output serializers render.

Neither kind holds business rules: those live in ``selector.services`` (and
``profiles``, ``runs``, ``batches``, ``ranking_service``), whose ValidationErrors the
API answers as 400s with field paths (see ``selector.api.errors``). Input serializers
only check shapes: types, choices, lengths, keys that could not be criterion keys.
"""

import math
import re

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field, inline_serializer
from rest_framework import serializers

from selector.api.errors import PayloadTooLarge
from selector.engine.methods import PREFERENCES
from selector.models import (
    TOOL_FIELDS,
    Batch,
    Criterion,
    Evaluation,
    Method,
    Normalization,
    Run,
    Tool,
    WeightProfile,
    Workspace,
)
from selector.queries import visible, workspaces_for
from selector.ranking_service import MAX_ALTERNATIVES, MAX_CRITERIA

KEY_PATTERN = re.compile(r"^[-a-zA-Z0-9_]{1,60}$")
LOOKUP_PATTERN = re.compile(r"^[-a-zA-Z0-9_]{1,80}$")  # criterion keys, profile slugs
NORMALIZATIONS = [choice for choice in Normalization.values if choice]


def _key_errors(mapping: dict, label: str) -> dict:
    return {
        str(key)[:80]: [
            f"{str(key)[:80]!r} is not a {label} key (letters, digits, - and _)."
        ]
        for key in mapping
        if not isinstance(key, str) or not KEY_PATTERN.match(key)
    }


@extend_schema_field(
    {
        "oneOf": [
            {"type": "number"},
            {
                "type": "object",
                "properties": {
                    "value": {"type": "number"},
                    "low": {"type": "number", "nullable": True},
                    "high": {"type": "number", "nullable": True},
                    "evidence": {"type": "string"},
                },
                "required": ["value"],
            },
        ],
        "nullable": True,
        "description": "A number, {value, low, high, evidence}, or null to remove it.",
    }
)
class ScoreField(serializers.Field):
    """One score as sent by a client: a number, an object with bounds, or null."""

    def to_internal_value(self, data):
        if (
            data is None
            or isinstance(data, (int, float))
            and not isinstance(data, bool)
        ):
            return data
        if not isinstance(data, dict):
            raise serializers.ValidationError(
                "Send a number, an object {value, low, high, evidence}, or null."
            )
        unknown = set(data) - {"value", "low", "high", "evidence"}
        if unknown:
            raise serializers.ValidationError(f"Unknown key {sorted(unknown)[0]!r}.")
        evidence = data.get("evidence") or ""
        if not isinstance(evidence, str) or "\x00" in evidence:
            raise serializers.ValidationError("evidence must be text.")
        return data

    def to_representation(self, value):
        return value


class ScoresField(serializers.DictField):
    """Scores by criterion key; values are checked by ``services.save_tool``."""

    child = ScoreField(allow_null=True)

    def to_internal_value(self, data):
        if isinstance(data, dict):
            errors = _key_errors(data, "criterion")
            if errors:
                raise serializers.ValidationError(errors)
        return super().to_internal_value(data)


class WeightsField(serializers.DictField):
    """Weights by criterion key; values are checked by the services."""

    child = serializers.FloatField(allow_null=True)

    def to_internal_value(self, data):
        if isinstance(data, dict):
            errors = _key_errors(data, "criterion")
            if errors:
                raise serializers.ValidationError(errors)
        return super().to_internal_value(data)


class SlugLookupField(serializers.SlugRelatedField):
    """A row by its key or slug; text that cannot be one is "not found" without a
    query (PostgreSQL refuses some strings outright, e.g. with a NUL byte)."""

    def to_internal_value(self, data):
        if not isinstance(data, str) or not LOOKUP_PATTERN.match(data):
            self.fail("does_not_exist", slug_name=self.slug_field, value=str(data)[:80])
        return super().to_internal_value(data)


# Catalogue: criteria and weight profiles ----------------------------------------------


class CriterionSerializer(serializers.ModelSerializer):
    parent = SlugLookupField(
        slug_field="key",
        queryset=Criterion.objects.all(),
        allow_null=True,
        required=False,
    )
    benchmark = serializers.SerializerMethodField()

    class Meta:
        model = Criterion
        fields = [
            "key",
            "name",
            "description",
            "kind",
            "scale_min",
            "scale_max",
            "unit",
            "direction",
            "parent",
            "benchmark",
            "builtin",
        ]
        read_only_fields = ["builtin"]
        validators = []
        extra_kwargs = {"key": {"validators": []}}

    @extend_schema_field(
        inline_serializer(
            "CriterionBenchmark",
            fields={
                "survey": serializers.CharField(),
                "category": serializers.CharField(),
                "key": serializers.CharField(),
                "value": serializers.FloatField(),
                "unit": serializers.CharField(),
            },
            allow_null=True,
        )
    )
    def get_benchmark(self, criterion):
        benchmark = criterion.benchmark
        if benchmark is None:
            return None
        return {
            "survey": benchmark.survey.slug,
            "category": benchmark.category,
            "key": benchmark.key,
            "value": benchmark.value,
            "unit": benchmark.unit,
        }


class ProfileSerializer(serializers.ModelSerializer):
    survey = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True
    )
    weights = serializers.SerializerMethodField()

    class Meta:
        model = WeightProfile
        fields = [
            "slug",
            "name",
            "description",
            "survey",
            "builtin",
            "updated_at",
            "weights",
        ]

    @extend_schema_field(
        serializers.DictField(
            child=serializers.FloatField(),
            help_text="Relative weights by criterion key; normalised to 100% in use.",
        )
    )
    def get_weights(self, profile) -> dict:
        return {weight.criterion.key: weight.value for weight in profile.weights.all()}


class ProfileInputSerializer(serializers.ModelSerializer):
    weights = WeightsField(
        help_text="Relative weights by criterion key; they replace the profile's.",
    )

    class Meta:
        model = WeightProfile
        fields = ["slug", "name", "description", "weights"]
        validators = []
        extra_kwargs = {"slug": {"validators": []}}


# Workspaces, tools, evaluations -------------------------------------------------------


class WorkspaceSerializer(serializers.ModelSerializer):
    role = serializers.CharField(
        read_only=True, help_text="Your role here: viewer, editor or owner."
    )

    class Meta:
        model = Workspace
        fields = ["id", "name", "role", "created_at"]


@extend_schema_field(OpenApiTypes.INT)
class VisibleWorkspaceField(serializers.PrimaryKeyRelatedField):
    """A workspace of the caller's; others look as if they did not exist."""

    def get_queryset(self):
        return workspaces_for(self.context["request"].user)


@extend_schema_field(OpenApiTypes.INT)
class VisibleToolField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return visible(Tool.objects.all(), self.context["request"].user)


@extend_schema_field(OpenApiTypes.INT)
class VisibleEvaluationField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return visible(Evaluation.objects.all(), self.context["request"].user)


class ToolSerializer(serializers.ModelSerializer):
    scores = serializers.SerializerMethodField()

    class Meta:
        model = Tool
        fields = ["id", "workspace", *TOOL_FIELDS, "scores", "created_at", "updated_at"]

    @extend_schema_field(
        serializers.DictField(
            child=inline_serializer(
                "ScoreDetail",
                fields={
                    "value": serializers.FloatField(),
                    "low": serializers.FloatField(allow_null=True),
                    "high": serializers.FloatField(allow_null=True),
                    "evidence": serializers.CharField(),
                },
            ),
            help_text="Scores by criterion key.",
        )
    )
    def get_scores(self, tool) -> dict:
        return {
            score.criterion.key: {
                "value": score.value,
                "low": score.low,
                "high": score.high,
                "evidence": score.evidence,
            }
            for score in tool.scores.all()
        }


class ToolInputSerializer(serializers.ModelSerializer):
    workspace = VisibleWorkspaceField()
    scores = ScoresField(
        required=False,
        help_text='Scores by criterion key, e.g. {"roi": 4, "price": 30}; null '
        "removes one.",
    )

    class Meta:
        model = Tool
        fields = ["workspace", *TOOL_FIELDS, "scores"]
        validators = []


class ToolUpdateSerializer(ToolInputSerializer):
    class Meta(ToolInputSerializer.Meta):
        fields = [
            name for name in ToolInputSerializer.Meta.fields if name != "workspace"
        ]


@extend_schema_field(
    {
        "oneOf": [
            {"type": "number", "minimum": 0},
            {
                "type": "object",
                "additionalProperties": {"type": "number", "minimum": 0},
            },
        ],
        "description": "One threshold for every criterion, or one per criterion key, "
        "in the criterion's own units.",
    }
)
class ThresholdField(serializers.Field):
    """A PROMETHEE threshold: one number, or {criterion key: number}."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            bad = {
                str(key): ["A finite number >= 0 is required."]
                for key, value in data.items()
                if not _threshold(value)
            }
            if bad:
                raise serializers.ValidationError(bad)
            return {str(key): float(value) for key, value in data.items()}
        if not _threshold(data):
            raise serializers.ValidationError(
                "Send a finite number >= 0, or one per criterion key."
            )
        return float(data)

    def to_representation(self, value):
        return value


def _threshold(value) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
        and value >= 0
    )


class MethodOptionsSerializer(serializers.Serializer):
    """Options of the chosen method (each method's textbook default when left out)."""

    v = serializers.FloatField(
        required=False,
        min_value=0,
        max_value=1,
        help_text="VIKOR: weight of the group utility against the worst regret "
        "(default 0.5).",
    )
    preference = serializers.ChoiceField(
        choices=PREFERENCES,
        required=False,
        help_text="PROMETHEE II preference function (default usual); ushape needs q, "
        "vshape p, level and linear both.",
    )
    q = ThresholdField(required=False, help_text="PROMETHEE II indifference threshold.")
    p = ThresholdField(required=False, help_text="PROMETHEE II preference threshold.")


class EvaluationSerializer(serializers.ModelSerializer):
    tools = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    profile = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    weights = serializers.DictField(
        source="weight_overrides",
        child=serializers.FloatField(),
        read_only=True,
        help_text="Weights by criterion key that replace the profile's.",
    )
    options = MethodOptionsSerializer(source="method_options", read_only=True)

    class Meta:
        model = Evaluation
        fields = [
            "id",
            "workspace",
            "name",
            "tools",
            "profile",
            "method",
            "options",
            "normalization",
            "missing_scores",
            "weights",
            "created_at",
            "updated_at",
        ]


class EvaluationInputSerializer(serializers.Serializer):
    workspace = VisibleWorkspaceField()
    name = serializers.CharField(max_length=150)
    tools = VisibleToolField(many=True)
    profile = SlugLookupField(slug_field="slug", queryset=WeightProfile.objects.all())
    method = serializers.ChoiceField(choices=Method.choices, default=Method.WSM)
    normalization = serializers.ChoiceField(
        choices=Normalization.choices, default="", allow_blank=True
    )
    missing_scores = serializers.ChoiceField(
        choices=Evaluation.MissingScores.choices, default=Evaluation.MissingScores.BLOCK
    )
    weights = WeightsField(
        required=False,
        help_text="Weights replacing the profile's, by criterion key; null drops one.",
    )
    options = MethodOptionsSerializer(
        required=False,
        help_text="The method's options (kept while the method stays the same).",
    )


class EvaluationUpdateSerializer(EvaluationInputSerializer):
    workspace = None


# Runs and batches ---------------------------------------------------------------------


class RunResultSerializer(serializers.Serializer):
    tool = serializers.IntegerField(source="tool_id", allow_null=True)
    name = serializers.CharField(source="tool_name")
    rank = serializers.IntegerField()
    score = serializers.FloatField()
    contributions = serializers.DictField(
        child=serializers.FloatField(),
        help_text="Each criterion's share of the score, by criterion key.",
    )


RobustnessSchema = inline_serializer(
    "Robustness",
    fields={
        "samples": serializers.IntegerField(),
        "concentration": serializers.FloatField(allow_null=True),
        "tools": inline_serializer(
            "ToolRobustness",
            many=True,
            fields={
                "tool": serializers.IntegerField(allow_null=True),
                "name": serializers.CharField(),
                "acceptability": serializers.ListField(
                    child=serializers.FloatField(),
                    help_text="Probability of each rank (1st, 2nd, ...).",
                ),
                "central_weights": serializers.DictField(
                    child=serializers.FloatField()
                ),
                "confidence": serializers.FloatField(),
            },
        ),
        "stability": inline_serializer(
            "WeightStability",
            many=True,
            fields={
                "criterion": serializers.CharField(),
                "weight": serializers.FloatField(),
                "top": serializers.ListField(child=serializers.FloatField()),
                "order": serializers.ListField(child=serializers.FloatField()),
            },
        ),
    },
    allow_null=True,
)


class RunSerializer(serializers.ModelSerializer):
    """A run without its results (lists)."""

    method = serializers.SerializerMethodField()
    normalization = serializers.SerializerMethodField()
    profile = serializers.SerializerMethodField()
    weights = serializers.SerializerMethodField()

    class Meta:
        model = Run
        fields = [
            "id",
            "evaluation",
            "batch",
            "status",
            "error",
            "method",
            "normalization",
            "profile",
            "weights",
            "engine_version",
            "created_at",
            "started_at",
            "finished_at",
        ]

    def get_method(self, run) -> str:
        return run.inputs.get("method", "")

    def get_normalization(self, run) -> str | None:
        return run.inputs.get("normalization")

    def get_profile(self, run) -> str | None:
        return (run.inputs.get("profile") or {}).get("slug")

    @extend_schema_field(
        serializers.DictField(
            child=serializers.FloatField(),
            help_text="The weights the run used, by criterion key.",
        )
    )
    def get_weights(self, run) -> dict:
        keys = [c["key"] for c in run.inputs.get("criteria", [])]
        return dict(zip(keys, run.inputs.get("weights", []), strict=False))


class RunDetailSerializer(RunSerializer):
    """A run with its results ordered by rank and its robustness output."""

    results = RunResultSerializer(many=True, read_only=True)
    robustness = serializers.SerializerMethodField()

    class Meta(RunSerializer.Meta):
        fields = [*RunSerializer.Meta.fields, "results", "robustness"]

    @extend_schema_field(RobustnessSchema)
    def get_robustness(self, run):
        stored = run.robustness
        if not stored:
            return None
        tools = run.inputs.get("tools", [])
        keys = [c["key"] for c in run.inputs.get("criteria", [])]
        acceptability = stored.get("acceptability") or []
        central = stored.get("central_weights") or []
        confidence = stored.get("confidence") or []
        return {
            "samples": stored.get("samples"),
            "concentration": stored.get("concentration"),
            "tools": [
                {
                    "tool": tool["id"],
                    "name": tool["name"],
                    "acceptability": acceptability[i] if i < len(acceptability) else [],
                    "central_weights": dict(zip(keys, central[i], strict=False))
                    if i < len(central)
                    else {},
                    "confidence": confidence[i] if i < len(confidence) else 0.0,
                }
                for i, tool in enumerate(tools)
            ],
            "stability": stored.get("stability") or [],
        }


class BatchSerializer(serializers.ModelSerializer):
    done = serializers.IntegerField(read_only=True, source="done_count")
    failed = serializers.IntegerField(read_only=True, source="failed_count")
    queued = serializers.IntegerField(read_only=True, source="queued_count")
    running = serializers.IntegerField(read_only=True, source="running_count")
    skipped = serializers.SerializerMethodField()
    result = serializers.JSONField(
        read_only=True,
        allow_null=True,
        help_text="When done: each run's winner, or the merged Monte Carlo study.",
    )

    class Meta:
        model = Batch
        fields = [
            "id",
            "evaluation",
            "kind",
            "status",
            "total",
            "done",
            "failed",
            "queued",
            "running",
            "skipped",
            "result",
            "created_at",
            "finished_at",
        ]

    @extend_schema_field(
        serializers.ListField(
            child=serializers.DictField(),
            help_text="Runs that could not start and why (e.g. missing scores).",
        )
    )
    def get_skipped(self, batch) -> list:
        return (batch.options or {}).get("skipped", [])


class BatchInputSerializer(serializers.Serializer):
    OPTIONS = {
        Batch.Kind.PROFILES: {"profiles"},
        Batch.Kind.SMAA: {"samples", "chunk_size", "seed"},
        Batch.Kind.RERANK: set(),
    }

    evaluation = VisibleEvaluationField()
    kind = serializers.ChoiceField(choices=Batch.Kind.choices)
    profiles = serializers.ListField(
        child=serializers.SlugField(max_length=80),
        required=False,
        max_length=200,
        help_text="kind=profiles: only these profiles (slugs); default every profile.",
    )
    samples = serializers.IntegerField(
        required=False, min_value=1, help_text="kind=smaa: weight samples in all."
    )
    chunk_size = serializers.IntegerField(
        required=False, min_value=1, help_text="kind=smaa: samples per run."
    )
    seed = serializers.IntegerField(
        required=False, min_value=0, max_value=2**63 - 1, help_text="kind=smaa."
    )

    def _kind_of(self, option: str) -> str:
        return next(kind for kind, names in self.OPTIONS.items() if option in names)

    def validate(self, data):
        allowed = self.OPTIONS[data["kind"]]
        errors = {
            name: f"Only applies to kind {self._kind_of(name)}."
            for name in data
            if name not in ("evaluation", "kind") and name not in allowed
        }
        if errors:
            raise serializers.ValidationError(errors)
        return data


# Stateless ranking --------------------------------------------------------------------


class RankCriterionSerializer(serializers.Serializer):
    key = serializers.RegexField(
        KEY_PATTERN, help_text="Letters, digits, - and _ (at most 60)."
    )
    direction = serializers.ChoiceField(choices=Criterion.Direction.choices)
    weight = serializers.FloatField(min_value=0)

    def validate_weight(self, value):
        if not math.isfinite(value):
            raise serializers.ValidationError("A weight must be a finite number.")
        return value


class RankAlternativeSerializer(serializers.Serializer):
    """Documents one alternative; ``AlternativesField`` parses them in one pass."""

    name = serializers.CharField(max_length=200)
    values = serializers.DictField(
        child=serializers.FloatField(), help_text="Values by criterion key."
    )


@extend_schema_field(RankAlternativeSerializer(many=True))
class AlternativesField(serializers.Field):
    """The alternatives, parsed in a tight loop: up to a million values per request."""

    def to_internal_value(self, data):
        if not isinstance(data, list):
            raise serializers.ValidationError("Send a list of alternatives.")
        if len(data) > MAX_ALTERNATIVES:
            raise PayloadTooLarge(
                f"{len(data)} alternatives is more than the {MAX_ALTERNATIVES:,} "
                "a request may rank; split the data."
            )
        errors, parsed = {}, []
        for i, item in enumerate(data):
            if len(errors) >= 50:
                break
            if not isinstance(item, dict):
                errors[str(i)] = ["Send an object {name, values}."]
                continue
            problems = {}
            name = item.get("name")
            if not isinstance(name, str) or not name.strip():
                problems["name"] = ["A non-empty name is required."]
            elif len(name) > 200 or "\x00" in name:
                problems["name"] = ["A name is at most 200 characters of text."]
            values = item.get("values")
            if not isinstance(values, dict):
                problems["values"] = ["Send the values as an object by criterion key."]
                values = {}
            bad = {}
            clean = {}
            for key, value in values.items():
                if isinstance(value, bool) or not isinstance(value, (int, float)):
                    bad[key] = [f"A number is required, not {value!r}."[:200]]
                    continue
                try:
                    number = float(value)
                except OverflowError:
                    number = math.inf
                if not math.isfinite(number):
                    bad[key] = ["A finite number is required."]
                    continue
                clean[key] = number
            if bad:
                problems["values"] = bad
            if problems:
                errors[str(i)] = problems
            else:
                parsed.append({"name": name.strip(), "values": clean})
        if errors:
            raise serializers.ValidationError(errors)
        return parsed

    def to_representation(self, value):
        return value


class RankRequestSerializer(serializers.Serializer):
    method = serializers.ChoiceField(choices=Method.choices, default=Method.WSM)
    normalization = serializers.ChoiceField(
        choices=NORMALIZATIONS,
        allow_null=True,
        default=None,
        help_text="Omit or null for the method's textbook default.",
    )
    criteria = RankCriterionSerializer(many=True)
    alternatives = AlternativesField()
    options = MethodOptionsSerializer(required=False, default=dict)

    def to_internal_value(self, data):
        criteria = data.get("criteria") if isinstance(data, dict) else None
        if isinstance(criteria, list) and len(criteria) > MAX_CRITERIA:
            raise PayloadTooLarge(
                f"{len(criteria)} criteria is more than the {MAX_CRITERIA} a request "
                "may use."
            )
        return super().to_internal_value(data)

    def validate_criteria(self, value):
        if not value:
            raise serializers.ValidationError("Send at least one criterion.")
        return value


class RankRowSerializer(serializers.Serializer):
    name = serializers.CharField()
    rank = serializers.IntegerField()
    score = serializers.FloatField()
    contributions = serializers.DictField(child=serializers.FloatField())


class RankResponseSerializer(serializers.Serializer):
    method = serializers.CharField()
    normalization = serializers.CharField(allow_null=True)
    options = MethodOptionsSerializer(help_text="The options sent, as used.")
    ranking = RankRowSerializer(many=True)
