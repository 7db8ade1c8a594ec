"""The watch that the `page` fixture keeps sees each thing that fails a page, and a request off
loopback never leaves the machine (Chromium hands it to a proxy that is not there)."""

from api_testing import LiveServer
from browsing import PageWatch, open_page
from playwright.sync_api import Browser

OFF_LOOPBACK = "http://example.invalid/"  # a reserved name: nothing could answer it anyway
MISBEHAVIOUR = f"""() => {{
  console.error("logged on purpose");
  setTimeout(() => {{ throw new Error("thrown on purpose"); }});
  fetch("{OFF_LOOPBACK}").catch(() => {{}});
  fetch("/no-such-file").catch(() => {{}});
}}"""


def test_the_watch_sees_what_fails_a_page(browser: Browser, live_server: LiveServer) -> None:
    context = browser.new_context(base_url=live_server.url)
    watch = PageWatch(live_server.url)
    page = context.new_page()
    watch.attach(page)
    open_page(page, watch, "/downloads")
    page.evaluate(MISBEHAVIOUR)
    watch.settle(page)
    problems = watch.problems()
    context.close()
    assert any(p.startswith("console error: logged on purpose") for p in problems), problems
    assert any(p.startswith("page error: Error: thrown on purpose") for p in problems), problems
    assert f"request off loopback: {OFF_LOOPBACK}" in problems, problems
    assert f"HTTP 404 from {live_server.url}/no-such-file" in problems, problems
    assert any("ERR_PROXY_CONNECTION_FAILED" in p for p in problems), problems  # stopped on loopback
