"""Unternehmenskonten of the logged-in holder: create, describe, manage members."""

from __future__ import annotations

from typing import cast

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from openamt.accounts.auth import account_required
from openamt.accounts.business import (
    business_create,
    business_update,
    businesses_of,
    member_add,
    member_remove,
    member_set_role,
    membership_of,
)
from openamt.accounts.forms import EMAIL_ERRORS
from openamt.accounts.models import BusinessAccount, BusinessMembership, BusinessRole, User
from openamt.core.errors import DomainError, NotFound, PermissionDenied


class BusinessForm(forms.Form):
    name = forms.CharField(label="Name des Unternehmens", max_length=200)
    street = forms.CharField(label="Straße und Hausnummer", max_length=200, required=False)
    postcode = forms.CharField(label="PLZ", max_length=5, required=False)
    city = forms.CharField(label="Ort", max_length=100, required=False)
    register_number = forms.CharField(
        label="Registernummer", max_length=60, required=False, help_text="z. B. Jena HRB 123456"
    )
    vat_id = forms.CharField(
        label="Umsatzsteuer-Identifikationsnummer",
        max_length=20,
        required=False,
        help_text="z. B. DE136695976",
    )


class MemberForm(forms.Form):
    email = forms.EmailField(
        label="E-Mail-Adresse des Servicekontos", max_length=150, error_messages=EMAIL_ERRORS
    )
    role = forms.ChoiceField(
        label="Rolle", choices=BusinessRole.choices, initial=BusinessRole.MEMBER
    )


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _failed(form: forms.Form, error: DomainError) -> None:
    if isinstance(error, PermissionDenied):
        raise Http404(error.message) from error
    form.add_error(error.field if error.field in form.fields else None, error.message)


@account_required
def business_list(request: HttpRequest) -> HttpResponse:
    form = BusinessForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            business = business_create(actor=_user(request), data=form.cleaned_data)
        except DomainError as error:
            _failed(form, error)
        else:
            messages.success(
                request, "Das Unternehmenskonto ist angelegt; Sie sind Inhaberin oder Inhaber."
            )
            return redirect("accounts:business-detail", pk=business.pk)
    memberships = businesses_of(user=_user(request))
    return render(
        request, "accounts/business_list.html", {"memberships": memberships, "form": form}
    )


def _save(
    request: HttpRequest, business: BusinessAccount, profile: BusinessForm, member: MemberForm
) -> bool:
    """An owner's change: the profile or a new member; True when saved."""
    form: forms.Form = profile if profile.is_bound else member
    if not form.is_valid():
        return False
    try:
        if form is profile:
            business_update(actor=_user(request), business=business, data=profile.cleaned_data)
            messages.success(request, "Die Angaben sind gespeichert.")
        else:
            member_add(actor=_user(request), business=business, **member.cleaned_data)
            messages.success(request, "Das Mitglied ist hinzugefügt.")
    except DomainError as error:
        _failed(form, error)
        return False
    return True


@account_required
def business_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        own = membership_of(user=_user(request), business_pk=pk)
    except NotFound as error:
        raise Http404(error.message) from error
    business = own.business
    is_owner = own.role == BusinessRole.OWNER
    profile = BusinessForm(
        request.POST if "name" in request.POST else None,
        initial={name: getattr(business, name) for name in BusinessForm.base_fields},
    )
    member = MemberForm(request.POST if "email" in request.POST else None)
    if request.method == "POST":
        if not is_owner:
            raise Http404("Nur Inhaberinnen und Inhaber verwalten dieses Unternehmenskonto.")
        if _save(request, business, profile, member):
            return redirect("accounts:business-detail", pk=pk)
    return render(
        request,
        "accounts/business_detail.html",
        {
            "business": business,
            "is_owner": is_owner,
            "members": business.memberships.select_related("user").order_by("user__username"),
            "profile": profile,
            "member_form": member,
            "roles": BusinessRole.choices,
            "mailbox": getattr(business, "mailbox", None),
        },
    )


def _membership(request: HttpRequest, pk: int, member_pk: int) -> BusinessMembership:
    try:
        membership_of(user=_user(request), business_pk=pk)
    except NotFound as error:
        raise Http404(error.message) from error
    membership = (
        BusinessMembership.objects.select_related("business", "user")
        .filter(pk=member_pk, business_id=pk)
        .first()
    )
    if membership is None:
        raise Http404("Diese Mitgliedschaft gibt es nicht.")
    return membership


@account_required
@require_POST
def member_role(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    membership = _membership(request, pk, member_pk)
    try:
        member_set_role(
            actor=_user(request), membership=membership, role=request.POST.get("role", "")
        )
    except PermissionDenied as error:
        raise Http404(error.message) from error
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("accounts:business-detail", pk=pk)


@account_required
@require_POST
def member_delete(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    membership = _membership(request, pk, member_pk)
    leaving = membership.user_id == request.user.pk
    try:
        member_remove(actor=_user(request), membership=membership)
    except PermissionDenied as error:
        raise Http404(error.message) from error
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("accounts:business-detail", pk=pk)
    messages.success(request, "Die Mitgliedschaft ist beendet.")
    if leaving:
        return redirect("accounts:business-list")
    return redirect("accounts:business-detail", pk=pk)
