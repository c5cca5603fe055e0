"""An RDF term as a table cell: its text, a link for IRIs, and its language or datatype."""

from __future__ import annotations

from pyoxigraph import BlankNode, Literal, NamedNode

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def term_view(term, base_iri: str = "") -> dict:
    """``base_iri``: the dataset's IRIs link to this server (``/id/…``), wherever it runs."""
    if term is None:
        return {"text": ""}
    if isinstance(term, NamedNode):
        local = base_iri and term.value.startswith(base_iri)
        return {"text": term.value, "href": "/" + term.value[len(base_iri):] if local else term.value}
    if isinstance(term, BlankNode):
        return {"text": f"_:{term.value}"}
    if isinstance(term, Literal):
        datatype = term.datatype.value if term.datatype and term.datatype.value != XSD_STRING else None
        return {"text": term.value, "lang": term.language,
                "datatype": None if term.language else datatype}
    return {"text": str(term)}
