"""One transaction with the repositories that work inside it."""

from types import TracebackType
from typing import Self

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.repositories.accepted_requests import AcceptedRequestRepository
from storage.repositories.api_tokens import ApiTokenRepository
from storage.repositories.assessments import AssessmentRepository
from storage.repositories.audit import AuditRepository
from storage.repositories.client_costs import ClientCostRepository
from storage.repositories.clients import ClientRepository
from storage.repositories.conversations import ConversationRepository
from storage.repositories.dialogs import DialogRepository
from storage.repositories.disputes import DisputeRepository
from storage.repositories.escalations import EscalationRepository
from storage.repositories.forgetting import ForgettingRepository
from storage.repositories.incidents import IncidentRepository
from storage.repositories.integrations import IntegrationRepository
from storage.repositories.listening import ListeningRepository
from storage.repositories.outbox import OutboxRepository
from storage.repositories.people import PeopleRepository
from storage.repositories.scheduled_runs import ScheduledRunRepository
from storage.repositories.signals import SignalRepository
from storage.repositories.suggestions import SuggestionRepository
from storage.repositories.summary import SummaryRepository
from storage.repositories.tenants import TenantRepository
from storage.repositories.unmatched import UnmatchedRepository
from storage.tenant_cache import TenantCache


class UnitOfWork:
    """``async with uow:`` opens a transaction; leaving without ``commit()`` rolls it back."""

    tenants: TenantRepository
    clients: ClientRepository
    incidents: IncidentRepository
    escalations: EscalationRepository
    audit: AuditRepository
    outbox: OutboxRepository
    dialogs: DialogRepository
    assessments: AssessmentRepository
    disputes: DisputeRepository
    summary: SummaryRepository
    conversations: ConversationRepository
    listening: ListeningRepository
    forgetting: ForgettingRepository
    scheduled_runs: ScheduledRunRepository
    accepted_requests: AcceptedRequestRepository
    people: PeopleRepository
    signals: SignalRepository
    api_tokens: ApiTokenRepository
    client_costs: ClientCostRepository
    unmatched: UnmatchedRepository
    integrations: IntegrationRepository
    suggestions: SuggestionRepository

    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        tenant_cache: TenantCache | None = None,
    ) -> None:
        """``tenant_cache`` is the process's (``Services.tenants``); by default, one of this
        unit of work's own."""
        self._session_factory = session_factory
        self._tenant_cache = tenant_cache or TenantCache()
        self._session: AsyncSession | None = None

    async def __aenter__(self) -> Self:
        session = self._session_factory()
        await session.begin()
        self._session = session
        self.tenants = TenantRepository(session, self._tenant_cache)
        self.clients = ClientRepository(session)
        self.incidents = IncidentRepository(session)
        self.escalations = EscalationRepository(session)
        self.audit = AuditRepository(session)
        self.outbox = OutboxRepository(session)
        self.dialogs = DialogRepository(session)
        self.assessments = AssessmentRepository(session)
        self.disputes = DisputeRepository(session)
        self.summary = SummaryRepository(session)
        self.conversations = ConversationRepository(session)
        self.listening = ListeningRepository(session)
        self.forgetting = ForgettingRepository(session)
        self.scheduled_runs = ScheduledRunRepository(session)
        self.accepted_requests = AcceptedRequestRepository(session)
        self.people = PeopleRepository(session)
        self.signals = SignalRepository(session)
        self.api_tokens = ApiTokenRepository(session)
        self.client_costs = ClientCostRepository(session)
        self.unmatched = UnmatchedRepository(session)
        self.integrations = IntegrationRepository(session)
        self.suggestions = SuggestionRepository(session)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        session = self._require_session()
        try:
            if session.in_transaction():
                await session.rollback()
        finally:
            await session.close()
            self._session = None

    async def commit(self) -> None:
        """Commit everything done in this unit of work; the tenants it changed are read
        afresh by this process's next request."""
        await self._require_session().commit()
        self._tenant_cache.forget(self.tenants.touched)
        self.tenants.touched.clear()

    def _require_session(self) -> AsyncSession:
        if self._session is None:
            raise RuntimeError("the unit of work is used outside 'async with'")
        return self._session
