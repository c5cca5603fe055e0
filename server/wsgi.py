"""Entry point for production servers: settings come from TWINKG_* environment variables."""

from twinkg.config import load_settings

from . import create_app


def app_from_environment():
    return create_app(load_settings(), supervised=True)
