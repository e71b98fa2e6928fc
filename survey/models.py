from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from survey.localized import localized, twin_suffix

# How the words of a category key read in a heading (others stay lower case).
LABEL_WORDS = {
    "llm": "LLM",
    "llms": "LLMs",
    "ai": "AI",
    "roi": "ROI",
    "api": "API",
    "vs": "vs.",
}

# The headings of the categories the shipped surveys use, in the reader's language;
# another category reads as its key made a label (``Benchmark.category_label``).
CATEGORY_LABELS = {
    "adoption": _("Adoption"),
    "app_selection_criteria": _("App selection criteria"),
    "architecture": _("Architecture"),
    "build_vs_buy": _("Build vs. buy"),
    "llm_switching_motivations": _("LLM switching motivations"),
    "model_share": _("Model share"),
    "open_vs_closed": _("Open vs. closed"),
    "pilot_failure_reasons": _("Pilot failure reasons"),
    "sentiment": _("Sentiment"),
    "spend": _("Spend"),
    "use_case_adoption": _("Use case adoption"),
}

UNIT_LABELS = {
    # xgettext:no-python-format (a unit label after a number, never %-formatted)
    "percent_of_respondents": _("% of respondents"),
    # xgettext:no-python-format (a unit label after a number, never %-formatted)
    "percent_of_failed_pilots": _("% of failed pilots"),
    # xgettext:no-python-format (a unit label after a number, never %-formatted)
    "percent_of_solutions": _("% of solutions"),
    # xgettext:no-python-format (a unit label after a number, never %-formatted)
    "percent_of_enterprises": _("% of enterprises"),
    # xgettext:no-python-format (a unit label after a number, never %-formatted)
    "percent_of_use_cases": _("% of use cases"),
    # xgettext:no-python-format (a unit label after a number, never %-formatted)
    "percent_share": _("% share"),
    "percent": _("%"),
    "usd_billion": _("US$ billion"),
    "usd_million": _("US$ million"),
    "count_min": _("count (at least)"),
    "count_avg": _("count (average)"),
}


class EvidenceLevel(models.TextChoices):
    """How directly a figure comes from its report, from the strongest to the weakest."""

    QUOTED = "quoted", _("quoted")
    PRESS = "press", _("press")
    SECONDARY = "secondary", _("secondary")
    SINGLE = "single", _("single")


class Survey(models.Model):
    """A published survey whose figures ground Shortlist's default weights."""

    slug = models.SlugField(_("slug"), unique=True)
    title = models.CharField(_("title"), max_length=300)
    publisher = models.CharField(_("publisher"), max_length=200)
    published = models.DateField(
        _("published"), help_text=_("Publication date of the report.")
    )
    respondents = models.PositiveIntegerField(
        _("respondents"),
        null=True,
        blank=True,
        help_text=_("Sample size (n); empty when not published."),
    )
    population = models.CharField(_("population"), max_length=300, blank=True)
    url = models.URLField(_("URL"), max_length=500, blank=True)
    note = models.TextField(
        _("note"), blank=True, help_text=_("What a reader should know first.")
    )
    evidence_levels = models.JSONField(
        _("evidence levels"),
        default=dict,
        blank=True,
        help_text=_("Evidence level -> what it means."),
    )
    # French twins, shown to French readers (survey.localized picks them).
    title_fr = models.CharField(_("title in French"), max_length=300, blank=True)
    population_fr = models.CharField(
        _("population in French"), max_length=300, blank=True
    )
    note_fr = models.TextField(_("note in French"), blank=True)
    evidence_levels_fr = models.JSONField(
        _("evidence levels in French"), default=dict, blank=True
    )

    class Meta:
        ordering = ["-published", "slug"]
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")

    def __str__(self) -> str:
        return f"{localized(self, 'title')} ({self.publisher}, {self.published.year})"

    def get_absolute_url(self) -> str:
        return reverse("survey:survey-detail", kwargs={"slug": self.slug})

    @property
    def year(self) -> int:
        return self.published.year

    def evidence_meanings(self) -> dict[str, str]:
        """Evidence level -> what it means, in the reader's language when the survey
        has a twin for it."""
        twin = (
            getattr(self, "evidence_levels" + twin_suffix(), None)
            if twin_suffix()
            else None
        )
        return {**self.evidence_levels, **(twin or {})}

    def evidence_legend(self) -> list[tuple[str, str]]:
        """(level, meaning) from the strongest level to the weakest, as the file says.

        In this fixed order because PostgreSQL's jsonb does not keep the keys' order.
        """
        meanings = self.evidence_meanings()
        return [
            (level, meanings[level])
            for level in EvidenceLevel.values
            if level in self.evidence_levels
        ]


class Benchmark(models.Model):
    """One figure of a survey, with the evidence for where the number comes from."""

    survey = models.ForeignKey(
        Survey,
        on_delete=models.CASCADE,
        related_name="benchmarks",
        verbose_name=_("survey"),
    )
    category = models.SlugField(_("category"), max_length=100)
    key = models.SlugField(_("key"), max_length=100)
    label = models.CharField(_("label"), max_length=300)
    value = models.FloatField(_("value"))
    unit = models.CharField(_("unit"), max_length=50)
    evidence = models.TextField(_("evidence"), blank=True)
    evidence_level = models.CharField(
        _("evidence level"),
        max_length=20,
        choices=EvidenceLevel.choices,
        help_text=_(
            "How directly the figure comes from the report (see the survey's "
            "evidence levels)."
        ),
    )
    label_fr = models.CharField(_("label in French"), max_length=300, blank=True)
    evidence_fr = models.TextField(_("evidence in French"), blank=True)
    position = models.PositiveIntegerField(
        _("position"),
        default=0,
        help_text=_("Order of the figure in the survey's data file."),
    )

    class Meta:
        verbose_name = _("survey figure")
        verbose_name_plural = _("survey figures")
        ordering = ["survey", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "category", "key"],
                name="benchmark_unique_per_survey_category_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.survey.slug}/{self.category}/{self.key} = {self.value:g}"

    @property
    def unit_label(self) -> str:
        return str(UNIT_LABELS.get(self.unit, self.unit.replace("_", " ")))

    @property
    def evidence_meaning(self) -> str:
        """What this figure's evidence level means, in its survey's own words (in the
        reader's language when the survey has the twin)."""
        return self.survey.evidence_meanings().get(self.evidence_level, "")

    @property
    def shown_label(self) -> str:
        return localized(self, "label")

    @property
    def category_label(self) -> str:
        """The category key as a heading, in the reader's language for the shipped
        categories; another key reads as a label: "llm_switching_motivations" reads
        "LLM switching motivations" (acronyms upper case, the first word capitalized)."""
        if self.category in CATEGORY_LABELS:
            return str(CATEGORY_LABELS[self.category])
        words = [LABEL_WORDS.get(word, word) for word in self.category.split("_")]
        if words and words[0] == words[0].lower():
            words[0] = words[0].capitalize()
        return " ".join(words)
