"""The GCM booklet in the graph: counts and facts established by reading the booklet."""

from __future__ import annotations

import pytest

ID = "https://w3id.org/migkg/id/"
SDG = "http://metadata.un.org/sdg/"

# Read off the booklet: actions, example practices and printed SDG targets per objective 1–23.
ACTIONS = [11, 12, 5, 7, 10, 12, 12, 6, 6, 10, 7, 5, 8, 6, 6, 9, 7, 12, 10, 9, 9, 3, 5]
PRACTICES = [4, 3, 4, 3, 4, 3, 4, 3, 3, 3, 3, 4, 4, 3, 3, 2, 4, 2, 3, 3, 4, 3, 4]
SDG_TARGETS = [2, 0, 5, 4, 9, 8, 13, 6, 7, 6, 6, 7, 5, 8, 18, 8, 8, 8, 0, 6, 6, 6, 7]


def per_objective(select, query: str) -> list[int]:
    rows = select(query)
    counts = {row["n"]: row["c"] for row in rows}
    return [counts.get(number, 0) for number in range(1, 24)]


def test_twenty_three_objectives_numbered_in_order(select):
    rows = select(
        "SELECT ?n ?name WHERE { ?o a mig:Objective ; mig:number ?n ; skos:prefLabel ?name ; "
        "mig:objectiveOf id:gcm } ORDER BY ?n"
    )
    assert [row["n"] for row in rows] == list(range(1, 24))
    assert rows[0]["name"] == "Data"
    assert rows[3]["name"] == "Legal identity and documentation"
    assert rows[22]["name"] == "International cooperation"


def test_actions_per_objective(select):
    assert (
        per_objective(select, "SELECT ?n (COUNT(?a) AS ?c) WHERE { ?a mig:actionOf ?o . ?o mig:number ?n } GROUP BY ?n")
        == ACTIONS
    )
    assert sum(ACTIONS) == 187


def test_practices_per_objective(select):
    assert (
        per_objective(
            select,
            "SELECT ?n (COUNT(?p) AS ?c) WHERE { ?p a mig:Practice ; mig:illustrates ?o . "
            "?o a mig:Objective ; mig:number ?n } GROUP BY ?n",
        )
        == PRACTICES
    )


def test_sdg_targets_per_objective(select):
    assert (
        per_objective(
            select, "SELECT ?n (COUNT(?c0) AS ?c) WHERE { ?o mig:number ?n ; mig:hasSDGCitation ?c0 } GROUP BY ?n"
        )
        == SDG_TARGETS
    )


def test_action_letters_run_a_to_last_without_gaps(select):
    rows = select("SELECT ?n ?letter WHERE { ?a mig:actionOf ?o ; mig:letter ?letter . ?o mig:number ?n }")
    for number, count in enumerate(ACTIONS, start=1):
        letters = sorted(row["letter"] for row in rows if row["n"] == number)
        assert letters == [chr(ord("a") + i) for i in range(count)], number


def test_framework_is_the_gcm_with_its_resolution_and_dates(select):
    [row] = select(
        "SELECT * WHERE { id:gcm a mig:Framework ; mig:resolution ?res ; mig:adoptionDate ?adopted ; "
        "mig:endorsementDate ?endorsed ; mig:acronym ?acronym }"
    )
    assert row == {"res": "A/RES/73/195", "adopted": "2018-12-10", "endorsed": "2018-12-19", "acronym": "GCM"}


def test_objective_with_missing_heading_is_recovered_from_the_contents(select):
    [row] = select(
        "SELECT ?name ?commitment WHERE { id:gcm\\/objective\\/22 skos:prefLabel ?name ; mig:commitmentTitle ?commitment }"
    )
    assert row["name"] == "Social protection"
    assert row["commitment"].startswith("ESTABLISH MECHANISMS FOR THE PORTABILITY OF SOCIAL SECURITY")


def test_sdg_icon_captions_are_not_objectives(select):
    rows = select(
        "SELECT ?c WHERE { ?o a mig:Objective ; mig:commitmentTitle ?c FILTER(CONTAINS(?c, 'WELL-BEING') "
        "|| CONTAINS(?c, 'NO POVERTY') || CONTAINS(?c, 'EVACUATION')) }"
    )
    assert rows == []


def action(select, objective: int, letter: str) -> dict:
    [row] = select(
        f"SELECT * WHERE {{ <{ID}gcm/objective/{objective}/action/{letter}> mig:text ?text "
        f"OPTIONAL {{ <{ID}gcm/objective/{objective}/action/{letter}> mig:printedLetter ?printed }} "
        f"OPTIONAL {{ <{ID}gcm/objective/{objective}/action/{letter}> mig:leadPhrase ?lead }} }}"
    )
    return row


