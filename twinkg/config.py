"""All configuration in one place: defaults, environment overrides, derived values.

Every setting can be given as an environment variable ``TWINKG_<NAME>`` (for example
``TWINKG_BASE_IRI``); command-line options override both.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING

from twinkg.errors import TwinkgError
from twinkg.values import ValueProblem, check_iri

if TYPE_CHECKING:  # twinkg.kinds reads PREFIXES from here
    from twinkg.kinds import Registry

ONTOLOGY_IRI = "https://twinkg.example.org/ontology"
ONTOLOGY_NS = ONTOLOGY_IRI + "#"
SHAPES_NS = "https://twinkg.example.org/shapes#"
#: The languages of the web UI (the first is the dataset's own); lists are pre-sorted in each.
UI_LANGUAGES = ("de", "en")
#: The UI's language for readers who state none (crawlers, scripts): pages at the root
#: address, the others under ``/<lang>/``.
DEFAULT_LANGUAGE = "en"

#: Flask config key: render entity pages as of the release's date instead of today's (the
#: static site sets it: two copies of one store must be the same, whatever the day).
PAGES_AS_OF_RELEASE = "TWINKG_PAGES_AS_OF_RELEASE"

#: The prefixes every SPARQL text and every serialization of twinkg may use.
PREFIXES = {
    "tk": ONTOLOGY_NS,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "org": "http://www.w3.org/ns/org#",
    "schema": "https://schema.org/",
    "prov": "http://www.w3.org/ns/prov#",
    "geo": "http://www.w3.org/2003/01/geo/wgs84_pos#",
    "geosparql": "http://www.opengis.net/ont/geosparql#",
    "wd": "http://www.wikidata.org/entity/",
    "wdt": "http://www.wikidata.org/prop/direct/",
}


@dataclass(frozen=True)
class Settings:
    #: Dataset base IRI; entities are ``{base_iri}id/{kind}/{slug}``.
    base_iri: str = "https://twinkg.example.org/"
    #: Curated YAML input.
    data_dir: Path = Path("data")
    #: The served store: a symlink to the current build under ``<store>.d/``.
    store: Path = Path("var/store")
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 2
    #: Threads per server worker that handle requests (granian's blocking threads). Few are
    #: faster (less GIL hand-over between threads); a request waiting for its query holds one.
    worker_threads: int = 4
    #: Slow and idle clients (README, "Serving"): seconds a connection may take to send a
    #: request's headers (also how long an idle connection is kept), and connections each
    #: server worker serves at once (more wait in the listen backlog, ``listen_backlog``).
    header_timeout: float = 5.0
    max_connections: int = 10000
    listen_backlog: int = 4096
    #: Public limits of the SPARQL endpoint (README, "SPARQL endpoint"): seconds a query may
    #: run before it is stopped (503), result rows (or triples) before the answer is cut and
    #: flagged, and the largest request body accepted (413).
    query_timeout: float = 10.0
    max_rows: int = 10000
    max_body_bytes: int = 1_000_000
    #: SERVICE endpoints a query may call, separated by spaces or commas; empty = no SERVICE.
    service_allowlist: str = ""
    #: Queries that run at once per server worker; more wait for a free place (within the timeout).
    parallel_queries: int = 2
    #: Where `twinkg serve` runs users' queries, so that the timeout can stop them (README,
    #: "How the limits work"): "worker" (in the server workers; a query past the limit gets 503
    #: and granian reloads the workers; needs two or more) or "process" (in child processes of
    #: each worker, killed at the limit; each query costs a process hop). One worker, the Flask
    #: test client and `serve --debug` (nothing to replace a worker) always use "process".
    query_isolation: str = "worker"
    #: Reverse proxies in front of the server whose ``X-Forwarded-Proto`` and ``X-Forwarded-For``
    #: are believed (werkzeug's ProxyFix): 1 behind one nginx or Apache that sets them. 0 (the
    #: default) ignores them: any client could send them. HTTPS seen through them makes the
    #: language cookie ``Secure``.
    trusted_proxies: int = 0
    #: Seconds browsers and proxies may reuse an answer (the ETag changes with the dataset).
    cache_max_age: int = 60
    #: Bytes of answers kept per server worker for repeated queries (0 = no response cache).
    response_cache_bytes: int = 32_000_000
    #: A remote SPARQL 1.1 store instead of the embedded one (empty: embedded). Its query
    #: URL (Oxigraph server: http://host:7878/query); see README "Remote stores".
    endpoint: str = ""
    #: Its SPARQL Update URL (loading); empty: loading into it is refused.
    update_endpoint: str = ""
    #: Its Graph Store Protocol URL (optional: faster uploads than SPARQL Update).
    graph_store: str = ""
    #: Seconds per request to the remote store, then retries with exponential backoff.
    remote_timeout: float = 10.0
    remote_retries: int = 2
    remote_backoff: float = 0.5
    #: HTTP basic authentication for the remote store (updates usually need it).
    remote_user: str = ""
    remote_password: str = ""
    #: "basic" or "digest" (Virtuoso's /sparql-auth) for SPARQL requests; uploads by Graph
    #: Store Protocol answer the server's challenge (digest or Basic; Basic sent at once
    #: unless this is "digest").
    remote_auth: str = "basic"
    #: How a remote store gives the union of twinkg's graphs: "graphs" sends them as the
    #: protocol's default-graph-uri/named-graph-uri (any SPARQL 1.1 server, FROM still works);
    #: "server" relies on the server's own union default graph configuration (README);
    #: "union-graph": `twinkg load` writes the union as one more graph, queried as the default
    #: graph (Virtuoso: as fast as a query without a dataset; twinkg/backends/remote.py).
    remote_union: str = "graphs"
    #: Triples per upload request when loading into a remote store.
    remote_batch: int = 5000
    #: The Wikidata-compatible endpoint `twinkg enrich wikidata` asks.
    wikidata_endpoint: str = "https://query.wikidata.org/sparql"
    #: Cities per VALUES batch in enrichment queries.
    wikidata_batch: int = 50
    #: Seconds per enrichment query, retries and first backoff (doubling; a 429's Retry-After wins).
    wikidata_timeout: float = 60.0
    wikidata_retries: int = 3
    wikidata_backoff: float = 1.0
    #: Licence of the published dataset (an IRI; written to the DCAT record and CITATION.cff).
    dataset_license: str = "https://creativecommons.org/licenses/by/4.0/"
    #: Write the linked-data export into each new store build (``<store>.d/<version>/export/``).
    export_on_load: bool = True
    #: The kinds of entity of the dataset (twinkg/kinds.py); None: the curated ones. Not
    #: an environment setting: a Python caller (a test's fixture dataset) passes its own.
    kinds: Registry | None = None
    extra: dict = field(default_factory=dict)

    @property
    def allowed_services(self) -> frozenset[str]:
        return frozenset(self.service_allowlist.replace(",", " ").split())

    @property
    def graph_base(self) -> str:
        return self.base_iri + "graph/"

    def entity_iri(self, kind: str, slug: str) -> str:
        return f"{self.base_iri}id/{kind}/{slug}"

    def source_graph(self, source_id: str) -> str:
        return self.graph_base + source_id

    @property
    def meta_graph(self) -> str:
        """In a remote store: the graph holding the version and counts (meta.json's role).

        Source graphs are ``graph/<slug>`` and slugs have no ``/``: this name cannot collide."""
        return self.graph_base + "system/meta"

    @property
    def union_graph(self) -> str:
        """Where `twinkg load` writes the union of the graphs with remote_union = union-graph."""
        return self.graph_base + "system/union"

    @property
    def wikidata_graph(self) -> str:
        """The named graph of accepted Wikidata enrichment statements."""
        return self.graph_base + "enrichment/wikidata"

    @property
    def remote(self) -> bool:
        return bool(self.endpoint)


ISOLATIONS = ("worker", "process")
#: Settings that are objects, given only by Python callers: no environment variable.
OBJECT_SETTINGS = frozenset({"kinds", "extra"})
#: The settings, each read from ``TWINKG_<NAME>`` (the CLI's help names these variables).
SETTING_NAMES = frozenset(f.name for f in fields(Settings) if f.name not in OBJECT_SETTINGS)


def _coerce(value: str, current):
    if isinstance(current, bool):
        return value.lower() in {"1", "true", "yes", "on"}
    if isinstance(current, int):
        return int(value)
    if isinstance(current, float):
        return float(value)
    if isinstance(current, Path):
        return Path(value)
    return value


def load_settings(**overrides) -> Settings:
    """Defaults, then ``TWINKG_*`` environment variables, then explicit overrides (None = unset)."""
    settings = Settings()
    env = {}
    for f in fields(Settings):
        raw = os.environ.get(f"TWINKG_{f.name.upper()}")
        if raw is not None and f.name not in OBJECT_SETTINGS:
            try:
                env[f.name] = _coerce(raw, getattr(settings, f.name))
            except ValueError:
                kind = "a whole number" if isinstance(getattr(settings, f.name), int) else "a number"
                raise TwinkgError(f"TWINKG_{f.name.upper()}={raw!r}: expected {kind}") from None
    settings = replace(settings, **env)
    given = {k: _coerce(v, getattr(settings, k)) if isinstance(v, str) else v
             for k, v in overrides.items() if v is not None}
    isolation = given.get("query_isolation", settings.query_isolation)
    if isolation not in ISOLATIONS:
        raise TwinkgError(f"query_isolation={isolation!r}: expected one of {', '.join(ISOLATIONS)}")
    settings = replace(settings, **given)
    return replace(settings, base_iri=_checked_base(settings.base_iri))


def _checked_base(base: str) -> str:
    """The base IRI, ending in '/'. A '#' is refused: entity IRIs are {base}id/{kind}/{id},
    and offices and participations add their own fragment (…#office-1)."""
    where = f"base IRI {base!r} (--base-iri or TWINKG_BASE_IRI)"
    if "#" in base:
        raise TwinkgError(f"{where}: must not contain '#'; end it in '/'")
    base = base if base.endswith("/") else base + "/"
    try:
        check_iri(base + "id/x/y")
    except ValueProblem:
        raise TwinkgError(f"{where}: expected an absolute http(s) IRI such as https://example.org/") from None
    return base


def env_for(settings: Settings) -> dict[str, str]:
    """The environment that recreates ``settings`` in another process (server workers)."""
    return {
        f"TWINKG_{f.name.upper()}": str(getattr(settings, f.name))
        for f in fields(Settings)
        if f.name not in OBJECT_SETTINGS
    }


#: Seconds a new worker has to start before granian stops the old one it replaces.
RESPAWN_SECONDS = 1.0
#: Seconds beyond the query time limit an old worker may take to end before it is killed.
KILL_MARGIN_SECONDS = 2


def granian_options(settings: Settings) -> dict:
    """`twinkg serve`'s production server (granian) as ``settings`` configure it: keyword
    arguments of ``Granian``, and under ``"http1"`` those of its ``HTTP1Settings`` (plain
    values: importing granian takes ~0.2 s, which every process that reads settings would pay)."""
    return {
        "address": settings.host, "port": settings.port, "workers": settings.workers,
        "blocking_threads": settings.worker_threads,
        # Slow and idle clients: a connection that does not send its headers in time is
        # closed; granian's default (backpressure = backlog / workers) let 1,000 idle
        # connections take every place, so that new ones waited in the backlog.
        "http1": {"header_read_timeout": int(settings.header_timeout * 1000)},
        "backlog": settings.listen_backlog, "backpressure": settings.max_connections,
        # Worker isolation (server/execution/recycle.py): after a runaway query the workers are
        # reloaded; an old worker may finish its requests (at most the query time limit),
        # then it is killed. A worker that crashes is replaced too.
        "respawn_failed_workers": True, "respawn_interval": RESPAWN_SECONDS,
        "workers_kill_timeout": math.ceil(settings.query_timeout) + KILL_MARGIN_SECONDS,
        "log_access": False,
    }
