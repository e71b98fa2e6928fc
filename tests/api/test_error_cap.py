"""One cap on the errors of an answer: the error handler lists at most
``limits.MAX_ERRORS``, of bounded length, and the validators behind every JSON endpoint
stop collecting there, so no request does work in proportion to its mistakes."""

import pytest
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions

from selector.api.errors import exception_handler
from selector.api.serializers.evaluations import MethodOptionsSerializer
from selector.api.serializers.fields import WeightsField
from selector.api.serializers.rank import RankRequestSerializer
from selector.limits import MAX_ERRORS, MAX_FIELD_LENGTH, MAX_MESSAGE_LENGTH
from selector.services.evaluations import clean_weight_overrides
from selector.services.ranking import rank_alternatives
from tests.factories import app_selection

JUNK = 10 * MAX_ERRORS


def handled(exc) -> dict:
    return exception_handler(exc, {}).data


def test_the_handler_lists_at_most_the_cap_and_says_so():
    body = handled(exceptions.ValidationError({f"k{i}": ["Bad."] for i in range(JUNK)}))
    assert len(body["errors"]) == MAX_ERRORS
    assert body["errors"][0] == {"field": "k0", "message": "Bad."}
    assert f"at most {MAX_ERRORS} are listed" in body["detail"]


def test_the_handler_caps_a_services_errors_too():
    error = DjangoValidationError({f"weights.k{i}": "Bad." for i in range(JUNK)})
    assert len(handled(error)["errors"]) == MAX_ERRORS


def test_the_handler_shortens_long_fields_and_messages():
    body = handled(exceptions.ValidationError({"k" * 10_000: ["m" * 10_000]}))
    (error,) = body["errors"]
    assert len(error["field"]) == MAX_FIELD_LENGTH
    assert len(error["message"]) == MAX_MESSAGE_LENGTH
    assert error["message"].endswith("\u2026")


def test_the_handler_writes_unencodable_text_as_escapes():
    body = handled(exceptions.ValidationError({"a\ud800": ["b\x00c"]}))
    assert body["errors"] == [{"field": "a\\ud800", "message": "b\\u0000c"}]
    assert body["detail"].encode("utf-8")


def test_a_mapping_by_criterion_key_stops_at_the_cap():
    with pytest.raises(exceptions.ValidationError) as caught:
        WeightsField().run_validation({f"bad key {i}": 1 for i in range(JUNK)})
    assert len(caught.value.detail) == MAX_ERRORS


def test_weights_stop_at_the_cap_of_bad_values():
    with pytest.raises(exceptions.ValidationError) as caught:
        WeightsField().run_validation({f"k{i}": "1" for i in range(JUNK)})
    assert len(caught.value.detail) == MAX_ERRORS


def test_method_options_stop_at_the_cap_of_unknown_names():
    serializer = MethodOptionsSerializer(data={f"o{i}": 1 for i in range(JUNK)})
    assert not serializer.is_valid()
    assert len(serializer.errors) == MAX_ERRORS


def test_rank_shapes_stop_at_the_cap_of_values_that_are_not_numbers():
    values = {f"k{i}": "x" for i in range(JUNK)}
    serializer = RankRequestSerializer(
        data={
            "criteria": [{"key": "k0", "direction": "benefit", "weight": 1}],
            "alternatives": [{"name": "A", "values": values}],
        }
    )
    assert not serializer.is_valid()
    assert len(serializer.errors["alternatives"]["0"]["values"]) == MAX_ERRORS


def test_rank_values_stop_at_the_cap_of_unknown_criteria():
    junk = {f"k{i}": 0 for i in range(JUNK)}
    with pytest.raises(DjangoValidationError) as caught:
        rank_alternatives(
            method="wsm",
            normalization=None,
            criteria=[{"key": "roi", "direction": "benefit", "weight": 1}],
            alternatives=[
                {"name": "A", "values": {"roi": 1, **junk}},
                {"name": "B", "values": {"roi": 2, **junk}},
            ],
        )
    messages = [m for ms in caught.value.message_dict.values() for m in ms]
    assert len(messages) == MAX_ERRORS
    assert "alternatives.0.values.k0" in caught.value.message_dict


@pytest.mark.django_db
def test_weight_overrides_stop_at_the_cap_of_unknown_criteria():
    with pytest.raises(DjangoValidationError) as caught:
        clean_weight_overrides(app_selection(), {f"k{i}": 1 for i in range(JUNK)})
    assert len(caught.value.message_dict) == MAX_ERRORS
