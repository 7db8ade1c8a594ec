"""The query page (/sparql) as a user meets it: each example runs here and shows rows, results read
plainly and link to this server's pages, the editor completes the graph's own prefixes, classes and
properties, and a malformed query shows the endpoint's message; with results or an error drawn, axe
still finds no serious or critical violation."""

import re

from browsing import PageWatch, open_page, serious_accessibility_violations
from playwright.sync_api import Page

from migkg.api.prefixes import PREFIXES
from migkg.api.settings import Settings

ACTIVE_TAB = ".tabPanel.active"
RESULT_CELLS = f"{ACTIVE_TAB} .yasr table.dataTable tbody td"
HINTS = ".CodeMirror-hints li"
VOID = "http://rdfs.org/ns/void#"


def run_query(page: Page) -> None:
    """Press the active tab's run button and wait for its answer to be drawn."""
    with page.expect_response(lambda response: response.request.method == "POST"):
        page.locator(f"{ACTIVE_TAB} .yasqe_queryButton").click()
    page.locator(f"{ACTIVE_TAB} .yasr_results > *").first.wait_for()


def type_query(page: Page, text: str) -> None:
    """Put a query in the active editor with the cursor at its end, as if typed."""
    page.evaluate(
        """(text) => {
          const yasqe = yasgui.getTab().getYasqe();
          yasqe.setValue(text);
          yasqe.focus();
          yasqe.getDoc().setCursor(yasqe.getDoc().posFromIndex(text.length));
        }""",
        text,
    )


def completions(page: Page, text: str) -> set[str]:
    type_query(page, text)
    page.keyboard.press("Control+Space")
    page.locator(HINTS).first.wait_for()
    return set(page.locator(HINTS).all_inner_texts())


def vocabulary(page: Page, predicate: str) -> set[str]:
    """The graph's classes or properties under mig:, as the server's VoID lists them."""
    triples = page.request.get("/.well-known/void", headers={"accept": "application/n-triples"}).text()
    terms = re.findall(rf"<{re.escape(VOID + predicate)}> <{re.escape(PREFIXES['mig'])}([^>]+)>", triples)
    return {f"mig:{term}" for term in terms}


def test_every_example_runs_here_and_shows_plain_rows(page: Page, page_watch: PageWatch, settings: Settings) -> None:
    open_page(page, page_watch, "/sparql")
    endpoint, resources = page.url, f"{settings.base_iri}id/"
    faults, own_pages = [], set()
    for button in page.locator("#examples button[data-example]").all():
        name = button.inner_text()
        button.click()
        if (used := page.evaluate("() => yasgui.getTab().getEndpoint()")) != endpoint:
            faults.append(f"{name} runs against {used}")
            continue
        run_query(page)
        cells = page.locator(RESULT_CELLS).all_inner_texts()
        links = page.locator(f"{RESULT_CELLS} a").evaluate_all("(links) => links.map((a) => a.getAttribute('href'))")
        if not cells:
            faults.append(f"{name} shows no row")
        faults += [f"{name} shows a datatype: {cell!r}" for cell in cells if "^^" in cell]
        faults += [f"{name} links off this server: {href}" for href in links if href.startswith(resources)]
        own_pages.update(href for href in links if href.startswith("/id/"))
    faults += serious_accessibility_violations(page)  # the page with results, tabs and views drawn
    assert not faults, "\n".join(faults)
    assert own_pages, "no result links to a page of this server"
    for href in sorted(own_pages)[:5]:  # a few: each page is a query on the server
        assert page.request.head(href, headers={"accept": "text/html"}).ok, href


def test_the_editor_completes_the_graphs_own_terms(page: Page, page_watch: PageWatch) -> None:
    open_page(page, page_watch, "/sparql")
    prologue = f"PREFIX mig: <{PREFIXES['mig']}>\nSELECT * WHERE {{ ?s "
    assert completions(page, "PREFIX mi") == {f"mig: <{PREFIXES['mig']}>"}
    page.keyboard.press("Escape")
    assert completions(page, prologue + "a mig:") == vocabulary(page, "class")
    page.keyboard.press("Escape")
    assert completions(page, prologue + "mig:") == vocabulary(page, "property")


def test_a_malformed_query_shows_the_endpoints_message(page: Page, page_watch: PageWatch) -> None:
    malformed = "SELECT * WHERE { ?s ?p }"
    message = page.request.post("/sparql", form={"query": malformed}).text()
    open_page(page, page_watch, "/sparql")
    page_watch.expect_status("/sparql", 400)
    type_query(page, malformed)
    run_query(page)
    shown = page.locator(f"{ACTIVE_TAB} .errorResult").inner_text()
    assert message.strip() and message.strip() in shown
    violations = serious_accessibility_violations(page)
    assert not violations, "\n".join(violations)
