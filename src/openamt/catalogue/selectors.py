"""Reads of the service catalogue (public)."""

from django.db.models import Case, IntegerField, QuerySet, Value, When

from openamt.catalogue import search
from openamt.catalogue.models import Service
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
