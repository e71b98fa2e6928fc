from django.db import models
from django.urls import reverse

# How the words of a category key read in a heading (others stay lower case).
LABEL_WORDS = {
    "llm": "LLM",
    "llms": "LLMs",
    "ai": "AI",
    "roi": "ROI",
    "api": "API",
    "vs": "vs.",
}

UNIT_LABELS = {
    "percent_of_respondents": "% of respondents",
    "percent_of_failed_pilots": "% of failed pilots",
    "percent_of_solutions": "% of solutions",
    "percent_of_enterprises": "% of enterprises",
    "percent_of_use_cases": "% of use cases",
    "percent_share": "% share",
    "percent": "%",
    "usd_billion": "US$ billion",
    "usd_million": "US$ million",
    "count_min": "count (at least)",
    "count_avg": "count (average)",
}


class EvidenceLevel(models.TextChoices):
    """How directly a figure comes from its report, from the strongest to the weakest."""

    QUOTED = "quoted", "quoted"
    PRESS = "press", "press"
    SECONDARY = "secondary", "secondary"
    SINGLE = "single", "single"


class Survey(models.Model):
    """A published survey whose figures ground Shortlist's default weights."""

    slug = models.SlugField(unique=True)
    title = models.CharField(max_length=300)
    publisher = models.CharField(max_length=200)
    published = models.DateField(help_text="Publication date of the report.")
    respondents = models.PositiveIntegerField(
        null=True, blank=True, help_text="Sample size (n); empty when not published."
    )
    population = models.CharField(max_length=300, blank=True)
    url = models.URLField(max_length=500, blank=True)
    note = models.TextField(blank=True, help_text="What a reader should know first.")
    evidence_levels = models.JSONField(
        default=dict, blank=True, help_text="Evidence level -> what it means."
    )
    # French twins, stored for the French interface (issue 14); not shown yet.
    title_fr = models.CharField(max_length=300, blank=True)
    population_fr = models.CharField(max_length=300, blank=True)
    note_fr = models.TextField(blank=True)
    evidence_levels_fr = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-published", "slug"]

    def __str__(self) -> str:
        return f"{self.title} ({self.publisher}, {self.published.year})"

    def get_absolute_url(self) -> str:
        return reverse("survey:survey-detail", kwargs={"slug": self.slug})

    @property
    def year(self) -> int:
        return self.published.year

    def evidence_legend(self) -> list[tuple[str, str]]:
        """(level, meaning) from the strongest level to the weakest, as the file says.

        In this fixed order because PostgreSQL's jsonb does not keep the keys' order.
        """
        return [
            (level, self.evidence_levels[level])
            for level in EvidenceLevel.values
            if level in self.evidence_levels
        ]


class Benchmark(models.Model):
    """One figure of a survey, with the evidence for where the number comes from."""

    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="benchmarks"
    )
    category = models.SlugField(max_length=100)
    key = models.SlugField(max_length=100)
    label = models.CharField(max_length=300)
    value = models.FloatField()
    unit = models.CharField(max_length=50)
    evidence = models.TextField(blank=True)
    evidence_level = models.CharField(
        max_length=20,
        choices=EvidenceLevel.choices,
        help_text="How directly the figure comes from the report (see the survey's "
        "evidence levels).",
    )
    label_fr = models.CharField(max_length=300, blank=True)
    evidence_fr = models.TextField(blank=True)
    position = models.PositiveIntegerField(
        default=0, help_text="Order of the figure in the survey's data file."
    )

    class Meta:
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
        return UNIT_LABELS.get(self.unit, self.unit.replace("_", " "))

    @property
    def evidence_meaning(self) -> str:
        """What this figure's evidence level means, in its survey's own words."""
        return self.survey.evidence_levels.get(self.evidence_level, "")

    @property
    def category_label(self) -> str:
        """The category key as a heading: "llm_switching_motivations" reads "LLM
        switching motivations" (acronyms upper case, the first word capitalized)."""
        words = [LABEL_WORDS.get(word, word) for word in self.category.split("_")]
        if words and words[0] == words[0].lower():
            words[0] = words[0].capitalize()
        return " ".join(words)
