"""``/client settings my-language``: the language Yellowcard speaks to one person in, when it
is not their Slack or Teams language (a support lead whose clients write Spanish may want
Spanish while their Slack is in English). Anyone on the staff chooses for themselves."""

from skills.commands import ChoosePersonalLanguage
from skills.core.scope import Scope
from skills.replies import Paragraph, Reply, ReplyKind
from skills.text.i18n import SUPPORTED_LANGUAGES, Translator, supported_language, translator

# What brings back the platform's language.
FOLLOW_PLATFORM = ("auto", "default", "reset")


async def choose_personal_language(scope: Scope, command: ChoosePersonalLanguage) -> Reply:
    """Show the person's choice, or keep a new one (answered in that language)."""
    given = command.language.strip()
    user_id = scope.actor.user_id
    chosen = await scope.uow.people.language(scope.tenant.id, user_id)
    if not given:
        return _shown(scope.t, chosen)
    if given.lower() in FOLLOW_PLATFORM:
        language = None
    else:
        language = supported_language(given)
        if language is None:
            return Reply(
                ReplyKind.ERROR,
                (
                    Paragraph(
                        scope.t._(
                            "Yellowcard speaks {languages}. Write one of them, or {auto} for "
                            "your Slack or Teams language.",
                            languages=scope.t.one_of(SUPPORTED_LANGUAGES),
                            auto=scope.t.quote(FOLLOW_PLATFORM[0]),
                        )
                    ),
                ),
                {"error": "unknown_language", "given": given},
            )
    await scope.uow.people.set_language(scope.tenant.id, user_id, language, scope.now)
    await scope.audit(
        "person.language_chosen", subject=("person", user_id), before=chosen, after=language
    )
    await scope.uow.commit()
    scope.languages.remember(scope.tenant.id, user_id, language)
    # Answered in the language just chosen, so the person sees it work.
    return _shown(translator(language) if language else scope.t, language, changed=True)


def _shown(t: Translator, language: str | None, *, changed: bool = False) -> Reply:
    if language is None:
        text = t._(
            "Yellowcard speaks to you in your Slack or Teams language. To choose another: "
            "/client settings my-language es (or en, ja, zh-Hant)."
        )
    else:
        text = t._(
            "Yellowcard speaks to you in {language}, whatever your Slack or Teams language. "
            "To go back to it: /client settings my-language auto",
            language=t.language_name(language),
        )
    return Reply(
        ReplyKind.RESULT, (Paragraph(text),), {"my_language": language, "changed": changed}
    )
