"""Browser journeys: screenshots of every page visited, an axe-core check of each (every rule
axe runs by default, of any impact) and a check that the page does not scroll sideways."""

import json
import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings

OUTPUT = Path(settings.BASE_DIR) / "test-output" / "journeys"
AXE_SOURCE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"


def govuk_conditional_reveal(violation, node):
    """GOV.UK Frontend's radios and checkboxes that reveal a question carry aria-expanded, which
    ARIA does not allow on a radio or a checkbox: axe reports it (aria-allowed-attr, critical).
    GOV.UK keeps it on purpose: screen readers announce it and research found it helps, and it
    lists axe's finding as a known issue (alphagov/govuk-frontend#979, #1280). The only finding
    a journey lets pass, and only for exactly that: aria-expanded on such an input."""
    return (
        violation["id"] == "aria-allowed-attr"
        and re.search(r'class="govuk-(radios|checkboxes)__input"', node["html"])
        and "aria-controls=" in node["html"]
        and all("aria-expanded" in check["message"] for check in node["any"] + node["all"] + node["none"])
    )


class Journey:
    """Wraps a Playwright page: `visit`/`check` screenshot the page and run axe-core on it."""

    def __init__(self, page, live_server, name):
        self.page = page
        self.base_url = live_server.url
        self.folder = OUTPUT / name
        shutil.rmtree(self.folder, ignore_errors=True)  # this run's screenshots only, for review
        self.folder.mkdir(parents=True)
        self.steps = 0
        self.violations = []
        self.known_govuk_findings = []
        self.sideways = []
        self.console_errors = []
        page.on(
            "console", lambda message: message.type == "error" and self.console_errors.append(message.text)
        )

    def visit(self, path):
        self.page.goto(self.base_url + path)
        return self.check(path)

    def check(self, label=None):
        """Screenshot the page as it is now, record axe-core's findings and whether the page is
        wider than the window (WCAG 2.2 reflow: at 320 px nothing may need scrolling sideways)."""
        # "load": the page and its scripts have run (every page's own assets are local, so
        # waiting for the network to stay idle for half a second adds time, not certainty).
        self.page.wait_for_load_state("load")
        self.steps += 1
        label = label or self.page.url.removeprefix(self.base_url)
        slug = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")[:60] or "home"
        self.page.screenshot(path=self.folder / f"{self.steps:02d}-{slug}.png", full_page=True)
        # Evaluated through the DevTools protocol, so the page's strict CSP does not block it.
        self.page.evaluate(AXE_SOURCE.read_text() + "\n;void 0")
        # Every rule of WCAG 2.0 to 2.2, A and AA, and axe's best practices (landmarks, headings).
        results = self.page.evaluate(
            "async () => await axe.run(document, {runOnly: {type: 'tag', values: "
            "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}})"
        )
        for violation in results["violations"]:
            nodes = []
            for node in violation["nodes"]:
                if govuk_conditional_reveal(violation, node):
                    self.known_govuk_findings.append({"page": label, "target": node["target"]})
                else:
                    nodes.append(node)
            if nodes:
                self.violations.append(
                    {
                        "page": label,
                        "rule": violation["id"],
                        "impact": violation["impact"],
                        "help": violation["help"],
                        "targets": [node["target"] for node in nodes[:5]],
                        "why": nodes[0]["failureSummary"],
                    }
                )
        width, window = self.page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        if width > window:
            self.sideways.append({"page": label, "page width": width, "window": window})
        return self.page

    def sign_in(self, username, password):
        self.visit("/sign-in/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", password)
        self.page.click("button:has-text('Sign in')")
        return self.check()

    def assert_accessible(self):
        """No axe finding on any page visited, and no page wider than the window."""
        (self.folder / "axe-violations.json").write_text(json.dumps(self.violations, indent=2))
        assert not self.violations, json.dumps(self.violations, indent=2)
        assert not self.sideways, json.dumps(self.sideways, indent=2)


@pytest.fixture
def journey(page, live_server, request):
    if not AXE_SOURCE.exists():
        pytest.fail("axe-core is missing: run `npm ci` (make test does)")
    # One folder per test and parameter set: test_x[375-chromium] -> test_x-375-chromium.
    return Journey(page, live_server, re.sub(r"[^\w-]+", "-", request.node.name).strip("-"))
