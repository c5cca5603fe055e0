"""The Flask app factory: one blueprint per concern, the store opened once per process."""

from __future__ import annotations

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from twinkg.config import Settings, load_settings
from twinkg.server.apphooks import install_app_hooks
from twinkg.server.caching import install_response_cache
from twinkg.server.dataset import Dataset
from twinkg.server.endpoint import canned_api, truncation
from twinkg.server.endpoint import routes as endpoint_routes
from twinkg.server.endpoint.fastpath import install_fast_path
from twinkg.server.errors import register_error_handlers
from twinkg.server.execution.recycle import Recycler
from twinkg.server.linkeddata import deref, publication
from twinkg.server.pages import addresses, sitemap
from twinkg.server.pages import routes as pages_routes
from twinkg.server.pages.addresses import Addresses
from twinkg.server.security import SecurityHeaders


def create_app(settings: Settings | None = None, test_config: dict | None = None,
               supervisor: int | None = None) -> Flask:
    """The app; ``supervisor``: the PID of `twinkg serve`'s granian main process when this is
    one of its workers. Granian can then replace the workers, so users' queries may run in
    the worker itself (``query_isolation``) when another worker answers meanwhile."""
    app = Flask(__name__)
    app.config.from_mapping(JSON_AS_ASCII=False)
    # Werkzeug would answer /a//b with an absolute redirect built from the Host header;
    # server/pages/addresses.py merges slashes itself, with a relative Location.
    app.url_map.merge_slashes = False
    if test_config:
        app.config.update(test_config)
    settings = settings or load_settings()
    app.config["MAX_CONTENT_LENGTH"] = settings.max_body_bytes
    recycler = None
    if supervisor and settings.query_isolation == "worker" and settings.workers >= 2 and not settings.remote:
        recycler = Recycler(supervisor)
    app.extensions["twinkg"] = Dataset(settings, recycler)

    app.register_blueprint(endpoint_routes.bp)
    app.register_blueprint(pages_routes.bp)
    install_app_hooks(app)  # template helpers and language headers on every answer
    app.register_blueprint(canned_api.bp)
    app.register_blueprint(deref.bp)
    app.register_blueprint(sitemap.bp)  # /robots.txt, /sitemap.xml, /favicon.ico
    app.register_blueprint(truncation.bp)  # /sparql/truncated, which cut answers link to
    app.register_blueprint(publication.bp)  # /void, /download, /ontology
    register_error_handlers(app)
    app.register_blueprint(addresses.bp)
    install_fast_path(app)  # inside the response cache: repeats never reach it
    install_response_cache(app)
    app.wsgi_app = Addresses(app.wsgi_app)  # /de/… and trailing slashes before anything
    app.wsgi_app = SecurityHeaders(app.wsgi_app)  # on every answer, the redirects above included
    if settings.trusted_proxies:
        # X-Forwarded-Proto (HTTPS: the language cookie is Secure) and -For from that many
        # proxies; never X-Forwarded-Host: addresses are not built from what a client sends.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=settings.trusted_proxies,
                                x_proto=settings.trusted_proxies, x_host=0, x_port=0, x_prefix=0)
    return app
