"""Connections to the systems a team already runs: Stripe and Zendesk webhooks
(docs/integrations.md)."""
