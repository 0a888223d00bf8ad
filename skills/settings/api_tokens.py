"""``/client settings api-token create <name> | list | revoke <name>``: managers make, list and
revoke the signals API's tokens (docs/api.md). A new token is shown once, privately; the rules
are ``skills.signals.tokens``'s, as on the command line."""

from skills.commands import ManageApiTokens
from skills.core.access import require_manager
from skills.core.scope import Scope
from skills.replies import Fact, Facts, Heading, Paragraph, Reply, ReplyKind, Visibility
from skills.signals.tokens import TokenError, create_token, list_tokens, revoke_token
from skills.text.i18n import Translator
from skills.text.mentions import mention
from storage.book_models import ApiToken

# The tokens made on the command line are made by ``cli:<OS user>``, nobody chat can name.
_COMMAND_LINE = "cli:"


async def manage_api_tokens(scope: Scope, command: ManageApiTokens) -> Reply:
    """Managers only, for every action (a token opens the tenant's data to another system)."""
    refused = await require_manager(scope, "api_token.manage", ("api_token", command.name))
    if refused:
        return refused
    action = command.action.lower()
    try:
        if action == "create" and command.name:
            return _created(scope.t, command.name, await create_token(scope, command.name))
        if action == "revoke" and command.name:
            await revoke_token(scope, command.name)
            return _revoked(scope.t, command.name)
    except TokenError as problem:
        return Reply(ReplyKind.ERROR, (Paragraph(str(problem)),), {"error": "api_token"})
    if action == "list":
        return _listed(scope, await list_tokens(scope))
    return Reply(ReplyKind.ERROR, (Paragraph(_usage(scope.t)),), {"error": "api_token_usage"})


def _created(t: Translator, name: str, token: str) -> Reply:
    return Reply(
        ReplyKind.RESULT,
        (
            Heading(t._("API token {name}", name=t.quote(name))),
            Paragraph(
                t._(
                    "This is the only time the token is shown. Keep it in the sending system's "
                    "secrets, sent as Authorization: Bearer <token> (see docs/api.md):"
                )
            ),
            Paragraph(token),
        ),
        {"api_token": name},
        # Never in a channel. The token is in the text alone, not in the data scripts read.
        visibility=Visibility.PRIVATE,
    )


def _revoked(t: Translator, name: str) -> Reply:
    text = t._("Token {name} is revoked: requests with it are refused from now on.", name=name)
    return Reply(ReplyKind.RESULT, (Paragraph(text),), {"revoked": name})


def _listed(scope: Scope, tokens: list[ApiToken]) -> Reply:
    t, timezone = scope.t, scope.tenant.timezone
    if not tokens:
        text = t._("No API tokens yet. {usage}", usage=_usage(t))
        return Reply(ReplyKind.RESULT, (Paragraph(text),), {"api_tokens": []})
    facts = []
    for token in tokens:
        made = t._(
            "made {when} by {who}",
            when=t.date(token.created_at, timezone),
            who=_who(token.created_by),
        )
        used = (
            t._("last used {when}", when=t.date_time(token.last_used_at, timezone))
            if token.last_used_at
            else t._("never used")
        )
        state = (
            t._("revoked {when}", when=t.date(token.revoked_at, timezone))
            if token.revoked_at
            else t._("active")
        )
        facts.append(Fact(token.name, " · ".join((state, made, used))))
    data = [{"name": token.name, "active": token.revoked_at is None} for token in tokens]
    return Reply(
        ReplyKind.RESULT,
        (Heading(t._("API tokens")), Facts(tuple(facts))),
        {"api_tokens": data},
    )


def _who(user_id: str) -> str:
    return user_id if user_id.startswith(_COMMAND_LINE) else mention(user_id)


def _usage(t: Translator) -> str:
    return t._(
        "Managers make tokens for the signals API with /client settings api-token create "
        "<name>, see them with /client settings api-token list, and revoke one with "
        "/client settings api-token revoke <name>."
    )
