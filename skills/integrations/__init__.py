"""Stripe and Zendesk: what they send, and the accounts of theirs no client is matched to yet."""
