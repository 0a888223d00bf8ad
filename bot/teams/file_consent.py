"""Files in Teams, as Microsoft documents them ("Send and receive files using bot"): a bot
gives a person a file in their one-to-one chat only once they allow it.

1. The outbox sends a file consent card (``consent_activity``): the file's name, size and what
   it is, with the offer's id in its accept and decline contexts.
2. Allow or Decline sends a ``fileConsent/invoke``; ``answer_of`` reads it into the neutral
   ``AnswerFileOffer``, which the skills check (only the manager it was offered to) and answer.
3. Allowed, the outbox puts the bytes into the upload session Teams opened in the person's
   OneDrive (``Connector.upload``) and then sends a file info card (``file_info_activity``)
   that opens it. Declined, the person is told nothing was saved.

The manifest says ``"supportsFiles": true``; without it Teams shows no consent card.
"""

from collections.abc import Mapping
from typing import Any

from microsoft_agents.activity import Activity, ActivityTypes, Attachment
from microsoft_agents.activity.teams import FileConsentCard, FileInfoCard, FileUploadInfo
from pydantic import ValidationError

from skills.commands import AnswerFileOffer
from skills.outbox.files import OutgoingFile

FILE_CONSENT = "fileConsent/invoke"
CONSENT_CARD = "application/vnd.microsoft.teams.card.file.consent"
FILE_INFO_CARD = "application/vnd.microsoft.teams.card.file.info"
# The key of the offer's id in the card's accept and decline contexts.
OFFER = "yc_offer"
ACCEPT = "accept"


def consent_activity(file: OutgoingFile, offer: str) -> Activity:
    """A message asking the person to allow ``file``; their answer names ``offer``."""
    context = {OFFER: offer}
    card = FileConsentCard(
        description=file.title,
        size_in_bytes=len(file.content),
        accept_context=context,
        decline_context=context,
    )
    return Activity(
        type=ActivityTypes.message,
        summary=file.title,
        attachments=[
            Attachment(
                content_type=CONSENT_CARD,
                name=file.filename,
                content=card.model_dump(by_alias=True, exclude_none=True),
            )
        ],
    )


def answer_of(value: Mapping[str, Any]) -> AnswerFileOffer:
    """The person's answer to a consent card, as the skills take it. An Allow without the
    upload details Teams always sends carries no destination, and the skills refuse it."""
    context = value.get("context")
    offer = str(context.get(OFFER, "")) if isinstance(context, Mapping) else ""
    if value.get("action") != ACCEPT:
        return AnswerFileOffer(offer)
    try:
        upload = FileUploadInfo.model_validate(value.get("uploadInfo"))
    except ValidationError:
        return AnswerFileOffer(offer, accepted=True)
    destination = upload.model_dump(by_alias=True, exclude_none=True)
    return AnswerFileOffer(offer, accepted=True, destination=tuple(sorted(destination.items())))


def upload_info(destination: Mapping[str, str]) -> FileUploadInfo:
    """The upload details an Allow carried (``answer_of`` checked them)."""
    return FileUploadInfo.model_validate(destination)


def file_info_activity(file: OutgoingFile, upload: FileUploadInfo) -> Activity:
    """A message with the file, uploaded: the card Teams opens or previews it from."""
    card = FileInfoCard(unique_id=upload.unique_id, file_type=upload.file_type, etag=None)
    return Activity(
        type=ActivityTypes.message,
        summary=file.title,
        attachments=[
            Attachment(
                content_type=FILE_INFO_CARD,
                name=upload.name,
                content_url=upload.content_url,
                content=card.model_dump(by_alias=True, exclude_none=True),
            )
        ],
    )
