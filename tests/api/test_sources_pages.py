"""The source pages: /sources lists the vendored texts, /sources/{id} shows one with the passage a
provenance record points at marked, checked against the build's own annotations."""

import re
import shutil
import tomllib
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from migkg import resources
from migkg.api.sources import load_sources, passage_url, source_id

SOURCES = resources.sources_dir()
MANIFEST = tomllib.loads((SOURCES / "manifest.toml").read_text(encoding="utf-8"))["source"]
ID = "https://w3id.org/migkg/id/"
HTML = {"Accept": "text/html"}
ANNOTATIONS = """
PREFIX oa: <http://www.w3.org/ns/oa#>
SELECT ?document ?start ?end ?exact WHERE {
  ?target oa:hasSource ?document ; oa:hasSelector ?quote , ?position .
  ?quote oa:exact ?exact .
  ?position oa:start ?start ; oa:end ?end .
}
"""


class SourcePage(HTMLParser):
    """What a source page shows: the text (page numbers apart), the marked runs, the mark's id."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text, self.marked, self.pages, self.anchors = [], [], [], []
        self._open: list[str] = []  # the classes of the elements open inside the text

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes = dict(attrs)
        if attributes.get("id") == "source-text":
            self._open = ["text"]
        elif self._open:
            self._open.append(attributes.get("class") or tag)
            if tag == "mark" and "id" in attributes:
                self.anchors.append(attributes["id"])
            if attributes.get("class") == "page":
                self.pages.append(attributes)

    def handle_endtag(self, tag: str) -> None:
        if self._open:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        if not self._open or "page" in self._open:
            return
        self.text.append(data)
        if "passage" in self._open:
            self.marked.append(data)


def read_page(client: TestClient, url: str, status: int = 200) -> SourcePage:
    response = client.get(url, headers=HTML)
    assert response.status_code == status, response.text[:500]
    assert response.headers["content-type"].startswith("text/html")
    page = SourcePage()
    page.feed(response.text)
    return page


def source_file(source: str) -> str:
    (entry,) = [e for e in MANIFEST if e["id"] == source]
    return (SOURCES / entry["file"]).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def annotations(client: TestClient) -> list[dict]:
    response = client.get(
        "/sparql", params={"query": ANNOTATIONS}, headers={"Accept": "application/sparql-results+json"}
    )
    assert response.status_code == 200, response.text
    return [
        {
            "source": source_id(row["document"]["value"]),
            "start": int(row["start"]["value"]),
            "end": int(row["end"]["value"]),
            "exact": row["exact"]["value"],
        }
        for row in response.json()["results"]["bindings"]
    ]


def sample(annotations: list[dict]) -> list[dict]:
    """Per source: the first and last passages, and the first two quoting non-ASCII text."""
    chosen = []
    for source in {a["source"] for a in annotations}:
        ordered = sorted((a for a in annotations if a["source"] == source), key=lambda a: (a["start"], a["end"]))
        chosen += [ordered[0], ordered[-1], *[a for a in ordered if not a["exact"].isascii()][:2]]
    return chosen


# --- the passage of a provenance record ---


def test_every_annotations_source_is_a_source_page(annotations: list[dict]):
    assert {a["source"] for a in annotations} == {e["id"] for e in MANIFEST}


def test_the_marked_text_is_the_annotations_quote_in_every_source(client: TestClient, annotations: list[dict]):
    chosen = sample(annotations)
    # each text's last passage stands after non-ASCII characters: offsets in bytes would miss it
    assert {a["source"] for a in chosen if not a["exact"].isascii()} == {e["id"] for e in MANIFEST}
    for annotation in chosen:
        url = passage_url(annotation["source"], annotation["start"], annotation["end"])
        page = read_page(client, url.split("#")[0])
        assert "".join(page.marked) == annotation["exact"], url
        assert page.anchors == [url.split("#")[1]]  # the fragment is the mark's id: the browser scrolls to it


def test_a_passage_across_a_page_number_is_marked_whole(client: TestClient):
    """A range over a section's heading, where its page number stands, is marked on both sides of it."""
    (data,) = [s for s in load_sources(SOURCES)["gcm-booklet"].sections if s.title == "1. Data"]
    start, end = data.start - 30, data.start + 20
    page = read_page(client, f"/sources/gcm-booklet?char={start},{end}")
    assert "".join(page.marked) == source_file("gcm-booklet")[start:end] and "1 DATA" in "".join(page.marked)
    assert page.anchors == [f"char={start},{end}"]


