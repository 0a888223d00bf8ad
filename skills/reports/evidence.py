"""Evidence: the snapshot a report keeps, and evidence attached later ("Add evidence").

A snapshot (link, quoted text, its author, when it was written, a SHA-256 of all four) survives
the original message being edited or deleted.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlparse

from skills.commands import AddEvidence
from skills.core.access import is_manager, refuse
from skills.core.scope import Scope
from skills.replies import DateTimeField, Form, Heading, Paragraph, Reply, ReplyKind, TextField
from skills.text.i18n import Translator
from skills.text.limits import NAME_LIMIT, clip
from skills.text.numbers import whole_number
from skills.text.times import moment_error, parse_moment
from storage.models import Evidence

MAX_LINK = 2000
# Slack's own limit on a message's text; a quote of one message always fits.
MAX_QUOTE = 40_000


@dataclass(frozen=True)
class CheckedEvidence:
    """Evidence whose fields were checked; ``content_hash`` is None when there is none."""

    link: str | None
    text: str | None
    author: str | None
    written_at: datetime | None

    @property
    def content_hash(self) -> str | None:
        """A fingerprint of the evidence as it was when reported."""
        if not (self.link or self.text):
            return None
        snapshot = {
            "link": self.link,
            "text": self.text,
            "author": self.author,
            "written_at": self.written_at.isoformat() if self.written_at else None,
        }
        encoded = json.dumps(snapshot, sort_keys=True, ensure_ascii=False).encode()
        return hashlib.sha256(encoded).hexdigest()


def check_evidence(
    t: Translator,
    *,
    link: str | None,
    text: str | None,
    author: str | None,
    written_at: str | None,
    timezone: str,
    errors: dict[str, str],
) -> CheckedEvidence:
    """The checked evidence; what is wrong goes into ``errors`` under the form's field names."""
    clean_link = (link or "").strip() or None
    if clean_link and (
        urlparse(clean_link).scheme not in {"http", "https"} or len(clean_link) > MAX_LINK
    ):
        errors["evidence_link"] = t.n_(
            "The evidence link must start with https:// or http:// and be at most {count} "
            "character.",
            "The evidence link must start with https:// or http:// and be at most {count} "
            "characters.",
            MAX_LINK,
        )
    if text and len(text) > MAX_QUOTE:
        errors["evidence_text"] = t.n_(
            "The quoted message can be at most {count} character.",
            "The quoted message can be at most {count} characters.",
            MAX_QUOTE,
        )
    moment = parse_moment(written_at, timezone)
    if written_at and moment is None:
        errors["evidence_written_at"] = moment_error(t)
    return CheckedEvidence(
        link=clean_link,
        text=text or None,
        author=clip(author, NAME_LIMIT) if author else None,
        written_at=moment,
    )


def evidence_fields(
    t: Translator,
    link: str | None,
    text: str | None,
    author: str | None,
    written_at: str | None,
) -> tuple[TextField | DateTimeField, ...]:
    """The evidence part of a form."""
    return (
        TextField("evidence_link", t._("Link to the evidence"), link, required=False),
        TextField(
            "evidence_text",
            t._("Quoted message"),
            text,
            required=False,
            multiline=True,
            max_length=MAX_QUOTE,
        ),
        TextField("evidence_author", t._("Who wrote it"), author, required=False),
        DateTimeField("evidence_written_at", t._("When it was written"), written_at),
    )


async def add_evidence(scope: Scope, command: AddEvidence) -> Reply:
    """Attach evidence to a report: for its reporter and for managers."""
    t = scope.t
    incident_id = whole_number(command.incident_id.lstrip("#"), lowest=1)
    incident = await scope.uow.incidents.get(scope.tenant.id, incident_id) if incident_id else None
    if incident is None:
        return Reply(
            kind=ReplyKind.ERROR,
            blocks=(Paragraph(t._("There is no report #{id}.", id=command.incident_id)),),
            data={"error": "unknown_incident"},
        )
    if incident.reporter_id != scope.actor.user_id and not is_manager(scope.tenant, scope.actor):
        return await refuse(
            scope, "evidence.add", reason="not_manager", subject=("incident", str(incident.id))
        )
    errors: dict[str, str] = {}
    evidence = check_evidence(
        t,
        link=command.evidence_link,
        text=command.evidence_text,
        author=command.evidence_author,
        written_at=command.evidence_written_at,
        timezone=scope.tenant.timezone,
        errors=errors,
    )
    content_hash = evidence.content_hash
    if errors or content_hash is None:
        form = Form(
            title=t._("Add evidence to report #{id}", id=incident.id),
            fields=evidence_fields(
                t,
                command.evidence_link,
                command.evidence_text,
                command.evidence_author,
                command.evidence_written_at,
            ),
            submit_label=t._("Add the evidence"),
            command=command,
            errors=errors,
        )
        return Reply(
            kind=ReplyKind.FORM, blocks=(form,), data={"form": "evidence", "errors": errors}
        )
    candidate = Evidence(
        tenant_id=scope.tenant.id,
        incident_id=incident.id or 0,
        link=evidence.link,
        text=evidence.text,
        author=evidence.author,
        written_at=evidence.written_at,
        content_hash=content_hash,
        idempotency_key=command.idempotency_key,
        added_by=scope.actor.user_id,
        added_at=scope.now,
    )
    row = await scope.uow.incidents.add_evidence(candidate)
    if row is candidate:  # not a repeat of an earlier submission
        await scope.audit(
            "evidence.added", subject=("incident", str(incident.id)), evidence_id=row.id
        )
    await scope.uow.commit()
    return Reply(
        kind=ReplyKind.RESULT,
        blocks=(Heading(t._("Evidence added to report #{id}", id=incident.id)),),
        data={"incident_id": incident.id, "evidence_id": row.id, "content_hash": content_hash},
    )
