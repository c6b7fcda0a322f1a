"""The support assistant: an LLM agent that answers customers and calls tools through the
tool broker (example stand-in)."""
