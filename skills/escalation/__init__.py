"""What happens when a client crosses the threshold: the managers' card, acknowledging it,
recording a decision, and the reminders until someone decides.

Commands: ``RecordDecision``, ``AcknowledgeEscalation``.
"""
