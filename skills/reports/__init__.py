"""Incident reports: filing one, its form, evidence, voiding and undoing, disputes against a
report's strike, report references, categories and the lines that show a report.

Commands: ``ReportIncident``, ``AddEvidence``, ``UndoReport``, ``VoidIncident``,
``DisputeStrike``, ``ResolveDispute``.
"""
