from django.conf import settings
from django.core.management.base import BaseCommand

from selector.selectors import DEMO_USERNAME
from selector.services.demo import DEMO_PASSWORD, seed_demo


class Command(BaseCommand):
    help = "Create the demo workspace (illustrative scores) and its login; DEBUG only."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Seed even when DEBUG is off."
        )

    def handle(self, *args, force: bool, **options):
        if not settings.DEBUG and not force:
            self.stdout.write(
                "No demo data: the demo login is only created with DEBUG=1."
            )
            return
        _, workspace, created = seed_demo()
        verb = "Created" if created else "Kept"
        self.stdout.write(
            self.style.SUCCESS(f"{verb} the demo workspace '{workspace}'.")
        )
        self.stdout.write(f"  Demo login: {DEMO_USERNAME} / {DEMO_PASSWORD}")
