"""API errors in French: with ``Accept-Language: fr`` the ``detail`` and every
``errors[].message`` are French, field paths and keys stay as sent, and without the
header the same requests answer in English. Engine errors are French too, through the
stateless rank endpoint, a failed run's stored reason (translated when read) and the
what-if preview. The .mo is compiled by ``make test`` (or msgfmt) before these run."""

import html
from datetime import timedelta

import numpy as np
import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone, translation
from rest_framework.test import APIClient

from selector import engine
from selector.messages import engine_message
from selector.models import Run, Score
from selector.services import sweeps
from selector.services.catalogue.ahp import ahp_preview
from tests.english import english_left
from tests.factories import UserFactory, api_client, scored_evaluation
from tests.services.delivering import start

pytestmark = pytest.mark.django_db

FR = {"HTTP_ACCEPT_LANGUAGE": "fr"}
NNBSP, NBSP = "\u202f", "\u00a0"

CRITERIA = [
    {"key": "roi", "direction": "benefit", "weight": 3},
    {"key": "prix", "direction": "cost", "weight": 1},
]
ALTERNATIVES = [
    {"name": "Outil A", "values": {"roi": 4, "prix": 30}},
    {"name": "Outil B", "values": {"roi": 4, "prix": 25}},
]


def messages(body: dict) -> list[str]:
    return [body["detail"], *(error["message"] for error in body["errors"])]


def no_english(body: dict, allow=()) -> None:
    """No English word in the messages once the field paths (English keys, kept as
    sent) are taken out."""
    fields = sorted((e["field"] for e in body["errors"] if e["field"]), key=len)
    for message in messages(body):
        for field in reversed(fields):
            message = message.replace(field, "")
        assert english_left(f"<p>{html.escape(message)}</p>", allow=allow) == [], (
            message
        )


@pytest.fixture
def api():
    return api_client(UserFactory())


def test_a_bad_field_is_a_french_400_with_the_field_path_unchanged(api):
    body = {
        "criteria": CRITERIA,
        "alternatives": [ALTERNATIVES[0], {"name": "Outil B", "values": {"roi": "x"}}],
    }
    response = api.post("/api/v1/rank/", body, format="json", **FR)
    assert response.status_code == 400
    data = response.json()
    assert data["errors"] == [
        {
            "field": "alternatives.1.values.roi",
            "message": 'Un nombre est attendu, pas le texte "x".',
        }
    ]
    assert data["detail"] == (
        f"Données invalides. alternatives.1.values.roi{NBSP}: Un nombre est attendu, "
        'pas le texte "x".'
    )
    no_english(data)
    english = api.post("/api/v1/rank/", body, format="json").json()
    assert english["errors"][0]["message"] == 'A number is required, not the text "x".'


def test_several_errors_are_counted_in_french(api):
    body = {"criteria": CRITERIA, "alternatives": [{"name": ""}, {"name": ""}]}
    data = api.post("/api/v1/rank/", body, format="json", **FR).json()
    assert [error["field"] for error in data["errors"]] == [
        "alternatives.0.name",
        "alternatives.0.values",
        "alternatives.1.name",
        "alternatives.1.values",
    ]
    assert data["detail"].endswith("(et 3 autres)")
    assert "Un nom non vide est attendu." in messages(data)
    no_english(data)


def test_drf_own_messages_are_french_for_401_403_404_and_405():
    bad_token = APIClient()
    bad_token.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    unauthorized = bad_token.get("/api/v1/tools/", **FR)
    assert unauthorized.status_code == 401
    assert unauthorized.json()["detail"] == "Token non valide."
    no_english(unauthorized.json())
    anonymous = APIClient().get("/api/v1/tools/", **FR)
    assert anonymous.status_code in (401, 403)
    no_english(anonymous.json())
    assert "authentification" in anonymous.json()["detail"].lower()

    api = api_client(UserFactory())
    forbidden = api.post("/api/v1/criteria/", {"key": "k"}, format="json", **FR)
    assert forbidden.status_code == 403
    assert forbidden.json()["detail"] == (
        "Seule l'équipe d'administration peut modifier les critères et les profils "
        "de pondération."
    )
    missing = api.get("/api/v1/tools/999999/", **FR)
    assert missing.status_code == 404
    assert missing.json()["detail"] == "Aucun outil ne correspond à la requête."
    no_english(missing.json())
    not_allowed = api.delete("/api/v1/rank/", **FR)
    assert not_allowed.status_code == 405
    assert (
        not_allowed.json()["detail"] == f"Méthode «{NBSP}DELETE{NBSP}» non autorisée."
    )
    no_english(not_allowed.json(), allow=["DELETE"])
    assert api.delete("/api/v1/rank/").json()["detail"] == (
        'Method "DELETE" not allowed.'
    )


