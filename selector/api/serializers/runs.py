"""Runs with their results and robustness output, and batches of runs."""

from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema_field, inline_serializer
from rest_framework import serializers

from selector.api.serializers.fields import VisibleEvaluationField
from selector.messages import with_shown_error
from selector.models import Batch, Run
from selector.presenters.run_lists import first_names
from selector.presenters.verdict import run_verdict
from selector.services.staleness import CHANGES

WhatItTakesSchema = inline_serializer(
    "WhatItTakes",
    fields={
        "from": serializers.FloatField(help_text="The tool's score now."),
        "to": serializers.FloatField(
            help_text="The nearest score (within the criterion's scale) at which "
            "the tool ranks first; for a tool first now, at which another does."
        ),
        "tie": serializers.BooleanField(help_text="First place would be shared."),
        "rival": serializers.CharField(
            required=False,
            help_text="For a tool first now: the tool that would rank first with it "
            "or instead of it.",
        ),
    },
    allow_null=True,
)


class RunResultSerializer(serializers.Serializer):
    tool = serializers.IntegerField(source="tool_id", allow_null=True)
    name = serializers.CharField(source="tool_name")
    rank = serializers.IntegerField()
    score = serializers.FloatField()
    contributions = serializers.DictField(
        child=serializers.FloatField(),
        help_text="Each criterion's share of the score, by criterion key.",
    )
    what_it_takes = serializers.SerializerMethodField()

    @extend_schema_field(
        serializers.DictField(
            child=WhatItTakesSchema,
            allow_null=True,
            help_text="By criterion key: the score this tool would need on that "
            "criterion alone to change who ranks first, or null where no score in "
            "range does. Null for runs computed before it was kept.",
        )
    )
    def get_what_it_takes(self, result) -> dict | None:
        run = result.run
        stored = (run.robustness or {}).get("what_it_takes")
        if not stored:
            return None
        names = [tool["name"] for tool in run.inputs.get("tools", [])]
        tools = stored.get("tools") or []
        if result.tool_name not in names:
            return None
        i = names.index(result.tool_name)
        return tools[i] if i < len(tools) else None


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
                "takes_over": serializers.ListField(
                    child=serializers.CharField(allow_null=True),
                    help_text="The tool ranking first just below and just above "
                    "the top interval; null at an end of 0 or 1 (and for runs "
                    "computed before it was kept).",
                ),
            },
        ),
        "verdict": serializers.CharField(
            allow_null=True,
            help_text="One sentence: is the winner a robust choice, and what would "
            "change it.",
        ),
        "robust_winner": serializers.BooleanField(
            allow_null=True,
            help_text="True when the tool ranked first alone is first in at least "
            "half of the weight draws and no weight lies within 5 percentage points "
            "of one that puts another tool first.",
        ),
    },
    allow_null=True,
)


RUN_KINDS = ["manual", *Batch.Kind.values]


class RunSerializer(serializers.ModelSerializer):
    """A run without its results (lists)."""

    kind = serializers.SerializerMethodField()
    method = serializers.SerializerMethodField()
    normalization = serializers.SerializerMethodField()
    profile = serializers.SerializerMethodField()
    weights = serializers.SerializerMethodField()
    adjusted = serializers.SerializerMethodField()
    winner = serializers.SerializerMethodField()
    engine_version = serializers.CharField(max_length=20, required=False)
    error = serializers.CharField(
        source="shown_error",
        read_only=True,
        help_text="Why the run failed, in the language of Accept-Language; empty "
        "unless it failed.",
    )

    class Meta:
        model = Run
        fields = [
            "id",
            "evaluation",
            "batch",
            "kind",
            "status",
            "error",
            "method",
            "normalization",
            "profile",
            "weights",
            "adjusted",
            "winner",
            "engine_version",
            "created_at",
            "started_at",
            "finished_at",
        ]

    @extend_schema_field(
        serializers.ChoiceField(
            choices=RUN_KINDS,
            help_text="manual (started by hand or through this API), or the kind of "
            "the batch the run is part of.",
        )
    )
    def get_kind(self, run) -> str:
        return run.batch.kind if run.batch_id else "manual"

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

    @extend_schema_field(
        serializers.BooleanField(
            help_text="Whether the run used the evaluation's adjusted weights rather "
            "than its profile's own."
        )
    )
    def get_adjusted(self, run) -> bool:
        return any(s.get("overridden") for s in run.inputs.get("weight_sources", []))

    @extend_schema_field(
        serializers.ListField(
            child=serializers.CharField(),
            help_text="The tools the run ranked first, by name: several when tied "
            "for first; empty until the run is done.",
        )
    )
    def get_winner(self, run) -> list:
        return first_names(run) if run.status == Run.Status.DONE else []


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
        verdict = run_verdict(run.inputs, stored, list(run.results.all()))
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
            "stability": [
                {"takes_over": [None, None], **row}
                for row in stored.get("stability") or []
            ],
            "verdict": None if verdict is None else verdict["sentence"],
            "robust_winner": None if verdict is None else verdict["robust_winner"],
        }


class RankingSerializer(RunDetailSerializer):
    """The latest done run, and whether the evaluation changed since it ran."""

    stale = serializers.BooleanField(
        read_only=True,
        help_text="Whether the evaluation's inputs changed since this run: run it "
        "again for a ranking of what it holds now.",
    )
    changed = serializers.ListField(
        child=serializers.ChoiceField(choices=list(CHANGES)),
        read_only=True,
        help_text="What changed since the run, in this order: "
        + ", ".join(CHANGES)
        + "; empty when nothing did.",
    )

    class Meta(RunDetailSerializer.Meta):
        fields = [*RunDetailSerializer.Meta.fields, "stale", "changed"]


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

    def to_representation(self, batch):
        """The result's run errors in the reader's language (stored English)."""
        data = super().to_representation(batch)
        result = data.get("result")
        if isinstance(result, dict) and "runs" in result:
            runs = [with_shown_error(row) for row in result["runs"]]
            data["result"] = {**result, "runs": runs}
        return data


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
        required=False,
        min_value=1,
        help_text="kind=smaa: weight samples in all (default 20,000); at most "
        "SMAA_MAX_SAMPLES (default 2,000,000), and tools x samples at most "
        "SMAA_MAX_TOOL_SAMPLES (default 10,000,000): beyond them a 400 names the limit.",
    )
    chunk_size = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="kind=smaa: samples per run (default 2,000, or the number of tools "
        "if more); at least 100 and the number of tools, at most 1,000 chunks.",
    )
    seed = serializers.IntegerField(
        required=False, min_value=0, max_value=2**63 - 1, help_text="kind=smaa."
    )

    def _kind_of(self, option: str) -> str:
        return next(kind for kind, names in self.OPTIONS.items() if option in names)

    def validate(self, data):
        allowed = self.OPTIONS[data["kind"]]
        errors = {
            name: gettext("Only applies to kind %(kind)s.")
            % {"kind": self._kind_of(name)}
            for name in data
            if name not in ("evaluation", "kind") and name not in allowed
        }
        if errors:
            raise serializers.ValidationError(errors)
        return data
