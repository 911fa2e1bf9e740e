"""Ask and relationship endpoints."""

from __future__ import annotations

from typing import Literal

from ninja import Path, Router, Status

from mentormesh.connect import selectors, services
from mentormesh.connect.schemas import (
    AcceptIn,
    AskIn,
    AskOut,
    BlockIn,
    CheckIn,
    CheckOut,
    DeclineIn,
    RelationshipOut,
    RelationshipPatch,
    ReportIn,
    TextIn,
)
from mentormesh.people.api import ERRORS

router = Router(tags=["asks"])
Id = Path(..., ge=1, le=2**31 - 1)


def _ask_out(ask) -> dict:
    return {
        "id": ask.pk,
        "sender": ask.sender.handle,
        "recipient": ask.recipient.handle,
        "skill": ask.skill.name if ask.skill else None,
        "message": ask.message,
        "question": ask.question,
        "time_minutes": ask.time_minutes,
        "offer_back": ask.offer_back,
        "status": ask.status,
        "check_score": ask.check_score,
        "decline_kind": ask.decline_kind,
        "decline_note": ask.decline_note,
        "created_at": ask.created_at,
        "expires_at": ask.expires_at,
        "replies": [
            {"author": r.author.handle, "text": r.text, "created_at": r.created_at}
            for r in ask.replies.all()
        ],
    }


def _ask(request, ask_id: int) -> dict:
    return _ask_out(selectors.ask_get(viewer=request.user, ask_id=ask_id))


@router.post(
    "/asks/check", response={200: CheckOut, **ERRORS}, summary="Check an ask before sending"
)
def ask_check(request, payload: CheckIn):
    check = selectors.ask_check_for_handle(
        sender=request.user,
        handle=payload.recipient,
        message=payload.message,
        time_minutes=payload.time_minutes,
    )
    return {
        "score": check.score,
        "ready": check.ready,
        "findings": [
            {"code": f.code, "severity": f.severity, "message": f.message} for f in check.findings
        ],
    }


@router.post("/asks", response={201: AskOut, **ERRORS}, summary="Send an ask")
def ask_send(request, payload: AskIn):
    ask = services.ask_send(
        sender=request.user,
        recipient_handle=payload.recipient,
        message=payload.message,
        question=payload.question,
        time_minutes=payload.time_minutes,
        offer_back=payload.offer_back,
        skill_name=payload.skill,
    )
    return Status(201, _ask(request, ask.pk))


@router.get("/asks", response={200: list[AskOut], **ERRORS}, summary="My asks, newest first")
def asks(request, box: Literal["sent", "received"] = "sent"):
    mine = selectors.asks_sent if box == "sent" else selectors.asks_received
    found = mine(request.user).select_related("sender", "recipient")
    return [_ask_out(ask) for ask in found.prefetch_related("replies__author")[:100]]


@router.get("/asks/{ask_id}", response={200: AskOut, **ERRORS}, summary="One of my asks")
def ask_get(request, ask_id: int = Id):
    return _ask(request, ask_id)


@router.post("/asks/{ask_id}/accept", response={200: RelationshipOut, **ERRORS}, summary="Accept")
def ask_accept(request, payload: AcceptIn, ask_id: int = Id):
    relationship = services.ask_accept(ask_id=ask_id, by=request.user, topic=payload.topic)
    return _relationship(request, relationship.pk)


@router.post("/asks/{ask_id}/decline", response={200: AskOut, **ERRORS}, summary="Decline")
def ask_decline(request, payload: DeclineIn, ask_id: int = Id):
    services.ask_decline(ask_id=ask_id, by=request.user, kind=payload.kind, note=payload.note)
    return _ask(request, ask_id)


@router.post(
    "/asks/{ask_id}/more", response={200: AskOut, **ERRORS}, summary="Ask to know more first"
)
def ask_more(request, payload: TextIn, ask_id: int = Id):
    services.ask_more(ask_id=ask_id, by=request.user, text=payload.text)
    return _ask(request, ask_id)


@router.post(
    "/asks/{ask_id}/reply", response={200: AskOut, **ERRORS}, summary="Answer their question"
)
def ask_reply(request, payload: TextIn, ask_id: int = Id):
    services.ask_reply(ask_id=ask_id, by=request.user, text=payload.text)
    return _ask(request, ask_id)


@router.post("/asks/{ask_id}/withdraw", response={200: AskOut, **ERRORS}, summary="Withdraw")
def ask_withdraw(request, ask_id: int = Id):
    services.ask_withdraw(ask_id=ask_id, by=request.user)
    return _ask(request, ask_id)


@router.post(
    "/asks/{ask_id}/report", response={201: dict, **ERRORS}, summary="Report an ask to staff"
)
def ask_report(request, payload: ReportIn, ask_id: int = Id):
    services.ask_report(ask_id=ask_id, by=request.user, reason=payload.reason, block=payload.block)
    return Status(201, {"reported": True})


@router.post("/blocks", response={201: dict, **ERRORS}, summary="Block someone")
def block_add(request, payload: BlockIn):
    services.block_add(by=request.user, handle=payload.handle)
    return Status(201, {"blocked": payload.handle.lower().removeprefix("@")})


@router.delete("/blocks/{handle}", response={204: None, **ERRORS}, summary="Unblock someone")
def block_remove(request, handle: str = Path(..., max_length=31)):
    services.block_remove(by=request.user, handle=handle)
    return Status(204, None)


def _relationship_out(relationship, viewer) -> dict:
    handles = {relationship.first_id: relationship.first.handle,
               relationship.second_id: relationship.second.handle}  # fmt: skip
    return {
        "id": relationship.pk,
        "with_handle": relationship.other(viewer).handle,
        "topic": relationship.topic,
        "status": relationship.status,
        "cadence_days": relationship.cadence_days,
        "started_at": relationship.started_at,
        "last_contact_at": relationship.last_contact_at,
        "sides": [
            {"handle": handles[side.user_id], "gives": side.gives, "gets": side.gets}
            for side in relationship.sides.all()
        ],
    }


def _relationship(request, relationship_id: int) -> dict:
    relationship = selectors.relationship_get(viewer=request.user, relationship_id=relationship_id)
    return _relationship_out(relationship, request.user)


@router.get(
    "/relationships", response={200: list[RelationshipOut], **ERRORS}, summary="My relationships"
)
def relationships(request):
    return [_relationship_out(r, request.user) for r in selectors.relationships_of(request.user)]


@router.get(
    "/relationships/{relationship_id}",
    response={200: RelationshipOut, **ERRORS},
    summary="One of my relationships",
)
def relationship_get(request, relationship_id: int = Id):
    return _relationship(request, relationship_id)


@router.patch(
    "/relationships/{relationship_id}",
    response={200: RelationshipOut, **ERRORS},
    summary="Change status, cadence, topic, or what I give and get",
)
def relationship_patch(request, payload: RelationshipPatch, relationship_id: int = Id):
    services.relationship_update(
        relationship_id=relationship_id, by=request.user, **payload.model_dump(exclude_unset=True)
    )
    return _relationship(request, relationship_id)
