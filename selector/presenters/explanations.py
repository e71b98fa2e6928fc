"""Plain words for what Shortlist computes: the five methods, the four normalizations,
what a contribution is under each method, the stability intervals, the Monte Carlo
study (SMAA), how weights become shares, and which built-in profile fits which
decision.

One place for these texts, so the evaluation builder (where a person chooses), the
result page (where they read) and the decision report never word a thing
differently. Whole sentences, ready for translation; each is checked against the
engine (selector/engine: methods.py, normalize.py, promethee.py, stability.py,
smaa.py) and the conventions in ../shared/NOTES.md.
"""

from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from selector import engine
from selector.models import Method, Normalization
from survey.localized import localized

# What each method does (first sentence) and how its score is read (second).
METHODS = {
    "wsm": (
        _(
            "The weighted sum puts every criterion on a common scale (the "
            "normalization), multiplies each tool's value by the criterion's weight "
            "and adds the results up, so a strength on one criterion can make up for "
            "a weakness on another."
        ),
        _("The score is that total, and the highest score ranks first."),
    ),
    "wpm": (
        _(
            "The weighted product multiplies each tool's normalized values together, "
            "each raised to the power of its criterion's weight, so a very poor value "
            "on one criterion pulls the score down much more than in the weighted sum."
        ),
        _(
            "The score is that product, the highest ranks first, and every value must "
            "be above zero."
        ),
    ),
    "topsis": (
        _(
            "TOPSIS weighs the normalized values and measures each tool's distance "
            "to an ideal tool, with the best value on every criterion, and to an "
            "anti-ideal tool, with the worst value on every criterion."
        ),
        _(
            "The score is the closeness to the ideal, from 0 to 1: the distance to "
            "the anti-ideal divided by the sum of both distances; the highest ranks "
            "first."
        ),
    ),
    "vikor": (
        _(
            "VIKOR looks for a compromise: it combines each tool's weighted total "
            "shortfall from the best values (S) with its single largest weighted "
            "shortfall (R), both rescaled from 0 to 1 across the tools."
        ),
        _(
            "The score Q weighs S by v and R by 1 - v (v is 0.5 unless set), and "
            "the lowest Q ranks first."
        ),
    ),
    "promethee2": (
        _(
            "PROMETHEE II compares the tools two by two on each criterion, in the "
            "criterion's own units, and records how strongly one is preferred to the "
            "other according to the chosen preference function."
        ),
        _(
            "The score is the net flow: the weighted extent to which a tool beats "
            "the others minus the extent to which they beat it, averaged over the "
            "other tools, from -1 to 1; the highest ranks first."
        ),
    ),
}

# What each normalization does to a criterion's values; the key None is PROMETHEE II,
# which uses none.
NORMALIZATIONS = {
    "minmax": _(
        "Min-max normalization rescales each criterion so that the best candidate "
        "on it gets 1 and the worst gets 0: the lowest candidate gets 0 on that "
        "criterion (on a cost criterion such as price, the most expensive one), "
        "however good its value, so it adds nothing to its score there."
    ),
    "vector": _(
        "Vector normalization divides each value by the square root of the sum of "
        "the squared values of all candidates on that criterion, so values keep "
        "their proportions; on a cost criterion the result is taken away from 1."
    ),
    "sum": _(
        "Sum normalization divides each value by the total of all candidates on "
        "that criterion, so each gets its share of the total; on a cost criterion "
        "the shares are taken of 1 divided by each value, so the cheapest gets the "
        "largest share."
    ),
    "max": _(
        "Max normalization divides each value by the highest value on that "
        "criterion, so the best candidate gets 1 and the others their fraction of "
        "it; on a cost criterion each candidate gets the lowest value divided by "
        "its own."
    ),
    None: _(
        "PROMETHEE II uses no normalization: it compares the differences between "
        "two tools in each criterion's own units."
    ),
}

