"""`manage.py load_surveys`: idempotent, updates in place, all-or-nothing on bad files."""

import io
import json
import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from survey.models import Benchmark, Survey
from survey.services import DATA_DIR
from tests.conftest import require_services

pytestmark = pytest.mark.django_db

SHARED_DATA = Path(__file__).resolve().parents[3] / "shared" / "surveys"


@pytest.fixture
def data_dir(tmp_path) -> Path:
    """A copy of the shipped survey files that a test may change."""
    directory = tmp_path / "data"
    shutil.copytree(DATA_DIR, directory)
    return directory


def edit(path: Path, change) -> None:
    document = json.loads(path.read_text())
    change(document)
    path.write_text(json.dumps(document))


def snapshot() -> list[tuple]:
    return list(
        Benchmark.objects.order_by("pk").values_list(
            "pk", "survey__slug", "category", "key", "value", "label"
        )
    )


def load(directory: Path) -> None:
    call_command("load_surveys", directory=directory, stdout=io.StringIO())


def test_a_fresh_database_has_the_menlo_app_selection_figures():
    figures = dict(
        Benchmark.objects.filter(
            survey__slug="menlo-2024", category="app_selection_criteria"
        ).values_list("key", "value")
    )
    assert figures == {"roi": 30, "industry_customization": 26, "price": 1}
    assert Survey.objects.get(slug="menlo-2024").respondents == 600


def test_the_shipped_files_are_the_shared_survey_data():
    if not SHARED_DATA.is_dir():
        if require_services():  # CI always has ../shared beside the clone
            pytest.fail(
                f"REQUIRE_SERVICES=1 but {SHARED_DATA} is not beside the project"
            )
        pytest.skip(f"{SHARED_DATA} is not beside the project")
    shipped = sorted(path.name for path in DATA_DIR.glob("*.json"))
    assert shipped == sorted(path.name for path in SHARED_DATA.glob("*.json"))
    for name in shipped:  # byte for byte: the files ship as they are
        assert (DATA_DIR / name).read_bytes() == (SHARED_DATA / name).read_bytes()


def test_every_shipped_figure_is_loaded_with_its_evidence():
    expected = sum(
        len(json.loads(path.read_text())["figures"]) for path in DATA_DIR.glob("*.json")
    )
    assert Survey.objects.count() == 5
    assert Benchmark.objects.count() == expected
    shared = json.loads((DATA_DIR / "menlo-2024.json").read_text())["figures"][0]
    roi = Benchmark.objects.get(survey__slug="menlo-2024", key="roi")
    assert (roi.evidence, roi.evidence_level) == (shared["evidence"], "press")
    assert (roi.label_fr, roi.evidence_fr) == (
        shared["label_fr"],
        shared["evidence_fr"],
    )


def test_a_survey_keeps_its_evidence_levels_note_and_french_twins():
    shared = json.loads((DATA_DIR / "menlo-2024.json").read_text())
    menlo = Survey.objects.get(slug="menlo-2024")
    assert menlo.evidence_levels == shared["evidence_levels"]
    assert set(menlo.evidence_levels) == {"quoted", "press", "secondary", "single"}
    assert menlo.evidence_levels_fr == shared["evidence_levels_fr"]
    assert (menlo.note, menlo.note_fr) == (shared["note"], shared["note_fr"])
    assert (menlo.title_fr, menlo.population_fr) == (
        shared["title_fr"],
        shared["population_fr"],
    )
    assert menlo.evidence_legend()[0] == ("quoted", shared["evidence_levels"]["quoted"])
    assert not Benchmark.objects.filter(evidence_level="").exists()


def test_running_it_twice_keeps_the_same_rows(data_dir):
    load(data_dir)
    before = snapshot()
    load(data_dir)
    assert snapshot() == before


def test_it_reports_what_it_changed(data_dir):
    out = io.StringIO()
    call_command("load_surveys", directory=data_dir, stdout=out)
    assert "63 unchanged" in out.getvalue()


def test_a_changed_figure_is_updated_not_duplicated(data_dir):
    def raise_roi(document):
        document["figures"][0]["value"] = 31

    roi_before = Benchmark.objects.get(survey__slug="menlo-2024", key="roi")
    count_before = Benchmark.objects.count()
    edit(data_dir / "menlo-2024.json", raise_roi)
    load(data_dir)
    roi_after = Benchmark.objects.get(survey__slug="menlo-2024", key="roi")
    assert (roi_after.pk, roi_after.value) == (roi_before.pk, 31)
    assert Benchmark.objects.count() == count_before


