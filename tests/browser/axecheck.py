"""axe-core in the browser: run the WCAG 2.1 A/AA rules on a page, report what it finds.

Shared by the accessibility tests; the page's context needs ``bypass_csp`` because the
site's Content Security Policy rightly refuses the injected script.
"""

from __future__ import annotations

from playwright.sync_api import Page

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"serious", "critical"}


def scan(page: Page, axe_source: str) -> list[dict]:
    """Run axe-core on the page with the WCAG 2.1 A/AA rules; return its violations."""
    page.add_script_tag(content=axe_source)
    results = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG_TAGS,
    )
    return results["violations"]


def report(violations: list[dict]) -> str:
    """Describe violations, with up to ten offending elements each."""
    lines = []
    for v in violations:
        lines.append(f"{v['impact']}: {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:10]:
            lines.append(f"    {' '.join(map(str, node['target']))}: {node['failureSummary']!r}")
    return "\n".join(lines)


def blocking_violations(page: Page, axe_source: str) -> list[dict]:
    """Scan the page, print every finding (seen with -s), return the serious and critical ones."""
    violations = scan(page, axe_source)
    if violations:
        # Minor and moderate findings do not fail a test, but they are shown with -s.
        print(f"\naxe on {page.url}:\n{report(violations)}")
    return [v for v in violations if v["impact"] in BLOCKING]


def assert_no_serious_violations(page: Page, axe_source: str) -> None:
    """Fail when axe finds a serious or critical violation on the page."""
    blocking = blocking_violations(page, axe_source)
    assert not blocking, f"axe found serious problems on {page.url}:\n{report(blocking)}"
