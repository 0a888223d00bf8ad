"""A tenant's settings: the policy, managers, the summary's schedule and listening.

Commands: ``ShowSettings``, ``ChangeSetting``.
"""
