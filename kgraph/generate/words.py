"""The words and proportions of generated corpora: entity kinds with synonyms, mechanism chains,
claim kinds with their ES levels, study designs, and the sentences clinic pages are made of.

Read by `kgraph.generate`; every value is checked against `kgraph.vocab` by check, since a
generated corpus must check clean (tests/test_generate.py).
"""

from __future__ import annotations

ENTITY_BASES: dict[str, tuple[tuple[str, str, tuple[str, ...]], ...]] = {
    "drug": (
        ("ketamine", "ketamine", ("racemic ketamine", "Ketalar", "the medicine")),
        ("esketamine", "esketamine", ("Spravato", "S-ketamine")),
        ("arketamine", "arketamine", ("R-ketamine",)),
    ),
    "receptor": (
        ("nmda-receptor", "NMDA receptor", ("N-methyl-D-aspartate receptor", "NMDA")),
        ("ampa-receptor", "AMPA receptor", ("AMPA",)),
    ),
    "neurotransmitter": (
        ("glutamate", "glutamate", ("the brain’s glutamate system", "glutamate surge")),
        ("gaba", "GABA", ("gamma-aminobutyric acid",)),
    ),
    "molecule": (
        ("bdnf", "BDNF", ("brain-derived neurotrophic factor", "brain fertiliser")),
        ("mtor", "mTOR", ("mammalian target of rapamycin",)),
    ),
    "process": (
        ("neuroplasticity", "neuroplasticity", ("the brain’s ability to rewire",)),
        ("synaptogenesis", "synaptogenesis", ("new neural connections", "dendritic growth")),
    ),
    "brain_region": (
        ("amygdala", "amygdala", ("the brain’s alarm system", "fear center")),
        ("prefrontal-cortex", "prefrontal cortex", ("PFC",)),
        ("hippocampus", "hippocampus", ()),
    ),
    "network": (("default-mode-network", "default mode network", ("DMN", "the inner critic")),),
    "condition": (
        ("depression", "depression", ("major depressive disorder", "MDD")),
        ("ptsd", "PTSD", ("post-traumatic stress disorder", "trauma")),
        ("treatment-resistant-depression", "treatment-resistant depression", ("TRD",)),
    ),
    "symptom": (
        ("hypervigilance", "hypervigilance", ("always on alert",)),
        ("intrusive-memories", "intrusive memories", ("flashbacks",)),
        ("suicidal-ideation", "suicidal ideation", ("suicidal thoughts",)),
    ),
    "outcome": (
        ("symptom-relief", "symptom relief", ("feeling better",)),
        ("remission", "remission", ()),
    ),
    "intervention": (
        ("anaesthesia", "anaesthesia", ("anesthesia", "dissociative anaesthetic")),
        ("ketamine-assisted-psychotherapy", "ketamine-assisted psychotherapy", ("KAP",)),
    ),
    "route": (
        ("intravenous-infusion", "intravenous infusion", ("IV", "infusion")),
        ("nasal-spray", "nasal spray", ("intranasal",)),
    ),
    "experience": (
        ("dissociation", "dissociation", ("feeling detached", "out-of-body feeling")),
        ("perspective-shift", "a shift in perspective", ("seeing things differently",)),
    ),
    "concept": (
        ("reset-button", "reset button", ("reset",)),
        ("miracle-cure", "miracle cure", ()),
        ("talk-therapy", "talk therapy", ()),
    ),
}
# How many claim slots one entity of a type fills on average (drugs are few and much used).
USES_PER_ENTITY = {"drug": 40, "concept": 10}
DEFAULT_USES = 4
HUB_SHARE = 0.3  # share of later slots that go to the first entity of a type (ketamine, ...)

