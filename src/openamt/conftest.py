"""Suite-wide fixtures: the real register is loaded once per test session."""

import os
from importlib import import_module

import pytest
from django.test import Client
from pytest_django.fixtures import Settings

from openamt.accounts.models import User
from openamt.core.editions import DataFiles
from openamt.organisations.constants import AuthorityRoleName, LandRoleName
from openamt.organisations.models import Authority
from openamt.organisations.services import authority_role_grant, land_role_grant
from openamt.testing.audit import allow_flush
from openamt.testing.data import THURINGIA, load_register

# OPENAMT_TEST_DATA=thuringia loads only Land 16 (the fast path); tests
# marked `germany` are then skipped.
DATA_SCOPE = os.environ.get("OPENAMT_TEST_DATA", "germany")


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """With OPENAMT_MAX_SKIPPED_PERCENT set (CI), a run that skips more than that
    share of its tests fails: a fresh clone must test itself almost completely."""
    limit = os.environ.get("OPENAMT_MAX_SKIPPED_PERCENT")
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if not limit or reporter is None:
        return
    counts = {key: len(reporter.stats.get(key, [])) for key in ("passed", "failed", "skipped")}
    total = sum(counts.values())
    if total and counts["skipped"] * 100 > float(limit) * total:
        reporter.ensure_newline()
        reporter.write_line(
            f"{counts['skipped']} von {total} Tests übersprungen: mehr als {limit} %.", red=True
        )
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Browser and other committing tests use transactional databases, which empty
    # the tables when they finish: run them after everything that uses the session data.
    items.sort(
        key=lambda item: (
            item.get_closest_marker("browser") is not None
            or item.get_closest_marker("transactional") is not None
        )
    )
    for item in items:
        if item.get_closest_marker("germany") and DATA_SCOPE != "germany":
            item.add_marker(
                pytest.mark.skip(reason="OPENAMT_TEST_DATA=thuringia: nur Thüringen geladen")
            )


@pytest.fixture(scope="session", autouse=True)
def _audit_log_flushable():
    """Committing tests end with a flush; on SQLite the audit log refuses DELETE."""
    undo = allow_flush()
    yield
    undo()


@pytest.fixture(autouse=True)
def _migration_data_after_flush(request: pytest.FixtureRequest) -> None:
    """A committing test ends with a flush of every table, which takes the rows
    the migrations seed (the Bekanntgabe rules and objection periods) with it.
    Each committing test puts them back before it runs, so that none depends
    on the order of those before it. (At setup: the flush of the test before
    happens at its teardown, whose order against this fixture's is not fixed.)"""
    if not {"transactional_db", "live_server"} & set(request.fixturenames):
        return
    request.getfixturevalue("transactional_db")
    from django.apps import apps

    import_module("openamt.cases.migrations.0002_seed_legal_rules").seed(apps, None)


@pytest.fixture(scope="session")
def data_files() -> DataFiles:
    """The shipped editions of the official data (or newer ones in OPENAMT_DATA_DIR)."""
    return DataFiles.configured()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, data_files: DataFiles):
    with django_db_blocker.unblock():
        load_register(data_files, land=None if DATA_SCOPE == "germany" else THURINGIA)


@pytest.fixture
def register(data_files: DataFiles, db: None) -> DataFiles:
    """The real register, loaded (session-wide) and visible to this test."""
    return data_files


def _staff(username: str) -> User:
    return User.objects.create_user(username=username, password="ein-langes-test-passwort")


@pytest.fixture
def erfurt(register: DataFiles) -> Authority:
    return Authority.objects.get(name="Stadtverwaltung Erfurt")


@pytest.fixture
def lindenberg(register: DataFiles) -> Authority:
    return Authority.objects.get(name="Verwaltungsgemeinschaft Lindenberg/Eichsfeld")


@pytest.fixture
def erfurt_admin(erfurt: Authority) -> User:
    user = _staff("erfurt.admin")
    authority_role_grant(actor=None, user=user, authority=erfurt, role=AuthorityRoleName.ADMIN)
    return user


@pytest.fixture
def erfurt_caseworker(erfurt: Authority) -> User:
    user = _staff("erfurt.sb")
    authority_role_grant(actor=None, user=user, authority=erfurt, role=AuthorityRoleName.CASEWORKER)
    return user


@pytest.fixture
def lindenberg_admin(lindenberg: Authority) -> User:
    user = _staff("lindenberg.admin")
    authority_role_grant(actor=None, user=user, authority=lindenberg, role=AuthorityRoleName.ADMIN)
    return user


@pytest.fixture
def land_admin(register: DataFiles) -> User:
    user = _staff("land.admin")
    land_role_grant(actor=None, user=user, role=LandRoleName.LAND_ADMIN)
    return user


@pytest.fixture
def operator(register: DataFiles) -> User:
    """The platform operator: Django admin access and the Land's operator role."""
    user = User.objects.create_user(
        username="betrieb", password="ein-langes-test-passwort", is_staff=True, is_superuser=True
    )
    land_role_grant(actor=None, user=user, role=LandRoleName.OPERATOR)
    return user


@pytest.fixture
def client_as(client: Client):
    def login(user: User) -> Client:
        client.force_login(user)
        return client

    return login


@pytest.fixture
def fresh_storage(settings: Settings) -> None:
    """An empty file storage of its own (the test storage lives in memory for
    the whole run), so that a test can say exactly which files exist."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }


@pytest.fixture
def wsgi_app(register: DataFiles):
    """The WSGI application, for tools that call it directly (schemathesis)."""
    from django.core.signals import request_finished, request_started
    from django.core.wsgi import get_wsgi_application
    from django.db import close_old_connections

    # As Django's test client does: the test's transaction must survive requests.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)
