"""A generic registry for plugins (payment providers, identity providers, ...).

Each plugin kind creates one `Registry`; implementations register with a
stable id. Options are validated by the plugin's own pydantic model.
"""

from collections.abc import Callable, Iterator
from typing import Generic, TypeVar

from openamt.core.errors import NotFound

P = TypeVar("P")


class Registry(Generic[P]):
    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._plugins: dict[str, P] = {}

    def register(self, plugin_id: str) -> Callable[[type[P]], type[P]]:
        def decorator(cls: type[P]) -> type[P]:
            if plugin_id in self._plugins:
                raise ValueError(f"{self.kind} plugin {plugin_id!r} is registered twice")
            self._plugins[plugin_id] = cls()
            return cls

        return decorator

    def get(self, plugin_id: str) -> P:
        try:
            return self._plugins[plugin_id]
        except KeyError:
            raise NotFound(f"Unbekanntes Plugin „{plugin_id}“ ({self.kind}).") from None

    def __iter__(self) -> Iterator[tuple[str, P]]:
        return iter(sorted(self._plugins.items()))

    def __contains__(self, plugin_id: object) -> bool:
        return plugin_id in self._plugins
