"""Writes to the service catalogue."""

import csv
import json
import re
import secrets
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

from django.core import signing
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from openamt.accounts.models import User
from openamt.catalogue import search, words
from openamt.catalogue.constants import TEXT_FIELDS, TermKind
from openamt.catalogue.importers.leika import CatalogueRow, OzgRow
from openamt.catalogue.models import (
    OzgService,
    SearchLogEntry,
    SearchSynonym,
    Service,
    ServiceTerm,
    ServiceText,
)
from openamt.core.audit import audit_record
from openamt.core.errors import InvalidInput, PermissionDenied
from openamt.core.imports import ImportSummary, Progress
from openamt.core.text import fold
from openamt.organisations import permissions
from openamt.organisations.models import Authority

DEFAULT_TERMS = Path(__file__).parent / "data" / "terms_thueringen.csv"
DEFAULT_TEXTS = Path(__file__).parent / "data" / "texts_thueringen.json"
DEFAULT_SYNONYMS = Path(__file__).parent / "data" / "synonyms_thueringen.csv"

_SERVICE_FIELDS = ["name", "in_leika", "typisierung", "ozg_service_id", "legal_basis", "laws"]


def _sync_ozg(rows: Iterable[OzgRow], summary: ImportSummary) -> dict[int, OzgService]:
    existing = {o.ozg_id: o for o in OzgService.objects.all()}
    wanted: dict[int, OzgRow] = {}
    for row in rows:
        wanted.setdefault(row.ozg_id, row)
    to_create, to_update = [], []
    for ozg_id, row in wanted.items():
        values = {"name": row.name, "lebenslage": row.lebenslage, "themenfeld": row.themenfeld}
        current = existing.get(ozg_id)
        if current is None:
            to_create.append(OzgService(ozg_id=ozg_id, **values))
        elif any(getattr(current, k) != v for k, v in values.items()):
            for key, value in values.items():
                setattr(current, key, value)
            to_update.append(current)
        else:
            summary.unchanged["ozg-leistung"] += 1
    OzgService.objects.bulk_create(to_create)
    OzgService.objects.bulk_update(to_update, ["name", "lebenslage", "themenfeld"])
    summary.created["ozg-leistung"] += len(to_create)
    summary.updated["ozg-leistung"] += len(to_update)
    return {o.ozg_id: o for o in OzgService.objects.all()}


@transaction.atomic
def services_import(
    *,
    rows: Iterable[CatalogueRow],
    ozg_rows: Iterable[OzgRow] = (),
    progress: Progress | None = None,
) -> ImportSummary:
    """Bring the catalogue up to one edition of the LeiKa/OZG list, idempotently.

    Rows with a malformed Leistungsschlüssel are skipped and listed (the
    published list carries a few test entries); services missing from a
    newer edition stay, because responsibilities and forms refer to them.
    """
    summary = ImportSummary()
    rows = list(rows)
    ozg_by_id = _sync_ozg([*ozg_rows, *(row.ozg for row in rows if row.ozg)], summary)
    existing = {s.leika_key: s for s in Service.objects.all()}
    seen: dict[str, int] = {}
    to_create, to_update = [], []
    for row in rows:
        if progress:
            progress(1)
        if not row.leika_key:
            summary.skipped["ungültiger Leistungsschlüssel"] += 1
            summary.notes.append(f"Zeile {row.line}: „{row.name}“ ohne gültigen Schlüssel")
            continue
        if row.leika_key in seen:
            summary.skipped["doppelt"] += 1
            summary.notes.append(f"Zeile {row.line}: doppelt zu Zeile {seen[row.leika_key]}")
            continue
        seen[row.leika_key] = row.line
        values = {
            "name": row.name,
            "in_leika": row.in_leika,
            "typisierung": row.typisierung,
            "ozg_service_id": ozg_by_id[row.ozg.ozg_id].pk if row.ozg else None,
            "legal_basis": row.legal_basis,
            "laws": row.laws,
        }
        service = existing.get(row.leika_key)
        if service is None:
            to_create.append(Service(leika_key=row.leika_key, name_folded=fold(row.name), **values))
        elif any(getattr(service, k) != v for k, v in values.items()):
            for key, value in values.items():
                setattr(service, key, value)
            service.name_folded = fold(row.name)
            to_update.append(service)
        else:
            summary.unchanged["leistung"] += 1
    Service.objects.bulk_create(to_create, batch_size=1000)
    Service.objects.bulk_update(to_update, [*_SERVICE_FIELDS, "name_folded"], batch_size=1000)
    summary.created["leistung"] += len(to_create)
    summary.updated["leistung"] += len(to_update)
    search.index_rebuild()
    gone = existing.keys() - seen.keys()
    if gone:
        summary.notes.append(f"{len(gone)} Leistungen fehlen in dieser Ausgabe (bleiben erhalten).")
    return summary