def test_a_path_with_no_endpoint_is_a_french_404(api):
    data = api.get("/api/v1/nulle-part/", **FR).json()
    assert data["detail"] == (
        f"Aucun point d'accès de l'API à l'adresse /api/v1/nulle-part/{NNBSP}; "
        "consultez /api/docs/."
    )
    no_english(data)


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_a_body_over_the_limit_is_a_french_413(api):
    body = {"criteria": CRITERIA, "alternatives": ALTERNATIVES * 20}
    response = api.post("/api/v1/rank/", body, format="json", **FR)
    assert response.status_code == 413
    assert response.json()["detail"] == (
        f"Le corps de la requête dépasse les 1{NBSP}000 octets que l'API accepte "
        "(DATA_UPLOAD_MAX_MEMORY_SIZE)."
    )
    no_english(response.json(), allow=["upload"])


@override_settings(TOKEN_FAILURE_LIMIT=1)
def test_repeated_bad_tokens_are_a_french_429():
    client = APIClient(REMOTE_ADDR="203.0.113.99")
    client.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    assert client.get("/api/v1/tools/", **FR).status_code == 401
    throttled = client.get("/api/v1/tools/", **FR)
    assert throttled.status_code == 429
    assert throttled.json()["detail"].startswith(
        "Trop d'échecs d'authentification par jeton depuis cette adresse."
    )
    no_english(throttled.json())


def test_an_engine_error_through_the_rank_endpoint_is_french(api):
    """Every alternative has ROI 4: min-max normalization cannot rescale it."""
    body = {
        "criteria": CRITERIA,
        "alternatives": ALTERNATIVES,
        "method": "wsm",
        "normalization": "minmax",
    }
    response = api.post("/api/v1/rank/", body, format="json", **FR)
    assert response.status_code == 400
    message = response.json()["errors"][0]["message"]
    assert message == (
        f"Le moteur de calcul a refusé les données{NBSP}: le critère 'roi' a la même "
        f"valeur (4.0) pour tous les outils{NBSP}: la normalisation min-max n'a donc "
        f"aucune étendue par laquelle diviser{NNBSP}; retirez ce critère ou mettez "
        "son poids à 0"
    )
    no_english(response.json())
    english = api.post("/api/v1/rank/", body, format="json").json()
    assert english["errors"][0]["message"] == (
        "The engine refused the data: criterion 'roi' has the same value (4.0) for "
        "every tool, so min-max normalization has no range to divide by; remove it "
        "or set its weight to 0"
    )


@pytest.mark.parametrize(
    "change, french",
    [
        (
            {
                "options": {"preference": "linear", "q": 3, "p": 1},
                "method": "promethee2",
            },
            "q ne doit pas dépasser p, or le critère 'roi' a q=3.0 et p=1.0",
        ),
        (
            {"options": {"preference": "linear"}, "method": "promethee2"},
            "la fonction de préférence 'linear' exige le seuil q",
        ),
    ],
)
def test_method_option_errors_are_french(api, change, french):
    alternatives = [
        {"name": "Outil A", "values": {"roi": 4, "prix": 30}},
        {"name": "Outil B", "values": {"roi": 5, "prix": 25}},
    ]
    body = {"criteria": CRITERIA, "alternatives": alternatives, **change}
    response = api.post("/api/v1/rank/", body, format="json", **FR)
    assert response.status_code == 400, response.json()
    data = response.json()
    assert any(french in message for message in messages(data)), data
    no_english(data, allow=["linear", "PROMETHEE"])


@pytest.fixture
def failed_run(django_capture_on_commit_callbacks):
    """A run the engine refuses: every tool has the same ROI (min-max cannot scale
    it), and nothing else carries an English word into the message."""
    evaluation = scored_evaluation(tools=3)
    Score.objects.filter(criterion__key="roi").update(value=3)
    run = start(evaluation, django_capture_on_commit_callbacks)
    assert run.status == Run.Status.FAILED
    return evaluation, run


def test_a_failed_runs_stored_reason_is_translated_when_read(failed_run):
    evaluation, run = failed_run
    assert run.error.startswith("The engine refused the data: criterion 'roi' has")
    assert run.error_message["template"] == "The engine refused the data: %(reason)s"
    api = api_client(evaluation.created_by)
    french = api.get(f"/api/v1/runs/{run.pk}/", **FR).json()["error"]
    assert french.startswith(
        f"Le moteur de calcul a refusé les données{NBSP}: le critère 'roi' a la même "
        "valeur (3.0) pour tous les outils"
    )
    assert english_left(f"<p>{html.escape(french)}</p>") == []
    assert api.get(f"/api/v1/runs/{run.pk}/").json()["error"] == run.error


