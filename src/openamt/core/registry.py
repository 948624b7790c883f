"""The one generic registry every plugin kind builds on (GUIDE §2, §8).

A kind (delivery targets, virus scanners, identity providers, payment
providers, ...) has a typed contract in its `base.py` and one `Registry` in its
`registry.py`; each implementation is a sub-app `<app>/contrib/<plugin>/` whose
`AppConfig.ready()` imports its `plugin.py`, where a class registers itself
with a stable id. A plugin describes its configuration as a pydantic model
(`Options`) and names the options that are secrets (`secret_options`): those
are stored sealed and never shown again. Whoever stores a configuration keeps
the plugin id, the public options as JSON and the secrets sealed, and asks the
registry to validate them, so only the plugin knows what its options mean.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any, Generic, Protocol, TypeVar, cast

from pydantic import BaseModel, ConfigDict, ValidationError

from openamt.core.errors import InvalidInput, NotFound


class NoOptions(BaseModel):
    """The options of a plugin that needs none."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Plugin(Protocol):
    """What the registry needs of every plugin, whatever its kind."""

    # A short German name for choices and messages ("Webhook (HMAC-signiert)").
    label: str

    # Its options; unknown keys are refused (extra="forbid") so a typo is no silent default.
    @property
    def Options(self) -> type[BaseModel]: ...

    # Names of options that are secrets: sealed at rest, write-only in every form.
    secret_options: frozenset[str]


P = TypeVar("P")

# German words for pydantic's error types; anything else is "ungültig".
_MESSAGES = {
    "missing": "Bitte geben Sie „{title}“ an.",
    "string_too_short": "„{title}“ hat mindestens {min_length} Zeichen.",
    "string_too_long": "„{title}“ hat höchstens {max_length} Zeichen.",
    "url_parsing": "„{title}“ ist keine gültige Adresse.",
    "url_scheme": "„{title}“ muss mit {expected_schemes} beginnen.",
    "extra_forbidden": "„{title}“ gibt es hier nicht.",
    "string_type": "„{title}“ muss ein Text sein.",
    "dict_type": "„{title}“ muss ein JSON-Objekt sein.",
}


def options_error(model: type[BaseModel], error: ValidationError) -> InvalidInput:
    """The first problem of `error` as an InvalidInput naming the option (`field`)
    and saying in German what is wrong; a validator's own ValueError text (already
    German, written by the plugin) is used as it is."""
    first = error.errors(include_url=False)[0]
    name = str(first["loc"][0]) if first["loc"] else None
    field = model.model_fields.get(name) if name else None
    title = (field.title if field and field.title else name) or "Einstellung"
    context = {**first.get("ctx", {}), "title": title}
    if first["type"] == "value_error":
        message = str(context.get("error") or first["msg"])
    else:
        message = _MESSAGES.get(first["type"], "„{title}“ ist ungültig.").format(**context)
    return InvalidInput(message, field=name)


class Registry(Generic[P]):
    """The plugins of one kind by id. `register` is a class decorator; the
    registry keeps one instance per plugin (plugins hold no per-call state)."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._plugins: dict[str, P] = {}

    def register(self, plugin_id: str) -> Callable[[type[P]], type[P]]:
        """Register the decorated class under `plugin_id`; ValueError if taken."""

        def decorator(cls: type[P]) -> type[P]:
            if plugin_id in self._plugins:
                raise ValueError(f"{self.kind} plugin {plugin_id!r} is registered twice")
            self._plugins[plugin_id] = cls()
            return cls

        return decorator

    def get(self, plugin_id: str) -> P:
        """The plugin registered as `plugin_id`; NotFound (German message) if none is."""
        try:
            return self._plugins[plugin_id]
        except KeyError:
            raise NotFound(f"Unbekanntes Plugin „{plugin_id}“ ({self.kind}).") from None

    def options_validate(self, plugin_id: str, data: Mapping[str, Any]) -> Any:
        """`data` (public options and unsealed secrets in one mapping) as the
        plugin's Options instance. Raises NotFound for an unknown plugin and
        InvalidInput (field = the option's name) for invalid options."""
        model = cast(Plugin, self.get(plugin_id)).Options
        try:
            return model.model_validate(dict(data))
        except ValidationError as error:
            raise options_error(model, error) from None

    def options_split(self, plugin_id: str, options: BaseModel) -> tuple[dict, dict]:
        """(public, secret): validated options as two JSON-ready dicts; the
        secrets are the plugin's `secret_options`, to be stored sealed."""
        data = options.model_dump(mode="json")
        secret_names = cast(Plugin, self.get(plugin_id)).secret_options
        public = {name: value for name, value in data.items() if name not in secret_names}
        secret = {name: value for name, value in data.items() if name in secret_names}
        return public, secret

    def choices(self) -> list[tuple[str, str]]:
        """(id, label) of every plugin, sorted by id, for a choice field."""
        return [(plugin_id, cast(Plugin, plugin).label) for plugin_id, plugin in self]

    def __iter__(self) -> Iterator[tuple[str, P]]:
        return iter(sorted(self._plugins.items()))

    def __contains__(self, plugin_id: object) -> bool:
        return plugin_id in self._plugins