def service_rows(path: Path) -> Iterator[tuple[Service, dict[str, str]]]:
    """Rows of a project data CSV keyed by `leika_key`, with their service;
    a key missing from the catalogue is an error naming file and line."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    keys = [row["leika_key"] for row in rows]
    services = {s.leika_key: s for s in Service.objects.filter(leika_key__in=keys)}
    for number, row in enumerate(rows, start=2):
        service = services.get(row["leika_key"])
        if service is None:
            raise InvalidInput(
                f"{path.name}, Zeile {number}: Leistung {row['leika_key']} fehlt im Katalog."
            )
        yield service, row


@transaction.atomic
def terms_load(*, path: Path = DEFAULT_TERMS, synonyms: Path = DEFAULT_SYNONYMS) -> Counter[str]:
    """Search terms and popularity of common services (CSV: leika_key, popularity,
    terms separated by ";"), and the Land's synonyms (CSV: word, meaning).

    Idempotent: what exists stays, what is missing is added."""
    counts: Counter[str] = Counter()
    for service, row in service_rows(path):
        popularity = int(row["popularity"])
        if service.popularity != popularity:
            service.popularity = popularity
            service.save(update_fields=["popularity"])
            counts["popularity"] += 1
        for term in filter(None, (t.strip() for t in row["terms"].split(";"))):
            _, created = ServiceTerm.objects.get_or_create(
                service=service,
                term_folded=fold(term),
                defaults={"term": term, "kind": TermKind.KEYWORD},
            )
            counts["terms created" if created else "terms unchanged"] += 1
    with synonyms.open(encoding="utf-8", newline="") as handle:
        for number, row in enumerate(csv.DictReader(handle), start=2):
            try:
                word, meaning, word_folded, meaning_folded = _synonym_cleaned(
                    row["word"], row["meaning"]
                )
            except InvalidInput as error:
                raise InvalidInput(f"{synonyms.name}, Zeile {number}: {error.message}") from error
            _, created = SearchSynonym.objects.get_or_create(
                word_folded=word_folded,
                meaning_folded=meaning_folded,
                defaults={"word": word, "meaning": meaning},
            )
            counts["synonyms created" if created else "synonyms unchanged"] += 1
    search.index_rebuild()
    search.index_changed()
    return counts


@transaction.atomic
def service_term_add(
    *, actor: User, service: Service, term: str, kind: str = TermKind.SYNONYM
) -> ServiceTerm:
    """A Land admin adds a synonym or keyword; the search index follows at once."""
    if not permissions.is_land_admin(actor):
        raise PermissionDenied("Nur die Landesadministration pflegt Suchbegriffe.")
    term = term.strip()
    if not 2 <= len(term) <= 120:
        raise InvalidInput("Ein Suchbegriff hat 2 bis 120 Zeichen.", field="term")
    entry, created = ServiceTerm.objects.get_or_create(
        service=service, term_folded=fold(term), defaults={"term": term, "kind": TermKind(kind)}
    )
    if created:
        audit_record(
            actor=actor,
            action="service_term.add",
            target=entry,
            changes={"service": service.leika_key, "term": term},
        )
        search.index_rebuild()
    return entry


@transaction.atomic
def service_term_remove(*, actor: User, term: ServiceTerm) -> None:
    if not permissions.is_land_admin(actor):
        raise PermissionDenied("Nur die Landesadministration pflegt Suchbegriffe.")
    audit_record(
        actor=actor,
        action="service_term.remove",
        target=term,
        changes={"service": term.service.leika_key, "term": term.term},
    )
    term.delete()
    search.index_rebuild()


MAX_MEANING_WORDS = 4


def _synonym_cleaned(word: str, meaning: str) -> tuple[str, str, str, str]:
    """(word, meaning, folded word, folded meaning) of a synonym, or InvalidInput."""
    word, meaning = word.strip(), meaning.strip()
    word_words, meaning_words = words.words_of(word), words.words_of(meaning)
    if len(word_words) != 1 or not 2 <= len(word) <= 60:
        raise InvalidInput("Geben Sie genau ein Wort mit 2 bis 60 Zeichen ein.", field="word")
    if word_words[0] in words.STOP_WORDS:
        raise InvalidInput("Dieses Wort lässt die Suche immer weg.", field="word")
    meaning_words = [w for w in meaning_words if w not in words.STOP_WORDS]
    if not meaning_words or len(meaning_words) > MAX_MEANING_WORDS or len(meaning) > 120:
        raise InvalidInput(
            f"Geben Sie 1 bis {MAX_MEANING_WORDS} Wörter des Leistungskatalogs ein "
            "(höchstens 120 Zeichen).",
            field="meaning",
        )
    if meaning_words == word_words:
        raise InvalidInput("Die Bedeutung muss sich vom Wort unterscheiden.", field="meaning")
    return word, meaning, word_words[0], " ".join(meaning_words)


@transaction.atomic
def search_synonym_add(*, actor: User, word: str, meaning: str) -> SearchSynonym:
    """A Land admin says what an everyday word means in the catalogue; searches
    use it at once (other processes on their next search, see search.vocabulary)."""
    if not permissions.is_land_admin(actor):
        raise PermissionDenied("Nur die Landesadministration pflegt Synonyme der Suche.")
    word, meaning, word_folded, meaning_folded = _synonym_cleaned(word, meaning)
    synonym, created = SearchSynonym.objects.get_or_create(
        word_folded=word_folded,
        meaning_folded=meaning_folded,
        defaults={"word": word, "meaning": meaning},
    )
    if not created:
        raise InvalidInput(f"„{word}“ → „{meaning}“ gibt es schon.", field="meaning")
    audit_record(
        actor=actor,
        action="search_synonym.add",
        target=synonym,
        changes={"word": word, "meaning": meaning},
    )
    search.index_changed()
    return synonym


@transaction.atomic
def search_synonym_remove(*, actor: User, synonym: SearchSynonym) -> None:
    if not permissions.is_land_admin(actor):
        raise PermissionDenied("Nur die Landesadministration pflegt Synonyme der Suche.")
    audit_record(
        actor=actor,
        action="search_synonym.remove",
        target=synonym,
        changes={"word": synonym.word, "meaning": synonym.meaning},
    )
    synonym.delete()
    search.index_changed()


TEXT_NAMES = [name for name, _label in TEXT_FIELDS]
MAX_TEXT = 10_000


@transaction.atomic
def texts_load(*, path: Path = DEFAULT_TEXTS) -> Counter[str]:
    """The Land's starting texts of the services the shipped forms serve (JSON:
    {leika_key: {text field: text}}). A service that has a Land text already
    keeps it untouched: once loaded, the texts are the Land's to edit, and
    re-running (`make data`) changes nothing. Raises InvalidInput for a key
    missing from the catalogue or a field that is not a service text."""
    data = json.loads(path.read_text(encoding="utf-8"))
    services = {s.leika_key: s for s in Service.objects.filter(leika_key__in=list(data))}
    have_text = set(
        ServiceText.objects.filter(
            service__in=services.values(), authority__isnull=True
        ).values_list("service__leika_key", flat=True)
    )
    counts: Counter[str] = Counter()
    for leika_key, fields in data.items():
        if leika_key not in services:
            raise InvalidInput(f"{path.name}: Leistung {leika_key} fehlt im Katalog.")
        unknown = set(fields) - set(TEXT_NAMES)
        if unknown:
            raise InvalidInput(f"{path.name}, {leika_key}: unbekannte Felder {sorted(unknown)}.")
        if leika_key in have_text:
            counts["texts kept"] += 1
            continue
        text = ServiceText.objects.create(
            service=services[leika_key], authority=None, **{k: v.strip() for k, v in fields.items()}
        )
        audit_record(
            actor=None,
            action="service_text.load",
            target=text,
            changes={"service": leika_key, "source": path.name},
        )
        counts["texts created"] += 1
    return counts


@transaction.atomic
def service_text_save(
    *, actor: User, service: Service, authority: Authority | None, data: dict[str, str]
) -> ServiceText | None:
    """The Land's texts of a service (authority None) or an authority's
    specialisation, which wins field by field. Emptying every field of a
    specialisation removes it: the Land's text applies again."""
    allowed = (
        permissions.is_land_admin(actor)
        if authority is None
        else permissions.can_change_authority(actor, authority.pk)
    )
    if not allowed:
        raise PermissionDenied("Sie dürfen diese Leistungsbeschreibung nicht ändern.")
    unknown = set(data) - set(TEXT_NAMES)
    if unknown:
        raise InvalidInput(f"Nicht änderbare Felder: {', '.join(sorted(unknown))}.")
    cleaned = {name: data.get(name, "").strip() for name in TEXT_NAMES}
    for name, value in cleaned.items():
        if len(value) > MAX_TEXT:
            raise InvalidInput(f"Höchstens {MAX_TEXT:,} Zeichen.".replace(",", "."), field=name)
    text = (
        ServiceText.objects.select_for_update().filter(service=service, authority=authority).first()
    )
    before = {name: getattr(text, name) if text else "" for name in TEXT_NAMES}
    changes = {
        name: [before[name], value] for name, value in cleaned.items() if before[name] != value
    }
    if not changes:
        return text
    authority_id = authority.pk if authority else None
    if text is not None and authority is not None and not any(cleaned.values()):
        audit_record(
            actor=actor,
            action="service_text.remove",
            target=text,
            authority_id=authority_id,
            changes=changes,
        )
        text.delete()
        return None
    if text is None:
        text = ServiceText.objects.create(service=service, authority=authority, **cleaned)
    else:
        for name, value in cleaned.items():
            setattr(text, name, value)
        text.save()
    audit_record(
        actor=actor,
        action="service_text.update",
        target=text,
        authority_id=authority_id,
        changes={"service": service.leika_key, **changes},
    )
    return text


