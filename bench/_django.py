"""Set up Django on a throw-away SQLite database (or BENCH_DATABASE_URL) for a benchmark."""

import atexit
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup(*, fresh: bool = True) -> Path:
    sys.path.insert(0, str(ROOT / "src"))
    workdir = Path(tempfile.mkdtemp(prefix="openamt-bench-"))
    atexit.register(shutil.rmtree, workdir, ignore_errors=True)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openamt.conf.dev")
    os.environ["OPENAMT_VAR_DIR"] = str(workdir)
    os.environ["DATABASE_URL"] = os.environ.get(
        "BENCH_DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}"
    )
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ["ALLOWED_HOSTS"] = "testserver,localhost,127.0.0.1"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return workdir


def postgres_database() -> None:
    """Point BENCH_DATABASE_URL at PostgreSQL: as given, or a throw-away database
    on 127.0.0.1:5432 (dropped at exit); without a server the bench stays on SQLite."""
    if os.environ.get("BENCH_DATABASE_URL"):
        return
    import psycopg

    name = f"openamt_bench_{os.getpid()}"
    try:
        admin = psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True)
    except psycopg.OperationalError:
        print("PostgreSQL not reachable on 127.0.0.1:5432: measuring on SQLite")
        return
    admin.execute(f'CREATE DATABASE "{name}"')
    os.environ["BENCH_DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{name}"

    def drop() -> None:
        from django.db import connections

        connections.close_all()
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()

    atexit.register(drop)


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))
    return ordered[index]


def measure(fn: Callable[[str], object], queries: list[str]) -> list[float]:
    """Milliseconds of fn for each query, after the first 50 warmed the caches."""
    for q in queries[:50]:
        fn(q)
    samples = []
    for q in queries:
        start = time.perf_counter()
        fn(q)
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def print_ratios(timings: dict[str, list[float]]) -> None:
    """p50 and p95 of each measurement, and its p95 as a multiple of the first's."""
    base = percentile(next(iter(timings.values())), 95)
    width = max(len(label) for label in timings) + 1
    for label, samples in timings.items():
        p50, p95 = percentile(samples, 50), percentile(samples, 95)
        print(
            f"{label:<{width}} p50 {p50:7.2f} ms   p95 {p95:7.2f} ms   "
            f"p95 ratio to raw {p95 / base:5.2f}x"
        )


def served(env: dict[str, str], port: int, script: Path, *, seconds: int, connections: int) -> str:
    """wrk's report for a run of `script` against 2 gunicorn workers of this project."""
    server = subprocess.Popen(  # noqa: S603 - our own gunicorn, fixed arguments
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            *("-w", "2", "-b", f"127.0.0.1:{port}", "--log-level", "warning"),
            "openamt.wsgi:application",
        ],
        env=env,
        cwd=ROOT / "src",
    )
    try:
        time.sleep(4)
        return subprocess.run(  # noqa: S603 - wrk with fixed arguments
            [
                shutil.which("wrk") or "wrk",
                *("-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "--latency"),
                *("-s", str(script), f"http://127.0.0.1:{port}"),
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
