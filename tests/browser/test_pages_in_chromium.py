"""A person's view of the dashboard in real headless Chromium (Debian's), served by gunicorn."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from playwright.sync_api import expect, sync_playwright

from common.settings import PROJECT_ROOT
from dashboard.i18n import fmt_int
from tests.conftest import rows, scalar
from tests.signin import ACCOUNTS, add_accounts

CHROMIUM = "/usr/bin/chromium"
AS_OF = "2021-10-16"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def reporting(loaded_database):
    engine = loaded_database(0.002, 29, "2021-10-20")
    add_accounts(engine)
    return engine


def serve(database_url: str, data_dir) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "DATA_DIR": str(data_dir), "PYTHONPATH": str(PROJECT_ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "--workers", "2", "--bind", f"127.0.0.1:{port}",
                             "dashboard.wsgi:server"], cwd=PROJECT_ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/healthz", timeout=1)
            return proc, base
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("gunicorn did not start")


@pytest.fixture(scope="module")
def server(reporting, tmp_path_factory):
    proc, base = serve(reporting.url.render_as_string(hide_password=False), tmp_path_factory.mktemp("data"))
    yield base
    proc.terminate()
    proc.wait(10)


@pytest.fixture(scope="module")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: .ci/run installs Debian's chromium")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                              args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                                    "--disable-background-networking"])
        yield b
        b.close()


def sign_in(pg, base: str, username: str, password: str | None = None) -> None:
    """Through the sign-in form, as a person does."""
    pg.goto(f"{base}/login")
    pg.fill("#username", username)
    pg.fill("#password", ACCOUNTS[username][2] if password is None else password)
    pg.click("#sign-in")


@pytest.fixture()
def anonymous(browser):
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="vi-VN")
    pg = context.new_page()
    yield pg
    context.close()


@pytest.fixture()
def page(anonymous, server):
    """A national leader's browser, signed in."""
    sign_in(anonymous, server, "bo_yte")
    anonymous.wait_for_url(f"{server}/", timeout=20_000)
    return anonymous


def test_overview_shows_the_database_figures_then_drills_switches_language_and_reloads(server, page, reporting):
    page.goto(f"{server}/?date={AS_OF}")
    total = scalar(reporting, "SELECT count(*) FROM staging.dose WHERE status = 'valid' AND quarantine_rule IS NULL"
                              " AND injected_day <= :d", d=AS_OF)
    expect(page.locator("#card-doses-total")).to_have_text(fmt_int(total, "vi"), timeout=20_000)
    expect(page.locator("#freshness")).to_contain_text("Số liệu đến")
    # every graph drawn
    expect(page.locator(".js-plotly-plot .main-svg").first).to_be_visible(timeout=20_000)
    assert page.locator(".js-plotly-plot").count() == 4

    # click Hồ Chí Minh's tile on the map: its districts appear on the coverage page
    hcm = page.locator("#overview-map .scatterlayer .point").nth(_tile_index("79"))
    click_point(page, hcm)
    page.wait_for_url("**/coverage?area=79**", timeout=20_000)
    expect(page.locator("#breadcrumb")).to_contain_text("Hồ Chí Minh", timeout=20_000)
    districts = dict(rows(reporting, "SELECT code, name_with_type FROM ref.district WHERE province_code = '79'"))
    expect(page.locator("#coverage-areas .xtick").first).to_be_visible(timeout=20_000)
    drawn = page.evaluate("document.querySelector('#coverage-areas .js-plotly-plot').data[0].customdata")
    assert set(drawn) == set(districts)
    ticks = [t.text_content() for t in page.locator("#coverage-areas .xtick text").all()]
    assert ticks and set(ticks) <= set(districts.values())

    # switch to English: the same view in English
    page.click("#lang-switch")
    page.wait_for_url("**lang=en**", timeout=20_000)
    expect(page.locator("#coverage-title")).to_contain_text("Hồ Chí Minh")
    expect(page.locator("nav.breadcrumb")).to_contain_text("Vietnam")
    expect(page.locator(".topbar")).to_contain_text("Coverage")

    # a copied link opens the same view
    copied = page.url
    title = page.locator("#coverage-title").inner_text()
    other = page.context.new_page()
    other.goto(copied)
    expect(other.locator("#coverage-title")).to_have_text(title, timeout=20_000)
    expect(other.locator(".topbar")).to_contain_text("Coverage")
    other.close()


