"""API schemas shared by every app's router."""

from ninja import Schema


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
