"""The out-of-date notice of a result page: what changed in the evaluation since the
run it shows (``services.staleness``), each change as a sentence people read."""

from django.utils.translation import gettext_lazy as _

from selector.models import Evaluation, Run
from selector.services.staleness import changes_since

# One label per name of ``staleness.CHANGES`` (a test checks that none is missing).
CHANGE_LABELS = {
    "tools": _("The tools compared: one was added, removed or renamed."),
    "scores": _("A tool's score, or its low and high bounds."),
    "weights": _("The weights: another weight profile, or weights changed by hand."),
    "method": _("The ranking method."),
    "options": _("The ranking method's options."),
    "normalization": _("The normalization."),
    "missing_scores": _("How missing scores are treated."),
}


def stale_notice(evaluation: Evaluation, run: Run | None) -> dict | None:
    """The changes since ``run`` (a done run of ``evaluation``), None when there are
    none or no done run to compare with."""
    if run is None or run.status != Run.Status.DONE:
        return None
    changed = changes_since(evaluation, run.inputs)
    if not changed:
        return None
    return {
        "run": run.pk,
        "changes": [{"name": name, "label": CHANGE_LABELS[name]} for name in changed],
    }
