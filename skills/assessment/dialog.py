"""The guided assessment as a dialog (``/client assess <client>``): one group of questions per
step, with Back, Next, Save and finish later, and Cancel.

The dialog lives in ``dialog_session`` (kind ``assessment``): any replica can carry on with it,
after a restart too. A person has at most one open assessment per client; an untouched one
expires after ``EXPIRES_AFTER``.
"""

import uuid
from datetime import timedelta
from decimal import Decimal

from skills.assessment.bank import (
    ANSWER_POINTS,
    COST_KEYS,
    VALUE_NUMBERS,
    VALUE_STEP,
    VALUE_YES_NO,
    Bank,
    bank,
)
from skills.assessment.result import finish_assessment
from skills.assessment.text import (
    ANSWERS,
    COST_ITEMS,
    GROUP_TITLES,
    QUESTIONS,
    VALUE_ITEMS,
    YES_NO,
)
from skills.clients.lookup import client_or_suggestions
from skills.clients.search import NEW_CLIENT_PREFIX
from skills.commands import Assess, AssessmentStep, Expired
from skills.core.access import is_manager, may_assess, refuse
from skills.core.help import expired
from skills.core.scope import Scope
from skills.costs.assessment import cost_suggestions, prefilled_hint
from skills.listening.contact import signal_suggestions
from skills.replies import (
    Choice,
    ChoiceField,
    ClientPickerField,
    Form,
    FormField,
    Paragraph,
    Reply,
    ReplyKind,
    TextField,
)
from skills.settings.hourly_cost import (
    EXAMPLE_COST,
    MAX_HOURLY_COST,
    cost_amount,
    currency_code,
    is_set,
    unknown_currency,
)
from skills.text.i18n import Translator
from skills.text.numbers import parse_amount
from storage.models import Client, DialogSession, DialogStatus

KIND = "assessment"
EXPIRES_AFTER = timedelta(days=7)
MOVES = ("next", "back", "save", "cancel")
MAX_AMOUNT = Decimal(10) ** 9


async def start_assessment(scope: Scope, command: Assess) -> Reply:
    """Open the client's assessment at its first step, or where the person left it."""
    if not command.client:
        t = scope.t
        form = Form(
            title=t._("Assess a client"),
            fields=(ClientPickerField("client", t._("Client")),),
            submit_label=t._("Start"),
            command=command,
        )
        return Reply(ReplyKind.FORM, (form,), {"form": "assessment_client", "errors": {}})
    # A picker's "new client: …" option: only reports create clients, so look the name up.
    name = command.client.removeprefix(NEW_CLIENT_PREFIX)
    client = await client_or_suggestions(scope, name, retry=Assess)
    if isinstance(client, Reply):
        return client
    if not may_assess(scope.tenant, scope.actor, client):
        return await refuse(
            scope, "assessment.start", reason="not_manager", subject=("client", str(client.id))
        )
    tenant_id, user_id = scope.tenant.id, scope.actor.user_id
    dialog = await scope.uow.dialogs.open_for(tenant_id, user_id, KIND, client.id or 0)
    if dialog is not None and (
        dialog.expires_at <= scope.now or dialog.state.get("bank_version") != bank().version
    ):
        # Abandoned, or begun with questions that have changed since: start afresh.
        dialog.status = DialogStatus.EXPIRED
        await scope.uow.dialogs.save(dialog)
        dialog = None
    if dialog is None:
        fresh = DialogSession(
            id=str(uuid.uuid4()),
            tenant_id=tenant_id,
            user_id=user_id,
            kind=KIND,
            client_id=client.id,
            state={
                "bank_version": bank().version,
                "answers": {},
                "suggested": await _suggestions(scope, client),
            },
            created_at=scope.now,
            updated_at=scope.now,
            expires_at=scope.now + EXPIRES_AFTER,
        )
        if await scope.uow.dialogs.add_unique(fresh):
            dialog = fresh
            await scope.audit("assessment.started", subject=("client", str(client.id)))
        else:  # the same person started it a moment ago, elsewhere: carry on with that one
            dialog = await scope.uow.dialogs.open_for(tenant_id, user_id, KIND, client.id or 0)
            if dialog is None:
                raise LookupError("an open assessment clashed, yet none is open")
    await scope.uow.commit()
    return _step_form(scope, dialog, client, {})


