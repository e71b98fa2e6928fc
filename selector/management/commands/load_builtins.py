from django.core.management.base import BaseCommand

from selector.services.catalogue.builtin_catalogue import load_builtins


class Command(BaseCommand):
    help = (
        "Create the built-in criteria and Menlo 2024 weight profiles that are missing."
    )

    def handle(self, *args, **options):
        counts = load_builtins()
        self.stdout.write(self.style.SUCCESS(f"Built-ins present: {counts}"))
