"""Interoperability: export to Open Threat Model, Threat Dragon, CSV and JSON, and import from
OTM and Threat Dragon into a Markdown model.

Nothing here is imported when the command line starts: the command modules
(`cli/export.py`, `cli/import_model.py`, `cli/diff.py`) import it inside their handlers.
"""
