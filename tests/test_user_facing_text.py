"""Every string people read goes through the catalogs: no user-facing literal in ``bot/`` or
``skills/`` escapes ``_``, ``n_`` or ``p_`` (or ``N_``/``NP_``, translated where shown).

"User-facing" is where text leaves for a person, by the call that carries it (``SINKS``):

- the arguments of the neutral reply's building blocks that people read (skills/replies.py):
  headings, paragraphs, facts, button labels, choice labels and descriptions, field labels and
  hints, form titles, submit labels and descriptions, a chart's title and alt text;
- what the adapters send themselves: ``text=`` of Slack's responses and messages, Block Kit
  text objects, modal titles and close labels, an uploaded file's title and alt text, bolt's
  authorisation refusal, Teams messages (``Activity(text=...)``, ``_say``, a card's summary,
  an Adaptive Card's texts written as a dict);
- the local shell's prompts and what it says.

Reported is a string literal (or the literal text of an f-string, or a module constant holding
one) that contains a letter and reaches such an argument directly, through ``+``, ``or``, or
a conditional expression. What passes through a call (``t._(...)``, ``clip(...)``, a label
function) is that call's business. The operator's command line (``yellowcard summary``,
``migrate``, ``teams-package``, ``install``), logs and HTTP errors for platforms are not for
chat users and stay English.
"""

import ast
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FOLDERS = ("bot", "skills")


@dataclass(frozen=True)
class Sink:
    """Which arguments of a call people read: positions, and keyword names."""

    positions: tuple[int, ...] = ()
    keywords: tuple[str, ...] = ()


# Calls by the name they are made with (a function, a class or a method).
SINKS: dict[str, Sink] = {
    # The neutral reply (skills/replies.py); ids such as a field's name are left out.
    "Heading": Sink((0,), ("text",)),
    "Paragraph": Sink((0,), ("text",)),
    "Fact": Sink((0, 1), ("label", "value")),
    "Button": Sink((0,), ("label",)),
    "Choice": Sink((1, 2), ("label", "description")),
    "ChoiceField": Sink((1,), ("label", "hint")),
    "TextField": Sink((1,), ("label", "hint")),
    "DateTimeField": Sink((1,), ("label", "hint")),
    "ClientPickerField": Sink((1,), ("label", "hint")),
    "PersonField": Sink((1,), ("label", "hint")),
    "Form": Sink((0, 2), ("title", "submit_label", "description")),
    "Chart": Sink((2, 3), ("title", "alt_text")),
    # Slack (bot/slack): responses, messages, Block Kit text, modals, bolt's refusal.
    "respond": Sink((0,), ("text",)),
    "chat_postMessage": Sink(keywords=("text",)),
    "chat_postEphemeral": Sink(keywords=("text",)),
    "chat_update": Sink(keywords=("text",)),
    "PlainTextObject": Sink(keywords=("text",)),
    "MarkdownTextObject": Sink(keywords=("text",)),
    "form_view": Sink((2,), ("close",)),
    "result_view": Sink((1, 2), ("title", "close")),
    "files_upload_v2": Sink(keywords=("title", "alt_txt", "initial_comment")),
    "AsyncApp": Sink(keywords=("user_facing_authorize_error_message",)),
    # Teams (bot/teams): messages, the fallback text of a card, a card's text blocks.
    "Activity": Sink(keywords=("text", "summary")),
    "card_activity": Sink((1,)),
    "_text": Sink((0,)),
    # Teams' surface says (context, text); the shell says (text): any literal argument.
    "_say": Sink((0, 1)),
    # The local shell (bot/shell): its prompts.
    "_read_line": Sink((0,)),
}

# Literals that may reach people as they are, and why.
ALLOWED = {
    # The product's name, the same in every language (a modal's title on Slack).
    "Yellowcard",
    # The shell's prompt: a program's name, typed back as it is.
    "yellowcard> ",
}


@dataclass(frozen=True)
class Finding:
    """A literal that reaches people untranslated."""

    path: str
    line: int
    call: str
    text: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.call}(…{self.text!r}…) is not translated"


def _name(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return None


def _constants(tree: ast.Module) -> dict[str, str]:
    """Module-level names bound to a string: ``NOT_INSTALLED = "…"``."""
    found: dict[str, str] = {}
    for node in tree.body:
        targets: list[ast.expr] = []
        value: ast.expr | None = None
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign):
            targets, value = [node.target], node.value
        if isinstance(value, ast.Constant) and isinstance(value.value, str):
            for target in targets:
                if isinstance(target, ast.Name):
                    found[target.id] = value.value
    return found


