from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from survey.services import DATA_DIR, SurveyDataError, load_surveys


class Command(BaseCommand):
    help = "Load (or refresh) the published survey figures from survey/data/*.json."

    def add_arguments(self, parser):
        parser.add_argument(
            "--directory",
            type=Path,
            default=DATA_DIR,
            help="Folder of survey JSON files (default: survey/data).",
        )

    def handle(self, *args, directory: Path, **options):
        try:
            report = load_surveys(directory=directory)
        except SurveyDataError as error:
            raise CommandError(f"Nothing was loaded. {error}") from None
        self.stdout.write(self.style.SUCCESS(f"Loaded surveys: {report}"))
