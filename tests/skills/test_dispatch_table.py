"""Every command has exactly one handler, and every handler a command."""

from skills.commands import COMMAND_TYPES
from skills.dispatch import HANDLERS


def test_every_command_has_a_handler() -> None:
    assert set(HANDLERS) == set(COMMAND_TYPES)
    assert len(COMMAND_TYPES) == len(set(COMMAND_TYPES))
