"""What receivers outside the platform get of an application: its metadata
and its attachments, the same for every target that sends them."""

from __future__ import annotations

import uuid
from typing import Any

from openamt.submissions.models import Submission


def submission_attachments(submission: Submission) -> list[tuple[dict[str, Any], bytes]]:
    """(description, content) of each attachment, in the order of their answer
    paths; the description's attachmentId is stable per submission and path."""
    result = []
    for attachment in submission.attachments.select_related("document").order_by("path"):
        with attachment.document.file.open("rb") as handle:
            content = handle.read()
        result.append(
            (
                {
                    "attachmentId": str(uuid.uuid5(submission.public_id, attachment.path)),
                    "path": attachment.path,
                    "filename": attachment.name,
                    "mimeType": attachment.document.content_type,
                    "sha256": attachment.document.sha256,
                },
                content,
            )
        )
    return result


def submission_metadata(
    submission: Submission, attachments: list[dict[str, Any]]
) -> dict[str, Any]:
    """The application's metadata as receivers get it (JSON-ready), with the
    given attachment descriptions."""
    return {
        "submissionId": str(submission.public_id),
        "reference": submission.reference,
        "leikaKey": submission.version.form.service.leika_key,
        "form": submission.version.form.key,
        "formVersion": submission.version.number,
        "submittedAt": submission.submitted_at.isoformat(),
        "assuranceLevel": submission.assurance_level,
        "fees": submission.fees,
        "attachments": attachments,
    }
