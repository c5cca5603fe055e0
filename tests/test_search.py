"""Search: an FTS5 index written beside the store at load time, accent- and case-insensitive."""

from __future__ import annotations

import sqlite3

import pytest
from bs4 import BeautifulSoup


def results(client, q: str, lang: str = "en") -> dict[str, list[tuple[str, str]]]:
    response = client.get("/search", query_string={"q": q},
                          headers={"Accept-Language": lang, "Accept": "text/html"})
    assert response.status_code == 200
    soup = BeautifulSoup(response.data, "html.parser")
    groups = {}
    for group in soup.find_all("section", class_="result-group"):
        heading = group.h3.contents[0].strip()
        groups[heading] = [(a.get_text(strip=True), a["href"]) for a in group.find_all("a")]
    return groups


def test_without_accents_finds_wisniewski(client):
    groups = results(client, "wisniewski")
    assert groups["People"] == [("Arkadiusz Wiśniewski", "/page/person/arkadiusz-wisniewski")]
    # captions name him too: results are grouped by class
    assert {href for _, href in groups["Photos"]} == {"/page/photo/aktionen-foto-08", "/page/photo/aktionen-foto-09"}
    assert list(groups) == ["People", "Photos"]


def test_a_decomposed_accent_finds_what_the_composed_one_does(client):
    composed = results(client, "Wi\u015bniewski")
    decomposed = results(client, "Wis\u0301niewski")  # s + COMBINING ACUTE ACCENT, as some keyboards send it
    assert decomposed == composed
    assert decomposed["People"] == [("Arkadiusz Wiśniewski", "/page/person/arkadiusz-wisniewski")]


def test_other_names_find_the_city(client):
    groups = results(client, "oppeln")
    assert ("Opole", "/page/city/opole") in groups["Cities"]


@pytest.mark.parametrize("q", ["TOURS", "tours", "Tour"])
def test_case_insensitive_prefix_search(client, q):
    assert ("Tours", "/page/city/tours") in results(client, q)["Cities"]


def test_german_reader_sees_german_group_names_and_labels(client):
    groups = results(client, "kouvola", lang="de")
    assert ("Kouvola", "/page/city/kouvola") in groups["Städte"]
    conference = ("Sicherheitskonferenz 2024 in Kouvola", "/page/event/security-conference-kouvola-2024")
    assert conference in groups["Ereignisse"]


@pytest.mark.parametrize("q", ['"', "*", "NEAR(a b)", "tours OR", "-x", "a:b", "'); DROP TABLE names; --",
                               "^tours", "{tours}", "tours AND NOT mülheim"])
def test_fts_syntax_in_input_is_text_not_syntax(client, q):
    results(client, q)  # 200, never a 500


def test_nothing_found_says_so(client):
    response = client.get("/search?q=zzzzqqq", headers={"Accept": "text/html"})
    soup = BeautifulSoup(response.data, "html.parser")
    assert soup.find(class_="results").p.get_text(strip=True) == "Nothing found."


def test_too_long_is_a_clear_400(client):
    response = client.get("/search", query_string={"q": "x" * 201}, headers={"Accept": "text/plain"})
    assert response.status_code == 400
    assert "too long" in response.get_data(as_text=True)


def test_fts_query_quotes_every_word():
    from twinkg.server.pages.search import fts_query

    assert fts_query('Wiśniewski "oppel') == '"Wiśniewski"* "oppel"*'
    assert fts_query("  ** ") is None


def test_index_lives_in_the_build_directory(curated_store):
    path = curated_store.resolve() / "search.sqlite"
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        (n,) = db.execute("SELECT COUNT(*) FROM entities").fetchone()
        (opole,) = db.execute("SELECT iri FROM names WHERE names MATCH ?", ('"oppeln"',)).fetchone()
    finally:
        db.close()
    assert n > 100
    assert opole == "https://twinkg.example.org/id/city/opole"


def test_sort_keys_fold_case_and_accents():
    from twinkg.loaders.site_index import sort_key

    names = ["Özlem", "opole", "Oberhausen", "Ärzte", "Zagreb", "apfel"]
    assert sorted(names, key=sort_key) == ["apfel", "Ärzte", "Oberhausen", "opole", "Özlem", "Zagreb"]


def test_a_store_without_the_index_says_to_reload(mini_data, tmp_path):
    from twinkg.config import load_settings
    from twinkg.loaders.pipeline import load
    from twinkg.server import create_app

    settings = load_settings(data_dir=mini_data, store=tmp_path / "store")
    load(settings)
    (settings.store.resolve() / "search.sqlite").unlink()  # a store built before the index existed
    client = create_app(settings, {"TESTING": True}).test_client()
    for path in ("/search?q=tours", "/list/city"):
        response = client.get(path, headers={"Accept": "text/plain"})
        assert response.status_code == 503
        assert "twinkg load" in response.get_data(as_text=True)
    assert client.get("/page/city/tours").status_code == 200  # pages do not need it
