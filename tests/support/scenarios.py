"""Scenarios on a test workspace, set up as people would: through the commands they type, the
buttons they press and the forms they submit."""

from datetime import datetime

from skills.commands import LinkChannel, ReportIncident
from skills.core.forms import complete_form
from skills.listening.hearing import HeardMessage
from skills.replies import Actions, ChoiceField, Paragraph, Reply, ReplyKind
from tests.support.workspace import Workspace

# The assessment's value questions, answered so that the client pays 3,000 a month for 10 hours
# of support: at an hourly cost of 50 (once a manager sets one), a value ratio of 6.
VALUE_ANSWERS = {
    "monthly_revenue": "3000",
    "support_hours": "10",
    "reference_account": "no",
    "costly_to_lose": "no",
    "can_change": "yes",
    "star_potential": "no",
}


async def new_client(ws: Workspace, name: str = "Acme Corp") -> None:
    """Create a client through the "create it" button of an unknown-client reply."""
    reply = await ws.run(ReportIncident(name, "expectation_mismatch", "wants a mobile app"))
    assert reply.data["error"] == "unknown_client"
    create = reply.blocks[-1]
    assert isinstance(create, Actions)
    created = await ws.run(create.buttons[-1].command)
    assert created.kind is ReplyKind.RESULT


async def cross(ws: Workspace) -> tuple[int, int]:
    """Two yellow reports on Acme Corp, both Ana's; returns their ids."""
    await new_client(ws)
    first = await ws.say('/report-client "Acme Corp" scope_creep extra dashboards')
    second = await ws.say('/report-client "Acme Corp" moving_goalposts changed the brief again')
    assert second.data["client"]["state"] == "threshold"
    return first.data["incident_id"], second.data["incident_id"]


def paragraph_text(reply: Reply) -> str:
    """The text of every paragraph of ``reply``, one per line."""
    return "\n".join(block.text for block in reply.blocks if isinstance(block, Paragraph))


async def answer_step(ws: Workspace, reply: Reply, answer: str = "no", **chosen: str) -> Reply:
    """Submit the assessment step on screen as María: every question gets ``answer`` and every
    value question its ``VALUE_ANSWERS`` entry, unless ``chosen`` says otherwise (``move`` picks
    Next, Back, Save or Cancel)."""
    form = reply.form
    assert form is not None, reply
    values: dict[str, str | None] = {}
    for field in form.fields:
        if field.name == "move":
            values["move"] = chosen.pop("move", "next")
        elif field.name in VALUE_ANSWERS:
            values[field.name] = chosen.get(field.name, VALUE_ANSWERS[field.name])
        elif isinstance(field, ChoiceField):
            values[field.name] = chosen.get(field.name, answer)
    return await ws.run(complete_form(form, values), as_user="maria")


async def run_through(ws: Workspace, reply: Reply, answer: str = "no", **chosen: str) -> Reply:
    """Answer every remaining step of the assessment, as ``answer_step`` does; the result."""
    while reply.kind is ReplyKind.FORM:
        reply = await answer_step(ws, reply, answer, **chosen)
    return reply


def heard_message(
    ws: Workspace, event: str, *, client: bool, text: str, at: datetime, **more: object
) -> HeardMessage:
    """A message heard in channel C-acme: from the client, or from staff when ``client`` is
    false (``more`` sets the other fields, such as ``mentions``)."""
    return HeardMessage(
        tenant_id=ws.tenant_id,
        channel_id="C-acme",
        event_id=event,
        from_client=client,
        at=at,
        text=text,
        **more,  # type: ignore[arg-type]
    )


async def linked_client(ws: Workspace) -> int:
    """Acme Corp, created and linked to channel C-acme; its id."""
    await new_client(ws)
    linked = await ws.run(LinkChannel("Acme Corp", channel="C-acme"))
    return int(linked.data["client_id"])


async def escalation_and_dispute(ws: Workspace) -> tuple[int, int]:
    """Acme Corp over the threshold (Ana's two reports) and Ana, its account owner now,
    disputing the first strike: an open escalation and an open dispute. Their report ids."""
    first, second = await cross(ws)
    await ws.say('/client owner "Acme Corp" ana', as_user="maria")
    disputed = await ws.say(f"/client dispute {first} it was our bug", as_user="ana")
    assert disputed.kind is ReplyKind.RESULT
    return first, second
