"""Tenant isolation: every staff URL, requested by staff of another authority.

The check walks the URL configuration, so a new staff URL is covered the
moment it exists; a URL argument it cannot fill fails the check until a
filler is added here.
"""

from collections.abc import Callable, Iterator
from typing import Any

from django.db.models import Q
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils import timezone

from openamt.core.models import AuditEntry
from openamt.organisations.models import Authority, AuthorityRole, Tenant


def _entry_of(authority: Authority) -> int:
    """A Zuständigkeit entry of the authority (made for the check if it has none)."""
    from openamt.catalogue.models import Service
    from openamt.responsibility.models import Responsibility

    entry = Responsibility.objects.filter(authority=authority).first()
    if entry is None:
        service = Service.objects.order_by("pk").first()
        assert service is not None, "the isolation check needs the service catalogue"
        entry = Responsibility.objects.create(
            authority=authority,
            service=service,
            area_ars=authority.register_region.ars if authority.register_region else "16",
        )
    return entry.pk


def _term() -> Any:
    from openamt.catalogue.models import ServiceTerm

    term = ServiceTerm.objects.select_related("service").order_by("pk").first()
    assert term is not None, "the isolation check needs the search terms"
    return term


def _synonym() -> int:
    from openamt.catalogue.models import SearchSynonym

    pk = SearchSynonym.objects.order_by("pk").values_list("pk", flat=True).first()
    assert pk is not None, "the isolation check needs the shipped synonyms"
    return pk


def _log_entry() -> int:
    """An entry of the search log (made for the check if there is none)."""
    from django.utils import timezone

    from openamt.catalogue.models import SearchLogEntry

    entry, _ = SearchLogEntry.objects.get_or_create(
        query="kinderkrippenplatz", defaults={"searches": 1, "last_searched": timezone.localdate()}
    )
    return entry.pk


def _message_of(authority: Authority) -> Any:
    """A message the authority delivered, with a reply that has an attachment."""
    from openamt.accounts.models import Account, User
    from openamt.mailbox.documents import document_store
    from openamt.mailbox.models import Message, Reply, ReplyAttachment
    from openamt.mailbox.services import mailbox_for, message_deliver
    from openamt.testing.documents import PNG_1X1

    message = Message.objects.filter(sender=authority).first()
    if message is None:
        user = User.objects.create_user(username=f"empfang-{authority.pk}@example.org")
        account = Account.objects.create(user=user)
        message, _ = message_deliver(
            sender=authority, address=mailbox_for(account).address, subject="Prüfung", body="Text"
        )
        reply = Reply.objects.create(message=message, author=user, body="Antwort")
        document, name = document_store(
            data=PNG_1X1, name="a.png", allowed=frozenset({"image/png"})
        )
        ReplyAttachment.objects.create(reply=reply, document=document, filename=name)
    return message


def _reply_attachment_of(authority: Authority) -> int:
    from openamt.mailbox.models import ReplyAttachment

    message = _message_of(authority)
    return ReplyAttachment.objects.filter(reply__message=message).values_list("pk", flat=True)[0]


def _form_of(authority: Authority) -> str:
    """A form the authority owns, with a draft (made for the check if it has none)."""
    from openamt.catalogue.models import Service
    from openamt.forms.editor import new_definition
    from openamt.forms.models import FormDefinition
    from openamt.forms.services import draft_save, form_create

    form = FormDefinition.objects.filter(owner=authority).first()
    if form is None:
        service = Service.objects.order_by("pk").first()
        assert service is not None, "the isolation check needs the service catalogue"
        form = form_create(
            actor=None,
            key=f"formular-{authority.pk}",
            service=service,
            title="Prüfung",
            owner=authority,
        )
        draft_save(actor=None, form=form, definition=new_definition("Prüfung"))
    return form.key


def _case_of(authority: Authority) -> Any:
    """A case of the authority with an applicant's Servicekonto and a document
    in its file (made for the check if it has none)."""
    from openamt.accounts.models import Account, User
    from openamt.cases import files
    from openamt.cases.constants import Channel, DocumentKind
    from openamt.cases.models import Case
    from openamt.catalogue.models import Service
    from openamt.testing.documents import sample_pdf

    case = Case.objects.filter(
        authority=authority, documents__isnull=False, applicant_user__isnull=False
    ).first()
    if case is None:
        service = Service.objects.order_by("pk").first()
        assert service is not None, "the isolation check needs the service catalogue"
        user = User.objects.create_user(username=f"antrag-{authority.pk}@example.org")
        Account.objects.create(user=user)
        case = Case.objects.create(
            authority=authority,
            reference=f"PRUEFUNG-{authority.pk}",
            file_number=f"PRUEFUNG-{authority.pk}",
            service=service,
            channel=Channel.PAPER,
            applicant_user=user,
            applicant_name="Prüfung",
            received_at=timezone.now(),
        )
        files.file_document_add(
            case=case,
            kind=DocumentKind.SCAN,
            title="Prüfung",
            data=sample_pdf("Prüfung"),
            name="pruefung.pdf",
            author=None,
            author_name="System",
        )
    return case


