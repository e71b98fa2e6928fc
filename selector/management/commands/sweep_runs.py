"""``python manage.py sweep_runs``: one pass of the sweeper that Celery beat also runs."""

from django.core.management.base import BaseCommand, CommandError

from selector.services import sweeps


class Command(BaseCommand):
    help = (
        "Send again runs left queued (e.g. started while the broker was down), fail "
        "runs still running past their deadline, and finish completed batches."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--queued-for",
            type=float,
            default=sweeps.REQUEUE_AFTER_SECONDS,
            metavar="SECONDS",
            help="Send a queued run again once it has waited this long "
            f"(default {sweeps.REQUEUE_AFTER_SECONDS}).",
        )

    def handle(self, *args, queued_for: float, **options):
        if queued_for < 0:
            raise CommandError("--queued-for must be zero or more seconds.")
        report = sweeps.sweep_runs(queued_for=queued_for)
        if report.broker_error:
            raise CommandError(str(report))
        self.stdout.write(str(report))
