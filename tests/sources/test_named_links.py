"""Every actor, stakeholder group, UN body and framework the texts name is linked from the resource
whose text names it, to one resource.

Facts read off the texts:
- the recommendations table's partnerships: row 1 engages "civil society, the private sector,
  local city governments and communities, migrants, diaspora groups", and its recommendation says
  "cities and local governments need to be empowered"; row 2 names "Municipalities, social service
  providers"; row 3 "Relevant ministries at the national level, municipalities, cities, civil
  society, IOs", and its means "regular consultations with local authorities" and "cities, local
  governments and municipalities". Row 2's "provide migrants access to education" names the
  people, not a stakeholder.
- UN bodies: the GFMD paper's footnote 29 cites "United Nations, General Assembly, Report of the
  Special Representative of the Secretary General on Migration"; the booklet's resources list
  "UNSDG Guidance Note on Human Rights for Resident Coordinators and UN Country Teams" and the "New
  York Declaration on Refugees and Migrants and United Nations Summit for Refugees and Migrants
  2016"; the New Urban Agenda was "Adopted at the United Nations Conference on Housing and
  Sustainable Urban Development"; the toolbox's sources name the "Third International Conference
  on Financing for Development", the "Third UN World Conference in Sendai" and the "21st Conference
  of the Parties of the United Nations Framework Convention on Climate Change".
- Frameworks: objective 10's action a promotes "the Protocol to Prevent, Suppress and Punish
  Trafficking in Persons Especially Women and Children"; objective 9's action a prints "United
  Nations Convention against Transnational Organised Crime (UNTOC)"; the UNFCCC entry names "the
  Kyoto Protocol and the Paris Agreement"; the desertification convention "stemmed from ... the Rio
  Conference's Agenda 21"; the toolbox asks for compliance with "the Convention relating to the
  Status of Refugees (Refugee Convention)"; the GFMD paper names "the New York Declaration for
  Refugees and Migrants", "the Brussels Pact" and "Copenhagen's 'Diversity Charter'"; the table
  names "The Urban Migration Governance Framework, developed by IOM based on the Migration
  Governance Framework"; objective 15's action e "the WHO Framework of Priorities and Guiding
  Principles to Promote the Health of Refugees and Migrants"; objective 2's action a "the Paris
  Agreement⁴", a footnote marker after the name.
- Offices: the toolbox's "IOM Greece has implemented several awareness raising campaigns", "IOM
  Rome" and "IOM Indonesia's activities" (under the heading "Indonesia."), the booklet's "(UNICEF
  Mexico, 2015)".
"""

import re
from collections import Counter

import pytest
from conftest import DOCUMENTS, REGISTRY, parse_all
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS

from migkg import resources
from migkg.graph.core.frameworks import load_framework_names
from migkg.graph.core.namespaces import ID, MIG, OA
from migkg.graph.core.provenance import extracted_spans
from migkg.graph.core.report import BuildReport
from migkg.graph.stages import crosslinks, link

SPELLINGS = load_framework_names(resources.reference_dir())


@pytest.fixture(scope="module")
def linked():
    """The documents' graphs with the link stage's and the crosslinks' output, and the texts."""
    union, texts = parse_all()
    mentions = link.link_mentions(union, texts, REGISTRY, BuildReport())
    frameworks = crosslinks.link_documents(union + mentions, list(DOCUMENTS.values()), SPELLINGS, BuildReport())
    return union, union + mentions + frameworks, texts


def innermost(graph: Graph, texts: dict[URIRef, str], phrase: str) -> URIRef:
    """The resource whose own text (a provenance quote) holds ``phrase``, wrapped or not, and is
    the shortest: an example rather than its element."""
    pattern = re.compile(r"\s+".join(map(re.escape, phrase.split())))
    holding = sorted(
        (span.end - span.start, str(span.resource))
        for span in extracted_spans(graph)
        if pattern.search(texts[span.document], span.start, span.end)
    )
    assert holding, phrase
    return URIRef(holding[0][1])


def titled(graph: Graph, title: str) -> URIRef:
    [resource] = {s for s in graph.subjects(DCTERMS.title, None) if str(graph.value(s, DCTERMS.title)) == title}
    return resource


def named(graph: Graph, resource: URIRef, predicate: URIRef) -> set[str]:
    return {str(o).removeprefix(str(ID)) for o in graph.objects(resource, predicate)}