def test_capital_i_printed_for_l_is_action_l(select):
    row = action(select, 6, "l")
    assert row["printed"] == "I"
    assert row["text"].startswith(
        "Develop and improve national policies and programmes relating to international labour mobility"
    )


def test_action_printed_inside_another_is_split(select):
    h, i = action(select, 21, "h"), action(select, 21, "i")
    assert h["text"].endswith("in the country of origin upon return")
    assert i["text"].startswith("Identify and address the needs of the communities to which migrants return")


def test_wrapped_line_that_looks_like_a_bullet_continues_the_action(select):
    text = action(select, 11, "c")["text"]
    assert "to ensure due process at international borders and that all migrants are treated" in text
    assert action(select, 17, "c")["text"].endswith("in full respect for the freedom of the media")


def test_indented_and_unbulleted_actions_are_read(select):
    assert action(select, 17, "e")["text"].startswith("Provide migrants, especially migrant women")
    assert action(select, 13, "h")["text"].startswith("Protect and respect the rights and best interests of the child")
    assert action(select, 1, "k")["text"].startswith("Cooperate with relevant stakeholders in countries of origin")


def test_page_number_inside_a_sentence_is_removed(select):
    assert "migrants in countries of destination" in action(select, 18, "e")["text"]
    assert "3 per cent" in action(select, 20, "a")["text"]  # a quantity, kept


def test_bold_lead_phrase_without_opening_markup(select):
    assert (
        action(select, 5, "h")["lead"]
        == "Cooperate to identify, develop and strengthen solutions for migrants compelled to leave their countries of origin"
    )
    assert action(select, 4, "a")["lead"] == "Improve civil registry systems"
    assert action(select, 4, "a")["text"].startswith("Improve civil registry systems, with a particular focus")


def test_action_subheading_groups_the_actions_after_it(select):
    rows = select(
        "SELECT ?letter WHERE { ?a mig:partOf ?g ; mig:letter ?letter . ?g a mig:Section ; "
        "dcterms:title 'Natural disasters, the adverse effects of climate change, and environmental degradation'@en }"
    )
    assert sorted(row["letter"] for row in rows) == list("hijkl")


def test_practice_titles_without_markup_including_lower_case(select):
    rows = select(
        f"SELECT ?title WHERE {{ ?p a mig:Practice ; dcterms:title ?title ; mig:illustrates <{ID}gcm/objective/19> }}"
    )
    assert sorted(row["title"] for row in rows) == [
        "Crowdfunding platforms: Moldova",
        "Institutional mechanisms for diaspora outreach in sub-Saharan Africa",
        "iDIASPORA",
    ]


def test_two_practices_with_the_same_title_stay_apart(select):
    rows = select(
        "SELECT ?p ?n WHERE { ?p a mig:Practice ; dcterms:title 'Bilateral labour agreements'@en ; "
        "mig:illustrates ?o . ?o mig:number ?n } ORDER BY ?n"
    )
    assert [row["n"] for row in rows] == [5, 6]
    assert rows[0]["p"] != rows[1]["p"]


def test_practice_description_rejoins_page_breaks_and_keeps_bullets(select):
    [row] = select(
        "SELECT ?d WHERE { ?p dcterms:title 'International Data Alliance for Children on the Move'@en ; dcterms:description ?d }"
    )
    assert "brings together experts from national statistical offices, migration-relevant line ministries" in row["d"]
    [row] = select("SELECT ?d WHERE { ?p dcterms:title 'Reducing ethnic profiling'@en ; dcterms:description ?d }")
    assert "- Lay out clear non-discrimination values and standards;" in row["d"]


def test_footnote_is_attached_to_its_practice_not_its_text(select):
    [row] = select(
        "SELECT ?d ?note WHERE { ?p dcterms:title 'Release from immigration detention during COVID-19'@en ; "
        "dcterms:description ?d ; mig:hasFootnote ?f . ?f mig:number 3 ; mig:text ?note }"
    )
    assert row["note"].startswith("See Directive 2008/115/EC")
    assert "Directive 2008/115/EC" not in row["d"]
    assert row["d"].endswith("no reasonable prospect of return.")


def test_sdg_targets_use_the_un_iris_and_typos_are_read(select):
    rows = select(
        f"SELECT ?printed ?target WHERE {{ <{ID}gcm/objective/16> mig:hasSDGCitation ?c . "
        "?c mig:printedNotation ?printed ; mig:citesTarget ?target }"
    )
    assert {"printed": "17:18", "target": f"{SDG}17.18"} in rows
    assert {"printed": "10.7", "target": f"{SDG}10.7"} in rows