def _case_settings_of(authority: Authority) -> None:
    """A team, a filing plan entry, a decision template and an own deadline of
    the authority (made for the check if it has none), so that the check sees
    whether a request changed them."""
    from datetime import date

    from openamt.cases.models import DecisionTemplate, FilingPlanEntry, ServiceDeadline, Team
    from openamt.catalogue.models import Service

    service = Service.objects.order_by("pk").first()
    assert service is not None, "the isolation check needs the service catalogue"
    Team.objects.get_or_create(authority=authority, name="Prüfung")
    entry, _ = FilingPlanEntry.objects.get_or_create(
        authority=authority, code="000", defaults={"title": "Prüfung"}
    )
    entry.services.add(service)
    DecisionTemplate.objects.get_or_create(
        authority=authority,
        title="Prüfung",
        defaults={"subject": "Prüfung", "operative": "Prüfung", "legal_remedy": "Prüfung"},
    )
    ServiceDeadline.objects.get_or_create(
        authority=authority,
        service=service,
        valid_from=date(2000, 1, 1),
        defaults={"processing_working_days": 20, "legal_basis": "Prüfung"},
    )


def _case_document_of(authority: Authority) -> Any:
    return _case_of(authority).documents.order_by("pk").values_list("public_id", flat=True)[0]


def _decision_of(authority: Authority) -> Any:
    """A draft decision of the authority's case (made for the check if it has none)."""
    from openamt.cases.models import Decision

    case = _case_of(authority)
    decision = Decision.objects.filter(case=case).first()
    if decision is None:
        decision = Decision.objects.create(
            case=case, subject="Prüfung", operative="Prüfung", legal_remedy="Prüfung"
        )
    return decision.public_id


def _post_batch_of(authority: Authority) -> int:
    """A post batch of the authority (made for the check if it has none)."""
    import datetime

    from openamt.cases.models import PostBatch
    from openamt.mailbox.documents import document_store
    from openamt.testing.documents import sample_pdf

    batch = PostBatch.objects.filter(authority=authority).first()
    if batch is None:
        document, _ = document_store(data=sample_pdf("Prüfung"), name="p.pdf", field="batch")
        batch = PostBatch.objects.create(
            authority=authority, posted_on=datetime.date(2026, 1, 5), document=document
        )
    return batch.pk


# How to fill each URL argument so that it addresses the foreign authority.
ARGUMENT_FILLERS: dict[str, Callable[[Authority], Any]] = {
    "pk": lambda authority: authority.pk,
    "entry_pk": _entry_of,
    "leika_key": lambda authority: _term().service.leika_key,
    "term_pk": lambda authority: _term().pk,
    "synonym_pk": lambda authority: _synonym(),
    "log_pk": lambda authority: _log_entry(),
    "public_id": lambda authority: _message_of(authority).public_id,
    "attachment_pk": _reply_attachment_of,
    "form_key": _form_of,
    "case_id": lambda authority: _case_of(authority).public_id,
    "decision_id": _decision_of,
    "batch_pk": _post_batch_of,
    "number": lambda authority: 1,
    "position": lambda authority: "0.0",
    "step": lambda authority: 0,
    "legal_kind": lambda authority: "impressum",
}
# URLs whose arguments name other records than the same argument elsewhere:
# by the first word of the URL name ("case", "case-document", …).
NAMED_FILLERS: dict[str, dict[str, Callable[[Authority], Any]]] = {
    "case": {"document_id": _case_document_of},
}
# Pages of one authority that answer exactly 404 to anyone not of its staff:
# not even whether the authority's page exists is told (case statistics).
STRICT_NOT_FOUND = {"authority-statistics", "authority-statistics-csv"}
# Admin pages that address one authority: staff without admin rights must not get in.
ADMIN_URLS = ["admin:organisations_authority_change", "admin:organisations_authority_history"]


def staff_urls(foreign: Authority, namespace: str = "backoffice") -> Iterator[tuple[str, bool]]:
    """(url, addresses_one_authority) for every URL of the staff namespace."""
    for entry in get_resolver().url_patterns:
        if not (isinstance(entry, URLResolver) and entry.namespace == namespace):
            continue
        for pattern in entry.url_patterns:
            if not isinstance(pattern, URLPattern):
                continue
            arguments = set(pattern.pattern.regex.groupindex)
            fillers = {
                **ARGUMENT_FILLERS,
                **NAMED_FILLERS.get(str(pattern.name).split("-", 1)[0], {}),
            }
            unknown = arguments - fillers.keys()
            assert not unknown, f"{namespace}:{pattern.name}: no filler for {sorted(unknown)}"
            kwargs = {name: fillers[name](foreign) for name in arguments}
            yield reverse(f"{namespace}:{pattern.name}", kwargs=kwargs), bool(arguments)