# A mechanism chain walks these layers, then ends in an endpoint: drug -> receptor -> ... -> outcome
CHAIN_LAYERS = (
    ("drug",),
    ("receptor", "neurotransmitter"),
    ("molecule", "process"),
    ("brain_region", "network"),
)
ENDPOINTS = ("condition", "symptom", "outcome")
PREDICATES_TO = {
    "receptor": ("blocks", "modulates", "acts_on"),
    "neurotransmitter": ("increases", "modulates", "acts_on"),
    "molecule": ("increases", "activates"),
    "process": ("increases", "enables"),
    "brain_region": ("modulates", "decreases"),
    "network": ("modulates", "decreases"),
    "condition": ("treats",),
    "symptom": ("decreases",),
    "outcome": ("causes", "enables"),
}
# Claims outside chains: (kind, subject type, predicate, object type, weight).
STANDALONE = (
    ("regulatory", "drug", "approved_for", "condition", 2),
    ("historical", "drug", "used_as", "intervention", 1),
    ("dosing", "drug", "administered_by", "route", 2),
    ("experience", "drug", "causes", "experience", 3),
    ("definition", "process", "is_a", "concept", 1),
    ("rhetoric", "drug", "described_as", "concept", 1),
)
# (third person, base form) of each predicate, for sentences.
VERBS = {
    "increases": ("increases", "increase"),
    "decreases": ("reduces", "reduce"),
    "blocks": ("blocks", "block"),
    "activates": ("activates", "activate"),
    "modulates": ("modulates", "modulate"),
    "acts_on": ("acts on", "act on"),
    "treats": ("treats", "treat"),
    "causes": ("brings", "bring"),
    "enables": ("makes room for", "make room for"),
    "approved_for": ("is approved for", "be approved for"),
    "used_as": ("was first used for", "have been first used for"),
    "administered_by": ("is given by", "be given by"),
    "is_a": ("is a form of", "be a form of"),
    "described_as": ("works like a", "work like a"),
}
LEVELS_BY_KIND = {
    "mechanism": (
        ("ES-5", 15),
        ("ES-4", 10),
        ("ES-3", 25),
        ("ES-2", 30),
        ("ES-1", 15),
        ("ES-0", 5),
    ),
    "effect": (("ES-5", 15), ("ES-4", 25), ("ES-3", 30), ("ES-2", 10), ("ES-1", 10), ("ES-0", 10)),
    "regulatory": (("ES-5", 1),),
    "historical": (("ES-5", 1),),
    "dosing": (("ES-5", 4), ("ES-4", 2), ("ES-3", 2), ("ES-1", 2)),
    "experience": (("ES-4", 2), ("ES-3", 4), ("ES-1", 3), ("ES-0", 1)),
    "definition": (("ES-5", 1), ("ES-1", 1)),
}
# Study kinds that can stand behind each level (regulatory facts rest on labels).
STUDY_KINDS_FOR = {
    "ES-5": ("systematic-review", "rct"),
    "ES-4": ("rct", "systematic-review"),
    "ES-3": ("clinical-study", "human-mechanistic", "rct"),
    "ES-2": ("preclinical",),
    "ES-1": ("narrative-review",),
}
DESIGNS = {
    "regulatory": ("prescribing information", None),
    "systematic-review": ("systematic review and meta-analysis", (6, 40)),
    "rct": ("randomised double-blind controlled trial", (18, 240)),
    "clinical-study": ("open-label pilot study", (10, 60)),
    "human-mechanistic": ("functional MRI study", (16, 80)),
    "preclinical": ("rodent study", (12, 64)),
    "narrative-review": ("narrative review", None),
    "historical-report": ("report of the first clinical use", None),
}
# The same kinds as the design vocabulary (the study block on each source record).
STUDY_DESIGNS = {
    "regulatory": "label",
    "systematic-review": "meta-analysis",
    "rct": "randomised-parallel",
    "clinical-study": "single-arm",
    "human-mechanistic": "randomised-crossover",
    "preclinical": "animal",
    "narrative-review": "narrative-review",
    "historical-report": "historical-document",
}
# The source kind of each, where it is not the study kind itself.
SOURCE_KIND = {"historical-report": "clinical-study"}
# What a generated systematic review reviewed (`study.review_of`).
REVIEW_OF = {"systematic-review": "randomised"}
STUDIES_PER_SLOT = 1 / 6
ARTICLE_CLAIMS = 28  # sentences that make claims, per article
SURNAMES = (
    "zarate",
    "feder",
    "berman",
    "duman",
    "zanos",
    "krystal",
    "murrough",
    "abdallah",
    "sanacora",
    "aan-het-rot",
    "price",
    "wilkinson",
    "domino",
    "autry",
    "li",
    "moda-sava",
)
TOPICS = (
    "ketamine-depression",
    "nmda-antagonism",
    "bdnf-signalling",
    "ptsd-infusion",
    "synaptic-plasticity",
    "esketamine-trd",
    "dissociation",
    "amygdala-connectivity",
)
POPULATIONS = (
    "adults with treatment-resistant depression",
    "veterans with chronic PTSD",
    "healthy volunteers",
    "adults with major depression",
    "rodents",
)
TIME_FRAMES = ("within 24 hours", "within hours", "over two weeks", "during the session")
DOSES = ("0.5 mg/kg over 40 minutes", "sub-anaesthetic doses", "56-84 mg")
ROUTES = ("intravenous", "intranasal", "intramuscular")
INDIRECT_REASONS = (
    "healthy volunteers instead of patients",
    "esketamine instead of racemic ketamine",
    "blood BDNF instead of brain BDNF",
    "another disorder (depression, not PTSD)",
)
INDIRECT = INDIRECT_REASONS
FILLER = (
    "Many people come to us after years of trying other treatments.",
    "Every treatment plan begins with a careful medical assessment.",
    "Our team includes physicians, nurses and licensed therapists.",
    "Sessions take place in a calm, private room with soft lighting.",
    "You will be monitored throughout each session by trained staff.",
    "Most clients describe the first session as unlike anything they expected.",
    "Integration sessions help clients make sense of what they experienced.",
    "Insurance coverage varies, so we review costs with every client beforehand.",
    "Call our office to learn whether this treatment is right for you.",
    "Recovery is rarely a straight line, and that is normal.",
    "We believe in treating the whole person, not only the symptoms.",
    "The science is still developing, and we follow it closely.",
)
# Why a GRADE domain rated `serious` takes a level off, by domain.
SERIOUS_REASONS = {
    "risk_of_bias": ("outcome assessors not blinded", "high drop-out", "open-label design"),
    "inconsistency": ("the trials disagree in direction", "wide variation between studies"),
    "indirectness": INDIRECT_REASONS,
    "imprecision": ("few participants and a wide interval", "a single small study"),
    "publication_bias": ("only small positive trials published", "industry-funded trials only"),
}
