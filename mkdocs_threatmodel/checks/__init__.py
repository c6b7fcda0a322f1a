"""Checks: rules that read a model (and the other models of the repository) and yield findings."""
