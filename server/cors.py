"""CORS for the public API (/sparql, /queries) and the linked data (/id, /data, /void,
/download, /ontology): any origin may read, no credentials. A linked-data client in a web page
follows IRIs to other origins, as it can with DBpedia or Trifid.

Browsers send a preflight OPTIONS before a POST with ``Content-Type: application/sparql-query``;
Flask answers OPTIONS itself, and these headers make the answer a valid preflight.
"""

from __future__ import annotations

from flask import Blueprint, Response, request

ALLOWED_METHODS = "GET, POST, OPTIONS"
READ_METHODS = "GET, HEAD, OPTIONS"
ALLOWED_HEADERS = "Accept, Content-Type, If-None-Match"
EXPOSED_HEADERS = "ETag, Link, X-Twinkg-Truncated, X-Twinkg-Rows, X-Twinkg-Version"


def _headers_adder(methods: str):
    def add_headers(response: Response) -> Response:
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.headers["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
        if request.method == "OPTIONS":
            response.headers["Access-Control-Allow-Methods"] = methods
            response.headers["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
            response.headers["Access-Control-Max-Age"] = "86400"
        return response
    return add_headers


def allow_cross_origin(bp: Blueprint, methods: str = ALLOWED_METHODS) -> None:
    bp.after_request(_headers_adder(methods))
