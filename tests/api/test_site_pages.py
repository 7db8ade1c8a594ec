"""The pages that are not one resource's, on the real build: home, search, frameworks, errors."""

import html
import re
import tomllib

from fastapi.testclient import TestClient

from migkg.queries import QUERIES_DIR

BROWSER = "text/html,application/xhtml+xml"


def _page(client: TestClient, path: str, status: int = 200) -> str:
    response = client.get(path, headers={"accept": BROWSER})
    assert response.status_code == status, response.text[:300]
    assert response.headers["content-type"].startswith("text/html")
    return html.unescape(response.text)


def test_the_home_page_says_what_the_graph_holds(client: TestClient) -> None:
    page = _page(client, "/")
    assert re.search(r"<dt>Objective</dt><dd>23</dd>", page)
    assert re.search(r"<dt>Essential element</dt><dd>6</dd>", page)
    assert 'action="/search"' in page
    for document in ("gcm-booklet", "migof-toolbox", "gfmd-2017-rt32", "nua-table"):
        assert f'href="/id/doc/{document}"' in page
    assert page.count('href="/sdg/') == 17
    info = client.get("/downloads", headers={"accept": "application/json"}).json()
    assert info["version"][:12] in page


def test_every_question_on_the_home_page_opens_its_answer(client: TestClient) -> None:
    questions = tomllib.loads((QUERIES_DIR / "pages" / "questions.toml").read_text(encoding="utf-8"))["question"]
    page = _page(client, "/")
    for question in questions:
        assert question["text"] in page
        if "page" in question:
            path, anchor = question["page"].split("#")
            assert f'id="{anchor}"' in _page(client, path), question["page"]
        else:
            assert (QUERIES_DIR / "examples" / f"{question['example']}.rq").is_file()


def test_search_finds_and_pages(client: TestClient) -> None:
    page = _page(client, "/search?q=birth+registration&type=Practice")
    assert "Birth Registration Programming: Thailand" in page and "<mark>" in page
    first = _page(client, "/search?q=migrants")
    assert 'rel="next"' in first and "page=2" in first
    assert 'rel="prev"' in _page(client, "/search?q=migrants&page=2")


def test_search_says_what_it_cannot_search(client: TestClient) -> None:
    page = _page(client, "/search?q=%21%21", status=422)
    assert 'role="alert"' in page and "no words to search for" in page
    assert "unknown type 'Planet'" in _page(client, "/search?q=migrants&type=Planet", status=422)


def test_the_frameworks_page_lists_what_the_texts_name(client: TestClient) -> None:
    page = _page(client, "/frameworks")
    assert re.search(
        r'href="/id/gcm">Global Compact for Safe, Orderly and Regular Migration</a></td><td>GCM</td>', page
    )
    assert "Human rights legal instruments" in page and 'href="/id/instrument/crc"' in page


def test_an_unknown_path_is_a_404_page_with_search_for_people_and_text_for_machines(client: TestClient) -> None:
    page = _page(client, "/no/such/page", status=404)
    assert "Nothing is served at /no/such/page." in page and 'role="search"' in page
    plain = client.get("/no/such/page", headers={"accept": "text/plain"})
    assert plain.status_code == 404 and plain.text == "Nothing is served at /no/such/page.\n"
