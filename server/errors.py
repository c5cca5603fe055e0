"""Errors become readable answers: an HTML page for browsers, text for everyone else."""

from __future__ import annotations

from flask import Flask, render_template, request
from werkzeug.exceptions import HTTPException

from twinkg.errors import TwinkgError


def _wants_html() -> bool:
    best = request.accept_mimetypes.best_match(["text/plain", "text/html"])
    return best == "text/html" and request.accept_mimetypes["text/html"] > request.accept_mimetypes["text/plain"]


def error_response(status: int, title: str, message: str, headers=None):
    # HTML or text is chosen by Accept: a shared cache must not hand one to the other client
    headers = {"Vary": "Accept", **(headers or {})}
    if _wants_html():
        body = render_template("error.html", status=status, title=title, message=message)
        return body, status, {"Content-Type": "text/html; charset=utf-8", **headers}
    return f"{status} {title}: {message}\n", status, {"Content-Type": "text/plain; charset=utf-8", **headers}


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(TwinkgError)
    def domain_error(exc: TwinkgError):
        from werkzeug.http import HTTP_STATUS_CODES
        return error_response(exc.status, HTTP_STATUS_CODES.get(exc.status, "Error"), exc.message)

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        # the exception's own headers stay: Allow on a 405, Content-Range on a 416, ...
        headers = {k: v for k, v in exc.get_headers() if k.lower() not in ("content-type", "content-length")}
        return error_response(exc.code or 500, exc.name, exc.description or "", headers)

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):  # never a traceback to the client
        app.logger.exception("unhandled error")
        return error_response(500, "Internal Server Error", "the server failed to answer; the error is logged")
