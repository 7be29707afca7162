"""The project's controlled vocabularies, each defined once.

The checker, the JSON Schema, the docs, the audit and the site's legend and colours all read from
here (encoded from `shared/evidence-scale.md`). Nothing else in the package spells these values.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    """One value of a controlled vocabulary, with its plain-words meaning."""

    value: str
    label: str
    description: str


@dataclass(frozen=True)
class EvidenceLevel:
    """A step of the ES scale: evidence strength for a claim about humans."""

    value: str
    rank: int
    name: str
    description: str
    maps_to: str
    colour: str


# The colours: each at least 3:1 against the page's backgrounds (WCAG 2.1, 1.4.11, for marks
# and swatches) and at least 12 CIEDE2000 units from every other, NO_LEVEL_COLOUR included, in
# normal vision and in simulated deuteranopia, protanopia and tritanopia (tests/test_palette.py).
EVIDENCE_LEVELS: tuple[EvidenceLevel, ...] = (
    EvidenceLevel(
        "ES-5",
        5,
        "established",
        "Two or more consistent RCTs or a systematic review at GRADE high/moderate; or a "
        "regulatory or historical fact confirmed in a primary document (a label, an approval, "
        "a textbook pharmacology fact).",
        "GRADE high/moderate; OCEBM 2011 level 1; schema.org EvidenceLevelA",
        "#006947",
    ),
    EvidenceLevel(
        "ES-4",
        4,
        "supported",
        "Human RCTs agree on the direction, but certainty is low (small, short, hard to blind).",
        "OCEBM level 1-2; EvidenceLevelA/B",
        "#34969c",
    ),
    EvidenceLevel(
        "ES-3",
        3,
        "preliminary or mixed",
        "Pilot, open-label or crossover trials; imaging or biomarker stand-ins; "
        "RCTs that disagree.",
        "GRADE low/very low; OCEBM 2-4; EvidenceLevelB/C",
        "#978e68",
    ),
    EvidenceLevel(
        "ES-2",
        2,
        "preclinical only",
        "Animal or in-vitro results, not tested in humans.",
        "OCEBM level 5 (mechanism); ECO:0000269 experimental evidence",
        "#c06205",
    ),
    EvidenceLevel(
        "ES-1",
        1,
        "speculative",
        "Extrapolation, expert opinion or narrative with no direct test.",
        "OCEBM level 5; EvidenceLevelC; ECO:0000305 / ECO:0000303",
        "#a50005",
    ),
    EvidenceLevel(
        "ES-0",
        0,
        "none found",
        "Nothing found that tests the claim.",
        "",
        "#5a001b",
    ),
)
LEVEL_BY_VALUE: dict[str, EvidenceLevel] = {lv.value: lv for lv in EVIDENCE_LEVELS}
# Colour for claims that take no level (rhetoric) and for non-claim nodes on the site.
NO_LEVEL_COLOUR = "#707070"

# The level for "nothing found that tests the claim": it takes no direction.
NO_EVIDENCE_LEVEL = "ES-0"
# A level above this one needs at least one reference.
MAX_LEVEL_WITHOUT_REFERENCE = 1
# A flat (unhedged) quote for a claim at or below this rank is an overclaim.
OVERCLAIM_MAX_RANK = 3
# An echo is a claim asserted by two or more articles at or below this rank.
ECHO_MAX_RANK = 2

DIRECTIONS: tuple[Term, ...] = (
    Term("supports", "supports", "The evidence as a whole supports the claim as stated."),
    Term("mixed", "mixed", "Studies disagree, or support only part of the claim."),
    Term("contradicts", "contradicts", "The evidence as a whole goes against the claim."),
    Term(
        "untested",
        "untested",
        "No reference tests the claim: every one cited is background (neutral), or none is.",
    ),
)
UNTESTED = "untested"

# Direction of a single reference's finding also allows "neutral" (bears on the claim, no verdict).
REFERENCE_DIRECTIONS: tuple[Term, ...] = (
    Term("supports", "supports", "This study's finding supports the claim."),
    Term("contradicts", "contradicts", "This study's finding goes against the claim."),
    Term("mixed", "mixed", "Partly for, partly against."),
    Term("neutral", "neutral", "Context or background: bears on the claim without a verdict."),
)

SOURCE_KINDS: tuple[Term, ...] = (
    Term("regulatory", "regulatory", "A drug label, an agency approval or safety communication."),
    Term("systematic-review", "systematic review", "A systematic review or meta-analysis."),
    Term("rct", "RCT", "A peer-reviewed randomised controlled trial."),
    Term(
        "clinical-study",
        "clinical study",
        "A pilot, open-label, crossover or observational human study.",
    ),
    Term(
        "human-mechanistic",
        "human mechanistic",
        "A human imaging, spectroscopy, EEG or biomarker study.",
    ),
    Term("preclinical", "preclinical", "An animal or in-vitro study."),
    Term(
        "narrative-review",
        "narrative review",
        "A narrative review, commentary or textbook chapter.",
    ),
    Term("news", "news", "News, a press release, a patient organisation's page."),
    Term("marketing", "marketing", "A clinic's or vendor's own page or blog."),
)
# Kinds that can assert a claim but can never be evidence for one.
NON_EVIDENCE_SOURCE_KINDS: frozenset[str] = frozenset({"news", "marketing"})
# Kinds of web page whose url, publisher and accessed date must be recorded (or "unknown").
WEB_SOURCE_KINDS: frozenset[str] = frozenset({"news", "marketing"})

CLAIM_KINDS: tuple[Term, ...] = (
    Term("mechanism", "mechanism", "How the drug acts in the body or brain."),
    Term("effect", "clinical effect", "What it does for patients: symptoms, outcomes."),
    Term("regulatory", "regulatory fact", "Approvals, labels, legal status."),
    Term("historical", "historical fact", "When and how it was developed or used."),
    Term("dosing", "dosing practice", "Doses, routes, schedules, settings."),
    Term("experience", "subjective experience", "What people feel or report during and after."),
    Term("definition", "definition", "What a term means."),
    Term("rhetoric", "rhetoric", "A metaphor or slogan that no study can test; takes no ES level."),
)
UNGRADED_CLAIM_KINDS: frozenset[str] = frozenset({"rhetoric"})

PREDICATES: tuple[Term, ...] = (
    Term("increases", "increases", "Raises the amount or activity of the object."),
    Term("decreases", "decreases", "Lowers the amount or activity of the object."),
    Term("blocks", "blocks", "Antagonises or inhibits the object (a receptor, a channel)."),
    Term("activates", "activates", "Switches on or stimulates the object."),
    Term("modulates", "modulates", "Changes the object's activity, direction unspecified."),
    Term("acts_on", "acts on", "Has its effect through the object (a system, a pathway)."),
    Term("treats", "treats", "Relieves the object (a condition or symptom) in patients."),
    Term("causes", "causes", "Brings about the object."),
    Term("enables", "enables", "Makes the object possible or easier (a window, a therapy)."),
    Term("associated_with", "associated with", "Goes together with the object, causality open."),
    Term("approved_for", "approved for", "Holds a regulatory approval for the object."),
    Term("used_as", "used as", "Is used in practice as the object."),
    Term("administered_by", "administered by", "Is given by the object (a route or schedule)."),
    Term("is_a", "is a", "Is an instance or kind of the object."),
    Term("part_of", "part of", "Is a component of the object."),
    Term("described_as", "described as", "Is described, figuratively, as the object."),
)

ENTITY_TYPES: tuple[Term, ...] = (
    Term("drug", "drug", "A drug or a drug form (racemic ketamine, esketamine)."),
    Term("receptor", "receptor", "A receptor or ion channel."),
    Term("neurotransmitter", "neurotransmitter", "A neurotransmitter or its system."),
    Term("molecule", "molecule", "A protein, growth factor or other molecule."),
    Term("brain_region", "brain region", "An anatomical region of the brain."),
    Term("network", "network", "A functional brain network."),
    Term("process", "process", "A biological or psychological process."),
    Term("condition", "condition", "A disorder or diagnosis."),
    Term("symptom", "symptom", "A symptom or a cluster of symptoms."),
    Term("outcome", "outcome", "A clinical or experiential outcome."),
    Term("intervention", "intervention", "A therapy, a procedure or a use of a drug."),
    Term("route", "route or schedule", "A route of administration or a dosing schedule."),
    Term("organisation", "organisation", "An agency, company or association."),
    Term("concept", "concept", "An idea or metaphor (for rhetoric and definitions)."),
    Term("experience", "experience", "A subjective state or experience."),
)

# --- Grounding: the vocabularies an entity's identifiers come from (docs/grounding.md) ------------


@dataclass(frozen=True)
class Vocabulary:
    """A vocabulary, or one branch of it, that entities may take identifiers from.

    `prefix` is the CURIE prefix (as the Bioregistry spells it for CURIEs); `scope` narrows the
    vocabulary to MeSH tree-number prefixes or GO namespaces, empty for the whole vocabulary.
    """

    name: str
    prefix: str
    label: str
    scope: tuple[str, ...] = ()


VOCABULARIES: tuple[Vocabulary, ...] = (
    Vocabulary("CHEBI", "CHEBI", "ChEBI (chemical entities)"),
    Vocabulary("MESH-chemicals", "MESH", "MeSH chemicals and drugs (tree D)", ("D",)),
    Vocabulary(
        "MESH-diseases", "MESH", "MeSH diseases and mental disorders (C, F03)", ("C", "F03")
    ),
    Vocabulary("MESH-anatomy", "MESH", "MeSH anatomy (tree A)", ("A",)),
    Vocabulary("MESH-techniques", "MESH", "MeSH techniques and equipment (tree E)", ("E",)),
    Vocabulary("MESH-psychology", "MESH", "MeSH psychiatry and psychology (tree F)", ("F",)),
    Vocabulary("MESH-phenomena", "MESH", "MeSH phenomena and processes (tree G)", ("G",)),
    Vocabulary("MESH-health-care", "MESH", "MeSH health care (tree N)", ("N",)),
    Vocabulary("MESH", "MESH", "MeSH, any branch"),
    Vocabulary("GO-process", "GO", "GO biological processes", ("biological_process",)),
    Vocabulary("GO-component", "GO", "GO cellular components", ("cellular_component",)),
    Vocabulary("MONDO", "MONDO", "Mondo Disease Ontology"),
    Vocabulary("DOID", "DOID", "Human Disease Ontology"),
    Vocabulary("HP", "HP", "Human Phenotype Ontology"),
)
VOCABULARY_BY_NAME: dict[str, Vocabulary] = {v.name: v for v in VOCABULARIES}

# Which vocabularies each entity type may take identifiers from, the preferred first. UBERON
# (anatomy) and ROR (organisations) are not offered: no installed package ships their terms.
ENTITY_VOCABULARIES: dict[str, tuple[str, ...]] = {
    "drug": ("CHEBI", "MESH-chemicals"),
    "receptor": ("MESH-chemicals", "GO-component"),
    "neurotransmitter": ("CHEBI", "MESH-chemicals", "GO-process"),
    "molecule": ("CHEBI", "MESH-chemicals"),
    "brain_region": ("MESH-anatomy",),
    "network": ("MESH-anatomy",),
    "process": ("GO-process", "MESH-phenomena", "MESH-psychology"),
    "condition": ("MONDO", "MESH-diseases", "DOID", "HP"),
    "symptom": ("HP", "MESH-diseases", "MESH-psychology"),
    "outcome": ("MESH-psychology", "MESH-phenomena", "MESH-health-care", "HP"),
    "intervention": ("MESH-techniques", "MESH-psychology", "MESH-health-care"),
    "route": ("MESH-techniques",),
    "organisation": (),
    "concept": ("MESH",),
    "experience": ("MESH-psychology", "HP"),
}

# How an entity relates to the vocabulary's term: SKOS's mapping relations, which the RDF export
# writes (skos:exactMatch and its siblings).
MAPPING_RELATIONS: tuple[Term, ...] = (
    Term("exact", "exact match", "The entity is the term (skos:exactMatch)."),
    Term(
        "close", "close match", "Near enough to use in its place in most cases (skos:closeMatch)."
    ),
    Term("broad", "broader term", "The term is broader than the entity (skos:broadMatch)."),
    Term("narrow", "narrower term", "The term is narrower than the entity (skos:narrowMatch)."),
    Term("related", "related term", "The term is related, not a match (skos:relatedMatch)."),
)
EXACT_MATCH = "exact"

# The KGX export's Biolink terms: a category per entity type and a predicate per claim predicate
# (checked against the Biolink model's shipped schema in tests/test_kgx.py).
BIOLINK_CATEGORIES: dict[str, str] = {
    "drug": "biolink:Drug",
    "receptor": "biolink:MacromolecularComplex",
    "neurotransmitter": "biolink:ChemicalEntity",
    "molecule": "biolink:MolecularEntity",
    "brain_region": "biolink:AnatomicalEntity",
    "network": "biolink:AnatomicalEntity",
    "process": "biolink:BiologicalProcess",
    "condition": "biolink:Disease",
    "symptom": "biolink:PhenotypicFeature",
    "outcome": "biolink:ClinicalFinding",
    "intervention": "biolink:Treatment",
    "route": "biolink:Procedure",
    "organisation": "biolink:Agent",
    "concept": "biolink:NamedThing",
    "experience": "biolink:PhenotypicFeature",
}
BIOLINK_PREDICATES: dict[str, str] = {
    "increases": "biolink:affects",
    "decreases": "biolink:affects",
    "blocks": "biolink:directly_physically_interacts_with",
    "activates": "biolink:regulates",
    "modulates": "biolink:regulates",
    "acts_on": "biolink:affects",
    "treats": "biolink:treats",
    "causes": "biolink:causes",
    "enables": "biolink:contributes_to",
    "associated_with": "biolink:associated_with",
    "approved_for": "biolink:applied_to_treat",
    "used_as": "biolink:related_to",
    "administered_by": "biolink:related_to",
    "is_a": "biolink:subclass_of",
    "part_of": "biolink:part_of",
    "described_as": "biolink:related_to",
}

# --- Grading: study designs, GRADE domains, search records (docs/grading.md) ------------------


@dataclass(frozen=True)
class Design:
    """A study design, and where it puts a body of evidence before any GRADE domain is rated.

    `basis` is the track the derivation (`kgraph.grading`) takes: `randomised` and
    `observational` start at GRADE's high and low; `uncontrolled` (case series, single-arm
    trials) at very low; `review` takes the start of the designs it reviews (`study.review_of`);
    `preclinical` (animals, cells) and `opinion` (narrative reviews, commentary) do not enter
    GRADE at all; `document` is a primary document of a fact (a label, an approval, a guideline).
    """

    value: str
    label: str
    basis: str
    description: str


STUDY_DESIGNS: tuple[Design, ...] = (
    Design(
        "randomised-parallel",
        "randomised trial (parallel)",
        "randomised",
        "Participants randomised to arms followed side by side.",
    ),
    Design(
        "randomised-crossover",
        "randomised trial (crossover)",
        "randomised",
        "Each participant receives every arm, in a randomised order.",
    ),
    Design(
        "non-randomised-controlled",
        "non-randomised controlled study",
        "observational",
        "A comparison group chosen without randomisation.",
    ),
    Design("cohort", "cohort study", "observational", "A group followed over time."),
    Design(
        "case-control",
        "case-control study",
        "observational",
        "People with and without an outcome compared for past exposure.",
    ),
    Design(
        "cross-sectional",
        "cross-sectional study",
        "observational",
        "One measurement in time, exposure and outcome together.",
    ),
    Design(
        "qualitative",
        "qualitative study",
        "observational",
        "Interviews or focus groups: what people report, not how often.",
    ),
    Design(
        "single-arm",
        "single-arm (open-label, uncontrolled) trial",
        "uncontrolled",
        "Everyone receives the drug; no comparison group.",
    ),
    Design(
        "case-series", "case series", "uncontrolled", "A handful of treated patients described."
    ),
    Design("case-report", "case report", "uncontrolled", "One patient described."),
    Design("animal", "animal study", "preclinical", "Rodents or other animals."),
    Design("in-vitro", "in-vitro study", "preclinical", "Cells, tissue or molecules in the lab."),
    Design(
        "meta-analysis",
        "systematic review with meta-analysis",
        "review",
        "A documented search, and the results pooled.",
    ),
    Design(
        "systematic-review",
        "systematic review without meta-analysis",
        "review",
        "A documented search, results described, not pooled.",
    ),
    Design(
        "narrative-review",
        "narrative review",
        "opinion",
        "A review without a documented search; a textbook chapter.",
    ),
    Design(
        "commentary",
        "commentary or expert opinion",
        "opinion",
        "An editorial, a letter, an expert's view.",
    ),
    Design("guideline", "guideline", "document", "A clinical practice guideline."),
    Design("label", "drug label", "document", "Prescribing information, a product monograph."),
    Design(
        "regulatory-document",
        "regulatory document",
        "document",
        "An approval letter, an agency's announcement or safety communication.",
    ),
    Design(
        "historical-document",
        "historical primary document",
        "document",
        "The original report of an event (a first trial, a first synthesis).",
    ),
)
DESIGN_BY_VALUE: dict[str, Design] = {d.value: d for d in STUDY_DESIGNS}
DESIGN_BASES: tuple[Term, ...] = (
    Term("randomised", "randomised", "Randomised trials: GRADE starts high."),
    Term("observational", "observational", "Controlled observational studies: GRADE starts low."),
    Term(
        "uncontrolled", "uncontrolled", "Case series and single-arm trials: GRADE starts very low."
    ),
    Term("review", "review", "A systematic review: starts where the designs it reviews start."),
    Term("preclinical", "preclinical", "Animals or cells: ES-2 at most, whatever the domains."),
    Term("opinion", "opinion", "Narrative review or expert view: ES-1 at most."),
    Term("document", "document", "A primary document of a fact: ES-5 for a fact it records."),
)
# What a systematic review reviewed: it starts where those designs start.
REVIEW_OF: tuple[Term, ...] = (
    Term("randomised", "randomised trials", "Only randomised trials (GRADE starts high)."),
    Term("mixed", "randomised and observational", "Both; the randomised trials set the start."),
    Term("observational", "observational studies", "No randomised trial (GRADE starts low)."),
    Term("preclinical", "animal or in-vitro studies", "A review of preclinical work."),
)
# What a kept text copy of a source holds: a study's references are checked against its abstract.
SNAPSHOT_PARTS: tuple[Term, ...] = (
    Term("full-text", "full text", "The document's whole text as retrieved (an article)."),
    Term("abstract", "abstract", "The study's abstract as published (a database or the journal)."),
    Term("section", "section", "A section of the document (a label's clinical studies section)."),
)
# Which form of the drug a study gave: racemic ketamine and esketamine are kept apart.
DRUG_FORMS: tuple[Term, ...] = (
    Term("racemic-ketamine", "racemic ketamine", "(R,S)-ketamine, as in Ketalar and generics."),
    Term("esketamine", "esketamine", "(S)-ketamine, as in Spravato."),
    Term("arketamine", "arketamine", "(R)-ketamine."),
    Term("ketamine-any", "ketamine, forms pooled", "A review pooling racemic and esketamine."),
    Term("none", "no ketamine", "The study gave no ketamine (background, another drug)."),
)
# GRADE's certainty levels, highest first; `rank` 4..1 is what the derivation counts in.
CERTAINTY_LEVELS: tuple[Term, ...] = (
    Term("high", "high", "Further research is very unlikely to change confidence in the effect."),
    Term("moderate", "moderate", "Further research is likely to have an important impact."),
    Term("low", "low", "Further research is very likely to change the estimate."),
    Term("very-low", "very low", "Any estimate of effect is very uncertain."),
)
CERTAINTY_RANK: dict[str, int] = {"high": 4, "moderate": 3, "low": 2, "very-low": 1}
# The certainty a review printed for an outcome (its summary-of-findings table).
PRINTED_CERTAINTY: tuple[Term, ...] = (
    *CERTAINTY_LEVELS,
    Term("not-rated", "not rated", "The review printed no certainty rating for this outcome."),
)
# GRADE's five reasons to rate down, in the handbook's order.
DOMAINS: tuple[Term, ...] = (
    Term(
        "risk_of_bias",
        "risk of bias",
        "Limitations in design or conduct: blinding, allocation, attrition, selective reporting.",
    ),
    Term("inconsistency", "inconsistency", "Studies disagree more than chance explains."),
    Term(
        "indirectness",
        "indirectness",
        "The evidence is about another population, intervention "
        "(esketamine for racemic ketamine), outcome (a surrogate) or species than the claim.",
    ),
    Term("imprecision", "imprecision", "Few participants or events; a wide interval."),
    Term(
        "publication_bias",
        "publication bias",
        "Studies likely missing: small positive trials "
        "only, industry funding, a funnel plot asymmetry.",
    ),
)
DOMAIN_RATINGS: tuple[Term, ...] = (
    Term("none", "no serious concern", "Not rated down."),
    Term("serious", "serious", "Rated down one level."),
    Term("very-serious", "very serious", "Rated down two levels."),
)
DOMAIN_STEPS: dict[str, int] = {"none": 0, "serious": 1, "very-serious": 2}
# GRADE's reasons to rate up (observational evidence), each with what it allows.
UPGRADES: tuple[Term, ...] = (
    Term("large_effect", "large effect", "A large (plus one) or very large (plus two) effect."),
    Term("dose_response", "dose-response", "A dose-response gradient (plus one)."),
    Term(
        "plausible_confounding",
        "plausible confounding",
        "Residual confounding would reduce the effect seen (plus one).",
    ),
)
UPGRADE_RATINGS: tuple[Term, ...] = (
    Term("none", "none", "Not rated up."),
    Term("plus-one", "plus one", "Rated up one level."),
    Term("plus-two", "plus two", "Rated up two levels (a very large effect only)."),
)
UPGRADE_STEPS: dict[str, int] = {"none": 0, "plus-one": 1, "plus-two": 2}
RISK_OF_BIAS: tuple[Term, ...] = (
    Term("low", "low", "A review rated the study at low risk of bias."),
    Term("some-concerns", "some concerns", "A review rated some concerns."),
    Term("high", "high", "A review rated the study at high risk of bias."),
)
# How an article's quote carries the claim: a statement, or a reading of it.
READINGS: tuple[Term, ...] = (
    Term("literal", "stated", "The quote states the claim in so many words."),
    Term("implicature", "implied", "The claim is what the quote implies, not what it says."),
    Term("heading", "heading", "A heading or title, not a sentence of the text."),
    Term("list", "list", "An item of a list that blurs what it lists (approved and off-label)."),
)
LITERAL = "literal"
# A search record older than this many days is stale (a living review); `--search-age` changes it.
SEARCH_MAX_AGE_DAYS = 365

REVIEW_STATUSES: tuple[Term, ...] = (
    Term("draft", "draft", "Recorded, not yet checked by a second reader."),
    Term("reviewed", "reviewed", "Checked against its sources and evidence by a named reviewer."),
    Term("disputed", "disputed", "A reviewer disagrees with the record; see notes."),
)

QUALIFIER_KEYS: tuple[Term, ...] = (
    Term("population", "population", "Who the claim is about (patients with PTSD, adults)."),
    Term("time_frame", "time frame", "When the effect is claimed (within hours, days to weeks)."),
    Term("dose", "dose", "The dose the claim is about."),
    Term("route", "route", "How the drug is given (intravenous, nasal spray)."),
)

# Verdicts of the draft checker (`kgraph draft`) on one sentence; the rule is in
# kgraph/writers/draft.py.
DRAFT_VERDICTS: tuple[Term, ...] = (
    Term("supported", "supported", "Matches a claim whose evidence backs the sentence as worded."),
    Term(
        "hedge needed",
        "hedge needed",
        "Matches a claim at ES-3 or below, or with mixed evidence, but states it flatly.",
    ),
    Term("unsupported", "unsupported", "Matches a claim at ES-1 or ES-0: nothing tests it."),
    Term("contradicted", "contradicted", "Matches a claim whose evidence goes against it."),
    Term("rhetoric", "rhetoric", "Matches a recorded metaphor or slogan that no study can test."),
    Term("unchecked", "unchecked", "Matches no claim in the corpus: not checked, not passed."),
)

# Hedge and booster cues (CoNLL-2010 / BioScope families, as listed in evidence-scale.md).
# Each entry is a regular expression over lower-cased text, matched at word boundaries.
HEDGE_CUES: tuple[Term, ...] = (
    Term(r"may", "modal", "modal verb"),
    Term(r"might", "modal", "modal verb"),
    Term(r"could", "modal", "modal verb"),
    # "can" of possibility ("can help", "can deepen", "can be"), not "cannot".
    Term(r"can(?!not|'t)", "modal", "modal verb"),
    Term(r"would", "modal", "modal verb"),
    Term(r"should", "modal", "modal verb"),
    Term(r"suggests?|suggested|suggesting", "judgment", "judgment verb"),
    Term(r"indicates?|indicated", "judgment", "judgment verb"),
    Term(r"proposes?|proposed", "judgment", "judgment verb"),
    Term(r"speculates?|speculated", "judgment", "judgment verb"),
    Term(r"believes?|believed", "judgment", "judgment verb"),
    Term(r"assumes?|assumed", "judgment", "judgment verb"),
    Term(r"appears?|appeared", "evidential", "evidential verb"),
    Term(r"seems?|seemed", "evidential", "evidential verb"),
    Term(r"likely", "adverb", "adjective or adverb"),
    Term(r"possible|possibly", "adverb", "adjective or adverb"),
    Term(r"potential|potentially", "adverb", "adjective or adverb"),
    Term(r"probably", "adverb", "adjective or adverb"),
    Term(r"perhaps", "adverb", "adjective or adverb"),
    Term(r"often", "adverb", "adjective or adverb"),
    Term(r"generally", "adverb", "adjective or adverb"),
    Term(r"usually", "adverb", "adjective or adverb"),
    Term(r"typically", "adverb", "adjective or adverb"),
    Term(r"tends? to|tended to", "adverb", "adjective or adverb"),
    Term(r"some(?: people| researchers)?", "adverb", "adjective or adverb"),
    Term(r"many (?:people|clinicians)", "adverb", "adjective or adverb"),
    Term(r"researchers (?:describe|call)", "attribution", "attribution"),
    Term(r"clinicians (?:call|describe|see)", "attribution", "attribution"),
    Term(r"people (?:often )?(?:describe|report)", "attribution", "attribution"),
)
BOOSTER_CUES: tuple[Term, ...] = (
    Term(r"clearly", "booster", "booster"),
    Term(r"certainly", "booster", "booster"),
    Term(r"definitely", "booster", "booster"),
    Term(r"proven", "booster", "booster"),
    Term(r"always", "booster", "booster"),
    Term(r"the answer lies in", "booster", "booster"),
    Term(r"primarily (?:works|acts)", "booster", "booster"),
    Term(r"scientifically", "booster", "booster"),
)

# Identifiers: record ids are lower-case slugs; DOIs and PubMed ids have their registries' forms.
# The largest whole number a record may hold: what the exports declare (GraphML's long,
# Neo4j's integer, both signed 64-bit).
MAX_INT = 2**63 - 1

# The longest id: its page's file name (id + ".html") must fit every file system's 255 bytes,
# with room for the folders a site is served from.
MAX_ID_LENGTH = 120
# Names Windows reserves for devices, in any case and with any extension: a page named so
# cannot be written or opened there.
RESERVED_NAMES = frozenset(
    ["con", "prn", "aux", "nul"]
    + [f"com{i}" for i in range(1, 10)]
    + [f"lpt{i}" for i in range(1, 10)]
)

# Patterns match the whole value: \Z, not $, which also matches before a trailing newline.
ID_PATTERN = re.compile(r"\A[a-z0-9][a-z0-9-]*[a-z0-9]\Z")
DOI_PATTERN = re.compile(r"\A10\.\d{4,9}/\S+\Z")
PMID_PATTERN = re.compile(r"\A[1-9]\d{0,8}\Z")
PMCID_PATTERN = re.compile(r"\APMC\d{1,9}\Z")
SHA256_PATTERN = re.compile(r"\A[0-9a-f]{64}\Z")
# A date is YYYY, YYYY-MM or YYYY-MM-DD; "unknown" is always allowed where a date is asked for.
DATE_PATTERN = re.compile(r"\A(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?\Z")
UNKNOWN = "unknown"


def values(terms: tuple[Term, ...]) -> tuple[str, ...]:
    """The allowed values of a vocabulary, in its defined order."""
    return tuple(t.value for t in terms)


def level_rank(value: str | None) -> int | None:
    """The numeric rank of an ES level string, or None for no level."""
    if value is None:
        return None
    lv = LEVEL_BY_VALUE.get(value)
    return lv.rank if lv else None


# The causal chain the mechanism view lays out left to right: each step and the entity types in
# it. A claim whose subject sits at an earlier step than its object is a link of the chain.
CHAIN_STEPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("drug", ("drug",)),
    ("receptor", ("receptor",)),
    ("signal", ("neurotransmitter",)),
    ("growth factor", ("molecule",)),
    ("structure", ("process",)),
    ("brain system", ("brain_region", "network")),
    ("outcome", ("condition", "symptom", "outcome")),
)
