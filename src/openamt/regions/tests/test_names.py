"""One folding of place names serves the place search and the address check."""

import pytest

from openamt.regions.constants import Level
from openamt.regions.models import Postcode, Region
from openamt.regions.names import place_fold
from openamt.regions.selectors import places_resolve, region_search


@pytest.mark.parametrize(
    ("variants", "folded"),
    [
        (
            ["Sankt Gangloff", "St. Gangloff", "St.Gangloff", "Sankt-Gangloff", "st gangloff"],
            "st gangloff",
        ),
        (["Sankt Bernhard", "St.Bernhard", "St. Bernhard", "ST. BERNHARD"], "st bernhard"),
        (["Pößneck", "Pössneck", "Poessneck", "POESSNECK", "Pößneck"], "possneck"),
        (["Gößnitz", "Goessnitz", "Gössnitz"], "gossnitz"),
        (["Bad Frankenhausen/Kyffh.", "Bad-Frankenhausen/Kyffh"], "bad frankenhausen/kyffh"),
        (["Uder-Eichsfeld", "Uder Eichsfeld", "Uder – Eichsfeld"], "uder eichsfeld"),
        (["Erfurt, Stadt"], "erfurt, stadt"),  # the register's designation stays apart
        (["Stadtroda"], "stadtroda"),  # "St" only as a word
    ],
)
def test_the_written_variants_of_a_place_fold_alike(variants, folded):
    assert {place_fold(variant) for variant in variants} == {folded}


def test_the_register_is_stored_folded(register):
    assert Region.objects.get(ags="16069047", valid_until=None).name_folded == "st bernhard"
    assert set(Postcode.objects.filter(code="07629").values_list("place_folded", flat=True)) >= {
        "st gangloff"
    }


@pytest.mark.parametrize(
    ("query", "ags"),
    [
        ("Sankt Gangloff", "16074093"),
        ("St. Gangloff", "16074093"),
        ("St.Gangloff", "16074093"),
        ("St. Bernhard", "16069047"),
        ("Sankt-Bernhard", "16069047"),
        ("Poessneck", "16075085"),
    ],
)
def test_the_place_search_finds_every_variant_first(register, query, ags):
    assert [region.ags for region in region_search(q=query, level=Level.GEMEINDE)[:1]] == [ags]
    assert [region.ags for region in places_resolve(query=query)] == [ags]
