"""The decision report's PDF of a 20-tool evaluation, against peers in the same run.

    .venv/bin/python benchmarks/report.py            # 10 PDFs
    .venv/bin/python benchmarks/report.py --quick    # 3 PDFs

On a scratch database (a temporary SQLite file, or ``<name>_bench`` on the PostgreSQL
server that ``DATABASE_URL`` points at), in this one process, a done run of 20 tools
scored on every built-in criterion (9), weighted by their survey figures, each score
with bounds and one in three with an evidence note, is turned into:

- pdf: ``report_pdf(run)``, what ``/runs/<id>/report.pdf`` answers: the report's
  context from the run, its HTML, and WeasyPrint's layout and PDF;
- html: ``report_html(run)`` only (context and template, no layout): the page;
- plain page: WeasyPrint writing a one-page PDF of a heading and three paragraphs
  with the same stylesheet: the least a WeasyPrint PDF costs.

Each is timed ``--repeat`` times after one warm-up (the first PDF also loads fonts);
prints the median wall-clock and CPU seconds (the two cores here are often shared: the
CPU time says what the report itself costs), the pdf's page count and size, and the
ratios. The target is a PDF under 2 s.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from benchmarks._scratch import scratch_database  # noqa: E402

TOOLS = 20
PLAIN_STATIC = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
TARGET_SECONDS = 2.0
PLAIN_PAGE = (
    "<!doctype html><html><body class='report'><h1>A plain page</h1>"
    + "<p>Shortlist ranks enterprise AI tools against survey-grounded criteria.</p>" * 3
    + "</body></html>"
)


def prepare(database_url: str):
    """Migrate, then a done run of 20 tools scored (with bounds) on every criterion,
    under a profile weighing each criterion by its survey figure."""
    import django

    os.environ["DATABASE_URL"] = database_url
    django.setup()
    from django.core.management import call_command

    from selector import selectors
    from selector.models import Criterion, Weight, WeightProfile
    from selector.services.evaluations import save_evaluation
    from selector.services.runs import start_run
    from selector.services.tools import save_tool
    from selector.services.workspaces import create_workspace
    from tests.factories import UserFactory

    call_command("migrate", verbosity=0)
    user = UserFactory(username="bench", first_name="Bench", last_name="Mark")
    workspace = create_workspace(user=user, name="Benchmark")
    criteria = list(Criterion.objects.select_related("benchmark").order_by("key"))
    profile = WeightProfile.objects.create(
        slug="bench-every-criterion", name="Every criterion, from the survey"
    )
    Weight.objects.bulk_create(
        Weight(
            profile=profile,
            criterion=c,
            benchmark=c.benchmark,
            value=c.benchmark.value if c.benchmark else 10.0,
        )
        for c in criteria
    )
    tools = [
        save_tool(
            user=user,
            workspace=workspace,
            data={"name": f"Tool {i:02}", "vendor": f"Vendor {i % 7}"},
            scores={c.key: score(c, i, j) for j, c in enumerate(criteria, start=1)},
        )
        for i in range(TOOLS)
    ]
    evaluation = save_evaluation(
        user=user,
        workspace=workspace,
        name="Twenty tools",
        profile=profile,
        tools=tools,
    )
    run = start_run(user=user, evaluation=evaluation)  # eager: done on commit
    run = selectors.report_runs(user).get(pk=run.pk)
    assert run.status == "done", run.error
    return run, len(criteria)


def score(criterion, i: int, j: int) -> dict:
    """Tool i's score on criterion j: a value inside the scale, bounds around it."""
    if criterion.scale_min is not None and criterion.scale_max is not None:
        low, high = criterion.scale_min, criterion.scale_max
    else:
        low, high = 5.0, 60.0
    value = low + ((i * (j + 3)) % 17) / 16 * (high - low)
    evidence = f"Vendor sheet {i}-{j}, checked in the pilot" if (i + j) % 3 == 0 else ""
    return {
        "value": round(value, 2),
        "low": round(max(low, value - (high - low) / 10), 2),
        "high": round(min(high, value + (high - low) / 10), 2),
        "evidence": evidence,
    }


def timed(function, repeat: int) -> tuple[float, float, object]:
    """Median wall-clock and CPU seconds of ``repeat`` calls after a warm-up."""
    result = function()
    walls, cpus = [], []
    for _ in range(repeat):
        started, cpu = time.perf_counter(), time.process_time()
        result = function()
        walls.append(time.perf_counter() - started)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus), result


def measure(run, criteria: int, repeat: int) -> None:
    from django.test import override_settings
    from weasyprint import HTML

    from selector.presenters.report import report_html
    from selector.presenters.report_pdf import (
        html_to_pdf,
        report_pdf,
        report_stylesheet,
    )

    def page():
        # The page's static names without collectstatic's manifest (DEBUG is off).
        with override_settings(STORAGES=PLAIN_STATIC):
            return report_html(run)

    rows = {
        "pdf: report_pdf(run)": timed(lambda: report_pdf(run), repeat),
        "html: report_html(run)": timed(page, repeat),
        "plain page: WeasyPrint, 1 page": timed(
            lambda: html_to_pdf(PLAIN_PAGE), repeat
        ),
    }
    pdf = rows["pdf: report_pdf(run)"]
    plain = rows["plain page: WeasyPrint, 1 page"]
    print(f"{TOOLS} tools x {criteria} criteria, median of {repeat} after a warm-up")
    print(f"{'path':<34} {'seconds':>8} {'CPU s':>6} {'pdf/this':>9}")
    for label, (wall, cpu, _) in rows.items():
        print(f"{label:<34} {wall:8.3f} {cpu:6.3f} {pdf[0] / wall:9.1f}")
    pages = len(
        HTML(string=report_html(run, pdf=True))
        .render(stylesheets=[report_stylesheet()])
        .pages
    )
    print(f"the pdf: {pages} pages, {len(pdf[2]) / 1024:.0f} KiB")
    print(
        f"the report's own layout costs {pdf[0] - plain[0]:.3f} s over a plain page "
        f"(x{pdf[0] / plain[0]:.1f})"
    )
    met = "ok" if pdf[0] < TARGET_SECONDS else "MISSED"
    print(f"  [{met}] a {TOOLS}-tool report's PDF under {TARGET_SECONDS:g} s")
    print(f"load average {os.getloadavg()[0]:.1f} at the end")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=10, help="PDFs timed")
    parser.add_argument("--quick", action="store_true", help="3 PDFs")
    arguments = parser.parse_args()
    repeat = 3 if arguments.quick else arguments.repeat
    os.environ.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="0",
        SECRET_KEY="benchmark-only-" + "k" * 50,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
        CELERY_BROKER_URL="",
        LOG_LEVEL="WARNING",
    )
    database_url, drop = scratch_database()
    try:
        run, criteria = prepare(database_url)
        measure(run, criteria, repeat)
    finally:
        drop()


if __name__ == "__main__":
    main()
