"""The licences a dataset is commonly published under: name and what attribution they ask for.

The licence itself is a setting (``dataset_license``, an IRI); this table gives it the name
that pages, the download folder's LICENSE and the schema.org description show. An IRI the
table does not know is shown as itself, with the same attribution text (naming the
publisher and the licence is what every attribution licence asks for).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Licence:
    iri: str
    name: str
    #: does the licence ask users to name the source (all but public-domain dedications)?
    attribution: bool = True


KNOWN = {lic.iri: lic for lic in (
    Licence("https://creativecommons.org/licenses/by/4.0/", "Creative Commons Attribution 4.0 International (CC BY 4.0)"),
    Licence("https://creativecommons.org/licenses/by-sa/4.0/",
            "Creative Commons Attribution-ShareAlike 4.0 International (CC BY-SA 4.0)"),
    Licence("https://creativecommons.org/publicdomain/zero/1.0/", "CC0 1.0 Universal (Public Domain Dedication)",
            attribution=False),
    Licence("https://www.govdata.de/dl-de/by-2-0", "Datenlizenz Deutschland – Namensnennung – Version 2.0 (dl-de/by-2-0)"),
    Licence("https://www.govdata.de/dl-de/zero-2-0", "Datenlizenz Deutschland – Zero – Version 2.0 (dl-de/zero-2-0)",
            attribution=False),
    Licence("https://opendatacommons.org/licenses/odbl/1-0/", "Open Data Commons Open Database License (ODbL) 1.0"),
    Licence("https://opendatacommons.org/licenses/by/1-0/", "Open Data Commons Attribution License (ODC-By) 1.0"),
)}


def licence(iri: str) -> Licence:
    # http:// and https:// name the same Creative Commons licences
    return KNOWN.get(iri) or KNOWN.get(iri.replace("http://", "https://", 1)) or Licence(iri, iri)


def attribution(publisher: str, title: str, lic: Licence, url: str) -> str:
    """The attribution line a user of the data writes (publisher, title, where, licence)."""
    return f"{publisher}: {title}, {url}, {lic.name} ({lic.iri})"
