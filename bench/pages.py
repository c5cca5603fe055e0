"""Entity pages at scale: the page and data-document queries as they are and as they were.

server/sparql/page.rq (an entity's page) and describe.rq (its data document) read the labels
of the IRIs an entity links to. They used to join those labels directly (and derive the
entity of a linking #fragment with a BIND), which made Oxigraph read every label in the
store first: seconds per page at a million statements. They now read them in OPTIONAL
groups, looked up per linked IRI. bench/former/ keeps the former queries as the reference.

For a hub city (Mülheim), a curated partner city, a synthetic city and a partnership, on an
existing store (e.g. bench/synthetic.py's), prints the median time of each query, former
and now, their ratio, and checks that both give the same statements.

    .venv/bin/python bench/pages.py --store var/bench-1m
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

from pyoxigraph import NamedNode, Store, Variable
from search import median_ms

from twinkg.config import ONTOLOGY_NS, PREFIXES, load_settings
from twinkg.server.sparqlfiles import server_query

HERE = Path(__file__).resolve().parent
RDF_TYPE = NamedNode(PREFIXES["rdf"] + "type")


def first_of(store: Store, cls: str, prefix: str) -> list[str]:
    """The first entity of class ``cls`` whose IRI starts with ``prefix`` (none: empty)."""
    for quad in store.quads_for_pattern(None, RDF_TYPE, NamedNode(ONTOLOGY_NS + cls)):
        if quad.subject.value.startswith(prefix):
            return [quad.subject.value]
    return []


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, default=HERE.parent / "var" / "bench-1m",
                        help="a twinkg store (default: var/bench-1m from bench/synthetic.py)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per query; the median is shown")
    args = parser.parse_args()
    build = Path(os.path.realpath(args.store))
    store = Store.read_only(str(build / "oxigraph"))
    base = json.loads((build / "meta.json").read_text()).get("base_iri", load_settings().base_iri)
    entities = [base + "id/city/muelheim", base + "id/city/tours"]
    entities += first_of(store, "City", base + "id/city/synthetic-")
    entities += first_of(store, "Partnership", base + "id/partnership/")
    print(f"store: {build} ({json.loads((build / 'meta.json').read_text()).get('quads', '?')} quads)\n")
    print("| entity | query | statements | former ms | now ms | former / now |")
    print("|---|---|---|---|---|---|")
    for iri in entities:
        for name in ("page", "describe"):
            former, now = (HERE / "former" / f"{name}.rq").read_text(encoding="utf-8"), server_query(name)
            bound = {Variable("e"): NamedNode(iri)}

            def run(text: str) -> set:
                return set(store.query(text, use_default_graph_as_union=True, substitutions=bound))

            same = run(former) == run(now)
            ms_former = median_ms(lambda: run(former), args.repeat)
            ms_now = median_ms(lambda: run(now), args.repeat)
            print(f"| {iri[len(base):]} | {name}.rq | {len(run(now))}{'' if same else ' (DIFFERENT)'} | "
                  f"{ms_former:.1f} | {ms_now:.1f} | {ms_former / ms_now:.0f}× |")


if __name__ == "__main__":
    main()
