"""What accounts, tokens and sessions write to the audit trail (``audit_event``). Never a password or a secret."""

from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from observatory.store.schema import AuditEvent


def utc_now() -> datetime:
    return datetime.now(UTC)


def audit(
    session: Session, actor: str, action: str, entity: str, entity_id: object, at: datetime, **detail: Any
) -> None:
    """Append one event; ``actor`` names who did it (a user name, or ``cli:osuser@host`` for the command line)."""
    session.add(
        AuditEvent(at=at, actor=actor[:128], action=action, entity=entity, entity_id=str(entity_id)[:64], detail=detail)
    )
