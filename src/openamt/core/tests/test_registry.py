"""The generic plugin registry: ids, options validated by the plugin with
German messages naming the option, secrets split off for sealing."""

import pytest
from pydantic import BaseModel, ConfigDict, Field, HttpUrl, field_validator

from openamt.core.errors import InvalidInput, NotFound
from openamt.core.registry import NoOptions, Registry


class ExampleOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: HttpUrl = Field(title="Adresse")
    secret: str = Field(title="Geheimnis", min_length=8)
    name: str = Field("", title="Name")

    @field_validator("name")
    @classmethod
    def _no_x(cls, value: str) -> str:
        if "x" in value:
            raise ValueError("Der Name enthält kein x.")
        return value


registry: Registry = Registry("Beispiel")


@registry.register("example")
class Example:
    label = "Beispiel-Plugin"
    Options = ExampleOptions
    secret_options = frozenset({"secret"})


@registry.register("bare")
class Bare:
    label = "Ohne Optionen"
    Options = NoOptions
    secret_options: frozenset[str] = frozenset()


def test_plugins_are_found_by_id_and_listed_sorted():
    assert isinstance(registry.get("example"), Example)
    assert registry.choices() == [("bare", "Ohne Optionen"), ("example", "Beispiel-Plugin")]
    assert "bare" in registry
    assert "nope" not in registry
    with pytest.raises(NotFound, match="Unbekanntes Plugin „nope“ \\(Beispiel\\)"):
        registry.get("nope")
    with pytest.raises(ValueError, match="registered twice"):
        registry.register("bare")(Bare)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"secret": "12345678"}, "url", "Bitte geben Sie „Adresse“ an."),
        ({"url": "kein link", "secret": "12345678"}, "url", "„Adresse“ ist keine gültige Adresse."),
        (
            {"url": "https://a.example", "secret": "kurz"},
            "secret",
            "„Geheimnis“ hat mindestens 8 Zeichen.",
        ),
        (
            {"url": "https://a.example", "secret": "12345678", "name": "xy"},
            "name",
            "Der Name enthält kein x.",
        ),
        (
            {"url": "https://a.example", "secret": "12345678", "tippfehler": 1},
            "tippfehler",
            "„tippfehler“ gibt es hier nicht.",
        ),
    ],
)
def test_invalid_options_are_refused_in_german_at_the_option(data, field, message):
    with pytest.raises(InvalidInput) as caught:
        registry.options_validate("example", data)
    assert (caught.value.field, caught.value.message) == (field, message)


def test_secrets_are_split_off_for_sealing():
    options = registry.options_validate(
        "example", {"url": "https://a.example/x", "secret": "12345678"}
    )
    assert registry.options_split("example", options) == (
        {"url": "https://a.example/x", "name": ""},
        {"secret": "12345678"},
    )
    assert registry.options_split("bare", registry.options_validate("bare", {})) == ({}, {})
