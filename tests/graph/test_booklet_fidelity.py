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


def test_instruments_per_printed_category(select):
    rows = select(
        f"SELECT ?category (COUNT(?i) AS ?n) WHERE {{ GRAPH <{GRAPH}> {{ ?i a mig:LegalInstrument "
        "OPTIONAL { ?i mig:instrumentCategory ?category } } } GROUP BY ?category"
    )
    counts = {row.get("category"): row["n"] for row in rows}
    assert counts == {
        "Human rights legal instruments": 10,
        "Other international conventions and frameworks": 6,
        None: 5,
    }


def test_frameworks_after_the_empty_ilo_heading_have_no_category(select):
    rows = select(
        f"SELECT ?title WHERE {{ GRAPH <{GRAPH}> {{ ?i a mig:LegalInstrument ; dcterms:title ?title "
        "FILTER NOT EXISTS { ?i mig:instrumentCategory ?c } } }"
    )
    assert sorted(row["title"] for row in rows) == sorted(UNCATEGORISED)
    assert not select("SELECT ?i WHERE { ?i mig:instrumentCategory ?c FILTER(CONTAINS(LCASE(?c), 'labour')) }")


def test_the_empty_category_and_each_uncategorised_framework_are_reported(report):
    [empty] = [w for w in report["warnings"] if w["kind"] == "empty-category"]
    assert "International labour organization conventions" in empty["message"]
    repairs = [r for r in report["repairs"] if r["kind"] == "instrument-without-category"]
    assert len(repairs) == len(UNCATEGORISED)
