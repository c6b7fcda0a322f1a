"""Validation: a repository's models in, findings out.

:mod:`.engine` reads every model and runs the checks: :mod:`.schema` (the format),
:mod:`.references` (ids within and across models), :mod:`.stride` (letters per element)
and :mod:`.ownership` (owners, tickets, acceptances), each given a :mod:`.context`.
"""
