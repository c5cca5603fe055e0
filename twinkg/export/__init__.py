"""The linked-data export: dumps, VoID/DCAT description, ontology documentation, versions."""
