"""The decision report as PDF: the report page's own HTML through WeasyPrint.

WeasyPrint is given the report stylesheet as a file and fetches nothing: the HTML is
rendered without its <link> and every URL it might name (typed text never becomes
markup, but a report must not make the server fetch anything) is refused.
"""

import functools
import hashlib

from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.utils.translation import get_language
from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher

from selector.models import Run
from selector.presenters.report import report_html

STYLESHEET = "css/report.css"
# A done run never changes, so its PDF (a second or more of layout) is cached; the key
# also holds the names the report shows that live outside the run (the evaluation's,
# the workspace's, the author's), so renaming one makes a new PDF at once.
PDF_CACHE_SECONDS = 3600


class NoFetching(URLFetcher):
    """A URL fetcher that fetches nothing (the report needs no outside resource)."""

    def fetch(self, url, headers=None):
        raise ValueError(f"the report fetches no URL ({url})")


@functools.cache
def report_stylesheet() -> CSS:
    """The report's print stylesheet, parsed once per process."""
    return CSS(filename=finders.find(STYLESHEET), url_fetcher=NoFetching())


def html_to_pdf(html: str) -> bytes:
    """``html`` (the report page) as PDF bytes, laid out by the print stylesheet."""
    document = HTML(string=html, url_fetcher=NoFetching())
    return document.write_pdf(stylesheets=[report_stylesheet()])


def report_pdf(run: Run) -> bytes:
    """The PDF of a done run's report, laid out now."""
    return html_to_pdf(report_html(run, pdf=True))


def cached_report_pdf(run: Run) -> bytes:
    """The PDF of a done run's report, from the cache when it was made before."""
    author = run.created_by
    names = "\0".join(
        [
            run.evaluation.name,
            run.evaluation.workspace.name,
            author.get_full_name() + author.get_username() if author else "",
        ]
    )
    digest = hashlib.sha256(names.encode()).hexdigest()[:16]
    key = f"report:pdf:{run.pk}:{get_language() or ''}:{digest}"
    pdf = cache.get(key)
    if pdf is None:
        pdf = report_pdf(run)
        cache.set(key, pdf, timeout=PDF_CACHE_SECONDS)
    return pdf
