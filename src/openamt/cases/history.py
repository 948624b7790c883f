"""The history of a case as its page shows it: the audit log's entries about
the case, oldest first, with who did it and what, in German words."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from openamt.accounts.models import User
from openamt.cases.constants import CaseStatus, DocumentKind, Priority
from openamt.cases.models import Case, Team
from openamt.core.models import AuditEntry

CASE_OBJECT_TYPE = "cases.case"

# What each audited action on a case means; an action not listed (a newer kind
# of entry) is shown by its code rather than hidden.
ACTION_LABELS: dict[str, str] = {
    "case.open": "Vorgang angelegt",
    "case.transition": "Status geändert",
    "case.assign": "Zuständigkeit geändert",
    "case.update": "Priorität, Schlagworte oder Wiedervorlage geändert",
    "case.document_add": "Dokument zur Akte genommen",
}
SYSTEM = "System"


@dataclass(frozen=True)
class HistoryEntry:
    """One line of a case's history: when (aware datetime), who (a staff
    member's name or "System"), what (German label) and the details in words."""

    created_at: datetime.datetime
    actor: str
    action: str
    label: str
    details: str


def _status(value: Any) -> str:
    return CaseStatus(value).label if value in CaseStatus.values else str(value)


def _details(entry: AuditEntry, users: dict[int, str], teams: dict[int, str]) -> str:
    """The changes of an entry in words; only codes and ids are stored (no
    personal data in the log), names are looked up for the page."""
    changes = entry.changes or {}
    if entry.action == "case.transition" and "status" in changes:
        before, after = changes["status"]
        text = f"{_status(before)} → {_status(after)}"
        return f"{text} ({changes['reason']})" if changes.get("reason") else text
    if entry.action == "case.assign":
        parts = []
        if "assignee" in changes:
            after = changes["assignee"][1]
            parts.append(f"Bearbeitung: {users.get(after, 'niemand') if after else 'niemand'}")
        if "team" in changes:
            after = changes["team"][1]
            parts.append(f"Team: {teams.get(after, 'keins') if after else 'keins'}")
        return "; ".join(parts)
    if entry.action == "case.update":
        parts = []
        if "priority" in changes:
            after = changes["priority"][1]
            parts.append(
                f"Priorität: {Priority(after).label if after in Priority.values else after}"
            )
        if "tags" in changes:
            parts.append(f"Schlagworte: {', '.join(changes['tags'][1]) or 'keine'}")
        if "resubmission_on" in changes:
            after = changes["resubmission_on"][1]
            shown = datetime.date.fromisoformat(after).strftime("%d.%m.%Y") if after else "keine"
            parts.append(f"Wiedervorlage: {shown}")
        return "; ".join(parts)
    if entry.action == "case.document_add":
        kind = changes.get("kind", "")
        label = DocumentKind(kind).label if kind in DocumentKind.values else kind
        return f"{label}, Version {changes.get('version', 1)}"
    if entry.action == "case.open":
        return {"online": "online eingegangen"}.get(changes.get("channel", ""), "von Hand angelegt")
    return ""


def case_history(*, case: Case) -> list[HistoryEntry]:
    """The audit entries of `case`, oldest first (three queries: the entries,
    the names of their actors and assignees, the teams named)."""
    entries = list(
        AuditEntry.objects.filter(object_type=CASE_OBJECT_TYPE, object_id=str(case.pk))
        .only("created_at", "actor_id", "action", "changes")
        .order_by("id")
    )
    user_ids: set[int] = set()
    team_ids: set[int] = set()
    for entry in entries:
        if entry.actor_id:
            user_ids.add(entry.actor_id)
        if entry.action == "case.assign":
            assignee = (entry.changes.get("assignee") or [None, None])[1]
            team = (entry.changes.get("team") or [None, None])[1]
            if assignee:
                user_ids.add(assignee)
            if team:
                team_ids.add(team)
    users = (
        {
            user.pk: user.get_full_name() or user.username
            for user in User.objects.filter(pk__in=user_ids).only(
                "first_name", "last_name", "username"
            )
        }
        if user_ids
        else {}
    )
    teams = (
        dict(
            Team.objects.filter(pk__in=team_ids, authority_id=case.authority_id).values_list(
                "pk", "name"
            )
        )
        if team_ids
        else {}
    )
    return [
        HistoryEntry(
            created_at=entry.created_at,
            actor=users.get(entry.actor_id, "unbekannt") if entry.actor_id else SYSTEM,
            action=entry.action,
            label=ACTION_LABELS.get(entry.action, entry.action),
            details=_details(entry, users, teams),
        )
        for entry in entries
    ]
