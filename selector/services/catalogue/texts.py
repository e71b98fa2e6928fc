"""The catalogue's shipped texts (criterion and profile names, descriptions, units) in
the reader's language, for the views and presenters, which reach the survey app's
``localized`` through the services layer."""

from survey.localized import localized

__all__ = ["localized"]