def test_all_sdgs_links_every_goal(select):
    for objective in (2, 19):
        [row] = select(
            f"SELECT (COUNT(DISTINCT ?g) AS ?c) WHERE {{ <{ID}gcm/objective/{objective}> mig:allSDGs true ; mig:relevantSDGGoal ?g }}"
        )
        assert row["c"] == 17
    rows = select(f"SELECT ?t WHERE {{ <{ID}gcm/objective/2> mig:relevantSDGTarget ?t }}")
    assert rows == [{"t": f"{SDG}17.14"}]  # named in the objective's SDG note


def test_printed_target_text_of_another_target_is_flagged_and_kept(select):
    rows = select(
        "SELECT ?c ?owner ?text WHERE { ?c mig:matchesUNText false ; mig:textBelongsTo ?owner ; mig:printedText ?text } ORDER BY ?c"
    )
    assert [(row["c"].removeprefix(ID), row["owner"]) for row in rows] == [
        ("gcm/objective/17/sdg-citation/17.7", f"{SDG}17.17"),
        ("gcm/objective/18/sdg-citation/17.7", f"{SDG}17.17"),
        ("gcm/objective/9/sdg-citation/17.16", f"{SDG}17.6"),
    ]
    assert rows[0]["text"].startswith(
        "Encourage and promote effective public, public-private and civil society partnerships"
    )


@pytest.mark.parametrize(
    "acronym, year, meaning, title",
    [
        ("UDHR", "1948", "adopted", "Universal Declaration of Human Rights"),
        (
            "ICRMW",
            "1990",
            "adopted",
            "International Convention on the Protection of the Rights of All Migrant Workers and Members of Their Families",
        ),
        ("UNFCCC", "2004", "in force", "United Nations Framework Convention on Climate Change"),
    ],
)
def test_instruments_with_year_and_acronym(select, acronym, year, meaning, title):
    [row] = select(
        f"SELECT * WHERE {{ ?i a mig:LegalInstrument ; mig:acronym '{acronym}' ; mig:year ?year ; "
        "mig:yearMeaning ?meaning ; dcterms:title ?title }"
    )
    assert (row["year"], row["meaning"], row["title"]) == (year, meaning, title)


def test_instruments_named_inline_with_entry_into_force(select):
    rows = select(
        "SELECT ?title ?year WHERE { ?i a mig:LegalInstrument ; mig:yearMeaning 'in force' ; dcterms:title ?title ; mig:year ?year }"
    )
    found = {row["title"]: row["year"] for row in rows}
    assert found["United Nations Convention against Transnational Organized Crime"] == "2003"
    assert found["Protocol against the Smuggling of Migrants by Land, Sea and Air"] == "2004"
    assert found["Slavery Convention"] == "1927"
    assert (
        found[
            "Supplementary Convention on the Abolition of Slavery, the Slave Trade, and Institutions and Practices Similar to Slavery"
        ]
        == "1957"
    )


def test_references_and_resources_are_bibliographic_resources(select):
    # 86 reference-list entries and 12 of the 19 resources-list entries; the other 7 name an
    # instrument or the GCM, and are that resource (see test_booklet_fidelity).
    [row] = select("SELECT (COUNT(?r) AS ?c) WHERE { ?r a mig:Reference ; mig:partOf id:doc\\/gcm-booklet }")
    assert row["c"] == 98
    rows = select("SELECT ?url WHERE { ?r dcterms:title 'Voluntary National Reviews'@en ; mig:url ?url }")
    assert rows == [{"url": "https://sustainabledevelopment.un.org/vnrs"}]


def test_practice_names_its_places_and_organisations(select):
    places = {
        row["label"]
        for row in select(
            "SELECT ?label WHERE { ?p dcterms:title 'Mediterranean City-to-City Migration project'@en ; mig:mentionsPlace ?pl . ?pl rdfs:label ?label }"
        )
    }
    assert {"Amman", "Beirut", "Lisbon", "Sfax", "Tunis", "Turin"} <= places
    actors = {
        row["a"].removeprefix(ID)
        for row in select(
            "SELECT ?a WHERE { ?p dcterms:title 'International Data Alliance for Children on the Move'@en ; mig:mentionsActor ?a }"
        )
    }
    assert actors == {"actor/unicef", "actor/iom", "actor/unhcr", "actor/oecd"}


def test_country_has_iso_m49_and_un_geoarea(select):
    [row] = select(
        "SELECT * WHERE { ?c a mig:Country ; mig:isoAlpha2 'MX' ; mig:isoAlpha3 ?a3 ; mig:m49 ?m49 ; skos:exactMatch ?geo }"
    )
    assert (row["a3"], row["m49"], row["geo"]) == ("MEX", "484", "http://metadata.un.org/sdg/codes/geoArea/484")
