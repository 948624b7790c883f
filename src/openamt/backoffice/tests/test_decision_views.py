"""The caseworker's decision pages: draft from a template, edit, sign-off,
issue, the case page panel, by post in a batch, and who may do what."""

import datetime

import pytest
from django import forms
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from openamt.accounts.models import User
from openamt.backoffice.decision_forms import cents_of
from openamt.cases.constants import CaseStatus
from openamt.cases.decisions import (
    decision_draft,
    decision_issue,
    decision_submit,
    decision_to_post,
    post_batch_create,
)
from openamt.cases.models import Case, Decision, PostBatch
from openamt.cases.services import case_transition
from openamt.cases.tests.conftest import fresh_case  # noqa: F401  (fixture)
from openamt.cases.tests.test_decisions import REMEDY, holder_case, template  # noqa: F401
from openamt.core.models import AuditEntry
from openamt.organisations.constants import AuthorityRoleName
from openamt.organisations.models import Authority
from openamt.organisations.services import authority_role_grant
from openamt.submissions.tests.conftest import dog_form, moxa  # noqa: F401  (fixtures)

COSIGN_REFUSED = "Mitzeichnen muss eine andere Person als die Verfasserin."


def _staff(authority: Authority, username: str, role: str = AuthorityRoleName.CASEWORKER) -> User:
    user = User.objects.create_user(username=username, first_name="Jana", last_name=username)
    authority_role_grant(actor=None, user=user, authority=authority, role=role)
    return user


def _in_progress(case: Case, worker: User) -> Case:
    return case_transition(actor=worker, case=case, to=CaseStatus.IN_PROGRESS)


def _urls(case: Case, decision: Decision) -> dict[str, str]:
    kwargs = {"case_id": case.public_id, "decision_id": decision.public_id}
    return {
        "decisions": reverse("backoffice:case-decisions", kwargs={"case_id": case.public_id}),
        "detail": reverse("backoffice:case-decision", kwargs=kwargs),
        "action": reverse("backoffice:case-decision-action", kwargs=kwargs),
        "preview": reverse("backoffice:case-decision-preview", kwargs=kwargs),
        "file": reverse("backoffice:case-decision-file", kwargs=kwargs),
        "post": reverse("backoffice:post-batches", kwargs={"pk": case.authority_id}),
    }


def _panel(case: Case, user: User) -> str:
    request = RequestFactory().get("/")
    request.user = user
    page = Template("{% load case_decisions %}{% case_decisions_panel case user %}")
    return page.render(Context({"case": case, "user": user, "request": request}))


def _edit(decision: Decision, **changes: str) -> dict[str, str]:
    return {
        "subject": decision.subject,
        "operative": decision.operative,
        "reasons": decision.reasons,
        "fee": "25,50",
        "fee_legal_basis": decision.fee_legal_basis,
        "legal_remedy": decision.legal_remedy,
        **changes,
    }


@pytest.mark.parametrize(
    ("text", "cents"),
    [("25", 2500), ("25,5", 2550), ("25,50 €", 2550), ("1.234,50", 123450), ("0", 0)],
)
def test_the_fee_is_read_as_german_euros(text, cents):
    assert cents_of(text) == cents


@pytest.mark.parametrize("text", ["25.50", "-3", "1,234", "zehn", "1.23,00"])
def test_a_fee_not_written_as_euros_is_refused(text):
    with pytest.raises(forms.ValidationError):
        cents_of(text)


