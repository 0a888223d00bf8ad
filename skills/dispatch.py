"""The one entry point of every surface: a person and a command in, a reply out."""

import dataclasses
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from skills.assessment.dialog import assessment_step, start_assessment
from skills.assessment.result import show_assessment_command, tick_playbook_step
from skills.clients.board import show_board
from skills.clients.card import show_client
from skills.clients.export import answer_file_offer, export_client
from skills.clients.forgetting import forget_client
from skills.clients.history import show_history
from skills.clients.ownership import change_owner
from skills.clients.records import add_client, check_add_form, check_edit_form, edit_client
from skills.commands import (
    AcknowledgeEscalation,
    AddClient,
    AddEvidence,
    AnswerFileOffer,
    Assess,
    AssessmentStep,
    ChangeOwner,
    ChangeSetting,
    ChoosePersonalLanguage,
    Command,
    ConnectWebhook,
    DismissSuggestion,
    DisputeStrike,
    EditClient,
    Expired,
    ExportClient,
    ForgetClient,
    LinkChannel,
    ManageApiTokens,
    MatchAccount,
    RecordDecision,
    ReportIncident,
    ResolveDispute,
    SendSummary,
    ShowAssessment,
    ShowBoard,
    ShowClient,
    ShowHelp,
    ShowHistory,
    ShowHome,
    ShowReport,
    ShowSettings,
    ShowUnmatched,
    ShowWaiting,
    TickPlaybookStep,
    UndoReport,
    UnknownCommand,
    UnlinkChannel,
    VoidIncident,
)
from skills.core.access import refuse
from skills.core.context import Actor, Services
from skills.core.help import expired, show_help, unknown_command
from skills.core.home import show_home
from skills.core.scope import Scope, open_scope
from skills.escalation.acknowledge import acknowledge_escalation
from skills.escalation.decisions import record_decision
from skills.escalation.waiting import show_waiting
from skills.integrations.matching import match_account, show_unmatched
from skills.listening.channel_links import link_channel, unlink_channel
from skills.replies import Paragraph, Reply, ReplyKind
from skills.reports.disputes import dispute_strike, resolve_dispute
from skills.reports.evidence import add_evidence
from skills.reports.filing import report_incident
from skills.reports.form import check_report_form
from skills.reports.showing import show_report
from skills.reports.voiding import undo_report, void_incident
from skills.settings.api_tokens import manage_api_tokens
from skills.settings.change import change_setting
from skills.settings.connections import connect_webhook
from skills.settings.my_language import choose_personal_language
from skills.settings.show import show_settings
from skills.suggestions.decision import dismiss_suggestion
from skills.summary.send import send_summary
from skills.text.i18n import supported_language, translator
from skills.text.input import clean_text, cleaned

log = logging.getLogger(__name__)

Handler = Callable[[Scope, Any], Awaitable[Reply]]

HANDLERS: dict[type[Command], Handler] = {
    ReportIncident: report_incident,
    ShowClient: show_client,
    ShowHistory: show_history,
    ShowReport: show_report,
    ShowBoard: show_board,
    VoidIncident: void_incident,
    RecordDecision: record_decision,
    ShowSettings: show_settings,
    ChangeSetting: change_setting,
    ChoosePersonalLanguage: choose_personal_language,
    ManageApiTokens: manage_api_tokens,
    ConnectWebhook: connect_webhook,
    ExportClient: export_client,
    AnswerFileOffer: answer_file_offer,
    ShowWaiting: show_waiting,
    ShowHelp: show_help,
    UnknownCommand: unknown_command,
    UndoReport: undo_report,
    AddEvidence: add_evidence,
    ShowHome: show_home,
    Expired: expired,
    Assess: start_assessment,
    AssessmentStep: assessment_step,
    TickPlaybookStep: tick_playbook_step,
    ShowAssessment: show_assessment_command,
    AcknowledgeEscalation: acknowledge_escalation,
    DisputeStrike: dispute_strike,
    ResolveDispute: resolve_dispute,
    ChangeOwner: change_owner,
    AddClient: add_client,
    EditClient: edit_client,
    SendSummary: send_summary,
    LinkChannel: link_channel,
    UnlinkChannel: unlink_channel,
    ForgetClient: forget_client,
    MatchAccount: match_account,
    ShowUnmatched: show_unmatched,
    DismissSuggestion: dismiss_suggestion,
}


# Forms checked while they are filled in: the form drawn again for the values given so far,
# with an error per wrong value and only the fields that matter for them, with nothing done.
# The shell checks each answer with it; a Slack modal is redrawn with it when a choice changes.
FORM_CHECKS: dict[type[Command], Handler] = {
    ReportIncident: check_report_form,
    AddClient: check_add_form,
    EditClient: check_edit_form,
}


async def handle_or_apologise(
    services: Services, actor: Actor, command: Command, default_language: str
) -> Reply:
    """``handle``, for surfaces: an unexpected error is logged and becomes an apology in the
    person's language (nothing was saved: the transaction rolled back), never silence."""
    try:
        return await handle(services, actor, command)
    except Exception:
        # The command's type and the person's id, never the command's text or their name;
        # the log's formatter leaves the exceptions' messages out too (bot/logs.py).
        log.exception("%s failed for %s", type(command).__name__, actor.user_id)
        t = translator(supported_language(actor.locale) or default_language)
        text = t._("Something went wrong and nothing was saved. The error is in the log.")
        return Reply(ReplyKind.ERROR, (Paragraph(text),), {"error": "internal"})


async def handle(services: Services, actor: Actor, command: Command) -> Reply:
    """Run the command for the person. Guests and external users get only the help.

    Every text the person sent (the command's, at any depth, and their display name) is
    cleaned of control characters first, once, before any skill reads or stores it. The
    person's language is the one they chose for themselves, if any (``my-language``).
    """
    return await _run(services, actor, command, HANDLERS[type(command)])


async def check_form(services: Services, actor: Actor, command: Command) -> Reply | None:
    """The form of ``command`` checked as it stands (``FORM_CHECKS``), nothing filed or
    changed; None when its form is checked only once submitted. Cleaned and refused as
    ``handle`` does."""
    check = FORM_CHECKS.get(type(command))
    if check is None:
        return None
    return await _run(services, actor, command, check)


async def _run(services: Services, actor: Actor, command: Command, handler: Handler) -> Reply:
    command = cleaned(command)
    actor = dataclasses.replace(
        actor,
        display_name=clean_text(actor.display_name),
        locale=await services.locale_of(actor.tenant_id, actor.user_id, actor.locale),
    )
    async with open_scope(services, actor) as scope:
        if actor.is_guest and not isinstance(command, ShowHelp | UnknownCommand):
            return await refuse(scope, type(command).__name__, reason="guest")
        return await handler(scope, command)
