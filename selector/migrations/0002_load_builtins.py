"""Create the built-in criteria and Menlo 2024 weight profiles on a fresh database."""

from django.db import migrations


def load(apps, schema_editor):
    from selector.services.catalogue.builtin_catalogue import load_builtins

    load_builtins(apps=apps)


class Migration(migrations.Migration):
    dependencies = [
        ("selector", "0001_initial"),
        ("survey", "0002_load_published_surveys"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
