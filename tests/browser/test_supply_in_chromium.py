"""The supply page in real headless Chromium: a national leader drills nation -> province -> district -> site by
clicking, and at every level the on-hand card shows what the platform's own rows say."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from dashboard.i18n import fmt_int
from tests.browser.test_pages_in_chromium import (  # noqa: F401 (fixtures)
    anonymous,
    browser,
    click_point,
    page,
    reporting,
    server,
)
from tests.conftest import scalar
from tests.integration.test_supply_page import AS_OF, platform_figures


def on_hand_shows(page, reporting, level: str, code: str | None) -> None:  # noqa: F811
    expected = fmt_int(platform_figures(reporting, level, code)["on_hand"], "vi")
    expect(page.locator("#supply-card-on-hand")).to_have_text(expected, timeout=30_000)


def test_supply_drills_from_the_nation_to_a_site(server, page, reporting):  # noqa: F811
    page.goto(f"{server}/supply?date={AS_OF.isoformat()}")
    on_hand_shows(page, reporting, "nation", None)
    expect(page.locator("#supply-areas .point:visible").first).to_be_visible(timeout=30_000)
    assert page.locator("#supply-stock-graph .main-svg").count() >= 1

    click_point(page, page.locator("#supply-areas .point:visible").first)
    page.wait_for_url(re.compile(r".*area=\d{2}\b.*"), timeout=30_000)
    province = re.search(r"area=(\d{2})\b", page.url).group(1)
    name = scalar(reporting, "SELECT name FROM ref.province WHERE code = :c", c=province)
    expect(page.locator("#supply-breadcrumb")).to_contain_text(name, timeout=30_000)
    on_hand_shows(page, reporting, "province", province)

    expect(page.locator("#supply-areas .point:visible").first).to_be_visible(timeout=30_000)
    click_point(page, page.locator("#supply-areas .point:visible").first)
    page.wait_for_url(re.compile(r".*area=\d{3}\b.*"), timeout=30_000)
    district = re.search(r"area=(\d{3})\b", page.url).group(1)
    on_hand_shows(page, reporting, "district", district)

    # a district's bars are its sites: the site's own stock, and the breadcrumb leads back to its district
    expect(page.locator("#supply-areas .point:visible").first).to_be_visible(timeout=30_000)
    click_point(page, page.locator("#supply-areas .point:visible").first)
    page.wait_for_url(re.compile(r".*site=\d+.*"), timeout=30_000)
    site = re.search(r"site=(\d+)", page.url).group(1)
    site_name = scalar(reporting, "SELECT name FROM ref.facility WHERE id = CAST(:s AS integer)", s=site)
    expect(page.locator("#supply-title")).to_contain_text(site_name, timeout=30_000)
    on_hand_shows(page, reporting, "site", site)
    expect(page.locator("#supply-breadcrumb a")).to_have_count(3)
    expect(page.locator("#supply-site")).to_contain_text(site_name)
