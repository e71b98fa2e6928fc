from django.apps import AppConfig


class SelectorConfig(AppConfig):
    name = "selector"
    verbose_name = "Tool selection"
