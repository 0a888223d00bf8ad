"""The abuse detector against the labelled evaluation set (precision first), and its rules."""

import json
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from evaluation.abuse import LABELLED, evaluate, labelled_set
from skills.listening.abuse import TERMS, _normalize, detect, file_name
from skills.listening.literal_search import LiteralIndex, required_cues
from skills.text.i18n import SUPPORTED_LANGUAGES

ROOT = Path(__file__).resolve().parents[3]
PRECISION_FLOOR = 0.9
RECALL_FLOOR = 0.7


def test_every_language_has_terms_and_a_labelled_set() -> None:
    total = 0
    for language in SUPPORTED_LANGUAGES:
        assert (TERMS / f"{file_name(language)}.toml").exists(), language
        cases = [
            json.loads(line)
            for line in labelled_set(language).read_text().splitlines()
            if line.strip()
        ]
        abusive = sum(1 for case in cases if case["abusive"])
        assert len(cases) >= 50, language
        assert 0.3 <= abusive / len(cases) <= 0.6, language
        total += len(cases)
    assert total >= 200


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_precision_and_recall_floors(language: str) -> None:
    precision, recall, wrong = evaluate(language)
    assert precision >= PRECISION_FLOOR, wrong
    assert recall >= RECALL_FLOOR, wrong


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
        bounded = source.get("matching", {}).get("word_boundaries", True)
        normalized = [_normalize(text, bounded) for text in texts]
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
