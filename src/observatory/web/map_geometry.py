"""Country shapes for our SVG maps: Natural Earth admin-0 boundaries, projected once and shipped as SVG paths.

    from observatory.web.map_geometry import world

    shapes = world("110m")               # the world map; "50m" for locator maps (small countries drawn too)
    shapes.areas["COL"].d               # SVG path data in the map's own coordinates (Equal Earth projection)
    shapes.view_box                     # "x y width height" of the whole map

The shipped files (``datasets/maps/countries-{110m,50m}.json``) are made by ``python -m observatory.web.map_geometry
TOPOJSON OUT`` from the ``world-atlas`` npm package (Natural Earth 4.1.0 as TopoJSON): arcs decoded, projected with
Equal Earth, rounded to a tenth of a unit on a 1000-unit-wide map, written as relative path commands. Features are
keyed by ISO 3166 alpha-3 through the M49 reference (``reference.geography``); the areas without an M49 code are
attributed as ``datasets/SOURCES.md`` says (disputed areas: how UN maps draw them). Antarctica is left out.
"""

import json
import math
import sys
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import Any

from observatory.datasets import DATASETS

MAPS = DATASETS / "maps"
WIDTH = 1000.0
#: Features without an M49 code in world-atlas, by their Natural Earth name: the area a UN map draws them in.
UNCODED = {"N. Cyprus": "CYP", "Somaliland": "SOM", "Kosovo": "XKX", "Indian Ocean Ter.": "AUS", "Siachen Glacier": ""}
#: Codes outside M49 (``datasets/reference/territories_outside_m49.csv``), by world-atlas numeric id.
OUTSIDE_M49 = {"158": "TWN"}
#: Areas whose boundary a UN map draws dashed (status not yet determined, or under a Security Council resolution).
DASHED = frozenset({"ESH", "XKX"})
_LEFT_OUT = frozenset({"ATA"})
_A1, _A2, _A3, _A4 = 1.340264, -0.081106, 0.000893, 0.003796
_M = math.sqrt(3) / 2
_X_MAX = 2.7066297319215575  # Equal Earth at longitude 180°, latitude 0


@dataclass(frozen=True, slots=True)
class Area:
    iso3: str
    d: str
    #: Bounding box in map units: min x, min y, max x, max y.
    box: tuple[float, float, float, float]
    dashed: bool


@dataclass(frozen=True, slots=True)
class Shapes:
    scale: str
    view_box: str
    areas: dict[str, Area]

    def locator_box(self, iso3: str, *, least: float = 160.0) -> str:
        """A view box around ``iso3`` with room for its neighbours (the whole map if it is not drawn)."""
        area = self.areas.get(iso3)
        if area is None:
            return self.view_box
        x0, y0, x1, y1 = area.box
        width, height = max(x1 - x0, least), max(y1 - y0, least * 0.6)
        width, height = max(width, height * 1.6) * 1.6, max(height, width / 1.6) * 1.6
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        return f"{cx - width / 2:.1f} {cy - height / 2:.1f} {width:.1f} {height:.1f}"


@cache
def world(scale: str = "110m") -> Shapes:
    """The shipped shapes at ``scale`` (``110m`` or ``50m``)."""
    document = json.loads((MAPS / f"countries-{scale}.json").read_text(encoding="utf-8"))
    areas = {
        code: Area(code, shape["d"], tuple(shape["box"]), code in DASHED) for code, shape in document["areas"].items()
    }
    return Shapes(scale, document["viewBox"], areas)


def project(longitude: float, latitude: float) -> tuple[float, float]:
    """Equal Earth (Šavrič, Patterson and Jenny 2018), in map units: x right, y down, the map 1000 units wide."""
    theta = math.asin(_M * math.sin(math.radians(latitude)))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = math.radians(longitude) * math.cos(theta) / (_M * (_A1 + 3 * _A2 * t2 + t6 * (7 * _A3 + 9 * _A4 * t2)))
    y = theta * (_A1 + _A2 * t2 + t6 * (_A3 + _A4 * t2))
    scale = WIDTH / (2 * _X_MAX)
    return (x + _X_MAX) * scale, -y * scale