def test_the_preview_shows_the_engine_error_in_french(client, failed_run):
    evaluation, _ = failed_run
    client.force_login(evaluation.created_by)
    response = client.post(
        reverse("selector:evaluation-preview", args=[evaluation.pk]), **FR
    )
    page = response.content.decode()
    assert (
        "le critère &#x27;roi&#x27; a la même valeur (3.0) pour tous les outils"
        in (page)
        or "le critère 'roi' a la même valeur (3.0) pour tous les outils" in page
    )


def engine_refusal(call) -> engine.EngineError:
    with pytest.raises(engine.EngineError) as refused:
        call()
    return refused.value


TWO = np.array([[4.0, 30.0], [5.0, 25.0]])
NAMES = {"tool_names": ["Outil A", "Outil B"], "criterion_names": ["roi", "prix"]}


@pytest.mark.parametrize(
    "call, english, french",
    [
        (
            lambda: engine.evaluate(
                np.array([[4.0, np.nan], [5.0, 25.0]]), [1, 1], [1, -1], **NAMES
            ),
            "matrix has nan for tool 'Outil A' on criterion 'prix'; every value must "
            "be a finite number",
            f"matrix contient nan pour l'outil 'Outil A' sur le critère 'prix'{NNBSP}; "
            "chaque valeur doit être un nombre fini",
        ),
        (
            lambda: engine.evaluate(TWO, [1, -2], [1, -1], **NAMES),
            "weight for criterion 'prix' is negative (-2.0)",
            "le poids du critère 'prix' est négatif (-2.0)",
        ),
        (
            lambda: engine.evaluate(TWO, [0, 0], [1, -1], **NAMES),
            "all weights are zero; give at least one criterion a positive weight",
            f"tous les poids sont nuls{NNBSP}; donnez un poids positif à au moins un "
            "critère",
        ),
        (
            lambda: engine.evaluate(TWO[:1], [1, 1], [1, -1]),
            "need at least 2 tools to rank, got 1",
            f"il faut au moins 2 outils à classer{NNBSP}; reçu 1",
        ),
        (
            lambda: engine.evaluate(TWO, [1, 1], [1, -1], method="vikor", v=2),
            "v must be between 0 and 1, got 2.0",
            f"v doit être compris entre 0 et 1{NNBSP}; reçu 2.0",
        ),
        (
            lambda: engine.evaluate(TWO, [1, 1], [1, -1], method="wsm", v=0.5),
            "unknown option 'v' for method 'wsm'; it takes no options",
            "option 'v' inconnue pour la méthode 'wsm', qui n'accepte aucune option",
        ),
        (
            lambda: engine.ahp_weights(
                np.array([[1.0, 3.0], [2.0, 1.0]]), criterion_names=["roi", "prix"]
            ),
            "pairwise is not reciprocal: pairwise[0, 1] (criterion 'roi' vs criterion "
            "'prix') is 3.0 but pairwise[1, 0] is 2.0; it must be 1 / 3.0",
            f"la matrice de comparaisons n'est pas réciproque{NBSP}: pairwise[0, 1] "
            "(critère 'roi' face au critère 'prix') vaut 3.0, mais pairwise[1, 0] vaut "
            "2.0 au lieu de 1 / 3.0",
        ),
    ],
)
def test_engine_errors_read_in_french_and_stay_english_as_text(call, english, french):
    error = engine_refusal(call)
    assert str(error) == english
    with translation.override("fr"):
        assert engine_message(error) == french
    assert english_left(f"<p>{html.escape(french)}</p>", allow=["nan"]) == []


def test_an_ahp_matrix_problem_is_french_in_the_service_error():
    judgements = np.array([[1.0, 3.0], [2.0, 1.0]])
    with translation.override("fr"), pytest.raises(ValidationError) as refused:
        ahp_preview(["roi", "price"], judgements)
    (message,) = refused.value.message_dict["pairwise"]
    assert message.startswith(
        f"la matrice de comparaisons n'est pas réciproque{NBSP}: pairwise[0, 1]"
    )


def test_a_run_the_sweeper_failed_reads_in_french(django_capture_on_commit_callbacks):
    evaluation = scored_evaluation(tools=2)
    run = start(evaluation, django_capture_on_commit_callbacks, execute=False)
    Run.objects.filter(pk=run.pk).update(
        created_at=timezone.now() - timedelta(days=1, minutes=1)
    )
    assert sweeps.sweep_runs().failed == 1
    api = api_client(evaluation.created_by)
    french = api.get(f"/api/v1/runs/{run.pk}/", **FR).json()["error"]
    assert french == (f"Aucun processus ne l'a pris en charge en 1{NBSP}jour(s).")
    assert english_left(f"<p>{french}</p>") == []
    english = api.get(f"/api/v1/runs/{run.pk}/").json()["error"]
    assert english == "No worker picked it up within 1 day(s)."
