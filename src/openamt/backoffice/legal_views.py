"""Staff pages: the Land admins keep the portal's legal pages (Impressum,
Datenschutzerklärung, Erklärung zur Barrierefreiheit, Kontakt)."""

from typing import cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as Forbidden
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from openamt.accounts.models import User
from openamt.core.blocks import FORMAT_HINT
from openamt.core.errors import DomainError, PermissionDenied
from openamt.organisations import permissions
from openamt.portal.constants import MAX_LEGAL_TEXT, LegalPageKind
from openamt.portal.selectors import legal_page_get, legal_pages
from openamt.portal.services import legal_page_save


class LegalTextForm(forms.Form):
    body = forms.CharField(
        label="Text",
        max_length=MAX_LEGAL_TEXT,
        help_text=FORMAT_HINT,
        widget=forms.Textarea(attrs={"rows": 24}),
        error_messages={
            "required": "Bitte geben Sie einen Text ein.",
            "max_length": f"Höchstens {MAX_LEGAL_TEXT:,} Zeichen.".replace(",", "."),
        },
    )


def _land_admin_or_403(request: HttpRequest) -> None:
    # The operator answers for these pages; nobody else may even open the editor.
    if not permissions.is_land_admin(request.user):
        raise Forbidden("Nur die Landesadministration ändert die Rechtstexte.")


@login_required
def legal_list(request: HttpRequest) -> HttpResponse:
    _land_admin_or_403(request)
    return render(request, "backoffice/legal_list.html", {"texts": legal_pages()})


@login_required
def legal_edit(request: HttpRequest, legal_kind: str) -> HttpResponse:
    _land_admin_or_403(request)
    if legal_kind not in LegalPageKind.values:
        raise Http404("Diesen Rechtstext gibt es nicht.")
    kind = LegalPageKind(legal_kind)
    text = legal_page_get(kind=kind)
    form = LegalTextForm(request.POST or None, initial={"body": text.body})
    if request.method == "POST" and form.is_valid():
        try:
            legal_page_save(
                actor=cast(User, request.user), kind=kind, body=form.cleaned_data["body"]
            )
        except PermissionDenied as error:
            raise Forbidden(error.message) from error
        except DomainError as error:
            form.add_error("body", error.message)
        else:
            messages.success(request, f"Die Seite „{kind.label}“ wurde gespeichert.")
            return redirect("backoffice:legal-list")
    return render(request, "backoffice/legal_edit.html", {"text": text, "form": form})
