"""The SDG pages: /sdg lists the goals, /sdg/{notation} shows a goal with its targets or a target with
everything in the graph that cites it, in each language of the UN's KOS; checked against the graph
through /sparql."""

import html
from html.parser import HTMLParser
from itertools import pairwise

import pyoxigraph as ox
import pytest
import rdflib
from api_testing import REPO_ROOT
from fastapi.testclient import TestClient
from rdflib.namespace import RDF, SKOS

HTML = {"Accept": "text/html"}
SDG = "http://metadata.un.org/sdg/"
TARGET = SDG + "10.7"
PREFIXES = """
PREFIX mig: <https://w3id.org/migkg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX sdgo: <http://metadata.un.org/sdg/ontology#>
PREFIX semapv: <https://w3id.org/semapv/vocab/>
"""
VOID_ELEMENTS = {"br", "hr", "img", "input", "link", "meta", "wbr"}
UN_KOS = REPO_ROOT / "graph" / "reference" / "sdg" / "sdg-kos-goals-targets-indicators.ttl"
SDGO = rdflib.Namespace("http://metadata.un.org/sdg/ontology#")
# ?format= names and what each answers, as on the resource pages.
FORMAT_TYPES = {
    "ttl": "text/turtle",
    "jsonld": "application/ld+json",
    "nt": "application/n-triples",
    "rdf": "application/rdf+xml",
    "nq": "application/n-quads",
    "trig": "application/trig",
}
LINKED_FORMATS = {"ttl": "Turtle", "jsonld": "JSON-LD", "nt": "N-Triples", "rdf": "RDF/XML"}


