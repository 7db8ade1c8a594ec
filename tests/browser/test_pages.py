"""Every kind of page the server has, in a real browser: it opens with no console error and no
request off loopback (the `page` fixture checks both), its icon loads, axe finds no serious or critical
accessibility violation, and Tab reaches its main actions. One test a page, reporting every fault."""

import pytest
from browsing import PageWatch, icon_faults, open_page, serious_accessibility_violations, unreached_by_tab
from playwright.sync_api import Page

# path → the status it answers with
PAGES = {
    "/": 200,
    "/search?q=birth+registration": 200,
    "/frameworks": 200,
    "/sparql": 200,
    "/docs": 200,
    "/id/gcm/objective/4": 200,
    "/id/gcm/objective/4/action/a": 200,
    "/id/practice/mexico-s-matricula-consular": 200,
    "/id/migof/element/4": 200,
    "/id/gfmd-2017/indicator/1": 200,
    "/id/nua-table/row/1": 200,
    "/id/instrument/crc": 200,
    "/id/place/country/MX": 200,
    "/id/place/city/quito": 200,
    "/id/actor/iom": 200,
    "/id/actor/iom?inverse=https://w3id.org/migkg/ontology%23mentionsActor": 200,
    "/sdg": 200,
    "/sdg/10": 200,
    "/sdg/10.7?lang=es": 200,
    "/sources": 200,
    "/sources/gcm-booklet?char=52609,53640#char=52609,53640": 200,
    "/map": 200,
    "/charts": 200,
    "/id/no-such-thing": 404,
    "/no/such/page": 404,
    "/downloads": 200,
}
SITE_LINKS = "nav[aria-label=Site] a"
# a page's own main actions, beside the site links
MAIN_ACTIONS = {
    "/": "form[role=search] button",
    "/search?q=birth+registration": "form[role=search] button",
    "/no/such/page": "form[role=search] button",
    "/sparql": ".yasqe_queryButton",
    "/docs": ".opblock-summary-control",
    "/sdg/10.7?lang=es": "nav.languages a",
}


@pytest.mark.parametrize("path", PAGES)
def test_page(page: Page, page_watch: PageWatch, path: str) -> None:
    open_page(page, page_watch, path, PAGES[path])
    actions = page.locator(SITE_LINKS).all()
    if path in MAIN_ACTIONS:
        actions.append(page.locator(MAIN_ACTIONS[path]).first)
    faults = icon_faults(page) + serious_accessibility_violations(page) + unreached_by_tab(page, actions)
    assert not faults, "\n".join(faults)
