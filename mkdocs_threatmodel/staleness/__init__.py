"""Staleness: git history and the models in, a judgement per model (and its findings) out.

:mod:`.judge` decides whether each model is current, stale or unknown; :mod:`.history`
keeps a snapshot of the history so a run reads only new commits; :mod:`.staged` judges the
commit being made; :mod:`.declarations` keeps what each model blob covers and cites;
:mod:`.adr` reads an ADR's status; :mod:`.review` records a review in a model;
:mod:`.report` runs a judgement and prints it.
"""
