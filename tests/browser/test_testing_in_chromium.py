"""The testing page in real headless Chromium: a national leader drills nation -> province by clicking a bar, opens
a laboratory by clicking its bar and another by clicking its row in a table, switches the language and clears the
laboratory; at every step the samples card shows what the platform's own rows say."""

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
from tests.integration.test_testing_page import AS_OF, truth


def wide_bar(page, graph: str):  # noqa: F811
    """A drawn bar wide enough to click (a share of nothing draws none)."""
    expect(page.locator(f"{graph} .point:visible").first).to_be_visible(timeout=30_000)
    return next(b for b in page.locator(f"{graph} .point:visible").all() if b.bounding_box()["width"] > 4)


def samples_show(page, reporting, level: str, places: dict, lang: str = "vi") -> None:  # noqa: F811
    expected = fmt_int(truth(reporting, level, places)["samples"], lang)
    expect(page.locator("#testing-card-samples")).to_have_text(expected, timeout=30_000)


def test_testing_drills_to_a_province_and_opens_its_laboratories(server, page, reporting):  # noqa: F811
    page.goto(f"{server}/testing?date={AS_OF.isoformat()}")
    samples_show(page, reporting, "nation", {"nation": None, "lab": None})
    expect(page.locator("#testing-daily-graph .main-svg").first).to_be_visible(timeout=30_000)

    # the province with the highest positivity: its bar opens it
    click_point(page, wide_bar(page, "#testing-areas"))
    page.wait_for_url(re.compile(r".*/testing\?area=\d{2}\b.*"), timeout=30_000)
    province = re.search(r"area=(\d{2})\b", page.url).group(1)
    name = scalar(reporting, "SELECT name FROM ref.province WHERE code = :c", c=province)
    expect(page.locator("#testing-breadcrumb")).to_contain_text(name, timeout=30_000)
    samples_show(page, reporting, "province", {"province": province, "lab": None})

    # a laboratory's bar opens its view: its samples from the province (a bar wide enough to click: the slowest
    # laboratory's share within 24 hours may be nothing)
    click_point(page, wide_bar(page, "#testing-labs"))
    page.wait_for_url(re.compile(r".*lab=\d+.*"), timeout=30_000)
    lab = int(re.search(r"lab=(\d+)", page.url).group(1))
    lab_name = scalar(reporting, "SELECT name FROM ref.facility WHERE id = :i", i=lab)
    expect(page.locator("#testing-title")).to_contain_text(lab_name, timeout=30_000)
    samples_show(page, reporting, "lab", {"province": province, "lab": lab})
    expect(page.locator("#testing-histogram-graph .main-svg").first).to_be_visible(timeout=30_000)
    assert f"area={province}" in page.url

    # English keeps the view; clearing the laboratory goes back to the province
    page.click("#lang-switch")
    page.wait_for_url(re.compile(r".*lang=en.*"), timeout=30_000)
    expect(page.locator("#testing-title")).to_contain_text("Testing", timeout=30_000)
    samples_show(page, reporting, "lab", {"province": province, "lab": lab}, "en")
    page.locator("#testing-lab .dash-dropdown-clear").click()
    page.wait_for_url(re.compile(rf".*/testing\?area={province}&date=[\d-]+&lang=en$"), timeout=30_000)
    samples_show(page, reporting, "province", {"province": province, "lab": None}, "en")


def test_a_row_of_the_backlog_table_opens_its_laboratory(server, page, reporting):  # noqa: F811
    page.goto(f"{server}/testing?date={AS_OF.isoformat()}&area=79")
    samples_show(page, reporting, "province", {"province": "79", "lab": None})
    panel = page.locator("#panel-testing-backlog")
    panel.get_by_text("Bảng số liệu").click()
    row = panel.locator(".ag-center-cols-container .ag-row").first
    expect(row).to_be_visible(timeout=30_000)
    lab = int(row.get_attribute("row-id"))
    row.locator(".ag-cell").nth(1).click()
    page.wait_for_url(re.compile(rf".*lab={lab}\b.*"), timeout=30_000)
    samples_show(page, reporting, "lab", {"province": "79", "lab": lab})