def mention_quotes(graph: Graph, resource: URIRef, body: URIRef) -> list[str]:
    quotes = []
    for annotation in graph.subjects(OA.hasBody, body):
        if str(annotation).startswith(f"{resource}#mention"):
            target = graph.value(annotation, OA.hasTarget)
            quotes += [str(q) for s in graph.objects(target, OA.hasSelector) for q in graph.objects(s, OA.exact)]
    return quotes


# ---- the recommendations table's actors and groups ------------------------------------------------


def test_row_1_links_every_partner_it_engages(linked):
    _, graph, _ = linked
    actors = named(graph, ID["nua-table/row/1"], MIG.mentionsActor)
    assert actors >= {
        "actor/civil-society",
        "actor/private-sector",
        "actor/local-governments",  # 'local city governments', and 'cities and local governments'
        "actor/communities",
        "actor/migrants",
        "actor/diaspora",  # 'diaspora groups'
        "actor/cities",
        "actor/iom",
    }
    quotes = mention_quotes(graph, ID["nua-table/row/1"], ID["actor/local-governments"])
    assert "local city governments" in quotes and "local governments" in quotes


def test_rows_2_and_3_link_their_partners(linked):
    _, graph, _ = linked
    assert named(graph, ID["nua-table/row/2"], MIG.mentionsActor) >= {
        "actor/municipalities",
        "actor/social-service-providers",
    }
    assert named(graph, ID["nua-table/row/3"], MIG.mentionsActor) >= {
        "actor/national-ministries",
        "actor/municipalities",
        "actor/cities",
        "actor/civil-society",
        "actor/international-organizations",
        "actor/local-authorities",
        "actor/local-governments",
        "actor/mayoral-forum",
        "actor/iom",
    }


def test_a_common_word_is_a_group_only_in_a_list_of_actors(linked):
    """'migrants', 'cities', 'communities' name the group only as items of a list of actors."""
    _, graph, texts = linked
    assert "actor/migrants" not in named(graph, ID["nua-table/row/2"], MIG.mentionsActor)
    health = innermost(graph, texts, "physical and mental health of migrants and communities overall")
    assert not named(graph, health, MIG.mentionsActor) & {"actor/migrants", "actor/communities"}
    dialogue = innermost(graph, texts, "municipalities and migrants' associations will create awareness")
    actors = named(graph, dialogue, MIG.mentionsActor)
    assert "actor/migrant-associations" in actors and "actor/migrants" not in actors
    for group in ("migrants", "cities", "communities"):
        assert graph.value(ID[f"actor/{group}"], RDF.type) == MIG.PopulationGroup


# ---- the UN migration system's bodies --------------------------------------------------------------


def test_un_bodies_are_linked_from_the_resources_that_name_them(linked):
    union, graph, texts = linked
    note_29 = ID["gfmd-2017/footnote/29"]
    assert named(graph, note_29, MIG.mentionsActor) >= {"actor/srsg-migration", "actor/un-general-assembly"}
    guidance = innermost(graph, texts, "UNSDG Guidance Note on Human Rights for Resident Coordinators")
    assert named(graph, guidance, MIG.mentionsActor) >= {
        "actor/unsdg",
        "actor/resident-coordinators",
        "actor/un-country-teams",
    }
    summit = innermost(graph, texts, "New York Declaration on Refugees and Migrants and United Nations Summit")
    assert "actor/un-summit-refugees-migrants" in named(graph, summit, MIG.mentionsActor)
    assert "actor/habitat-iii" in named(graph, titled(union, "New Urban Agenda"), MIG.mentionsActor)
    assert "actor/ffd3" in named(graph, ID["migof/source/10"], MIG.mentionsActor)
    assert "actor/wcdrr3" in named(graph, ID["migof/source/11"], MIG.mentionsActor)
    assert "actor/unfccc-cop" in named(graph, ID["migof/source/12"], MIG.mentionsActor)
    assert graph.value(ID["actor/srsg-migration"], RDF.type) == MIG.UNEntity
    assert graph.value(ID["actor/un-summit-refugees-migrants"], RDF.type) == MIG.ForumOrProcess


# ---- frameworks -----------------------------------------------------------------------------------


