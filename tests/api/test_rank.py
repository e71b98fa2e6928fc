"""Stateless ranking: POST /api/v1/rank/ scores the data sent and stores nothing."""

import math
from types import SimpleNamespace

import numpy as np
import pytest

from selector import engine
from selector.models import Run, Tool
from selector.services.ranking import MAX_ALTERNATIVES, MAX_CRITERIA
from tests.factories import UserFactory, api_client

pytestmark = pytest.mark.django_db

CRITERIA = [
    {"key": "roi", "direction": "benefit", "weight": 30},
    {"key": "industry_customization", "direction": "benefit", "weight": 26},
    {"key": "price", "direction": "cost", "weight": 1},
]
ALTERNATIVES = [
    {"name": "A", "values": {"roi": 4, "industry_customization": 3, "price": 30}},
    {"name": "B", "values": {"roi": 5, "industry_customization": 2, "price": 25}},
    {"name": "C", "values": {"roi": 2, "industry_customization": 5, "price": 10}},
    {"name": "D", "values": {"roi": 3, "industry_customization": 3, "price": 40}},
]


@pytest.fixture
def api():
    return api_client(UserFactory())


def request_body(**extra):
    return {"criteria": CRITERIA, "alternatives": ALTERNATIVES, **extra}


def arrays():
    X = np.array(
        [[a["values"][c["key"]] for c in CRITERIA] for a in ALTERNATIVES], float
    )
    w = np.array([c["weight"] for c in CRITERIA], float)
    benefit = np.array([c["direction"] == "benefit" for c in CRITERIA])
    return X, w / w.sum(), benefit


def textbook_wsm():
    X, w, benefit = arrays()
    lo, hi = X.min(axis=0), X.max(axis=0)
    norm = np.where(benefit, (X - lo) / (hi - lo), (hi - X) / (hi - lo))
    return norm @ w


def textbook_topsis():
    X, w, benefit = arrays()
    V = X / np.sqrt((X**2).sum(axis=0)) * w
    ideal = np.where(benefit, V.max(axis=0), V.min(axis=0))
    anti = np.where(benefit, V.min(axis=0), V.max(axis=0))
    plus = np.sqrt(((V - ideal) ** 2).sum(axis=1))
    minus = np.sqrt(((V - anti) ** 2).sum(axis=1))
    return minus / (plus + minus)


@pytest.mark.parametrize(
    ("method", "normalization", "expected"),
    [("wsm", "minmax", textbook_wsm), ("topsis", "vector", textbook_topsis)],
)
def test_it_ranks_like_an_independent_computation(api, method, normalization, expected):
    response = api.post(
        "/api/v1/rank/", request_body(method=method, normalization=normalization)
    )
    assert response.status_code == 200, response.json()
    ranking = response.json()["ranking"]
    scores = dict(zip([a["name"] for a in ALTERNATIVES], expected(), strict=True))
    assert [row["name"] for row in ranking] == sorted(
        scores, key=scores.get, reverse=True
    )
    assert [row["rank"] for row in ranking] == [1, 2, 3, 4]
    for row in ranking:
        assert row["score"] == pytest.approx(scores[row["name"]])
        assert set(row["contributions"]) == {c["key"] for c in CRITERIA}


def test_wsm_contributions_add_up_to_the_score(api):
    ranking = api.post("/api/v1/rank/", request_body(method="wsm")).json()["ranking"]
    for row in ranking:
        assert sum(row["contributions"].values()) == pytest.approx(row["score"])


@pytest.mark.parametrize("method", ["wsm", "wpm", "topsis", "vikor", "promethee2"])
def test_every_method_ranks_with_its_default_normalization(api, method):
    response = api.post("/api/v1/rank/", request_body(method=method))
    assert response.status_code == 200, response.json()
    assert sorted(row["rank"] for row in response.json()["ranking"])[0] == 1


def test_it_stores_nothing(api):
    api.post("/api/v1/rank/", request_body())
    assert not Run.objects.exists()
    assert not Tool.objects.exists()


