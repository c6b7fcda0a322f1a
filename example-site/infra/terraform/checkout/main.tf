# checkout-api service, its queue and the orders database (example stand-in).
