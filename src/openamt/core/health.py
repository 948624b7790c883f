"""Readiness checks: can this process serve requests and hand off background work?"""

from django.conf import settings
from django.db import connection


def check_database() -> str | None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:
        return type(error).__name__
    return None


def check_task_backend() -> str | None:
    backend = str(settings.TASKS["default"]["BACKEND"])
    try:
        if backend.startswith("django_tasks_db"):
            from django_tasks_db.models import DBTaskResult

            DBTaskResult.objects.exists()
        elif backend.startswith("django_tasks_rq"):
            import django_rq

            django_rq.get_connection("default").ping()
    except Exception as error:
        return type(error).__name__
    return None


def readiness() -> dict[str, str]:
    checks = {"database": check_database(), "tasks": check_task_backend()}
    return {name: (problem or "ok") for name, problem in checks.items()}
