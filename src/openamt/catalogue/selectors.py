"""Reads of the service catalogue (public)."""

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When

from openamt.catalogue import search
from openamt.catalogue.constants import TEXT_FIELDS
from openamt.catalogue.models import Service, ServiceText
from openamt.core.errors import NotFound


def service_search(
    *, q: str = "", lebenslage: str | None = None, themenfeld: str | None = None
) -> QuerySet[Service]:
    """Services matching a German free-text query, best first.

    Order: the name equals the query, the name starts with it, then full-text
    relevance with popularity first among equally named matches.
    """
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
    # When no service has every word, the services with most of them follow.
    ranked = search.matching_ids(analysed) or search.matching_ids(analysed.relaxed())
    position = Case(
        *(When(pk=pk, then=Value(index)) for index, (pk, _rank) in enumerate(ranked)),
        output_field=IntegerField(),
    )
    phrase = " ".join(search.words_of(q))
    name_class = Case(
        When(name_folded=phrase, then=Value(0)),
        When(name_folded__startswith=phrase, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return (
        services.filter(pk__in=[pk for pk, _rank in ranked])
        .annotate(name_class=name_class, position=position)
        .order_by("name_class", "-popularity", "position", "pk")
    )


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
