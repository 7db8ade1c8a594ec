"""The GCM booklet's facts as the text gives them: reference titles and containers, footnotes
without markup and with whole web addresses, instrument categories and IRIs.

Every expected value here was read off graph/sources/gcm-implementation-booklet-2022.txt."""

from __future__ import annotations

import json

import pytest

ID = "https://w3id.org/migkg/id/"
GRAPH = "https://w3id.org/migkg/graph/gcm-booklet"

# Each entry of the booklet's reference list: (IRI under id/reference/, title, container or None).
# The title is the italic part where the entry opens with it, else the entry's first sentence;
# the container is the journal, series, outlet or book that the entry sets in italics after
# its title. A container printed in roman (the "IZA Journal of Labor Policy" of Clemens 2015,
# "CrowdFund Insider" of Hurst 2020) is not marked as one, and is not asserted.
REFERENCES = [
    ("african-union-commission-n-d", "Good practices platform on cross-border cooperation in Africa", None),
    (
        "bmfsfj-federal-ministry-for-family-affairs-2017",
        "Minimum Standards for the Protection of Refugees and Migrants in Refugee Accommodation Centers",
        None,
    ),
    (
        "branska-j-2016",
        "Understanding the potential impact of skills recognition systems on labour markets: Research report",
        None,
    ),
    (
        "chauvin-p-isabelle-parizot-and-nathalie-2009",
        "European Observatory Report: Access to health care for undocumented migrants in 11 European countries",
        None,
    ),
    (
        "children-on-the-move-initiative-for-2020",
        "Implementing the Global Compact: Examples of child-focused work",
        None,
    ),
    ("cirasino-m-2014", "Remittance Cost Reduction: Intervention, monitoring and impacts [slide presentation]", None),
    (
        "city-of-new-york-2020",
        "Mayor de Blasio announces New York City COVID-19 immigrant emergency relief program with Open Society Foundations",
        None,
    ),
    ("city-of-sao-paulo-n-d", "Coordenação de políticas para imigrantes e promoção do trabalho decente", None),
    ("clemens-m-a-2015", "Global Skill Partnerships: a proposal for technical training in a mobile world", None),
    (
        "clemens-m-and-k-gough-2018",
        "A tool to implement the Global Compact for Migration: Ten key steps for building global skill partnerships",
        None,
    ),
    (
        "coalition-to-abolish-slavery-and-trafficking-2019",
        "New law gives human trafficking survivors access to income loss for commercial exploitation",
        None,
    ),
    (
        "columbia-school-of-international-and-public-n-d",
        "Developing a crowdfunding platform for diaspora investment in Moldova's development",
        None,
    ),
    (
        "fragile-states-unit-osfu-n-d",
        "The Role of the Diaspora in National Building: Lessons for Fragile and Post-Conflict Countries in Africa",
        None,
    ),
    (
        "government-of-california-2020",
        "Governor Newsom announces new initiative to support California workers impacted by COVID-19",
        None,
    ),
    (
        "government-of-mexico-secretaria-de-relaciones-2018",
        "The Foreign Ministry presents the Consular Assistance Protocol for Mexican victims of human trafficking",
        None,
    ),
    ("government-of-peru-n-d", "Ministry of Development and Social Inclusion", None),
    (
        "government-of-thailand-2019",
        "The Signing Ceremony of the Memorandum of Understanding on the Determination of Measures and Approaches Alternative to Detention of Children in Immigration Detention Centers",
        None,
    ),
    ("government-of-the-netherlands-n-d", "Refugees and migration", None),
    ("government-of-zambia-2020", "The Secretary General's bi-annual report on the GCM implementation", None),
    ("hagen-zanker-j-2018", "Four steps to ensure the mobility of social security for migrants", None),
    ("holzmann-r-2018", "The portability of social benefits across borders", None),
    (
        "hurst-s-2020",
        "Online Money Transfer Service Remitly Joins Forces With Alipay to Offer International Remittances",
        None,
    ),
    ("inclusiv-n-d-a", "Northwest Area Immigrant Asset-Building Initiative", None),
    ("inclusiv-n-d-b", "Financial Inclusion for Immigrant Consumers: Seattle Roundtable Blog", None),
    ("international-centre-for-migration-policy-development-n-d", "Our work: Migration dialogues", None),
    (
        "international-committee-of-the-red-cross-2020",
        "Clarifying the fate and whereabouts of missing migrants: Exchanging information along migratory routes",
        None,
    ),
    (
        "international-detention-coalition-2015",
        "There are alternatives: A handbook for preventing unnecessary immigration detention",
        None,
    ),
    (
        "international-labour-organization-ilo-2012",
        "Good practices and lessons learned on the elimination of the worst forms of child labour in Namibia",
        None,
    ),
    (
        "international-labour-organization-ilo-2018",
        "Good practices and provisions in multilateral and bilateral labour agreements and memoranda of understanding",
        None,
    ),
    ("international-labour-organization-ilo-2019", "Mutual recognition of skills in ASEAN", None),
    (
        "international-labour-organization-ilo-2020",
        "ILO launches sixth Global Media Competition on Labour Migration and Fair Recruitment",
        None,
    ),
    (
        "international-organization-for-migration-iom-2018",
        "Innovative solutions to enhancing pathways for regular migration",
        None,
    ),
    (
        "international-organization-for-migration-iom-2019",
        "United Nations launches multi-partner trust fund office to support cooperation on safe, orderly and regular migration",
        None,
    ),
    (
        "international-organization-for-migration-iom-2019-2",
        "Thailand celebrates international migrants day through Global Migration Film Festival",
        None,
    ),
    ("international-organization-for-migration-iom-2019-3", "iDIASPORA website", None),
    (
        "international-organization-for-migration-iom-and-2015",
        "White paper: Mainstreaming migration into local development and beyond",
        None,
    ),
    (
        "international-organization-for-migration-iom-n-d",
        "International Recruitment Integrity System (IRIS): Ethical Recruitment",
        None,
    ),
    (
        "jacome-evelyn-2019",
        "En Quito se analiza el fenómeno de la discriminación, el racismo y la xenofobia",
        "El Comercio",
    ),
    (
        "kim-soo-a-2019",
        "Policies, tools and mechanisms to build a human rights city: The experience of Gwangju",
        "Monografias",
    ),
    ("kunze-j-n-d", "How technology is reimagining remittances", "Industry Dive"),
    (
        "mediterranean-missing-project-2016",
        "Missing Migrants: Management of Dead Bodies in Sicily",
        "Italy Country Report",
    ),
    (
        "migrant-rights-centre-ireland-2020",
        "Rights of undocumented workers to access social welfare supports during COVID-19",
        None,
    ),
    ("national-immigration-law-center-nilc-2015", "Basic Facts about the Matrícula Consular", None),
    (
        "office-for-victims-of-crime-training-n-d",
        "Trauma-Informed Victim Interviewing",
        "Human Trafficking Task Force e-Guide",
    ),
    (
        "office-of-the-high-commissioner-for-2018",
        "Protecting the human rights of migrants in the context of return: Informal summary",
        None,
    ),
    (
        "office-of-the-high-commissioner-for-n-d-a",
        "Principles and Guidelines, supported by practical guidance, on the human rights protection of migrants in vulnerable situations",
        None,
    ),
    (
        "office-of-the-high-commissioner-for-n-d-b",
        "Storytelling on migration – an animated video series calling to stand up for the human rights of all migrants",
        None,
    ),
    (
        "office-of-the-undersecretary-for-migrant-2013",
        "Frequently asked questions (FAQs) on assistance to nationals (ATN) matters",
        None,
    ),
    (
        "open-society-foundations-2012",
        "Reducing Ethnic Profiling in the European Union: A Handbook of Good Practices",
        None,
    ),
    ("organisation-for-economic-co-operation-and-n-d", "About Champion Mayors", None),
    (
        "platform-for-international-cooperation-on-undocumented-2016",
        "The sexual and reproductive health rights of undocumented migrants: Narrowing the gap between their rights and the reality in the EU",
        None,
    ),
    (
        "platform-for-international-cooperation-on-undocumented-2017",
        "Cities of rights: Ensuring health care for undocumented residents",
        None,
    ),
    (
        "platform-for-international-cooperation-on-undocumented-2020a",
        "A Worker is a Worker: How to ensure that undocumented migrant workers can access justice",
        None,
    ),
    (
        "platform-for-international-cooperation-on-undocumented-2020b",
        "A step forward towards ending immigration detention in Spain",
        None,
    ),
    ("red-cross-european-union-office-2020", "Enhancing capacities to respond to human trafficking", None),
    ("regional-conference-on-migration-rcm-2018", "Counter-Smuggling Work Plan 2019–2025", None),
    (
        "robins-simon-2019",
        "Analysis of best practices on the identification of missing migrants: Implications for the Central Mediterranean",
        "Central Mediterranean Route Thematic Report Series 2",
    ),
    ("rocamora-joyce-ann-l-2019", "DFA launches Facebook page to help distressed OFWs", "Philippine News Agency"),
    (
        "schachter-jason-2019",
        "Building migration data capacity: Examples of good practices for the African Region",
        "Central Mediterranean Route Thematic Report Series 3",
    ),
    (
        "siddiqui-dr-tasneem-mohammad-towheedul-islam-2015",
        "National strategy on the management of disaster and climate induced internal displacement (NSMDCIID)",
        None,
    ),
    (
        "smith-a-c-et-al-2018",
        "The Role of Cities in Integration of Migrants: Facilitating Access to HealthCare for All",
        "Global Cities and Integration: A Challenge for The Future",
    ),
    (
        "united-cities-and-local-governments-uclg-2019",
        "Jember Regency to host Indonesia's 6th Human Rights Festival",
        None,
    ),
    (
        "united-cities-and-local-governments-uclg-2020",
        "From large movement to the global compacts: Cities as first responders",
        None,
    ),
    (
        "united-cities-and-local-governments-uclg-2020-2",
        "Challenges and responses to COVID-19: A local perspective from the cities of Sfax and Douala",
        None,
    ),
    (
        "united-nations-children-s-fund-unicef-2013",
        "A passport to protection: A guide to birth registration programming",
        None,
    ),
    (
        "united-nations-children-s-fund-unicef-2014",
        "Safe & Sound: What States can do to ensure respect for the best interests of unaccompanied and separated children in Europe",
        None,
    ),
    (
        "united-nations-children-s-fund-unicef-2015",
        "Consular protection protocol for migrant children and adolescents",
        None,
    ),
    (
        "united-nations-children-s-fund-unicef-2017",
        "Beyond Borders: How to make the global compacts on migration and refugees work for uprooted children",
        None,
    ),
    ("united-nations-children-s-fund-unicef-2018", "Children uprooted: What local governments can do", None),
    (
        "united-nations-children-s-fund-unicef-2018-2",
        "Education for Refugee and Asylum-Seeking Children: Access and Equality in England, Scotland and Wales",
        None,
    ),
    (
        "united-nations-children-s-fund-unicef-2019",
        "Action for refugee children",
        "Good practices that bring the Global refugee Compact to life",
    ),
    ("united-nations-children-s-fund-unicef-2019-2", "Honduras Country Office Annual Report 2019", None),
    (
        "united-nations-children-s-fund-unicef-2020a",
        "Lack of quality data compounds risks facing millions of refugee and migrant children",
        None,
    ),
    (
        "united-nations-children-s-fund-unicef-2020b",
        "Taking and Inspiring Action: UNICEF Practices for Children on the Move during COVID-19",
        None,
    ),
    (
        "united-nations-children-s-fund-unicef-2020c",
        "Social protection for children and families in the context of migration and displacement during COIVID-19",
        None,
    ),
    ("united-nations-development-programme-undp-moldova-n-d", "Migration and local development (phase 1)", None),
    (
        "united-nations-development-programme-undp-n-d",
        "Start-up Fund for Safe, Orderly and Regular Migration",
        "Multi-partner Trust Fund Office Gateway",
    ),
    ("united-nations-high-commissioner-for-refugees-2013", "Birth registration", None),
    (
        "united-nations-high-commissioner-for-refugees-2016",
        "UNHCR, UNICEF launch Blue Dot hubs to boost protection for children and families on the move across Europe",
        None,
    ),
    (
        "united-nations-high-commissioner-for-refugees-2018",
        "Regional Refugee and Migrant Response Plan for Refugees and Migrants from Venezuela (January – December 2019)",
        None,
    ),
    ("united-nations-network-on-migration-2021", "Alternatives to detention", None),
    (
        "united-nations-office-on-drugs-and-2015",
        "Combating violence against migrants: Criminal justice measures to prevent, investigate, prosecute and punish violence against migrants, migrant workers and their families and to protect victims",
        None,
    ),
    (
        "united-nations-office-on-drugs-and-2018",
        "Ibero-American network of public prosecutors agrees to develop joint investigation teams",
        None,
    ),
    (
        "united-nations-office-on-drugs-and-n-d",
        "Global Action against Trafficking in Persons and the Smuggling of Migrants - Asia and the Middle East Website overview",
        None,
    ),
    ("united-nations-statistical-commission-unsc-2019", "Towards a global programme for migration data", None),
    (
        "united-nations-women-un-women-2021",
        "Leaving no one behind: Access to social protection for all migrant women",
        None,
    ),
]


