"""Reads of the service catalogue (public)."""

from django.db.models import CharField, Count, Q, QuerySet, Value
from django.db.models.functions import Cast, Concat, StrIndex

from openamt.catalogue import search, words
from openamt.catalogue.constants import TEXT_FIELDS, SearchMiss
from openamt.catalogue.models import SearchLogEntry, SearchSynonym, Service, ServiceText
from openamt.core.errors import NotFound, PermissionDenied
from openamt.organisations import permissions
from openamt.organisations.permissions import AnyUser


def service_search(
    *, q: str = "", lebenslage: str | None = None, themenfeld: str | None = None
) -> QuerySet[Service]:
    """Services matching a German free-text query, best first (see catalogue.search
    for how a query is read and scored); without words, all services by name.
    At most search.MAX_RESULTS services match a query."""
    services = Service.objects.select_related("ozg_service")
    if lebenslage:
        services = services.filter(ozg_service__lebenslage=lebenslage)
    if themenfeld:
        services = services.filter(ozg_service__themenfeld=themenfeld)
    if not words.words_of(q):
        return services.order_by("name_folded", "pk")
    analysed = search.analyse(q)
    if not analysed:
        return services.none()
    ranked = search.ranked_ids(analysed, services)
    # The rank as one expression (the id's place in ",3,1,2,"), cheaper than a CASE per id.
    ids = Value(f",{','.join(map(str, ranked))},")
    position = StrIndex(ids, Concat(Value(","), Cast("pk", CharField()), Value(",")))
    return services.filter(pk__in=ranked).annotate(position=position).order_by("position")


def service_get(*, leika_key: str) -> Service:
    service = Service.objects.select_related("ozg_service").filter(leika_key=leika_key).first()
    if service is None:
        raise NotFound(f"Keine Leistung mit dem Schlüssel {leika_key}.")
    return service


def service_resolve(*, query: str) -> Service:
    """A Leistungsschlüssel, or the best match of a free-text query."""
    query = query.strip()
    if len(query) == 14 and (query.isdigit() or query.startswith("X")):
        return service_get(leika_key=query)
    service = service_search(q=query).first()
    if service is None:
        raise NotFound(f"Keine Leistung passt zu „{query}“.")
    return service


def service_texts(*, service: Service, authority_id: int | None = None) -> dict[str, str]:
    """{text field: text} of a service: the authority's specialisation wins field by
    field over the Land's text (as PVOG's Spezialisierung); empty fields are left
    out, and the catalogue's legal basis stands in where no text names one."""
    texts = {
        text.authority_id: text
        for text in ServiceText.objects.filter(service=service).filter(
            Q(authority__isnull=True) | Q(authority_id=authority_id)
        )
    }
    layers = [texts.get(authority_id), texts.get(None)] if authority_id else [texts.get(None)]
    result = {}
    for name, _label in TEXT_FIELDS:
        value = next((getattr(t, name) for t in layers if t and getattr(t, name)), "")
        if not value and name == "legal_basis":
            value = service.legal_basis
        if value:
            result[name] = value
    return result


def _facet(field: str) -> list[tuple[str, int]]:
    """Values of an OZG field with their number of services, for browsing."""
    path = f"ozg_service__{field}"
    rows = Service.objects.exclude(**{f"{path}": ""}).exclude(ozg_service__isnull=True)
    counted = rows.values_list(path).annotate(count=Count("pk")).order_by(path)
    return list(counted)


def lebenslagen() -> list[tuple[str, int]]:
    return _facet("lebenslage")


def themenfelder() -> list[tuple[str, int]]:
    return _facet("themenfeld")


def _land_reader(actor: AnyUser) -> None:
    if not permissions.land_roles(actor) & permissions.LAND_WIDE_READ:
        raise PermissionDenied("Nur Mitarbeitende des Landes sehen die Pflege der Suche.")


def search_synonym_list(*, actor: AnyUser, q: str = "") -> QuerySet[SearchSynonym]:
    """The Land's synonyms, by word; `q` narrows to words or meanings containing it.
    Raises PermissionDenied for anyone without a Land-wide role."""
    _land_reader(actor)
    synonyms = SearchSynonym.objects.all()
    folded = " ".join(words.words_of(q))
    if folded:
        synonyms = synonyms.filter(
            Q(word_folded__contains=folded) | Q(meaning_folded__contains=folded)
        )
    return synonyms.order_by("word_folded", "meaning_folded", "pk")


def search_log_misses(*, actor: AnyUser, miss: str) -> QuerySet[SearchLogEntry]:
    """Logged portal queries that found nothing (SearchMiss.NOTHING_FOUND) or whose
    results nobody opened (SearchMiss.NOTHING_OPENED), most searched first.
    Raises PermissionDenied for anyone without a Land-wide role."""
    _land_reader(actor)
    entries = SearchLogEntry.objects.all()
    if miss == SearchMiss.NOTHING_FOUND:
        entries = entries.filter(result_count=0)
    else:
        entries = entries.filter(result_count__gt=0, opened=0)
    return entries.order_by("-searches", "query", "pk")


def search_log_entry_get(*, actor: AnyUser, pk: int) -> SearchLogEntry:
    """One logged query; NotFound if there is none, PermissionDenied as above."""
    _land_reader(actor)
    entry = SearchLogEntry.objects.filter(pk=pk).first()
    if entry is None:
        raise NotFound("Diese Suchanfrage steht nicht im Protokoll.")
    return entry
