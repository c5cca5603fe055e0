"""`twinkg serve` holds the store read-only: a writer could open it while the server answers."""

from __future__ import annotations

import json
import urllib.parse
import urllib.request

import pytest
from pyoxigraph import Store
from sparql_helpers import COUNT_PARTNERSHIPS, count_of

from helpers import running_server, settings_for
from twinkg.loaders.pipeline import load
from twinkg.store import oxigraph_path


@pytest.mark.server
def test_served_store_is_not_locked_for_writing(mini_data, tmp_path):
    store = tmp_path / "store"
    load(settings_for(mini_data, store))
    with running_server(store) as base:
        url = f"{base}/sparql?" + urllib.parse.urlencode({"query": COUNT_PARTNERSHIPS})
        with urllib.request.urlopen(url, timeout=10) as response:
            assert count_of(response.read()) == 1  # the worker and a query process have it open
        # RocksDB lets one process at a time open a store for writing: this would fail with a
        # lock error if the server (its worker or its query processes) held it read-write.
        writer = Store(str(oxigraph_path(store)))
        assert len(writer) > 0
        del writer
        with urllib.request.urlopen(base + "/queries.json", timeout=10) as response:
            assert json.loads(response.read())
