"""Read a Threat Dragon v1 or v2 model into a :class:`~.draft.Draft`.

Actors, processes and stores become elements; boundary boxes become boundaries holding
the elements whose centre they contain (a box inside a box nests); boundary curves, which
enclose nothing, and text blocks become notes. Threats keep Threat Dragon's words in their
story (severity, unknown statuses); what :mod:`.threat_dragon` keeps under ``threatmodel``
keys gives an exported model back exactly.
"""

from __future__ import annotations

from typing import Any

from ..errors import InputError
from ..format.model import STRIDE_NAMES
from ..format.spec import ELEMENT_TYPES, LEVELS, THREAT_STATUSES
from .common import is_slug, items, mapping, one_line, stride_letter, text, texts
from .draft import Draft, DraftAsset, DraftBoundary, DraftElement, DraftFlow, DraftThreat
from .extras import mitigation_back, plain_back, threat_links_back
from .layout import Rect

PREFIX = {"asset": "a:", "mitigation": "m:", "assumption": "s:"}  # draft keys of our ids

_KINDS = {"tm.actor": "external", "actor": "external", "tm.process": "process",
          "process": "process", "tm.store": "store", "store": "store", "tm.flow": "flow",
          "flow": "flow", "tm.boundarybox": "box", "trust-boundary-box": "box",
          "tm.boundary": "curve", "trust-boundary-curve": "curve", "trust-boundary": "curve",
          "tm.text": "text", "td-text-block": "text", "text": "text",
          "agent": "process", "agent-tool": "process"}
_STATUS = {"open": "open", "mitigated": "mitigated", "notapplicable": "not-applicable",
           "not applicable": "not-applicable", "n/a": "not-applicable", "na": "not-applicable"}


def detect(data: Any) -> bool:
    """Whether parsed data looks like a Threat Dragon model."""
    return isinstance(data, dict) and "otmVersion" not in data and (
        "summary" in data or "detail" in data or "details" in data)


def _similar(data: dict, key: str) -> str:
    close = [k for k in data if isinstance(k, str) and k != key
             and (k.startswith(key) or key.startswith(k))]
    return f" (it has '{close[0]}')" if close else ""


def _check(data: Any, path: str) -> list[dict]:
    problems = []
    if not isinstance(data, dict):
        raise InputError(f"{path}: not a Threat Dragon model: the top level must be a mapping")
    summary = data.get("summary")
    if not isinstance(summary, dict):
        problems.append("no 'summary'" + _similar(data, "summary"))
    elif not isinstance(summary.get("title"), str):
        problems.append("'summary' has no text 'title'" + _similar(summary, "title"))
    detail = data.get("detail")
    diagrams: list = []
    if not isinstance(detail, dict):
        problems.append("no 'detail'" + _similar(data, "detail"))
    else:
        diagrams = detail.get("diagrams", [])
        if not isinstance(diagrams, list) or not all(isinstance(d, dict) for d in diagrams):
            problems.append("'detail.diagrams' must be a list of diagrams")
    if problems:
        raise InputError(f"{path}: not a Threat Dragon model: " + "; ".join(problems))
    for i, diagram in enumerate(diagrams):
        cells = _cells(diagram)
        if not isinstance(cells, list) or not all(isinstance(c, dict) for c in cells):
            raise InputError(f"{path}: not a Threat Dragon model: diagram {i} has cells that "
                             "are not a list of mappings")
    return diagrams


def _cells(diagram: dict) -> Any:
    if "cells" in diagram:
        return diagram["cells"]
    return mapping(diagram.get("diagramJson")).get("cells", [])


def _kind(cell: dict) -> str | None:
    data = mapping(cell.get("data"))
    for value in (data.get("type"), cell.get("type"), cell.get("shape")):
        if isinstance(value, str) and value.lower() in _KINDS:
            return _KINDS[value.lower()]
    return None


def _name(cell: dict) -> str:
    data, attrs = mapping(cell.get("data")), mapping(cell.get("attrs"))
    candidates = [data.get("name")] + [mapping(attrs.get(k)).get("text")
                                       for k in ("text", "headerText", "label")]
    labels = cell.get("labels")
    for label in labels if isinstance(labels, list) else []:
        label_attrs = mapping(mapping(label).get("attrs"))
        candidates += [mapping(label_attrs.get(k)).get("text") for k in ("label", "text")]
    for value in candidates:
        if said := text(value):
            return one_line(said)  # (one_line strips, as text does)
    return ""


def _rect(cell: dict) -> Rect | None:
    pos, size = mapping(cell.get("position")), mapping(cell.get("size"))
    try:
        return Rect(float(pos["x"]), float(pos["y"]), float(size["width"]),
                    float(size["height"]))
    except (KeyError, TypeError, ValueError):
        return None


