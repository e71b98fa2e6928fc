"""Loading published survey figures from ``survey/data/*.json`` into the database.

Reading is split from writing: every file is parsed and checked first, then all of them
are written in one transaction, so a malformed file writes nothing at all.
"""

import datetime
import json
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from survey.models import Benchmark, EvidenceLevel, Survey

DATA_DIR = Path(__file__).resolve().parent / "data"

SLUG = re.compile(r"^[-a-zA-Z0-9_]+$")
SURVEY_FIELDS = (
    "slug",
    "title",
    "publisher",
    "published",
    "respondents",
    "evidence_levels",
    "figures",
)
FIGURE_FIELDS = (
    "category",
    "key",
    "label",
    "value",
    "unit",
    "evidence",
    "evidence_level",
)
LEVELS = tuple(EvidenceLevel.values)


class SurveyDataError(ValueError):
    """A survey data file is malformed; the message names the file, figure and field."""


@dataclass(frozen=True)
class FigureData:
    category: str
    key: str
    label: str
    value: float
    unit: str
    evidence: str
    evidence_level: str
    label_fr: str = ""
    evidence_fr: str = ""


@dataclass(frozen=True)
class SurveyData:
    slug: str
    title: str
    publisher: str
    published: datetime.date
    respondents: int | None
    population: str
    url: str
    figures: tuple[FigureData, ...]
    evidence_levels: dict[str, str]
    note: str = ""
    title_fr: str = ""
    population_fr: str = ""
    note_fr: str = ""
    evidence_levels_fr: dict[str, str] = field(default_factory=dict)


@dataclass
class LoadReport:
    """What a load changed, counted per kind of row."""

    surveys: Counter = field(default_factory=Counter)
    benchmarks: Counter = field(default_factory=Counter)

    def __str__(self) -> str:
        def describe(counts: Counter) -> str:
            return ", ".join(
                f"{counts[outcome]} {outcome}"
                for outcome in ("created", "updated", "unchanged", "removed")
            )

        return (
            f"surveys: {describe(self.surveys)}; figures: {describe(self.benchmarks)}"
        )


def _text(raw: dict, name: str, where: str, *, required: bool = True) -> str:
    value = raw.get(name, "")
    if value is None and not required:
        return ""
    if not isinstance(value, str):
        raise SurveyDataError(f"{where}: field '{name}' must be text, got {value!r}")
    if required and not value.strip():
        raise SurveyDataError(f"{where}: field '{name}' is empty")
    return value.strip()


def _slug(raw: dict, name: str, where: str) -> str:
    value = _text(raw, name, where)
    if not SLUG.match(value):
        raise SurveyDataError(
            f"{where}: field '{name}' = {value!r} may hold only letters, digits, - and _"
        )
    return value


def _require(raw: object, names: tuple[str, ...], where: str) -> dict:
    if not isinstance(raw, dict):
        raise SurveyDataError(f"{where}: expected an object, got {type(raw).__name__}")
    missing = [name for name in names if name not in raw]
    if missing:
        raise SurveyDataError(f"{where}: missing field '{missing[0]}'")
    return raw


def _figure(raw: object, where: str) -> FigureData:
    raw = _require(raw, FIGURE_FIELDS, where)
    value = raw["value"]
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise SurveyDataError(f"{where}: field 'value' = {value!r} is not a number")
    if not math.isfinite(value):
        raise SurveyDataError(f"{where}: field 'value' = {value!r} is not finite")
    level = raw["evidence_level"]
    if level not in LEVELS:
        raise SurveyDataError(
            f"{where}: field 'evidence_level' = {level!r} is not one of "
            f"{', '.join(LEVELS)}"
        )
    return FigureData(
        category=_slug(raw, "category", where),
        key=_slug(raw, "key", where),
        label=_text(raw, "label", where),
        value=float(value),
        unit=_slug(raw, "unit", where),
        evidence=_text(raw, "evidence", where, required=False),
        evidence_level=level,
        label_fr=_text(raw, "label_fr", where, required=False),
        evidence_fr=_text(raw, "evidence_fr", where, required=False),
    )


def _levels(raw: dict, name: str, where: str, *, required: bool = True) -> dict:
    """An ``evidence_levels`` object: each known level -> the text that explains it."""
    levels = raw.get(name, {})
    if not isinstance(levels, dict):
        raise SurveyDataError(f"{where}: field '{name}' must be an object")
    for level, meaning in levels.items():
        if level not in LEVELS:
            raise SurveyDataError(
                f"{where}: field '{name}' names {level!r}, which is not one of "
                f"{', '.join(LEVELS)}"
            )
        if not isinstance(meaning, str) or not meaning.strip():
            raise SurveyDataError(f"{where}: field '{name}' has no text for {level!r}")
    if required and not levels:
        raise SurveyDataError(f"{where}: field '{name}' is empty")
    return {level: meaning.strip() for level, meaning in levels.items()}


def _figures(raw_figures: object, levels: dict, name: str) -> list[FigureData]:
    """The figures of file ``name``, each checked, unique and at an explained level."""
    if not isinstance(raw_figures, list):
        raise SurveyDataError(f"{name}: field 'figures' must be a list")
    figures = []
    seen = set()
    for index, raw_figure in enumerate(raw_figures, start=1):
        label = raw_figure.get("key") if isinstance(raw_figure, dict) else None
        where = f"{name}: figure {index}" + (f" ('{label}')" if label else "")
        figure = _figure(raw_figure, where)
        if (figure.category, figure.key) in seen:
            raise SurveyDataError(
                f"{where}: duplicate key '{figure.key}' in category '{figure.category}'"
            )
        if figure.evidence_level not in levels:
            raise SurveyDataError(
                f"{where}: evidence_level '{figure.evidence_level}' is not explained "
                "in the file's 'evidence_levels'"
            )
        seen.add((figure.category, figure.key))
        figures.append(figure)
    return figures


