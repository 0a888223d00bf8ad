"""Command text parses into the same typed commands on every surface."""

import pytest

from skills.commands import (
    Assess,
    ChangeSetting,
    Command,
    ExportClient,
    ForgetClient,
    LinkChannel,
    MatchAccount,
    RecordDecision,
    ReportIncident,
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
from skills.text.command_parser import parse_command


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("/report-client", ReportIncident()),
        ("/client match", MatchAccount()),
        ("/client match stripe cus_1", MatchAccount("stripe", "cus_1")),
        ("/client match zendesk 901 Acme Corp", MatchAccount("zendesk", "901", "Acme Corp")),
        ('/client match stripe cus_1 "Acme Corp"', MatchAccount("stripe", "cus_1", "Acme Corp")),
        ("/client unmatched", ShowUnmatched()),
        ("/client unmatched 2", ShowUnmatched(2)),
        ("/report-client Acme", ReportIncident(client="Acme")),
        (
            "/report-client Acme scope_creep asked for  three more",
            ReportIncident("Acme", "scope_creep", "asked for  three more"),
        ),
        (
            '/report-client "Acme Corp" abuse he said "you\'re useless"',
            ReportIncident("Acme Corp", "abuse", 'he said "you\'re useless"'),
        ),
        ("/report-client “Acme Corp” abuse x", ReportIncident("Acme Corp", "abuse", "x")),
        (
            "report-client 「株式会社アクメ」 abuse 怒鳴られた",
            ReportIncident("株式会社アクメ", "abuse", "怒鳴られた"),
        ),
        (
            "/report-client Acme non_payment line 1\nline 2",
            ReportIncident("Acme", "non_payment", "line 1\nline 2"),
        ),
        ("/client", ShowHelp()),
        ("/client help", ShowHelp()),
        ("/client Acme Corp", ShowClient("Acme Corp")),
        ('/client "Acme Corp"', ShowClient("Acme Corp")),
        ("/client list", ShowBoard()),
        ("/client list 3", ShowBoard(3)),
        ("/client history Acme Corp", ShowHistory("Acme Corp")),
        ("/client history Acme Corp 2", ShowHistory("Acme Corp", 2)),
        ('/client history "Acme 7" 2', ShowHistory("Acme 7", 2)),
        ("/client report 12", ShowReport("12")),
        ("/client report #12 3", ShowReport("#12", 3)),
        ("/client report", ShowHelp()),
        ("/client reprot 12", ShowClient("reprot 12", meant="report 12")),
        ("/client decide Acme", RecordDecision("Acme")),
        (
            "/client decide Acme cleared paid in full",
            RecordDecision("Acme", "cleared", "paid in full"),
        ),
        ("/client void #12 wrong client", VoidIncident("#12", "wrong client")),
        ("/client void", VoidIncident()),
        ("/client settings", ShowSettings()),
        ("/client settings threshold 3", ChangeSetting("threshold", "3")),
        ("/client settings window 90 confirm", ChangeSetting("window", "90", confirmed=True)),
        ("/client settings managers add bob ana", ChangeSetting("managers", "add bob ana")),
        ("/client export Acme", ExportClient("Acme")),
        ("/client assess Acme", Assess("Acme")),
        ("/client assess", Assess()),
        ("/client link Acme", LinkChannel("Acme")),
        ("/client unlink", UnlinkChannel()),
        ("/client forget Acme confirm", ForgetClient("Acme", confirmed=True)),
        ("/client waiting", ShowWaiting()),
        ("/client waiting 2", ShowWaiting(2)),
        ("client waiting", ShowWaiting()),
        ("hello there", UnknownCommand("hello there")),
    ],
)
def test_parse(text: str, expected: Command) -> None:
    assert parse_command(text) == expected


def test_a_mistyped_subcommand_is_read_as_a_name_and_offered_as_meant() -> None:
    assert parse_command("/client hisotry Globex") == ShowClient(
        "hisotry Globex", meant="history Globex"
    )
    assert parse_command("/client lsit 2") == ShowClient("lsit 2", meant="list 2")
    assert parse_command("/client wiating 2") == ShowClient("wiating 2", meant="waiting 2")
    # A name that is not near a subcommand, or quoted, or one word, is only a name.
    assert parse_command("/client Acme Corp") == ShowClient("Acme Corp")
    assert parse_command('/client "Hisotry Labs"') == ShowClient("Hisotry Labs")
    assert parse_command("/client hisotry") == ShowClient("hisotry")
