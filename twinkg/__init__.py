"""twinkg: the town-twinning knowledge graph."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("twinkg")
except PackageNotFoundError:  # running from a source tree without an install
    __version__ = "0.0.0"
