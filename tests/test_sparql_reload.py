"""A load while serving: the server answers from the new build, with new ETags, without a restart."""

from __future__ import annotations

import time
from dataclasses import replace

from pathlib import Path

from sparql_helpers import COUNT_PARTNERSHIPS, count_of, direct

from twinkg.loaders.pipeline import load
from twinkg.server import create_app


DATA = Path(__file__).resolve().parent.parent / "data"


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
