"""The Python-Markdown extension (``mkdocs_threatmodel.markdown_ext``): the model pages,
register, mitigations, owners and staleness views for site generators that run
Python-Markdown extensions but not MkDocs plugins, such as Zensical.

It takes a page's Markdown and the page's place in the site (from the host's page
context, see :mod:`.context`) and gives the page with the views of
:mod:`mkdocs_threatmodel.views` in it. :mod:`.build` validates the docs folder once per
build and reports findings as ``path:line: CODE message``; :mod:`.plugin_listed` notices
our MkDocs plugin listed in a configuration the host does not run it from.
"""

from .extension import ThreatModelExtension, makeExtension

__all__ = ["ThreatModelExtension", "makeExtension"]
