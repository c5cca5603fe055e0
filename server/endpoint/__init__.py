"""The SPARQL 1.1 endpoint: /sparql, its protocol, answer formats and limits, the canned-query API."""
