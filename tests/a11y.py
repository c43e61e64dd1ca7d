"""axe-core in a real browser: WCAG 2.1 AA checks for the browser tests."""
from tests.environment import AXE

WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Best-practice rules run in addition to WCAG 2.1 AA: several scroll regions on one page
# must be told apart by their names.
EXTRA_RULES = ["landmark-unique"]


def axe_violations(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async ([tags, extra]) => await axe.run(document, {
            runOnly: {type: 'tag', values: tags},
            rules: Object.fromEntries(extra.map((rule) => [rule, {enabled: true}])),
        })""",
        [WCAG_AA, EXTRA_RULES],
    )
    return result["violations"]


def assert_no_axe_violations(page):
    violations = axe_violations(page)
    summary = [
        f"{v['id']} ({v['impact']}): {v['help']} – {[n['target'] for n in v['nodes']][:3]}" for v in violations
    ]
    assert not violations, f"axe-core violations on {page.url}:\n" + "\n".join(summary)
