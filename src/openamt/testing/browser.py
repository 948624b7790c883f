"""Headless Chromium (Debian's) driven by Playwright, with an axe-core check."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from django.conf import settings

if TYPE_CHECKING:
    from playwright.sync_api import ViewportSize

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE = Path(settings.PROJECT_DIR) / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING_IMPACTS = {"serious", "critical"}
# The marks of every browser test module (`pytestmark = BROWSER_TEST`).
BROWSER_TEST = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium fehlt (make browser)"),
]
# The widths the pages are checked at: a common phone (CSS pixels) and a desktop.
PHONE: ViewportSize = {"width": 390, "height": 844}
DESKTOP: ViewportSize = {"width": 1280, "height": 800}
VIEWPORTS: dict[str, ViewportSize] = {"telefon": PHONE, "desktop": DESKTOP}


@contextmanager
def chromium_page(*, javascript: bool = True, viewport: ViewportSize = DESKTOP) -> Iterator[Any]:
    """A page in a fresh browser; `javascript=False` browses with scripting off;
    `viewport` is the window's size in CSS pixels (PHONE or DESKTOP)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        # axe is injected as an inline script, which the site's CSP forbids.
        context = browser.new_context(
            bypass_csp=True, locale="de-DE", java_script_enabled=javascript, viewport=viewport
        )
        try:
            page = context.new_page()
            page.openamt_javascript = javascript  # type: ignore[attr-defined]
            yield page
        finally:
            context.close()
            browser.close()


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """Serious and critical WCAG violations on the current page. Without scripting
    axe cannot run in the page (its timers never fire): it checks a copy of the
    page's DOM, with the same styles, in a page of its own."""
    if getattr(page, "openamt_javascript", True):
        return _axe_run(page)
    checker = page.context.browser.new_context(bypass_csp=True, locale="de-DE")
    try:
        copy = checker.new_page()
        html = page.content().replace("<head>", f'<head><base href="{page.url}">', 1)
        copy.set_content(html, wait_until="load")
        return _axe_run(copy)
    finally:
        checker.close()


def _axe_run(page: Any) -> list[dict[str, Any]]:
    page.add_script_tag(path=str(AXE))
    # Only violations are read: with resultTypes axe lists every node of a
    # violation but at most one of each passed or inapplicable rule, which
    # shortens the check of a long page (axe-core's documented performance option).
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}, "
        "resultTypes: ['violations']})"
    )
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
        if v["impact"] in BLOCKING_IMPACTS
    ]


# Elements that make the page wider than the window, and boxes that scroll
# sideways but cannot be reached with the keyboard. A box that scrolls its own
# content (overflow-x: auto or scroll) and can take focus is allowed: the page
# itself stays as wide as the window.
_OVERFLOW_SCRIPT = """() => {
  const width = document.documentElement.clientWidth;
  const name = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
    + (el.classList.length ? "." + [...el.classList].join(".") : "");
  const scrolls = (el) => ["auto", "scroll"].includes(getComputedStyle(el).overflowX)
    && el.scrollWidth > el.clientWidth;
  const problems = [];
  if (document.documentElement.scrollWidth > width) {
    problems.push("Seite " + document.documentElement.scrollWidth + " px breit, Fenster "
      + width + " px");
    for (const el of document.body.querySelectorAll("*")) {
      const box = el.getBoundingClientRect();
      if (box.width === 0 || box.right <= width + 0.5) continue;
      let clipped = false;
      for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
        if (getComputedStyle(up).overflowX !== "visible") { clipped = true; break; }
      }
      const parent = el.parentElement;
      const parentSticksOut = parent && parent !== document.body
        && parent.getBoundingClientRect().right > width + 0.5;
      if (!clipped && !parentSticksOut) problems.push(name(el) + " ragt "
        + Math.round(box.right - width) + " px hinaus");
    }
  }
  for (const el of document.querySelectorAll("*")) {
    if (scrolls(el) && el.tabIndex < 0) problems.push(name(el)
      + " scrollt seitlich, ist aber nicht mit der Tastatur erreichbar");
  }
  return problems;
}"""


def horizontal_overflow(page: Any) -> list[str]:
    """What makes the current page scroll sideways: [] when the page is no wider
    than the window (document.documentElement.scrollWidth <= its width) and every
    box that scrolls sideways can take focus (WCAG 1.4.10 Reflow, 2.1.1 Keyboard).
    Otherwise German descriptions: the page's width and the outermost elements
    that stick out ("td.kern-table__cell ragt 120 px hinaus"), or the boxes that
    scroll but cannot be reached with the keyboard."""
    return list(page.evaluate(_OVERFLOW_SCRIPT))


def focused_id(page: Any, expected: str, timeout_ms: int = 5000) -> str:
    """The id of the focused element once it is ``expected`` or after ``timeout_ms``.

    A browser focuses the target of a URL fragment once the document has been
    parsed, which may be later than the moment Playwright reports the new URL;
    reading ``document.activeElement`` at once races with that. Returns the id
    actually focused so that the caller's assertion names what it found.
    """
    from playwright.sync_api import TimeoutError as WaitTimeout

    with suppress(WaitTimeout):  # the caller's assertion reports the difference
        page.wait_for_function(
            "id => document.activeElement?.id === id", arg=expected, timeout=timeout_ms
        )
    return page.evaluate("() => document.activeElement?.id ?? ''")
