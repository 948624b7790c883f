"""Plain text that staff write (legal pages, service texts) as paragraphs,
subheadings and lists, without letting them write HTML.

The format: blocks are separated by a blank line; a line starting with "## "
is a subheading, lines starting with "- " are list items, anything else is a
paragraph (its single line breaks kept). Templates link web and mail addresses (`urlize`) and escape the rest.
"""

from dataclasses import dataclass, field

# How staff are told the format, next to every field that uses it.
FORMAT_HINT = (
    "Absätze trennen Sie durch eine Leerzeile. Eine Zeile mit „## “ am Anfang ist eine "
    "Zwischenüberschrift, Zeilen mit „- “ am Anfang bilden eine Liste. Web- und "
    "E-Mail-Adressen werden zu Links."
)


@dataclass(frozen=True)
class Block:
    kind: str  # "heading", "list" or "paragraph"
    text: str = ""  # a heading's
    items: list[str] = field(default_factory=list)  # a list's items, a paragraph's lines


def text_blocks(text: str) -> list[Block]:
    """Blocks of a text in reading order; empty lines between blocks are dropped."""
    blocks: list[Block] = []
    paragraph: list[str] = []
    items: list[str] = []

    def flush() -> None:
        if paragraph:
            blocks.append(Block("paragraph", items=list(paragraph)))
            paragraph.clear()
        if items:
            blocks.append(Block("list", items=list(items)))
            items.clear()

    for raw in text.replace("\r\n", "\n").split("\n"):
        line = raw.strip()
        if not line:
            flush()
        elif line.startswith("## "):
            flush()
            blocks.append(Block("heading", text=line[3:].strip()))
        elif line.startswith("- "):
            if paragraph:
                flush()
            items.append(line[2:].strip())
        else:
            if items:
                flush()
            paragraph.append(line)
    flush()
    return blocks
