"""Diff: two git refs (or a ref and the work tree) in, the models' semantic changes out.

:mod:`.compare` reads the models on each side and compares them by id; :mod:`.report`
renders the result as Markdown or JSON.
"""
