"""The guided fit assessment: the question bank, the dialog, scoring, the result and its
playbooks.

Commands: ``Assess``, ``AssessmentStep``, ``ShowAssessment``, ``TickPlaybookStep``.
"""
