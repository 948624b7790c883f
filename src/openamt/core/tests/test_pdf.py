"""Documents as PDF: the default rendering, and PDF/A for decisions."""

import io

import pikepdf

from openamt.testing.seals import sample_decision

PDFAID = "{http://www.aiim.org/pdfa/ns/id/}"


def _fonts(pdf: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    fonts = []
    for page in pdf.pages:
        for font in page.Resources.Font.values():
            fonts.extend(font.get("/DescendantFonts", [font]))
    return fonts


def test_pdfa_declares_part_2_conformance_b_with_output_intent_and_embedded_fonts():
    with pikepdf.open(io.BytesIO(sample_decision(pdfa=True))) as pdf:
        metadata = pdf.open_metadata()
        assert metadata[f"{PDFAID}part"] == "2"
        assert metadata[f"{PDFAID}conformance"] == "B"
        assert metadata["dc:title"] == "Bescheid 2026-000001"
        assert pdf.pdf_version == "1.7"
        (intent,) = pdf.Root.OutputIntents
        assert intent.S == "/GTS_PDFA1"
        assert intent.OutputConditionIdentifier == "IEC 61966-2-1 Default RGB Colour Space - sRGB"
        assert "/DestOutputProfile" in intent
        fonts = _fonts(pdf)
        assert fonts
        assert all("/FontFile2" in font.FontDescriptor for font in fonts)
        assert "/ID" in pdf.trailer


def test_the_default_rendering_stays_plain_pdf():
    with pikepdf.open(io.BytesIO(sample_decision(pdfa=False))) as pdf:
        assert "/Metadata" not in pdf.Root
        assert "/OutputIntents" not in pdf.Root
        assert dict(pdf.open_metadata()) == {}
        assert len(pdf.pages) == 1
