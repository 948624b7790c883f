"""API schemas shared by every app's router."""

from typing import Any

from ninja import Field, Schema


class FieldProblem(Schema):
    field: str | None
    message: str


class ProblemOut(Schema):
    """RFC 9457 problem details (sent as application/problem+json)."""

    type: str
    title: str
    status: int
    detail: str | None = None
    errors: list[FieldProblem] | None = None


# Free-text search input: bounded, and without control characters (PostgreSQL
# rejects NUL in text; none of them belong in a search).
SEARCH_TEXT_PATTERN = r"^[^\x00-\x1f\x7f]*$"


def search_text(description: str) -> Any:
    return Field("", max_length=100, pattern=SEARCH_TEXT_PATTERN, description=description)
