"""``export --to csv``: one row per threat, for a tracker's bulk import.

Besides the threat's own fields, ``mitigations`` lists the ids of the mitigation records it
cites, on any target (space-separated); ``status`` is ``untriaged`` for a candidate no one has
judged yet, so that a tracker can file candidates apart.

Cells that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``,
a tab or a carriage return) are prefixed with ``'``: model text is untrusted.
"""

from __future__ import annotations

import csv
import io
import posixpath

from ..format.model import Model

COLUMNS = ("id", "title", "model", "stride", "risk", "status", "owner", "ticket",
           "mitigation", "mitigations", "url")
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: str | None) -> str:
    value = value or ""
    return "'" + value if value.startswith(_FORMULA) else value


def page_path(model_path: str, docs_dir: str) -> str:
    """The page a model becomes in an MkDocs site (``use_directory_urls``), relative to the
    site root: ``docs/threat-models/checkout.md`` -> ``threat-models/checkout/``."""
    rel = posixpath.relpath(model_path, docs_dir) if docs_dir not in ("", ".") else model_path
    stem, _ = posixpath.splitext(rel)
    folder, name = posixpath.split(stem)
    if name.lower() in ("index", "readme"):
        return f"{folder}/" if folder else ""
    return f"{stem}/"


def docs_dir_of(model_path: str) -> str | None:
    """The nearest folder named ``docs`` above a repository-relative model path."""
    parts = model_path.split("/")[:-1]
    for i in range(len(parts) - 1, -1, -1):
        if parts[i] == "docs":
            return "/".join(parts[:i + 1])
    return None


def rows(models: list[Model], site_url: str | None = None,
         docs_dirs: dict[str, str] | None = None) -> list[dict[str, str | None]]:
    """The CSV rows of the threats of ``models`` (``docs_dirs``: model path -> docs folder;
    an owner, ticket or mitigation the threat lacks is ``None``, an empty cell)."""
    out = []
    for model in models:
        url = ""
        if site_url:
            docs = (docs_dirs or {}).get(model.path, "")
            url = site_url.rstrip("/") + "/" + page_path(model.path, docs)
        for threat in model.threats:
            risk = threat.risk
            out.append({
                "id": threat.id, "title": threat.title, "model": model.id,
                "stride": " ".join(threat.stride),
                "risk": f"{risk.band} ({risk.score})" if risk else "",
                "status": threat.status, "owner": threat.owner, "ticket": threat.ticket,
                "mitigation": threat.mitigation,
                "mitigations": " ".join(dict.fromkeys(
                    [*threat.mitigations,
                     *(m for d in threat.per_target.values() for m in d.mitigations)])),
                "url": url,
            })
    return out


def to_csv(models: list[Model], site_url: str | None = None,
           docs_dirs: dict[str, str] | None = None) -> str:
    """The CSV text (RFC 4180, CRLF line ends, a header row)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS)
    writer.writeheader()
    for row in rows(models, site_url, docs_dirs):
        writer.writerow({key: _cell(value) for key, value in row.items()})
    return buffer.getvalue()