def test_a_practices_provenance_lands_on_its_passage(client: TestClient):
    practice = client.get("/api/practices/practice/colombia-s-special-stay-permit").json()
    (record,) = practice["provenance"]
    url = passage_url(source_id(record["document"]), record["start"], record["end"])
    assert url == f"/sources/gcm-booklet?char={record['start']},{record['end']}#char={record['start']},{record['end']}"
    response = client.get(url.split("#")[0], headers=HTML)
    page = SourcePage()
    page.feed(response.text)
    assert "".join(page.marked) == record["exact"]
    # objective 5's section, by the booklet's contents: "5. Regular pathways 48", "6. Recruitment … 56"
    assert "pp. 48–55, in “5. Regular pathways”" in response.text
    assert 'src="/static/sources/passage.js"' in response.text


def test_source_ids_of_the_graphs_documents():
    assert source_id(ID + "doc/nua-table-ocr") == "nua-table-ocr"
    assert source_id(ID + "gcm") is None
    assert source_id("https://example.org/id/doc/gcm-booklet") is None


# --- the text as shown ---


@pytest.mark.parametrize("source", [e["id"] for e in MANIFEST])
def test_the_page_shows_the_file_exactly_and_escaped(client: TestClient, source: str):
    response = client.get(f"/sources/{source}", headers=HTML)
    page = SourcePage()
    page.feed(response.text)
    assert "".join(page.text) == source_file(source)  # line breaks, tabs and blank lines as in the file
    assert page.marked == []


def test_markup_in_a_text_is_shown_not_run(client: TestClient):
    booklet = client.get("/sources/gcm-booklet", headers=HTML).text
    assert "<https://migrationnetwork.un.org/>" in source_file("gcm-booklet")
    assert "&lt;https://migrationnetwork.un.org/&gt;" in booklet and "<https://migrationnetwork" not in booklet
    migof = client.get("/sources/migof-toolbox", headers=HTML).text
    assert "**MIGRATION  \nGOVERNANCE  \nFRAMEWORK**" in migof  # markdown stays text


def test_page_numbers_stand_beside_the_booklets_sections(client: TestClient):
    booklet = source_file("gcm-booklet")
    contents = dict(re.findall(r"^([^\t\n]+)\t(\d+)$", booklet, re.MULTILINE))
    page = read_page(client, "/sources/gcm-booklet")
    shown = {p["data-title"]: p for p in page.pages}
    assert {title: contents[title] for title in shown} == {
        t: p["data-pages"].split(" ")[1].split("–")[0] for t, p in shown.items()
    }
    assert shown["1. Data"]["data-pages"] == "pp. 22–27"
    assert booklet[int(shown["1. Data"]["data-start"]) :].startswith("1 DATA\n")
    # objective 22's heading is not printed (the build repairs it): objective 21's pages run on
    assert (
        "22. Social protection" not in shown
        and shown["21. Dignified return and reintegration"]["data-pages"] == "pp. 150–163"
    )
    assert shown["References"]["data-pages"] == "p. 175 ff."
    assert len(shown) == len(contents) - 1


@pytest.mark.parametrize("source", ["migof-toolbox", "gfmd-2017-rt32", "nua-table-tsv", "nua-table-ocr"])
def test_texts_without_page_numbers_show_none(client: TestClient, source: str):
    assert read_page(client, f"/sources/{source}").pages == []


