"""Benchmark the map geometry: checking a CBS-sized boundary file and drawing a municipality.

Usage: .venv/bin/python bench/maps.py [--areas 120] [--points 800]

Makes a GeoJSON file of ``--areas`` neighbourhood-like polygons of ``--points`` points each
(a real CBS neighbourhood has a few hundred to a few thousand), then times: reading and
checking the file (domain/boundaries.parse, as the import does), drawing all of them as
SVG paths (as a municipality map does on every request), and point-in-polygon for 1,000
spots against their area. Prints the figures and the SVG size; no target is asserted.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent.parent)]

from buurtbegroting.domain import boundaries, geo  # noqa: E402


def blob(cx: float, cy: float, r: float, n: int) -> list[list[float]]:
    """A wobbly closed ring around a centre (no self-crossings)."""
    ring = []
    for i in range(n):
        a = 2 * math.pi * i / n
        k = r * (1 + 0.15 * math.sin(7 * a) + 0.05 * math.sin(31 * a))
        ring.append([round(cx + k * math.cos(a) * 1.6, 6), round(cy + k * math.sin(a), 6)])
    return ring + [ring[0]]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--areas", type=int, default=120)
    parser.add_argument("--points", type=int, default=800)
    args = parser.parse_args()
    side = math.ceil(math.sqrt(args.areas))
    features = [
        {
            "type": "Feature",
            "properties": {"statcode": f"BU0828{i:04d}"},
            "geometry": {
                "type": "Polygon",
                "coordinates": [
                    blob(5.40 + (i % side) * 0.02, 51.70 + (i // side) * 0.012, 0.005, args.points)
                ],
            },
        }
        for i in range(args.areas)
    ]
    data = json.dumps({"type": "FeatureCollection", "features": features}).encode()

    start = time.perf_counter()
    found, errors = boundaries.parse(data)
    parsed = time.perf_counter() - start
    assert not errors and len(found) == args.areas

    start = time.perf_counter()
    shapes = [geo.simplify(b.shape) for b in found]
    simplified = time.perf_counter() - start
    before = sum(len(r) for b in found for p in b.shape for r in p)
    after = sum(len(r) for s in shapes for p in s for r in p)
    start = time.perf_counter()
    view = geo.Viewport.fit(geo.bbox(shapes))
    svg = "".join(view.path(s) for s in shapes)
    drawn = time.perf_counter() - start

    # As when an idea is saved: each spot against the boundary of its own area.
    spots = [(k % args.areas, *geo.centre(shapes[k % args.areas])) for k in range(1000)]
    start = time.perf_counter()
    hits = sum(geo.contains(shapes[k], lon, lat) for k, lon, lat in spots)
    looked = time.perf_counter() - start

    checked = "checked" if args.points <= geo.MAX_POINTS_INTERSECTION_CHECK else "not checked"
    print(f"file: {len(data) / 1e6:.1f} MB, {args.areas} areas x {args.points} points")
    print(f"read and check the file: {parsed:.2f} s (self-intersection {checked})")
    print(f"simplify to 2 m (as stored): {simplified:.2f} s, {before} -> {after} points")
    print(f"draw every area as SVG: {drawn * 1000:.0f} ms, {len(svg) / 1024:.0f} KB of path data")
    print(f"1,000 spots, each against its area: {looked * 1000:.0f} ms ({hits} inside)")


if __name__ == "__main__":
    main()
