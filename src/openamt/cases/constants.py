"""The words of case work: statuses and their transition table, channels,
priorities and the kinds of documents in the electronic file."""

from django.db import models


class CaseStatus(models.TextChoices):
    NEW = "neu", "neu"
    IN_PROGRESS = "in_bearbeitung", "in Bearbeitung"
    WAITING_APPLICANT = "wartet_antragsteller", "wartet auf Antragsteller"
    WAITING_PARTIES = "wartet_beteiligte", "wartet auf Beteiligte"
    DECIDED = "entschieden", "entschieden"
    CLOSED = "abgeschlossen", "abgeschlossen"
    DISPOSED = "ausgesondert", "ausgesondert"


S = CaseStatus
# Which status may follow which (GUIDE §8 "State machines"). A new case may be
# closed at once (withdrawn, or not for this authority); a decided or closed
# case may be taken up again (an objection, a correction) until it is disposed
# of, after which only the deletion record remains.
TRANSITIONS: dict[str, frozenset[str]] = {
    S.NEW: frozenset({S.IN_PROGRESS, S.WAITING_APPLICANT, S.CLOSED}),
    S.IN_PROGRESS: frozenset({S.WAITING_APPLICANT, S.WAITING_PARTIES, S.DECIDED, S.CLOSED}),
    S.WAITING_APPLICANT: frozenset({S.IN_PROGRESS, S.CLOSED}),
    S.WAITING_PARTIES: frozenset({S.IN_PROGRESS, S.CLOSED}),
    S.DECIDED: frozenset({S.IN_PROGRESS, S.CLOSED}),
    S.CLOSED: frozenset({S.IN_PROGRESS, S.DISPOSED}),
    S.DISPOSED: frozenset(),
}
OPEN_STATUSES = frozenset({S.NEW, S.IN_PROGRESS, S.WAITING_APPLICANT, S.WAITING_PARTIES})

# What the applicant reads in "Meine Anträge" for each status, in plain words.
STATUS_FOR_APPLICANT: dict[str, str] = {
    S.NEW: "Ihr Antrag ist eingegangen und wartet auf die Bearbeitung.",
    S.IN_PROGRESS: "Ihr Antrag wird bearbeitet.",
    S.WAITING_APPLICANT: "Die Behörde braucht noch etwas von Ihnen. Bitte sehen Sie in Ihr Postfach.",
    S.WAITING_PARTIES: "Die Behörde wartet auf die Stellungnahme einer anderen Stelle.",
    S.DECIDED: "Über Ihren Antrag ist entschieden. Den Bescheid finden Sie in Ihrem Postfach.",
    S.CLOSED: "Die Bearbeitung ist abgeschlossen.",
    S.DISPOSED: "Die Bearbeitung ist abgeschlossen.",
}


class Channel(models.TextChoices):
    """How the application reached the authority (Eingangskanal)."""

    ONLINE = "online", "online"
    PAPER = "papier", "Papier"
    PHONE = "telefon", "Telefon"
    COUNTER = "schalter", "persönlich am Schalter"
    EMAIL = "email", "E-Mail"


class Priority(models.IntegerChoices):
    # Numbers sort: the most urgent first.
    HIGH = 1, "hoch"
    NORMAL = 2, "normal"
    LOW = 3, "niedrig"


class DocumentKind(models.TextChoices):
    """The document types of the electronic file; the xdomea export maps them."""

    APPLICATION = "antrag", "Antrag"
    ATTACHMENT = "anlage", "Anlage"
    SCAN = "scan", "Scan (Papiereingang)"
    MESSAGE = "nachricht", "Nachricht an den Antragsteller"
    REPLY = "antwort", "Antwort des Antragstellers"
    NOTE = "vermerk", "Vermerk"
    DECISION = "bescheid", "Bescheid"
    PAYMENT = "zahlung", "Zahlungsnachweis"
    RECEIPT = "quittung", "Eingangsbestätigung"
    INDEX = "inhaltsverzeichnis", "Inhaltsverzeichnis"
    OTHER = "sonstiges", "Sonstiges"