DEFAULT_NORMALIZATION = _(
    "The method's default is min-max for the weighted sum, max for the weighted "
    "product and vector for TOPSIS; VIKOR always uses min-max, the weighted product "
    "cannot use min-max (a 0 would wipe out the product), and PROMETHEE II uses "
    "none."
)

# What the per-criterion columns and the contribution chart show, per method
# (VIKOR has none).
CONTRIBUTIONS = {
    "wsm": _(
        "Each criterion column is the criterion's weight times the tool's normalized "
        "value; the columns add up to the score."
    ),
    "wpm": _(
        "Each criterion column is the criterion's weight times the logarithm of the "
        "tool's normalized value; the columns add up to the logarithm of the score, "
        "and a value closer to 0 is better."
    ),
    "topsis": _(
        "Each criterion column is the criterion's part in the tool's distance from "
        "the anti-ideal, scaled so that the columns add up to the score; it is 0 "
        "where the tool has the worst value."
    ),
    "promethee2": _(
        "Each criterion column is the criterion's weight times the tool's net flow "
        "on that criterion alone; the columns add up to the score."
    ),
}

# The stability intervals; how their ends are found depends on the method.
STABILITY = {
    "exact": _(
        "Each interval moves one criterion's weight from 0% to 100% while the other "
        "weights keep their proportions to one another, and gives the range in which "
        "the tool ranked first now stays first (and the whole order stays the same). "
        "For this method the ends are computed exactly."
    ),
    "numerical": _(
        "Each interval moves one criterion's weight from 0% to 100% while the other "
        "weights keep their proportions to one another, and gives the range in which "
        "the tool ranked first now stays first (and the whole order stays the same). "
        "For this method the ends are searched on a grid of weights and refined to a "
        "fine precision, so a change that comes and goes between two grid points "
        "can be missed."
    ),
}
# Methods whose stability ends are solved exactly (engine.stability: scores monotone
# in a linear function of the weights).
EXACT_STABILITY = ("wsm", "wpm", "promethee2")

MONTE_CARLO = {
    "survey": _(
        "The Monte Carlo study ranks the tools again under %(samples)s weight "
        "vectors drawn at random and counts how often each tool takes each rank. "
        "The draws follow a Dirichlet distribution centered on these weights, spread "
        "as widely as the sampling error of the survey's shares (%(respondents)s "
        "respondents)."
    ),
    "uniform": _(
        "The Monte Carlo study ranks the tools again under %(samples)s weight "
        "vectors drawn at random and counts how often each tool takes each rank. "
        "These weights have no survey sampling error to follow (they were adjusted, "
        "or no survey size is known), so the draws are spread uniformly over all "
        "weight vectors, not around these weights."
    ),
}

# The ranking's "First in" column, in the same two cases.
FIRST_IN = {
    "survey": _(
        '"First in" is the share of %(samples)s weight draws, centered on these '
        "weights and spread as widely as the survey's sampling error, in which the "
        "tool ranks first."
    ),
    "uniform": _(
        '"First in" is the share of %(samples)s weight draws, spread uniformly over '
        "all weight vectors (not around these weights), in which the tool ranks "
        "first."
    ),
}

BOUNDS = _(
    "Where a score has low and high bounds, each draw also picks the score at "
    "random between them."
)

WEIGHT_SHARES = _(
    "The weights are rescaled to add up to 100%: a criterion's share is its weight "
    "divided by the total of all weights, so a survey figure of 30% becomes a "
    "larger share when the profile uses only a few of the survey's criteria."
)

# Which built-in profile fits which decision, by profile slug.
PROFILE_GUIDANCE = {
    "menlo-2024-app-selection": _(
        "Use it when buying an AI application (a copilot, an assistant, an "
        "industry app): it weighs what buyers said they select applications on, "
        "measurable ROI first, then industry customization and price."
    ),
    "menlo-2024-llm-switching": _(
        "Use it when choosing or switching the model provider behind your "
        "applications: it weighs why enterprises switched models, security and "
        "safety, price, performance and expanded capabilities, in nearly equal "
        "parts."
    ),
    "menlo-2024-pilot-risks": _(
        "Use it to avoid a failed pilot: it weighs the reasons pilots failed "
        "(implementation costs, data privacy, disappointing ROI, hallucinations), "
        "so the tool least exposed to them ranks first."
    ),
}


