"""Regional review over the API: queries on submissions, their threads and attachments, resolution, follow-up flags on
values, and the mail outbox (administrators). Every route needs a signed-in caller; a query on a submission the
caller may not see answers 404, as a missing one."""

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, File, Query, Response, UploadFile
from pydantic import BaseModel, Field

from observatory.access.policy import ANONYMOUS, Principal
from observatory.errors import BadInput, Unauthenticated
from observatory.review import (
    InboxFilter,
    attach,
    attachment_content,
    correct_in_answer,
    list_queries,
    open_query,
    outbox,
    post_message,
    query_detail,
    reopen,
    resolve,
    set_followup,
    withdraw,
)
from observatory.web.auth import CurrentPrincipal
from observatory.web.deps import Records, SettingsDep, reject_unknown_parameters
from observatory.web.params import MAX_ID, Id

router = APIRouter(prefix="/api/v1", dependencies=[Depends(reject_unknown_parameters)])


def signed_in(principal: CurrentPrincipal) -> Principal:
    if principal == ANONYMOUS:
        raise Unauthenticated("sign in, or send an API token, to take part in a review")
    return principal


Reviewer = Annotated[Principal, Depends(signed_in)]


class QueryRequest(BaseModel):
    message: str = Field(description="the question, as the provider will read it")
    priority: str = Field(default="medium", description="low, medium or high (high holds approval)")
    observation_id: int | None = Field(default=None, ge=1, description="the value the query is about")
    problem_code: str | None = Field(default=None, max_length=64, description="the validation problem it is about")


class MessageRequest(BaseModel):
    body: str
    internal: bool = Field(default=False, description="reviewers and analysts only; never shown to the provider")


class ChangeRequest(BaseModel):
    resolution: str | None = Field(default=None, description="to resolve: accepted, corrected or explained")
    comment: str | None = None


class CorrectionAnswer(BaseModel):
    value: float | str | None
    reason: str
    missing_reason: str | None = None


class FollowUpRequest(BaseModel):
    followup: bool = True
    note: str | None = None


@router.post("/submissions/{submission_id}/queries", status_code=201)
def create_query(records: Records, principal: Reviewer, submission_id: Id, body: QueryRequest) -> dict[str, Any]:
    """Open a review query on a submission (optionally on one value or one validation problem)."""
    found = open_query(
        records, principal, submission_id, body.message, body.priority, body.observation_id, body.problem_code
    )
    return {"data": found, "meta": {}}


@router.get("/queries")
def queries(
    records: Records,
    principal: Reviewer,
    status: str | None = None,
    network: str | None = None,
    country: Annotated[str | None, Query(max_length=3)] = None,
    overdue: bool | None = None,
    assigned_to_me: bool = False,
    submission: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
) -> dict[str, Any]:
    """The queries the caller may see, newest first: by status, network, country, overdue, assigned to me."""
    chosen = InboxFilter(status, network, country, overdue, assigned_to_me, submission)
    found = list_queries(records, principal, chosen)
    return {"data": found, "meta": {"count": len(found)}}


@router.get("/queries/{query_id}")
def one_query(records: Records, principal: Reviewer, query_id: Id) -> dict[str, Any]:
    return {"data": query_detail(records, principal, query_id), "meta": {}}


@router.get("/queries/{query_id}/messages")
def messages(records: Records, principal: Reviewer, query_id: Id) -> dict[str, Any]:
    """The thread; internal messages only for reviewers and analysts."""
    thread = query_detail(records, principal, query_id)["messages"]
    return {"data": thread, "meta": {"count": len(thread)}}


@router.post("/queries/{query_id}/messages", status_code=201)
def reply(records: Records, principal: Reviewer, query_id: Id, body: MessageRequest) -> dict[str, Any]:
    """Add a message; the provider's reply answers the query. A resolved or withdrawn query answers 409."""
    return {"data": post_message(records, principal, query_id, body.body, body.internal), "meta": {}}


@router.post("/queries/{query_id}/correction", status_code=201)
def correction(records: Records, principal: Reviewer, query_id: Id, body: CorrectionAnswer) -> dict[str, Any]:
    """Answer a query on a value by correcting it (the correction's audit entry is linked to the query)."""
    found = correct_in_answer(records, principal, query_id, body.value, body.reason, body.missing_reason)
    return {"data": found, "meta": {}}


@router.post("/queries/{query_id}/{change}")
def change(records: Records, principal: Reviewer, query_id: Id, change: str, body: ChangeRequest) -> dict[str, Any]:
    """Resolve (with a resolution), reopen or withdraw a query: the opener's role only."""
    if change == "resolve":
        return {"data": resolve(records, principal, query_id, body.resolution, body.comment), "meta": {}}
    if change == "reopen":
        return {"data": reopen(records, principal, query_id, body.comment), "meta": {}}
    if change == "withdraw":
        return {"data": withdraw(records, principal, query_id, body.comment), "meta": {}}
    raise BadInput(f"unknown change {change!r}: resolve, reopen or withdraw", [{"value": change}])


@router.post("/queries/{query_id}/messages/{message_id}/attachments", status_code=201)
async def message_attachment(
    records: Records,
    settings: SettingsDep,
    principal: Reviewer,
    query_id: Id,
    message_id: Id,
    file: Annotated[UploadFile, File(description="PDF, image, office document or UTF-8 text")],
) -> dict[str, Any]:
    """Attach a file to one's own message; its kind is read from its content, as for practice attachments."""
    limit = settings.max_attachment_bytes
    data = await file.read(limit + 1)
    found = attach(records, principal, query_id, message_id, file.filename or "", data, limit)
    return {"data": found, "meta": {}}


@router.get("/queries/{query_id}/attachments/{attachment_id}", response_class=Response)
def attachment_download(records: Records, principal: Reviewer, query_id: Id, attachment_id: Id) -> Response:
    name, media_type, content = attachment_content(records, principal, query_id, attachment_id)
    headers = {
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}",
        "X-Content-Type-Options": "nosniff",
    }
    return Response(content, media_type=media_type, headers=headers)


@router.put("/observations/{observation_id}/followup")
def followup(records: Records, principal: Reviewer, observation_id: Id, body: FollowUpRequest) -> dict[str, Any]:
    """Mark (or unmark) a value for follow-up in the next round."""
    return {"data": set_followup(records, principal, observation_id, body.followup, body.note), "meta": {}}


@router.get("/outbox")
def mail_outbox(records: Records, principal: Reviewer, status: str | None = None) -> dict[str, Any]:
    """Administrators: the notification mails, sent or waiting (what would be sent, without SMTP settings)."""
    found = outbox(records, principal, status)
    return {"data": found, "meta": {"count": len(found)}}
