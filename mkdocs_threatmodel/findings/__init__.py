"""Findings: what a check reports, the rule table, and the reports that print them.

:mod:`.finding` is a finding with its rule code, severity and position; :mod:`.rules` is
the registry of codes with their documentation; :mod:`.reports` renders findings as text,
JSON or SARIF.
"""
