"""checkout-api: POST /checkout and GET /orders/{id} for guest orders (example stand-in).

Order lookups require the signed order token (CHK-001); prices come from the catalogue, never
from the request (CHK-003).
"""
