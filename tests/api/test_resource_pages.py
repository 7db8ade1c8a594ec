"""The resource pages for people, on the real build: each kind's sections, the crosswalk, the names
in context, the inverse links collapsed and paged, format links, where a sentence came from."""

import html
import re

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

BROWSER = "text/html,application/xhtml+xml"
MENTIONS_ACTOR = "https://w3id.org/migkg/ontology#mentionsActor"


def _page(client: TestClient, path: str) -> str:
    response = client.get(path, headers={"accept": BROWSER})
    assert response.status_code == 200, response.text[:500]
    return html.unescape(response.text)


def _section(page: str, heading: str) -> str:
    """The HTML of the section whose <h2> starts with ``heading``."""
    start = page.index(f"<h2>{heading}")
    end = page.find("</section>", start)
    return page[start:end]


def test_an_objective_page_reads_as_the_booklet_does(client: TestClient) -> None:
    page = _page(client, "/id/gcm/objective/4")
    assert "<h1>GCM objective 4: Legal identity and documentation</h1>" in page
    assert "ENSURE THAT ALL MIGRANTS HAVE PROOF OF LEGAL IDENTITY AND ADEQUATE DOCUMENTATION" in page
    actions = _section(page, "Associated actions")
    assert "(7)" in actions and actions.index("Improve civil registry systems") < actions.index("Harmonize travel")
    practices = _section(page, "Example practices")
    matricula = practices[practices.index("Mexico's matrícula consular") :]
    assert 'href="/id/place/country/MX">Mexico</a>' in matricula[: matricula.index("</tr>")]
    targets = _section(page, "SDG targets the booklet cites")
    assert 'href="/sdg/1.3"' in targets and "Implement nationally appropriate social protection systems" in targets
    assert 'href="/sdg/16.9"' in targets  # "By 2030, provide legal identity for all, including birth registration"


def test_a_migof_element_page_has_its_recommendations_by_level_and_its_crosswalk(client: TestClient) -> None:
    page = _page(client, "/id/migof/element/4")
    recommendations = _section(page, "Recommendations by governance level")
    assert "<h3>Recommended response at the State level</h3>" in recommendations
    assert "Adopting a variety of labour migration approaches" in recommendations
    crosswalk = _section(page, "Related in other frameworks")
    assert 'href="/id/gcm/objective/16">GCM objective 16: Inclusion and social cohesion</a>' in crosswalk
    assert re.search(r"objective/16\">.*?</td>\s*<td><meter[^>]*value=\"0\.\d+\"", crosswalk, re.S)
    assert "computed from similarity and structure" in crosswalk


def test_a_stated_mapping_quotes_its_evidence(client: TestClient) -> None:
    crosswalk = _section(_page(client, "/id/gcm/objective/4"), "Related in other frameworks")
    assert "stated in the text" in crosswalk and '<blockquote class="evidence">' in crosswalk


def test_a_country_page_names_it_in_context_and_lists_practices_in_its_cities(client: TestClient) -> None:
    page = _page(client, "/id/place/country/MX")
    practices = _section(page, "Practices carried out here")
    assert "Coalición LAC network" in practices and 'href="/id/place/city/mexico-city">Mexico City</a>' in practices
    named = _section(page, "Named in the texts")
    lines = re.findall(r'<a href="(/sources/[^"]+)" class="context">(.*?)</a>', named, re.S)
    assert len(lines) == int(re.search(r"Named in the texts <span class=\"count\">\((\d+)\)", page).group(1))
    for link, line in lines:
        assert "<mark>Mexic" in line and len(re.sub("<[^>]+>", "", line)) > 60, line  # a sentence, not a bare name
        assert re.fullmatch(r"/sources/[\w-]+\?char=\d+,\d+#char=\d+,\d+", link)
    assert 'id="where-it-comes-from"' not in page  # its provenance is those passages: listed once


def test_inverse_links_are_counted_collapsed_and_paged(client: TestClient) -> None:
    query = f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s <{MENTIONS_ACTOR}> <https://w3id.org/migkg/id/actor/iom> }}"
    count = int(client.get("/sparql", params={"query": query}).json()["results"]["bindings"][0]["n"]["value"])
    linked = _section(_page(client, "/id/actor/iom"), "Linked from")
    assert f'mentions actor <span class="count">({count})</span>' in linked
    assert f"All {count}</a>" in linked
    first = _page(client, f"/id/actor/iom?inverse={MENTIONS_ACTOR.replace('#', '%23')}")
    second = _page(client, f"/id/actor/iom?inverse={MENTIONS_ACTOR.replace('#', '%23')}&page=2")
    listed = [re.findall(r"<li><a href=\"(/id/[^\"]+)\">", p[p.index("<ol start") :]) for p in (first, second)]
    assert len(listed[0]) == 50 and 'rel="next"' in first and 'rel="prev"' in second
    assert len(set(listed[0]) | set(listed[1])) == count


def test_a_bad_inverse_property_is_a_400(client: TestClient) -> None:
    response = client.get("/id/actor/iom?inverse=not%20an%20iri", headers={"accept": BROWSER})
    assert response.status_code == 400 and "inverse must be the IRI of a property" in response.text


@pytest.mark.parametrize(
    ("name", "fmt"), [("ttl", ox.RdfFormat.TURTLE), ("nt", ox.RdfFormat.N_TRIPLES), ("jsonld", ox.RdfFormat.JSON_LD)]
)
def test_format_links_give_the_data(client: TestClient, name: str, fmt: ox.RdfFormat) -> None:
    page = _page(client, "/id/gcm/objective/4")
    assert f'href="/id/gcm/objective/4?format={name}"' in page
    response = client.get(f"/id/gcm/objective/4?format={name}", headers={"accept": BROWSER})
    assert response.headers["content-type"].split(";")[0] == fmt.media_type
    assert any(q.subject.value.endswith("gcm/objective/4") for q in ox.parse(response.content, format=fmt))


def test_an_unknown_format_is_a_422(client: TestClient) -> None:
    assert client.get("/id/gcm/objective/4?format=docx").status_code == 422


def test_the_provenance_link_lands_on_the_sentence_in_the_source(client: TestClient) -> None:
    page = _page(client, "/id/practice/mexico-s-matricula-consular")
    passage = re.search(r'<a href="(/sources/gcm-booklet\?char=\d+,\d+#char=\d+,\d+)">read it in the source</a>', page)
    source = _page(client, passage.group(1))
    marked = re.search(r'<p id="passage-context"[^>]*>.*?<mark>(.*?)</mark>', source, re.S).group(1)
    assert marked.startswith("Mexico's *matrícula consular*")
    assert "an ID card issued by the Mexican government to Mexican citizens abroad" in marked