def from_topojson(topology: dict[str, Any], codes: dict[str, str]) -> dict[str, Any]:
    """The compact document of a world-atlas topology; ``codes`` maps M49 numeric codes to ISO3."""
    arcs = _arcs(topology)
    rings: dict[str, list[list[tuple[float, float]]]] = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        code = _code(geometry, codes)
        if not code or code in _LEFT_OUT:
            continue
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        for polygon in polygons:
            for ring in polygon:
                for part in cut(_ring(arcs, ring)):
                    rings.setdefault(code, []).append([project(lon, lat) for lon, lat in part])
    areas = {code: _area(parts) for code, parts in sorted(rings.items())}
    top = min(area["box"][1] for area in areas.values())
    bottom = max(area["box"][3] for area in areas.values())
    return {"viewBox": f"0 {top:.0f} {WIDTH:.0f} {bottom - top:.0f}", "areas": areas}


def _code(geometry: dict[str, Any], codes: dict[str, str]) -> str:
    identifier = geometry.get("id")
    if identifier is None:
        return UNCODED.get(geometry.get("properties", {}).get("name", ""), "")
    return OUTSIDE_M49.get(identifier) or codes.get(identifier, "")


def _arcs(topology: dict[str, Any]) -> list[list[tuple[float, float]]]:
    """The arcs in longitude and latitude."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    decoded = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        decoded.append(points)
    return decoded


def _ring(arcs: list[list[tuple[float, float]]], indices: list[int]) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for index in indices:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc[1:] if points else arc)
    return points


def cut(ring: list[tuple[float, float]]) -> list[list[tuple[float, float]]]:
    """A ring crossing the antimeridian (a jump of more than 180° of longitude) as one ring on each side of it: the
    longitudes made continuous, then clipped at 180° (and the part beyond shifted by 360°)."""
    if all(abs(b[0] - a[0]) <= 180 for a, b in pairwise(ring)):
        return [ring]
    unwrapped = [ring[0]]
    for lon, lat in ring[1:]:
        previous = unwrapped[-1][0]
        lon += 360 * round((previous - lon) / 360)
        unwrapped.append((lon, lat))
    shift = 360.0 if max(lon for lon, _ in unwrapped) > 180 else -360.0
    edge = 180.0 if shift > 0 else -180.0
    inside = _clip(unwrapped, edge, keep_below=shift > 0)
    outside = [(lon - shift, lat) for lon, lat in _clip(unwrapped, edge, keep_below=shift < 0)]
    return [part for part in (inside, outside) if len(part) >= 3]


def _clip(ring: list[tuple[float, float]], edge: float, *, keep_below: bool) -> list[tuple[float, float]]:
    """Sutherland–Hodgman against the meridian ``edge``: the part of ``ring`` west (``keep_below``) or east of it."""

    def kept(point: tuple[float, float]) -> bool:
        return point[0] <= edge if keep_below else point[0] >= edge

    made: list[tuple[float, float]] = []
    for current, following in zip(ring, ring[1:] + ring[:1], strict=True):
        if kept(current):
            made.append(current)
        if kept(current) != kept(following):
            share = (edge - current[0]) / (following[0] - current[0])
            made.append((edge, current[1] + share * (following[1] - current[1])))
    return made


def _area(rings: list[list[tuple[float, float]]]) -> dict[str, Any]:
    commands = []
    xs: list[float] = []
    ys: list[float] = []
    for ring in rings:
        grid = [(round(x * 10), round(y * 10)) for x, y in ring]
        kept = [point for i, point in enumerate(grid) if i == 0 or point != grid[i - 1]]
        if len(kept) < 3:
            continue
        steps = [f"{b[0] - a[0]} {b[1] - a[1]}" for a, b in pairwise(kept)]
        commands.append(f"M{kept[0][0]} {kept[0][1]}l" + " ".join(steps) + "z")
        xs.extend(x for x, _ in kept)
        ys.extend(y for _, y in kept)
    box = [min(xs) / 10, min(ys) / 10, max(xs) / 10, max(ys) / 10]
    # Coordinates are in tenths of a unit; the page scales the path by 0.1 (``transform``).
    return {"d": "".join(commands), "box": box}


def _m49_codes() -> dict[str, str]:
    from observatory.reference.geography import places  # the build step only

    return {place.m49: place.iso3 for place in places() if place.m49}


if __name__ == "__main__":  # pragma: no cover - the build step of the shipped files
    source, target = Path(sys.argv[1]), Path(sys.argv[2])
    made = from_topojson(json.loads(source.read_text(encoding="utf-8")), _m49_codes())
    target.write_text(json.dumps(made, separators=(",", ":"), sort_keys=True) + "\n", encoding="utf-8")
