"""Headless Chromium (Debian's) driven by Playwright, with an axe-core check."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.conf import settings

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


@contextmanager
def chromium_page(*, javascript: bool = True) -> Iterator[Any]:
    """A page in a fresh browser; `javascript=False` browses with scripting off."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        # axe is injected as an inline script, which the site's CSP forbids.
        context = browser.new_context(
            bypass_csp=True, locale="de-DE", java_script_enabled=javascript
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
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})"
    )
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
        if v["impact"] in BLOCKING_IMPACTS
    ]
