"""Tools CSV import: 5,000 rows with every score column, against peers in the same run.

    .venv/bin/python benchmarks/csv_import.py            # 5,000 rows, a 300 MB upload
    .venv/bin/python benchmarks/csv_import.py --quick    # 1,000 rows, a 50 MB upload

On a scratch database (a temporary SQLite file, or ``<name>_bench`` on the PostgreSQL
server that ``DATABASE_URL`` points at), in this one process, the same file of
``--rows`` tools, each with a value and both bounds on every criterion (9 x 3 score
columns, about 1.2 MB for 5,000 rows):

- preview: ``import_tools_csv(commit=False)`` into an empty workspace: every row
  checked, nothing written;
- import: the same with ``commit=True``: every tool and score created;
- re-import: the same file again: every tool and score updated;
- floor: ``csv.reader`` and the import's own bulk statements for the same tools and
  scores, with no check at all: the least an import can do;
- row by row: the path before issue 12 (``save_tool`` per row in a savepoint), on
  ``--old-rows`` rows (default 250) and scaled linearly to ``--rows``.

Then a ``--upload-mb`` upload (default 300 MB, over the 2 MB limit) is posted to
``/tools/import/`` through Django's WSGI handler from a file on disk, as a server would
stream it, with tracemalloc watching: it prints the peak memory the request added and
checks the answer is the form error naming the limit.

Prints wall-clock and CPU seconds (the two cores here are often shared: the CPU time
says what the import itself costs) and ratios; the target is an import of 5,000 rows
under 3 s.
"""

import argparse
import csv
import io
import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from benchmarks._scratch import scratch_database  # noqa: E402

TARGET_SECONDS = 3.0
PLAIN_STATIC = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=5000, help="tools in the file")
    parser.add_argument(
        "--old-rows", type=int, default=250, help="rows of the old path"
    )
    parser.add_argument("--upload-mb", type=int, default=300, help="oversized upload")
    parser.add_argument("--quick", action="store_true", help="1,000 rows, 50 MB")
    arguments = parser.parse_args()
    if arguments.quick:
        arguments.rows, arguments.old_rows, arguments.upload_mb = 1000, 100, 50
    return arguments


def make_csv(criteria, rows: int, start: int = 0) -> str:
    """``rows`` tools with a value and both bounds on every criterion."""
    header = ["name", "vendor", "category"]
    header += [f"{c.key}{end}" for c in criteria for end in ("", "_low", "_high")]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for number in range(start, start + rows):
        cells = [f"Tool {number:05d}", f"Vendor {number % 97}", "chat_assistant"]
        for criterion in criteria:
            low = criterion.scale_min if criterion.scale_min is not None else 0
            high = criterion.scale_max if criterion.scale_max is not None else 100
            value = low + (number * 7 + criterion.pk) % 97 / 96 * (high - low)
            cells += [f"{value:.3f}", f"{low:g}", f"{high:g}"]
        writer.writerow(cells)
    return out.getvalue()


def new_workspace(user, name: str):
    from selector.services.workspaces import create_workspace

    return create_workspace(user=user, name=name)


def timed(function) -> tuple[float, float]:
    """Wall-clock and CPU seconds of this process (the machine may be shared)."""
    started, cpu = time.perf_counter(), time.process_time()
    function()
    return time.perf_counter() - started, time.process_time() - cpu


def floor(workspace, criteria, text: str) -> None:
    """Parse and write the same tools and scores with the import's own bulk statements
    and no check at all: the least an import of this file can cost."""
    from django.db import transaction

    from selector.models import Tool
    from selector.services.tools import _upsert_scores

    reader = csv.reader(io.StringIO(text))
    header = next(reader)
    index = {column: number for number, column in enumerate(header)}
    with transaction.atomic():
        records = list(reader)
        tools = Tool.objects.bulk_create(
            Tool(workspace=workspace, name=r[0], vendor=r[1], category=r[2])
            for r in records
        )
        _upsert_scores(
            [
                (
                    tool.pk,
                    c.pk,
                    float(r[index[c.key]]),
                    float(r[index[f"{c.key}_low"]]),
                    float(r[index[f"{c.key}_high"]]),
                )
                for tool, r in zip(tools, records, strict=True)
                for c in criteria
            ]
        )


def row_by_row(user, workspace, rows) -> None:
    """The import before issue 12: ``save_tool`` for each row, in a savepoint."""
    from django.db import transaction

    from selector.services.tools import save_tool

    with transaction.atomic():
        for row in rows:
            with transaction.atomic():
                save_tool(
                    user=user,
                    workspace=workspace,
                    data=row.data,
                    scores={k: v for k, v in row.scores.items() if v is not None},
                )