@pytest.fixture(scope="module")
def report(build_dir):
    return json.loads((build_dir / "build-report.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def references(select):
    rows = select(
        f"SELECT ?r ?title ?container WHERE {{ GRAPH <{GRAPH}> {{ ?r a mig:Reference ; dcterms:creator ?c ; "
        "dcterms:title ?title OPTIONAL { ?r mig:containerTitle ?container } } }"
    )
    found: dict[str, list[tuple[str, str | None]]] = {}
    for row in rows:
        found.setdefault(row["r"].removeprefix(ID + "reference/"), []).append((row["title"], row.get("container")))
    return found


def test_every_entry_of_the_reference_list_is_read(references):
    assert sorted(references) == sorted(iri for iri, _, _ in REFERENCES)
    assert len(REFERENCES) == 86


@pytest.mark.parametrize(("iri", "title", "container"), REFERENCES, ids=[iri for iri, _, _ in REFERENCES])
def test_reference_title_and_container(references, iri, title, container):
    assert references[iri] == [(title, container)]


def test_an_italic_outlet_is_the_container_not_the_title(references):
    assert references["jacome-evelyn-2019"] == [
        ("En Quito se analiza el fenómeno de la discriminación, el racismo y la xenofobia", "El Comercio")
    ]
    assert references["robins-simon-2019"][0][1] == "Central Mediterranean Route Thematic Report Series 2"


def test_italics_inside_the_first_sentence_belong_to_the_title(references):
    [(title, container)] = references["government-of-thailand-2019"]
    assert title.startswith("The Signing Ceremony of the Memorandum of Understanding")
    assert container is None


def test_each_title_repair_is_reported(report):
    repairs = [r for r in report["repairs"] if r["kind"] == "reference-italic-not-title"]
    assert len(repairs) == sum(1 for _, _, container in REFERENCES if container) + 1  # + Thailand


def test_container_title_is_defined_in_the_ontology(select):
    [row] = select(
        "SELECT ?label ?definition WHERE { GRAPH <https://w3id.org/migkg/graph/ontology> { "
        "mig:containerTitle a owl:DatatypeProperty ; rdfs:label ?label ; skos:definition ?definition } }"
    )
    assert row["label"] == "container title"


# ---- footnotes and web addresses -------------------------------------------------------------

EPRS = "www.europarl.europa.eu/RegData/etudes/STUD/2020/642840/EPRS_STU(2020)642840_EN.pdf"


def test_footnote_text_has_no_markdown_and_its_address_is_whole(select):
    [row] = select(f"SELECT ?text WHERE {{ <{ID}gcm/footnote/3> mig:text ?text }}")
    assert row["text"].endswith(f"art. 15(4). Available at {EPRS}.")
    assert not any(mark in row["text"] for mark in ("[", "](", "\\", "<"))
    urls = select(f"SELECT ?url WHERE {{ <{ID}gcm/footnote/3> mig:url ?url }}")
    assert [r["url"] for r in urls] == [f"http://{EPRS}"]


def test_no_web_address_in_the_booklet_is_cut(select):
    rows = select(f"SELECT ?r ?url WHERE {{ GRAPH <{GRAPH}> {{ ?r mig:url ?url }} }}")
    for row in rows:
        url = row["url"]
        assert url.count("(") == url.count(")"), row
        assert not url.endswith((".", "\\", "<", ">")), row
        assert " " not in url and "\\" not in url and "](" not in url, row


@pytest.mark.parametrize(
    ("iri", "url"),
    [
        ("international-labour-organization-ilo-2019", "/documents/project/wcms_707535.pdf"),
        ("schachter-jason-2019", "https://publications.iom.int/system/files/pdf/capacity_building.pdf"),
        ("united-nations-development-programme-undp-moldova-n-d", "/en/home/projects/MIDL_Project.html"),
        ("united-nations-office-on-drugs-and-2015", "/documents/justice-and-prison-reform/UNODC_Combating"),
    ],
)
def test_a_web_address_cut_by_a_page_break_is_rejoined(select, iri, url):
    [row] = select(f"SELECT ?url WHERE {{ <{ID}reference/{iri}> mig:url ?url }}")
    assert url in row["url"]


# ---- instrument categories -------------------------------------------------------------------

# The categories the text prints, and the frameworks under each (read off the booklet's
# "International frameworks" pages). The heading "INTERNATIONAL LABOUR ORGANIZATION CONVENTIONS ON
# PROMOTING DECENT WORK AND LABOUR MIGRATION" is followed by blank lines: the conventions it
# announces are not in the text, and the five frameworks after it are not ILO conventions.
UNCATEGORISED = [
    "2030 Agenda for Sustainable Development",
    "Addis Ababa Action Agenda",
    "New York Declaration for Refugees and Migrants and the Global Compact for Safe, Orderly and Regular "
    "Migration and the Global Compact for Refugees",
    "Sendai Framework for Disaster Risk Reduction (2015–2030)",
    "New Urban Agenda",
]
# The two frameworks that only the resources list ("OTHER RELEVANT RESOURCES") names; its heading
# is a kind of resource, not an instrument category.
LISTED_ONLY = {"paris-agreement": "Paris Agreement", "global-compact-on-refugees": "Global Compact on Refugees"}


def test_instruments_per_printed_category(select):
    rows = select(
        f"SELECT ?category (COUNT(?i) AS ?n) WHERE {{ GRAPH <{GRAPH}> {{ ?i a mig:LegalInstrument "
        "OPTIONAL { ?i mig:instrumentCategory ?category } } } GROUP BY ?category"
    )
    counts = {row.get("category"): row["n"] for row in rows}
    assert counts == {
        "Human rights legal instruments": 10,
        "Other international conventions and frameworks": 6,
        None: 5 + len(LISTED_ONLY),
    }


def test_frameworks_after_the_empty_ilo_heading_have_no_category(select):
    rows = select(
        f"SELECT ?title WHERE {{ GRAPH <{GRAPH}> {{ ?i a mig:LegalInstrument ; dcterms:title ?title "
        "FILTER NOT EXISTS { ?i mig:instrumentCategory ?c } } }"
    )
    assert sorted(row["title"] for row in rows) == sorted(UNCATEGORISED + list(LISTED_ONLY.values()))
    assert not select("SELECT ?i WHERE { ?i mig:instrumentCategory ?c FILTER(CONTAINS(LCASE(?c), 'labour')) }")


def test_the_empty_category_and_each_uncategorised_framework_are_reported(report):
    [empty] = [w for w in report["warnings"] if w["kind"] == "empty-category"]
    assert "International labour organization conventions" in empty["message"]
    repairs = [r for r in report["repairs"] if r["kind"] == "instrument-without-category"]
    assert len(repairs) == len(UNCATEGORISED)


# Entries of the resources list that name an instrument of the instruments list, or the GCM: the
# entry's IRI of earlier releases, and the one resource it is (read off the booklet's last pages).
LISTED_INSTRUMENTS = {
    "addis-ababa-action-agenda": (
        "instrument/addis-ababa-action-agenda",
        "www.un.org/esa/ffd/wp-content/uploads/2015/08/AAAA_Outcome.pdf",
    ),
    "international-convention-on-the-protection-of-the-rights-of-all": (
        "instrument/icrmw",
        "www.ohchr.org/EN/ProfessionalInterest/Pages/CMW.aspx",
    ),
    "new-urban-agenda": ("instrument/new-urban-agenda", "http://habitat3.org/the-new-urban-agenda"),
    "sendai-framework-for-disaster-risk-reduction": (
        "instrument/sendai-framework-for-disaster-risk-reduction-2015-2030",
        "www.unisdr.org/we/coordinate/sendai-framework",
    ),
    "global-compact-for-safe-orderly-and-regular-migration-gcm": (
        "gcm",
        "https://refugeesmigrants.un.org/sites/default/files/180713_agreed_outcome_global_compact_for_migration.pdf",
    ),
    "paris-agreement": (
        "instrument/paris-agreement",
        "https://unfccc.int/process-and-meetings/the-paris-agreement/the-paris-agreement",
    ),
    "global-compact-on-refugees": ("instrument/global-compact-on-refugees", "www.unhcr.org/gcr/GCR_English.pdf"),
}


@pytest.mark.parametrize("earlier, expected", LISTED_INSTRUMENTS.items())
def test_a_listed_resource_that_names_an_instrument_is_that_instrument(select, earlier, expected):
    current, url = expected
    [row] = select(f"SELECT ?current WHERE {{ <{ID}gcm/resource/{earlier}> owl:sameAs ?current }}")
    assert row["current"] == ID + current
    assert not select(f"SELECT ?p WHERE {{ <{ID}gcm/resource/{earlier}> ?p ?o FILTER(?p != owl:sameAs) }}")
    assert url in {r["url"] for r in select(f"SELECT ?url WHERE {{ <{ID}{current}> mig:url ?url }}")}
    [listed] = select(
        f"SELECT ?quote WHERE {{ <{ID}{current}#provenance-listed> oa:hasTarget/oa:hasSelector/oa:exact ?quote }}"
    )
    assert url in listed["quote"].replace("<", "").replace(">", "")


def test_the_sendai_framework_is_one_resource_with_both_its_printed_names(select):
    rows = select(
        "SELECT DISTINCT ?f WHERE { ?f a mig:LegalInstrument ; rdfs:label|skos:altLabel ?name "
        "FILTER(STRSTARTS(STR(?name), 'Sendai Framework')) }"
    )
    assert rows == [{"f": ID + "instrument/sendai-framework-for-disaster-risk-reduction-2015-2030"}]
    names = {r["n"] for r in select(f"SELECT ?n WHERE {{ <{rows[0]['f']}> rdfs:label|skos:altLabel ?n }}")}
    assert {
        "Sendai Framework for Disaster Risk Reduction (2015–2030)",
        "Sendai Framework for Disaster Risk Reduction",
    } <= names


def test_an_entry_naming_two_things_stays_a_resource_of_its_own(select):
    """'New York Declaration on Refugees and Migrants and United Nations Summit for Refugees and
    Migrants 2016' lists the declaration and the summit's pages: a resource, under its whole name."""
    whole = "gcm/resource/new-york-declaration-on-refugees-and-migrants-and-united-nations-summit-for-refugees-and-migrants-2016"
    assert select(f"SELECT ?t WHERE {{ <{ID}{whole}> a mig:Reference ; dcterms:title ?t }}")
    [row] = select(
        f"SELECT ?c WHERE {{ <{ID}gcm/resource/new-york-declaration-on-refugees-and-migrants-and-united-nations> owl:sameAs ?c }}"
    )
    assert row["c"] == ID + whole


def test_instrument_iris_are_whole_names_or_acronyms(select):
    """No instrument IRI stops mid-title: each ends in its title's last word or is its acronym."""
    rows = select(
        f"SELECT ?i ?title ?acronym WHERE {{ GRAPH <{GRAPH}> {{ ?i a mig:LegalInstrument ; dcterms:title ?title "
        "OPTIONAL { ?i mig:acronym ?acronym } } }"
    )
    assert len(rows) == 21 + len(LISTED_ONLY)
    for row in rows:
        local = row["i"].removeprefix(ID + "instrument/")
        if "acronym" in row:
            assert local == row["acronym"].lower(), row
        else:
            last_word = row["title"].replace("–", " ").rstrip(")").split()[-1].lower()
            assert local.endswith(last_word), row
    declaration = "new-york-declaration-for-refugees-and-migrants-and-the-global-compact-for-safe-orderly-and-regular-migration-and-the-global-compact-for-refugees"
    [row] = select(
        f"SELECT ?c WHERE {{ <{ID}instrument/new-york-declaration-for-refugees-and-migrants-and> owl:sameAs ?c }}"
    )
    assert row["c"] == ID + "instrument/" + declaration


def test_practice_iris_keep_their_whole_title_and_their_earlier_iri(select):
    """'Counter-Smuggling Work Plan 2019–2025' ran its years together; the Central Mediterranean
    practice of objective 9 was cut after twelve words."""
    for earlier, current in (
        ("counter-smuggling-work-plan-20192025", "counter-smuggling-work-plan-2019-2025"),
        (
            "minimum-standards-for-the-protection-of-refugees-and-migrants-living-in-refugee",
            "minimum-standards-for-the-protection-of-refugees-and-migrants-living-in-refugee-centres",
        ),
    ):
        [row] = select(f"SELECT ?c WHERE {{ <{ID}practice/{earlier}> owl:sameAs ?c }}")
        assert row["c"] == f"{ID}practice/{current}"
        assert select(f"SELECT ?t WHERE {{ <{ID}practice/{current}> a mig:Practice ; dcterms:title ?t }}")


def test_each_earlier_iri_is_reported(report, select):
    repairs = [r for r in report["repairs"] if r["kind"] == "iri-whole-name"]
    [row] = select("SELECT (COUNT(?e) AS ?n) WHERE { ?e owl:sameAs ?c }")
    assert len(repairs) == row["n"] == 20


def test_a_reference_citation_is_plain_text_with_its_whole_address(select):
    rows = select("SELECT ?c WHERE { ?r a mig:Reference ; dcterms:bibliographicCitation ?c }")
    assert len(rows) == 86
    assert not [r["c"] for r in rows if any(mark in r["c"] for mark in ("<", ">", "](", "*", "\\"))]
    unsc = "https://unstats.un.org/unsd/statcom/50th-session/side-events/20190304-1M-high-level-panel-migration"
    assert any(r["c"].endswith(f"Available at {unsc}.") for r in rows)
