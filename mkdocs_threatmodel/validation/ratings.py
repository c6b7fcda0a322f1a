"""Rating checks: CVSS vectors (TM111), classifications (TM217), impact against what a
threat hurts (TM415) and explicit severities (TM416)."""

from __future__ import annotations

from collections.abc import Iterator

from ..findings.finding import Finding
from ..format.model import Model
from ..format.risk import SCORE
from ..format.spec import CIA_NAMES
from .context import Context


def check_ratings(model: Model, ctx: Context) -> Iterator[Finding]:
    """Every rating finding of one model."""
    src, path = model.source, model.path
    order = ctx.classifications
    for asset in model.assets:
        if asset.classification is not None and asset.classification not in order:
            yield Finding(path, src.at(asset.path + ("classification",)), "TM217",
                          f"asset '{asset.id}' is classified '{asset.classification}', which "
                          "is not a configured classification",
                          hint="use one of: " + ", ".join(order))
    assets = {a.id: a for a in model.assets}
    for threat in model.threats:
        if threat.cvss is not None:
            from ..format.cvss_vector import score  # only models with a vector pay for it

            try:
                score(threat.cvss)
            except ValueError as exc:
                yield Finding(path, src.at(threat.path + ("cvss",)), "TM111",
                              f"threat '{threat.id}' has a malformed CVSS vector: {exc}",
                              hint="copy the vector from a CVSS 3.1 or 4.0 calculator")
        if threat.severity is not None and not threat.severity_reason:
            yield Finding(path, src.at(threat.path + ("severity",)), "TM416",
                          f"threat '{threat.id}' has an explicit severity but no reason",
                          hint="add 'severity_reason:' saying why likelihood x impact does "
                          "not tell")
        for i, hurt in enumerate(threat.hurts):
            hurt_asset = assets.get(hurt.asset)
            if hurt_asset is None:
                yield Finding(path, src.at(threat.path + ("hurts", i, "asset")), "TM206",
                              f"threat '{threat.id}' hurts unknown asset '{hurt.asset}'")
                continue
            if threat.impact not in SCORE:
                continue
            for letter in hurt.cia or "CIA":
                rating = hurt_asset.rating(letter)
                if rating in SCORE and SCORE[rating] > SCORE[threat.impact]:
                    yield Finding(path, src.at(threat.path + ("impact",)), "TM415",
                                  f"threat '{threat.id}' has impact {threat.impact}, but it "
                                  f"hurts the {CIA_NAMES[letter]} of '{hurt_asset.id}', rated "
                                  f"{rating}",
                                  hint=f"raise the impact to {rating}, or correct the rating")
                    break
