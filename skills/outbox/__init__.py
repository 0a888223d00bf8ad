"""The outbox: the messages a use case queues in its transaction, and the platform-neutral
bookkeeping of delivering them (claims, backoff, parking)."""
