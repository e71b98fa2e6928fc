from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SelectorConfig(AppConfig):
    name = "selector"
    verbose_name = _("Tool selection")

    def ready(self) -> None:
        # Register the Celery tasks in every process, so that ``selector.queue`` can
        # send them by name and, with no broker, run them eagerly.
        from selector import tasks  # noqa: F401