def test_a_figure_removed_from_its_file_is_removed(data_dir):
    def drop_price(document):
        document["figures"] = [f for f in document["figures"] if f["key"] != "price"]

    edit(data_dir / "menlo-2024.json", drop_price)
    load(data_dir)
    keys = set(
        Benchmark.objects.filter(survey__slug="menlo-2024").values_list(
            "category", "key"
        )
    )
    assert ("app_selection_criteria", "price") not in keys
    assert ("llm_switching_motivations", "price") not in keys
    assert ("app_selection_criteria", "roi") in keys


def test_a_new_survey_file_is_added(data_dir):
    document = json.loads((data_dir / "a16z-2024.json").read_text())
    document["slug"] = "example-2026"
    (data_dir / "example-2026.json").write_text(json.dumps(document))
    load(data_dir)
    assert Benchmark.objects.filter(survey__slug="example-2026").count() == 3


def break_value(document):
    document["figures"][2]["value"] = "one percent"


def drop_label(document):
    del document["figures"][1]["label"]


def drop_unit_of_first(document):
    del document["figures"][0]["unit"]


def bad_date(document):
    document["published"] = "November 2024"


def boolean_value(document):
    document["figures"][0]["value"] = True


def unknown_level(document):
    document["figures"][1]["evidence_level"] = "confirmed"


def no_level(document):
    del document["figures"][2]["evidence_level"]


def unexplained_level(document):
    del document["evidence_levels"]["press"]


def unknown_level_explained(document):
    document["evidence_levels"]["rumour"] = "heard somewhere"


def no_levels(document):
    del document["evidence_levels"]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            break_value,
            ["menlo-2024.json", "figure 3", "'price'", "'value'", "one percent"],
        ),
        (
            drop_label,
            ["menlo-2024.json", "figure 2", "'industry_customization'", "'label'"],
        ),
        (drop_unit_of_first, ["menlo-2024.json", "figure 1", "'roi'", "'unit'"]),
        (bad_date, ["menlo-2024.json", "'published'", "November 2024"]),
        (boolean_value, ["menlo-2024.json", "figure 1", "'value'", "not a number"]),
        (
            unknown_level,
            [
                "menlo-2024.json",
                "figure 2",
                "'industry_customization'",
                "'evidence_level' = 'confirmed'",
                "quoted, press, secondary, single",
            ],
        ),
        (no_level, ["menlo-2024.json", "figure 3", "'price'", "'evidence_level'"]),
        (
            unexplained_level,
            ["menlo-2024.json", "figure 1", "'roi'", "'press'", "'evidence_levels'"],
        ),
        (
            unknown_level_explained,
            ["menlo-2024.json", "'evidence_levels'", "'rumour'"],
        ),
        (no_levels, ["menlo-2024.json", "missing field 'evidence_levels'"]),
    ],
)
def test_a_malformed_figure_is_named_and_nothing_is_written(data_dir, change, expected):
    # A valid change in another file must not be written either: one transaction.
    edit(data_dir / "a16z-2025.json", lambda d: d["figures"][0].update(value=99))
    edit(data_dir / "menlo-2024.json", change)
    before = snapshot()
    with pytest.raises(CommandError) as error:
        load(data_dir)
    for fragment in expected:
        assert fragment in str(error.value)
    assert "Nothing was loaded" in str(error.value)
    assert snapshot() == before


def test_a_file_that_is_not_json_is_named(data_dir):
    (data_dir / "menlo-2025.json").write_text('{"slug": "menlo-2025", ')
    before = snapshot()
    with pytest.raises(
        CommandError, match=r"menlo-2025\.json: not valid JSON \(line 1"
    ):
        load(data_dir)
    assert snapshot() == before


def test_a_file_without_figures_names_the_missing_field(data_dir):
    edit(data_dir / "a16z-2024.json", lambda d: d.pop("figures"))
    with pytest.raises(CommandError, match=r"a16z-2024\.json: missing field 'figures'"):
        load(data_dir)


def test_a_duplicated_figure_key_is_refused(data_dir):
    edit(
        data_dir / "a16z-2024.json",
        lambda d: d["figures"].append(dict(d["figures"][0])),
    )
    with pytest.raises(CommandError, match="duplicate key 'avg_budget_2024'"):
        load(data_dir)


def test_an_empty_directory_is_refused(tmp_path):
    with pytest.raises(CommandError, match="no survey files"):
        load(tmp_path)
