"""The transactional outbox's worker side (GUIDE §8), shared by every kind of job.

A job row (`core.models.OutboxJob`) is written in the transaction whose
outcome it carries out. Running it takes three steps, none of which holds a
transaction or a row lock across the call to the outside world:

1. claim: a conditional UPDATE (compare-and-set on `lease_owner`, committed at
   once) gives this worker a lease until `now + OPENAMT_OUTBOX_LEASE_SECONDS`;
   an expired lease may be taken over by another worker. On PostgreSQL the
   search for the next due job skips rows other workers have locked
   (`SKIP LOCKED`); SQLite ignores that clause, and the compare-and-set alone
   keeps two workers from claiming one job on both databases.
2. send, outside any transaction: any exception is a failed attempt.
3. record the result in one short transaction, only if the lease is still
   ours; the kind's `done`/`failed` hooks write their consequences (status,
   audit entry, an alert job) in that same transaction.

Exactly once toward the receiver: a kind whose receiver recognises a repeat
(an Idempotency-Key) is simply sent again after a worker died mid-attempt. A
kind whose receiver cannot (SMTP) is not sent blindly a second time: the
committed claim marks the attempt as started, and a taken-over lease of such
a job is parked as failed with a message saying the outcome is unknown, so
that a person checks instead of the receiver getting the mail twice.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, ClassVar, Generic, TypeVar

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from openamt.core.models import OutboxJob, OutboxStatus

logger = logging.getLogger(__name__)

# Pauses before the 2nd, 3rd, ... attempt; after the last one the job has failed.
BACKOFF_MINUTES = [1, 5, 15, 60, 240]

CUT_OFF = (
    "Der Versuch brach ab, bevor sein Ergebnis festgehalten war; ob er ankam, ist "
    "unbekannt. Nicht erneut gesendet, um keine doppelte Zustellung zu riskieren."
)

J = TypeVar("J", bound=OutboxJob)


def lease_duration() -> timedelta:
    """How long a claimed job belongs to its worker (`OPENAMT_OUTBOX_LEASE_SECONDS`);
    longer than any single attempt may take, so that only a dead worker loses it."""
    return timedelta(seconds=settings.OPENAMT_OUTBOX_LEASE_SECONDS)


@dataclass(frozen=True)
class Lease:
    token: str
    # An earlier worker claimed the job and never recorded a result (it died).
    cut_off: bool


def _clock(now: datetime) -> datetime:
    """The time leases are measured by: the real clock, so that a job claimed
    late in a long run still gets its full lease; or a later `now` a caller
    passes (a test looking ahead, a recovery run after a known outage)."""
    return max(now, timezone.now())


def _free(now: datetime) -> Q:
    return Q(lease_until__isnull=True) | Q(lease_until__lt=_clock(now))


def _take(model: type[OutboxJob], pk: int, seen_owner: str, now: datetime) -> Lease | None:
    """Compare-and-set: the lease is ours only if nobody took it since we looked."""
    token = uuid.uuid4().hex
    taken = (
        model._default_manager.filter(pk=pk, status=OutboxStatus.PENDING, lease_owner=seen_owner)
        .filter(_free(now))
        .update(lease_owner=token, lease_until=_clock(now) + lease_duration())
    )
    return Lease(token=token, cut_off=bool(seen_owner)) if taken else None


def lease_claim(model: type[OutboxJob], pk: int, *, now: datetime) -> Lease | None:
    """Claim one open job by id, whether or not it is due; None if it is done,
    failed, or leased by a live worker."""
    seen = (
        model._default_manager.filter(pk=pk, status=OutboxStatus.PENDING)
        .filter(_free(now))
        .values_list("lease_owner", flat=True)
        .first()
    )
    return None if seen is None else _take(model, pk, seen, now)


def lease_next(
    model: type[OutboxJob], *, now: datetime, skip: set[int]
) -> tuple[int, Lease] | None:
    """Claim the next due job (oldest due first) that nobody holds; None if there is none."""
    while True:
        with transaction.atomic():
            row = (
                model._default_manager.select_for_update(skip_locked=True)
                .filter(status=OutboxStatus.PENDING, next_attempt_at__lte=now)
                .filter(_free(now))
                .exclude(pk__in=skip)
                .order_by("next_attempt_at", "pk")
                .values_list("pk", "lease_owner")
                .first()
            )
            if row is None:
                return None
            lease = _take(model, row[0], row[1], now)
        if lease is not None:
            return row[0], lease
        skip.add(row[0])  # another worker was quicker


class OutboxKind(Generic[J]):
    """One kind of outbox job: how to send it and what its outcome changes.

    Subclasses set `model` and implement `send`; `idempotent_receiver` says
    whether the receiver recognises a repeated attempt; `done` and `failed`
    (parked after the last attempt) run inside the recording transaction.
    Exceptions of the types in `expected_errors` are recorded with their
    message (meant to be read by administrators, without personal data); any
    other exception only with its type.
    """

    model: type[J]
    backoff_minutes: ClassVar[list[int]] = BACKOFF_MINUTES
    expected_errors: ClassVar[tuple[type[Exception], ...]] = ()

    def send(self, job: J) -> None:
        raise NotImplementedError

    def idempotent_receiver(self, job: J) -> bool:
        return False

    def done(self, job: J, now: datetime) -> None:
        """The job succeeded (inside the recording transaction)."""

    def failed(self, job: J, now: datetime) -> None:
        """The job is parked as failed (inside the recording transaction)."""

    def run(self, pk: int, *, now: datetime | None = None) -> str:
        """Attempt the open job `pk` once if nobody else holds it; its status
        afterwards (`OutboxStatus` value). Never raises for a failed attempt."""
        now = now or timezone.now()
        lease = lease_claim(self.model, pk, now=now)
        if lease is not None:
            self._attempt_logged(pk, lease, now)
        return self.model._default_manager.values_list("status", flat=True).get(pk=pk)

    def run_due(self, *, now: datetime | None = None, limit: int = 500) -> int:
        """Attempt up to `limit` due jobs, one after another; how many were attempted.
        A job whose attempt cannot even be recorded is logged and left to its
        lease's expiry: it never stops the jobs behind it."""
        now = now or timezone.now()
        skip: set[int] = set()
        count = 0
        while count < limit:
            claimed = lease_next(self.model, now=now, skip=skip)
            if claimed is None:
                break
            pk, lease = claimed
            skip.add(pk)
            count += 1
            self._attempt_logged(pk, lease, now)
        return count

    def _attempt_logged(self, pk: int, lease: Lease, now: datetime) -> None:
        """An attempt whose result cannot even be recorded (the database gone
        away) is logged; the job's lease then expires and another run takes over."""
        try:
            self._attempt(pk, lease, now)
        except Exception:
            logger.exception("outbox %s: job %s could not be recorded", self.model.__name__, pk)

    def _attempt(self, pk: int, lease: Lease, now: datetime) -> None:
        job = self.model._default_manager.get(pk=pk)
        try:
            if lease.cut_off and not self.idempotent_receiver(job):
                self._record(
                    job, lease, self._failure(job, CUT_OFF, now, final=True), self.failed, now
                )
                return
            self.send(job)
        except Exception as error:
            expected = isinstance(error, self.expected_errors)
            # A traceback only for what the kind did not foresee (a bug, or a
            # receiver answering nonsense); the message never, it may name people.
            logger.warning(
                "outbox %s: job %s attempt failed (%s)",
                self.model.__name__,
                pk,
                type(error).__name__,
                exc_info=not expected,
            )
            message = str(error) if expected else f"Unerwarteter Fehler ({type(error).__name__})."
            fields = self._failure(job, message, now, final=False)
            parked = fields.get("status") == OutboxStatus.FAILED
            self._record(job, lease, fields, self.failed if parked else None, now)
            return
        self._record(job, lease, {"status": OutboxStatus.DONE, "done_at": now}, self.done, now)

    def _failure(self, job: J, message: str, now: datetime, *, final: bool) -> dict[str, Any]:
        attempts = job.attempts + 1
        fields: dict[str, Any] = {"attempts": attempts, "last_error": message[:300]}
        if final or attempts > len(self.backoff_minutes):
            fields["status"] = OutboxStatus.FAILED
        else:
            fields["next_attempt_at"] = now + timedelta(minutes=self.backoff_minutes[attempts - 1])
        return fields

    def _record(
        self,
        job: J,
        lease: Lease,
        fields: dict[str, Any],
        then: Callable[[J, datetime], None] | None,
        now: datetime,
    ) -> bool:
        with transaction.atomic():
            ours = self.model._default_manager.filter(pk=job.pk, lease_owner=lease.token).update(
                lease_owner="", lease_until=None, **fields
            )
            if not ours:
                logger.warning("outbox %s: lease on job %s was lost", self.model.__name__, job.pk)
                return False
            for name, value in fields.items():
                setattr(job, name, value)
            if then is not None:
                then(job, now)
        return True


outbox_kinds: dict[str, OutboxKind[Any]] = {}


def outbox_kind_register(name: str, kind: OutboxKind[Any]) -> None:
    """Make `kind` part of `outbox_run_due` (called once at import of its module)."""
    if name in outbox_kinds:
        raise ValueError(f"outbox kind {name!r} is registered twice")
    outbox_kinds[name] = kind


def outbox_run_due(*, now: datetime | None = None, limit: int = 500) -> dict[str, int]:
    """Every registered kind's due jobs (`openamt deliver-due`); attempts per kind."""
    return {name: kind.run_due(now=now, limit=limit) for name, kind in sorted(outbox_kinds.items())}
