"""Listening in linked support channels: linking a channel, hearing a message (counts, never
text), contact counters, and the abuse detector with its note to staff.

Commands: ``LinkChannel``, ``UnlinkChannel``.
"""
