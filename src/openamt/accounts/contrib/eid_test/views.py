from django import forms
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from openamt.accounts.auth import login_complete
from openamt.accounts.constants import AssuranceLevel
from openamt.accounts.contrib.eid_test.plugin import SPECIMEN, TEST_PIN
from openamt.accounts.forms import EMAIL_ERRORS
from openamt.accounts.models import User
from openamt.accounts.profile import profile_assert
from openamt.accounts.services import normalise_email
from openamt.accounts.views import next_url


class SimulatedCardForm(forms.Form):
    email = forms.EmailField(
        label="E-Mail-Adresse des Testkontos", max_length=150, error_messages=EMAIL_ERRORS
    )
    pin = forms.CharField(
        label="PIN des simulierten Ausweises",
        max_length=6,
        help_text=f"Testausweis: PIN {TEST_PIN}",
        widget=forms.PasswordInput,
        error_messages={"required": "Bitte geben Sie die PIN ein."},
    )


def eid_test(request: HttpRequest) -> HttpResponse:
    if not settings.OPENAMT_TEST_EID:
        raise Http404("Dieses Anmeldeverfahren gibt es hier nicht.")
    initial = {"email": request.user.email} if request.user.is_authenticated else {}
    form = SimulatedCardForm(request.POST or None, initial=initial)
    target = next_url(request)
    if request.method == "POST" and form.is_valid():
        user = User.objects.filter(
            username=normalise_email(form.cleaned_data["email"]),
            is_active=True,
            account__isnull=False,
        ).first()
        if form.cleaned_data["pin"] != TEST_PIN or user is None:
            form.add_error(
                None, "Der simulierte Ausweis wurde nicht akzeptiert (PIN oder Testkonto falsch)."
            )
        else:
            login_complete(request, user, method="eid-test", level=AssuranceLevel.HIGH)
            profile_assert(
                user=user, attributes=SPECIMEN, source="eid-test", level=AssuranceLevel.HIGH
            )
            return redirect(target)
    return render(request, "accounts/eid_test.html", {"form": form, "next": target})
