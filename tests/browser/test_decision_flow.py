"""The whole decision flow in a real browser: sign in, tools, CSV, evaluation, ranking."""

import os
import re
import tempfile
from pathlib import Path

import pytest

from selector.models import Tool
from tests.factories import PASSWORD, MembershipFactory, scored_tool

# `make screenshots` refreshes the README's pictures; other runs keep them in a temp dir.
SCREENSHOTS = (
    Path(__file__).resolve().parents[2] / "docs" / "screenshots"
    if os.environ.get("SAVE_SCREENSHOTS") == "1"
    else Path(tempfile.gettempdir()) / "shortlist-screenshots"
)

pytestmark = [
    pytest.mark.browser,
    # A real server thread needs committed data (see ``published_data``).
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("published_data"),
]


def shoot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def ranking_names(page, table: str) -> list[str]:
    return page.locator(f"{table} tbody tr td:nth-child(2)").all_inner_texts()


def test_a_decision_maker_ranks_tools_from_sign_in_to_robustness(
    live_server, page, tmp_path
):
    membership = MembershipFactory(
        user__username="dana", workspace__name="IT procurement"
    )
    scored_tool(
        membership.workspace, "B-Assist", roi=3, industry_customization=5, price=20
    )
    scored_tool(
        membership.workspace, "C-Copilot", roi=5, industry_customization=2, price=60
    )
    url = live_server.url

    # Sign in.
    page.goto(f"{url}/accounts/login/")
    page.fill("#id_username", "dana")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{url}/")
    assert "IT procurement" in page.inner_text("h1")

    # Add a tool and score it; a bad score is shown next to its field first.
    page.goto(f"{url}/tools/new/")
    page.fill("#id_name", "A-Search")
    page.fill("#id_score_roi", "9")
    page.click("button:has-text('Save')")
    assert "must be at most 5" in page.inner_text("#id_score_roi-error")
    assert page.input_value("#id_name") == "A-Search"
    page.fill("#id_score_roi", "4")
    page.fill("#id_score_industry_customization", "3")
    page.fill("#id_score_price", "30")
    page.click("button:has-text('Save')")
    page.wait_for_url(f"{url}/tools/")
    assert "A-Search" in page.inner_text("#tools")
    shoot(page, "tools")

    # Import a CSV with a bad row: rejected, nothing imported. Then a good one.
    bad = tmp_path / "bad.csv"
    bad.write_text("name,roi,price\nD-Bot,4,25\nE-Bot,seven,10\n")
    page.goto(f"{url}/tools/import/")
    page.set_input_files("#id_file", str(bad))
    page.click("button:has-text('Check the file')")
    assert "Line 3: roi:" in page.inner_text("#import-preview")
    assert page.locator("#confirm-import").count() == 0
    assert not Tool.objects.filter(name="D-Bot").exists()
    good = tmp_path / "good.csv"
    good.write_text("name,roi,industry_customization,price\nD-Bot,2,2,25\n")
    page.set_input_files("#id_file", str(good))
    page.click("button:has-text('Check the file')")
    page.click("#confirm-import")
    page.wait_for_url(f"{url}/tools/")
    assert "D-Bot" in page.inner_text("#tools")

    # Score grid shows every tool against the profile's criteria.
    page.goto(f"{url}/tools/scores/")
    assert page.locator("#score-grid tbody tr").count() == 4
    shoot(page, "scores")

    # Build the evaluation from the survey profile and run it.
    page.goto(f"{url}/evaluations/new/")
    page.fill("#id_name", "Assistant for everyone")
    assert page.is_checked("text=D-Bot")
    share = page.locator("output.share").first.inner_text()
    assert share.endswith("%")
    shoot(page, "builder")
    page.click("button:has-text('Save and run')")
    page.wait_for_url(re.compile(r".*/runs/\d+/$"))
    page.wait_for_selector("#ranking-table")
    # Min-max WSM, weights 30/26/1: B 37/57, C 30/57, A 29.4/57, D 0.9/57.
    assert ranking_names(page, "#ranking-table") == [
        "B-Assist",
        "C-Copilot",
        "A-Search",
        "D-Bot",
    ]
    assert "stays first" in page.inner_text("#stability")
    page.wait_for_function("document.querySelector('#acceptability-chart').width > 0")
    shoot(page, "result")

    # Move a weight: the preview re-ranks at once, saving re-runs with the new weights.
    # Without industry customisation, C-Copilot's ROI wins.
    page.locator("#w-industry_customization").fill("0")
    page.wait_for_selector("#preview-table")
    assert ranking_names(page, "#preview-table")[0] == "C-Copilot"
    page.click("#save-weights")
    page.wait_for_url(re.compile(r".*/runs/\d+/$"))
    assert ranking_names(page, "#ranking-table")[0] == "C-Copilot"


def test_another_workspace_is_invisible_in_the_browser(live_server, page):
    MembershipFactory(user__username="eve")
    other = MembershipFactory()
    secret = scored_tool(other.workspace, "Secret tool", roi=3)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "eve")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    response = page.goto(f"{live_server.url}/tools/{secret.pk}/")
    assert response.status == 404
    page.goto(f"{live_server.url}/tools/")
    assert "Secret tool" not in page.content()


def test_the_builder_shows_only_the_chosen_methods_options(live_server, page):
    membership = MembershipFactory(user__username="fay")
    for name, roi, price in [("Cheap", 3, 10), ("Costly", 4, 90)]:
        scored_tool(
            membership.workspace, name, roi=roi, industry_customization=3, price=price
        )
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "fay")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/evaluations/new/")
    page.fill("#id_name", "Outranking")
    assert not page.is_visible("#id_vikor_v")
    assert not page.is_visible("#id_preference")
    page.select_option("#id_method", "vikor")
    assert page.is_visible("#id_vikor_v") and not page.is_visible("#id_preference")
    page.select_option("#id_method", "promethee2")
    assert page.is_visible("#id_preference") and not page.is_visible("#id_vikor_v")
    thresholds = page.locator(".weight-group:not([hidden]) input.threshold")
    assert thresholds.count() == 6  # q and p for each of the profile's 3 criteria
    page.select_option("#id_preference", "vshape")
    for criterion, p in [
        ("roi", "1"),
        ("industry_customization", "1"),
        ("price", "20"),
    ]:
        thresholds.and_(page.locator(f"[name^='p_'][name$='_{criterion}']")).fill(p)
    page.click("button:has-text('Save and run')")
    page.wait_for_url(re.compile(r".*/runs/\d+/$"))
    assert "PROMETHEE II (vshape preference, threshold p)" in page.inner_text("h2")
