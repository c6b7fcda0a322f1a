"""The model format: bytes in, typed models out.

:mod:`.spec` declares the format once (the checker, the JSON Schema and the field reference
are made from it); :mod:`.frontmatter` says where front matter starts and ends;
:mod:`.source` reads it safely, keeping positions; :mod:`.model` types it; :mod:`.risk`
rates likelihood by impact; :mod:`.scaffold` writes a new model.
"""
