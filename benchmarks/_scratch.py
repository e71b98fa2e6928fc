"""A throwaway database for one benchmark run (shared by the benchmarks, not one itself)."""

import os
import shutil
import tempfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg


def scratch_database(sqlite_options: str = "") -> tuple[str, callable]:
    """A database URL for this run and a function that removes it.

    ``<name>_bench`` on the PostgreSQL server that ``DATABASE_URL`` points at, with
    persistent connections as the README recommends for production; otherwise a
    temporary SQLite file (``sqlite_options``: its URL's query, e.g. a busy timeout).
    """
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        parts = urlsplit(url)
        name = f"{parts.path.lstrip('/') or 'shortlist'}_bench"
        admin = urlunsplit(parts._replace(path="/postgres", query=""))

        def drop():
            with psycopg.connect(admin, autocommit=True) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

        drop()
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        query = parts.query if "conn_max_age" in parts.query else "conn_max_age=60"
        return urlunsplit(parts._replace(path=f"/{name}", query=query)), drop
    directory = tempfile.mkdtemp(prefix="shortlist-bench-")
    path = Path(directory) / "bench.sqlite3"
    query = f"?{sqlite_options}" if sqlite_options else ""
    return (
        f"sqlite:///{path}{query}",
        lambda: shutil.rmtree(directory, ignore_errors=True),
    )
