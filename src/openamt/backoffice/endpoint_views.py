"""Staff page: an authority's delivery endpoints, one per delivery target
plugin; the form for a target is built from the plugin's options."""

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as Forbidden
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from openamt.accounts.models import User
from openamt.backoffice.views import authority_or_404
from openamt.core.errors import DomainError, PermissionDenied
from openamt.core.plugin_forms import options_form_class
from openamt.organisations import permissions
from openamt.submissions.endpoints import configurable_targets, endpoint_delete, endpoint_save
from openamt.submissions.models import DeliveryEndpoint
from openamt.submissions.registry import delivery_targets


@login_required
def endpoint_list(request: HttpRequest, pk: int) -> HttpResponse:
    """The endpoints set up (without secrets), and the form of one target:
    `?zustellweg=<id>` chooses it; POST `aktion=speichern` saves it,
    `aktion=loeschen:<id>` removes one."""
    authority = authority_or_404(request, pk)
    if not permissions.can_change_authority(request.user, authority.pk):
        raise Forbidden("Nur Administratoren der Behörde richten Zustellpunkte ein.")
    actor = cast(User, request.user)
    targets = dict(configurable_targets())
    endpoints = {
        e.plugin: e for e in DeliveryEndpoint.objects.filter(authority=authority).order_by("plugin")
    }
    chosen = request.POST.get("zustellweg") or request.GET.get("zustellweg") or ""
    chosen = chosen if chosen in targets else ""
    form = None
    if chosen:
        target = delivery_targets.get(chosen)
        stored = endpoints.get(chosen)
        form_class = options_form_class(
            target.Options,
            secret_options=target.secret_options,
            has_secrets=bool(stored and stored.secrets),
        )
        form = form_class(
            request.POST if request.POST.get("aktion") == "speichern" else None,
            initial=stored.options if stored else {},
        )
    if request.method == "POST":
        try:
            action = request.POST.get("aktion", "")
            if action.startswith("loeschen:"):
                endpoint_delete(actor=actor, authority=authority, plugin=action.split(":", 1)[1])
                messages.success(request, "Der Zustellpunkt ist entfernt.")
                return redirect("backoffice:endpoint-list", pk=authority.pk)
            if form is not None and form.is_valid():
                endpoint_save(
                    actor=actor, authority=authority, plugin=chosen, values=form.cleaned_data
                )
                messages.success(request, "Der Zustellpunkt ist gespeichert.")
                return redirect("backoffice:endpoint-list", pk=authority.pk)
        except PermissionDenied as error:
            raise Forbidden(error.message) from error
        except DomainError as error:
            if form is None:
                raise
            form.add_error(error.field if error.field in form.fields else None, error.message)
    rows = [
        {"plugin": plugin, "label": targets.get(plugin, plugin), "endpoint": endpoint}
        for plugin, endpoint in endpoints.items()
    ]
    return render(
        request,
        "backoffice/endpoint_list.html",
        {
            "authority": authority,
            "rows": rows,
            "targets": targets,
            "chosen": chosen,
            "chosen_label": targets.get(chosen, ""),
            "form": form,
        },
        status=422 if form is not None and form.errors else 200,
    )
