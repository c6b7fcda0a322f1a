"""POST /webhooks/shipping: verifies HMAC, timestamp and nonce before updating orders
(example stand-in)."""
