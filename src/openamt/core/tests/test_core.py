import logging

import pytest
from django.db import DatabaseError, transaction

from openamt.core.audit import GENESIS_HASH, audit_record, audit_verify
from openamt.core.logging import RedactPersonalDataFilter
from openamt.core.models import AuditEntry
from openamt.core.registry import Registry
from openamt.core.text import fold


def test_fold():
    assert fold("Pößneck, Stadt") == "possneck, stadt"
    assert fold("  ÜDER  ") == "uder"


def test_audit_chain_links_entries(erfurt):
    first = audit_record(actor=None, action="test.one", target=erfurt, changes={"a": 1})
    second = audit_record(actor=None, action="test.two", target=erfurt)
    assert second.prev_hash == first.hash
    assert AuditEntry.objects.order_by("id").first().prev_hash == GENESIS_HASH
    assert audit_verify() is None


def test_audit_entries_cannot_be_changed(erfurt):
    entry = audit_record(actor=None, action="test.one", target=erfurt)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(action="test.forged")
    assert AuditEntry.objects.get(pk=entry.pk).action == "test.one"


def test_audit_verify_finds_a_forged_entry(erfurt):
    audit_record(actor=None, action="test.one", target=erfurt)
    last = AuditEntry.objects.order_by("-id").first()
    forged = AuditEntry.objects.create(
        created_at=last.created_at,
        action="test.forged",
        object_type="x",
        object_id="1",
        prev_hash=last.hash,
        hash="f" * 64,
    )
    found = audit_verify()
    assert (found.entry_id, found.action) == (forged.pk, "test.forged")


def test_logs_carry_no_personal_data():
    record = logging.LogRecord(
        "x",
        logging.INFO,
        __file__,
        1,
        "Mail an %s, IBAN DE89 3704 0044 0532 0130 00, GET /orte/?q=Musterweg",
        ("kim@example.org",),
        None,
    )
    RedactPersonalDataFilter().filter(record)
    message = record.getMessage()
    assert "kim@example.org" not in message
    assert "DE89" not in message
    assert "Musterweg" not in message
    assert message == "Mail an [e-mail], IBAN [iban], GET /orte/?[...]"


def test_registry():
    registry: Registry[object] = Registry("demo")

    @registry.register("a")
    class A:
        pass

    assert isinstance(registry.get("a"), A)
    assert "a" in registry
    with pytest.raises(ValueError, match="twice"):
        registry.register("a")(A)


def test_health_endpoints(client, db):
    assert client.get("/health/live").json() == {"status": "ok"}
    response = client.get("/health/ready")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "tasks": "ok"}}


def test_security_headers(client, db):
    response = client.get("/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    "path",
    [
        "openamt/site.css",
        "vendor/kern/kern.min.css",
        "vendor/kern/fonts/fira-sans.css",
        "vendor/htmx/htmx.min.js",
    ],
)
def test_every_stylesheet_and_script_of_the_layout_is_found(path):
    from django.contrib.staticfiles import finders

    assert finders.find(path) is not None


def test_the_suite_runs_on_the_test_settings(settings):
    assert settings.SETTINGS_MODULE == "openamt.conf.test"
    assert settings.PASSWORD_HASHERS == ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_api_docs_are_served_without_third_party_assets(client, db):
    response = client.get("/api/v1/docs")
    html = response.content.decode()
    assert response.status_code == 200
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn.jsdelivr.net" not in html
