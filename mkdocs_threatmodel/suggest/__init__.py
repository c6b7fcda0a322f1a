"""Suggestions: threats found from a model's facts, each with the reason that fired it.

Takes a typed ``Model`` (and the configured classification order); gives ``Suggestion``s.
``facts`` reads what the rules need from the model (element kinds, exposure, the data on each
flow and in each store), ``catalogue`` holds the rules (codes TS0xx, each with its
documentation), ``engine`` runs them and marks what the model's threats already address or its
``dismissed`` entries set aside. Only the standard library is used: ``validate`` runs them on
the hook's path (TM601).
"""