def test_without_a_browser_the_source_is_the_file_itself(client: TestClient):
    response = client.get("/sources/migof-toolbox?char=0,10")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/markdown; charset=utf-8"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.content == (SOURCES / "migof-city-resilience-toolbox.md").read_bytes()


# --- the list ---


def test_the_list_names_every_source_with_its_document(client: TestClient):
    listing = client.get("/sources").json()["sources"]
    assert [s["id"] for s in listing] == [e["id"] for e in MANIFEST]
    booklet = listing[0]
    assert (booklet["publisher"], booklet["date"], booklet["document"]) == (
        "United Nations Network on Migration",
        "2022-04",
        ID + "doc/gcm-booklet",
    )
    assert booklet["title"] == "Implementing the Global Compact for Safe, Orderly and Regular Migration"
    assert booklet["url"].endswith("/sources/gcm-booklet") and booklet["characters"] == len(source_file("gcm-booklet"))
    html = client.get("/sources", headers=HTML).text
    assert all(f'href="/sources/{e["id"]}"' in html for e in MANIFEST)


def test_the_original_publication_is_linked_where_the_manifest_gives_it(tmp_path: Path):
    shutil.copytree(SOURCES, tmp_path, dirs_exist_ok=True)
    manifest = tmp_path / "manifest.toml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(
        text.replace('id = "gfmd-2017-rt32"\n', 'id = "gfmd-2017-rt32"\nurl = "https://example.org/rt32.pdf"\n')
    )
    sources = load_sources(tmp_path)
    assert sources["gfmd-2017-rt32"].original == "https://example.org/rt32.pdf"
    assert sources["migof-toolbox"].original is None


def test_the_booklet_page_links_the_publishers_page_for_it(client: TestClient):
    page = client.get("/sources/gcm-booklet", headers=HTML).text
    assert (
        'href="https://migrationnetwork.un.org/resources/implementing-global-compact-safe-orderly-and-regular-' in page
    )


# --- errors ---


def test_an_unknown_source_is_a_404(client: TestClient):
    html = client.get("/sources/gcm", headers=HTML)
    assert html.status_code == 404 and "There is no source <code>gcm</code>" in html.text
    assert 'href="/sources/gcm-booklet"' in html.text
    plain = client.get("/sources/gcm")
    assert plain.status_code == 404 and "No source 'gcm'; the sources are gcm-booklet," in plain.text


@pytest.mark.parametrize(
    ("char", "message"),
    [
        ("abc", "char must be two whole numbers"),
        ("12", "char must be two whole numbers"),
        ("1,2,3", "char must be two whole numbers"),
        ("-1,5", "char must be two whole numbers"),
        ("10,5", "char=10,5: the start (10) must be less than the end (5)"),
        ("7,7", "the start (7) must be less than the end (7)"),
        ("0,4542", "char=0,4542: nua-table-ocr has 4541 characters, so the end may be at most 4541"),
    ],
)
def test_a_malformed_or_outside_range_is_a_400_saying_why(client: TestClient, char: str, message: str):
    assert len(source_file("nua-table-ocr")) == 4541
    plain = client.get("/sources/nua-table-ocr", params={"char": char})
    assert plain.status_code == 400 and message in plain.text
    html = client.get("/sources/nua-table-ocr", params={"char": char}, headers=HTML)
    assert html.status_code == 400 and 'role="alert"' in html.text


def test_a_source_the_build_was_not_made_from_is_a_503(client: TestClient):
    assert client.get("/sources").status_code == 200  # the graph's record of its sources, read and kept
    cache = client.app.state.migkg.cache
    built = cache["source-documents"]
    cache["source-documents"] = {**built, "nua-table-tsv": {**built["nua-table-tsv"], "sha256": "0" * 64}}
    try:
        response = client.get("/sources/nua-table-tsv?char=0,5")
    finally:
        cache["source-documents"] = built
    assert response.status_code == 503 and "another version of nua-migration-table.tsv.txt" in response.text
