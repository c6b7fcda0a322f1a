"""tool-broker: checks each tool call of the agent against the signed-in customer (example
stand-in)."""
