"""Online forms as versioned data: a form belongs to a service and an owner
(the Land, or one authority); its versions go draft -> published -> retired,
and a published version never changes."""

from django.db import models
from django.db.models import Q

from openamt.catalogue.models import Service
from openamt.core.models import TimeStampedModel
from openamt.forms.constants import VersionStatus
from openamt.organisations.models import Authority


class FormDefinition(TimeStampedModel):
    key = models.SlugField("Kennung", max_length=60, unique=True)
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="forms")
    owner = models.ForeignKey(
        Authority,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="forms",
        help_text="leer: ein Formular des Landes, das alle Kommunen nutzen",
    )
    title = models.CharField("Titel", max_length=200)

    class Meta:
        verbose_name = "Formular"
        verbose_name_plural = "Formulare"

    def __str__(self) -> str:
        return self.title


class FormVersion(models.Model):
    form = models.ForeignKey(FormDefinition, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField("Version")
    status = models.CharField(
        max_length=16, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    definition = models.JSONField("Definition")
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "Formularversion"
        verbose_name_plural = "Formularversionen"
        ordering = ["form", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["form", "number"], name="form_version_number"),
            models.UniqueConstraint(
                fields=["form"], condition=Q(status="veroeffentlicht"), name="form_one_published"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.form} v{self.number}"
