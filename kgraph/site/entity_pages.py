"""A page per entity (what is claimed about it, as subject and as object) and the entities list."""

from __future__ import annotations

from kgraph import vocab
from kgraph.grounding import registry
from kgraph.site.context import Site
from kgraph.site.entity_graph import neighbourhood_svg
from kgraph.site.links import page_path
from kgraph.site.render import Renderer

MATCH_LABELS = {t.value: t.label for t in vocab.MAPPING_RELATIONS}


def write_entity_pages(r: Renderer, site: Site) -> None:
    corpus = site.corpus
    for eid in sorted(corpus.entities):
        entity = corpus.entities[eid]
        claims = site.claims(site.claims_by_entity.get(eid, []))
        articles = sorted(
            {a.source for c in claims for a in c.sources if a.source in corpus.sources}
        )
        path = page_path("entity", eid)
        r.page(
            path,
            "entity.html",
            title=entity.label,
            entity=entity,
            as_subject=[c for c in claims if c.subject == eid],
            as_object=[c for c in claims if c.object == eid and c.subject != eid],
            entities=corpus.entities,
            articles=[corpus.sources[a] for a in articles],
            xrefs=sorted(entity.xrefs.items()),
            grounding=[
                {
                    "match": MATCH_LABELS.get(g.match, g.match),
                    "curie": g.curie,
                    "label": g.label,
                    "iri": registry.iri(g.curie),
                    "version": g.version,
                }
                for g in entity.grounding
            ],
            neighbourhood=eid in site.neighbourhoods,
            graph=neighbourhood_svg("../" * path.count("/"), corpus, eid, claims),
            record_path=site.rel_path(entity.origin.path),
        )


def write_entities_list(r: Renderer, site: Site) -> None:
    rows = [
        {"entity": e, "n_claims": len(site.claims_by_entity.get(eid, []))}
        for eid, e in sorted(site.corpus.entities.items())
    ]
    r.page("entities.html", "entities.html", title="Entities", rows=rows)
