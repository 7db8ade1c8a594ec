"""Helpers for the browser tests: Debian's Chromium under Playwright, what a page must not do, axe."""

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from playwright.sync_api import ConsoleMessage, Locator, Page, Request

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parents[1]
# Debian's package (`make browser`): Playwright drives it instead of a browser build of its own.
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",  # tests run as root here, where Chromium's sandbox cannot start
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # Chromium's own calls home (updates, sync, field trials) would be requests off loopback
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # Anything not on loopback goes to a proxy that is not there, so that no request leaves the
    # machine (loopback bypasses proxies). Playwright's request interception would do it too, but
    # it changes what Chromium fetches: with it, no page asks for /favicon.ico.
    "--proxy-server=http://127.0.0.1:9",
]
AXE_JS = HERE / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = Path(os.environ.get("MIGKG_SCREENSHOTS", REPO_ROOT / "build" / "screenshots"))
LOOPBACK = "127.0.0.1"
DEFAULT_ICON = "/favicon.ico"
IN_PAGE_SCHEMES = ("data", "blob", "about")  # URLs a page resolves itself, with no network
FAILING_IMPACTS = ("serious", "critical")
# How Chromium logs an HTTP error answer, page or fetch; such a console error is judged as the answer
# it reports, so that a test can say which error answers it asked for.
ERROR_ANSWER = re.compile(r"Failed to load resource: the server responded with a status of (\d+)")


def screenshot_path(test_name: str) -> Path:
    """Where a test's screenshot goes: its name, parameters included, as a file name."""
    return SCREENSHOTS / (re.sub(r"[^\w.-]+", "_", test_name).strip("_") + ".png")


def missing_tools() -> list[str]:
    """What `make browser` installs, where it is absent."""
    return [f"{path} (run `make browser`)" for path in (CHROMIUM, AXE_JS) if not path.is_file()]


@dataclass
class PageWatch:
    """Records what a page did that fails a test: console errors, uncaught exceptions, error answers
    the test did not ask for, and requests to any host but 127.0.0.1 (which CHROMIUM_ARGS stop)."""

    base_url: str
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    error_responses: list[tuple[str, int]] = field(default_factory=list)
    off_loopback: list[str] = field(default_factory=list)
    expected_statuses: set[tuple[str, int]] = field(default_factory=set)
    in_flight: set[Request] = field(default_factory=set)

    def attach(self, page: Page) -> None:
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.page_errors.append(f"{error.name}: {error.message}"))
        page.on("request", self._on_request)
        page.on("requestfinished", self._on_request_done)
        page.on("requestfailed", self._on_request_done)

    def settle(self, page: Page, quiet_ms: int = 200, timeout_ms: int = 15_000) -> None:
        """Wait until the page has had no request in flight for `quiet_ms` (its scripts' fetches done).
        Playwright's own "networkidle" is not used: here it sometimes never came."""
        quiet = waited = 0
        while quiet < quiet_ms:
            assert waited < timeout_ms, f"still fetching after {timeout_ms} ms: {[r.url for r in self.in_flight]}"
            page.wait_for_timeout(50)
            waited += 50
            quiet = 0 if self.in_flight else quiet + 50

    def expect_status(self, path: str, status: int) -> None:
        """An error answer the test provokes on purpose (a 404 page, a malformed query)."""
        self.expected_statuses.add((urljoin(self.base_url, path), status))

    def problems(self) -> list[str]:
        unexpected = [
            (url, status)
            for url, status in self.error_responses
            if (url, status) not in self.expected_statuses and urlsplit(url).path != DEFAULT_ICON
        ]
        return (
            [f"console error: {text}" for text in self.console_errors]
            + [f"page error: {text}" for text in self.page_errors]
            + [f"HTTP {status} from {url}" for url, status in unexpected]
            + [f"request off loopback: {url}" for url in self.off_loopback]
        )

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        url = message.location.get("url", "")
        if answer := ERROR_ANSWER.match(message.text):
            self.error_responses.append((url, int(answer.group(1))))
        else:
            self.console_errors.append(f"{message.text} (at {url})")

    def _on_request_done(self, request: Request) -> None:
        self.in_flight.discard(request)

    def _on_request(self, request: Request) -> None:
        self.in_flight.add(request)
        url = urlsplit(request.url)
        if url.scheme not in IN_PAGE_SCHEMES and url.hostname != LOOPBACK:
            self.off_loopback.append(request.url)


def icon_faults(page: Page) -> list[str]:
    """The page's icon must load: a browser asks for it (its <link rel=icon>, else /favicon.ico) and
    logs a failure as a console error. Chromium asks once a session, for whichever page comes first,
    so PageWatch leaves /favicon.ico out and each page's icon is checked here instead."""
    icon = page.evaluate(f"() => document.querySelector('link[rel~=icon]')?.href ?? '{DEFAULT_ICON}'")
    if icon.startswith("data:"):
        return []
    status = page.request.get(icon).status
    return [] if status == 200 else [f"the page's icon {icon} answers {status}: add a <link rel=icon> that loads"]


def serious_accessibility_violations(page: Page) -> list[str]:
    """axe-core's serious and critical violations on the page as it stands: rule, impact, elements."""
    page.add_script_tag(path=AXE_JS)
    violations = page.evaluate("axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations)")
    return [
        f"{violation['id']} ({violation['impact']}): {[node['target'] for node in violation['nodes']]} "
        f"— {violation['help']}"
        for violation in violations
        if violation["impact"] in FAILING_IMPACTS
    ]


def open_page(page: Page, watch: PageWatch, path: str, status: int = 200) -> Page:
    """Go to a path of the live server and wait until its scripts are done fetching."""
    if status >= 400:
        watch.expect_status(path, status)
    response = page.goto(path)
    assert response is not None and response.status == status, f"{path}: {response and response.status}"
    watch.settle(page)
    return page


def unreached_by_tab(page: Page, targets: list[Locator], presses: int = 60) -> list[str]:
    """The targets that Tab, pressed from the top of the page, does not focus within `presses`."""
    for number, target in enumerate(targets):
        target.evaluate("(el, number) => { el.dataset.tabTarget = number; }", number)
    page.mouse.click(0, 0)  # a click on the page's corner: Tab starts from the top, wherever focus was
    unreached = set(range(len(targets)))
    for _ in range(presses):
        if not unreached:
            break
        page.keyboard.press("Tab")
        unreached.discard(page.evaluate("() => Number(document.activeElement.dataset.tabTarget ?? -1)"))
    return [f"Tab does not reach {describe(targets[number])}" for number in sorted(unreached)]


def describe(element: Locator) -> str:
    """An element as a user would name it: its aria-label, else its text, with its tag."""
    return element.evaluate(
        "(el) => `<${el.tagName.toLowerCase()}> ${(el.getAttribute('aria-label') || el.textContent).trim()}`"
    )
