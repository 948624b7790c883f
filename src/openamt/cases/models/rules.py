"""Legal rules as data (GUIDE §8): the periods and fictions that decide when a
decision counts as made known, when the objection period ends and when an
application must be decided.

Every row carries its legal basis (citation and link) and the days it is in
force (`valid_from`, `valid_to` inclusive, open-ended when empty); the law
changes (the federal postal fiction moved from the third to the fourth day on
1 January 2025), so a computation always uses the row valid on the day that
the law makes relevant (`openamt.cases.rules.rule_valid_on`): the day of
posting, of the notification, of the Bekanntgabe, of the receipt. Old rows
stay: decisions made under them are still computed with them.

The seeded rows, their sources and what is uncertain about them are in the
migration that creates them (`0002_seed_legal_rules`) and in `docs/legal-rules.md`.
"""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from openamt.catalogue.models import Service
from openamt.core.models import TimeStampedModel
from openamt.organisations.models import Authority


class Jurisdiction(models.TextChoices):
    """Whose procedural law governs: federal authorities apply the VwVfG,
    authorities of the Land and its municipalities the Land's ThürVwVfG
    (§ 1 Abs. 3 VwVfG)."""

    FEDERAL = "bund", "Bund"
    LAND = "land", "Land (Thüringen)"


class BekanntgabeChannel(models.TextChoices):
    POST = "post", "Post (einfacher Brief)"
    ELECTRONIC = "elektronisch", "elektronisch übermittelt"
    RETRIEVAL = "abruf", "Abruf aus dem Postfach"


class Remedy(models.TextChoices):
    WIDERSPRUCH = "widerspruch", "Widerspruch"
    KLAGE = "klage", "Klage"


class LegalRule(TimeStampedModel):
    """What every rule row has: its legal basis and validity."""

    legal_basis = models.TextField(
        "Rechtsgrundlage", help_text="Fundstelle, wie sie Sachbearbeitern angezeigt wird."
    )
    legal_basis_url = models.URLField("Rechtsgrundlage (Link)", max_length=500, blank=True)
    note = models.TextField(
        "Erläuterung", blank=True, help_text="Quellen, Auslegung, offene Fragen."
    )
    valid_from = models.DateField("gültig ab")
    valid_to = models.DateField("gültig bis (einschließlich)", null=True, blank=True)

    class Meta:
        abstract = True

    def rule_scope(self) -> dict[str, Any]:
        """The fields that make two rows rules for the same thing (their
        validity must not overlap)."""
        raise NotImplementedError

    def clean(self) -> None:
        super().clean()
        if not self.valid_from:
            return
        if self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": "Das Ende liegt vor dem Beginn der Gültigkeit."})
        overlapping = (
            type(self)
            ._default_manager.filter(**self.rule_scope())
            .exclude(pk=self.pk)
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=self.valid_from))
        )
        if self.valid_to:
            overlapping = overlapping.filter(valid_from__lte=self.valid_to)
        other = overlapping.order_by("valid_from").first()
        if other is not None:
            raise ValidationError(
                {
                    "valid_from": f"Die Gültigkeit überschneidet sich mit „{other}“: "
                    "bitte dort ein Ende eintragen."
                }
            )

    def in_force_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


def _valid_range(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
        name=f"{name}_valid_range",
    )


