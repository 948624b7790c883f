"""German free-text search: colloquial, misspelled and compound queries (both databases)."""

import pytest

from openamt.catalogue import search, words
from openamt.catalogue.models import SearchSynonym, Service
from openamt.catalogue.selectors import service_search
from openamt.catalogue.services import (
    search_synonym_add,
    search_synonym_remove,
    service_term_add,
)
from openamt.core.errors import InvalidInput, PermissionDenied
from openamt.core.models import AuditEntry

# (what a person types, the Leistungsschlüssel they mean)
QUERIES = [
    ("Anmeldung Wohnung", "99115005104000"),
    ("Ummeldung", "99115005011000"),
    ("Hund anmelden", "99102013000000"),
    ("Auto zulassen", "99036010007000"),
    ("Gewerbeanmledung", "99050012104000"),  # typo
    ("Gewerbeanmeldung", "99050012104000"),  # compound of "Gewerbe Anmeldung"
    ("Personalausweiss", "99008001012000"),  # typo
    ("Perso verloren", "99008001012000"),  # colloquial, no service has both words
    ("Reisepas beantragen", "99085001012000"),  # typo
    ("Fuehrerschein verloren", "99023001000000"),  # ue for ü
    ("Bauantrag", "99012008000000"),
    ("Wohngeld beantragen", "99107023000000"),
    ("Heiraten", "99059001104000"),
    ("Geburt anzeigen", "99027006000000"),
    ("Hundesteur", "99102013000000"),  # typo
    ("Kfz Zulassung", "99036010007000"),
    ("Briefwahl", "99128001000000"),
    ("Jagtschein", "99067004000000"),  # typo
    ("Fundbüro", "99089017000000"),
    ("Baum fällen", "99093003000000"),
    ("Parkausweis Behinderung", "99108009000000"),
    ("Einbürgerrung", "99099002000000"),  # typo, also found in the catalogue itself
    ("Angelschein", "99042001000000"),
    ("wohnsitz anmelden", "99115005104000"),
]


# How citizens write (everyday words, verbs, compounds, a few typos), over many
# services, with the Leistungsschlüssel of the real catalogue each one means.
EVERYDAY = [
    # Melde- und Ausweiswesen
    ("Ausweis weg", "99008001014002"),
    ("Personalausweis verloren", "99008001014002"),
    ("Perso beantragen", "99008001012000"),
    ("neuer Personalausweis", "99008001012000"),
    ("Ausweis abholen", "99008001040000"),
    ("Reisepass beantragen", "99085001012000"),
    ("Reisepass geklaut", "99085001014001"),
    ("Kinderreisepass verlängern", "99085003020000"),
    ("Wohnung anmelden", "99115005104000"),
    ("Zuzugsmeldung", "99115005104000"),
    ("umgezogen neue Adresse melden", "99115005104000"),
    ("Zweitwohnsitz anmelden", "99115005104002"),
    ("ins Ausland ziehen abmelden", "99115005070000"),
    ("Meldebescheinigung", "99115003012000"),
    ("Führungszeugnis beantragen", "99049001000000"),
    # Familie und Personenstand
    ("Hochzeit anmelden", "99059001104000"),
    ("heiraten Standesamt Termin", "99059001104000"),
    ("Heiratsurkunde", "99059004012000"),
    ("Baby geboren", "99027006000000"),
    ("Geburt anmelden", "99027006000000"),
    ("Vaterschaft anerkennen", "99133001000000"),
    ("Todesfall melden", "99101011000000"),
    ("Beerdigung", "99101002000000"),
    ("Nachname ändern", "99083001011000"),
    ("Kirchenaustritt", "99073001000000"),
    ("aus der Kirche austreten", "99073001000000"),
    # Kinder
    ("Kinderkrippe", "99041004034000"),
    ("Kinderkrippenplatz", "99041004034000"),
    ("Kitaplatz anmelden", "99041004034000"),
    ("Kita Gebühren", "99071007000000"),
    ("Tagesmutter", "99071005000000"),
    ("Kindergeld beantragen", "99041008000000"),
    ("Elterngeld", "99041006000000"),
    ("Unterhaltsvorschuss beantragen", "99107021000000"),
    ("Bafög", "99022001000000"),
    # Wohnen und Abfall
    ("Sperrmüll anmelden", "99001009004002"),
    ("Sperrmüllabholung", "99001009004002"),
    ("Müllgebühren", "99001001000000"),
    ("Wohngeld beantragen", "99107023000000"),
    ("Wohnberechtigungsschein", "99107022012000"),
    ("WBS beantragen", "99107022012000"),
    ("Baugenehmigung", "99012008000000"),
    ("Haus bauen Antrag", "99012008000000"),
    ("Baum im Garten fällen", "99093003000000"),
    ("Grundsteuerbescheid", "99102012000000"),
    ("Zweitwohnungssteuer", "99102017000000"),
    # Verkehr
    ("Auto anmelden", "99036010007000"),
    ("Auto abmelden", "99036008070000"),
    ("Auto ummelden", "99036008071000"),
    ("Wunschkennzeichen reservieren", "99036009072003"),
    ("Führerschein verloren", "99023001036003"),
    ("Fuehrerschein umtauschen", "99023001051000"),
    ("Anwohnerparkausweis", "99108001001000"),
    ("Parkausweis für Behinderte", "99108009000000"),
    ("Halteverbot für Umzug", "99108011153000"),
    ("Gerüst auf dem Gehweg", "99108012005000"),
    # Gewerbe und Freizeit
    ("Gewerbe anmelden", "99050012104000"),
    ("Gewerbe abmelden", "99050012070000"),
    ("Gewerbe ummelden", "99050012071000"),
    ("Firma gründen", "99050012104000"),
    ("Kneipe eröffnen", "99025002169000"),
    ("Angelschein", "99042001000000"),
    ("Jagdschein beantragen", "99067004001000"),
    ("Waffenschein", "99089086000000"),
    # Hund, Fundsachen, Wahlen
    ("Hund anmelden", "99102013000000"),
    ("Hundesteuer abmelden", "99102013000000"),
    ("Kampfhund halten", "99110009000000"),
    ("Handy gefunden", "99089017000000"),
    ("Geldbörse verloren", "99089017000000"),
    ("Wahlunterlagen per Post", "99128001120001"),
    ("Briefwahl beantragen", "99128001000000"),
    # Soziales und Ausländer
    ("Einbürgerung beantragen", "99099002000000"),
    ("Aufenthaltstitel verlängern", "99010006000000"),
    ("Schwerbehindertenausweis beantragen", "99015007012000"),
    ("Hartz 4", "99107002000000"),
    # Tippfehler
    ("Persnalausweis", "99008001012000"),
    ("Gewerbeanmledung", "99050012104000"),
    ("Sperrmül", "99001009000000"),
    ("Kindergeldantrag", "99041008000000"),
]


