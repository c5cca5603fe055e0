"""Licences the dataset may be published under (the setting ``dataset_license``): what the
citation and the DCAT-AP record say about each. A licence IRI not listed here is still
published, by its IRI alone (CITATION.cff: ``license-url``; DCAT: no licence type)."""

from __future__ import annotations

from dataclasses import dataclass

#: ADMS licence types (http://purl.org/adms/licencetype/1.0): code → English label.
ADMS_LICENCE_TYPES = {
    "Attribution": "Attribution",
    "PublicDomain": "Public domain",
    "ShareAlike": "Share-alike",
}


@dataclass(frozen=True)
class Licence:
    title: str
    #: the SPDX identifier, where CFF 1.2.0's list of licences has it (its schema refuses
    #: others, e.g. DL-DE-BY-2.0, which SPDX added later)
    cff: str | None
    #: ADMS licence types
    types: tuple[str, ...]


LICENCES = {
    "https://creativecommons.org/licenses/by/4.0/": Licence("CC BY 4.0", "CC-BY-4.0", ("Attribution",)),
    "https://creativecommons.org/licenses/by-sa/4.0/": Licence("CC BY-SA 4.0", "CC-BY-SA-4.0",
                                                               ("Attribution", "ShareAlike")),
    "https://creativecommons.org/publicdomain/zero/1.0/": Licence("CC0 1.0", "CC0-1.0", ("PublicDomain",)),
    "http://opendatacommons.org/licenses/odbl/1-0/": Licence("ODbL 1.0", "ODbL-1.0", ("Attribution", "ShareAlike")),
    "https://www.govdata.de/dl-de/by-2-0": Licence("Datenlizenz Deutschland – Namensnennung – Version 2.0", None,
                                                   ("Attribution",)),
    "https://www.govdata.de/dl-de/zero-2-0": Licence("Datenlizenz Deutschland – Zero – Version 2.0", None,
                                                     ("PublicDomain",)),
}
