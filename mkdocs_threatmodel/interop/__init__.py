"""Interoperability: export to Open Threat Model, Threat Dragon, CSV and JSON, import from
OTM and Threat Dragon into a Markdown model, and a semantic diff of models between git refs.

Nothing here is imported when the command line starts: :mod:`.commands` registers the
subcommands and imports the rest inside their handlers.
"""
