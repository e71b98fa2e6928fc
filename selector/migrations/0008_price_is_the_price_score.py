"""A tool's price is its ``price`` score: move each list price into the price score of
a tool that has none (a tool with both keeps its score, which the ranking used).

A negative list price (possible only before 0007's check) is not a price and is not
moved. The field itself is dropped in 0009, in its own transaction: PostgreSQL
refuses to alter a table that has pending foreign-key checks from these inserts.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.db import migrations

PRICE = "price"
# The built-in price criterion as 0002 creates it, for a database that lost it.
PRICE_CRITERION = {
    "key": PRICE,
    "name": "Price",
    "description": "List price per seat per month, in US dollars.",
    "kind": "quantity",
    "direction": "cost",
    "scale_min": 0,
    "scale_max": None,
    "unit": "USD/seat/month",
    "builtin": True,
}
CENT = Decimal("0.01")
LARGEST_LIST_PRICE = Decimal("99999999.99")  # max_digits=10, decimal_places=2


def move_list_prices(apps, schema_editor):
    Tool = apps.get_model("selector", "Tool")
    Score = apps.get_model("selector", "Score")
    Criterion = apps.get_model("selector", "Criterion")
    tools = (
        Tool.objects.filter(list_price__isnull=False, list_price__gte=0)
        .exclude(scores__criterion__key=PRICE)
        .only("pk", "list_price")
    )
    if not tools.exists():
        return
    price = Criterion.objects.filter(key=PRICE).first()
    if price is None:
        price = Criterion.objects.create(**PRICE_CRITERION)
    Score.objects.bulk_create(
        Score(tool_id=tool.pk, criterion=price, value=float(tool.list_price))
        for tool in tools.iterator()
    )


def restore_list_prices(apps, schema_editor):
    """Back to 0007: each tool's list price is its price score, to the cent."""
    Tool = apps.get_model("selector", "Tool")
    Score = apps.get_model("selector", "Score")
    changed = []
    for score in Score.objects.filter(criterion__key=PRICE).select_related("tool"):
        cents = Decimal(repr(score.value)).quantize(CENT, rounding=ROUND_HALF_UP)
        if 0 <= cents <= LARGEST_LIST_PRICE:
            score.tool.list_price = cents
            changed.append(score.tool)
    Tool.objects.bulk_update(changed, ["list_price"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("selector", "0007_list_price_not_negative")]

    operations = [migrations.RunPython(move_list_prices, restore_list_prices)]
