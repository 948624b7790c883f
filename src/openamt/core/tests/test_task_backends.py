"""The task backend is chosen by the environment: database (default) or Redis (rq)."""

import json
import os
import subprocess
import sys

import pytest
import redis

PROBE = """
import json, django
django.setup()
from django_tasks import task_backends
from openamt.core.health import check_task_backend
print(json.dumps({"backend": type(task_backends["default"]).__name__, "problem": check_task_backend()}))
"""


def _probe(**env: str) -> dict:
    environment = {
        k: v for k, v in os.environ.items() if k not in ("OPENAMT_TASK_BACKEND", "REDIS_URL")
    }
    environment.update({"DJANGO_SETTINGS_MODULE": "openamt.conf.base", "SECRET_KEY": "x", **env})
    result = subprocess.run(
        [sys.executable, "-c", PROBE], env=environment, capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_database_queue_is_the_default():
    assert _probe()["backend"] == "DatabaseBackend"


def test_redis_queue_is_selectable():
    url = "redis://127.0.0.1:6379/15"
    try:
        redis.Redis.from_url(url).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("kein Redis auf 127.0.0.1:6379")
    assert _probe(OPENAMT_TASK_BACKEND="rq", REDIS_URL=url) == {
        "backend": "RQBackend",
        "problem": None,
    }


def test_unreachable_redis_makes_the_process_not_ready():
    probe = _probe(OPENAMT_TASK_BACKEND="rq", REDIS_URL="redis://127.0.0.1:1/0")
    assert probe == {"backend": "RQBackend", "problem": "ConnectionError"}
