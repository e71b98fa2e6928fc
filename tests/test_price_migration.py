"""Migrations 0008-0009: a tool's list price moves into its price score where it has
none (a tool with both keeps the score, which the ranking used), then the field goes;
migrating back fills the list price from the price score, to the cent."""

from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("selector", "0007_list_price_not_negative")]
AFTER = [("selector", "0009_drop_list_price")]


def migrate(targets):
    """Migrate to ``targets``; the historical models there."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


def tool_columns() -> set[str]:
    with connection.cursor() as cursor:
        description = connection.introspection.get_table_description(
            cursor, "selector_tool"
        )
    return {column.name for column in description}


@pytest.fixture
def at_0007(published_data):
    """The database at 0007 (the built-in criteria loaded), put back at the latest
    migrations afterwards."""
    apps = migrate(BEFORE)
    yield apps
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def test_list_prices_move_into_the_price_scores_that_are_missing(at_0007):
    apps = at_0007
    Tool, Score = (
        apps.get_model("selector", "Tool"),
        apps.get_model("selector", "Score"),
    )
    Criterion = apps.get_model("selector", "Criterion")
    workspace = apps.get_model("selector", "Workspace").objects.create(name="W")
    price, roi = (Criterion.objects.get(key=key) for key in ("price", "roi"))
    tools = {
        name: Tool.objects.create(workspace=workspace, name=name, list_price=listed)
        for name, listed in (
            ("Listed", Decimal("30.00")),
            ("Both", Decimal("20.00")),
            ("Neither", None),
            ("Negative", Decimal("-5.00")),  # possible only before 0007's check
            ("Cents", Decimal("19.99")),
        )
    }
    Score.objects.create(tool=tools["Both"], criterion=price, value=25, low=22)
    Score.objects.create(tool=tools["Cents"], criterion=roi, value=4)

    apps = migrate(AFTER)
    assert "list_price" not in tool_columns()
    Score = apps.get_model("selector", "Score")
    prices = {
        s.tool.name: (s.value, s.low, s.high, s.evidence)
        for s in Score.objects.filter(criterion__key="price").select_related("tool")
    }
    assert prices == {
        "Listed": (30.0, None, None, ""),
        "Both": (25.0, 22.0, None, ""),  # the score the ranking used stays
        "Cents": (19.99, None, None, ""),
    }
    assert Score.objects.filter(criterion__key="roi").count() == 1

    apps = migrate(BEFORE)
    listed = dict(
        apps.get_model("selector", "Tool").objects.values_list("name", "list_price")
    )
    assert listed == {
        "Listed": Decimal("30.00"),
        "Both": Decimal("25.00"),
        "Neither": None,
        "Negative": None,  # not a price: never moved, so not restored
        "Cents": Decimal("19.99"),
    }


def test_a_database_without_the_price_criterion_gets_it_back(at_0007):
    apps = at_0007
    Tool = apps.get_model("selector", "Tool")
    Criterion = apps.get_model("selector", "Criterion")
    apps.get_model("selector", "Weight").objects.filter(criterion__key="price").delete()
    Criterion.objects.filter(key="price").delete()
    workspace = apps.get_model("selector", "Workspace").objects.create(name="W")
    Tool.objects.create(workspace=workspace, name="Listed", list_price=Decimal("12"))

    apps = migrate(AFTER)
    price = apps.get_model("selector", "Score").objects.get()
    assert (price.criterion.key, price.criterion.direction, price.value) == (
        "price",
        "cost",
        12.0,
    )
    assert price.criterion.unit == "USD/seat/month"
