"""Webhooks (SPEC section 11): endpoints, signing, the deliverer. Imports the store only."""
