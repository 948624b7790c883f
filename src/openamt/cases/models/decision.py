"""Decisions (Bescheide): templates per service and authority, the decision of
a case from draft through sign-off and seal to its Bekanntgabe, and the
batches of decisions that go by post."""

import uuid

from django.conf import settings
from django.db import models

from openamt.cases.models.case import Case, CaseDocument
from openamt.catalogue.models import Service
from openamt.mailbox.models import Document, Message
from openamt.organisations.models import Authority


class DecisionTemplate(models.Model):
    """The wording an authority decides a service with. Texts may name the
    placeholders of `cases.decisions.PLACEHOLDERS` as {{ name }}."""

    authority = models.ForeignKey(
        Authority, on_delete=models.CASCADE, related_name="decision_templates"
    )
    service = models.ForeignKey(
        Service, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    title = models.CharField("Bezeichnung", max_length=200)
    subject = models.CharField("Betreff", max_length=200)
    operative = models.TextField("Entscheidung (Tenor)")
    reasons = models.TextField("Begründung", blank=True)
    fee_cents = models.PositiveIntegerField("Gebühr (Cent)", default=0)
    fee_legal_basis = models.CharField("Rechtsgrundlage der Gebühr", max_length=300, blank=True)
    legal_remedy = models.TextField("Rechtsbehelfsbelehrung")
    cosign_required = models.BooleanField("Mitzeichnung nötig", default=False)
    active = models.BooleanField("aktiv", default=True)

    class Meta:
        verbose_name = "Bescheidvorlage"
        verbose_name_plural = "Bescheidvorlagen"
        ordering = ["authority", "title"]

    def __str__(self) -> str:
        return self.title


class PostBatch(models.Model):
    """Decisions printed together for dispatch by post on one day: one PDF
    with every letter, each with its DIN 5008 address window."""

    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    posted_on = models.DateField("aufgegeben am")
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "Postausgang"
        verbose_name_plural = "Postausgänge"

    def __str__(self) -> str:
        return f"Postausgang {self.posted_on:%d.%m.%Y}"


class Decision(models.Model):
    """The Bescheid of a case: drafted from a template, signed off by a second
    person where required, rendered as PDF/A and sealed, then made known
    through the Postfach (or by post), with the dates the law attaches to it."""

    class Status(models.TextChoices):
        DRAFT = "entwurf", "Entwurf"
        COSIGN = "mitzeichnung", "zur Mitzeichnung"
        APPROVED = "freigegeben", "freigegeben"
        ISSUED = "erlassen", "erlassen"

    class Route(models.TextChoices):
        MAILBOX = "postfach", "Postfach"
        POST = "post", "Post"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="decisions")
    template = models.ForeignKey(
        DecisionTemplate, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    subject = models.CharField("Betreff", max_length=200)
    operative = models.TextField("Entscheidung (Tenor)")
    reasons = models.TextField("Begründung", blank=True)
    fee_cents = models.PositiveIntegerField("Gebühr (Cent)", default=0)
    fee_legal_basis = models.CharField("Rechtsgrundlage der Gebühr", max_length=300, blank=True)
    legal_remedy = models.TextField("Rechtsbehelfsbelehrung")
    cosign_required = models.BooleanField("Mitzeichnung nötig", default=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    cosigner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cosigned_at = models.DateTimeField("mitgezeichnet am", null=True, blank=True)
    issued_at = models.DateTimeField("erlassen am", null=True, blank=True)
    document = models.OneToOneField(
        CaseDocument, on_delete=models.PROTECT, null=True, blank=True, related_name="decision"
    )
    route = models.CharField("Bekanntgabe durch", max_length=16, choices=Route.choices, blank=True)
    message = models.OneToOneField(
        Message, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Postfach: provided for retrieval (notified) and first retrieved (proof of access).
    notified_at = models.DateTimeField("zum Abruf bereitgestellt", null=True, blank=True)
    retrieved_at = models.DateTimeField("abgerufen", null=True, blank=True)
    retrieval_alerted_at = models.DateTimeField(null=True, blank=True)
    post_batch = models.ForeignKey(
        PostBatch, on_delete=models.PROTECT, null=True, blank=True, related_name="decisions"
    )
    # Computed by `cases.rules` with the rule valid on the day of sending.
    made_known_on = models.DateField("bekanntgegeben am", null=True, blank=True)
    remedy_ends_on = models.DateField("Rechtsbehelfsfrist endet", null=True, blank=True)
    legal_basis = models.CharField("Rechtsgrundlage der Bekanntgabe", max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "Bescheid"
        verbose_name_plural = "Bescheide"
        indexes = [models.Index(fields=["route", "retrieved_at", "notified_at"])]

    def __str__(self) -> str:
        return self.subject
