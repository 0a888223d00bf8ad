"""What happens when a client crosses the threshold: the managers' card, acknowledging it,
recording a decision, the reminders until someone decides, and what waits on the managers.

Commands: ``RecordDecision``, ``AcknowledgeEscalation``, ``ShowWaiting``.
"""