class BekanntgabeRule(LegalRule):
    """When a decision sent one way counts as made known (Bekanntgabe).

    Post and electronic transmission (§ 41 Abs. 2 VwVfG): made known on the
    `days_after_event`-th day after posting or sending; the fiction yields
    when the decision arrived later or not at all (the authority must then
    prove the receipt), which the platform cannot know and does not model.

    Retrieval from the Postfach (§ 41 Abs. 2a VwVfG): made known on the
    `days_after_event`-th day after the retrieval (1: "am Tag nach dem
    Abruf"); if it is not retrieved within `retrieval_period_days` after the
    notification was sent, the provision ends and the decision is not made
    known.

    `fiction_moves_to_working_day`: whether a fiction day on a Saturday,
    Sunday or public holiday moves to the next working day. Not for the
    VwVfG (the fiction fixes a day, it is no period that § 31 Abs. 3 VwVfG
    extends: OVG Lüneburg, 26.10.2006, 7 PA 184/06); the Abgabenordnung
    does (BFH, 14.10.2003, IX R 68/98, § 108 Abs. 3 AO), hence a flag.
    `retrieval_end_moves_to_working_day`: the same for the last day of the
    retrieval period (see the seed migration for why it is off).
    """

    channel = models.CharField("Bekanntgabeweg", max_length=16, choices=BekanntgabeChannel.choices)
    jurisdiction = models.CharField(
        "Rechtskreis", max_length=8, choices=Jurisdiction.choices, default=Jurisdiction.LAND
    )
    days_after_event = models.PositiveSmallIntegerField(
        "bekannt gegeben am n-ten Tag danach",
        help_text="nach Aufgabe zur Post, Absendung bzw. Abruf (Kalendertage)",
    )
    fiction_moves_to_working_day = models.BooleanField(
        "fällt der Tag auf Samstag, Sonntag oder Feiertag: nächster Werktag", default=False
    )
    retrieval_period_days = models.PositiveSmallIntegerField(
        "Abruffrist in Tagen nach der Benachrichtigung",
        null=True,
        blank=True,
        help_text="nur beim Abruf aus dem Postfach",
    )
    retrieval_end_moves_to_working_day = models.BooleanField(
        "Ende der Abruffrist an Samstag, Sonntag oder Feiertag: nächster Werktag", default=False
    )

    class Meta:
        verbose_name = "Bekanntgaberegel"
        verbose_name_plural = "Bekanntgaberegeln"
        ordering = ["jurisdiction", "channel", "valid_from"]
        constraints = [
            _valid_range("bekanntgaberule"),
            models.UniqueConstraint(
                fields=["jurisdiction", "channel", "valid_from"],
                name="bekanntgaberule_unique_start",
            ),
            # A retrieval rule needs its period; the other ways have none.
            models.CheckConstraint(
                condition=(
                    Q(channel=BekanntgabeChannel.RETRIEVAL, retrieval_period_days__isnull=False)
                    | (
                        ~Q(channel=BekanntgabeChannel.RETRIEVAL)
                        & Q(retrieval_period_days__isnull=True)
                    )
                ),
                name="bekanntgaberule_retrieval_period",
            ),
        ]

    def rule_scope(self) -> dict[str, Any]:
        return {"jurisdiction": self.jurisdiction, "channel": self.channel}

    def clean(self) -> None:
        if self.channel == BekanntgabeChannel.RETRIEVAL and self.retrieval_period_days is None:
            raise ValidationError(
                {
                    "retrieval_period_days": "Beim Abruf aus dem Postfach ist die Abruffrist anzugeben."
                }
            )
        if self.channel != BekanntgabeChannel.RETRIEVAL and self.retrieval_period_days is not None:
            raise ValidationError(
                {
                    "retrieval_period_days": "Eine Abruffrist gibt es nur beim Abruf aus dem Postfach."
                }
            )
        super().clean()

    def __str__(self) -> str:
        return f"{self.get_channel_display()} ({self.get_jurisdiction_display()}, ab {self.valid_from:%d.%m.%Y})"


class ObjectionPeriod(LegalRule):
    """The period for a legal remedy against a decision (Rechtsbehelfsfrist).

    Widerspruch: one month after the Bekanntgabe (§ 70 Abs. 1 Satz 1 VwGO);
    computed by § 57 Abs. 2 VwGO with § 222 ZPO and §§ 187 Abs. 1, 188
    Abs. 2 and 3 BGB (and equally by § 79, § 31 VwVfG): the day of the
    Bekanntgabe is not counted, the period ends with the day of the next
    month bearing the same number, or that month's last day if it has no
    such day (31 January → 28/29 February), and an end on a Saturday,
    Sunday or public holiday moves to the next working day
    (`end_moves_to_working_day`). A missing or wrong Rechtsbehelfsbelehrung
    gives one year instead (§ 58 Abs. 2 VwGO): a decision of this platform
    always carries one, so that case is not modelled.
    """

    remedy = models.CharField("Rechtsbehelf", max_length=16, choices=Remedy.choices)
    months = models.PositiveSmallIntegerField("Frist in Monaten")
    end_moves_to_working_day = models.BooleanField(
        "Ende an Samstag, Sonntag oder Feiertag: nächster Werktag", default=True
    )

    class Meta:
        verbose_name = "Rechtsbehelfsfrist"
        verbose_name_plural = "Rechtsbehelfsfristen"
        ordering = ["remedy", "valid_from"]
        constraints = [
            _valid_range("objectionperiod"),
            models.UniqueConstraint(
                fields=["remedy", "valid_from"], name="objectionperiod_unique_start"
            ),
        ]

    def rule_scope(self) -> dict[str, Any]:
        return {"remedy": self.remedy}

    def __str__(self) -> str:
        return (
            f"{self.get_remedy_display()}: {self.months} Monat(e) (ab {self.valid_from:%d.%m.%Y})"
        )


