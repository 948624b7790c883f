"""Every table of a web page sits in a named region that scrolls sideways and
can take the keyboard focus, so that a table wider than a phone's screen never
widens the page (WCAG 2.1 1.4.10 Reflow, 2.1.1 Keyboard). Templates that are
rendered to PDF are not pages: they are the ones that set their paper with an
`@page` rule (receipts, decisions, notes, file indexes)."""

import re
from pathlib import Path

import openamt

REGION = re.compile(
    r'<div class="kern-table-responsive" role="region" aria-labelledby="([^"]+)"'
    r' tabindex="0"[^>]*>\s*<table\b'
)


def _page_templates() -> dict[str, str]:
    root = Path(openamt.__file__).parent
    found = {}
    for path in root.glob("**/templates/**/*.html"):
        name = path.relative_to(next(p for p in path.parents if p.name == "templates"))
        text = path.read_text(encoding="utf-8")
        if "@page" not in text:
            found[name.as_posix()] = text
    return found


def test_every_table_scrolls_in_a_named_focusable_region():
    templates = _page_templates()
    with_tables = {name: text for name, text in templates.items() if "<table" in text}
    assert "portal/my_applications.html" in with_tables
    for name, text in with_tables.items():
        regions = REGION.findall(text)
        assert len(regions) == text.count("<table"), name
        for label in regions:
            assert f'id="{label}"' in text, (name, label)