def _literals(node: ast.expr, constants: dict[str, str]) -> Iterator[str]:
    """The literal text that ``node`` hands on as it is."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node.value
    elif isinstance(node, ast.JoinedStr):
        for part in node.values:
            if isinstance(part, ast.Constant) and isinstance(part.value, str):
                yield part.value
    elif isinstance(node, ast.Name) and node.id in constants:
        yield constants[node.id]
    elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        yield from _literals(node.left, constants)
        yield from _literals(node.right, constants)
    elif isinstance(node, ast.BoolOp):
        for value in node.values:
            yield from _literals(value, constants)
    elif isinstance(node, ast.IfExp):
        yield from _literals(node.body, constants)
        yield from _literals(node.orelse, constants)


def _has_letters(text: str) -> bool:
    return any(unicodedata.category(char).startswith("L") for char in text)


def _sink_arguments(call: ast.Call, sink: Sink) -> Iterator[ast.expr]:
    for position in sink.positions:
        if position < len(call.args):
            yield call.args[position]
    for keyword in call.keywords:
        if keyword.arg in sink.keywords:
            yield keyword.value


def _card_texts(node: ast.Dict) -> Iterator[ast.expr]:
    """The values of an Adaptive Card's text keys, written as a dict."""
    for key, value in zip(node.keys, node.values, strict=True):
        if isinstance(key, ast.Constant) and key.value in {"text", "title", "altText", "label"}:
            yield value


def untranslated(source: str, path: str) -> list[Finding]:
    """Every user-facing literal in ``source`` that does not go through the catalogs."""
    tree = ast.parse(source)
    constants = _constants(tree)
    findings: list[Finding] = []
    for node in ast.walk(tree):
        reaching: list[tuple[str, ast.expr]] = []
        if isinstance(node, ast.Call):
            name = _name(node)
            sink = SINKS.get(name or "")
            if sink is not None:
                reaching += [(name or "", arg) for arg in _sink_arguments(node, sink)]
        elif isinstance(node, ast.Dict) and path.startswith("bot/teams/"):
            reaching += [("card", value) for value in _card_texts(node)]
        for call, argument in reaching:
            for text in _literals(argument, constants):
                if _has_letters(text) and text not in ALLOWED:
                    findings.append(Finding(path, argument.lineno, call, text))
    return findings


def _sources() -> Iterator[Path]:
    for folder in FOLDERS:
        yield from sorted((ROOT / folder).rglob("*.py"))


def test_every_user_facing_literal_is_translated() -> None:
    findings = [
        finding
        for file in _sources()
        for finding in untranslated(file.read_text(), str(file.relative_to(ROOT)))
    ]
    assert [str(finding) for finding in findings] == []


@pytest.mark.parametrize(
    "source",
    [
        'Paragraph("Nothing recorded yet.")',
        'Button(label="Undo", command=undo)',
        'Fact(t._("State"), "unknown")',
        'Paragraph(t._("Deleted:") + "\\nand more")',
        'Paragraph(text or "None yet.")',
        'Heading(t._("A") if ok else "B")',
        'Paragraph(f"Waiting since {date}")',
        'ChoiceField("move", "Then", choices)',
        'TextField("reason", t._("Reason"), hint="Required when clearing strikes.")',
        'respond(text="Slack did not open the form in time.")',
        'Activity(type=message, text="I answered you in a private chat.")',
        'REFUSAL = "Not installed."\nAsyncApp(user_facing_authorize_error_message=REFUSAL)',
        'Heading("Informe semanal")',
        'Paragraph("週次サマリー")',
    ],
)
def test_a_user_facing_literal_is_found(source: str) -> None:
    assert len(untranslated(source, "skills/example.py")) == 1


@pytest.mark.parametrize(
    "source",
    [
        'Paragraph(t._("Nothing recorded yet."))',
        'Button(t.p_("page", "Next"), go)',
        'Paragraph(t.n_("{count} report", "{count} reports", n))',
        'Fact(t._("Report"), f"#{incident.id}")',
        'Fact(t._("Reason"), reason or "—")',
        'ChoiceField("move", t._("Then"), choices, "next")',
        'Choice("client-id:12", client.name)',
        'Paragraph("\\n".join(lines))',
        'result_view(reply, "Yellowcard", close, value)',
        'log.warning("could not open a form")',
    ],
)
def test_translated_and_machine_text_pass(source: str) -> None:
    assert untranslated(source, "skills/example.py") == []


def test_a_teams_card_text_is_found() -> None:
    source = '{"type": "TextBlock", "text": "Report a client", "wrap": True}'
    assert len(untranslated(source, "bot/teams/render.py")) == 1
