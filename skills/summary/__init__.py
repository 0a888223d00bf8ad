"""The weekly risk summary: its content, its chart, and when and where it is sent.

Commands: ``SendSummary``.
"""
