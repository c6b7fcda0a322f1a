"""The views' HTML held on disk between a page's preparation and its rendering: a site-wide
view of tens of MB is written and read a piece at a time, and comes back exactly."""

from __future__ import annotations

from mkdocs_threatmodel.plugin import held
from mkdocs_threatmodel.plugin.held import HeldViews
from mkdocs_threatmodel.views.page import Prepared


def test_slots_and_texts_come_back_exactly_across_pieces(monkeypatch):
    monkeypatch.setattr(held, "CHUNK", 7)  # pieces that cut multi-byte characters
    big = "<td>Ünïcødé → 🔐 ✓</td>" * 50
    views = HeldViews()
    views.put("a.md", Prepared("", slots={"0": big, "1": ""}, texts={"0": "kéy 🔑"},
                               has_diagram=True))
    views.put("b.md", Prepared("", slots={"0": "<p>b</p>"}))
    assert views.texts("a.md") == {"0": "kéy 🔑"}
    assert views.texts("a.md") == {"0": "kéy 🔑"}  # the page stays held until taken
    taken = views.take("a.md")
    assert taken is not None and taken.slots == {"0": big, "1": ""} and taken.has_diagram
    assert views.take("a.md") is None and views.texts("a.md") == {}
    assert views.take("b.md").slots == {"0": "<p>b</p>"}
    views.close()


def test_a_large_slot_is_placed_in_the_written_page_from_the_file(tmp_path, monkeypatch):
    monkeypatch.setattr(held, "CHUNK", 5)
    big = "<table>" + "<tr><td>ü 🔐</td></tr>" * 40 + "</table>"
    views = HeldViews()
    views.put("reg.md", Prepared("", slots={"0": "<p>intro</p>", "1": big, "2": big[:30]}))
    taken = views.take("reg.md", late_from=100)
    assert taken.slots["0"] == "<p>intro</p>" and taken.slots["2"] == big[:30]
    marker = taken.slots["1"]
    assert marker.startswith("<!--threatmodel-late:") and big not in marker
    assert views.late("reg.md")
    page = tmp_path / "index.html"
    page.write_bytes(f"<main>{taken.slots['0']}{marker}<p>é</p></main>".encode())
    views.place_late("reg.md", page)
    assert page.read_text(encoding="utf-8") == f"<main><p>intro</p>{big}<p>é</p></main>"
    assert not views.late("reg.md")
    assert list(tmp_path.iterdir()) == [page]  # nothing left beside it


def test_a_page_with_a_diagram_is_filled_whole():
    views = HeldViews()
    views.put("m.md", Prepared("", slots={"0": "x" * 500}, has_diagram=True))
    assert views.take("m.md", late_from=100).slots == {"0": "x" * 500}
    assert not views.late("m.md")
