"""Stripe and Zendesk: their webhooks' connections, what they send, and the accounts of theirs
no client is matched to yet (docs/integrations.md, docs/matching.md)."""
