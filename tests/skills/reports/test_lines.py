"""A report cut short, as the ping, the card and the history show it: what is cut, and the
button to the whole report whenever something was."""

from skills.commands import ReportIncident, ShowReport
from skills.replies import Actions, Reply
from skills.text.limits import LINK_PREVIEW_LIMIT, REPORTS_PER_MESSAGE
from tests.support.scenarios import new_client, paragraph_text
from tests.support.workspace import Workspace


def _reads(reply: Reply) -> list[str]:
    return [
        str(button.command.incident_id)
        for block in reply.blocks
        if isinstance(block, Actions)
        for button in block.buttons
        if isinstance(button.command, ShowReport)
    ]


async def test_a_link_too_long_to_show_is_left_to_the_whole_report(workspace: Workspace) -> None:
    await new_client(workspace)
    link = "https://teams.microsoft.com/l/message/19:abc@thread.tacv2/1?" + "x" * LINK_PREVIEW_LIMIT
    filed = await workspace.run(
        ReportIncident("Acme Corp", "scope_creep", "more dashboards", evidence_link=link)
    )
    card = await workspace.say('/client "Acme Corp"')
    assert "Evidence: a link too long to show here" in paragraph_text(card)
    assert link not in paragraph_text(card)
    assert _reads(card) == [str(filed.data["incident_id"])]
    whole = await workspace.run(ShowReport(str(filed.data["incident_id"])))
    assert f"Evidence: {link}" in paragraph_text(whole)


async def test_a_long_author_name_is_cut(workspace: Workspace) -> None:
    await new_client(workspace)
    name = "Bob " + "Client" * 30
    await workspace.run(
        ReportIncident(
            "Acme Corp", "scope_creep", "more", evidence_text="add it", evidence_author=name
        )
    )
    card = await workspace.say('/client "Acme Corp"')
    assert name not in paragraph_text(card)
    assert len(_reads(card)) == 1


async def test_a_message_shows_a_bounded_number_of_reports(workspace: Workspace) -> None:
    await new_client(workspace)
    for number in range(REPORTS_PER_MESSAGE + 2):
        await workspace.say(f'/report-client "Acme Corp" scope_creep extra {number}')
    card = await workspace.say('/client "Acme Corp"', as_user="maria")
    text = paragraph_text(card)
    assert "2 more reports are in the history." in text
    assert f"Details: extra {REPORTS_PER_MESSAGE + 1}" in text  # the newest first
    assert "Details: extra 0" not in text
