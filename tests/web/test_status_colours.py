"""A finished ("Done") batch or run is shown in green, a failed one in red; only what is
still going (or cancelled) keeps the amber caution colour."""

import re
from pathlib import Path
from types import SimpleNamespace

from django.conf import settings
from django.template.loader import render_to_string

CSS = (Path(settings.BASE_DIR) / "static" / "css" / "shortlist.css").read_text()


def rule(selector: str) -> str:
    match = re.search(re.escape(selector) + r"\s*\{([^}]*)\}", CSS)
    assert match, f"no rule for {selector}"
    return match.group(1)


def test_the_done_badge_of_a_batch_is_green():
    batch = SimpleNamespace(pk=1, status="done", get_status_display="Done")
    page = render_to_string(
        "selector/_batch_progress.html",
        {"batch": batch, "progress": {"finished": 2, "total": 2, "done": 2}},
    )
    assert '<span class="badge status-done">Done</span>' in page
    assert "var(--good)" in rule(".badge.status-done")


def test_a_done_run_is_announced_in_green_a_failed_one_in_red():
    for status, css_class, colour in (
        ("done", "notice-good", "var(--good)"),
        ("failed", "notice-bad", "var(--bad)"),
    ):
        run = SimpleNamespace(pk=7, status=status, get_status_display=status, error="")
        page = render_to_string("selector/_run_status.html", {"run": run})
        assert f'class="{css_class}"' in page
        assert colour in rule(f".{css_class}")
    run = SimpleNamespace(pk=7, status="running", get_status_display="Running")
    page = render_to_string("selector/_run_status.html", {"run": run})
    assert 'class="warning"' in page
