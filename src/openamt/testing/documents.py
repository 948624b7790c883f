"""Real documents for tests and benchmarks, made with the libraries that read them."""

import io

from pypdf import PdfWriter

PNG_1X1 = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"
)


def sample_pdf(title: str = "Bescheid", size: int = 0) -> bytes:
    """A one-page A4 PDF; the title makes its content (and hash) distinct, and
    `size` pads it (in its metadata) to about that many bytes."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": title, **({"/Subject": "x" * size} if size else {})})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def active_pdf(kind: str) -> bytes:
    """A one-page PDF with one kind of active content: "javascript" (an
    /OpenAction running a script), "launch" (a link annotation starting a
    program), "submit" (a page's /AA sending a form), "embedded" (an attached
    file) or "richmedia" (a rich-media annotation). Made with pikepdf, which
    also reads them back."""
    import pikepdf

    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    page = pdf.pages[0]
    if kind == "javascript":
        pdf.Root.OpenAction = pikepdf.Dictionary(
            S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert('x')")
        )
    elif kind == "launch":
        action = pikepdf.Dictionary(S=pikepdf.Name.Launch, F=pikepdf.String("cmd.exe"))
        link = pikepdf.Dictionary(
            Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link, Rect=[0, 0, 100, 100], A=action
        )
        page.Annots = pdf.make_indirect(pikepdf.Array([pdf.make_indirect(link)]))
    elif kind == "submit":
        page.AA = pikepdf.Dictionary(
            O=pikepdf.Dictionary(
                S=pikepdf.Name.SubmitForm, F=pikepdf.String("https://example.org/sammeln")
            )
        )
    elif kind == "embedded":
        pdf.attachments["daten.txt"] = pikepdf.AttachedFileSpec(pdf, b"versteckt")
    elif kind == "richmedia":
        media = pikepdf.Dictionary(
            Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.RichMedia, Rect=[0, 0, 100, 100]
        )
        page.Annots = pdf.make_indirect(pikepdf.Array([pdf.make_indirect(media)]))
    else:
        raise ValueError(kind)
    buffer = io.BytesIO()
    # The same bytes in every process: parallel test workers collect the
    # tests parametrised with these files under identical ids.
    pdf.save(buffer, deterministic_id=True)
    return buffer.getvalue()
