"""Managers match accounts of Stripe and Zendesk to clients: the notice each manager gets
once about a new unmatched account, ``/client unmatched [page]`` (what waits) and
``/client match <source> <external-id> <client>`` (what the notice's button opens as a form).
"""

import dataclasses

from skills.clients.lookup import client_or_suggestions
from skills.clients.record_fields import apply_changes
from skills.commands import MatchAccount, ShowUnmatched
from skills.core.access import require_manager
from skills.core.scope import Scope
from skills.integrations.unmatched import SOURCES, release_held
from skills.replies import (
    Actions,
    Block,
    Button,
    ButtonStyle,
    Choice,
    ChoiceField,
    ClientPickerField,
    Fact,
    Facts,
    Form,
    Heading,
    Paragraph,
    Reply,
    ReplyKind,
    TextField,
)
from skills.text.i18n import Translator
from skills.text.paging import page_controls, page_of
from storage.integration_models import UnmatchedAccount

PAGE_SIZE = 10
# The systems' own names: brands, the same in every language.
SOURCE_NAMES = {"stripe": "Stripe", "zendesk": "Zendesk"}


def unmatched_notice(scope: Scope, account: UnmatchedAccount) -> Reply:
    """The message a manager gets once about a new unmatched account: where it comes from,
    its id and name, how many events it sent so far, and the button that matches it."""
    t = scope.t
    blocks: list[Block] = [
        Heading(t._("An account no client is matched to")),
        Paragraph(_explained(t, account.source)),
        *_account_blocks(scope, account),
    ]
    return Reply(ReplyKind.RESULT, tuple(blocks), _account_data(account))


async def show_unmatched(scope: Scope, command: ShowUnmatched) -> Reply:
    """One page of the accounts waiting to be matched, each with its button; managers only."""
    refused = await require_manager(scope, "account.list", ("account", str(command.page)))
    if refused:
        return refused
    t = scope.t
    waiting = await scope.uow.unmatched.waiting(scope.tenant.id)
    page = page_of(waiting, command.page, PAGE_SIZE)
    blocks: list[Block] = [Heading(t._("Accounts waiting to be matched"))]
    for account in page.items:
        blocks += _account_blocks(scope, account)
    if not waiting:
        blocks.append(Paragraph(t._("Every account Stripe and Zendesk told us about is matched.")))
    blocks += page_controls(t, page, ShowUnmatched)
    return Reply(
        ReplyKind.RESULT,
        tuple(blocks),
        {
            "page": page.number,
            "pages": page.count,
            "waiting": len(waiting),
            "accounts": [_account_data(account) for account in page.items],
        },
    )


async def match_account(scope: Scope, command: MatchAccount) -> Reply:
    """Give the client the account's id (unless a person gave it another one), make what the
    account sent the client's, and mark the account matched; a form while something is
    missing or wrong. Managers only; audited."""
    source = (command.source or "").strip().lower()
    external_id = (command.external_id or "").strip()
    refused = await require_manager(scope, "account.match", ("account", f"{source}:{external_id}"))
    if refused:
        return refused
    t = scope.t
    errors: dict[str, str] = {}
    account = None
    if source not in SOURCES:
        errors["source"] = t._("Choose Stripe or Zendesk.")
    elif external_id:
        account = await scope.uow.unmatched.lock(scope.tenant.id, source, external_id)
        if account is None:
            errors["external_id"] = t._("No account with this id has been heard of from there.")
    if errors or account is None or not command.client:
        return _form(scope, command, errors)
    client = await client_or_suggestions(
        scope, command.client, retry=lambda name: dataclasses.replace(command, client=name)
    )
    if isinstance(client, Reply):
        return client
    if account.matched_client_id is not None:
        return await _matched_before(scope, account, client.id or 0)
    field = SOURCES[source]
    locked = await scope.uow.clients.lock(scope.tenant.id, client.id or 0)
    assert locked is not None, "the client was just found"
    current = getattr(locked, field)
    if current and current != external_id:
        return _error(
            t._(
                "{client} already has the id {id} from {source}, set by a person; it is not "
                "replaced. If this account is theirs, change the id with /client edit first.",
                client=locked.name,
                id=current,
                source=SOURCE_NAMES[source],
            ),
            "has_other_id",
        )
    if not current:
        holder = (
            await scope.uow.clients.with_external_id(scope.tenant.id, billing_id=external_id)
            if field == "billing_id"
            else await scope.uow.clients.with_external_id(scope.tenant.id, helpdesk_id=external_id)
        )
        if holder is not None:
            # Another client was given the id (by /client edit or an import): the account
            # is that client's, not this one's.
            return _error(t._("{client} already has this id.", client=holder.name), "id_taken")
        changes = apply_changes(locked, {field: external_id})
        await scope.uow.clients.save(locked)
        await scope.audit("client.edited", subject=("client", str(locked.id)), changes=changes)
    moved = await release_held(scope, locked)
    await scope.uow.commit()
    text = t.n_(
        "{account} is now matched to {client}: its {count} event went to the client.",
        "{account} is now matched to {client}: its {count} events went to the client.",
        moved,
        account=_account_name(account),
        client=locked.name,
    )
    return Reply(
        ReplyKind.RESULT,
        (Paragraph(text),),
        {**_account_data(account), "client_id": locked.id, "signals": moved},
    )