def test_a_database_down_shows_a_message_not_a_traceback(anonymous, tmp_path):
    page = anonymous
    proc, base = serve("postgresql://nobody@127.0.0.1:1/none", tmp_path)
    try:
        page.goto(base + "/")
        page.wait_for_url("**/login?next=**", timeout=20_000)
        page.fill("#username", "bo_yte")
        page.fill("#password", ACCOUNTS["bo_yte"][2])
        page.click("#sign-in")
        expect(page.locator(".message.error")).to_contain_text("Không kết nối được cơ sở dữ liệu", timeout=20_000)
        assert "Traceback" not in page.content()
    finally:
        proc.terminate()
        proc.wait(10)


def click_point(page, point) -> None:
    """A real mouse click in the middle of a drawn point (Plotly listens to the mouse, not to DOM clicks)."""
    point.scroll_into_view_if_needed()
    box = point.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


def _tile_index(code: str) -> int:
    from dashboard.components.tile_positions import TILES

    return list(TILES).index(code)


def test_the_table_behind_a_chart_downloads_as_csv(server, page, reporting):
    page.goto(f"{server}/?date={AS_OF}")
    panel = page.locator("#panel-daily-doses")
    panel.get_by_text("Bảng số liệu").click()
    with page.expect_download(timeout=20_000) as download:
        panel.get_by_text("Tải CSV").click()
    text = open(download.value.path(), encoding="utf-8-sig").read()  # with a BOM, for Excel
    lines = [line for line in text.splitlines() if line.strip()]
    assert lines[0].replace('"', "").startswith("Ngày,Số mũi")
    total = sum(int(line.split(",")[1].strip('"')) for line in lines[1:])
    expected = scalar(reporting, "SELECT count(*) FROM staging.dose WHERE status = 'valid' AND quarantine_rule "
                                 "IS NULL AND injected_day <= :d", d=AS_OF)
    assert total == expected


@pytest.mark.parametrize("path, card, prefix", [("/lag?area=79", "#lag-card-share", "lag"),
                                                ("/verification?area=79&date=2021-10-20", "#verify-card-checked",
                                                 "verify")])
def test_lag_and_verification_pages_drill_from_a_province_to_a_district(server, page, reporting, path, card,
                                                                        prefix):
    page.goto(server + path)
    expect(page.locator(card)).to_be_visible(timeout=20_000)
    expect(page.locator(f"#{prefix}-rank .main-svg").first).to_be_visible(timeout=20_000)
    click_point(page, page.locator(f"#{prefix}-rank .point").first)
    page.wait_for_url(re.compile(r".*\?area=\d{3}\b.*"), timeout=20_000)
    assert page.url.startswith(server + path.split("?")[0] + "?")
    code = re.search(r"area=(\d{3})", page.url).group(1)
    name = scalar(reporting, "SELECT name_with_type FROM ref.district WHERE code = :c AND province_code = '79'",
                  c=code)
    assert name is not None
    expect(page.locator(f"#{prefix}-breadcrumb")).to_contain_text(name, timeout=20_000)


def test_quality_scorecard_is_coloured_sorted_and_drills_to_a_district(server, page, reporting):
    page.goto(f"{server}/quality?date=2021-10-17")
    expect(page.locator("#dq-card-score")).to_be_visible(timeout=20_000)
    grid = page.locator("#panel-dq-scorecard")
    expect(grid.locator(".ag-row").first).to_be_visible(timeout=40_000)  # the grid loads its script lazily
    # Vietnamese number formats and a colour on every check cell of the first row
    first = grid.locator(".ag-center-cols-container .ag-row").first
    timeliness = first.locator("[col-id='timeliness']")
    assert re.fullmatch(r"\d{1,3},\d%", timeliness.inner_text()), timeliness.inner_text()
    assert re.search(r"dq-(good|warn|bad)", timeliness.get_attribute("class"))
    # rows come ranked; a click on a province's row opens its districts, then a district's its days
    assert grid.locator(".ag-pinned-left-cols-container .ag-row").first.locator("[col-id='area']").inner_text()
    grid.locator(".ag-pinned-left-cols-container .ag-row").first.locator("[col-id='name']").click()
    page.wait_for_url(re.compile(r".*/quality\?area=\d{2}\b.*"), timeout=20_000)
    province = re.search(r"area=(\d{2})", page.url).group(1)
    name = scalar(reporting, "SELECT name FROM ref.province WHERE code = :c", c=province)
    expect(page.locator("#dq-breadcrumb")).to_contain_text(name, timeout=20_000)
    grid = page.locator("#panel-dq-scorecard")
    expect(grid.locator(".ag-row").first).to_be_visible(timeout=40_000)  # the grid loads its script lazily
    grid.locator(".ag-pinned-left-cols-container .ag-row").first.locator("[col-id='name']").click()
    page.wait_for_url(re.compile(r".*/quality\?area=\d{3}\b.*"), timeout=20_000)
    code = re.search(r"area=(\d{3})", page.url).group(1)
    district = scalar(reporting, "SELECT name_with_type FROM ref.district WHERE code = :c AND province_code = :p",
                      c=code, p=province)
    expect(page.locator("#dq-breadcrumb")).to_contain_text(district, timeout=20_000)
    # the district's seven days, dated the Vietnamese way
    days = page.locator("#panel-dq-scorecard .ag-pinned-left-cols-container [col-id='day']")
    expect(days.first).to_have_text(re.compile(r"\d{2}/\d{2}/2021"), timeout=20_000)
    assert days.count() == 7


