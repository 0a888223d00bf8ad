"""Chat command text → typed command: the same words on every surface.

``/report-client "Acme Corp" scope_creep asked for three extra reports``: a name with spaces is
quoted (straight, curly or Japanese corner quotes); the details are the rest of the line as typed.
"""

import re

from rapidfuzz.distance import OSA

from skills.commands import (
    AddClient,
    Assess,
    ChangeOwner,
    ChangeSetting,
    ChoosePersonalLanguage,
    Command,
    ConnectWebhook,
    DisputeStrike,
    EditClient,
    ExportClient,
    ForgetClient,
    LinkChannel,
    ManageApiTokens,
    MatchAccount,
    RecordDecision,
    ReportIncident,
    SendSummary,
    ShowAssessment,
    ShowBoard,
    ShowClient,
    ShowHelp,
    ShowHistory,
    ShowReport,
    ShowSettings,
    ShowUnmatched,
    ShowWaiting,
    UnknownCommand,
    UnlinkChannel,
    VoidIncident,
)
from skills.text.numbers import whole_number

_WORD = re.compile(r"(\S+)\s*(.*)", re.DOTALL)
# A field of a client's record given as ``key=value``.
_PAIR = re.compile(r"([A-Za-z][A-Za-z_-]*)=")
# Opening quote → closing quote. Phones and Slack's editor turn " into curly quotes.
_QUOTES = {'"': '"', "“": "”", "”": "”", "„": "“", "«": "»", "「": "」", "『": "』"}
MAX_PAGE = 100_000
# Said after a threshold or window change to save it without the preview's button.
CONFIRM = "confirm"
# What may follow /client, besides a client's name.
SUBCOMMANDS = (
    "help", "list", "history", "decide", "void", "settings", "dispute", "owner", "summary",
    "assessment", "assess", "export", "link", "unlink", "forget", "waiting", "report", "add",
    "edit", "match", "unmatched",
)  # fmt: skip
# ``/client list cost``: the board by cost against revenue.
BY_COST = "cost"
# The one setting that is each person's own, not the workspace's.
PERSONAL_LANGUAGE = "my-language"
# Not a setting with a value: the signals API's tokens, made, listed and revoked.
API_TOKEN = "api-token"
CONNECT = "connect"


def next_token(text: str) -> tuple[str, str]:
    """The first word or quoted phrase of ``text`` and what follows it (left-stripped)."""
    text = text.lstrip()
    if not text:
        return "", ""
    closing = _QUOTES.get(text[0])
    if closing is not None:
        end = text.find(closing, 1)
        if end == -1:
            return text[1:].strip(), ""
        return text[1:end].strip(), text[end + 1 :].lstrip()
    word = _WORD.match(text)
    assert word is not None, "a non-empty, left-stripped text starts with a word"
    return word.group(1), word.group(2)


def parse_command(text: str) -> Command:
    """The command that ``text`` asks for; the leading slash is optional (Teams has none)."""
    word, rest = next_token(text)
    name = word.lstrip("/").lower()
    if name == "report-client":
        return _report(rest)
    if name == "client":
        return _client(rest)
    return UnknownCommand(text.strip())


def _report(rest: str) -> ReportIncident:
    client, rest = next_token(rest)
    category, rest = next_token(rest)
    return ReportIncident(
        client=client or None, category=category or None, details=rest.strip() or None
    )


