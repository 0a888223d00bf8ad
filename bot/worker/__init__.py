"""The background worker: the outbox dispatcher and the scheduler (weekly summaries, reminders)."""