def test_a_province_user_signs_in_and_sees_only_their_province(server, anonymous, reporting):
    page = anonymous
    page.goto(f"{server}/coverage?lang=en")
    page.wait_for_url("**/login?next=**", timeout=20_000)
    expect(page.locator("h2")).to_have_text("Sign in")  # the language of the page asked for
    page.click("#lang-switch")
    expect(page.locator("h2")).to_have_text("Đăng nhập", timeout=20_000)
    page.fill("#username", "hcm")
    page.fill("#password", "wrong password")
    page.click("#sign-in")
    expect(page.locator("#sign-in-error")).to_contain_text("Tên đăng nhập hoặc mật khẩu không đúng", timeout=20_000)
    page.fill("#username", "hcm")
    page.fill("#password", ACCOUNTS["hcm"][2])
    page.click("#sign-in")
    page.wait_for_url("**/coverage?lang=en", timeout=20_000)
    expect(page.locator("#coverage-title")).to_contain_text("Hồ Chí Minh", timeout=20_000)
    expect(page.locator("#user-name")).to_contain_text("hcm", timeout=20_000)
    expect(page.locator("#coverage-areas .xtick").first).to_be_visible(timeout=20_000)
    drawn = page.evaluate("document.querySelector('#coverage-areas .js-plotly-plot').data[0].customdata")
    districts = {r[0] for r in rows(reporting, "SELECT code FROM ref.district WHERE province_code = '79'")}
    assert set(drawn) == districts
    assert "Admin" not in page.locator(".topbar nav").inner_text()

    # another province through the URL: refused, nothing of it shown
    page.goto(f"{server}/coverage?area=01")
    expect(page.locator(".message.error")).to_contain_text("không thuộc phạm vi", timeout=20_000)
    assert "Hà Nội" not in page.content()
    # the overview is their province's
    page.goto(f"{server}/")
    expect(page.locator("h2").first).to_contain_text("Hồ Chí Minh", timeout=20_000)
    expect(page.locator("#overview-map .scatterlayer .point")).to_have_count(1, timeout=20_000)  # one tile

    # sign out: back to the sign-in page, and the pages are closed again
    page.click("#sign-out")
    page.wait_for_url("**/login?signed_out=1**", timeout=20_000)
    page.goto(f"{server}/coverage")
    page.wait_for_url("**/login?next=**", timeout=20_000)


def test_a_province_user_exports_the_report_pack(server, anonymous, reporting):
    from io import BytesIO

    from pypdf import PdfReader

    page = anonymous
    sign_in(page, server, "hcm")
    page.wait_for_url(f"{server}/", timeout=20_000)
    page.click("text=Báo cáo")
    page.wait_for_url("**/report", timeout=20_000)
    # the province is fixed to the user's own
    expect(page.locator("#rep-area")).to_contain_text("Hồ Chí Minh", timeout=20_000)
    page.locator("#rep-format input[value='pdf']").check()
    page.click("#rep-start")
    link = page.locator("#rep-download")
    expect(link).to_be_visible(timeout=60_000)  # the progress bar, then the file
    with page.expect_download(timeout=20_000) as download:
        link.click()
    assert download.value.suggested_filename.startswith("bao-cao-tiem-chung_79_")
    data = open(download.value.path(), "rb").read()
    text = " ".join(p.extract_text() for p in PdfReader(BytesIO(data)).pages)
    assert "Hồ Chí Minh" in text
    assert scalar(reporting, "SELECT count(*) FROM auth.audit WHERE username = 'hcm' AND action = 'export' AND "
                             "detail->>'format' = 'pdf'") >= 1