def _top(query: str, count: int = 3) -> list[str]:
    return list(service_search(q=query).values_list("leika_key", flat=True)[:count])


@pytest.mark.parametrize(("query", "leika_key"), QUERIES + EVERYDAY)
def test_intended_service_is_in_the_top_three(register, query, leika_key):
    top = _top(query)
    assert leika_key in top, f"{query!r}: {top}"


def test_everyday_queries_cover_many_services():
    assert len(EVERYDAY) >= 60
    assert len({key for _query, key in EVERYDAY}) >= 55


def test_an_action_word_weighs_less_than_the_noun(register):
    # Many services carry "beantragen"; the noun decides.
    assert _top("Wohngeld beantragen", 1) == ["99107023000000"]
    assert _top("Kindergeld beantragen", 1) == ["99041008000000"]
    # ...but the action still tells services of the same noun apart.
    assert _top("Gewerbe anmelden", 1) == ["99050012104000"]
    assert _top("Gewerbe abmelden", 1) == ["99050012070000"]
    assert _top("Gewerbe ummelden", 1) == ["99050012071000"]


def test_action_words_come_from_the_catalogue_verrichtungen(register):
    vocab = search.vocabulary()
    for word in ["anmelden", "abmelden", "beantragen", "ändern", "verlängern", "Ausstellung"]:
        assert vocab.is_action(words.words_of(word)[0]), word
    for word in ["Hund", "Gewerbe", "Personalausweis", "Kindergeld"]:
        assert not vocab.is_action(words.words_of(word)[0]), word


def test_compounds_split_into_catalogue_words(register):
    known = search.vocabulary().known
    assert words.split_compound("kinderkrippe", known) == ("kinder", "krippe")
    assert words.split_compound("mullgebuhren", known) == ("mull", "gebuhr")
    assert words.split_leading("kinderkrippenplatz", known) == ("kinder", "krippe")
    assert words.split_compound("quantenchromodynamik", known) is None
    # Documents carry the parts of their own compounds: "Ausweis" is in "Personalausweis".
    document = Service.objects.get(leika_key="99008001014002").search_document.split()
    assert {"personalausweis", "personal", "ausweis"} <= set(document)


def test_a_word_only_found_inside_compounds_is_a_document_word(register):
    known = search.vocabulary().known
    assert "urkunde" not in words.words_of(" ".join(Service.objects.values_list("name", flat=True)))
    document = Service.objects.get(leika_key="99059004012000").search_document.split()
    assert "urkunde" in document
    assert words.split_compound("heiratsurkunde", known) == ("heirat", "urkunde")


def test_exact_name_ranks_first(register):
    assert service_search(q="Wohngeld").first().leika_key == "99107023000000"


def test_unknown_words_find_nothing(register):
    assert not service_search(q="Quantenchromodynamik").exists()
    assert not service_search(q="ich möchte bitte").exists()


