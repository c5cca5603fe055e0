"""SPARQL texts of the loaders, kept as .rq files beside this module."""

from functools import partial

from twinkg.rqfiles import packaged_query

#: ``read_query(name)``: the text of loaders/sparql/<name>.rq
read_query = partial(packaged_query, "twinkg.loaders")
