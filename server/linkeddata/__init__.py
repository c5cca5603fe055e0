"""The linked data: dereferenceable IRIs, data documents, the ontology, VoID/DCAT and downloads."""
