"""Criteria and weight profiles: the catalogue every evaluation is weighed against.

Every change goes through these modules, which validate where the data is saved
(finite, non-negative weights with one above zero; lower-case unique slugs; a
consistent scale), record who changed what in django-simple-history, and re-rank the
evaluations an edit affects.

- ``rules``: the validation rules and the names the modules share;
- ``criteria``: save, delete when unused;
- ``profiles``: save, delete, re-rank the evaluations that follow a profile;
- ``history``: a profile's change log, its versions, reverting to one;
- ``deriving``: a profile from a survey's shares, or as a copy;
- ``ahp``: pairwise judgements to weights;
- ``builtin_catalogue``: the criteria and profiles Shortlist ships (Menlo 2024);
- ``texts``: their shipped texts in the reader's language (French twins).
"""