def test_the_decision_goes_from_template_to_postfach_through_the_pages(
    holder_case,  # noqa: F811
    template,  # noqa: F811
    client,
):
    author = _staff(holder_case.authority, "verfasserin")
    second = _staff(holder_case.authority, "zweite")
    case = _in_progress(holder_case, author)
    chosen = template(case, cosign_required=True)
    client.force_login(author)
    page = client.get(reverse("backoffice:case-decisions", kwargs={"case_id": case.public_id}))
    assert page.status_code == 200
    assert "Bescheid entwerfen" in page.content.decode()
    assert "Hundesteuer festsetzen" in page.content.decode()

    response = client.post(
        reverse("backoffice:case-decisions", kwargs={"case_id": case.public_id}),
        {"template": chosen.pk},
    )
    decision = Decision.objects.get(case=case)
    urls = _urls(case, decision)
    assert response.status_code == 302
    assert response["Location"] == urls["detail"]
    assert decision.subject == "Hundesteuerbescheid für Erika"
    page = client.get(urls["detail"]).content.decode()
    assert "{{ antragsteller }}" in page
    assert 'value="25,50"' in page

    # A typo in a placeholder: the German error at its field and in the summary, nothing saved.
    response = client.post(urls["detail"], _edit(decision, reasons="Für {{ nmae }}.", fee="30"))
    assert response.status_code == 422
    assert response.context["form"].errors["reasons"] == [
        "Den Platzhalter „{{ nmae }}“ gibt es nicht. Möglich sind: "
        + ", ".join(
            f"{{{{ {n} }}}}"
            for n in (
                "antragsteller",
                "aktenzeichen",
                "vorgangsnummer",
                "leistung",
                "eingangsdatum",
                "behoerde",
                "datum",
                "gebuehr",
            )
        )
        + "."
    ]
    html = response.content.decode()
    assert 'id="id_reasons-error"' in html
    assert 'class="kern-alert kern-alert--danger error-summary"' in html
    saved = Decision.objects.get(pk=decision.pk)
    assert (saved.reasons, saved.fee_cents) == (decision.reasons, 2550)

    response = client.post(urls["detail"], _edit(decision, fee="1.030,50"))
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.fee_cents == 103050

    preview = client.get(urls["preview"])
    assert (preview.status_code, preview["Content-Type"]) == (200, "application/pdf")
    assert preview["Content-Disposition"].startswith("inline;")
    assert preview.content.startswith(b"%PDF")

    assert client.post(urls["action"], {"action": "submit"}).status_code == 302
    decision.refresh_from_db()
    assert decision.status == Decision.Status.COSIGN

    # Four eyes: the author's own sign-off is refused on the page, nothing changes.
    audits = AuditEntry.objects.count()
    response = client.post(urls["action"], {"action": "cosign"})
    assert response.status_code == 403
    assert COSIGN_REFUSED in response.content.decode()
    decision.refresh_from_db()
    assert (decision.status, decision.cosigner) == (Decision.Status.COSIGN, None)
    assert AuditEntry.objects.count() == audits

    client.force_login(second)
    assert client.post(urls["action"], {"action": "return"}).status_code == 302
    decision.refresh_from_db()
    assert decision.status == Decision.Status.DRAFT
    client.force_login(author)
    assert client.post(urls["action"], {"action": "submit"}).status_code == 302
    client.force_login(second)
    assert client.post(urls["action"], {"action": "cosign"}).status_code == 302
    decision.refresh_from_db()
    assert (decision.status, decision.cosigner) == (Decision.Status.APPROVED, second)

    assert client.post(urls["action"], {"action": "issue"}).status_code == 302
    decision.refresh_from_db()
    assert (decision.status, decision.route) == (Decision.Status.ISSUED, Decision.Route.MAILBOX)
    case.refresh_from_db()
    assert case.status == CaseStatus.DECIDED

    panel = _panel(case, author)
    assert '<dd class="kern-description-list-item__value decision-route">Postfach</dd>' in panel
    assert f'href="{urls["file"]}"' in panel
    assert "Bescheid entwerfen" not in panel  # the case is decided
    sealed = client.get(urls["file"])
    assert sealed.status_code == 200
    assert b"".join(sealed.streaming_content) == decision.document.document.file.read()


def test_a_decision_not_retrieved_is_flagged_and_sent_by_post(
    holder_case,  # noqa: F811
    template,  # noqa: F811
    client,
):
    worker = _staff(holder_case.authority, "bearbeiterin")
    case = _in_progress(holder_case, worker)
    decision = decision_issue(
        actor=worker,
        decision=decision_submit(
            actor=worker, decision=decision_draft(actor=worker, case=case, template=template(case))
        ),
    )
    assert "nicht abgerufen" not in _panel(case, worker)
    Decision.objects.filter(pk=decision.pk).update(
        notified_at=timezone.now() - datetime.timedelta(days=30)
    )
    assert "nicht abgerufen – bitte per Post senden" in _panel(case, worker)
    client.force_login(worker)
    response = client.post(_urls(case, decision)["action"], {"action": "post"})
    assert response.status_code == 302
    decision.refresh_from_db()
    assert (decision.route, decision.post_batch) == (Decision.Route.POST, None)
    assert "Wartet auf den" in _panel(case, worker)