async def _matched_before(scope: Scope, account: UnmatchedAccount, client_id: int) -> Reply:
    """The answer to matching an account matched already: done, when to the same client (a
    second click, a second manager); refused otherwise."""
    t = scope.t
    matched = await scope.uow.clients.get(scope.tenant.id, account.matched_client_id or 0)
    name = matched.name if matched is not None else "?"
    if account.matched_client_id == client_id:
        text = t._(
            "{account} is matched to {client} already.", account=_account_name(account), client=name
        )
        return Reply(
            ReplyKind.RESULT,
            (Paragraph(text),),
            {**_account_data(account), "client_id": client_id, "signals": 0},
        )
    return _error(
        t._(
            "{account} is matched to {client} already. Change the client's id with /client "
            "edit to move it.",
            account=_account_name(account),
            client=name,
        ),
        "matched_to_other",
    )


def _form(scope: Scope, command: MatchAccount, errors: dict[str, str]) -> Reply:
    t = scope.t
    choices = tuple(Choice(source, name) for source, name in SOURCE_NAMES.items())
    form = Form(
        title=t._("Match an account to a client"),
        fields=(
            ChoiceField(
                "source", t.p_("account", "From"), choices, (command.source or "").lower() or None
            ),
            TextField("external_id", t._("Account id"), command.external_id, max_length=200),
            ClientPickerField(
                "client",
                t._("Client"),
                command.client,
                hint=t._("The client gets this id, and everything the account sent so far."),
            ),
        ),
        submit_label=t._("Match"),
        command=command,
        errors=errors,
        description=t._(
            "A person's id on a client is never replaced: a client with another id is refused."
        ),
    )
    return Reply(ReplyKind.FORM, (form,), {"form": "match", "errors": errors})


def _account_blocks(scope: Scope, account: UnmatchedAccount) -> list[Block]:
    t = scope.t
    facts = [
        Fact(t.p_("account", "From"), SOURCE_NAMES.get(account.source, account.source)),
        Fact(t._("Account id"), account.external_id),
        Fact(t._("Name there"), account.display_name or t._("(none given)")),
        Fact(t._("Events so far"), t.number(account.events)),
        Fact(t._("First heard of"), t.date(account.first_seen_at, scope.tenant.timezone)),
    ]
    match = MatchAccount(account.source, account.external_id)
    return [
        Facts(tuple(facts)),
        Actions((Button(t._("Match to a client"), match, ButtonStyle.PRIMARY),)),
    ]


def _explained(t: Translator, source: str) -> str:
    if source == "stripe":
        return t._(
            "Stripe sent events about a customer that no client has as its billing id. They are "
            "kept, not counted, until you match the customer to a client."
        )
    return t._(
        "Zendesk sent events about an organisation that no client has as its help-desk id. "
        "They are kept, not counted, until you match the organisation to a client."
    )


def _account_name(account: UnmatchedAccount) -> str:
    source = SOURCE_NAMES.get(account.source, account.source)
    named = f" ({account.display_name})" if account.display_name else ""
    return f"{source} {account.external_id}{named}"


def _account_data(account: UnmatchedAccount) -> dict[str, object]:
    return {
        "account_id": account.id,
        "source": account.source,
        "external_id": account.external_id,
        "display_name": account.display_name,
        "events": account.events,
        "matched_client_id": account.matched_client_id,
    }


def _error(text: str, code: str) -> Reply:
    return Reply(ReplyKind.ERROR, (Paragraph(text),), {"error": code})
