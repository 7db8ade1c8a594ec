"""Fixtures for the browser tests: the real build served by uvicorn, one Chromium for the session, and
a `page` whose console errors, page errors, unasked-for error answers and requests off loopback fail
the test that opened it."""

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from browsing import CHROMIUM, CHROMIUM_ARGS, PageWatch, missing_tools, screenshot_path
from playwright.sync_api import Browser, Page, sync_playwright

# The API tests' helpers serve the build; they live beside those tests, outside any package.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "api"))
import api_testing
from api_testing import LiveServer

# their session fixtures, shared: the build (failing when there is none) and uvicorn serving it
build_dir, settings, live_server = api_testing.build_dir, api_testing.settings, api_testing.live_server

VIEWPORT = {"width": 1280, "height": 900}
SCREENSHOT_MAX_HEIGHT = 12_000  # CSS pixels


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if missing := missing_tools():
        pytest.fail(f"the browser tests need {', '.join(missing)}", pytrace=False)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page_watch(live_server: LiveServer) -> PageWatch:
    return PageWatch(live_server.url)


@pytest.fixture
def page(browser: Browser, live_server: LiveServer, page_watch: PageWatch) -> Iterator[Page]:
    """A fresh browser context (no cache, no storage) on the live server; paths are relative to it."""
    context = browser.new_context(base_url=live_server.url, viewport=VIEWPORT)
    opened = context.new_page()
    page_watch.attach(opened)
    yield opened
    context.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    """After a test that used `page`: a screenshot of where it ended, then the page's problems fail
    the test itself (in its call, not as an error of the fixture's teardown)."""
    page, watch = item.funcargs.get("page"), item.funcargs.get("page_watch")
    if page is None:
        return (yield)
    try:
        result = yield
    finally:
        # the whole page, unless it is a whole source text (a 13 MB picture): then what is in view
        tall = page.evaluate("document.documentElement.scrollHeight") > SCREENSHOT_MAX_HEIGHT
        page.screenshot(path=screenshot_path(item.name), full_page=not tall)
    watch.settle(page)  # what the page still fetches counts too
    problems = watch.problems()
    assert not problems, f"{page.url}: " + "; ".join(problems)
    return result