def _snapshot(foreign: Authority) -> tuple[Any, ...]:
    from openamt.cases.models import (
        Case,
        CaseDocument,
        CaseMessage,
        Decision,
        DecisionTemplate,
        FilingPlanEntry,
        InformationRequest,
        PostBatch,
        ServiceDeadline,
        Team,
    )
    from openamt.catalogue.models import SearchLogEntry, SearchSynonym, ServiceTerm, ServiceText
    from openamt.forms.models import FormVersion
    from openamt.mailbox.models import Message
    from openamt.portal.models import LegalPage
    from openamt.responsibility.models import Responsibility, ResponsibilityRule
    from openamt.submissions.models import DeliveryEndpoint

    return (
        list(ServiceText.objects.filter(authority=foreign).values()),
        # Land-wide data that staff of one authority must not change either.
        list(ServiceText.objects.filter(authority__isnull=True).values()),
        list(ServiceTerm.objects.values_list("pk", "term")),
        list(SearchSynonym.objects.values_list("pk", "word", "meaning")),
        list(SearchLogEntry.objects.values()),
        list(ResponsibilityRule.objects.values_list("pk", "level", "reason")),
        list(Message.objects.filter(sender=foreign).values()),
        list(CaseMessage.objects.filter(case__authority=foreign).values()),
        list(InformationRequest.objects.filter(case__authority=foreign).values()),
        list(CaseDocument.objects.filter(case__authority=foreign).values()),
        list(Decision.objects.filter(case__authority=foreign).values()),
        list(PostBatch.objects.filter(authority=foreign).values()),
        Authority.objects.filter(pk=foreign.pk).values().get(),
        list(Tenant.objects.filter(authority=foreign).values()),
        list(AuthorityRole.objects.filter(authority=foreign).values()),
        list(Responsibility.objects.filter(authority=foreign).values()),
        list(FormVersion.objects.filter(form__owner=foreign).values()),
        list(DeliveryEndpoint.objects.filter(authority=foreign).values()),
        list(Team.objects.filter(authority=foreign).values()),
        list(Team.members.through.objects.filter(team__authority=foreign).order_by("pk").values()),
        list(FilingPlanEntry.objects.filter(authority=foreign).values()),
        list(
            FilingPlanEntry.services.through.objects.filter(filingplanentry__authority=foreign)
            .order_by("pk")
            .values()
        ),
        list(DecisionTemplate.objects.filter(authority=foreign).values()),
        # The authority's own deadlines and the Land-wide defaults.
        list(
            ServiceDeadline.objects.filter(Q(authority=foreign) | Q(authority__isnull=True))
            .order_by("pk")
            .values()
        ),
        list(FormVersion.objects.filter(form__owner__isnull=True).values()),
        list(LegalPage.objects.values()),
        list(Case.objects.filter(authority=foreign).values()),
        AuditEntry.objects.count(),
    )


def assert_isolated(client: Client, *, foreign: Authority, post_data: dict[str, str]) -> list[str]:
    """Staff logged in on `client` request every staff URL for `foreign`.

    URLs that address one authority must answer 403 or 404 to GET and POST;
    the others (lists) must not mention it. Nothing about `foreign` may
    change. Returns the URLs checked.
    """
    urls = list(staff_urls(foreign))  # fillers may create the records they address
    _case_settings_of(foreign)
    before = _snapshot(foreign)
    checked = []
    for url, addressed in urls:
        if addressed:
            for response in (client.get(url), client.post(url, post_data)):
                # 405: the URL refuses the method before looking at any record.
                assert response.status_code in (403, 404, 405), f"{url} -> {response.status_code}"
                if resolve(url).url_name in STRICT_NOT_FOUND:
                    assert response.status_code == 404, f"{url} -> {response.status_code}"
        else:
            response = client.get(url)
            if response.status_code == 200:
                assert foreign.name not in response.content.decode(), f"{url} shows {foreign}"
        checked.append(url)
    for name in ADMIN_URLS:
        url = reverse(name, args=[foreign.pk])
        for response in (client.get(url), client.post(url, post_data)):
            assert response.status_code in (302, 403, 404), f"{url} -> {response.status_code}"
            if response.status_code == 302:
                assert response["Location"].startswith(reverse("admin:login")), url
        checked.append(url)
    assert _snapshot(foreign) == before, "a request changed another authority's data"
    return checked
