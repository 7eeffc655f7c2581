"""The follow-up flag on a value (as DHIS2's): a reviewer marks a value to look at again in the next round."""

from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from observatory.access.audit import utc_now
from observatory.access.policy import Principal
from observatory.errors import Forbidden, NotFound
from observatory.review.queries import is_reviewer, visible_submission_row
from observatory.store.engine import transaction
from observatory.store.reporting_schema import Observation
from observatory.store.review_schema import ValueFollowUp


def set_followup(
    engine: Engine, principal: Principal, observation_id: int, flag: bool, note: str | None = None
) -> dict[str, Any]:
    """Mark (``flag``) or unmark a value for follow-up; the reviewing side's to set, anyone who sees it may read it."""
    with transaction(engine) as session:
        observation = _visible_value(session, principal, observation_id)
        if not is_reviewer(principal, observation.country_iso3):
            raise Forbidden(f"{principal.username} ({principal.role}) may not flag values for follow-up")
        current = session.get(ValueFollowUp, observation_id)
        if not flag:
            if current is not None:
                session.delete(current)
            return {"observation_id": observation_id, "followup": False}
        if current is None:
            current = ValueFollowUp(observation_id=observation_id)
            session.add(current)
        current.flagged_by, current.note, current.at = principal.username, (note or "").strip() or None, utc_now()
        return {
            "observation_id": observation_id,
            "followup": True,
            "flagged_by": principal.username,
            "note": current.note,
        }


def followups(engine: Engine, principal: Principal, submission_id: int) -> list[dict[str, Any]]:
    """The values of a submission marked for follow-up."""
    with Session(engine) as session:
        visible_submission_row(session, principal, submission_id)
        rows = session.execute(
            select(ValueFollowUp)
            .join(Observation, Observation.id == ValueFollowUp.observation_id)
            .where(Observation.submission_id == submission_id)
            .order_by(ValueFollowUp.observation_id)
        ).scalars()
        return [{"observation_id": r.observation_id, "flagged_by": r.flagged_by, "note": r.note} for r in rows]


def _visible_value(session: Session, principal: Principal, observation_id: int) -> Observation:
    observation = session.get(Observation, observation_id)
    if observation is None:
        raise NotFound(f"no stored value {observation_id}", [{"value": observation_id}])
    try:
        visible_submission_row(session, principal, observation.submission_id)
    except NotFound:
        raise NotFound(f"no stored value {observation_id}", [{"value": observation_id}]) from None
    return observation
