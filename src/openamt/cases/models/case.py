"""A case (Vorgang) of an authority, its filing plan, teams and electronic file."""

import uuid

from django.conf import settings
from django.db import models

from openamt.accounts.models import BusinessAccount
from openamt.cases.constants import CaseStatus, Channel, DocumentKind, Priority
from openamt.catalogue.models import Service
from openamt.mailbox.models import Document
from openamt.organisations.models import Authority
from openamt.submissions.models import Submission


class FilingPlanEntry(models.Model):
    """One entry of an authority's filing plan (Aktenplan): the code the file
    numbers begin with, how long its files are kept after closing, and what
    the archive is offered (Bewertungsvorschlag)."""

    class Appraisal(models.TextChoices):
        # The proposal the Anbieteverzeichnis carries (xdomea code list
        # "Aussonderungsart": A archivwürdig, V vernichten, B bewerten).
        ARCHIVE = "A", "archivwürdig"
        DESTROY = "V", "vernichten"
        REVIEW = "B", "bewerten"

    authority = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="filing_plan")
    code = models.CharField("Aktenplankennzeichen", max_length=40)
    title = models.CharField("Betreff", max_length=200)
    retention_years = models.PositiveSmallIntegerField("Aufbewahrungsfrist (Jahre)", default=10)
    appraisal = models.CharField(
        "Bewertungsvorschlag", max_length=1, choices=Appraisal.choices, default=Appraisal.REVIEW
    )
    services = models.ManyToManyField(Service, blank=True, related_name="+")

    class Meta:
        verbose_name = "Aktenplaneintrag"
        verbose_name_plural = "Aktenplan"
        ordering = ["authority", "code"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "code"], name="filing_plan_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Team(models.Model):
    """Caseworkers of one authority who share cases. Where an authority has
    teams, a caseworker in a team sees the cases of her teams and those not
    given to any team."""

    authority = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField("Name", max_length=100)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="teams")

    class Meta:
        verbose_name = "Team"
        verbose_name_plural = "Teams"
        ordering = ["authority", "name"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "name"], name="team_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Case(models.Model):
    """A Vorgang: one application (online or on paper) and everything the
    authority does with it, up to the decision and the end of its file."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="cases")
    reference = models.CharField("Vorgangsnummer", max_length=40)
    file_number = models.CharField("Aktenzeichen", max_length=80)
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="+")
    submission = models.OneToOneField(
        Submission, on_delete=models.SET_NULL, null=True, blank=True, related_name="case"
    )
    filing_plan_entry = models.ForeignKey(
        FilingPlanEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="cases"
    )
    channel = models.CharField(
        "Eingangskanal", max_length=16, choices=Channel.choices, default=Channel.ONLINE
    )
    # The applicant: a Servicekonto, a business account, or only by post.
    # The name is kept on the case so that lists and search need no join and
    # the file still names its applicant after an account is deleted.
    applicant_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    applicant_business = models.ForeignKey(
        BusinessAccount, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    applicant_name = models.CharField("Antragsteller", max_length=200)
    applicant_address = models.JSONField("Postanschrift", default=dict, blank=True)
    status = models.CharField(
        "Status", max_length=24, choices=CaseStatus.choices, default=CaseStatus.NEW
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_cases",
        verbose_name="Bearbeitung",
    )
    team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="cases"
    )
    priority = models.PositiveSmallIntegerField(
        "Priorität", choices=Priority.choices, default=Priority.NORMAL
    )
    tags = models.JSONField("Schlagworte", default=list, blank=True)
    received_at = models.DateTimeField("eingegangen am")
    # Computed from the service's statutory period in working days (cases.rules).
    due_on = models.DateField("Frist", null=True, blank=True)
    warn_on = models.DateField("Vorwarnung ab", null=True, blank=True)
    fiction_on = models.DateField("Genehmigungsfiktion am", null=True, blank=True)
    resubmission_on = models.DateField("Wiedervorlage", null=True, blank=True)
    decided_at = models.DateTimeField("entschieden am", null=True, blank=True)
    closed_at = models.DateTimeField("abgeschlossen am", null=True, blank=True)
    retention_until = models.DateField("aufzubewahren bis", null=True, blank=True)
    legal_hold = models.BooleanField("Löschsperre", default=False)
    # Reference, file number, applicant, service and answers as one text for
    # the full-text index (FTS5 on SQLite, tsvector on PostgreSQL).
    search_document = models.TextField(blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "Vorgang"
        verbose_name_plural = "Vorgänge"
        constraints = [
            models.UniqueConstraint(fields=["authority", "reference"], name="case_reference_unique")
        ]
        # The inbox's filters, each leading with the authority so that one
        # authority's page never reads another's rows.
        indexes = [
            models.Index(fields=["authority", "-received_at", "-id"], name="case_inbox"),
            # The team last: the inbox's count (status and team scope) reads
            # this index alone, never the table (an index-only scan).
            models.Index(
                fields=["authority", "status", "-received_at", "team"], name="case_status"
            ),
            models.Index(fields=["authority", "assignee", "status"], name="case_assignee"),
            models.Index(fields=["authority", "due_on"], name="case_due"),
            models.Index(fields=["authority", "resubmission_on"], name="case_resubmission"),
            models.Index(fields=["authority", "service", "-received_at"], name="case_service"),
            models.Index(fields=["authority", "team", "-received_at"], name="case_team"),
            models.Index(fields=["authority", "priority", "-received_at"], name="case_priority"),
            models.Index(fields=["authority", "file_number"], name="case_file_number"),
        ]

    def __str__(self) -> str:
        return self.file_number


class CaseDocument(models.Model):
    """One version of one document in the electronic file (E-Akte). Rows are
    never changed: a new version is a new row that names the one it replaces.
    The bytes live once per SHA-256 (mailbox.Document)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField("Art", max_length=24, choices=DocumentKind.choices)
    title = models.CharField("Titel", max_length=200)
    filename = models.CharField("Dateiname", max_length=120)
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveSmallIntegerField("Version", default=1)
    replaces = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="replaced_by"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Who wrote it, as the file shows it ("Antragsteller", a caseworker's name):
    # kept when accounts go.
    author_name = models.CharField("Urheber", max_length=200)
    # The text of a note or message, shown on the case page; the bytes are the record.
    text = models.TextField(blank=True)
    created_at = models.DateTimeField("erstellt am", auto_now_add=True)

    class Meta:
        verbose_name = "Dokument der Akte"
        verbose_name_plural = "Dokumente der Akte"
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["case", "created_at", "id"])]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"
