from django import forms

EMAIL_ERRORS = {
    "required": "Bitte geben Sie Ihre E-Mail-Adresse ein.",
    "invalid": "Bitte geben Sie eine gültige E-Mail-Adresse ein, z. B. name@beispiel.de.",
}


class RegistrationForm(forms.Form):
    email = forms.EmailField(label="E-Mail-Adresse", max_length=150, error_messages=EMAIL_ERRORS)
    password1 = forms.CharField(
        label="Passwort",
        widget=forms.PasswordInput,
        help_text="mindestens 12 Zeichen; kein gängiges Passwort und nicht Ihre E-Mail-Adresse",
        error_messages={"required": "Bitte wählen Sie ein Passwort."},
    )
    password2 = forms.CharField(
        label="Passwort wiederholen",
        widget=forms.PasswordInput,
        error_messages={"required": "Bitte wiederholen Sie das Passwort."},
    )

    def clean(self) -> dict:
        data = super().clean() or {}
        if (
            data.get("password1")
            and data.get("password2")
            and data["password1"] != data["password2"]
        ):
            self.add_error("password2", "Die beiden Passwörter stimmen nicht überein.")
        return data


class LoginForm(forms.Form):
    email = forms.EmailField(label="E-Mail-Adresse", max_length=150, error_messages=EMAIL_ERRORS)
    password = forms.CharField(
        label="Passwort",
        widget=forms.PasswordInput,
        error_messages={"required": "Bitte geben Sie Ihr Passwort ein."},
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=16,
        help_text="sechs Ziffern aus Ihrer Authenticator-App oder ein Wiederherstellungscode",
        error_messages={"required": "Bitte geben Sie den Code ein."},
    )
