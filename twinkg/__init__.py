"""twinkg: the town-twinning knowledge graph."""


def __getattr__(name: str):
    # Resolved lazily: importlib.metadata costs ~80 ms, paid by every query child process.
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("twinkg")
        except PackageNotFoundError:  # running from a source tree without an install
            return "0.0.0"
    raise AttributeError(name)