def method_explanation(method: str) -> str:
    """Two sentences: what the method does and how its score is read."""
    what, score = METHODS[method]
    return f"{what} {score}"


def normalization_explanation(normalization: str | None) -> str:
    """One sentence on what the normalization does; PROMETHEE II's when None."""
    return str(NORMALIZATIONS[normalization or None])


def contribution_explanation(method: str) -> str:
    """What the per-criterion columns mean under the method; "" for VIKOR."""
    return str(CONTRIBUTIONS.get(method, ""))


def monte_carlo_explanation(
    samples: int, concentration: float | None, *, bounds: bool = False
) -> str:
    """How the weight draws were made: around the weights with the survey's sampling
    error when the run had a concentration (c = respondents - 1, see
    engine.survey_concentration), uniformly over all weight vectors otherwise."""
    case, values = _draws(samples, concentration)
    text = str(MONTE_CARLO[case]) % values
    return f"{text} {BOUNDS}" if bounds else text


def first_in_explanation(samples: int, concentration: float | None) -> str:
    """What the ranking's "First in" share counts, in the same two cases."""
    case, values = _draws(samples, concentration)
    return str(FIRST_IN[case]) % values


def _draws(samples: int, concentration: float | None) -> tuple[str, dict]:
    """Which case the draws were ("survey" or "uniform") and the numbers to say."""
    values = {"samples": number_format(samples, force_grouping=True)}
    if not concentration:
        return "uniform", values
    values["respondents"] = number_format(round(concentration) + 1, force_grouping=True)
    return "survey", values


def stability_explanation(method: str) -> str:
    """What a stability interval is, and how exact its ends are for the method."""
    return str(STABILITY["exact" if method in EXACT_STABILITY else "numerical"])


def profile_guidance(slug: str) -> str:
    """Which decision a built-in profile fits; "" for other profiles."""
    return str(PROFILE_GUIDANCE.get(slug, ""))


def builder_guide(profiles=()) -> dict:
    """What the evaluation builder says next to its choices: every method and
    normalization explained, which of ``profiles`` fits which decision, and how the
    weights become shares."""
    return {
        "methods": [
            {"label": label, "text": method_explanation(key)}
            for key, label in Method.choices
        ],
        "normalizations": [
            {"label": label, "text": normalization_explanation(key)}
            for key, label in Normalization.choices
            if key
        ],
        "default_normalization": str(DEFAULT_NORMALIZATION),
        "profiles": [
            {"name": localized(profile, "name"), "text": profile_guidance(profile.slug)}
            for profile in profiles
            if profile_guidance(profile.slug)
        ],
        "weight_shares": str(WEIGHT_SHARES),
    }


def run_explanations(inputs: dict, robustness: dict) -> dict:
    """The sentences that say what a run did, from its snapshot (``run.inputs``) and
    robustness output: its method, normalization, contributions, weight draws ("First
    in" and the Monte Carlo study), stability intervals and weight shares. The result
    page's hints and the report say these."""
    method, samples = inputs["method"], robustness.get("samples")
    normalization = inputs.get("normalization") or engine.default_normalization(method)
    concentration = robustness.get("concentration")
    return {
        "method": method_explanation(method),
        "normalization": normalization_explanation(normalization),
        "contributions": contribution_explanation(method),
        "monte_carlo": monte_carlo_explanation(
            samples, concentration, bounds=bool(inputs.get("bounds"))
        )
        if samples
        else "",
        "first_in": first_in_explanation(samples, concentration) if samples else "",
        "stability": stability_explanation(method),
        "weight_shares": str(WEIGHT_SHARES),
    }
