"""Where a person chooses a method, a normalization or a profile, the page says in
plain words what each does and which built-in profile fits which decision (issue 13
items 3 and 4); where weights and survey shares stand together, it says the shares
were rescaled to add up to 100% (item 10)."""

import pytest

from selector.presenters import explanations

pytestmark = pytest.mark.django_db

BUILTINS = {
    "menlo-2024-app-selection": "buying an AI application",
    "menlo-2024-llm-switching": "switching the model provider",
    "menlo-2024-pilot-risks": "avoid a failed pilot",
}


def _section(page: str, id_: str, end: str) -> str:
    return page.split(f'id="{id_}"')[1].split(end)[0]


def test_the_builder_explains_every_method_and_normalization(member_client):
    page = member_client.get("/evaluations/new/").content.decode()

    methods = _section(page, "method-help", "</details>")
    for key in ("wsm", "wpm", "topsis", "vikor", "promethee2"):
        assert explanations.method_explanation(key).replace("'", "&#x27;") in methods
    normalizations = _section(page, "normalization-help", "</details>")
    assert "the lowest candidate gets 0 on that criterion" in normalizations
    for key in ("vector", "sum", "max"):
        text = explanations.normalization_explanation(key).replace("'", "&#x27;")
        assert text in normalizations
    assert "vector for TOPSIS" in normalizations


def test_the_builder_says_which_profile_fits_which_decision(member_client):
    page = member_client.get("/evaluations/new/").content.decode()

    guide = _section(page, "profile-help", "</div>")
    for words in BUILTINS.values():
        assert words in guide
    assert "rescaled to add up to 100%" in _section(page, "weight-shares-help", "</p>")


def test_the_profile_list_shows_the_guidance_beside_each_builtin(member_client):
    page = member_client.get("/profiles/").content.decode()

    rows = page.split('id="profiles"')[1].split("<tr>")[2:]
    for slug, words in BUILTINS.items():
        row = next(row for row in rows if f"/profiles/{slug}/" in row)
        assert words in row


@pytest.mark.parametrize("slug", BUILTINS)
def test_a_profile_page_shows_its_guidance_and_says_shares_are_rescaled(
    member_client, slug
):
    page = member_client.get(f"/profiles/{slug}/").content.decode()

    assert BUILTINS[slug] in _section(page, "profile-guidance", "</p>")
    assert "rescaled to add up to 100%" in page


def test_the_app_selection_profile_shows_30_as_a_53_percent_share(member_client):
    """ROI's survey figure 30 of 30 + 26 + 1 = 57 is a 52.6% share: both appear, and
    the sentence under the table says why they differ."""
    page = member_client.get("/profiles/menlo-2024-app-selection/").content.decode()

    table = _section(page, "weights", "</table>")
    roi = next(row for row in table.split("<tr>") if "Measurable ROI" in row)
    assert "52.6%" in roi and "= 30 " in roi
