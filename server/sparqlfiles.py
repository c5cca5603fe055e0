"""The server's own SPARQL, kept as .rq files in server/sparql/."""

from functools import partial

from twinkg.rqfiles import packaged_query

#: ``server_query(name)``: the text of server/sparql/<name>.rq
server_query = partial(packaged_query, "twinkg.server")
