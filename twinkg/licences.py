"""The licences a dataset is commonly published under, declared once: the name pages and the
download folder's LICENSE show, the SPDX id CITATION.cff uses, the ADMS licence types the
DCAT-AP record gives, and whether the licence asks users to name the source.

The licence itself is a setting (``dataset_license``, an IRI). An IRI this table does not
know is still published, by its IRI alone (shown as itself; CITATION.cff: ``license-url``;
DCAT-AP: no licence type), with the same attribution text: naming the publisher and the
licence is what every attribution licence asks for.
"""

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
    iri: str
    name: str
    #: a short title (the DCAT-AP record's dct:title of the licence)
    title: str = ""
    #: the SPDX identifier, where CFF 1.2.0's list of licences has it (its schema refuses
    #: others, e.g. DL-DE-BY-2.0, which SPDX added later)
    cff: str | None = None
    #: ADMS licence types
    types: tuple[str, ...] = ()

    @property
    def attribution(self) -> bool:
        """Does the licence ask users to name the source (all but public-domain dedications)?"""
        return "PublicDomain" not in self.types


KNOWN = {lic.iri: lic for lic in (
    Licence("https://creativecommons.org/licenses/by/4.0/",
            "Creative Commons Attribution 4.0 International (CC BY 4.0)", "CC BY 4.0", "CC-BY-4.0",
            ("Attribution",)),
    Licence("https://creativecommons.org/licenses/by-sa/4.0/",
            "Creative Commons Attribution-ShareAlike 4.0 International (CC BY-SA 4.0)", "CC BY-SA 4.0",
            "CC-BY-SA-4.0", ("Attribution", "ShareAlike")),
    Licence("https://creativecommons.org/publicdomain/zero/1.0/", "CC0 1.0 Universal (Public Domain Dedication)",
            "CC0 1.0", "CC0-1.0", ("PublicDomain",)),
    Licence("https://www.govdata.de/dl-de/by-2-0",
            "Datenlizenz Deutschland – Namensnennung – Version 2.0 (dl-de/by-2-0)",
            "Datenlizenz Deutschland – Namensnennung – Version 2.0", None, ("Attribution",)),
    Licence("https://www.govdata.de/dl-de/zero-2-0", "Datenlizenz Deutschland – Zero – Version 2.0 (dl-de/zero-2-0)",
            "Datenlizenz Deutschland – Zero – Version 2.0", None, ("PublicDomain",)),
    Licence("http://opendatacommons.org/licenses/odbl/1-0/", "Open Data Commons Open Database License (ODbL) 1.0",
            "ODbL 1.0", "ODbL-1.0", ("Attribution", "ShareAlike")),
    Licence("http://opendatacommons.org/licenses/by/1-0/", "Open Data Commons Attribution License (ODC-By) 1.0",
            "ODC-By 1.0", "ODC-By-1.0", ("Attribution",)),
)}


def known_licence(iri: str) -> Licence | None:
    # http:// and https:// name the same licence (both are in use for CC and ODC)
    for variant in (iri, iri.replace("https://", "http://", 1), iri.replace("http://", "https://", 1)):
        if variant in KNOWN:
            return KNOWN[variant]
    return None


def licence(iri: str) -> Licence:
    """The licence ``iri`` names; one this table does not know is shown as its IRI."""
    return known_licence(iri) or Licence(iri, iri)


def attribution(publisher: str, title: str, lic: Licence, url: str) -> str:
    """The attribution line a user of the data writes (publisher, title, where, licence)."""
    return f"{publisher}: {title}, {url}, {lic.name} ({lic.iri})"
