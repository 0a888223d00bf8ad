"""The abuse detector on its evaluation sets (precision first), and its rules."""

import json
import os
import re
import subprocess
import sys
import tomllib
import unicodedata
from pathlib import Path

import pytest

from evaluation.abuse import LABELLED, cases, evaluate, score, set_path
from skills.listening.abuse import (
    LAST_COMBINING_MARK,
    TERMS,
    Term,
    TermIndex,
    _first_look,
    _normalize,
    _term,
    detect,
    file_name,
    term_list,
)
from skills.listening.literal_search import LiteralIndex, required_cues
from skills.listening.words import word_splitter
from skills.text.i18n import SUPPORTED_LANGUAGES

ROOT = Path(__file__).resolve().parents[3]
PRECISION_FLOOR = 0.95
RECALL_FLOOR = 0.85
FALSE_ALARM_CEILING = 0.005


def test_every_language_has_terms_and_its_three_sets() -> None:
    for language in SUPPORTED_LANGUAGES:
        assert (TERMS / f"{file_name(language)}.toml").exists(), language
        labelled = cases(set_path(language))
        harmless = sum(1 for case in labelled if not case["abusive"])
        assert len(labelled) >= 150, language
        assert 0.5 <= harmless / len(labelled) <= 0.7, language
        assert len(cases(set_path(language, "benign"))) >= 300, language
        blind = cases(set_path(language, "blind"))
        assert len(blind) >= 80, language
        assert all(isinstance(case["abusive"], bool) for case in blind), language


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_precision_and_recall_floors(language: str) -> None:
    precision, recall, wrong = evaluate(language)
    assert precision >= PRECISION_FLOOR, wrong
    assert recall >= RECALL_FLOOR, wrong


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_ordinary_support_messages_are_rarely_flagged(language: str) -> None:
    benign = score(set_path(language, "benign"))
    assert benign.false_alarm_rate <= FALSE_ALARM_CEILING, benign.wrong


@pytest.mark.parametrize(
    "text",
    [
        # Japanese: a listed word inside an ordinary one (ブス, バカ, ガキ), with a target.
        "サブスクの担当の方、請求書の宛名を変更できますか？",
        "担当の方、ウェブストアの表示がおかしいです",
        "担当の方はバカンス中ですか？",
        "担当の方、ハガキで送ってもらえますか？",
        # Traditional Chinese: 不是人, 低能, 是豬, 三八 and 廢物 inside ordinary words, with 你們.
        "你們回覆的是不是人工客服？",
        "你們那邊低能見度的時候航班會延誤嗎",
        "我們是豬肉加工廠，你們的系統可以追蹤批號嗎",
        "三八婦女節你們有上班嗎",
        "你們的廢物分類功能在哪裡",
        # Spanish: friendly address between colleagues.
        "weón, gracias, ya me llegó la factura",
        "boludo, ya quedó el acceso, gracias",
        "güey, ya jaló la integración",
    ],
)
def test_what_the_detector_used_to_flag_is_left_alone(text: str) -> None:
    assert detect(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "お前はブスだな",
        "担当者バカなの？",
        "你們是豬嗎？",
        "你根本不是人",
        "你這個廢物",
        # Spanish across regions, and plural and formal targets.
        "ustedes son unos inútiles",
        "usted es un incompetente",
        "eres un weón",  # Chile
        "sos un pelotudo",  # Argentina
        "chinga tu madre, pendejo",  # Mexico
        "sois unos gilipollas",  # Spain
    ],
)
def test_abuse_is_still_found(text: str) -> None:
    assert detect(text) is not None


def test_words_are_told_apart_per_writing_system() -> None:
    # サブ|スク|の|担当: ブス (offsets 1 to 3) is no word.
    assert {0, 2, 4, 5, 7} <= set(word_splitter("japanese").boundaries("サブスクの担当"))
    assert 1 not in word_splitter("japanese").boundaries("サブスクの担当")
    # 低|能見度: 低能 (offsets 0 to 2) is no word.
    assert 2 not in word_splitter("chinese").boundaries("低能見度")
    separated = word_splitter("separated").boundaries("scunthorpe idiot")
    assert [offset for offset in range(17) if offset in separated] == [0, 10, 11, 16]


def test_an_entry_can_match_inside_longer_words() -> None:
    # 你 is listed to match inside 你們, which jieba keeps as one word.
    assert detect("你們是白癡嗎") is not None


def test_a_tenants_terms_and_allowed_phrases_work_with_word_matching() -> None:
    # A nickname the team knows as an insult (made up: no list has it).
    assert detect("担当はポンタロウだ") is None
    assert detect("担当はポンタロウだ", extra_terms=["ポンタロウ"]) is not None
    # A tenant's term is a word too: it is not found inside a longer one.
    assert detect("担当のサブスク", extra_terms=["ブス"]) is None
    assert detect("你這個廢物") is not None
    assert detect("你這個廢物", allowed=["廢物"]) is None


def test_the_first_look_never_misses_what_the_lists_find() -> None:
    """Every message of every set: where a list's term or threat occurs, the first look saw
    that language (and that threat)."""
    look = _first_look(tuple(SUPPORTED_LANGUAGES))
    texts = [
        str(case["text"])
        for language in SUPPORTED_LANGUAGES
        for name in ("labelled", "benign")
        for case in cases(set_path(language, name))
    ]
    checked = 0
    for text in texts:
        forms = {strip: _normalize(text, strip) for strip in (True, False)}
        seen = look.look(forms)
        for language in SUPPORTED_LANGUAGES:
            terms = term_list(language)
            form = forms[terms.strips_accents]
            if terms.rude.in_text(form):
                assert seen.term_seen(language), (language, text)
                checked += 1
            for position, pattern in enumerate(terms.threats):
                if pattern.search(form):
                    assert position in seen.threats(language), (language, text)
                    checked += 1
    assert checked > 300