# The anonymous search log: what people looked for, never who or from where.
OPEN_SALT = "catalogue.search-result"
OPEN_MAX_AGE = 3600  # seconds a result link counts an opening
MAX_LOG_WORDS = 10
_NOT_LOGGED = re.compile(r"\S*@\S*")  # e-mail addresses


def search_log_query(text: str) -> str:
    """The form a query is logged in: lower-case words (NFC, umlauts kept),
    at most MAX_LOG_WORDS and 100 characters; e-mail addresses and words with
    digits (telephone, dates, customer numbers) are left out, as they may name
    a person. "" when nothing is left."""
    text = _NOT_LOGGED.sub(" ", unicodedata.normalize("NFC", text).casefold())
    words = [w for w in re.findall(r"\w+", text) if not any(ch.isdigit() for ch in w)]
    return " ".join(words[:MAX_LOG_WORDS])[:100].strip()


def _log_count(query: str, *, searches: int, opened: int, result_count: int | None) -> None:
    values: dict[str, object] = {
        "searches": F("searches") + searches,
        "opened": F("opened") + opened,
        "last_searched": timezone.localdate(),
    }
    if result_count is not None:
        values["result_count"] = result_count
    if SearchLogEntry.objects.filter(query=query).update(**values):
        return
    try:
        with transaction.atomic():
            SearchLogEntry.objects.create(
                query=query,
                searches=searches,
                opened=opened,
                result_count=result_count or 0,
                last_searched=timezone.localdate(),
            )
    except IntegrityError:  # another request created it meanwhile
        SearchLogEntry.objects.filter(query=query).update(**values)


