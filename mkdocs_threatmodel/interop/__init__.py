"""Interoperability: export to Open Threat Model, Threat Dragon, CSV and JSON, and import from
OTM and Threat Dragon into a Markdown model.

Nothing here is imported when the command line starts: :mod:`mkdocs_threatmodel.cli.interop`
registers the subcommands and imports the rest inside their handlers.
"""
