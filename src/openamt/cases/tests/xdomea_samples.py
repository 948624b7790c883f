"""Sample records and helpers of the xdomea tests: a closed file of the
Stadtverwaltung Erfurt with its documents, offered to the Landesarchiv."""

import hashlib
from datetime import date
from uuid import uuid4

from lxml import etree

from openamt.cases.xdomea.common import (
    NS,
)
from openamt.cases.xdomea.records import (
    Appraisal,
    ArchiveDocument,
    ArchiveFile,
    FilingPlanEntry,
    Organisation,
)

X = {"x": NS}
AUTHORITY = Organisation(
    name="Stadtverwaltung Erfurt", code="160510000000", prefix="ars", short_name="SV Erfurt"
)
ARCHIVE = Organisation(name="Landesarchiv Thüringen – Hauptstaatsarchiv Weimar", code="LATh-HStA")


def sample_document(title: str, file_name: str, data: bytes, mime_type: str = "application/pdf"):
    return ArchiveDocument(
        id=uuid4(),
        title=title,
        document_type="Antrag",
        date=date(2025, 3, 3),
        author="Erika Mustermann",
        version="1",
        file_name=file_name,
        mime_type=mime_type,
        sha256=hashlib.sha256(data).hexdigest(),
        content=data,
    )


def sample_files() -> list[ArchiveFile]:
    application = sample_document(
        "Antrag auf Bewohnerparkausweis", "Antrag.pdf", b"%PDF-1.7 Antrag"
    )
    proof = sample_document(
        "Meldebestätigung (Scan)", "Meldebestätigung Müller.jpeg", b"\xff\xd8jpeg", "image/jpeg"
    )
    decision = sample_document("Bescheid", "bescheid.pdf", b"%PDF-1.7 Bescheid")
    note = sample_document("Aktenvermerk", "vermerk", b"Vermerk", "application/x-unbekannt")
    return [
        ArchiveFile(
            id=uuid4(),
            file_number="32.10.01-0017/2025",
            title="Bewohnerparkausweis Zone A – Müller",
            filing_plan_entry=FilingPlanEntry("32.10.01", "Parkberechtigungen"),
            opened_on=date(2025, 3, 3),
            closed_on=date(2025, 3, 20),
            retention_until=date(2031, 12, 31),
            appraisal=Appraisal.DESTROY,
            documents=(application, proof, decision),
            retention_years=6,
        ),
        ArchiveFile(
            id=uuid4(),
            file_number="10.20-0003/2019",
            title="Einbürgerung Öztürk",
            filing_plan_entry=FilingPlanEntry("10.20", "Staatsangehörigkeit"),
            opened_on=date(2019, 1, 7),
            closed_on=date(2019, 11, 4),
            retention_until=date(2025, 12, 31),
            appraisal=Appraisal.EXAMINE,
            documents=(note,),
        ),
    ]


def root_of(content: bytes) -> etree._Element:
    return etree.fromstring(content)
