"""The list price lives in the price score now (0008 moved it)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("selector", "0008_price_is_the_price_score")]

    operations = [migrations.RemoveField(model_name="tool", name="list_price")]
