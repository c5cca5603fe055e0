"""Shared fixtures: settings over temporary stores, the curated store, apps and live servers."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from helpers import (CHROMIUM, DATA, MINI, CountedStore, OxigraphServer, VirtuosoServer, backend_for,
                     running_server, settings_for)
from twinkg.cli import main
from twinkg.export.run import export_store
from twinkg.loaders.pipeline import load
from twinkg.server import create_app
from twinkg.store import open_read_only, store_meta

#: Fixtures of this file that start a real server process (``twinkg serve``, ``oxigraph
#: serve``): a test using one is marked ``server``. A test module lists its own such fixtures
#: in a ``SERVER_FIXTURES`` of its own, and marks tests that start one in their body.
SERVER_FIXTURES = {"live_server", "limited_server", "oxigraph_server", "scratch_oxigraph", "virtuoso_server",
                   "empty_virtuoso", "scratch_virtuoso", "scratch_remote"}
#: Fixtures that drive Debian's chromium: marked ``browser``.
BROWSER_FIXTURES = {"browser"}
#: Fixtures that take tens of seconds (an export of the curated store, the static site): marked
#: ``slow`` (a module may list its own in ``SLOW_FIXTURES``). Modules whose tests load or
#: export again and again are marked as a whole.
SLOW_FIXTURES = {"exported", "site"}


def pytest_collection_modifyitems(items):
    """Markers from the fixtures a test uses (pyproject.toml lists the markers; README, "Tests")."""
    for item in items:
        used = set(getattr(item, "fixturenames", ()))
        params = getattr(getattr(item, "callspec", None), "params", {})
        if used & BROWSER_FIXTURES:
            item.add_marker(pytest.mark.browser)
        if used & (SLOW_FIXTURES | getattr(item.module, "SLOW_FIXTURES", set())):
            item.add_marker(pytest.mark.slow)
        starting = SERVER_FIXTURES | getattr(item.module, "SERVER_FIXTURES", set())
        if used & starting or params.get("backend_settings") == "remote":
            item.add_marker(pytest.mark.server)


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium driven by Playwright; one per test process, never a downloaded browser."""
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is missing: run `make system-packages`")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        # Without the background-networking flags chromium keeps calling Google's hosts.
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        yield browser
        browser.close()


@pytest.fixture
def mini_data(tmp_path) -> Path:
    """A writable copy of the tiny fixture dataset."""
    target = tmp_path / "data"
    shutil.copytree(MINI, target)
    return target


@pytest.fixture(scope="session")
def curated_store(tmp_path_factory) -> Path:
    """The curated Mülheim data loaded once into a store for the whole session."""
    store = tmp_path_factory.mktemp("curated") / "store"
    load(settings_for(DATA, store))
    return store


@pytest.fixture(scope="session")
def curated_settings(curated_store):
    return settings_for(DATA, curated_store)


@pytest.fixture(scope="session")
def app(backend_settings):
    """The app over either backend: every test using ``app`` or ``client`` runs on both."""
    return create_app(backend_settings, {"TESTING": True})


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def store_queries(app, monkeypatch) -> list[str]:
    """The texts of the queries the app sends to its store during the test (either backend)."""
    build = app.extensions["twinkg"]._current()
    build.vocabulary, build.build_dir  # per-build reads, done once: not part of any page's cost
    counted = CountedStore(build.store)
    monkeypatch.setitem(build.__dict__, "store", counted)
    return counted.queries


@pytest.fixture(scope="session")
def live_server(backend_settings):
    """``twinkg serve`` with the default settings over either backend (embedded or remote)."""
    with running_server(backend_settings.store, endpoint=backend_settings.endpoint,
                        remote_union=backend_settings.remote_union) as base:
        yield base


@pytest.fixture(scope="session")
def limited_server(curated_store):
    """``twinkg serve`` with tight public limits: a 1 s query timeout and 5 result rows."""
    with running_server(curated_store, query_timeout=1.0, max_rows=5) as base:
        yield base


# -- remote stores: a real `oxigraph serve` (PyPI package `oxigraph`) on loopback ----------


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory):
    """A remote store holding the curated data, loaded through `twinkg load --endpoint`."""
    with OxigraphServer(tmp_path_factory.mktemp("oxigraph")) as server:
        load(server.settings())
        yield server


@pytest.fixture
def scratch_oxigraph(tmp_path):
    """An empty remote store of its own, for tests that change what it holds."""
    with OxigraphServer(tmp_path / "oxigraph") as server:
        yield server


# -- remote stores: Debian's Virtuoso (virtuoso-opensource 7.2) on loopback ------------------

@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory):
    """Virtuoso holding the curated data, loaded by `twinkg load` as the README says."""
    with VirtuosoServer(tmp_path_factory.mktemp("virtuoso")) as server:
        load(server.settings())
        yield server


@pytest.fixture(scope="session")
def empty_virtuoso(tmp_path_factory):
    """A second Virtuoso for tests that change what it holds (one process per test worker)."""
    with VirtuosoServer(tmp_path_factory.mktemp("virtuoso-scratch")) as server:
        yield server


@pytest.fixture
def scratch_virtuoso(empty_virtuoso):
    """The scratch Virtuoso, emptied of all but its own graphs before the test."""
    empty_virtuoso.clear()
    return empty_virtuoso


@pytest.fixture(params=["oxigraph", "virtuoso"])
def scratch_remote(request):
    """An empty remote store of either kind: `oxigraph serve` of its own, or the scratch Virtuoso."""
    return request.getfixturevalue(f"scratch_{request.param}")


@pytest.fixture(scope="session", params=["embedded", "remote"])
def backend_settings(request, curated_settings):
    """The curated data behind either backend: every test using it runs on both (the remote
    backend's own suites, test_remote_*.py, add Virtuoso as a third)."""
    return backend_for(request, request.param)


@pytest.fixture(scope="session")
def curated_oxigraph(curated_store):
    """A read-only handle on the curated store."""
    return open_read_only(curated_store)


@pytest.fixture(scope="session")
def exported(curated_store, curated_settings, curated_oxigraph, tmp_path_factory):
    """`twinkg export` of the curated store (the Python entry point the CLI calls)."""
    out = tmp_path_factory.mktemp("export") / "out"
    return export_store(curated_oxigraph, store_meta(curated_store), curated_settings, out)


@pytest.fixture(scope="session")
def site(curated_settings, tmp_path_factory):
    """`twinkg export --site` of the curated store (the static site and its server configurations)."""
    out = tmp_path_factory.mktemp("site") / "site"
    result = CliRunner().invoke(main, ["export", "--site", str(out), "--store", str(curated_settings.store),
                                       "--data", str(curated_settings.data_dir)])
    assert result.exit_code == 0, result.output
    return out