def test_without_a_postfach_the_decision_goes_in_a_post_batch(
    fresh_case,  # noqa: F811
    template,  # noqa: F811
    client,
):
    worker = _staff(fresh_case.authority, "bearbeiterin")
    case = _in_progress(fresh_case, worker)
    decision = decision_submit(
        actor=worker, decision=decision_draft(actor=worker, case=case, template=template(case))
    )
    urls = _urls(case, decision)
    client.force_login(worker)
    assert client.post(urls["action"], {"action": "issue"}).status_code == 302
    decision.refresh_from_db()
    assert (decision.route, decision.message) == (Decision.Route.POST, None)
    panel = _panel(case, worker)
    assert '<dd class="kern-description-list-item__value decision-route">Post</dd>' in panel
    assert f'href="{urls["post"]}"' in panel

    page = client.get(urls["post"])
    assert [d.pk for d in page.context["pending"]] == [decision.pk]
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    refused = client.post(urls["post"], {"posted_on": yesterday.isoformat()})
    assert refused.status_code == 422
    assert refused.context["form"].errors["posted_on"] == [
        "Der Tag der Aufgabe darf nicht in der Vergangenheit liegen."
    ]
    assert PostBatch.objects.count() == 0

    today = timezone.localdate()
    response = client.post(urls["post"], {"posted_on": today.isoformat()})
    assert response.status_code == 302
    batch = PostBatch.objects.get()
    decision.refresh_from_db()
    assert (decision.post_batch, batch.posted_on) == (batch, today)
    page = client.get(urls["post"])
    assert page.context["pending"] == []
    assert [b.pk for b in page.context["page"]] == [batch.pk]
    batch_url = reverse(
        "backoffice:post-batch-file", kwargs={"pk": case.authority_id, "batch_pk": batch.pk}
    )
    assert batch_url in page.content.decode()
    download = client.get(batch_url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    panel = _panel(case, worker)
    made_known = f"{decision.made_known_on:%d.%m.%Y}"
    assert f'decision-made-known">{made_known}</dd>' in panel
    assert f"{decision.remedy_ends_on:%d.%m.%Y}" in panel


@pytest.fixture
def sent(holder_case, template) -> Decision:  # noqa: F811
    """An issued decision of the case that went by post in a batch, and a draft."""
    worker = _staff(holder_case.authority, "bearbeiterin")
    case = _in_progress(holder_case, worker)
    decision = decision_issue(
        actor=worker,
        decision=decision_submit(
            actor=worker, decision=decision_draft(actor=worker, case=case, template=template(case))
        ),
    )
    decision_to_post(actor=worker, decision=decision)
    post_batch_create(actor=worker, authority_id=case.authority_id)
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.IN_PROGRESS)
    decision_draft(actor=worker, case=case, template=template(case))
    return Decision.objects.select_related("case").get(pk=decision.pk)


def _every_url(decision: Decision) -> list[str]:
    case = decision.case
    batch = PostBatch.objects.get()
    draft = Decision.objects.get(case=case, status=Decision.Status.DRAFT)
    of_draft = _urls(case, draft)
    del of_draft["file"]  # a draft has no sealed PDF yet
    urls = list(_urls(case, decision).values()) + list(of_draft.values())
    return [
        *urls,
        reverse(
            "backoffice:post-batch-file", kwargs={"pk": case.authority_id, "batch_pk": batch.pk}
        ),
    ]


def _state() -> tuple:
    return (
        list(Decision.objects.order_by("pk").values()),
        list(PostBatch.objects.values()),
        AuditEntry.objects.count(),
    )


POST_DATA = {
    "template": "1",
    "action": "submit",
    "subject": "x",
    "operative": "y",
    "legal_remedy": "z",
    "fee": "1",
    "posted_on": "2099-01-01",
}


def test_another_authoritys_caseworker_gets_404_everywhere(sent, client):
    other = Authority.objects.exclude(pk=sent.case.authority_id).order_by("pk").first()
    client.force_login(_staff(other, "fremd"))
    before = _state()
    for url in _every_url(sent):
        assert client.get(url).status_code in (404, 405), url  # 405: POST-only step
        # 405: downloads answer GET only
        assert client.post(url, POST_DATA).status_code in (404, 405), url
    assert _state() == before


def test_an_auditor_reads_but_every_post_is_refused(sent, client):
    client.force_login(_staff(sent.case.authority, "pruefer", AuthorityRoleName.READ_ONLY))
    before = _state()
    for url in _every_url(sent):
        if not url.endswith("/schritt/"):
            assert client.get(url).status_code == 200, url
        download = url.endswith((".pdf", f"/{PostBatch.objects.get().pk}/"))
        assert client.post(url, POST_DATA).status_code == (405 if download else 403), url
    assert _state() == before
    html = _panel(sent.case, User.objects.get(username="pruefer"))
    assert "Bescheid entwerfen" not in html
    assert "Per Post senden" not in html
