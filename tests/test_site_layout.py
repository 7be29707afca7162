"""The layered drawings' arithmetic: crossings counted right, and reordering that removes them."""

from __future__ import annotations

from itertools import combinations

from kgraph.site.layout import count_crossings, layer_crossings, order_layers, stack_bands


def brute(upper: dict[str, int], lower: dict[str, int], edges: list[tuple[str, str]]) -> int:
    return sum(
        1
        for (a, b), (c, d) in combinations(edges, 2)
        if (upper[a] - upper[c]) * (lower[b] - lower[d]) < 0
    )


def test_crossings_are_counted_as_pairs_of_edges_that_cross() -> None:
    upper = {u: i for i, u in enumerate("abcd")}
    lower = {v: i for i, v in enumerate("wxyz")}
    edges = [("a", "z"), ("a", "w"), ("b", "y"), ("c", "x"), ("d", "w"), ("d", "x"), ("b", "z")]
    assert count_crossings(upper, lower, edges) == brute(upper, lower, edges) > 0
    assert count_crossings(upper, lower, [("a", "w"), ("b", "x")]) == 0


def test_reordering_removes_avoidable_crossings_within_bands_only() -> None:
    layers = [[["a", "b", "c"]], [["z", "y"], ["x", "w"]]]
    edges = [("a", "y"), ("b", "z"), ("c", "w"), ("b", "x")]
    before = layer_crossings(layers, edges)
    ordered = order_layers(layers, edges)
    assert layer_crossings(ordered, edges) < before
    # Bands keep their members and their order: a level's claims stay in its band.
    assert [sorted(band) for band in ordered[1]] == [["y", "z"], ["w", "x"]]
    assert order_layers(layers, edges) == ordered  # the same input, the same picture


def test_bands_stack_down_a_column_under_their_headings() -> None:
    positions, headings, bottom = stack_bands(
        [("ES-5", "established", ["a", "b"]), ("ES-4", "", ["c"])], 100, lambda _: 20, gap=5
    )
    ys = [positions[n][1] for n in "abc"]
    assert ys == sorted(ys) and all(positions[n][0] == 100 for n in "abc")
    assert [h.text for h in headings] == ["ES-5", "ES-4"]
    assert headings[1].y < positions["c"][1] and headings[1].y > positions["b"][1]
    assert bottom > positions["c"][1]
