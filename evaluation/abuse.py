"""The abuse detector on labelled messages: precision, recall and every mistake.

``python -m evaluation.abuse --eval <language>`` prints them for the labelled set in
``evaluation/data/abuse_labelled/<language>.jsonl`` (one JSON object per line: ``text`` and
``abusive``). The sets stay out of the installed package: they are for people changing the term
lists, and the tests.
"""

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from skills.listening.abuse import detect, file_name
from skills.text.i18n import SUPPORTED_LANGUAGES

LABELLED = Path(__file__).parent / "data" / "abuse_labelled"


def labelled_set(language: str) -> Path:
    """The labelled set's file for ``language``."""
    return LABELLED / f"{file_name(language)}.jsonl"


def evaluate(language: str, path: Path | None = None) -> tuple[float, float, list[str]]:
    """Precision, recall and the misclassified messages on a labelled set, with every
    language's list as in production."""
    source = path or labelled_set(language)
    true_positive = false_positive = false_negative = 0
    wrong = []
    for line in source.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        case = json.loads(line)
        finding = detect(case["text"])
        if finding and case["abusive"]:
            true_positive += 1
        elif finding:
            false_positive += 1
            wrong.append(f"FALSE ALARM {case['text']!r}: {finding.matches}")
        elif case["abusive"]:
            false_negative += 1
            wrong.append(f"MISSED      {case['text']!r}")
    precision = true_positive / max(true_positive + false_positive, 1)
    recall = true_positive / max(true_positive + false_negative, 1)
    return precision, recall, wrong


def main(argv: Sequence[str] | None = None) -> int:
    """``--eval <language>``: precision, recall and the mistakes."""
    parser = argparse.ArgumentParser(prog="python -m evaluation.abuse")
    parser.add_argument("--eval", dest="language", required=True, choices=SUPPORTED_LANGUAGES)
    args = parser.parse_args(argv)
    precision, recall, wrong = evaluate(args.language)
    print(f"{args.language}: precision {precision:.3f}, recall {recall:.3f}")
    print("\n".join(wrong))
    return 0


if __name__ == "__main__":
    sys.exit(main())