def test_each_framework_is_linked_from_the_resources_that_name_it(linked):
    union, graph, _ = linked
    assert "instrument/trafficking-in-persons-protocol" in named(
        graph, ID["gcm/objective/10/action/a"], MIG.mentionsFramework
    )
    untoc = titled(union, "United Nations Convention against Transnational Organized Crime")
    assert "United Nations Convention against Transnational Organised Crime" in mention_quotes(
        graph, ID["gcm/objective/9/action/a"], untoc
    )
    unfccc = next(s for s in union.subjects(MIG.acronym, None) if str(union.value(s, MIG.acronym)) == "UNFCCC")
    kyoto_and_paris = {graph.value(f, RDFS.label).value for f in graph.objects(unfccc, MIG.mentionsFramework)}
    assert {"Kyoto Protocol", "Paris Agreement"} <= kyoto_and_paris
    paris = next(f for f in graph.subjects(RDFS.label, None) if str(graph.value(f, RDFS.label)) == "Paris Agreement")
    assert "Paris Agreement" in mention_quotes(graph, ID["gcm/objective/2/action/a"], paris)  # 'Paris Agreement⁴'
    desertification = titled(union, "United Nations Convention to Combat Desertification")
    assert "instrument/agenda-21" in named(graph, desertification, MIG.mentionsFramework)
    assert "instrument/refugee-convention" in named(graph, ID["migof/element/1/state-level/1"], MIG.mentionsFramework)
    assert "framework/urban-migration-governance-framework" in named(
        graph, ID["nua-table/row/1"], MIG.mentionsFramework
    )
    assert {"instrument/new-york-declaration"} <= named(graph, ID["gfmd-2017/section/IV"], MIG.mentionsFramework)
    opportunity = named(graph, ID["gfmd-2017/opportunity/6"], MIG.mentionsFramework)
    assert {"framework/brussels-pact", "framework/copenhagen-diversity-charter"} <= opportunity
    health = ID["gcm/objective/15/action/e"]
    assert "instrument/who-framework-health-refugees-migrants" in named(graph, health, MIG.mentionsFramework)
    assert "actor/who" in named(graph, health, MIG.mentionsActor)  # the owner's name before the title


def test_a_framework_is_one_resource_whatever_names_it(linked):
    """Each registry framework the texts name exists once, typed and labelled, with its mentions as
    evidence; none is a second resource for a framework a parser describes."""
    union, graph, _ = linked
    described = {s for t in (MIG.Framework, MIG.LegalInstrument) for s in union.subjects(RDF.type, t)}
    own = {str(o) for s in described for p in (RDFS.label, DCTERMS.title, MIG.acronym) for o in union.objects(s, p)}
    minted = [f for f in SPELLINGS.registry if (f.iri, RDF.type, f.rdf_type) in graph]
    assert len(minted) >= 25
    for framework in minted:
        assert not own & set(framework.names), framework.label
        assert str(graph.value(framework.iri, RDFS.label)) == framework.label
        assert (None, OA.hasBody, framework.iri) in graph
    labels = Counter(
        str(graph.value(s, RDFS.label))
        for t in (MIG.Framework, MIG.LegalInstrument)
        for s in set(graph.subjects(RDF.type, t))
    )
    assert [label for label, count in labels.items() if count > 1] == []
    refugee = ID["instrument/refugee-convention"]
    assert graph.value(refugee, RDF.type) == MIG.LegalInstrument
    assert "Refugee Convention" in {str(o) for o in graph.objects(refugee, None)}  # the name the text uses


# ---- an organisation's country office --------------------------------------------------------------


def test_an_office_name_links_the_organisation_not_the_place(linked):
    _, graph, texts = linked
    greece = innermost(graph, texts, "IOM Greece has implemented several awareness raising campaigns")
    assert "actor/iom" in named(graph, greece, MIG.mentionsActor)
    rome = innermost(graph, texts, "activities of IOM Rome")
    assert "actor/iom" in named(graph, rome, MIG.mentionsActor)
    assert "place/city/rome" not in named(graph, rome, MIG.mentionsPlace)
    indonesia = innermost(graph, texts, "Many of IOM Indonesia")
    assert "place/country/ID" in named(graph, indonesia, MIG.mentionsPlace)  # its heading names the country
    office = re.compile(r"\b(?:IOM|UNICEF|UNDP|GFMD)[^\S\n]+$")
    for annotation in graph.subjects(OA.hasBody, None):
        body = graph.value(annotation, OA.hasBody)
        if not str(body).startswith(str(ID["place/"])) or "#mention" not in str(annotation):
            continue
        target = graph.value(annotation, OA.hasTarget)
        for selector in graph.objects(target, OA.hasSelector):
            start = graph.value(selector, OA.start)
            if start is not None:
                text = texts[graph.value(target, OA.hasSource)]
                assert not office.search(text[max(0, int(start) - 10) : int(start)]), text[
                    int(start) - 10 : int(start) + 20
                ]
