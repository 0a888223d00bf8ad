"""What Yellowcard understands (``/client help``), in the person's language."""

from skills.commands import Expired, ShowHelp, UnknownCommand
from skills.core.scope import Scope
from skills.replies import Heading, Paragraph, Reply, ReplyKind


async def show_help(scope: Scope, _command: ShowHelp) -> Reply:
    """The commands, one line each."""
    t = scope.t
    lines = (
        ("/report-client [client] [category] [details]", t._("report something a client did")),
        ("/client <client>", t._("the client's card: state, strikes, recent reports")),
        ("/client history <client> [page]", t._("everything recorded, newest first")),
        ("/client list [page]", t._("all clients, riskiest first")),
        ("/client assess <client>", t._("managers: the guided assessment and its playbook")),
        ("/client assessment <client>", t._("the latest assessment and its playbook")),
        ("/client decide <client> [decision] [reason]", t._("managers: record a decision")),
        ("/client void <report> <reason>", t._("managers: void a report")),
        ("/client dispute <report> <reason>", t._("account owners: dispute a strike")),
        ("/client owner <client> <person>", t._("managers: give the account to someone")),
        (
            "/client link <client> · /client unlink",
            t._("in a support channel: count it for a client"),
        ),
        ("/client forget <client>", t._("managers: delete everything about a client")),
        ("/client settings [name value]", t._("the policy; managers change it")),
        ("/client summary [preview]", t._("managers: the weekly risk summary now")),
        ("/client export <client>", t._("managers: the client's whole record as JSON")),
        ("/client help", t._("this help")),
    )
    text = "\n".join(f"{usage} — {meaning}" for usage, meaning in lines)
    return Reply(
        kind=ReplyKind.RESULT,
        blocks=(
            Heading(t._("Yellowcard commands")),
            Paragraph(text),
            Paragraph(t._('Quote a client name with spaces: "Acme Corp".')),
        ),
        data={"commands": [usage for usage, _meaning in lines]},
    )


async def unknown_command(scope: Scope, command: UnknownCommand) -> Reply:
    """Say the text was not understood, then show the help."""
    help_reply = await show_help(scope, ShowHelp())
    intro = Paragraph(scope.t._("I don't know “{text}”.", text=command.text))
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
