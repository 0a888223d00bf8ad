"""People named in commands: a name typed where a person's id belongs is refused, saying how to
name them, because a manager or an account owner nobody can ever be helps no one."""

from skills.text.i18n import Translator
from skills.text.limits import clip
from skills.text.mentions import is_person_id

# How much of a wrong value an error quotes back.
GIVEN_SHOWN = 80


def not_a_person(t: Translator, platform: str, given: str) -> str | None:
    """Why ``given`` cannot name a person of a tenant on ``platform`` (a Slack user id or a
    Teams person's Microsoft Entra object id, as a mention brings them), or None when it can."""
    if is_person_id(platform, given):
        return None
    shown = t.quote(clip(given, GIVEN_SHOWN))
    if platform == "teams":
        return t._(
            "{given} is not someone Yellowcard can find. @mention the person, or write their "
            "Microsoft Entra object id: Microsoft Entra admin center → Users → the person → "
            "Object ID.",
            given=shown,
        )
    return t._("{given} is not someone Yellowcard can find. @mention the person.", given=shown)
