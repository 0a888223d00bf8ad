"""Repositories: every query about a tenant's data takes the tenant id, and none reads one
tenant's rows on behalf of another.

The deliberate exceptions are the worker's work lists and housekeeping, which look across
tenants to find whose work is due, and say so in their docstrings: ``TenantRepository.all`` and
``with_summary_channels``; ``EscalationRepository.tenants_with_open``;
``ListeningRepository.tenants_with_questions`` and ``forget_events``;
``OutboxRepository.claim_due``, ``get`` and ``counts_by_status`` (every tenant's when given
none); and the Slack intake's ``AcceptedRequestRepository``, whose rows are keyed by workspace
(a tenant may not exist yet when its first request comes). A row that a unique constraint may
refuse goes in through ``inserts.try_insert``; a batch of them, with ``ON CONFLICT DO NOTHING``
(``ListeningRepository.first_times``, ``AcceptedRequestRepository.accept``).
"""