def search_log_record(*, query: str, result_count: int) -> None:
    """Count one search of the portal (query as typed, number of results found)."""
    normalised = search_log_query(query)
    if normalised:
        _log_count(normalised, searches=1, opened=0, result_count=result_count)


def search_result_token(*, query: str, leika_key: str, counted: bool, result_count: int) -> str:
    """A signed, single-use token for a result link that counts its opening.

    `counted`: the search itself was already logged (a page submitted); live
    results (updated while typing) are logged as searched when one is opened.
    The token holds the logged form of the query, the key and a random nonce.
    """
    return signing.dumps(
        {
            "q": search_log_query(query),
            "k": leika_key,
            "c": counted,
            "r": result_count,
            "n": secrets.token_urlsafe(6),
        },
        salt=OPEN_SALT,
        compress=True,
    )


def search_result_open(*, token: str, leika_key: str) -> bool:
    """Count that a result was opened, if `token` is a fresh, unused token for
    this service (counted once per token: the nonce is remembered in the shared
    cache for OPEN_MAX_AGE). Returns whether it was counted."""
    try:
        data = signing.loads(token, salt=OPEN_SALT, max_age=OPEN_MAX_AGE)
    except signing.BadSignature:  # also expired
        return False
    if not isinstance(data, dict) or data.get("k") != leika_key or not data.get("q"):
        return False
    if not cache.add(f"catalogue:search-result:{data['n']}", 1, OPEN_MAX_AGE):
        return False
    counted = bool(data.get("c"))
    _log_count(
        str(data["q"]),
        searches=0 if counted else 1,
        opened=1,
        result_count=None if counted else int(data.get("r", 0)),
    )
    return True


@transaction.atomic
def search_log_dismiss(*, actor: User, entry: SearchLogEntry) -> None:
    """A Land admin takes a query off the list (dealt with, or not worth a term)."""
    if not permissions.is_land_admin(actor):
        raise PermissionDenied("Nur die Landesadministration bearbeitet das Suchprotokoll.")
    audit_record(
        actor=actor,
        action="search_log.dismiss",
        target=entry,
        changes={"query": entry.query, "searches": entry.searches, "opened": entry.opened},
    )
    entry.delete()
