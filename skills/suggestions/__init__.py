"""Suggested reports: what the signals say about a client, put to a person who decides
(docs/suggestions.md). Nothing here files a report."""
