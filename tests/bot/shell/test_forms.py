"""Forms in the shell, typed as a person types: each answer checked at once and asked again by
its label, nothing given asked twice, and only the fields that matter asked."""

from skills.assessment.bank import bank
from skills.replies import ReplyKind
from tests.support.scenarios import new_client
from tests.support.workspace import Workspace

# What the report form asks after "What happened", when nothing else was given: severity, when
# it happened, then the evidence's link, quote, author and time.
SEVERITY, WHEN, *EVIDENCE = (
    "Severity: ",
    "When it happened: ",
    "Link to the evidence: ",
    "Quoted message: ",
    "Who wrote it: ",
    "When it was written: ",
)
# Asked once a report is filed: Undo, or Add evidence.
PICK = "Choose a number, or press Enter to stop: "


async def test_a_wrong_date_is_asked_again_at_once_by_its_label(workspace: Workspace) -> None:
    await new_client(workspace)
    typed = await workspace.shell(
        '/report-client "Acme Corp" scope_creep',
        ["wants a fourth dashboard", "", "last tuesday", "2026-02-24 10:00", "", "", "", ""],
    )
    assert typed.prompts == ["What happened: ", SEVERITY, WHEN, WHEN, *EVIDENCE, PICK]
    assert "When it happened: Write the date as 2026-01-31, or 2026-01-31 14:30." in typed.said
    assert not any("occurred_at" in line for line in typed.said + typed.shown)
    assert typed.reply.kind is ReplyKind.RESULT, typed.shown
    export = await workspace.say('/client export "Acme Corp"', as_user="maria")
    incidents = export.data["export"]["incidents"]
    [filed] = [row for row in incidents if row["category"] == "scope_creep"]
    assert filed["details"] == "wants a fourth dashboard"
    assert filed["occurred_at"].startswith("2026-02-24")


async def test_a_date_in_the_future_is_refused_before_the_next_field(workspace: Workspace) -> None:
    await new_client(workspace)
    typed = await workspace.shell(
        '/report-client "Acme Corp" scope_creep', ["asked for more", "", "2027-01-01"]
    )
    assert typed.prompts == ["What happened: ", SEVERITY, WHEN, WHEN]
    assert "When it happened: That date is in the future." in typed.said


async def test_a_given_client_is_never_asked_nor_renamed(workspace: Workspace) -> None:
    await new_client(workspace)
    # The category is wrong: only it is asked, and answering it renames nobody.
    typed = await workspace.shell(
        '/report-client "Acme Corp" nonsense shouted at Ana', ["abuse", "", "", "", "", "", ""]
    )
    assert not any(prompt.startswith("Client") for prompt in typed.prompts)
    assert typed.prompts[0] == "What kind of problem: "
    assert "  What kind of problem: “nonsense” is not a category." in typed.shown[0]
    assert typed.reply.kind is ReplyKind.RESULT, typed.shown
    assert typed.reply.data["client"]["name"] == "Acme Corp"
    assert typed.reply.data["category"] == "abuse"


async def test_days_overdue_are_asked_only_for_unpaid_invoices(workspace: Workspace) -> None:
    await new_client(workspace)
    given = await workspace.shell('/report-client "Acme Corp" scope_creep', ["more dashboards"])
    asked = await workspace.shell(
        '/report-client "Acme Corp"', ["8", "more dashboards", "", "", "", "", "", ""]
    )
    unpaid = await workspace.shell(
        '/report-client "Acme Corp"',
        ["6", "invoice 17 unpaid", "", "", "soon", "75", "", "", "", ""],
    )
    days = "Days the invoice is overdue: "
    assert days not in given.prompts + asked.prompts
    assert asked.prompts[0] == "What kind of problem: "
    assert asked.reply.kind is ReplyKind.RESULT
    assert unpaid.prompts[:7] == [
        "What kind of problem: ",
        "What happened: ",
        SEVERITY,
        WHEN,
        days,
        days,
        EVIDENCE[0],
    ]
    assert "Days the invoice is overdue: Days overdue is a whole number from 0 to 3650." in (
        unpaid.said
    )
    # 75 days is past the tenant's 60: the unpaid invoice is a red card.
    assert (unpaid.reply.data["category"], unpaid.reply.data["severity"]) == ("non_payment", "red")


async def test_fields_are_named_and_checked_in_the_persons_language(
    workspace: Workspace,
) -> None:
    await new_client(workspace)
    typed = await workspace.shell(
        '/report-client "Acme Corp"',
        ["Facturas sin pagar", "factura 17 sin pagar", "", "ayer", "", "abc"],
        language="es",
    )
    assert typed.prompts[:6] == [
        "Tipo de problema: ",
        "Qué pasó: ",
        "Gravedad: ",
        "Cuándo pasó: ",
        "Cuándo pasó: ",
        "Días de retraso de la factura: ",
    ]
    assert "Cuándo pasó: Escribe la fecha como 2026-01-31 o 2026-01-31 14:30." in typed.said
    assert typed.prompts[-1] == "Días de retraso de la factura: "
    assert any(line.startswith("Días de retraso de la factura: ") for line in typed.said)


async def test_the_assessment_names_a_wrong_answer_by_its_question(workspace: Workspace) -> None:
    await new_client(workspace)
    first_step = [question.key for question in dict(bank().groups)["effort"]]
    answers = ["1"] * (len(first_step) - 1) + ["maybe", ""]  # then: next
    typed = await workspace.shell('/client assess "Acme Corp"', [*answers, "2"], as_user="maria")
    question = "Do they skip support and go straight to managers or executives?"
    shown = "\n".join(typed.shown)
    assert f"  {question}: Answer “{question}” with no, sometimes or often." in shown
    assert not any(f"{key}:" in shown for key in first_step)
    # Only the wrong answer is asked again (not "Then"); the next step follows.
    assert typed.prompts[len(answers)] == f"{question}: "
    assert typed.prompts[len(answers) + 1].startswith("Have they insulted")
    assert typed.reply.data["step"] == 2


async def test_a_japanese_error_follows_its_label_as_japanese_writes_it(
    workspace: Workspace,
) -> None:
    await new_client(workspace)
    typed = await workspace.shell(
        '/report-client "Acme Corp" abuse', ["怒鳴られた", "", "火曜日"], language="ja"
    )
    assert typed.prompts[-2:] == ["発生日時: ", "発生日時: "]
    assert "発生日時：日付は 2026-01-31 または 2026-01-31 14:30 の形式で入力してください。" in (
        typed.said
    )