async def assessment_step(scope: Scope, command: AssessmentStep) -> Reply:
    """Take a step's answers and move: next, back, save (finish later) or cancel."""
    dialog = await scope.uow.dialogs.get_open(
        scope.tenant.id, command.dialog_id, scope.actor.user_id, scope.now, lock=True
    )
    client = await scope.uow.clients.get(scope.tenant.id, dialog.client_id or 0) if dialog else None
    if dialog is None or client is None or dialog.kind != KIND:
        return await expired(scope, Expired("form"))
    if not may_assess(scope.tenant, scope.actor, client):  # checked on every step: roles change
        return await refuse(
            scope, "assessment.step", reason="not_manager", subject=("client", str(client.id))
        )
    t = scope.t
    if dialog.state.get("bank_version") != bank().version:
        dialog.status = DialogStatus.EXPIRED
        await scope.uow.dialogs.save(dialog)
        await scope.uow.commit()
        text = t._(
            "The questions changed since this assessment began. Start again with "
            "/client assess {client}.",
            client=client.name,
        )
        return Reply(ReplyKind.ERROR, (Paragraph(text),), {"error": "bank_changed"})
    if command.step is not None and command.step != dialog.step:
        # An older copy of the form (another window, a double click): show where it stands.
        return _step_form(scope, dialog, client, {})
    questions = _step_fields(scope, bank(), dialog.step)
    given = {key: value for key, value in command.answers if key in questions}
    valid, errors = _check(scope, given)
    answers = {**dialog.state["answers"], **valid}
    dialog.state = {**dialog.state, "answers": answers}
    dialog.updated_at = scope.now
    dialog.expires_at = scope.now + EXPIRES_AFTER
    move = command.move if command.move in MOVES else "next"
    if move == "cancel":
        dialog.status = DialogStatus.CANCELLED
        await scope.uow.dialogs.save(dialog)
        await scope.uow.commit()
        text = t._("Assessment of {client} cancelled. Nothing was saved.", client=client.name)
        return Reply(ReplyKind.RESULT, (Paragraph(text),), {"assessment": "cancelled"})
    if move == "save":
        await scope.uow.dialogs.save(dialog)
        await scope.uow.commit()
        text = t._(
            "Saved. Carry on when you like with /client assess {client}.", client=client.name
        )
        return Reply(ReplyKind.RESULT, (Paragraph(text),), {"assessment": "saved"})
    if move == "back":
        dialog.step = max(dialog.step - 1, 0)
        await scope.uow.dialogs.save(dialog)
        await scope.uow.commit()
        return _step_form(scope, dialog, client, {})
    for key in questions:
        if key in answers or key in errors:
            continue
        if key not in COST_KEYS:
            errors[key] = t._("Please answer {question}.", question=t.quote(_label(t, key)))
        elif any(other in answers for other in COST_KEYS):
            # Either both or neither: an amount means nothing without its currency.
            errors[key] = t._(
                "Give {question} too, or leave both empty.", question=t.quote(_label(t, key))
            )
    if errors:
        await scope.uow.dialogs.save(dialog)
        await scope.uow.commit()
        return _step_form(scope, dialog, client, errors)
    if dialog.step + 1 < len(bank().steps):
        dialog.step += 1
        await scope.uow.dialogs.save(dialog)
        await scope.uow.commit()
        return _step_form(scope, dialog, client, {})
    dialog.status = DialogStatus.FINISHED
    await scope.uow.dialogs.save(dialog)
    return await finish_assessment(scope, client, answers)


def _step_fields(scope: Scope, current: Bank, step: int) -> list[str]:
    key = current.steps[step]
    if key == VALUE_STEP:
        return [*(COST_KEYS if _asks_cost(scope) else ()), *VALUE_NUMBERS, *VALUE_YES_NO]
    return [question.key for question in dict(current.groups)[key]]


def _asks_cost(scope: Scope) -> bool:
    """Whether the value step asks for the workspace's cost of a support hour: of a manager,
    while it is not set. Staff who are not managers are told, in the result, that a manager
    can set it."""
    return not is_set(scope.tenant) and is_manager(scope.tenant, scope.actor)


def _label(t: Translator, key: str) -> str:
    """A question's label, as its field shows it: errors name the question by it, never by
    its key."""
    text = QUESTIONS.get(key) or VALUE_ITEMS.get(key) or COST_ITEMS[key]
    return t._(text)


