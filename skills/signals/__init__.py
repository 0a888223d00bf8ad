"""Signals from other systems (tickets, touch points, invoices) and the tokens they come with
(docs/api.md)."""
