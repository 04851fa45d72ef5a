"""The Content-Security-Policy in real headless Chromium: every page draws its charts and tables and the browser
reports no violation (a policy too strict for Dash shows as a blank page and errors in the console)."""

from __future__ import annotations

from playwright.sync_api import expect

from dashboard.i18n import t
from tests.browser.test_pages_in_chromium import (  # noqa: F401  (fixtures)
    AS_OF,
    anonymous,
    browser,
    page,
    reporting,
    server,
)

RECORD = """window.__violations = [];
document.addEventListener('securitypolicyviolation',
  e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));"""


def test_pages_draw_under_the_policy_without_a_violation(server, page):  # noqa: F811
    page.add_init_script(RECORD)
    console = []
    page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
    for path, charts in ((f"/?date={AS_OF}", 4), ("/coverage?area=79", 1), ("/lag", 1), ("/verification", 1),
                         ("/quality", 1), ("/testing", 7), ("/report", 0)):
        response = page.goto(server + path)
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
        expect(page.locator("#user-name")).to_be_visible(timeout=20_000)  # the app runs: a callback answered
        if charts:
            expect(page.locator(".js-plotly-plot .main-svg").first).to_be_visible(timeout=20_000)
            assert page.locator(".js-plotly-plot").count() >= charts, path
        if path.startswith("/coverage"):
            page.get_by_text(t("tab_table", "vi"), exact=True).first.click()
            expect(page.locator(".ag-row").first).to_be_visible(timeout=20_000)  # a grid drew its rows
        page.wait_for_timeout(500)  # late violations (async bundles, fonts)
        assert page.evaluate("window.__violations") == [], path
    assert not [c for c in console if "Content Security Policy" in c or "Refused to" in c], console
