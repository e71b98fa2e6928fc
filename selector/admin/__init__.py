"""Django admin for criteria, weight profiles and re-rank batches.

Saves go through ``selector.services.catalogue`` (validation, history, re-ranking); the
admin only parses forms and shows results. History uses django-simple-history: criteria
keep its standard diff and revert; profiles get a change log that includes their
weights and a revert that restores both (recorded as a change of its own).

Django's autodiscovery imports this package; importing the modules registers their
admin classes.
"""

from selector.admin import batches, criteria, profiles

__all__ = ["batches", "criteria", "profiles"]