def parse_survey_file(path: Path) -> SurveyData:
    """Read and check one survey file; raise ``SurveyDataError`` naming what is wrong."""
    name = path.name
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise SurveyDataError(
            f"{name}: not valid JSON (line {error.lineno}, column {error.colno}: "
            f"{error.msg})"
        ) from None
    except (OSError, UnicodeDecodeError) as error:
        raise SurveyDataError(f"{name}: cannot be read ({error})") from None
    raw = _require(raw, SURVEY_FIELDS, name)

    published = raw["published"]
    try:
        published = datetime.date.fromisoformat(published)
    except (TypeError, ValueError):
        raise SurveyDataError(
            f"{name}: field 'published' = {published!r} is not a date (YYYY-MM-DD)"
        ) from None
    respondents = raw["respondents"]
    if respondents is not None and (
        isinstance(respondents, bool)
        or not isinstance(respondents, int)
        or respondents < 1
    ):
        raise SurveyDataError(
            f"{name}: field 'respondents' = {respondents!r} must be a positive whole "
            "number or null"
        )
    levels = _levels(raw, "evidence_levels", name)
    figures = _figures(raw["figures"], levels, name)

    return SurveyData(
        slug=_slug(raw, "slug", name),
        title=_text(raw, "title", name),
        publisher=_text(raw, "publisher", name),
        published=published,
        respondents=respondents,
        population=_text(raw, "population", name, required=False),
        url=_text(raw, "url", name, required=False),
        figures=tuple(figures),
        evidence_levels=levels,
        note=_text(raw, "note", name, required=False),
        title_fr=_text(raw, "title_fr", name, required=False),
        population_fr=_text(raw, "population_fr", name, required=False),
        note_fr=_text(raw, "note_fr", name, required=False),
        evidence_levels_fr=_levels(raw, "evidence_levels_fr", name, required=False),
    )


def parse_survey_directory(directory: Path) -> list[SurveyData]:
    paths = sorted(Path(directory).glob("*.json"))
    if not paths:
        raise SurveyDataError(f"{directory}: no survey files (*.json) found")
    surveys = [parse_survey_file(path) for path in paths]
    slugs = [survey.slug for survey in surveys]
    duplicated = sorted({slug for slug in slugs if slugs.count(slug) > 1})
    if duplicated:
        raise SurveyDataError(
            f"{directory}: survey slug '{duplicated[0]}' appears twice"
        )
    return surveys


def _upsert(queryset, row, lookup: dict, values: dict) -> tuple:
    """Create the row (when ``row`` is None) or update it; say which, or "unchanged".

    Values for columns the model does not have are left out: an earlier data migration
    loads the current files into its historical model, before later columns exist.
    """
    columns = {f.attname for f in queryset.model._meta.concrete_fields}
    values = {name: value for name, value in values.items() if name in columns}
    if row is None:
        return queryset.create(**lookup, **values), "created"
    changed = [name for name, value in values.items() if getattr(row, name) != value]
    if not changed:
        return row, "unchanged"
    for name in changed:
        setattr(row, name, values[name])
    row.save(update_fields=changed)
    return row, "updated"


@transaction.atomic
def sync_surveys(
    surveys: list[SurveyData], *, survey_model=None, benchmark_model=None
) -> LoadReport:
    """Make the database match the parsed files: create, update, remove stale figures.

    The model classes can be passed in so a data migration can use its historical models.
    """
    if survey_model is None or benchmark_model is None:
        survey_model, benchmark_model = Survey, Benchmark

    report = LoadReport()
    for data in surveys:
        survey, outcome = _upsert(
            survey_model.objects,
            survey_model.objects.filter(slug=data.slug).first(),
            {"slug": data.slug},
            {
                "title": data.title,
                "publisher": data.publisher,
                "published": data.published,
                "respondents": data.respondents,
                "population": data.population,
                "url": data.url,
                "note": data.note,
                "evidence_levels": data.evidence_levels,
                "title_fr": data.title_fr,
                "population_fr": data.population_fr,
                "note_fr": data.note_fr,
                "evidence_levels_fr": data.evidence_levels_fr,
            },
        )
        report.surveys[outcome] += 1

        benchmarks = benchmark_model.objects.filter(survey=survey)
        stale = {(row.category, row.key): row for row in benchmarks}
        for position, figure in enumerate(data.figures):
            _, outcome = _upsert(
                benchmarks,
                stale.pop((figure.category, figure.key), None),
                {"survey": survey, "category": figure.category, "key": figure.key},
                {
                    "label": figure.label,
                    "value": figure.value,
                    "unit": figure.unit,
                    "evidence": figure.evidence,
                    "evidence_level": figure.evidence_level,
                    "label_fr": figure.label_fr,
                    "evidence_fr": figure.evidence_fr,
                    "position": position,
                },
            )
            report.benchmarks[outcome] += 1
        if stale:
            benchmarks.filter(pk__in=[row.pk for row in stale.values()]).delete()
            report.benchmarks["removed"] += len(stale)
    return report


def load_surveys(*, directory: Path = DATA_DIR) -> LoadReport:
    """Parse every file in ``directory`` and load them all, or nothing on any error."""
    return sync_surveys(parse_survey_directory(directory))
