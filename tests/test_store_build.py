"""Store builds are deterministic and atomic."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import rdflib
from pyoxigraph import RdfFormat, serialize
from rdflib.compare import isomorphic

from twinkg.loaders.pipeline import dataset_quads, load
from twinkg.loaders.validation import validate_data
from twinkg.loaders.storebuild import dataset_hash
from twinkg.ontology_files import ontology_triples
from twinkg.store import open_read_only

from helpers import ROOT, settings_for

pytestmark = pytest.mark.slow  # builds store after store, concurrently too


def graphs(quads) -> dict[str, rdflib.Graph]:
    """Quads as one rdflib graph per graph name (isomorphism is defined per graph)."""
    by_name: dict[str, list] = {}
    for q in quads:
        by_name.setdefault(str(q.graph_name), []).append(q.triple)
    return {name: rdflib.Graph().parse(data=serialize(triples, format=RdfFormat.N_TRIPLES), format="nt")
            for name, triples in by_name.items()}


def same_dataset(a, b) -> bool:
    ga, gb = graphs(a), graphs(b)
    return ga.keys() == gb.keys() and all(isomorphic(ga[k], gb[k]) for k in ga)


def test_same_input_gives_same_iris_and_isomorphic_graph(mini_data, tmp_path):
    settings = settings_for(mini_data, tmp_path / "store")
    first, second = validate_data(settings), validate_data(settings)
    assert sorted(map(str, first.built.quads)) == sorted(map(str, second.built.quads))
    once, twice = (dataset_quads(v.built.quads, v.kinds) for v in (first, second))
    assert same_dataset(once, twice)
    assert dataset_hash(once) == dataset_hash(twice)


def test_base_iri_is_configurable(mini_data, tmp_path):
    settings = settings_for(mini_data, tmp_path / "store", base_iri="https://example.net/kg")
    subjects = {q.subject.value for q in validate_data(settings).built.quads}
    assert "https://example.net/kg/id/city/tours" in subjects
    assert not any(s.startswith("https://twinkg.example.org/id/") for s in subjects)


def test_loaded_store_holds_exactly_the_built_quads(mini_data, tmp_path):
    settings = settings_for(mini_data, tmp_path / "store")
    validated, info, _ = load(settings)
    again = validate_data(settings)  # load itself keeps only their count
    built = dataset_quads(again.built.quads, again.kinds)
    stored = list(open_read_only(settings.store))
    assert validated.statements == len(built) - len(ontology_triples())
    assert len(stored) == len(set(built))
    assert same_dataset(stored, built)
    assert settings.store.resolve() == info.path


def test_killed_load_leaves_the_served_store(mini_data, tmp_path):
    """A load killed while writing the new store changes nothing that is served."""
    settings = settings_for(mini_data, tmp_path / "store")
    load(settings)
    served = settings.store.resolve()
    quads_before = set(open_read_only(settings.store))
    # A child process loads and is killed (SIGKILL) right after it starts writing.
    script = textwrap.dedent(f"""
        import os, signal
        import twinkg.loaders.storebuild as sb
        real = sb.Store
        def dying_store(path):
            store = real(path)
            os.kill(os.getpid(), signal.SIGKILL)
        sb.Store = dying_store
        from twinkg.loaders.pipeline import load
        from twinkg.config import load_settings
        load(load_settings(data_dir={str(mini_data)!r}, store={str(settings.store)!r}))
    """)
    child = subprocess.run([sys.executable, "-c", script], cwd=ROOT)
    assert child.returncode == -9
    assert settings.store.resolve() == served
    assert set(open_read_only(settings.store)) == quads_before
    leftovers = [p.name for p in (tmp_path / "store.d").iterdir() if p.name.startswith(".building-")]
    assert leftovers, "the killed build left its half-written directory"
    load(settings)  # the next load cleans it up
    assert not [p for p in (tmp_path / "store.d").iterdir() if p.name.startswith(".building-")]


def test_only_the_last_builds_are_kept(mini_data, tmp_path):
    settings = settings_for(mini_data, tmp_path / "store")
    events = mini_data / "events.yaml"
    for i in range(4):  # four different contents, so four different versions
        events.write_text(events.read_text().replace("Visit to Tours", f"Visit to Tours {i}"))
        load(settings)
    builds = [p for p in (tmp_path / "store.d").iterdir() if not p.name.startswith(".")]
    assert len(builds) == 2
    assert settings.store.resolve() in builds


def test_refuses_to_replace_a_directory_that_is_not_a_store_link(mini_data, tmp_path):
    import pytest
    from twinkg.loaders.problems import InvalidInput

    (tmp_path / "store").mkdir()
    (tmp_path / "store" / "precious.txt").write_text("keep me")
    with pytest.raises(InvalidInput, match="not a twinkg store link"):
        load(settings_for(mini_data, tmp_path / "store"))
    assert (tmp_path / "store" / "precious.txt").read_text() == "keep me"
    assert os.path.isdir(tmp_path / "store")


def test_a_store_path_that_cannot_be_created_is_a_clear_error(mini_data, tmp_path):
    import pytest
    from twinkg.errors import TwinkgError

    (tmp_path / "afile").write_text("")
    with pytest.raises(TwinkgError) as info:
        load(settings_for(mini_data, tmp_path / "afile" / "store"))
    assert info.value.message == (f"cannot write the store at {tmp_path}/afile/store.d: Not a directory; "
                                  f"the served store {tmp_path}/afile/store was not changed")


def test_a_disk_error_while_writing_leaves_the_store_and_no_build(mini_data, tmp_path, monkeypatch):
    """Disk full in the middle of the build (here: SQLite's search index): one line, nothing changed."""
    import sqlite3

    import pytest
    import twinkg.loaders.pipeline as pipeline
    from twinkg.errors import TwinkgError

    settings = settings_for(mini_data, tmp_path / "store", export_on_load=False)
    load(settings)
    served, builds = settings.store.resolve(), sorted((tmp_path / "store.d").iterdir())

    def disk_full(*args):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(pipeline, "write_search_index", disk_full)
    (mini_data / "events.yaml").write_text((mini_data / "events.yaml").read_text().replace("Visit to", "Trip to"))
    with pytest.raises(TwinkgError, match=r"^cannot write the store at .*store\.d: database or disk is full; "
                                          r"the served store .*store was not changed$"):
        load(settings)
    assert settings.store.resolve() == served
    assert sorted((tmp_path / "store.d").iterdir()) == builds


def test_the_same_content_built_twice_at_once_is_served(mini_data, tmp_path, monkeypatch):
    """Two loads of the same data in the same second: the other one renames its build (same
    version: same content) into place just before this one does; this one serves it."""
    import shutil

    from twinkg.loaders.storebuild import build_store

    validated = validate_data(settings_for(mini_data, tmp_path / "store"))
    quads = dataset_quads(validated.built.quads, validated.kinds)
    real_replace = os.replace

    def the_other_load_is_first(src, dst):
        if Path(src).name.startswith(".building-"):
            shutil.copytree(src, dst)
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", the_other_load_is_first)
    info = build_store(tmp_path / "store", quads, {})
    assert (tmp_path / "store").resolve() == info.path
    assert len(list(open_read_only(tmp_path / "store"))) == len(set(quads))
    assert not [p for p in (tmp_path / "store.d").iterdir() if p.name.startswith(".building-")]


# -- one load at a time (issue 15, point 7) -------------------------------------------------

def _load_process(data, store):
    env = {**os.environ, "TWINKG_EXPORT_ON_LOAD": "false"}
    return subprocess.Popen([sys.executable, "-m", "twinkg.cli", "load", "--data", str(data), "--store", str(store)],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_a_second_load_waits_for_the_first(mini_data, tmp_path):
    """While another load holds the store's lock, `twinkg load` says so and waits; it finishes
    once the lock is released (here the test holds it, as a running load would)."""
    import fcntl

    from twinkg.loaders.storebuild import builds_dir, lock_path

    store = tmp_path / "store"
    with open(lock_path(store), "a+") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        held.write("4242")
        held.flush()
        waiting = _load_process(mini_data, store)
        with pytest.raises(subprocess.TimeoutExpired):
            waiting.wait(timeout=8)  # validation takes ~2 s; then it waits for the lock
        assert not store.exists()
        fcntl.flock(held, fcntl.LOCK_UN)
    out, err = waiting.communicate(timeout=60)
    assert waiting.returncode == 0, err
    assert f"another load (process 4242) is writing {store}; waiting for it to finish" in err
    assert "loaded" in out and store.resolve().parent == builds_dir(store)


def test_concurrent_loads_all_succeed(mini_data, tmp_path):
    """Three `twinkg load` processes at once, a few rounds: each one succeeds, the store served
    at the end is whole, no half build is left (without the lock one load in ~17 rounds failed
    with "cannot write the store at …/store.d: No such file or directory")."""
    store = tmp_path / "store"
    for _ in range(3):
        loads = [_load_process(mini_data, store) for _ in range(3)]
        for load_ in loads:
            out, err = load_.communicate(timeout=120)
            assert load_.returncode == 0, err
        assert len(list(open_read_only(store))) > 0
        assert not [p for p in (tmp_path / "store.d").iterdir() if p.name.startswith(".building-")]
