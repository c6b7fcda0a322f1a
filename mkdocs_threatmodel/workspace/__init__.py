"""Workspace: the repository the commands run in.

Takes a folder; gives its git history and index (:mod:`.git`, the only module that runs
git), its configuration (:mod:`.config`), its model files (:mod:`.discover`), the cache of
parsed models (:mod:`.cache`), glob matching (:mod:`.globs`) and the immutable
:class:`~.repository.Repository` view the other stages read files through.
"""
