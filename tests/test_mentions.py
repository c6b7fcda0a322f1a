"""``mentions`` answers as the regular expression it replaced does, on any text and ids."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from mkdocs_threatmodel.validation.mentions import mentions

_ALPHABET = st.sampled_from(list("ACHK01-_ x\n"))
_TEXT = st.text(_ALPHABET, max_size=40)
_ID = st.text(st.sampled_from(list("ACHK01-_")), min_size=1, max_size=6)


def _by_regex(text: str, ids: list[str]) -> bool:
    pattern = "|".join(rf"(?<![A-Za-z0-9_-]){re.escape(i)}(?![A-Za-z0-9_])" for i in ids)
    return bool(re.search(pattern, text))


@given(_TEXT, st.lists(_ID, min_size=1, max_size=3))
def test_mentions_agrees_with_the_regular_expression(text, ids):
    assert mentions(text, ids) == _by_regex(text, ids)


def test_mentions_needs_the_id_to_stand_alone():
    assert mentions("# CHK-001: order access", ["CHK-001"])
    assert not mentions("XCHK-001 and CHK-0012", ["CHK-001"])
    assert mentions("XCHK-001 and CHK-001.", ["CHK-001"])
    assert not mentions("", ["CHK-001"])
