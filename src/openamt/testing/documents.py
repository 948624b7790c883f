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
