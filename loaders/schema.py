"""The curated YAML schema, as the loaders name it: declared in the registry of kinds
(twinkg/kinds.py, documented in data/README.md), re-exported here."""

from twinkg.kinds import (  # noqa: F401
    ALT_NAMES, CONCEPT, CURATED, DATE, DECIMAL, INFERRED, INT, IRI, LANG, QID, RECORD, RECORDS, REF,
    REFS, SCHEMES, SLUG, STRING, TEXT, Field, Kind, Registry, f,
)
