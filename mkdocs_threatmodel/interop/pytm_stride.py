"""STRIDE letters for pytm's threat ids, and pytm's element classes as our element types.

pytm's findings carry no STRIDE letter: each cites a threat of its library
(``pytm/threatlib/threats.json``, ids such as ``INP03`` or ``DE01``). This table gives each id
the letters of what the attack does (first), and the letters to use instead on a target
whose type takes none of them (second; STRIDE per element: external entities S R, processes
S T R I D E, data stores T R I D, data flows T I D). It is written by hand from the
threat's CAPEC description; ``docs/interop.md`` prints it. An id missing here gets no letter
(and a note), never a guess.
"""

from __future__ import annotations

from ..format.model import APPLICABLE

# pytm class -> our element type. Dataflow is a flow; anything else pytm calls an asset
# (Server, Lambda, LLM, Agent, SetOfProcesses ...) runs code: a process.
CLASS_TYPES = {"Actor": "external", "ExternalEntity": "external", "Datastore": "store",
               "Server": "process", "Process": "process", "SetOfProcesses": "process",
               "Lambda": "process", "LLM": "process", "Agent": "process", "Asset": "process"}

_CODE = ("TE", "")  # runs the attacker's code or input as code: tampering, elevation
_INJECT = ("T", "")  # input that changes what the target does or stores
_XSS = ("TI", "")  # script injected into pages: tampering, and disclosure of the victim's data
_LEAK = ("I", "")  # information disclosure
_DOS = ("D", "")
_SPOOF = ("S", "T")  # poses as someone else; on a flow or store: forged data (tampering)
_PRIV = ("E", "TI")  # gets rights it should not have; on a store: reads and writes data

TABLE: dict[str, tuple[str, str]] = {
    # input validation
    "INP01": _CODE, "INP02": _CODE, "INP03": _INJECT, "INP04": _INJECT, "INP05": _CODE,
    "INP06": _INJECT, "INP07": _CODE, "INP08": _CODE, "INP09": _INJECT, "INP10": _INJECT,
    "INP11": ("IT", ""), "INP12": _CODE, "INP13": _CODE, "INP14": _INJECT, "INP15": _INJECT,
    "INP16": _CODE, "INP17": _XSS, "INP18": _LEAK, "INP19": _DOS, "INP20": ("ST", ""),
    "INP21": _INJECT, "INP22": _DOS, "INP23": _INJECT, "INP24": _CODE, "INP25": _CODE,
    "INP26": _CODE, "INP27": _XSS, "INP28": _XSS, "INP29": _XSS, "INP30": _XSS,
    "INP31": _CODE, "INP32": _INJECT, "INP33": _CODE, "INP34": ("TD", ""), "INP35": _INJECT,
    "INP36": _INJECT, "INP37": _INJECT, "INP38": _XSS, "INP39": _XSS, "INP40": _XSS,
    "INP41": _CODE,
    # cryptography and sessions
    "CR01": ("SI", ""), "CR02": ("SI", ""), "CR03": _SPOOF, "CR04": _SPOOF, "CR05": _LEAK,
    "CR06": ("TI", ""), "CR07": ("TI", ""), "CR08": ("T", ""),
    # access control and authentication
    "AA01": ("SE", ""), "AA02": _SPOOF, "AA03": ("SE", ""), "AA04": ("ST", ""),
    "AC01": _PRIV, "AC02": ("T", ""), "AC03": ("TE", ""), "AC04": ("T", ""),
    "AC05": ("T", ""), "AC06": _CODE, "AC07": _PRIV, "AC08": ("T", ""), "AC09": _PRIV,
    "AC10": _LEAK, "AC11": _SPOOF, "AC12": _PRIV, "AC13": _PRIV, "AC14": _PRIV,
    "AC15": ("T", ""), "AC16": _SPOOF, "AC17": _SPOOF, "AC18": _SPOOF, "AC19": _SPOOF,
    "AC20": _SPOOF, "AC21": ("ST", ""), "AC22": ("I", ""), "AC23": _LEAK, "AC24": _LEAK,
    # APIs, supply of scripts, load balancing
    "API01": _PRIV, "API02": _PRIV, "LB01": ("T", ""),
    "SC01": _LEAK, "SC02": _XSS, "SC03": _XSS, "SC04": _XSS, "SC05": ("T", ""),
    # data exposure, retention and security
    "DE01": _LEAK, "DE02": _INJECT, "DE03": _LEAK, "DE04": ("TR", ""),
    "DR01": _LEAK, "DS01": _LEAK, "DS02": _LEAK, "DS03": _LEAK, "DS04": _XSS, "DS05": _LEAK,
    "DS06": _LEAK,
    # denial of service
    "DO01": _DOS, "DO02": _DOS, "DO03": _DOS, "DO04": _DOS, "DO05": _DOS,
    # hacking the host or the client; on an external entity, what is learnt lets one pose as it
    "HA01": ("IT", ""), "HA02": ("I", "S"), "HA03": _LEAK, "HA04": ("I", "S"),
    # large language models and agents
    "LLM01": ("TE", ""), "LLM02": ("T", ""), "LLM03": _LEAK, "LLM04": ("T", ""),
    "LLM05": _PRIV, "LLM06": _CODE, "LLM07": ("TE", ""), "LLM08": _LEAK, "LLM09": _CODE,
}


def letters_for(threat_id: str, kind: str) -> list[str] | None:
    """The letters of a pytm threat on a target of ``kind``; ``None`` for an unknown id."""
    entry = TABLE.get(threat_id)
    if entry is None:
        return None
    fits = APPLICABLE.get(kind, "")
    first = [x for x in entry[0] if x in fits]
    return first or [x for x in entry[1] if x in fits]


def table_markdown() -> str:
    """The table as Markdown rows, for docs/interop.md."""
    rows = ["| pytm threat ids | letters | on a target that takes none of them |",
            "|---|---|---|"]
    grouped: dict[tuple[str, str], list[str]] = {}
    for sid, entry in TABLE.items():
        grouped.setdefault(entry, []).append(sid)
    for (first, second), sids in grouped.items():
        rows.append(f"| {', '.join(sids)} | {' '.join(first)} | {' '.join(second) or '—'} |")
    return "\n".join(rows)
