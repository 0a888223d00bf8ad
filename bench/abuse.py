"""The abuse detector per language: how right it is, and how fast, in one process.

    .venv/bin/python bench/abuse.py [--messages 50000] [--rounds 3] [--languages en,es,ja,zh-Hant]
                                    [--blind]

For each language it prints:

- the labelled set's precision and recall (the set the lists are tuned on);
- the benign corpus's false-alarm rate;
- with ``--blind``, the blind set's precision and recall (written by someone who had not seen
  the lists; its mistakes are never printed, and while the lists are being changed it is left
  out, so that nobody tunes on it by accident);
- messages per second on the **hard mixed stream** (the labelled set, about half abusive and
  half hard negatives: nearly every message reaches the word splitter) and on a **realistic
  stream** (the benign corpus with messages carrying a listed term mixed in to 2 % of the
  stream), each ``--messages`` long, as the median of ``--rounds`` rounds with the range.

Every language's list is tried on every message, as in production. The analysers are loaded
before timing (the first message in a process pays for that once).
"""

import argparse
import statistics
import sys
import time
from collections.abc import Sequence
from itertools import cycle, islice
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from evaluation.abuse import cases, score, set_path
from skills.listening.abuse import _normalize, detect, term_list
from skills.text.i18n import SUPPORTED_LANGUAGES

REALISTIC_SHARE = 0.02


def carries_a_term(text: str) -> bool:
    """Does any language's list find one of its slurs, insults or swear words in ``text``
    (as a substring: what sends a message past the cheap first look)?"""
    for language in SUPPORTED_LANGUAGES:
        terms = term_list(language)
        if terms.rude.in_text(_normalize(text, terms.strips_accents)):
            return True
    return False


def realistic_stream(language: str, length: int) -> list[str]:
    """The language's benign messages without a listed term, and 2 % messages with one (from
    its labelled set, both abusive and harmless), interleaved evenly."""
    plain = [str(case["text"]) for case in cases(set_path(language, "benign"))]
    plain = [text for text in plain if not carries_a_term(text)]
    with_terms = [
        str(case["text"]) for case in cases(set_path(language)) if carries_a_term(str(case["text"]))
    ]
    every = round(1 / REALISTIC_SHARE)
    plain_messages = cycle(plain)
    term_messages = cycle(with_terms)
    return [
        next(term_messages) if position % every == 0 else next(plain_messages)
        for position in range(length)
    ]


def hard_stream(language: str, length: int) -> list[str]:
    """The labelled set, repeated to ``length`` messages."""
    return list(islice(cycle(str(case["text"]) for case in cases(set_path(language))), length))


def rate(messages: list[str]) -> float:
    """Messages per second through ``detect``."""
    started = time.perf_counter()
    for text in messages:
        detect(text)
    return len(messages) / (time.perf_counter() - started)


def spread(rates: list[float]) -> str:
    """The median, and the range, of a few rounds' rates."""
    return f"{statistics.median(rates):,.0f}/s ({min(rates):,.0f}–{max(rates):,.0f})"


def main(argv: Sequence[str] | None = None) -> int:
    """Quality figures, then speed, per language."""
    parser = argparse.ArgumentParser(prog="bench/abuse.py")
    parser.add_argument("--messages", type=int, default=50_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--languages", default=",".join(SUPPORTED_LANGUAGES))
    parser.add_argument("--blind", action="store_true", help="score the blind set too")
    args = parser.parse_args(argv)
    languages = args.languages.split(",")
    for warm_up in ("warm up", "お前はバカだ", "你這個白癡", "eres un idiota"):
        detect(warm_up)
    print(
        "| language | labelled P / R | benign false alarms | blind P / R "
        "| hard mixed stream | realistic stream (share with a term) |"
    )
    print("|---|---|---|---|---|---|")
    for language in languages:
        labelled = score(set_path(language))
        benign = score(set_path(language, "benign"))
        blind = (
            f"{(found := score(set_path(language, 'blind'))).precision:.3f} / "
            f"{found.recall:.3f} ({found.messages})"
            if args.blind
            else "not scored"
        )
        hard = hard_stream(language, args.messages)
        realistic = realistic_stream(language, args.messages)
        share = sum(map(carries_a_term, realistic)) / len(realistic)
        hard_rates, realistic_rates = [], []
        for _round in range(args.rounds):
            hard_rates.append(rate(hard))
            realistic_rates.append(rate(realistic))
        print(
            f"| {language} | {labelled.precision:.3f} / {labelled.recall:.3f} "
            f"({labelled.messages}) | {benign.false_alarm_rate:.2%} "
            f"({benign.false_positive} of {benign.messages}) "
            f"| {blind} "
            f"| {spread(hard_rates)} | {spread(realistic_rates)} ({share:.1%}) |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