def test_no_combining_mark_lies_past_the_last_one_stripped() -> None:
    assert unicodedata.combining(chr(LAST_COMBINING_MARK))
    assert not any(
        unicodedata.combining(chr(code))
        for code in range(LAST_COMBINING_MARK + 1, sys.maxunicode + 1)
    )


def test_a_shouted_insult_says_it_was_shouted() -> None:
    finding = detect("THIS IS USELESS, IDIOTS")
    assert finding is not None
    assert "shouted" in {match.kind for match in finding.matches}


def test_a_finding_explains_what_matched() -> None:
    finding = detect("You are all useless idiots.")
    assert finding is not None
    assert finding.category == "abuse"
    kinds = {match.kind for match in finding.matches}
    assert "insult" in kinds
    assert "target" in kinds


def test_a_harmless_phrase_does_not_hide_an_insult_inside_other_words() -> None:
    # "idiot me" is harmless; it must not match across "idiot messed".
    assert detect("You idiot messed it up again") is not None


def test_complaints_and_quotes_are_not_flagged() -> None:
    for text in (
        "This bug is killing me, the export fails every time.",
        "The error says `fatal: you stupid idiot` and then it crashes.",
        "> you are useless idiots\nThat is what the last vendor wrote to us, not you!",
    ):
        assert detect(text) is None, text


def test_a_tenant_adds_terms_and_allows_phrases() -> None:
    assert detect("You are a total gronk") is None
    assert detect("You are a total gronk", extra_terms=["gronk"]) is not None
    flagged = "You useless idiots"
    assert detect(flagged) is not None
    assert detect(flagged, allowed=["useless idiots"]) is None


def test_a_threats_cues_are_in_every_text_it_matches() -> None:
    texts = [
        json.loads(line)["text"]
        for path in LABELLED.glob("*.jsonl")
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    for language in SUPPORTED_LANGUAGES:
        source = tomllib.loads((TERMS / f"{file_name(language)}.toml").read_text())
        strips_accents = source.get("matching", {}).get("words", "separated") == "separated"
        normalized = [_normalize(text, strips_accents) for text in texts]
        for pattern in source["terms"].get("threats", []):
            cues = required_cues(pattern)
            compiled = re.compile(pattern)
            for text in normalized:
                if cues is not None and compiled.search(text):
                    assert any(cue in text for cue in cues), (pattern, text)


def test_literal_index_finds_what_is_there() -> None:
    index = LiteralIndex([("kill", 1), ("know where", 2), ("殺", 3)])
    assert sorted(index.found("i know where you live and will kill")) == [1, 2]
    assert index.found("我要殺了你") == [3]
    assert index.found("nothing here") == []


_EXPLAIN_ALL = """
import json, sys
from evaluation.abuse import LABELLED
from skills.listening.abuse import detect
for path in sorted(LABELLED.glob("*.jsonl")):
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            print(repr(detect(json.loads(line)["text"])))
"""


def test_the_explanation_is_the_same_in_every_process() -> None:
    # String hashing differs between processes; which threat a finding names must not.
    runs = [
        subprocess.run(
            [sys.executable, "-c", _EXPLAIN_ALL],
            env={**os.environ, "PYTHONHASHSEED": seed},
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2", "3")
    ]
    assert runs[0].count("Finding(") > 100
    assert runs[0] == runs[1] == runs[2]


def test_marks_stacked_on_letters_do_not_hide_an_insult() -> None:
    # Combining marks (here a Cyrillic one, as "Zalgo" text uses) are removed before matching.
    finding = detect("You are all useless i\u0483diots\u0301.")
    assert finding is not None
    assert "idiots" in [match.text for match in finding.matches]


_WITHOUT_MECAB = """
import sys
sys.modules["fugashi"] = None  # as if the analyser were not installed
from skills.listening.abuse import TermListError, check_term_lists
try:
    check_term_lists()
except TermListError as error:
    print(error)
"""


def test_a_missing_word_analyser_stops_the_start() -> None:
    shown = subprocess.run(
        [sys.executable, "-c", _WITHOUT_MECAB],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "the ja abuse detector cannot split words (japanese)" in shown


def test_control_characters_neither_crash_the_analysers_nor_hide_a_term() -> None:
    # A lone surrogate made MeCab and jieba raise; a NUL made MeCab stop reading.
    assert detect("お前バカ\ud83d") is not None
    assert detect("お前\x00バカ") is not None
    assert detect("你這個廢物\ud83d") is not None


def test_an_allowed_phrase_never_makes_a_match() -> None:
    # Taken out of "muppetidiot", "muppet" would leave "idiot"; taken out of "dead wrong
    # about", "wrong about" would leave "you're dead".
    assert detect("you absolute muppetidiot", allowed=["muppet"]) is None
    threat = "you're dead wrong about the totals. the idiot-proof setup is fine"
    assert detect(threat) is None
    assert detect(threat, allowed=["wrong about"]) is None


def test_a_single_word_entry_can_match_inside_longer_words() -> None:
    index = TermIndex([Term("scum", "insult", within_words=True)], by_word=True)
    assert index.candidates("you scumbag") == [Term("scum", "insult", within_words=True)]


def test_a_blank_entry_is_refused() -> None:
    assert _term("idiot", "insult", True) == Term("idiot", "insult")
    for blank in ("", " ", "\u0301"):
        with pytest.raises(TypeError):
            _term(blank, "insult", True)
