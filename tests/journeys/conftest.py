"""Browser journeys: screenshots of every page visited and an axe-core check of each."""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings

OUTPUT = Path(settings.BASE_DIR) / "test-output" / "journeys"
AXE_SOURCE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING_IMPACTS = {"serious", "critical"}


class Journey:
    """Wraps a Playwright page: `visit`/`check` screenshot the page and run axe-core on it."""

    def __init__(self, page, live_server, name):
        self.page = page
        self.base_url = live_server.url
        self.folder = OUTPUT / name
        self.folder.mkdir(parents=True, exist_ok=True)
        self.steps = 0
        self.violations = []
        self.console_errors = []
        page.on(
            "console", lambda message: message.type == "error" and self.console_errors.append(message.text)
        )

    def visit(self, path):
        self.page.goto(self.base_url + path)
        return self.check(path)

    def check(self, label=None):
        """Screenshot the page as it is now and record axe-core's serious and critical findings."""
        # "load": the page and its scripts have run (every page's own assets are local, so
        # waiting for the network to stay idle for half a second adds time, not certainty).
        self.page.wait_for_load_state("load")
        self.steps += 1
        label = label or self.page.url.removeprefix(self.base_url)
        slug = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")[:60] or "home"
        self.page.screenshot(path=self.folder / f"{self.steps:02d}-{slug}.png", full_page=True)
        # Evaluated through the DevTools protocol, so the page's strict CSP does not block it.
        self.page.evaluate(AXE_SOURCE.read_text() + "\n;void 0")
        results = self.page.evaluate(
            "async () => await axe.run(document, {runOnly: {type: 'tag', values: "
            "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})"
        )
        found = [v for v in results["violations"] if v["impact"] in BLOCKING_IMPACTS]
        for violation in found:
            self.violations.append(
                {
                    "page": label,
                    "rule": violation["id"],
                    "impact": violation["impact"],
                    "help": violation["help"],
                    "targets": [node["target"] for node in violation["nodes"][:5]],
                }
            )
        return self.page

    def sign_in(self, username, password):
        self.visit("/sign-in/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", password)
        self.page.click("button:has-text('Sign in')")
        return self.check()

    def assert_accessible(self):
        (self.folder / "axe-violations.json").write_text(json.dumps(self.violations, indent=2))
        assert not self.violations, json.dumps(self.violations, indent=2)


@pytest.fixture
def journey(page, live_server, request):
    if not AXE_SOURCE.exists():
        pytest.fail("axe-core is missing: run `npm ci` (make test does)")
    return Journey(page, live_server, request.node.name.split("[")[0])
