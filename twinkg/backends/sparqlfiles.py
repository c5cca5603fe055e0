"""The backends' own SPARQL, kept in ``twinkg/backends/sparql/*.rq``."""

from functools import partial

from twinkg.rqfiles import packaged_query

#: ``backend_query(name)``: the text of twinkg/backends/sparql/<name>.rq
backend_query = partial(packaged_query, "twinkg.backends")
