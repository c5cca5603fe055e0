"""Accept headers that real clients send, and the issue's reproducers: shared by the rule
compiler's unit test and the static/live parity test."""

from __future__ import annotations

from rdflib.parser import Parser
from rdflib.plugin import plugins


def _rdflib_default() -> str:
    """What rdflib sends when parsing a URL without a format: every parser's media type."""
    return ", ".join(p.name for p in plugins(kind=Parser) if "/" in p.name)



#: name → Accept header (None: no header at all).
CLIENTS = {
    # browsers' navigation requests
    "chromium": "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,"
                "image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7",
    "firefox": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "firefox-old": "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8",
    "safari": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "curl": "*/*",
    "none": None,
    # rdflib Graph.parse(url) (rdflib/parser.py URLInputSource): by format, and without one
    "rdflib": _rdflib_default(),
    "rdflib-turtle": "text/turtle, application/x-turtle, */*;q=0.1",
    "rdflib-xml": "application/rdf+xml, */*;q=0.1",
    "rdflib-nt": "text/plain, */*;q=0.1",
    "rdflib-jsonld": "application/ld+json, application/json;q=0.9, */*;q=0.1",
    # SPARQLWrapper 2 for CONSTRUCT/DESCRIBE by return format (Wrapper.py _RDF_TURTLE, _RDF_N3,
    # _RDF_XML, _RDF_JSONLD, _ALL)
    "sparqlwrapper-turtle": "application/turtle,text/turtle",
    "sparqlwrapper-n3": "application/turtle,text/turtle,text/rdf+n3,application/n-triples,application/n3,text/n3",
    "sparqlwrapper-xml": "application/rdf+xml",
    "sparqlwrapper-jsonld": "application/ld+json,application/x-json+ld",
    "sparqlwrapper-all": "*/*",
    # rapper (raptor2-utils 2.0.16), as a loopback listener saw it: text/html is listed twice
    "rapper": "application/rdf+xml, text/rdf;q=0.6, application/n-triples, text/plain;q=0.1, text/turtle, "
              "application/x-turtle, application/turtle, text/n3;q=0.3, text/rdf+n3;q=0.3, "
              "application/rdf+n3;q=0.3, application/x-trig, application/rss;q=0.8, "
              "application/rss+xml;q=0.8, text/rss;q=0.8, application/xml;q=0.3, text/xml;q=0.3, "
              "application/atom+xml;q=0.3, text/html;q=0.2, application/xhtml+xml;q=0.4, "
              "text/html;q=0.6, application/xhtml+xml;q=0.8, application/json;q=0.1, text/json;q=0.1, "
              "text/x-nquads, */*;q=0.1",
    # Apache Jena riot (WebContent.defaultRDFAcceptHeader, defaultGraphAcceptHeader)
    "riot": "text/turtle,application/n-triples;q=0.9,application/rdf+xml;q=0.7,application/trig,"
            "application/n-quads;q=0.9,application/ld+json;q=0.8,*/*;q=0.5",
    "riot-graph": "text/turtle,application/n-triples;q=0.9,application/ld+json;q=0.8,"
                  "application/rdf+xml;q=0.7,*/*;q=0.3",
    # Comunica (LDF client), actor-http's default
    "comunica": "application/n-quads,application/trig;q=0.95,application/ld+json;q=0.9,"
                "application/n-triples;q=0.8,text/turtle;q=0.6,application/rdf+xml;q=0.5,"
                "application/json;q=0.45,text/n3;q=0.35,application/xml;q=0.3,image/svg+xml;q=0.3,"
                "text/xml;q=0.3,text/html;q=0.2,application/xhtml+xml;q=0.18,text/shaclc;q=0.1,"
                "text/shaclc-ext;q=0.05",
    # the Linked Data Fragments client (ldf-client's FragmentsClient DEFAULT_ACCEPT)
    "ldf-client": "application/trig;q=1.0,application/n-quads;q=0.7,text/turtle;q=0.6,"
                  "application/n-triples;q=0.3,text/n3;q=0.2",
    # Java's URLConnection default
    "java": "text/html, image/gif, image/jpeg, *; q=.2, */*; q=.2",
}

#: The issue's reproducers (q-values honoured, unacceptable types refused).
REPRODUCERS = {
    "turtle-refused": "text/turtle;q=0, text/html",
    "rdfxml-preferred": "application/rdf+xml, text/turtle;q=0.5",
    "n3": "text/n3",
    "json": "application/json",
}

ALL = {**CLIENTS, **REPRODUCERS}
