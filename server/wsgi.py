"""Entry point for production servers: settings come from TWINKG_* environment variables."""

from twinkg.config import load_settings
from twinkg.server import create_app
from twinkg.server.caching import code_fingerprint
from twinkg.server.execution.recycle import (
    close_while_draining,
    drain_window,
    supervisor,
)


def preload() -> None:
    """What the app's workers need, before granian forks (not the store: it is opened after
    the fork). Importing this module imported the app's code."""
    code_fingerprint()  # hashed once, shared by the workers


def app_from_environment():
    settings, pid = load_settings(), supervisor()
    app = create_app(settings, supervisor=pid)
    if pid is None:
        return app
    # Under `twinkg serve`: no keep-alive request is lost while the workers are replaced
    return close_while_draining(app, drain_window(settings.query_timeout))
