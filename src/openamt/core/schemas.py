"""API schemas shared by every app's router."""

import base64
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


# A file's name as a client sends it: shown to people and used in downloads
# (`mailbox.documents.safe_filename`), so no control characters and no path.
FILE_NAME_MAX = 120
FILE_NAME_PATTERN = r"^[^\x00-\x1f\x7f/\\]+$"
# Standard Base64 (RFC 4648 §4) with padding, nothing else: no line breaks, no
# URL-safe alphabet. `base64.b64decode(..., validate=True)` accepts exactly this.
BASE64_PATTERN = r"^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$"


class Base64File(Schema):
    """A file sent inside a JSON body: its name and its bytes in Base64. Which
    types and sizes are accepted is decided where the file is stored."""

    filename: str = Field(min_length=1, max_length=FILE_NAME_MAX, pattern=FILE_NAME_PATTERN)
    content_base64: str = Field(
        min_length=4,
        pattern=BASE64_PATTERN,
        description="Inhalt, Base64-kodiert (RFC 4648, mit Auffüllung „=“, ohne Zeilenumbrüche)",
        json_schema_extra={"format": "byte", "contentEncoding": "base64"},
    )

    def content(self) -> bytes:
        """The decoded bytes (the schema admits only valid Base64)."""
        return base64.b64decode(self.content_base64, validate=True)


def status_link(operation_id: str) -> dict[str, Any]:
    """`openapi_extra` of an operation answering 202 with an `id`: an OpenAPI link
    (3.1 §4.8.20) to the operation that reads its status by `public_id`."""
    link = {"operationId": operation_id, "parameters": {"public_id": "$response.body#/id"}}
    return {"responses": {202: {"links": {"Status": link}}}}
