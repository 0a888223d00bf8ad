"""Incident reports: filing one, its form, evidence, voiding and undoing, disputes against a
report's strike, report references, categories, and how a report shows: cut short in a line,
or whole (``/client report``).

Commands: ``ReportIncident``, ``AddEvidence``, ``UndoReport``, ``VoidIncident``,
``DisputeStrike``, ``ResolveDispute``, ``ShowReport``.
"""
