"""`makemessages` leaves nothing untranslated or fuzzy: every string marked in the
code has its French translation in locale/fr/LC_MESSAGES/django.po, and every
placeholder of an entry is in its translation (msgfmt --check)."""

import shutil
import subprocess
from pathlib import Path

from django.core.management import call_command
from django.test import override_settings

ROOT = Path(__file__).resolve().parents[1]
PO = ROOT / "locale" / "fr" / "LC_MESSAGES" / "django.po"
IGNORE = [".venv", "staticfiles", "node_modules", "tests", "benchmarks", "docs"]
# What `make messages` reads: the apps, the project package and the templates.
SOURCES = ["config", "selector", "survey", "templates"]


def test_every_marked_string_is_translated_and_none_is_fuzzy(tmp_path, monkeypatch):
    """makemessages runs on a copy: the project's code linked into a temporary
    directory whose own locale/ holds a copy of the .po (it writes beside the code)."""
    copy = tmp_path / "locale" / "fr" / "LC_MESSAGES"
    copy.mkdir(parents=True)
    shutil.copy(PO, copy / "django.po")
    for name in SOURCES:
        (tmp_path / name).symlink_to(ROOT / name)
    monkeypatch.chdir(tmp_path)
    with override_settings(LOCALE_PATHS=[tmp_path / "locale"]):
        call_command(
            "makemessages",
            locale=["fr"],
            ignore_patterns=IGNORE,
            symlinks=True,
            verbosity=0,
        )
    po = str(copy / "django.po")
    for flag in ("--untranslated", "--only-fuzzy"):
        left = subprocess.run(
            ["msgattrib", flag, "--no-obsolete", po],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert left == "", f"makemessages {flag}:\n{left[:3000]}"
    subprocess.run(["msgfmt", "--check", "-o", "/dev/null", po], check=True)
