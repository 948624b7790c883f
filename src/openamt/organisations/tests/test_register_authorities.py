from collections import Counter

from openamt.core.models import AuditEntry
from openamt.organisations.constants import AuthorityKind
from openamt.organisations.models import Authority
from openamt.organisations.selectors import authority_for_region
from openamt.organisations.services import authorities_sync_from_register
from openamt.regions.models import Region


def test_one_authority_per_administering_unit_of_thuringia(register):
    assert Authority.objects.count() == 206
    assert Counter(Authority.objects.values_list("kind", flat=True)) == {
        AuthorityKind.GEMEINDEVERWALTUNG: 104 + 38,
        AuthorityKind.KREISFREIE_STADT: 5,
        AuthorityKind.VERWALTUNGSGEMEINSCHAFT: 42,
        AuthorityKind.LANDRATSAMT: 17,
    }
    names = set(Authority.objects.values_list("name", flat=True))
    assert {
        "Verwaltungsgemeinschaft Lindenberg/Eichsfeld",
        "Landratsamt Saale-Orla-Kreis",
        "Stadtverwaltung Erfurt",
        "Gemeindeverwaltung Uder",
        "Stadtverwaltung Neustadt an der Orla",
        # Towns whose register name lacks ", Stadt": the Textkennzeichen decides.
        "Stadtverwaltung Am Ettersberg",
        "Stadtverwaltung Buttstädt",
    } <= names
    assert "Gemeindeverwaltung Am Ettersberg" not in names


def test_no_contact_data_is_invented(register):
    assert not Authority.objects.exclude(
        street="", postcode="", city="", phone="", email="", website="", leitweg_id="", iban=""
    ).exists()


def test_sync_is_idempotent(register):
    audit_before = AuditEntry.objects.count()
    counts = authorities_sync_from_register(land="16")
    assert (counts["created"], counts["updated"], counts["unchanged"]) == (0, 0, 206)
    assert AuditEntry.objects.count() == audit_before


def test_administering_authorities_of_a_member_of_a_vg(register):
    teistungen = Region.objects.active().get(name="Teistungen", ars__startswith="16")
    found = authority_for_region(region=teistungen)
    assert found["gemeinde"].name == "Verwaltungsgemeinschaft Lindenberg/Eichsfeld"
    assert found["kreis"].name == "Landratsamt Eichsfeld"


def test_a_kreisfreie_stadt_is_its_own_kreis_authority(register):
    erfurt = Region.objects.active().get(ags="16051000")
    found = authority_for_region(region=erfurt)
    assert found["gemeinde"] == found["kreis"]
    assert found["gemeinde"].name == "Stadtverwaltung Erfurt"


def test_erfuellende_gemeinde_administers_itself(register):
    uder = Region.objects.active().get(ags="16061119")
    assert authority_for_region(region=uder)["gemeinde"].name == "Gemeindeverwaltung Uder"