class ServiceDeadline(LegalRule):
    """How long an authority has to decide an application for a service.

    `authority` empty: the Land-wide default for the service; a row of one
    authority overrides it for that authority. `processing_working_days`
    is counted in working days of the Land from the receipt
    (`openamt.core.workdays`); the caseworker is warned
    `warning_working_days` before it ends.

    Genehmigungsfiktion (§ 42a VwVfG): only where a legal provision orders
    it (`fiction_legal_basis`, e.g. the special law of the service); the
    approval counts as granted when the period (`fiction_months`, three
    months unless that law says otherwise, § 42a Abs. 2 Satz 1 VwVfG) has
    run from the receipt of the complete documents (§ 42a Abs. 2 Satz 2).
    A one-time extension (§ 42a Abs. 2 Satz 3) belongs to the case, not here.
    """

    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="deadlines", verbose_name="Leistung"
    )
    authority = models.ForeignKey(
        Authority,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="service_deadlines",
        verbose_name="Behörde",
        help_text="leer: landesweite Vorgabe",
    )
    processing_working_days = models.PositiveSmallIntegerField("Bearbeitungsfrist (Arbeitstage)")
    warning_working_days = models.PositiveSmallIntegerField(
        "Warnung (Arbeitstage vor Fristende)", default=5
    )
    approval_fiction = models.BooleanField("Genehmigungsfiktion (§ 42a VwVfG)", default=False)
    fiction_months = models.PositiveSmallIntegerField("Fiktionsfrist (Monate)", default=3)
    fiction_legal_basis = models.TextField(
        "Rechtsgrundlage der Genehmigungsfiktion",
        blank=True,
        help_text="die Vorschrift, die die Fiktion anordnet, i. V. m. § 42a VwVfG",
    )

    class Meta:
        verbose_name = "Bearbeitungsfrist"
        verbose_name_plural = "Bearbeitungsfristen"
        ordering = ["service__name", "authority__name", "valid_from"]
        constraints = [
            _valid_range("servicedeadline"),
            models.UniqueConstraint(
                fields=["service", "valid_from"],
                condition=Q(authority__isnull=True),
                name="servicedeadline_unique_land_start",
            ),
            models.UniqueConstraint(
                fields=["service", "authority", "valid_from"],
                condition=Q(authority__isnull=False),
                name="servicedeadline_unique_authority_start",
            ),
            models.CheckConstraint(
                condition=Q(warning_working_days__lt=models.F("processing_working_days")),
                name="servicedeadline_warning_before_end",
            ),
            models.CheckConstraint(
                condition=Q(approval_fiction=False) | ~Q(fiction_legal_basis=""),
                name="servicedeadline_fiction_has_basis",
            ),
        ]

    def rule_scope(self) -> dict[str, Any]:
        return {"service_id": self.service_id, "authority_id": self.authority_id}

    def __str__(self) -> str:
        where = self.authority.name if self.authority_id and self.authority else "landesweit"
        return f"{self.service}: {self.processing_working_days} Arbeitstage ({where})"

    def clean(self) -> None:
        super().clean()
        if self.approval_fiction and not self.fiction_legal_basis.strip():
            raise ValidationError(
                {
                    "fiction_legal_basis": "Eine Genehmigungsfiktion gilt nur, wo eine Rechtsvorschrift sie anordnet: bitte angeben."
                }
            )
        if (
            self.warning_working_days is not None
            and self.processing_working_days is not None
            and self.warning_working_days >= self.processing_working_days
        ):
            raise ValidationError(
                {"warning_working_days": "Die Warnung muss vor dem Fristende liegen."}
            )
