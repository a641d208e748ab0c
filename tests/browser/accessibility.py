"""axe-core (from axe-playwright-python) on every page a browser test shows, failing on a serious or critical
violation of WCAG 2.1 A/AA.

`AxeWatch(context)` adds axe to every page of a Playwright context before the page's own scripts, and has
each page run it once loaded and hand the serious and critical violations back to Python; `finish()` waits
for the runs of the pages still open, shows again (by GET, in the same session) each page left before its
run ended, and returns what was found.
"""

import json

from axe_playwright_python.base import AXE_SCRIPT

# What axe checks: the WCAG 2.1 A and AA rules (Section 508 points to them).
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
FAILING_IMPACTS = ("serious", "critical")

RUN_ON_LOAD = """
(() => {
  if (window.top !== window) return;
  const failing = %(impacts)s;
  window.__kindredAxe = new Promise((resolve) => {
    window.addEventListener("load", () => {
      window.kindredAxeStarted(location.pathname + location.search);
      axe.run(document, %(options)s).then((results) => {
        const found = results.violations.filter((v) => failing.includes(v.impact)).map((v) => ({
          id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ")),
        }));
        return window.kindredAxeReport(location.pathname + location.search, found);
      }).then(resolve, resolve);
    });
  });
})();
"""


class AxeWatch:
    def __init__(self, context) -> None:
        self.context = context
        self.violations: list[tuple[str, dict]] = []
        self.checked: list[str] = []
        self.started: list[str] = []
        context.expose_function("kindredAxeStarted", self._start)
        context.expose_function("kindredAxeReport", self._report)
        context.add_init_script(AXE_SCRIPT)
        context.add_init_script(
            RUN_ON_LOAD % {"impacts": json.dumps(FAILING_IMPACTS), "options": json.dumps(AXE_OPTIONS)}
        )

    def _start(self, path: str) -> None:
        self.started.append(path)

    def _report(self, path: str, found: list) -> None:
        self.checked.append(path)
        self.violations.extend((path, violation) for violation in found)

    def finish(self) -> list[str]:
        """Wait for the pages still open to finish their run; the violations found, one line each."""
        for page in self.context.pages:
            if not page.is_closed():
                page.wait_for_load_state("load")
                page.evaluate("() => window.__kindredAxe")
        # A page left while axe ran on it (the test moved on at once) is shown again, in the same session.
        missed = [path for path in dict.fromkeys(self.started) if path not in self.checked]
        if missed:
            again = self.context.new_page()
            for path in missed:
                again.goto(path)
                again.evaluate("() => window.__kindredAxe")
            again.close()
        return [
            f"{path}: {violation['impact']} {violation['id']} ({violation['help']}) at {', '.join(violation['nodes'])}"
            for path, violation in self.violations
        ]
