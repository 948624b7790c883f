"""Reads of the service catalogue (public)."""

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from openamt.catalogue.models import Service, ServiceTerm
from openamt.core.errors import NotFound
from openamt.core.text import fold


def service_search(
    *, q: str = "", lebenslage: str | None = None, themenfeld: str | None = None
) -> QuerySet[Service]:
    """Services whose name or search terms contain every word of `q`.

    Ranked: exact name, name prefix, then the rest; more popular first.
    """
    services = Service.objects.select_related("ozg_service")
    if lebenslage:
        services = services.filter(ozg_service__lebenslage=lebenslage)
    if themenfeld:
        services = services.filter(ozg_service__themenfeld=themenfeld)
    words = fold(q).split()
    if not words:
        return services.order_by("name_folded", "pk")
    for word in words:
        by_term = ServiceTerm.objects.filter(term_folded__contains=word).values("service_id")
        services = services.filter(Q(name_folded__contains=word) | Q(pk__in=by_term))
    phrase = " ".join(words)
    relevance = Case(
        When(name_folded=phrase, then=Value(0)),
        When(name_folded__startswith=phrase, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return services.annotate(relevance=relevance).order_by(
        "relevance", "-popularity", "name_folded", "pk"
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
