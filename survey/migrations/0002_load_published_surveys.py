"""Load the shipped survey figures so a fresh database has them without extra steps."""

from django.db import migrations


def load(apps, schema_editor):
    from survey.services import DATA_DIR, parse_survey_directory, sync_surveys

    sync_surveys(
        parse_survey_directory(DATA_DIR),
        survey_model=apps.get_model("survey", "Survey"),
        benchmark_model=apps.get_model("survey", "Benchmark"),
    )


class Migration(migrations.Migration):
    dependencies = [("survey", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
