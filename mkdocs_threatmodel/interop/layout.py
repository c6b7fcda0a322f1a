"""A diagram layout for exports: boundaries as boxes around what they contain, nested, and
nothing overlapping.

Each box packs its children (elements, then nested boxes) in rows ("shelves") left to
right, wrapping at :data:`ROW_WIDTH`; a box is as large as its packed children plus a
margin and a header for its name. Siblings never overlap, and every child lies inside its
box, so that reading the diagram back by containment gives the same boundaries.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..format.model import Model

NODE_SIZE = {"external": (160, 80), "process": (100, 100), "store": (160, 80)}
MARGIN, HEADER, GAP, ROW_WIDTH = 30, 40, 40, 1200


@dataclass
class Rect:
    x: float
    y: float
    width: float
    height: float

    def contains(self, other: Rect) -> bool:
        return (self.x <= other.x and self.y <= other.y
                and other.x + other.width <= self.x + self.width
                and other.y + other.height <= self.y + self.height)

    def overlaps(self, other: Rect) -> bool:
        return not (self.x + self.width <= other.x or other.x + other.width <= self.x
                    or self.y + self.height <= other.y or other.y + other.height <= self.y)


@dataclass
class _Node:
    id: str
    box: bool
    width: float = 0
    height: float = 0
    children: list[_Node] = field(default_factory=list)
    offsets: list[tuple[float, float]] = field(default_factory=list)


def _pack(node: _Node) -> None:
    for child in node.children:
        if child.box:
            _pack(child)
    x = y = row = right = 0.0
    for child in node.children:
        if x > 0 and x + child.width > ROW_WIDTH:
            x, y, row = 0.0, y + row + GAP, 0.0
        node.offsets.append((x, y))
        right = max(right, x + child.width)
        row = max(row, child.height)
        x += child.width + GAP
    if node.box:
        node.width = max(right, 120) + 2 * MARGIN
        node.height = y + row + 2 * MARGIN + HEADER


def _place(node: _Node, x: float, y: float, out: dict[str, Rect], boxes: dict[str, Rect]) -> None:
    inner_x, inner_y = (x + MARGIN, y + MARGIN + HEADER) if node.box else (x, y)
    for child, (dx, dy) in zip(node.children, node.offsets, strict=True):
        cx, cy = inner_x + dx, inner_y + dy
        if child.box:
            boxes[child.id] = Rect(cx, cy, child.width, child.height)
            _place(child, cx, cy, out, boxes)
        else:
            out[child.id] = Rect(cx, cy, child.width, child.height)


def layout(model: Model, origin: float = 40) -> tuple[dict[str, Rect], dict[str, Rect]]:
    """Rectangles of the model's elements and of its boundaries' boxes."""
    known = {b.id for b in model.boundaries}
    nodes = {b.id: _Node(b.id, True) for b in model.boundaries}
    root = _Node("", False)
    for element in model.elements:
        width, height = NODE_SIZE.get(element.type or "", (100, 100))
        node = _Node(element.id, False, width, height)
        parent = nodes[element.boundary] if element.boundary in known else root
        parent.children.append(node)
    for boundary in model.boundaries:
        parent = nodes[boundary.inside] if boundary.inside in known else root
        parent.children.append(nodes[boundary.id])
    _pack(root)
    elements: dict[str, Rect] = {}
    boxes: dict[str, Rect] = {}
    _place(root, origin, origin, elements, boxes)
    return elements, boxes
