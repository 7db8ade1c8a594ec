"""What a person starting at the home page can find by clicking only (and typing in the search
box): the practices of objective 4 and where they are carried out, the SDG targets it cites in
Spanish, the GCM objectives MiGOF's socioeconomic element maps to and why, where a practice's
sentence came from in the booklet; and the map drawn with its places linked."""

from browsing import PageWatch, open_page
from playwright.sync_api import Page, expect


def test_the_practices_of_objective_4_and_where_they_are_carried_out(page: Page, page_watch: PageWatch) -> None:
    open_page(page, page_watch, "/")
    page.get_by_role("link", name="Which practices illustrate GCM objective 4").click()
    practices = page.locator("#example-practices-and-where-they-are-carried-out")
    row = practices.locator("tr", has_text="Mexico's matrícula consular")
    expect(row.get_by_role("link", name="Mexico", exact=True)).to_be_visible()
    expect(practices.locator("tbody tr")).to_have_count(3)


def test_the_sdg_targets_of_objective_4_in_spanish(page: Page, page_watch: PageWatch) -> None:
    open_page(page, page_watch, "/")
    page.get_by_role("link", name="Which SDG targets does objective 4 cite").click()
    page.locator("#sdg-targets-the-booklet-cites").get_by_role("link", name="16.9").click()
    page.get_by_role("link", name="español", exact=True).click()
    expect(page.locator("[lang=es]", has_text="identidad jurídica").first).to_be_visible()
    expect(page.locator("nav.languages [aria-current]")).to_have_text("español")


def test_what_the_migof_socioeconomic_element_maps_to_and_why(page: Page, page_watch: PageWatch) -> None:
    open_page(page, page_watch, "/")
    page.get_by_role("link", name="Which GCM objectives does MiGOF's socioeconomic well-being element map to").click()
    crosswalk = page.locator("#related-in-other-frameworks")
    expect(crosswalk.get_by_role("link", name="GCM objective 16: Inclusion and social cohesion")).to_be_visible()
    crosswalk.locator("summary", has_text="the two texts compared").first.click()
    expect(crosswalk.locator("blockquote.evidence").first).to_be_visible()


def test_where_a_sentence_of_a_practice_came_from(page: Page, page_watch: PageWatch) -> None:
    open_page(page, page_watch, "/")
    page.get_by_role("link", name="Where in the booklet does the description").click()
    page.locator("#where-it-comes-from").get_by_role("link", name="read it in the source").click()
    marked = page.locator("mark.passage").first
    expect(marked).to_contain_text("matrícula consular")
    expect(marked).to_be_in_viewport()


def test_the_search_box_finds_a_practice(page: Page, page_watch: PageWatch) -> None:
    open_page(page, page_watch, "/")
    page.get_by_role("searchbox").fill("birth registration")
    page.get_by_role("searchbox").press("Enter")
    page.get_by_role("link", name="Birth Registration Programming: Thailand's Civil Registration Act (2008)").click()
    expect(page.locator("h1")).to_have_text("Birth Registration Programming: Thailand's Civil Registration Act (2008)")


def test_the_map_draws_the_places_and_links_them(page: Page, page_watch: PageWatch) -> None:
    open_page(page, page_watch, "/map")
    expect(page.locator("#map svg path").first).to_be_attached()
    expect(page.locator("#map-table a[href='/id/place/country/MX']").first).to_be_attached()


def test_a_place_page_shows_it_on_a_map(page: Page, page_watch: PageWatch) -> None:
    open_page(page, page_watch, "/id/place/country/MX")
    expect(page.locator("#place-map svg path").first).to_be_attached()
    expect(page.locator("#place-map svg .mark-symbol path")).to_have_count(1)
