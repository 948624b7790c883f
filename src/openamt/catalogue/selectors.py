"""Reads of the service catalogue (public)."""

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When

from openamt.catalogue import search
from openamt.catalogue.constants import TEXT_FIELDS
from openamt.catalogue.models import Service, ServiceText
from openamt.core.errors import NotFound


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
    if not search.words_of(q):
        return services.order_by("name_folded", "pk")
    analysed = search.analyse(q)
    if not analysed:
        return services.none()
    ranked = search.ranked_ids(analysed, services)
    position = Case(
        *(When(pk=pk, then=Value(index)) for index, pk in enumerate(ranked)),
        output_field=IntegerField(),
    )
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


def service_texts(*, service: Service, authority_id: int | None = None) -> list[tuple[str, str]]:
    """(label, text) of a service: the authority's specialisation wins field by
    field over the Land's text (as PVOG's Spezialisierung); empty fields are left out."""
    texts = {
        text.authority_id: text
        for text in ServiceText.objects.filter(service=service).filter(
            Q(authority__isnull=True) | Q(authority_id=authority_id)
        )
    }
    layers = [texts.get(authority_id), texts.get(None)] if authority_id else [texts.get(None)]
    result = []
    for name, label in TEXT_FIELDS:
        value = next((getattr(t, name) for t in layers if t and getattr(t, name)), "")
        if not value and name == "legal_basis":
            value = service.legal_basis
        if value:
            result.append((label, value))
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
