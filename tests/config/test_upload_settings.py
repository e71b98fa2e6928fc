"""The upload limits are settings: the import's size, and Django's two memory limits
set from it so the import's confirm step (the file's text posted back) always fits."""

from tests.config.test_settings import run_python

SHOW = (
    "from django.conf import settings as s\n"
    "print(s.TOOL_IMPORT_MAX_BYTES, s.TOOL_IMPORT_MAX_ROWS, "
    "s.FILE_UPLOAD_MAX_MEMORY_SIZE, s.DATA_UPLOAD_MAX_MEMORY_SIZE)"
)


def test_the_memory_limits_follow_the_import_limit():
    assert run_python(SHOW).stdout.split() == ["2097152", "5000", "2097152", "2621440"]
    result = run_python(SHOW, TOOL_IMPORT_MAX_BYTES="1000000")
    assert result.stdout.split() == ["1000000", "5000", "1000000", "1524288"]


def test_a_form_limit_below_the_import_limit_stops_start_up():
    result = run_python(
        SHOW, TOOL_IMPORT_MAX_BYTES="3000000", DATA_UPLOAD_MAX_MEMORY_SIZE="2621440"
    )
    assert result.returncode != 0
    assert "DATA_UPLOAD_MAX_MEMORY_SIZE=2621440 must be above" in result.stderr
