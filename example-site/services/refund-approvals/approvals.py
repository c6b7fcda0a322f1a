"""Refunds above the limit wait for a human approval (example stand-in)."""
