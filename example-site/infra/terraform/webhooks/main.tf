# Webhook route, HMAC secret in Secrets Manager, nonce store (example stand-in).
