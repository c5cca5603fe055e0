"""YAML → RDF → SHACL-validated, atomically swapped Oxigraph store."""
