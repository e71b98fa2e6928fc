"""Evidence levels instead of a yes/no "confirmed", and the French twins of every text.

The new columns are filled by reloading the shipped files (survey/data/, now the same as
../shared/surveys/); existing rows are updated in place, so weights keep their links.
"""

from django.db import migrations, models


def reload(apps, schema_editor):
    from survey.services import DATA_DIR, parse_survey_directory, sync_surveys

    sync_surveys(
        parse_survey_directory(DATA_DIR),
        survey_model=apps.get_model("survey", "Survey"),
        benchmark_model=apps.get_model("survey", "Benchmark"),
    )


class Migration(migrations.Migration):

    dependencies = [
        ('survey', '0002_load_published_surveys'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='benchmark',
            name='confirmed',
        ),
        migrations.AddField(
            model_name='benchmark',
            name='evidence_fr',
            field=models.TextField(blank=True),
        ),
        migrations.AddField(
            model_name='benchmark',
            name='evidence_level',
            field=models.CharField(choices=[('quoted', 'quoted'), ('press', 'press'), ('secondary', 'secondary'), ('single', 'single')], default='single', help_text="How directly the figure comes from the report (see the survey's evidence levels).", max_length=20),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='benchmark',
            name='label_fr',
            field=models.CharField(blank=True, max_length=300),
        ),
        migrations.AddField(
            model_name='survey',
            name='evidence_levels',
            field=models.JSONField(blank=True, default=dict, help_text='Evidence level -> what it means.'),
        ),
        migrations.AddField(
            model_name='survey',
            name='evidence_levels_fr',
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.AddField(
            model_name='survey',
            name='note',
            field=models.TextField(blank=True, help_text='What a reader should know first.'),
        ),
        migrations.AddField(
            model_name='survey',
            name='note_fr',
            field=models.TextField(blank=True),
        ),
        migrations.AddField(
            model_name='survey',
            name='population_fr',
            field=models.CharField(blank=True, max_length=300),
        ),
        migrations.AddField(
            model_name='survey',
            name='title_fr',
            field=models.CharField(blank=True, max_length=300),
        ),
        migrations.RunPython(reload, migrations.RunPython.noop),
    ]
