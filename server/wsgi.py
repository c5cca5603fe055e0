"""Entry point for production servers: settings come from TWINKG_* environment variables."""

from twinkg.config import load_settings

from . import create_app
from .recycle import supervisor


def preload() -> None:
    """Import what the app's workers need (not the store: it is opened after the fork)."""
    from . import deref, pages, publication, queries_api, sparql  # noqa: F401
    from .caching import code_fingerprint
    code_fingerprint()  # hashed once, shared by the workers


def app_from_environment():
    return create_app(load_settings(), supervisor=supervisor())
