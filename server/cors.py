"""CORS for the public API (/sparql, /queries): any origin may read, no credentials.

Browsers send a preflight OPTIONS before a POST with ``Content-Type: application/sparql-query``;
Flask answers OPTIONS itself, and these headers make the answer a valid preflight.
"""

from __future__ import annotations

from flask import Blueprint, Response, request

ALLOWED_METHODS = "GET, POST, OPTIONS"
ALLOWED_HEADERS = "Accept, Content-Type, If-None-Match"
EXPOSED_HEADERS = "ETag, Link, X-Twinkg-Truncated, X-Twinkg-Rows"


def _add_headers(response: Response) -> Response:
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
    if request.method == "OPTIONS":
        response.headers["Access-Control-Allow-Methods"] = ALLOWED_METHODS
        response.headers["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
        response.headers["Access-Control-Max-Age"] = "86400"
    return response


def allow_cross_origin(bp: Blueprint) -> None:
    bp.after_request(_add_headers)
