"""narrate serve in a real browser: headless Chromium driven by selenium (Debian's chromium + chromium-driver).

Skipped, with the reason shown, when the browser or its driver is not installed (.ci/run installs them
when it runs as root with apt-get).  With NARRATE_WEB_SCREENSHOTS=1 each step's screenshot is written to
docs/img/web-*.png for docs/web.md; otherwise nothing in the tree changes.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

pytest.importorskip("starlette", reason="网页版依赖未安装（pip install -e '.[test]'）")
selenium = pytest.importorskip("selenium", reason="selenium 未安装（pip install -e '.[test]'）")

from web_helpers import REASON_PATH, broken_workbook, example_workbook, without_reason  # noqa: E402

CHROMEDRIVER = Path("/usr/bin/chromedriver")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DOCS_IMG = Path(__file__).resolve().parents[1] / "docs" / "img"
WAIT = 60  # seconds: a guard against a hang, not a timing assumption (every wait polls a condition)

pytestmark = pytest.mark.skipif(
    not (CHROMEDRIVER.exists() and CHROMIUM),
    reason="没有 Debian 的 chromium 和 chromium-driver（apt-get install -y chromium chromium-driver fonts-noto-cjk），跳过浏览器测试",
)


@pytest.fixture(scope="module")
def server():
    from narrate.web import create_app
    from narrate.web.server import start_in_thread
    from narrate.web.sessions import SessionStore

    store = SessionStore()
    running, thread, url = start_in_thread(create_app(store))
    yield url
    running.should_exit = True
    thread.join(timeout=WAIT)


@pytest.fixture
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                 "--window-size=1440,1000", "--lang=zh-CN", "--force-device-scale-factor=1"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    yield driver
    driver.quit()


def wait_for(driver, condition):
    """Poll until ``condition`` holds; an element replaced while being read (the page updates paragraphs in
    place) or not there yet is simply polled again — no assumption about when the page gets there."""
    from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, WAIT, poll_frequency=0.05,
                         ignored_exceptions=(NoSuchElementException, StaleElementReferenceException)).until(condition)


def snap(driver, name: str) -> None:
    if os.environ.get("NARRATE_WEB_SCREENSHOTS") == "1":
        DOCS_IMG.mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(DOCS_IMG / f"web-{name}.png"))


def choose_file(driver, selector: str, path: Path) -> None:
    from selenium.webdriver.common.by import By

    driver.find_element(By.CSS_SELECTOR, selector).send_keys(str(path))


def test_upload_review_explain(browser, server, tmp_path):
    from selenium.webdriver.common.by import By

    browser.get(server)
    wait_for(browser, lambda d: d.find_element(By.ID, "figures-file"))
    snap(browser, "1-start")
    choose_file(browser, "#figures-file", example_workbook(tmp_path))
    wait_for(browser, lambda d: d.current_url.endswith("/review"))
    summary = browser.find_element(By.ID, "summary").text
    assert "核对通过" in summary and "错误 0 处" in summary
    chapter = browser.find_element(By.ID, "chapter").text
    assert "第三部分" in chapter
    snap(browser, "2-review")
    number = next(b for b in browser.find_elements(By.CSS_SELECTOR, "button.num") if b.get_attribute("data-formula"))
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", number)
    number.click()
    panel = wait_for(browser, lambda d: d.find_element(By.ID, "explain") if d.find_element(By.ID, "explain").is_displayed()
                     else False)
    assert number.get_attribute("data-formula") in panel.text and "公开" in panel.text
    snap(browser, "3-explain")


def test_broken_cell_message(browser, server, tmp_path):
    from selenium.webdriver.common.by import By

    path, sheet, cell = broken_workbook(tmp_path)
    browser.get(server)
    choose_file(browser, "#figures-file", path)
    error = wait_for(browser, lambda d: d.find_element(By.ID, "upload-error")
                     if d.find_element(By.ID, "upload-error").is_displayed() else False)
    assert f"{sheet}!{cell}" in error.text and "broken.xlsx" in error.text
    snap(browser, "4-error")


def test_typed_reason_updates_paragraph_and_survives_reload(browser, server, tmp_path):
    from selenium.webdriver.common.by import By

    browser.get(server)
    choose_file(browser, "#figures-file", without_reason(tmp_path))
    wait_for(browser, lambda d: d.current_url.endswith("/review"))
    area = browser.find_element(By.CSS_SELECTOR, f'textarea[data-path="{REASON_PATH}"]')
    block = browser.find_element(By.CSS_SELECTOR, f'[data-item="{REASON_PATH}"] a.goto').get_attribute("data-block")
    reason = "2024年新增城乡居民意外伤害保险全覆盖项目"
    assert "需说明原因" in browser.find_element(By.ID, "findings").text
    snap(browser, "5-fill")
    area.send_keys(reason)
    wait_for(browser, lambda d: reason in d.find_element(By.ID, f"p-{block}").text)
    wait_for(browser, lambda d: "已填写" in d.find_element(By.CSS_SELECTOR, f'[data-item="{REASON_PATH}"] .state').text)
    browser.execute_script("document.getElementById(arguments[0]).scrollIntoView({block: 'center'})", f"p-{block}")
    snap(browser, "6-reason")
    browser.refresh()
    wait_for(browser, lambda d: reason in d.find_element(By.ID, f"p-{block}").text)
    assert browser.find_element(By.CSS_SELECTOR, f'textarea[data-path="{REASON_PATH}"]').get_attribute("value") == reason


def test_lint_page(browser, server, tmp_path, example_document):
    import docx
    import narrate
    from selenium.webdriver.common.by import By

    chapter = tmp_path / "本单位情况说明.docx"
    narrate.write(example_document, chapter)
    word = docx.Document(str(chapter))
    paragraph = next(p for p in word.paragraphs if "增长110.70%" in p.text)
    for run in paragraph.runs:  # a hand-made slip: a wrong growth rate
        run.text = run.text.replace("110.70%", "101.70%")
    word.save(str(chapter))
    browser.get(server)
    browser.find_element(By.ID, "open-example").click()
    wait_for(browser, lambda d: d.current_url.endswith("/review"))
    browser.get(server + "lint")
    assert browser.find_element(By.ID, "lint-figures").is_selected()
    choose_file(browser, "#lint-file", chapter)
    result = wait_for(browser, lambda d: d.find_element(By.ID, "lint-result"))
    assert "本单位情况说明.docx：发现错误" in result.text and "101.70%" in result.text
    assert browser.find_element(By.ID, "dl-lint-review").is_displayed()
    snap(browser, "7-lint")
