"""Forgotten and changed passwords of Servicekonto holders (Django's views,
mail through the task queue, every change in the holder's security log)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator

from openamt.accounts.auth import account_required
from openamt.accounts.constants import SecurityEventKind
from openamt.accounts.models import AccountSession, User
from openamt.accounts.services import event_record, sessions_end
from openamt.accounts.tasks import send_account_mail
from openamt.oidc.services import session_tokens_revoke


class ResetForm(auth_forms.PasswordResetForm):
    def get_users(self, email: str) -> Any:
        # Only Servicekonten: staff passwords are reset by their administration.
        return (user for user in super().get_users(email) if hasattr(user, "account"))

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        from django.template import loader

        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        send_account_mail.enqueue(
            to=to_email, subject=subject, body=loader.render_to_string(email_template_name, context)
        )


class LoggedSetPasswordForm(auth_forms.SetPasswordForm):
    def save(self, commit: bool = True) -> Any:
        user = super().save(commit)
        # A new password ends every session (Django checks the password hash)
        # and revokes what services received in them.
        sessions_end(records=AccountSession.objects.filter(user=user))
        event_record(user=user, kind=SecurityEventKind.PASSWORD_CHANGED)
        return user


class LoggedPasswordChangeForm(auth_forms.PasswordChangeForm):
    def save(self, commit: bool = True) -> Any:
        user: User = super().save(commit)
        event_record(user=user, kind=SecurityEventKind.PASSWORD_CHANGED)
        return user


class ResetView(auth_views.PasswordResetView):
    form_class = ResetForm
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password-reset-sent")


class ResetSentView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_sent.html"


class ResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = LoggedSetPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password-reset-complete")


class ResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


@method_decorator(account_required, name="dispatch")
class ChangeView(auth_views.PasswordChangeView):
    form_class = LoggedPasswordChangeForm
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:home")

    def form_valid(self, form: Any) -> HttpResponse:
        before = self.request.session.session_key
        response = super().form_valid(form)  # keeps this session under a new key
        current = str(self.request.session.session_key)
        AccountSession.objects.filter(session_key=before).update(session_key=current)
        sessions = AccountSession.objects.filter(user=form.user)
        sessions_end(records=sessions, keep=[current])
        # The password may have been known to someone else: services log in anew.
        session_tokens_revoke(sessions=sessions)
        messages.success(self.request, "Ihr Passwort ist geändert; andere Sitzungen sind beendet.")
        return response