def _client(rest: str) -> Command:
    sub, after = next_token(rest)
    keyword = sub.lower()
    if not sub or keyword == "help":
        return ShowHelp()
    if keyword == "list":
        order, tail = next_token(after)
        if order.lower() == BY_COST:
            return ShowBoard(_page(tail.strip()), by=BY_COST)
        return ShowBoard(_page(after.strip()))
    if keyword == "history":
        return _history(after)
    if keyword == "report":
        incident, tail = next_token(after)
        return ShowReport(incident, _page(tail.strip())) if incident else ShowHelp()
    if keyword == "decide":
        client, after = next_token(after)
        decision, reason = next_token(after)
        return RecordDecision(client or None, decision or None, reason.strip() or None)
    if keyword == "void":
        incident, reason = next_token(after)
        return VoidIncident(incident or None, reason.strip() or None)
    if keyword == "settings":
        return _setting(after)
    if keyword == "dispute":
        incident, reason = next_token(after)
        return DisputeStrike(incident or None, reason.strip() or None)
    if keyword == "owner":
        client, owner = next_token(after)
        return ChangeOwner(client or None, owner.strip() or None)
    if keyword == "add":
        name, fields = _record(after)
        return AddClient(name or None, fields)
    if keyword == "edit":
        client, fields = _record(after)
        return EditClient(client or None, fields)
    if keyword == "summary":
        option = after.strip().lower()
        return SendSummary(preview=True) if option == "preview" else SendSummary()
    if keyword == "assessment":
        client, _rest = next_token(after)
        return ShowAssessment(client) if client else ShowHelp()
    if keyword == "assess":
        client, _rest = next_token(after)
        return Assess(client or None)
    if keyword == "export":
        client, _rest = next_token(after)
        return ExportClient(client) if client else ShowHelp()
    if keyword == "link":
        client, _rest = next_token(after)
        return LinkChannel(client or None)
    if keyword == "unlink":
        return UnlinkChannel()
    if keyword == "match":
        source, after = next_token(after)
        external_id, rest = next_token(after)
        # The client: quoted, or every word of the rest.
        client = next_token(rest)[0] if rest[:1] in _QUOTES else rest.strip()
        return MatchAccount(source or None, external_id or None, client or None)
    if keyword == "unmatched":
        return ShowUnmatched(_page(after.strip()))
    if keyword == "waiting":
        return ShowWaiting(_page(after.strip()))
    if keyword == "forget":
        client, tail = next_token(after)
        confirmed = tail.strip().lower() == CONFIRM
        return ForgetClient(client, confirmed=confirmed) if client else ShowHelp()
    # A bare name: quoted, or every word of it.
    name, tail = next_token(rest)
    if tail and rest.lstrip()[0] not in _QUOTES:
        near = nearest_subcommand(sub)
        return ShowClient(rest.strip(), meant=f"{near} {tail.strip()}" if near else None)
    return ShowClient(name)


def _record(after: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    """A client's name, then ``key=value`` pairs (``notes="two words"``): the name is the
    quoted phrase, or every word before the first pair."""
    text = after.strip()
    name = ""
    if text and text[0] in _QUOTES:
        name, text = next_token(text)
    else:
        words = []
        while text and not _PAIR.match(text):
            word, text = next_token(text)
            words.append(word)
        name = " ".join(words)
    pairs = []
    while text:
        pair = _PAIR.match(text)
        if pair is None:
            # A word that is no pair: kept under its own name, for the skill to call it wrong.
            word, text = next_token(text)
            pairs.append(("", word))
            continue
        rest = text[pair.end() :]
        if not rest or rest[0].isspace():
            value, text = "", rest.lstrip()
        else:
            value, text = next_token(rest)
        pairs.append((pair.group(1), value))
    return name, tuple(pairs)


def nearest_subcommand(word: str) -> str | None:
    """The subcommand ``word`` is a slip of the keyboard for (a letter off, or two swapped:
    "hisotry" for "history"), if one is that near."""
    typed = word.lower()
    allowed = 1 if len(typed) <= 5 else 2
    distance, nearest = min((OSA.distance(typed, name), name) for name in SUBCOMMANDS)
    return nearest if 0 < distance <= allowed else None


def _setting(after: str) -> Command:
    setting, value = next_token(after)
    if not setting:
        return ShowSettings()
    if setting.lower() == PERSONAL_LANGUAGE:
        return ChoosePersonalLanguage(value.strip())
    if setting.lower() == API_TOKEN:
        action, rest = next_token(value)
        name, _rest = next_token(rest)
        return ManageApiTokens(action.lower(), name)
    if setting.lower() == CONNECT:
        kind, secret = next_token(value)
        return ConnectWebhook(kind.lower(), secret.strip())
    words = value.split()
    confirmed = bool(words) and words[-1].lower() == CONFIRM
    if confirmed:
        value = value.rstrip()[: -len(CONFIRM)]
    return ChangeSetting(setting.lower(), value.strip(), confirmed=confirmed)


def _history(after: str) -> Command:
    client, tail = next_token(after)
    if not client:
        return ShowHelp()
    if after.lstrip()[0] not in _QUOTES:
        # Unquoted: the name is every word but a trailing page number.
        words = after.split()
        page = whole_number(words[-1], lowest=1, highest=MAX_PAGE)
        if len(words) > 1 and page is not None:
            return ShowHistory(" ".join(words[:-1]), page)
        return ShowHistory(" ".join(words))
    return ShowHistory(client, _page(tail.strip()))


def _page(text: str) -> int:
    return whole_number(text, lowest=1, highest=MAX_PAGE) or 1
