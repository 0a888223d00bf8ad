"""What Yellowcard understands (``/client help``), in the person's language, and who the
managers are."""

from skills.commands import Expired, ShowHelp, UnknownCommand
from skills.core.access import who_manages
from skills.core.scope import Scope
from skills.replies import Heading, Paragraph, Reply, ReplyKind
from skills.text.i18n import NP_


async def show_help(scope: Scope, _command: ShowHelp) -> Reply:
    """The commands, one line each; then, for the staff, who the managers are."""
    t = scope.t
    # The syntax's placeholders (<client>, [page]) are words to translate; the commands and
    # their keywords stay as they are typed.
    lines = (
        (
            NP_("command syntax", "/report-client [client] [category] [details]"),
            t._("report something a client did"),
        ),
        (
            NP_("command syntax", "/client <client>"),
            t._("the client's card: state, strikes, recent reports"),
        ),
        (
            NP_("command syntax", "/client history <client> [page]"),
            t._("everything recorded, newest first"),
        ),
        (
            NP_("command syntax", "/client report <report> [page]"),
            t._("one report in full: its details and all of its evidence"),
        ),
        (
            NP_("command syntax", "/client list [cost] [page]"),
            t._("all clients, riskiest first; cost: costliest against what they pay first"),
        ),
        (
            NP_("command syntax", "/client assess <client>"),
            t._("managers: the guided assessment and its playbook"),
        ),
        (
            NP_("command syntax", "/client assessment <client>"),
            t._("the latest assessment and its playbook"),
        ),
        (
            NP_("command syntax", "/client decide <client> [decision] [reason]"),
            t._("managers: record a decision"),
        ),
        (NP_("command syntax", "/client void <report> <reason>"), t._("managers: void a report")),
        (
            NP_("command syntax", "/client dispute <report> <reason>"),
            t._("account owners: dispute a strike"),
        ),
        (
            NP_("command syntax", "/client owner <client> <person>"),
            t._("managers: give the account to someone"),
        ),
        (
            NP_("command syntax", "/client add <name> [field=value …]"),
            t._("managers: add a client with its record (segment, revenue, ids…)"),
        ),
        (
            NP_("command syntax", "/client edit <client> field=value …"),
            t._("managers: change a client's record, or rename it (name=…)"),
        ),
        (
            NP_("command syntax", "/client link <client> · /client unlink"),
            t._("in a support channel: count it for a client"),
        ),
        (
            NP_("command syntax", "/client forget <client>"),
            t._("managers: delete everything about a client"),
        ),
        (
            NP_("command syntax", "/client settings [name value]"),
            t._("the policy; managers change it"),
        ),
        (
            NP_("command syntax", "/client settings my-language <language>"),
            t._("the language Yellowcard speaks to you in"),
        ),
        (
            NP_("command syntax", "/client settings api-token create|list|revoke [name]"),
            t._("managers: tokens for other systems to send tickets and invoices"),
        ),
        (
            NP_("command syntax", "/client settings connect stripe|zendesk <secret>"),
            t._("managers: Stripe's or Zendesk's webhooks (better from the command line)"),
        ),
        (
            NP_("command syntax", "/client summary [preview]"),
            t._("managers: the weekly risk summary now"),
        ),
        (
            NP_("command syntax", "/client export <client>"),
            t._("managers: the client's whole record as JSON"),
        ),
        (
            NP_("command syntax", "/client waiting [page]"),
            t._("managers: open escalations and disputes waiting for a decision"),
        ),
        (
            NP_("command syntax", "/client unmatched [page]"),
            t._("managers: Stripe and Zendesk accounts no client is matched to yet"),
        ),
        (
            NP_("command syntax", "/client match <source> <account-id> <client>"),
            t._("managers: match a Stripe or Zendesk account to a client"),
        ),
        (NP_("command syntax", "/client help"), t._("this help")),
    )
    text = "\n".join(f"{t.p_(*usage)} — {meaning}" for usage, meaning in lines)
    # Guests get the help too, but nothing about the organisation.
    managers = () if scope.actor.is_guest else (Paragraph(who_manages(t, scope.tenant)),)
    return Reply(
        kind=ReplyKind.RESULT,
        blocks=(
            Heading(t._("Yellowcard commands")),
            Paragraph(text),
            Paragraph(t._('Quote a client name with spaces: "Acme Corp".')),
            Paragraph(
                t._(
                    "Yellowcard suggests a report, privately, to the account owner (or the "
                    "managers) when an invoice stays unpaid past the non-payment days or a client "
                    "takes far more support than it pays for. Nothing is filed until you press "
                    "“File this report”."
                )
            ),
            *managers,
        ),
        data={"commands": [usage for (_context, usage), _meaning in lines]},
    )


async def unknown_command(scope: Scope, command: UnknownCommand) -> Reply:
    """Say the text was not understood, then show the help."""
    help_reply = await show_help(scope, ShowHelp())
    intro = Paragraph(scope.t._("I don't know {text}.", text=scope.t.quote(command.text)))
    return Reply(
        kind=ReplyKind.ERROR,
        blocks=(intro, *help_reply.blocks),
        data={"error": "unknown_command", **help_reply.data},
    )


async def expired(scope: Scope, command: Expired) -> Reply:
    """A form or button that can no longer be used."""
    t = scope.t
    if command.what == "form":
        text = t._("This form has expired. Start again.")
    else:
        text = t._("This button has expired.")
    return Reply(kind=ReplyKind.ERROR, blocks=(Paragraph(text),), data={"error": "expired"})
