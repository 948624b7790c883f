"""Endpoints set up before delivery targets were plugins keep working: the
migration moves each former column into the plugin's options or secrets."""

import importlib
import json
from types import SimpleNamespace

from openamt.submissions.registry import delivery_targets

migration = importlib.import_module(
    "openamt.submissions.migrations.0008_endpoint_is_plugin_with_options"
)


class Rows(list):
    def all(self):
        return self


def _row(**columns):
    row = SimpleNamespace(plugin="", options={}, secrets="", saved=False, **columns)
    row.save = lambda **kwargs: setattr(row, "saved", True)
    return row


def test_former_columns_become_options_the_plugins_accept():
    key = {"kty": "RSA", "n": "sXch", "e": "AQAB"}
    fit = _row(
        channel="fit-connect",
        url="https://zp.example/submissions",
        token_url="https://zp.example/token",
        client_id="vg-ranis",
        client_secret="zp-geheimnis",
        public_key=key,
        secret="",
    )
    hook = _row(
        channel="webhook",
        url="https://fv.example/hook",
        token_url="",
        client_id="",
        client_secret="",
        public_key=None,
        secret="x" * 40,
    )
    rows = Rows([fit, hook])
    apps = SimpleNamespace(get_model=lambda app, name: SimpleNamespace(objects=rows))
    migration.columns_to_options(apps, None)
    assert (fit.plugin, fit.saved) == ("fit-connect", True)
    assert fit.options == {
        "url": "https://zp.example/submissions",
        "token_url": "https://zp.example/token",
        "client_id": "vg-ranis",
        "public_key": key,
    }
    assert json.loads(fit.secrets) == {"client_secret": "zp-geheimnis"}
    assert (hook.plugin, hook.options, json.loads(hook.secrets)) == (
        "webhook",
        {"url": "https://fv.example/hook"},
        {"secret": "x" * 40},
    )
    # What the migration wrote is what the webhook plugin reads.
    options = delivery_targets.options_validate(
        "webhook", {**hook.options, **json.loads(hook.secrets)}
    )
    assert (str(options.url), options.secret) == ("https://fv.example/hook", "x" * 40)
