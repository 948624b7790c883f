"""Plain text that staff write (legal pages, service texts) as paragraphs,
subheadings and lists, without letting them write HTML.

The format: blocks are separated by a blank line; a line starting with "## "
is a subheading, lines starting with "- " are list items, anything else is a
paragraph. Templates link web and mail addresses (`urlize`) and escape the rest.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Block:
    kind: str  # "heading", "list" or "paragraph"
    text: str = ""
    items: list[str] = field(default_factory=list)


def text_blocks(text: str) -> list[Block]:
    """Blocks of a text in reading order; empty lines between blocks are dropped."""
    blocks: list[Block] = []
    paragraph: list[str] = []
    items: list[str] = []

    def flush() -> None:
        if paragraph:
            blocks.append(Block("paragraph", text=" ".join(paragraph)))
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
