"""The question bank, read from ``skills/data/assessment.toml``."""

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

BANK_FILE = Path(__file__).parents[1] / "data" / "assessment.toml"
ANSWER_POINTS = {"no": 0, "sometimes": 1, "often": 2}
VALUE_STEP = "value"
VALUE_NUMBERS = ("monthly_revenue", "support_hours")
VALUE_YES_NO = ("reference_account", "costly_to_lose", "can_change", "star_potential")
# The workspace's cost of a support hour and its currency: asked on the value step of a manager
# while the workspace has none (saved to its settings), and kept with a finished assessment's
# answers as the ratio used them.
COST_KEYS = ("hourly_cost", "currency")


@dataclass(frozen=True)
class Question:
    """One scored question."""

    key: str
    group: str
    area: str
    weight: int
    category: str | None = None
    zero_tolerance: bool = False


@dataclass(frozen=True)
class Bank:
    """A version of the question bank, with the thresholds of the recommendation rule."""

    version: int
    groups: tuple[tuple[str, tuple[Question, ...]], ...]
    high: int
    medium: int
    valuable_ratio: float

    @property
    def questions(self) -> tuple[Question, ...]:
        """Every scored question, in dialog order."""
        return tuple(question for _group, questions in self.groups for question in questions)

    @property
    def steps(self) -> tuple[str, ...]:
        """The dialog's steps: one per group, then the value step."""
        return (*(group for group, _questions in self.groups), VALUE_STEP)


@cache
def bank() -> Bank:
    """The bank in the data file."""
    with BANK_FILE.open("rb") as data:
        raw = tomllib.load(data)
    groups = tuple(
        (
            group["key"],
            tuple(
                Question(
                    key=item["key"],
                    group=group["key"],
                    area=item["area"],
                    weight=int(item["weight"]),
                    category=item.get("category"),
                    zero_tolerance=bool(item.get("zero_tolerance", False)),
                )
                for item in group["questions"]
            ),
        )
        for group in raw["groups"]
    )
    return Bank(
        version=int(raw["version"]),
        groups=groups,
        high=int(raw["risk"]["high"]),
        medium=int(raw["risk"]["medium"]),
        valuable_ratio=float(raw["risk"]["valuable_ratio"]),
    )
