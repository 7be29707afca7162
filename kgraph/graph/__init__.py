"""The graph stage: a checked corpus compiled into one networkx graph (`model`), and the
questions asked of it: paths and neighbourhoods (`queries`), counts (`stats`)."""

from kgraph.graph.model import (
    EDGE_KINDS,
    NODE_KINDS,
    build_graph,
    entity_view,
    graph_model_markdown,
    level_rank,
    load_graph,
)

__all__ = [
    "EDGE_KINDS",
    "NODE_KINDS",
    "build_graph",
    "entity_view",
    "graph_model_markdown",
    "level_rank",
    "load_graph",
]
