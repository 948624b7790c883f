from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema
from ninja.pagination import paginate

from openamt.core.pagination import Pagination
from openamt.core.schemas import ProblemOut
from openamt.forms import selectors
from openamt.forms.models import FormVersion

router = Router()


class FormFilter(Schema):
    leika_key: str = Field(
        "", pattern=r"^(\d{14}|X[0-9A-F]{13})?$", description="nur Formulare dieser Leistung"
    )


class FormOut(Schema):
    key: str = Field(description="Kennung des Formulars")
    title: str
    leika_key: str
    version: int
    owner: str | None = Field(description="Behörde; leer bei Formularen des Landes")
    assurance_level: str = Field(description="verlangtes Vertrauensniveau")
    published_at: datetime | None

    @staticmethod
    def resolve_key(obj: FormVersion) -> str:
        return obj.form.key

    @staticmethod
    def resolve_title(obj: FormVersion) -> str:
        return obj.definition.get("title", obj.form.title)

    @staticmethod
    def resolve_leika_key(obj: FormVersion) -> str:
        return obj.form.service.leika_key

    @staticmethod
    def resolve_version(obj: FormVersion) -> int:
        return obj.number

    @staticmethod
    def resolve_owner(obj: FormVersion) -> str | None:
        return obj.form.owner.name if obj.form.owner else None

    @staticmethod
    def resolve_assurance_level(obj: FormVersion) -> str:
        return obj.definition.get("assurance_level", "niedrig")


class FormDetailOut(FormOut):
    definition: dict[str, Any] = Field(description="die Definition nach docs/form-schema.json")


@router.get("", response={200: list[FormOut], 422: ProblemOut}, summary="Veröffentlichte Formulare")
@paginate(Pagination)
def list_forms(request: HttpRequest, filters: Query[FormFilter]) -> QuerySet[FormVersion]:
    return selectors.published_forms(leika_key=filters.leika_key)


@router.get(
    "/{key}",
    response={200: FormDetailOut, 404: ProblemOut, 422: ProblemOut},
    summary="Ein veröffentlichtes Formular mit seiner Definition",
)
def get_form(
    request: HttpRequest, key: str = Path(..., pattern=r"^[-a-zA-Z0-9_]{1,60}$")
) -> FormVersion:
    return selectors.published_form(key=key)
