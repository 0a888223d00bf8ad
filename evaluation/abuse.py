"""The abuse detector on data: precision, recall, the false-alarm rate, and every mistake.

Three sets per language, in ``evaluation/data/`` (one JSON object per line), kept out of the
installed package:

- ``abuse_labelled/<language>.jsonl`` (``text``, ``abusive``, ``why``): the set the term lists
  are tuned on, half of it hard negatives from support work;
- ``abuse_benign/<language>.jsonl`` (``text``): ordinary support messages, for the false-alarm
  rate alone;
- ``abuse_blind/<language>.jsonl`` (``text``, ``abusive``, ``why``): written by someone who had
  not seen the term lists, scored once when the detector was done. Its mistakes are not
  printed: a list tuned on them would make its figure as flattering as the labelled set's.

``python -m evaluation.abuse --eval <language> [--set labelled|benign|blind]``
"""

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from skills.listening.abuse import detect, file_name
from skills.text.i18n import SUPPORTED_LANGUAGES

DATA = Path(__file__).parent / "data"
LABELLED = DATA / "abuse_labelled"
SETS = ("labelled", "benign", "blind")


@dataclass
class Score:
    """Counts of one run over a set, and the messages it got wrong."""

    true_positive: int = 0
    false_positive: int = 0
    false_negative: int = 0
    true_negative: int = 0
    wrong: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        """Of the flagged messages, the share that were abusive (1.0 when none was flagged)."""
        flagged = self.true_positive + self.false_positive
        return self.true_positive / flagged if flagged else 1.0

    @property
    def recall(self) -> float:
        """Of the abusive messages, the share flagged (1.0 when there were none)."""
        abusive = self.true_positive + self.false_negative
        return self.true_positive / abusive if abusive else 1.0

    @property
    def false_alarm_rate(self) -> float:
        """Of the harmless messages, the share flagged."""
        harmless = self.false_positive + self.true_negative
        return self.false_positive / harmless if harmless else 0.0

    @property
    def messages(self) -> int:
        """How many messages were scored."""
        return self.true_positive + self.false_positive + self.false_negative + self.true_negative


def set_path(language: str, name: str = "labelled") -> Path:
    """The file of set ``name`` for ``language``."""
    return DATA / f"abuse_{name}" / f"{file_name(language)}.jsonl"


def labelled_set(language: str) -> Path:
    """The labelled set's file for ``language``."""
    return set_path(language)


def cases(path: Path) -> list[dict[str, object]]:
    """The messages of a set; a benign set's are harmless, the others say whether each is
    abusive (a message that does not say is an error, never harmless by default)."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    if path.parent == DATA / "abuse_benign":
        return [{"abusive": False, **row} for row in rows]
    unlabelled = [row["text"] for row in rows if not isinstance(row.get("abusive"), bool)]
    if unlabelled:
        raise ValueError(f"{path} has messages without an abusive label: {unlabelled[:3]}")
    return rows


def score(path: Path) -> Score:
    """Run the detector, with every language's list as in production, over the set at
    ``path``."""
    result = Score()
    for case in cases(path):
        text = str(case["text"])
        finding = detect(text)
        if finding and case["abusive"]:
            result.true_positive += 1
        elif finding:
            result.false_positive += 1
            result.wrong.append(f"FALSE ALARM {text!r}: {finding.matches}")
        elif case["abusive"]:
            result.false_negative += 1
            result.wrong.append(f"MISSED      {text!r}")
        else:
            result.true_negative += 1
    return result


def evaluate(language: str, path: Path | None = None) -> tuple[float, float, list[str]]:
    """Precision, recall and the misclassified messages on a labelled set."""
    result = score(path or labelled_set(language))
    return result.precision, result.recall, result.wrong


def main(argv: Sequence[str] | None = None) -> int:
    """``--eval <language> [--set …]``: the figures and, except for the blind set, the
    mistakes."""
    parser = argparse.ArgumentParser(prog="python -m evaluation.abuse")
    parser.add_argument("--eval", dest="language", required=True, choices=SUPPORTED_LANGUAGES)
    parser.add_argument("--set", dest="name", choices=SETS, default="labelled")
    args = parser.parse_args(argv)
    result = score(set_path(args.language, args.name))
    if args.name == "benign":
        print(
            f"{args.language} benign: {result.false_positive} false alarms in "
            f"{result.messages} messages ({result.false_alarm_rate:.2%})"
        )
    else:
        print(
            f"{args.language} {args.name}: precision {result.precision:.3f}, "
            f"recall {result.recall:.3f} ({result.messages} messages)"
        )
    if args.name == "blind":
        print("(the blind set's mistakes are not shown: it is scored, never tuned on)")
    else:
        print("\n".join(result.wrong))
    return 0


if __name__ == "__main__":
    sys.exit(main())
