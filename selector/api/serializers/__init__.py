"""Input serializers parse requests into service arguments; output serializers render.

Neither kind holds business rules: those live in ``selector.services``, whose
ValidationErrors the API answers as 400s with field paths (see
``selector.api.errors``). Input serializers only check shapes: types, choices, lengths,
keys that could not be criterion keys. One module per resource; import from it
directly (``fields`` holds what several resources share).
"""
