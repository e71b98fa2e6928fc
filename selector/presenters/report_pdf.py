"""The decision report as PDF: the report page's own HTML through WeasyPrint.

WeasyPrint is given the report stylesheet as a file and fetches nothing: the HTML is
rendered without its <link> and every URL it might name (typed text never becomes
markup, but a report must not make the server fetch anything) is refused.
"""

import functools

from django.contrib.staticfiles import finders
from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher

from selector.models import Run
from selector.presenters.report import report_html

STYLESHEET = "css/report.css"


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
    """The PDF of a done run's report."""
    return html_to_pdf(report_html(run, pdf=True))