def _end(value: Any) -> str | None:
    value = mapping(value)
    for key in ("cell", "id"):
        if isinstance(value.get(key), str):
            return value[key]
    return None


def from_threat_dragon(data: Any, path: str) -> Draft:
    """A draft model from a Threat Dragon v1 or v2 model; raises :class:`InputError`."""
    diagrams = _check(data, path)
    return _Reader(data).read(diagrams)


class _Reader:
    def __init__(self, data: dict) -> None:
        summary, detail = data["summary"], data["detail"]
        self.extras = mapping(detail.get("threatmodel"))
        self.ours = is_slug(self.extras.get("id"))
        self.draft = Draft(tool="Threat Dragon", format="threat-dragon",
                           title=text(summary.get("title")) or "",
                           model_id=self.extras.get("id") if self.ours else None,
                           owner=text(summary.get("owner")),
                           description=text(summary.get("description")))
        self.detail = detail
        self.threats: dict[tuple, DraftThreat] = {}
        self.order: dict[str | None, int] = {}  # our threat id -> its index in the model
        self.links: dict[tuple, dict] = {}  # threats of our export -> what they cite

    def _model(self) -> None:
        d, x = self.draft, self.extras
        if self.ours:
            d.restore_own_fields(x)
            for a in items(x.get("assets")):
                a = mapping(a)
                if is_slug(a.get("id")):
                    d.assets.append(DraftAsset(f"a:{a['id']}", text(a.get("name")) or a["id"],
                                               a.get("impact") if a.get("impact") in LEVELS
                                               else None, text(a.get("description")), a["id"],
                                               extra=plain_back("asset", a)))
            for m in items(x.get("mitigations")):
                m = mapping(m)
                if text(m.get("id")):
                    d.mitigations.append(mitigation_back(
                        PREFIX["mitigation"] + m["id"], text(m.get("title")) or m["id"],
                        text(m.get("description")), m["id"], m))
            for t in items(x.get("threats")):
                t = mapping(t)
                letters = [s for s in texts(t.get("stride")) if s in STRIDE_NAMES]
                threat = self._threat(t, t, None, "", letters)
                threat_links_back(threat, t, self._target_key, PREFIX)
                if isinstance(t.get("index"), int):
                    self.order.setdefault(threat.source_id, t["index"])
                threat.placements = []
                threat.letters = letters
                d.threats.append(threat)
            return
        people = self.detail.get("contributors")
        contributors = [who for c in (people if isinstance(people, list) else [])
                        if (who := text(mapping(c).get("name")))]
        if contributors:
            d.notes.append("Contributors in Threat Dragon: " + ", ".join(contributors) + ".")
        if text(self.detail.get("reviewer")):
            d.notes.append(f"Reviewer in Threat Dragon: {self.detail['reviewer']} (no date, so "
                           "no 'reviewed' here).")

    def _target_key(self, cell_id: str) -> str | None:
        """The draft key of the (first) element or flow with this cell id."""
        nodes: list[DraftElement | DraftFlow] = [*self.draft.elements, *self.draft.flows]
        return next((x.key for x in nodes if x.source_id == cell_id), None)

    def read(self, diagrams: list[dict]) -> Draft:
        self._model()
        for number, diagram in enumerate(diagrams):
            self._diagram(number, diagram, len(diagrams))
        for group, extras in self.links.items():
            threat_links_back(self.threats[group], extras, self._target_key, PREFIX)
        self.draft.threats += list(self.threats.values())
        if self.ours:  # back in the model's order
            self.draft.threats.sort(key=lambda t: self.order.get(t.source_id, len(self.order)))
        return self.draft

    def _diagram(self, number: int, diagram: dict, count: int) -> None:
        d = self.draft
        title = text(diagram.get("title")) or f"diagram {number + 1}"
        cells = _cells(diagram)
        if count > 1 or not cells:
            d.notes.append(f"Diagram '{title}' ({text(diagram.get('diagramType')) or 'no type'}):"
                           f" {len(cells)} cells.")
        prefix = f"{number}:"
        nodes: dict[str, tuple[str, Rect | None]] = {}
        boxes: dict[str, Rect] = {}
        box_cells: list[tuple[dict, str, str]] = []  # (cell, cell id, name)
        flows: list[tuple[dict, str, str]] = []
        for cell in cells:
            cell_id = cell.get("id")
            if not isinstance(cell_id, str) or not cell_id:
                cell_id = f"cell-{len(nodes) + len(flows) + len(box_cells)}"
            kind = _kind(cell)
            name = _name(cell)
            if kind in ELEMENT_TYPES:
                nodes[cell_id] = (kind, _rect(cell))
                self._element(cell, prefix + cell_id, cell_id, kind, name)
            elif kind == "box":
                rect = _rect(cell)
                if rect is None:
                    d.notes.append(f"Boundary box '{name or cell_id}' has no position or size; "
                                   "it holds nothing here.")
                boxes[cell_id] = rect or Rect(0, 0, 0, 0)
                box_cells.append((cell, cell_id, name))
            elif kind == "flow":
                flows.append((cell, cell_id, name))
            elif kind == "curve":
                d.notes.append(f"Trust boundary curve '{name or cell_id}' in '{title}': a curve "
                               "encloses nothing, so it is not a boundary here; give the elements "
                               "it separates a boundary ('boundary:' on each element).")
            elif kind == "text":
                if name:
                    d.notes.append(f"Text in '{title}': {name}")
            else:
                d.notes.append(f"Cell '{cell_id}' of an unknown kind "
                               f"({one_line(str(cell.get('shape') or cell.get('type')))}) "
                               "is left out.")
        self._boxes(prefix, box_cells, boxes, nodes)
        for cell, cell_id, name in flows:
            self._flow(prefix, cell, cell_id, name, nodes, title)

    def _element(self, cell: dict, key: str, cell_id: str, kind: str, name: str) -> None:
        data = mapping(cell.get("data")) or cell
        description = text(data.get("description")) or text(cell.get("description"))
        facts = []
        extras = mapping(data.get("threatmodel"))
        if data.get("outOfScope") is True and not (self.ours and "out_of_scope" in extras):
            reason = text(data.get("reasonOutOfScope"))
            facts.append("Out of scope in Threat Dragon" + (f": {reason}" if reason else "."))
        if not self.ours:
            flags = [k for k in ("providesAuthentication", "isWebApplication",
                                 "handlesCardPayment", "handlesGoodsOrServices", "isALog",
                                 "isEncrypted", "isSigned", "storesCredentials",
                                 "storesInventory") if data.get(k) is True]
            if text(data.get("privilegeLevel")):
                flags.append(f"privilegeLevel {data['privilegeLevel']}")
            if flags:
                facts.append("Threat Dragon properties: " + ", ".join(flags) + ".")
        description = "\n\n".join([p for p in [description, *facts] if p]) or None
        assets = [f"a:{a}" for a in texts(extras.get("assets"))]
        known = {a.key for a in self.draft.assets}
        self.draft.elements.append(DraftElement(
            key, name or cell_id, kind, None, [a for a in assets if a in known], description,
            cell_id, extra=plain_back("element", extras) if self.ours else {}))
        self._cell_threats(cell, key)

    def _boxes(self, prefix: str, box_cells: list[tuple[dict, str, str]], boxes: dict[str, Rect],
               nodes: dict[str, tuple[str, Rect | None]]) -> None:
        def area(rect: Rect) -> float:
            return rect.width * rect.height

        def container(rect: Rect) -> str | None:
            """The smallest box strictly larger than ``rect`` that contains it."""
            found = [(area(b), bid) for bid, b in boxes.items()
                     if area(b) > area(rect) and b.contains(rect)]
            return min(found)[1] if found else None

        for cell, cell_id, name in box_cells:
            data = mapping(cell.get("data"))
            inside = container(boxes[cell_id])
            self.draft.boundaries.append(DraftBoundary(
                prefix + cell_id, name or "Trust boundary",
                prefix + inside if inside else None, text(data.get("description")), cell_id,
                extra=plain_back("boundary", data.get("threatmodel")) if self.ours else {}))
        by_key = {e.key: e for e in self.draft.elements}
        for cell_id, (_, rect) in nodes.items():
            if rect is None:
                continue
            centre = Rect(rect.x + rect.width / 2, rect.y + rect.height / 2, 0, 0)
            box = container(centre)
            if box is not None:
                by_key[prefix + cell_id].boundary = prefix + box

    def _flow(self, prefix: str, cell: dict, cell_id: str, name: str,
              nodes: dict[str, tuple[str, Rect | None]], title: str) -> None:
        data = mapping(cell.get("data")) or cell
        source, target = _end(cell.get("source")), _end(cell.get("target"))
        key = prefix + cell_id
        if source is None or target is None or source not in nodes or target not in nodes:
            self.draft.notes.append(
                f"Flow '{name or cell_id}' in '{title}' is not attached to an element at both "
                "ends: it is not a flow here" + (", and its threats have no target."
                                                 if self._has_threats(cell) else "."))
            self._cell_threats(cell, None)
            return
        extras = mapping(data.get("threatmodel"))
        description = text(data.get("description"))
        facts = []
        if data.get("outOfScope") is True:
            reason = text(data.get("reasonOutOfScope"))
            facts.append("Out of scope in Threat Dragon" + (f": {reason}" if reason else "."))
        if not self.ours:
            flags = [k for k in ("isEncrypted", "isPublicNetwork", "isBidirectional")
                     if data.get(k) is True]
            if flags:
                facts.append("Threat Dragon properties: " + ", ".join(flags) + ".")
        known = {a.key for a in self.draft.assets}
        self.draft.flows.append(DraftFlow(
            key, prefix + source, prefix + target,
            text(extras.get("label")) if self.ours else (name or None),
            text(data.get("protocol")), text(extras.get("auth")),
            [k for k in (f"a:{a}" for a in texts(extras.get("data"))) if k in known],
            "\n\n".join([p for p in [description, *facts] if p]) or None, cell_id,
            [k for k in (f"a:{a}" for a in texts(extras.get("returns"))) if k in known],
            extra=plain_back("flow", extras) if self.ours else {}))
        self._cell_threats(cell, key)

    @staticmethod
    def _has_threats(cell: dict) -> bool:
        return bool(mapping(cell.get("data")).get("threats") or cell.get("threats"))

    def _cell_threats(self, cell: dict, key: str | None) -> None:
        data = mapping(cell.get("data"))
        items = data.get("threats") if "threats" in data else cell.get("threats")
        for item in items if isinstance(items, list) else []:
            if not isinstance(item, dict):
                continue
            extras = mapping(item.get("threatmodel"))
            letter = stride_letter(item.get("type"))
            word = one_line(str(item.get("status") or "")).lower()
            source_id = text(item.get("id")) or text(item.get("threatId"))
            ours = is_slug(extras.get("id"))
            if ours and isinstance(extras.get("index"), int):
                self.order.setdefault(extras["id"], extras["index"])
            group = (extras["id"],) if ours else (
                source_id, text(item.get("title")), word, text(item.get("description")),
                text(item.get("mitigation"))) if source_id else (id(item),)
            threat = self.threats.get(group)
            if threat is None:
                threat = self._threat(item, extras if ours else {}, source_id, word, [])
                self.threats[group] = threat
                if ours:
                    self.links[group] = extras
            if key is None:
                continue
            for target, letters in threat.placements:
                if target == key:
                    if letter and letter not in letters:
                        letters.append(letter)
                    break
            else:
                threat.placements.append((key, [letter] if letter else []))
            if not letter and text(item.get("type")):
                threat.facts.append(f"Threat Dragon type '{one_line(item['type'])}' "
                                    f"({text(item.get('modelType')) or 'no model type'}) is not "
                                    "a STRIDE category.")

    def _threat(self, item: dict, extras: dict, source_id: str | None, word: str,
                letters: list[str]) -> DraftThreat:
        facts = []
        status = extras.get("status") if extras.get("status") in THREAT_STATUSES else None
        if status is None:
            status = _STATUS.get(word.replace("-", " ").strip(), "open")
            if word and word.replace("-", " ") not in _STATUS:
                facts.append(f"Threat Dragon status '{word}' is read as open.")
        if not extras and text(item.get("severity")):
            facts.append(f"Threat Dragon severity: {one_line(item['severity'])}.")
        if not extras and text(item.get("score")):
            facts.append(f"Threat Dragon score: {one_line(str(item['score']))}.")
        acceptance = mapping(extras.get("acceptance"))
        mitigation = text(item.get("mitigation"))
        if "mitigation" in extras:  # the threat's own text, without its cited records
            mitigation = text(extras.get("mitigation"))
        rationale = text(extras.get("rationale"))
        if extras and status == "not-applicable" and mitigation == rationale:
            mitigation = None
        return DraftThreat(
            key=source_id, title=text(item.get("title")) or "Untitled threat", placements=[],
            status=status, story=text(item.get("story")) or text(item.get("description")),
            likelihood=extras.get("likelihood"), impact=extras.get("impact"),
            owner=text(extras.get("owner")), ticket=text(extras.get("ticket")),
            mitigation=mitigation, tests=texts(extras.get("tests")),
            acceptance={k: text(acceptance.get(k)) for k in ("by", "date", "expires",
                                                             "rationale")
                        if text(acceptance.get(k))} or None,
            rationale=rationale, references=texts(extras.get("references")),
            target_order=texts(extras.get("targets")),
            letters=letters, facts=facts,
            source_id=extras.get("id") if is_slug(extras.get("id")) else source_id,
            **plain_back("threat", extras))
