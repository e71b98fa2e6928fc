"""The report's Markdown shows typed text literally: the ``md`` filter escapes what
Markdown would read as markup and folds line breaks, so a cell stays one cell."""

from selector.templatetags.markdown import md


def test_markup_characters_are_escaped():
    assert md("a|b *c* _d_ [e](f) <g> `h` ~i~ \\") == (
        "a\\|b \\*c\\* \\_d\\_ \\[e\\](f) \\<g\\> \\`h\\` \\~i\\~ \\\\"
    )


def test_line_breaks_fold_into_one_line():
    assert md("first line\nsecond\r\n\tthird") == "first line second third"


def test_plain_text_and_numbers_pass_unchanged():
    assert md("Copilot 4.5 (2024), 30% - fine.") == "Copilot 4.5 (2024), 30% - fine."
    assert md(3) == "3"
