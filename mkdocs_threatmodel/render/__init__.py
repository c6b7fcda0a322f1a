"""Pages for any site generator.

Takes a docs folder; gives :mod:`.docs` (the folder as a site: its models, page
addresses, staleness, findings and a composer, shared with the Markdown extension),
:mod:`.markers` (the short marker pages a site keeps in place of generated ones),
:mod:`.commonmark` (a prepared page as plain CommonMark: HTML blocks and Mermaid fences)
and :mod:`.engine` (``threatmodel render``: every page written to a folder).
"""