def oversized_upload(user, megabytes: int) -> tuple[float, int, str]:
    """Post a ``megabytes`` file to the import page through the WSGI handler, streamed
    from disk; (seconds, peak bytes traced while Django handled it, the form error)."""
    from django.core.handlers.wsgi import WSGIHandler
    from django.test import Client, override_settings

    client = Client()
    client.force_login(user)
    session = client.cookies["sessionid"].value
    token = "t" * 32
    boundary = "BenchmarkBoundary"
    with tempfile.TemporaryFile() as body:
        body.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"'
            f"\r\n\r\n{token}\r\n--{boundary}\r\nContent-Disposition: form-data; "
            'name="file"; filename="big.csv"\r\nContent-Type: text/csv\r\n\r\n'
            "name,roi\r\n".encode()
        )
        line = b"A tool with a long name,3\r\n" * 4096
        for _ in range(megabytes * 1024 * 1024 // len(line)):
            body.write(line)
        body.write(f"\r\n--{boundary}--\r\n".encode())
        length = body.tell()
        body.seek(0)
        environ = {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": "/tools/import/",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8000",
            "HTTP_HOST": "127.0.0.1",
            "CONTENT_TYPE": f"multipart/form-data; boundary={boundary}",
            "CONTENT_LENGTH": str(length),
            "HTTP_COOKIE": f"sessionid={session}; csrftoken={token}",
            "wsgi.input": body,
            "wsgi.url_scheme": "http",
        }
        answer = {}
        handler = WSGIHandler()
        tracemalloc.start()
        started = time.perf_counter()
        # The page's static names without collectstatic's manifest (DEBUG is off).
        with override_settings(STORAGES=PLAIN_STATIC):
            content = b"".join(
                handler(environ, lambda status, headers: answer.update(s=status))
            )
        seconds = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    page = content.decode()
    error = (
        page.split("The file is ", 1)[1].split("</", 1)[0]
        if "The file is " in page
        else ""
    )
    assert answer["s"].startswith("200"), answer
    return seconds, peak, f"The file is {error}".replace("\xa0", " ")


def measure(arguments) -> None:
    from django.contrib.auth import get_user_model
    from django.db import connection

    from selector.models import Criterion, Score, Tool
    from selector.services.tool_csv import read_rows
    from selector.services.tools import import_tools_csv

    criteria = list(Criterion.objects.order_by("key"))
    user = get_user_model().objects.create_user("bench")
    text = make_csv(criteria, arguments.rows)
    n = arguments.rows
    print(
        f"{n} rows x {len(criteria)} criteria (value, low, high), "
        f"{len(text.encode()) / 1e6:.2f} MB; database {connection.vendor}, "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the start"
    )
    workspace = new_workspace(user, "Import")

    def run(commit):
        rows = import_tools_csv(
            user=user, workspace=workspace, source=text, commit=commit
        )
        assert not any(row.errors for row in rows), rows[0].errors

    preview = timed(lambda: run(False))
    created = timed(lambda: run(True))
    assert Score.objects.filter(tool__workspace=workspace).count() == n * len(criteria)
    updated = timed(lambda: run(True))
    bare = timed(lambda: floor(new_workspace(user, "Floor"), criteria, text))
    old_text = make_csv(criteria, arguments.old_rows)
    old_rows = read_rows(old_text, criteria)
    old = timed(lambda: row_by_row(user, new_workspace(user, "Old"), old_rows))
    old_scaled = tuple(seconds * n / arguments.old_rows for seconds in old)
    assert Tool.objects.count() == 2 * n + arguments.old_rows

    print(f"{'path':<34} {'seconds':>8} {'CPU s':>6} {'/floor':>7} {'old/this':>9}")
    for label, (seconds, cpu) in (
        ("preview (check every row)", preview),
        ("import (create)", created),
        ("re-import (update)", updated),
        ("floor: same writes, no check", bare),
        (f"row by row ({arguments.old_rows} rows, scaled)", old_scaled),
    ):
        print(
            f"{label:<34} {seconds:>8.2f} {cpu:>6.2f} {seconds / bare[0]:>6.1f}x "
            f"{old_scaled[0] / seconds:>8.0f}x"
        )
    for label, (seconds, _) in (("import", created), ("re-import", updated)):
        met = "met" if seconds < TARGET_SECONDS else "MISSED"
        print(f"  [{met}] {label} of {n} rows under {TARGET_SECONDS:g} s")
    print(f"load average {os.getloadavg()[0]:.1f} at the end")

    seconds, peak, error = oversized_upload(user, arguments.upload_mb)
    print(
        f"{arguments.upload_mb} MB upload: answered in {seconds:.1f} s, peak memory "
        f"traced while handling it {peak / 1024 / 1024:.1f} MB; {error!r}"
    )


def main() -> None:
    arguments = parse_arguments()
    database_url, drop = scratch_database()
    os.environ.update(  # as in production: DEBUG off (no query log)
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL=database_url,
        DEBUG="0",
        SECRET_KEY="benchmark-only-" + "k" * 50,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
        SESSION_COOKIE_SECURE="0",
        CSRF_COOKIE_SECURE="0",
        LOG_LEVEL="WARNING",
    )
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    try:
        call_command("migrate", verbosity=0, interactive=False)
        measure(arguments)
    finally:
        connections.close_all()
        drop()


if __name__ == "__main__":
    main()