def test_a_synonym_of_the_land_works_at_once_and_is_audited(register, land_admin):
    assert not service_search(q="Grillfest").exists()
    synonym = search_synonym_add(actor=land_admin, word=" Grillfest ", meaning="Straßenfest")
    assert (synonym.word, synonym.word_folded, synonym.meaning_folded) == (
        "Grillfest",
        "grillfest",
        "strassenfest",
    )
    assert _top("Grillfest", 1) == ["99108012000000"]
    # Compounds of the new word are split against it too.
    assert _top("Grillfestgenehmigung", 1) == ["99108012000000"]
    search_synonym_remove(actor=land_admin, synonym=synonym)
    assert not service_search(q="Grillfest").exists()
    assert list(
        AuditEntry.objects.filter(action__startswith="search_synonym.").values_list(
            "action", "changes"
        )
    ) == [
        ("search_synonym.add", {"word": "Grillfest", "meaning": "Straßenfest"}),
        ("search_synonym.remove", {"word": "Grillfest", "meaning": "Straßenfest"}),
    ]


@pytest.mark.parametrize(
    ("word", "meaning", "field"),
    [
        ("zwei Wörter", "Straßenfest", "word"),
        ("x", "Straßenfest", "word"),
        ("und", "Straßenfest", "word"),
        ("Grillfest", "", "meaning"),
        ("Grillfest", "eins zwei drei vier fünf", "meaning"),
        ("Grillfest", "grillfest", "meaning"),
        ("weg", "Verlust", "meaning"),  # shipped already
    ],
)
def test_a_bad_synonym_is_refused_and_nothing_stored(register, land_admin, word, meaning, field):
    before = SearchSynonym.objects.count()
    with pytest.raises(InvalidInput) as refused:
        search_synonym_add(actor=land_admin, word=word, meaning=meaning)
    assert refused.value.field == field
    assert SearchSynonym.objects.count() == before
    assert not AuditEntry.objects.filter(action="search_synonym.add").exists()


def test_only_the_land_edits_synonyms(register, erfurt_admin):
    with pytest.raises(PermissionDenied):
        search_synonym_add(actor=erfurt_admin, word="Grillfest", meaning="Straßenfest")
    assert not SearchSynonym.objects.filter(word_folded="grillfest").exists()


def test_the_shipped_synonyms_are_loaded(register):
    assert SearchSynonym.objects.filter(
        word_folded="hochzeit", meaning_folded="eheschliessung"
    ).exists()
    assert SearchSynonym.objects.count() >= 60


def test_a_new_synonym_is_searchable_at_once(register, land_admin):
    service = Service.objects.get(leika_key="99102013000000")
    assert not service_search(q="Vierbeiner").exists()
    service_term_add(actor=land_admin, service=service, term="Vierbeiner")
    assert service_search(q="Vierbeiner").first() == service
    assert AuditEntry.objects.filter(action="service_term.add").count() == 1


def test_only_the_land_edits_search_terms(register, erfurt_admin):
    service = Service.objects.get(leika_key="99102013000000")
    with pytest.raises(PermissionDenied):
        service_term_add(actor=erfurt_admin, service=service, term="Vierbeiner")
    assert not service.terms.filter(term="Vierbeiner").exists()


def test_admin_refuses_a_synonym_twice(client, operator, register):
    from django.urls import reverse

    service = Service.objects.get(leika_key="99102013000000")
    existing = list(service.terms.all())
    client.force_login(operator)
    data = {
        "popularity": str(service.popularity),
        "terms-TOTAL_FORMS": str(len(existing) + 2),
        "terms-INITIAL_FORMS": str(len(existing)),
        "terms-MIN_NUM_FORMS": "0",
        "terms-MAX_NUM_FORMS": "1000",
    }
    for index, term in enumerate(existing):
        data.update(
            {
                f"terms-{index}-id": str(term.pk),
                f"terms-{index}-service": str(service.pk),
                f"terms-{index}-term": term.term,
                f"terms-{index}-kind": term.kind,
            }
        )
    for offset, word in enumerate(["Vierbeiner", "vierbeiner"]):
        index = len(existing) + offset
        data.update(
            {
                f"terms-{index}-service": str(service.pk),
                f"terms-{index}-term": word,
                f"terms-{index}-kind": "synonym",
            }
        )
    response = client.post(reverse("admin:catalogue_service_change", args=[service.pk]), data)
    assert response.status_code == 200
    assert "steht doppelt da" in response.content.decode()
    assert not service.terms.filter(term_folded="vierbeiner").exists()


def test_a_bad_synonym_file_names_its_line_and_loads_nothing(register, tmp_path):
    from django.core.management import CommandError, call_command

    bad = tmp_path / "synonyme.csv"
    bad.write_text("word,meaning\nGrillfest,Straßenfest\nzwei Wörter,Straßenfest\n")
    before = SearchSynonym.objects.count()
    with pytest.raises(CommandError, match=r"^synonyme.csv, Zeile 3: Geben Sie genau ein Wort"):
        call_command("load_service_terms", "--synonyme", str(bad))
    assert SearchSynonym.objects.count() == before
    assert not SearchSynonym.objects.filter(word_folded="grillfest").exists()
