"""fulfillment-worker: consumes order-paid messages and buys shipping labels (example stand-in).

Poison messages go to the dead-letter queue after three attempts (CHK-005).
"""
