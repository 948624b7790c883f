import os
import subprocess
import sys

from django.core.management import call_command
from django.test import override_settings

from openamt.conf.keys import oidc_keys, write_new_key


def test_the_newest_key_signs_and_older_ones_stay_published(tmp_path):
    assert oidc_keys(tmp_path, create=False) == ("", [])
    first, retired = oidc_keys(tmp_path, create=True)
    assert first.startswith("-----BEGIN PRIVATE KEY-----")
    assert retired == []
    with override_settings(OIDC_KEY_DIR=tmp_path):
        call_command("oidc_rotate_key")
    current, retired = oidc_keys(tmp_path, create=False)
    assert current != first
    assert retired == [first]
    assert oct(write_new_key(tmp_path).stat().st_mode & 0o777) == "0o600"


def _production(**env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", "import openamt.conf.production"],
        env={**os.environ, "SECRET_KEY": "x" * 50, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_refuses_the_test_eid_and_a_missing_signing_key(tmp_path):
    write_new_key(tmp_path)
    refused = _production(OPENAMT_TEST_EID="1", OPENAMT_OIDC_KEY_DIR=str(tmp_path))
    assert "OPENAMT_TEST_EID simuliert die Online-Ausweisfunktion" in refused.stderr
    no_key = _production(OPENAMT_OIDC_KEY_DIR=str(tmp_path / "leer"))
    assert "Kein OpenID-Signaturschlüssel" in no_key.stderr
    assert _production(OPENAMT_OIDC_KEY_DIR=str(tmp_path)).returncode == 0