class Page(HTMLParser):
    """What an SDG page shows: its headings, its links by the section (h2/h3 id) they are in, its
    table rows, its breadcrumbs, the text of each element with a lang attribute, and the elements
    marked aria-current."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.headings: list[tuple[int, str]] = []
        self.links: list[dict] = []
        self.lang_texts: list[tuple[str, str]] = []
        self.current: list[str] = []
        self.rows: list[list[str]] = []  # the cells of each table row
        self.breadcrumbs: list[str] = []
        self.html_lang = ""
        self.section = ""
        self._open: list[dict] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes = dict(attrs)
        if tag == "html":
            self.html_lang = attributes.get("lang", "")
        if tag in VOID_ELEMENTS:
            return
        if tag in ("h2", "h3") and "id" in attributes:
            self.section = attributes["id"]
        if tag == "tr":
            self.rows.append([])
        self._open.append({"tag": tag, "attributes": attributes, "text": [], "section": self.section})

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID_ELEMENTS or not self._open:
            return
        element = self._open.pop()
        text = " ".join("".join(element["text"]).split())
        attributes = element["attributes"]
        if element["tag"] in ("h1", "h2", "h3", "h4"):
            self.headings.append((int(element["tag"][1]), text))
        if element["tag"] == "a" and "href" in attributes:
            self.links.append({"href": attributes["href"], "text": text, "section": element["section"]})
        if "lang" in attributes and element["tag"] != "html":
            self.lang_texts.append((attributes["lang"], text))
        if "aria-current" in attributes:
            self.current.append(text)
        if element["tag"] in ("th", "td"):
            self.rows[-1].append(text)
        if element["tag"] == "li" and any(e["attributes"].get("aria-label") == "Breadcrumb" for e in self._open):
            self.breadcrumbs.append(text)

    def handle_data(self, data: str) -> None:
        for element in self._open:
            element["text"].append(data)

    def hrefs(self, section: str) -> list[str]:
        return [link["href"] for link in self.links if link["section"] == section]


def read_page(client: TestClient, url: str, status: int = 200) -> Page:
    response = client.get(url, headers=HTML)
    assert response.status_code == status, response.text[:500]
    assert response.headers["content-type"].startswith("text/html")
    page = Page()
    page.feed(response.text)
    return page


def select(client: TestClient, query: str) -> list[dict]:
    response = client.get(
        "/sparql", params={"query": PREFIXES + query}, headers={"Accept": "application/sparql-results+json"}
    )
    assert response.status_code == 200, response.text
    return response.json()["results"]["bindings"]


def local(iri: str) -> str:
    return "/" + iri.removeprefix("https://w3id.org/migkg/")


@pytest.fixture(scope="module")
def target_page(client: TestClient) -> Page:
    return read_page(client, "/sdg/10.7")


def test_goals_page_lists_the_goals_with_the_targets_cited(client: TestClient) -> None:
    rows = select(
        client,
        """SELECT ?goal ?title (COUNT(DISTINCT ?target) AS ?cited) WHERE {
             ?goal a sdgo:Goal ; skos:prefLabel ?title FILTER(LANG(?title) = "en")
             OPTIONAL { ?goal sdgo:hasTarget ?target . FILTER EXISTS { ?citing mig:relevantSDGTarget ?target } }
           } GROUP BY ?goal ?title""",
    )
    assert len(rows) == 17
    page = read_page(client, "/sdg")
    expected = {
        ("Goal " + row["goal"]["value"].removeprefix(SDG), row["title"]["value"], row["cited"]["value"]) for row in rows
    }
    assert {tuple(cells) for cells in page.rows[1:]} == expected
    assert {link["href"] for link in page.links if link["text"].startswith("Goal ")} == {
        "/sdg/" + row["goal"]["value"].removeprefix(SDG) for row in rows
    }
    assert page.breadcrumbs == ["Home", "SDGs"]


def test_goal_page_lists_its_targets_with_their_texts(client: TestClient) -> None:
    rows = select(
        client,
        """SELECT ?target ?text WHERE {
             <http://metadata.un.org/sdg/10> sdgo:hasTarget ?target . ?target skos:prefLabel ?text
             FILTER(LANG(?text) = "en") }""",
    )
    page = read_page(client, "/sdg/10")
    assert {href for href in page.hrefs("") if href.startswith("/sdg/10.")} == {
        "/sdg/" + row["target"]["value"].removeprefix(SDG) for row in rows
    }
    texts = {text for lang, text in page.lang_texts if lang == "en"}
    assert {row["text"]["value"] for row in rows} <= texts
    assert "/sdg/10.7" in page.hrefs("")
    assert page.breadcrumbs == ["Home", "SDGs", "Goal 10"]
    (citing,) = select(
        client,
        "SELECT (COUNT(DISTINCT ?by) AS ?n) WHERE { ?by mig:relevantSDGTarget <http://metadata.un.org/sdg/10.7> }",
    )
    (text,) = [row["text"]["value"] for row in rows if row["target"]["value"] == TARGET]
    assert ["10.7", text, citing["n"]["value"]] in page.rows


def test_target_page_has_its_text_goal_breadcrumbs_and_the_uns_identifier(
    client: TestClient, target_page: Page
) -> None:
    (label,) = select(
        client,
        'SELECT ?text WHERE { <http://metadata.un.org/sdg/10.7> skos:prefLabel ?text FILTER(LANG(?text) = "en") }',
    )
    assert ("en", label["text"]["value"]) in target_page.lang_texts
    assert [heading for level, heading in target_page.headings if level == 1] == ["Target 10.7"]
    assert target_page.breadcrumbs == ["Home", "SDGs", "Goal 10", "Target 10.7"]
    assert "Target 10.7" in target_page.current
    assert TARGET in [link["href"] for link in target_page.links]
    assert "/sdg/10" in target_page.hrefs("")


def test_target_page_headings_are_in_order(target_page: Page) -> None:
    levels = [level for level, _ in target_page.headings]
    assert levels[0] == 1
    assert all(after - before <= 1 for before, after in pairwise(levels))


def test_target_page_lists_the_objectives_the_booklet_cites_it_for(client: TestClient, target_page: Page) -> None:
    rows = select(
        client,
        """SELECT ?objective ?citation WHERE {
             ?objective a mig:Objective ; mig:relevantSDGTarget <http://metadata.un.org/sdg/10.7> .
             OPTIONAL { ?objective mig:hasSDGCitation ?citation . ?citation mig:citesTarget <http://metadata.un.org/sdg/10.7> }
           }""",
    )
    assert rows
    links = target_page.hrefs("objectives")
    assert {local(row["objective"]["value"]) for row in rows} == {
        href for href in links if "/sdg-citation/" not in href
    }
    assert {local(row["citation"]["value"]) for row in rows if "citation" in row} <= set(links)
    assert f"GCM objectives that list it ({len(rows)})" in [h for _, h in target_page.headings]


def test_target_page_lists_practices_gfmd_items_and_mappings(client: TestClient, target_page: Page) -> None:
    practices = select(
        client,
        """SELECT DISTINCT ?practice WHERE {
             ?objective a mig:Objective ; mig:relevantSDGTarget <http://metadata.un.org/sdg/10.7> .
             ?practice mig:illustrates ?objective }""",
    )
    texts = select(
        client,
        """SELECT ?item WHERE { ?item mig:relevantSDGTarget <http://metadata.un.org/sdg/10.7>
             FILTER NOT EXISTS { ?item a mig:Objective } }""",
    )
    mappings = select(
        client,
        """SELECT ?mapping ?justification WHERE { ?mapping a mig:Mapping ; mig:mappingJustification ?justification ;
             mig:mappingSubject|mig:mappingObject <http://metadata.un.org/sdg/10.7> }""",
    )
    assert practices and texts and mappings
    practice_links = {href for href in target_page.hrefs("practices") if "/practice" in href or "/example/" in href}
    assert practice_links == {local(row["practice"]["value"]) for row in practices}
    assert {local(row["item"]["value"]) for row in texts} <= set(target_page.hrefs("texts"))
    assert {local(row["mapping"]["value"]) for row in mappings} <= set(target_page.hrefs("crosswalk"))
    headings = [h for _, h in target_page.headings]
    assert f"Example practices ({len(practices)})" in headings
    assert f"Crosswalk mappings ({len(mappings)})" in headings
    justifications = [cells[2] for cells in target_page.rows if len(cells) == 5 and cells[0] != "item"]
    stated = sum(row["justification"]["value"].endswith("ManualMappingCuration") for row in mappings)
    assert justifications.count("stated") == stated
    assert justifications.count("computed") == len(mappings) - stated


def test_target_page_in_spanish(client: TestClient) -> None:
    labels = select(
        client,
        """SELECT ?target ?goal WHERE { <http://metadata.un.org/sdg/10.7> skos:prefLabel ?target .
             <http://metadata.un.org/sdg/10> skos:prefLabel ?goal
             FILTER(LANG(?target) = "es" && LANG(?goal) = "es") }""",
    )
    (row,) = labels
    page = read_page(client, "/sdg/10.7?lang=es")
    assert ("es", row["target"]["value"]) in page.lang_texts
    assert ("es", row["goal"]["value"]) in page.lang_texts
    assert "español" in page.current
    assert "/sdg/10?lang=es" in [link["href"] for link in page.links]
    switch = {link["href"] for link in page.links if "lang=" in link["href"] and link["href"].startswith("/sdg/10.7")}
    assert switch == {f"/sdg/10.7?lang={code}" for code in kos_languages(client, TARGET)}


def kos_languages(client: TestClient, iri: str) -> set[str]:
    rows = select(client, f"SELECT DISTINCT (LANG(?text) AS ?lang) WHERE {{ <{iri}> skos:prefLabel ?text }}")
    return {row["lang"]["value"] for row in rows}


def test_unknown_language_is_a_400_listing_the_languages(client: TestClient) -> None:
    page = read_page(client, "/sdg/10.7?lang=xx", status=400)
    assert {link["href"] for link in page.links if "lang=" in link["href"]} == {
        f"/sdg/10.7?lang={code}" for code in kos_languages(client, TARGET)
    }
    response = client.get("/sdg?lang=xx")
    assert response.status_code == 400
    assert all(code in response.text for code in kos_languages(client, SDG + "10"))


@pytest.mark.parametrize("notation", ["99", "10.zz", "10.07", "not-a-goal"])
def test_unknown_notation_is_a_404_listing_the_goals(client: TestClient, notation: str) -> None:
    page = read_page(client, f"/sdg/{notation}", status=404)
    assert {link["href"] for link in page.links if link["href"].startswith("/sdg/")} == {
        f"/sdg/{n}" for n in range(1, 18)
    }
    response = client.get(f"/sdg/{notation}", headers={"Accept": "text/turtle"})
    assert response.status_code == 404
    assert "/sdg/10 " in response.text


def test_rdf_by_accept_is_the_concept_as_the_graph_holds_it(client: TestClient) -> None:
    response = client.get("/sdg/10.7", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/turtle")
    assert "Accept" in response.headers["vary"]
    served = {quad.triple for quad in ox.parse(response.content, format=ox.RdfFormat.TURTLE)}
    rows = select(client, "SELECT ?p ?o WHERE { <http://metadata.un.org/sdg/10.7> ?p ?o }")
    concept = ox.NamedNode(TARGET)
    about = {triple for triple in served if triple.subject == concept}
    assert len(about) == len(rows)
    (spanish,) = select(
        client,
        'SELECT ?text WHERE { <http://metadata.un.org/sdg/10.7> skos:prefLabel ?text FILTER(LANG(?text) = "es") }',
    )
    pref_label = ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel")
    assert ox.Triple(concept, pref_label, ox.Literal(spanish["text"]["value"], language="es")) in served
    goals = client.get("/sdg", headers={"Accept": "application/n-triples"})
    assert goals.status_code == 200
    assert goals.headers["content-type"].startswith("application/n-triples")


def test_every_link_on_the_target_page_resolves(client: TestClient, target_page: Page) -> None:
    local_links = sorted({link["href"] for link in target_page.links if link["href"].startswith(("/id/", "/sdg"))})
    assert len(local_links) > 50
    failures = {}
    for href in local_links:
        status = client.get(href, headers=HTML, follow_redirects=False).status_code
        if status not in (200, 301):
            failures[href] = status
    assert not failures


def get_data(client: TestClient, path: str, name: str) -> rdflib.Graph:
    """The RDF ``path?format=name`` answers, parsed by rdflib; asked by a browser, whose Accept the link overrides."""
    response = client.get(path, params={"format": name}, headers=HTML)
    assert response.status_code == 200, response.text[:500]
    assert response.headers["content-type"].split(";")[0] == FORMAT_TYPES[name]
    assert "Accept" in response.headers["vary"]
    return rdflib.Graph().parse(data=response.content, format=FORMAT_TYPES[name])


def test_format_ttl_gives_the_targets_notations_and_labels_as_the_uns_kos_has_them(client: TestClient) -> None:
    kos = rdflib.Graph().parse(UN_KOS, format="turtle")
    target = rdflib.URIRef(TARGET)
    expected = {(target, p, o) for p in (SKOS.notation, SKOS.prefLabel) for o in kos.objects(target, p)}
    served = get_data(client, "/sdg/10.7", "ttl")
    assert rdflib.Literal("10.7", datatype=SDGO.SDGCodeCompact) in set(served.objects(target, SKOS.notation))
    assert {label.language for _, p, label in expected if p == SKOS.prefLabel} >= {"en", "es", "fr"}
    assert expected <= set(served)


@pytest.mark.parametrize(
    ("path", "fact"),
    [
        ("/sdg", (SDG + "10", RDF.type, SDGO.Goal)),
        ("/sdg/10", (SDG + "10", SDGO.hasTarget, TARGET)),
        ("/sdg/10.7", (TARGET, RDF.type, SDGO.Target)),
    ],
)
def test_format_jsonld_parses_as_json_ld(client: TestClient, path: str, fact: tuple) -> None:
    subject, predicate, value = fact
    assert (rdflib.URIRef(subject), predicate, rdflib.URIRef(value)) in get_data(client, path, "jsonld")


@pytest.mark.parametrize("name", sorted(FORMAT_TYPES))
def test_every_format_name_of_the_resource_pages_answers_its_format(client: TestClient, name: str) -> None:
    response = client.get(f"/sdg/10.7?format={name}", headers=HTML)
    assert response.status_code == 200, response.text[:500]
    assert response.headers["content-type"].split(";")[0] == FORMAT_TYPES[name]
    parsed = ox.parse(response.content, format=ox.RdfFormat.from_media_type(FORMAT_TYPES[name]))
    assert ox.NamedNode(TARGET) in {quad.subject for quad in parsed}


@pytest.mark.parametrize(
    ("url", "data"), [("/sdg", "/sdg"), ("/sdg/10", "/sdg/10"), ("/sdg/10.7?lang=es", "/sdg/10.7")]
)
def test_each_page_links_its_data_in_each_format(client: TestClient, url: str, data: str) -> None:
    """The links leave out ?lang=: the data holds the texts in every language."""
    links = {link["href"]: link["text"] for link in read_page(client, url).links if "format=" in link["href"]}
    assert links == {f"{data}?format={name}": label for name, label in LINKED_FORMATS.items()}
    for href in links:
        response = client.get(href, headers=HTML)
        assert response.status_code == 200
        assert response.headers["content-type"].split(";")[0] == FORMAT_TYPES[href.rsplit("=", 1)[1]]


def test_format_with_lang_is_the_same_data_and_still_checks_the_language(client: TestClient) -> None:
    every_language = client.get("/sdg/10.7?format=nt").content
    assert client.get("/sdg/10.7?format=nt&lang=es").content == every_language
    assert client.get("/sdg/10.7?format=nt&lang=xx").status_code == 400


@pytest.mark.parametrize("url", ["/sdg?format=docx", "/sdg/10.7?format=docx", "/sdg/10.7?format=TTL&lang=es"])
def test_an_unknown_format_is_answered_as_on_the_resource_pages(client: TestClient, url: str) -> None:
    on_resource_page = client.get("/id/gcm/objective/4?format=docx", headers=HTML)
    response = client.get(url, headers=HTML)
    assert response.status_code == on_resource_page.status_code == 422
    assert response.text == on_resource_page.text  # the same page, naming the formats there are
    assert all(f"'{name}'" in html.unescape(response.text) for name in FORMAT_TYPES)
