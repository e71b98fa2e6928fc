"""Saaty's "which drink is consumed more in the U.S.?" AHP example, as test data.

Published example: Saaty, T. L. (2008), "Decision making with the analytic hierarchy
process", Int. J. Services Sciences 1(1):83-98, the "which drink is consumed more in
the U.S.?" matrix (coffee, wine, tea, beer, sodas, milk, water). Saaty's derived
priorities are .177, .019, .042, .116, .190, .129, .327 and the consistency ratio is
0.022 with Saaty's random index (RI = 1.32 for n = 7). The same judgements and numbers
are in the AHPy test suite (github.com/PhilipGriffith/AHPy, tests/test_ahp.py).
"""

from selector.models import WeightProfile
from selector.services.catalogue.ahp import derive_profile_with_ahp

DRINKS = ["coffee", "wine", "tea", "beer", "sodas", "milk", "water"]
# Saaty (2008), the upper triangle as published: row drink over column drink.
DRINK_JUDGEMENTS = {
    ("coffee", "wine"): 9,
    ("coffee", "tea"): 5,
    ("coffee", "beer"): 2,
    ("coffee", "sodas"): 1,
    ("coffee", "milk"): 1,
    ("coffee", "water"): "1/2",
    ("wine", "tea"): "1/3",
    ("wine", "beer"): "1/9",
    ("wine", "sodas"): "1/9",
    ("wine", "milk"): "1/9",
    ("wine", "water"): "1/9",
    ("tea", "beer"): "1/3",
    ("tea", "sodas"): "1/4",
    ("tea", "milk"): "1/3",
    ("tea", "water"): "1/9",
    ("beer", "sodas"): "1/2",
    ("beer", "milk"): 1,
    ("beer", "water"): "1/3",
    ("sodas", "milk"): 2,
    ("sodas", "water"): "1/2",
    ("milk", "water"): "1/3",
}
PUBLISHED_WEIGHTS = [0.177, 0.019, 0.042, 0.116, 0.190, 0.129, 0.327]
PUBLISHED_CR = 0.022


def derive_drinks(editor) -> WeightProfile:
    saved, _ = derive_profile_with_ahp(
        user=editor,
        keys=DRINKS,
        pairwise=DRINK_JUDGEMENTS,
        slug="drinks",
        name="Drinks",
    )
    return WeightProfile.objects.get(pk=saved.profile.pk)
