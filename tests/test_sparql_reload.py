"""A load while serving: the server answers from the new build, with new ETags, without a restart."""

from __future__ import annotations

import time
from dataclasses import replace

from pathlib import Path

import pytest

from sparql_helpers import COUNT_PARTNERSHIPS, count_of, direct

from twinkg.loaders.pipeline import load
from twinkg.server import create_app


DATA = Path(__file__).resolve().parent.parent / "data"


@pytest.mark.slow
def test_a_new_load_is_served_without_restart(mini_data, tmp_path, curated_settings):
    settings = replace(curated_settings, data_dir=mini_data, store=tmp_path / "store")
    load(settings)
    client = create_app(settings, {"TESTING": True}).test_client()
    first = client.get("/sparql", query_string={"query": COUNT_PARTNERSHIPS})
    assert count_of(first.data) == 1
    load(replace(settings, data_dir=DATA))  # the curated data: more partnerships
    expected = int(next(direct(settings.store, COUNT_PARTNERSHIPS))["n"].value)
    assert expected > 1
    deadline = time.monotonic() + 10
    while True:  # each process looks at the store link at most once a second
        again = client.get("/sparql", query_string={"query": COUNT_PARTNERSHIPS},
                           headers={"If-None-Match": first.headers["ETag"]})
        if again.status_code == 200 or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert again.status_code == 200
    assert count_of(again.data) == expected
    assert again.headers["ETag"] != first.headers["ETag"]


@pytest.mark.server
def test_each_answer_names_the_build_it_came_from(mini_data, tmp_path, curated_settings):
    """Workers pick up a new build independently (each within a second), so for a moment answers
    alternate between versions; each names its own in ``X-Twinkg-Version``, the one its body was
    computed from (issue 15, point 7). Two workers, requests running through a swap."""
    import threading
    import urllib.parse
    import urllib.request

    from helpers import running_server

    settings = replace(curated_settings, data_dir=mini_data, store=tmp_path / "store", export_on_load=False)
    _, before, _ = load(settings)
    counts = {before.version: 1}
    seen: list[tuple[str, int]] = []
    stop = threading.Event()
    with running_server(settings.store, workers=2) as base:
        url = f"{base}/sparql?query={urllib.parse.quote(COUNT_PARTNERSHIPS)}&format=json"

        def ask():
            while not stop.is_set():
                # a new connection each time: either worker may answer
                with urllib.request.urlopen(urllib.request.Request(url, headers={"Connection": "close"}),
                                            timeout=30) as response:
                    seen.append((response.headers["X-Twinkg-Version"], count_of(response.read())))

        askers = [threading.Thread(target=ask) for _ in range(3)]
        for t in askers:
            t.start()
        try:
            time.sleep(0.5)
            _, after, _ = load(replace(settings, data_dir=DATA))
            counts[after.version] = int(next(direct(settings.store, COUNT_PARTNERSHIPS))["n"].value)
            time.sleep(2.5)  # past every worker's next look at the store link
        finally:
            stop.set()
            for t in askers:
                t.join()
    assert counts[after.version] > 1
    assert {version for version, _ in seen} == set(counts)  # both builds answered
    assert all(count == counts[version] for version, count in seen), "an answer named another build"