def _check(scope: Scope, given: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """The valid answers (amounts written plainly, whatever the person's notation), and an
    error per answer that is not one of the field's choices, or not an amount."""
    t = scope.t
    valid: dict[str, str] = {}
    errors: dict[str, str] = {}
    for key, value in given.items():
        question = t.quote(_label(t, key))
        checked = _checked(t, key, value)
        if checked is not None:
            valid[key] = checked
        elif key == "hourly_cost":
            errors[key] = t._(
                "The answer to {question} is an amount more than 0 and up to {highest}, like "
                "{example}.",
                question=question,
                highest=t.number(MAX_HOURLY_COST),
                example=t.number(EXAMPLE_COST),
            )
        elif key == "currency":
            errors[key] = unknown_currency(t, value)
        elif key in VALUE_NUMBERS:
            errors[key] = t._(
                "The answer to {question} is a number, like {whole} or {fraction}.",
                question=question,
                whole=t.number(1200),
                fraction=t.number(Decimal("7.5")),
            )
        elif key in VALUE_YES_NO:
            errors[key] = t._("Answer {question} with yes or no.", question=question)
        else:
            errors[key] = t._("Answer {question} with no, sometimes or often.", question=question)
    return valid, errors


def _checked(t: Translator, key: str, value: str) -> str | None:
    """The answer as it is kept (amounts plainly, whatever the person's notation; a currency
    by its code), or None when it is not one the field takes."""
    if key == "hourly_cost":
        cost = cost_amount(value, t.locale)
        return None if cost is None else str(cost)
    if key == "currency":
        return currency_code(value)
    if key in VALUE_NUMBERS:
        amount = parse_amount(value, t.locale)
        return str(amount) if amount is not None and 0 <= amount < MAX_AMOUNT else None
    choices = YES_NO if key in VALUE_YES_NO else ANSWER_POINTS
    return value if value in choices else None


def _step_form(
    scope: Scope, dialog: DialogSession, client: Client, errors: dict[str, str]
) -> Reply:
    t = scope.t
    current = bank()
    steps = current.steps
    key = steps[dialog.step]
    answers: dict[str, str] = dialog.state["answers"]
    suggested: dict[str, str] = dialog.state["suggested"]
    fields: list[FormField] = []
    if key == VALUE_STEP:
        asks_cost = _asks_cost(scope)
        if asks_cost:
            hints = {
                "hourly_cost": t._(
                    "Asked once: saved in the settings, for every client. Leave it and the "
                    "currency empty to skip it."
                ),
                "currency": t._("Its three-letter code, like EUR or JPY."),
            }
            fields += [
                TextField(name, _label(t, name), answers.get(name), required=False, hint=hint)
                for name, hint in hints.items()
            ]
        revenue_hint = t._("In the currency above.") if asks_cost else scope.tenant.currency or ""
        for name in VALUE_NUMBERS:
            hint = revenue_hint if name == "monthly_revenue" else ""
            answer = answers.get(name)
            if answer is None and name in suggested:
                answer, hint = suggested[name], prefilled_hint(t, name, scope.tenant.currency)
            fields.append(TextField(name, _label(t, name), answer, required=False, hint=hint))
        yes_no = tuple(Choice(value, t._(label)) for value, label in YES_NO.items())
        fields += [
            ChoiceField(name, t._(VALUE_ITEMS[name]), yes_no, answers.get(name), required=False)
            for name in VALUE_YES_NO
        ]
    else:
        choices = tuple(Choice(value, t.p_(*label)) for value, label in ANSWERS.items())
        for question in dict(current.groups)[key]:
            answer = answers.get(question.key)
            hint = ""
            if answer is None and question.key in suggested:
                answer = suggested[question.key]
                hint = t._("Suggested from the reports on record; change it if it is wrong.")
            label = t._(QUESTIONS[question.key])
            # Not required by the form: Back, Save and Cancel must work on a half-answered
            # step; "next" checks that every question has an answer.
            fields.append(
                ChoiceField(question.key, label, choices, answer, required=False, hint=hint)
            )
    last = dialog.step + 1 == len(steps)
    # "step": the dialog's next and previous steps, not the board's pages.
    moves = [("next", t._("Finish") if last else t.p_("step", "Next"))]
    if dialog.step > 0:
        moves.append(("back", t.p_("step", "Back")))
    moves += [("save", t._("Save and finish later")), ("cancel", t._("Cancel the assessment"))]
    fields.append(
        ChoiceField(
            "move",
            t._("Then"),
            tuple(Choice(value, label) for value, label in moves),
            "next",
            required=False,
        )
    )
    description = t._(
        "Step {step} of {steps}: {title}",
        step=dialog.step + 1,
        steps=len(steps),
        title=t._(GROUP_TITLES[key]),
    )
    form = Form(
        title=t._("Assess {client}", client=client.name),
        fields=tuple(fields),
        submit_label=t._("Continue"),
        command=AssessmentStep(dialog.id, dialog.step),
        errors=errors,
        description=description,
    )
    return Reply(
        kind=ReplyKind.FORM,
        blocks=(form,),
        data={
            "form": "assessment",
            "dialog_id": dialog.id,
            "step": dialog.step + 1,
            "steps": len(steps),
            "errors": errors,
        },
    )


async def _suggestions(scope: Scope, client: Client) -> dict[str, str]:
    """Answers the record suggests: one report of a question's category is "sometimes", two
    or more are "often"; the listening counters (skills/listening/contact.py) and the cost
    figures can raise a suggestion; the cost figures fill in the value step's numbers."""
    # Reports a manager already decided on, or cleared, suggest nothing: an accepted
    # suggestion must not raise the same incident again.
    recorded_after = max(
        filter(None, (client.strikes_reset_at, client.last_decision_at)), default=None
    )
    counts = await scope.uow.incidents.active_counts_by_category(
        scope.tenant.id,
        client.id or 0,
        since=scope.policy.window_start(scope.now),
        recorded_after=recorded_after,
    )
    suggested = {}
    for question in bank().questions:
        count = counts.get(question.category or "", 0)
        if count:
            suggested[question.key] = "often" if count >= 2 else "sometimes"
    # The listening counters and last month's cost figures (skills/costs/assessment.py) can
    # raise a suggestion, never lower one.
    listening = await signal_suggestions(scope, client.id or 0)
    for key, answer in [*listening.items(), *(await cost_suggestions(scope, client)).items()]:
        if suggested.get(key) != "often":
            suggested[key] = answer
    return suggested