def bad(**changes):
    body = request_body()
    body["alternatives"] = [dict(a, values=dict(a["values"])) for a in ALTERNATIVES]
    body["criteria"] = [dict(c) for c in CRITERIA]
    for path, value in changes.items():
        target = body
        *parents, last = path.split("__")
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        if value is KeyError:
            del target[last]
        else:
            target[int(last) if last.isdigit() else last] = value
    return body


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (bad(alternatives__1__values__roi="high"), "alternatives.1.values.roi"),
        (bad(alternatives__1__values__roi=None), "alternatives.1.values.roi"),
        (bad(alternatives__1__values__roi=True), "alternatives.1.values.roi"),
        (bad(alternatives__1__values__roi=KeyError), "alternatives.1.values.roi"),
        (bad(alternatives__2__values__speed=3), "alternatives.2.values.speed"),
        (bad(alternatives__3__name="a"), "alternatives.3.name"),
        (bad(alternatives__0__name=""), "alternatives.0.name"),
        (bad(alternatives__0__values=[1, 2, 3]), "alternatives.0.values"),
        (bad(alternatives=ALTERNATIVES[:1]), "alternatives"),
        (bad(alternatives="A,B"), "alternatives"),
        (bad(criteria__0__weight=-1), "criteria.0.weight"),
        (bad(criteria__0__weight="x"), "criteria.0.weight"),
        (bad(criteria__0__direction="up"), "criteria.0.direction"),
        (bad(criteria__2__key="roi"), "criteria.2.key"),
        (bad(criteria__0__key="no spaces"), "criteria.0.key"),
        (bad(criteria=[]), "criteria"),
        (bad(method="magic"), "method"),
        (bad(normalization="log"), "normalization"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(api, body, field):
    response = api.post("/api/v1/rank/", body)
    assert response.status_code == 400, response.json()
    assert field in [e["field"] for e in response.json()["errors"]], response.json()
    assert response.json()["detail"]


def test_all_zero_weights_are_a_400(api):
    body = request_body(criteria=[dict(c, weight=0) for c in CRITERIA])
    response = api.post("/api/v1/rank/", body)
    assert response.status_code == 400
    assert response.json()["errors"][0] == {
        "field": "criteria",
        "message": "At least one weight must be above zero.",
    }


def test_an_engine_refusal_is_a_400_with_its_message(api):
    # PROMETHEE II works on raw values and takes no normalization.
    response = api.post(
        "/api/v1/rank/", request_body(method="promethee2", normalization="vector")
    )
    assert response.status_code == 400
    assert "normalization" in response.json()["detail"]


def test_malformed_json_is_a_400(api):
    response = api.post("/api/v1/rank/", data="{nope", content_type="application/json")
    assert response.status_code == 400
    assert "JSON" in response.json()["detail"]


def test_too_many_alternatives_is_a_413(api):
    alternatives = [
        {"name": f"T{i}", "values": {"roi": 1}} for i in range(MAX_ALTERNATIVES + 1)
    ]
    body = {"criteria": CRITERIA[:1], "alternatives": alternatives}
    response = api.post("/api/v1/rank/", body)
    assert response.status_code == 413
    assert "10,000" in response.json()["detail"]


def test_too_many_criteria_is_a_413(api):
    criteria = [
        {"key": f"c{j}", "direction": "benefit", "weight": 1}
        for j in range(MAX_CRITERIA + 1)
    ]
    response = api.post("/api/v1/rank/", {"criteria": criteria, "alternatives": []})
    assert response.status_code == 413
    assert "100" in response.json()["detail"]


def test_it_ranks_a_thousand_alternatives_on_twenty_criteria(api):
    rng = np.random.default_rng(1)
    criteria = [
        {"key": f"c{j}", "direction": "benefit", "weight": 1} for j in range(20)
    ]
    alternatives = [
        {"name": f"T{i}", "values": {f"c{j}": float(v) for j, v in enumerate(row)}}
        for i, row in enumerate(rng.random((1000, 20)))
    ]
    response = api.post(
        "/api/v1/rank/", {"criteria": criteria, "alternatives": alternatives}
    )
    assert response.status_code == 200
    assert len(response.json()["ranking"]) == 1000


def test_it_needs_authentication():
    assert api_client().post("/api/v1/rank/", request_body()).status_code == 401


@pytest.mark.parametrize("size", [3, 30])
def test_it_takes_a_bounded_number_of_queries(api, size, django_assert_max_num_queries):
    alternatives = [
        {
            "name": f"T{i}",
            "values": {
                "roi": i % 5 + 1,
                "industry_customization": i % 3 + 1,
                "price": 10 + i,
            },
        }
        for i in range(size)
    ]
    with django_assert_max_num_queries(1):  # the token
        response = api.post(
            "/api/v1/rank/", {"criteria": CRITERIA, "alternatives": alternatives}
        )
    assert response.status_code == 200, response.json()
    assert len(response.json()["ranking"]) == size, response.json()
    assert {row["name"] for row in response.json()["ranking"]} == {
        f"T{i}" for i in range(size)
    }


def test_weights_too_large_to_add_up_are_a_400(api):
    criteria = [dict(c, weight=1e308) for c in CRITERIA]
    response = api.post("/api/v1/rank/", request_body(criteria=criteria))
    assert response.status_code == 400
    assert "too large" in response.json()["detail"]


# A's price and B's ROI are 1e308: B leads on ROI, A is the dearest by far. Under WPM
# the other tools' ratios to 1e308 underflow to zero, which the engine refuses.
NEAR_THE_LIMIT = {
    "wsm": ["B", "C", "D", "A"],
    "wpm": "WPM multiplies ratios of values, so they must be positive",
    "topsis": ["B", "C", "D", "A"],
    "vikor": ["B", "C", "D", "A"],
    "promethee2": ["A", "B", "C", "D"],
}


@pytest.mark.parametrize(
    ("method", "outcome"), NEAR_THE_LIMIT.items(), ids=list(NEAR_THE_LIMIT)
)
def test_values_near_the_float_limit_are_ranked_or_refused_with_a_message(
    api, method, outcome
):
    alternatives = [dict(a, values=dict(a["values"])) for a in ALTERNATIVES]
    alternatives[0]["values"]["price"] = 1e308
    alternatives[1]["values"]["roi"] = 1e308
    response = api.post(
        "/api/v1/rank/", request_body(method=method, alternatives=alternatives)
    )
    if isinstance(outcome, str):
        assert response.status_code == 400, response.json()
        assert outcome in response.json()["detail"]
        return
    assert response.status_code == 200, response.json()
    ranking = response.json()["ranking"]
    assert [row["name"] for row in ranking] == outcome
    assert [row["rank"] for row in ranking] == [1, 2, 3, 4]
    assert all(math.isfinite(row["score"]) for row in ranking)


def test_a_score_the_method_cannot_compute_is_a_400(api, monkeypatch):
    real = engine.evaluate

    def overflowing(*args, **kwargs):
        result = real(*args, **kwargs)
        return SimpleNamespace(
            scores=result.scores * np.nan, ranks=result.ranks, contributions=None
        )

    monkeypatch.setattr(engine, "evaluate", overflowing)
    response = api.post("/api/v1/rank/", request_body())
    assert response.status_code == 400
    assert "too large" in response.json()["detail"]


# Method options: VIKOR v, PROMETHEE II preference functions and thresholds.


def pymcdm_scores(body) -> dict[str, float]:
    """Scores by an independent implementation (pymcdm, a dev dependency)."""
    X, w, benefit = arrays()
    scores = body(X, w, np.where(benefit, 1, -1))
    return dict(zip([a["name"] for a in ALTERNATIVES], scores, strict=True))


def test_vikor_takes_its_v_like_an_independent_computation(api):
    methods = pytest.importorskip("pymcdm.methods")
    response = api.post(
        "/api/v1/rank/", request_body(method="vikor", options={"v": 0.2})
    )
    assert response.status_code == 200, response.json()
    assert response.json()["options"] == {"v": 0.2}
    expected = pymcdm_scores(methods.VIKOR(v=0.2))
    for row in response.json()["ranking"]:
        assert row["score"] == pytest.approx(expected[row["name"]])
    default = api.post("/api/v1/rank/", request_body(method="vikor")).json()
    assert [r["score"] for r in default["ranking"]] != [
        r["score"] for r in response.json()["ranking"]
    ]


def test_promethee_takes_a_preference_function_with_thresholds_by_criterion(api):
    methods = pytest.importorskip("pymcdm.methods")
    q = {"roi": 0.5, "industry_customization": 0.5, "price": 2}
    p = {"roi": 2, "industry_customization": 2, "price": 15}
    options = {"preference": "linear", "q": q, "p": p}
    response = api.post(
        "/api/v1/rank/", request_body(method="promethee2", options=options)
    )
    assert response.status_code == 200, response.json()
    order = [c["key"] for c in CRITERIA]
    expected = pymcdm_scores(
        methods.PROMETHEE_II(
            "vshape_2",  # pymcdm's name for the linear function with q and p
            q=np.array([q[k] for k in order], float),
            p=np.array([p[k] for k in order], float),
        )
    )
    for row in response.json()["ranking"]:
        assert row["score"] == pytest.approx(expected[row["name"]])
    one_number = api.post(
        "/api/v1/rank/",
        request_body(method="promethee2", options={"preference": "vshape", "p": 10}),
    )
    assert one_number.status_code == 200, one_number.json()


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        (
            request_body(method="wsm", options={"v": 0.3}),
            "options.v",
            "The method wsm takes no options.",
        ),
        (
            request_body(method="vikor", options={"preference": "linear"}),
            "options.preference",
            "The method vikor takes only v.",
        ),
        (request_body(method="vikor", options={"v": 1.5}), "options.v", None),
        (
            request_body(method="promethee2", options={"preference": "gauss"}),
            "options.preference",
            None,
        ),
        (
            request_body(
                method="promethee2", options={"preference": "vshape", "p": -1}
            ),
            "options.p",
            "Send a finite number >= 0, or one per criterion key.",
        ),
        (
            request_body(
                method="promethee2",
                options={"preference": "vshape", "p": {"roi": 1, "price": 2}},
            ),
            "options.p.industry_customization",
            "Give every criterion a threshold (or one number for all).",
        ),
        (
            request_body(
                method="promethee2",
                options={
                    "preference": "vshape",
                    "p": {"roi": 1, "price": 2, "industry_customization": "x"},
                },
            ),
            "options.p.industry_customization",
            "A finite number >= 0 is required.",
        ),
    ],
)
def test_bad_options_are_a_400_naming_the_option(api, body, field, message):
    response = api.post("/api/v1/rank/", body)
    assert response.status_code == 400, response.json()
    errors = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert field in errors, errors
    if message:
        assert errors[field] == message


def test_a_preference_function_without_its_threshold_is_a_400_saying_which(api):
    response = api.post(
        "/api/v1/rank/",
        request_body(method="promethee2", options={"preference": "linear", "q": 1}),
    )
    assert response.status_code == 400
    assert "preference 'linear' needs threshold p" in response.json()["detail"]
