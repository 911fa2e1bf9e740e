"""Endpoints for asks, introductions, relationships, sessions and feedback."""

from __future__ import annotations

from typing import Literal

from django.utils import timezone
from ninja import Path, Query, Router, Status

from mentormesh.connect import selectors, services
from mentormesh.connect.schemas import (
    AcceptIn,
    AskIn,
    AskOut,
    BlockIn,
    CancelIn,
    CheckIn,
    CheckOut,
    ContactOut,
    DeclineIn,
    DoneIn,
    FeedbackIn,
    FeedbackViewOut,
    FollowUpIn,
    FollowUpOut,
    IntroAnswerIn,
    IntroIn,
    IntroOut,
    RelationshipOut,
    RelationshipPatch,
    ReportIn,
    SessionIn,
    SessionOut,
    SessionPatch,
    SlotOut,
    TextIn,
)
from mentormesh.people.api import ERRORS
from mentormesh.people.selectors import profile_for

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
        "introduced_by": ask.introduced_by.handle if ask.introduced_by else None,
        "intro_note": ask.intro_note,
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
    found = mine(request.user).select_related("sender", "recipient", "introduced_by")
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
    health = selectors.relationship_health(viewer=viewer, relationship=relationship)
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
        "health": {
            "days_quiet": health.days_quiet,
            "cadence_days": health.cadence_days,
            "state": health.state,
            "next_session_id": health.next_session.pk if health.next_session else None,
            "sessions_held": health.sessions_held,
            "i_gave": health.i_gave,
            "they_gave": health.they_gave,
        },
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


# Sessions ---------------------------------------------------------------------------------


@router.get(
    "/relationships/{relationship_id}/slots",
    response={200: list[SlotOut], **ERRORS},
    summary="Times in the next two weeks that suit us both",
)
def slots(
    request,
    relationship_id: int = Id,
    minutes: int = Query(30, ge=15, le=120),
):
    relationship = selectors.relationship_get(viewer=request.user, relationship_id=relationship_id)
    return [
        {
            "starts_at": slot.starts_at,
            "ends_at": slot.ends_at,
            "mine_local": slot.mine.isoformat(),
            "theirs_local": slot.theirs.isoformat(),
        }
        for slot in selectors.slots_for(
            viewer=request.user, relationship=relationship, minutes=minutes
        )
    ]


def _followup_out(follow_up) -> dict:
    return {
        "id": follow_up.pk,
        "text": follow_up.text,
        "owner": follow_up.owner.handle,
        "due_on": follow_up.due_on,
        "done": follow_up.done_at is not None,
    }


def _feedback_out(answer) -> dict | None:
    if answer is None:
        return None
    return {
        "author": answer.author.handle,
        "useful": answer.useful,
        "direction": answer.direction,
        "takeaway": answer.takeaway,
        "change": answer.change,
        "created_at": answer.created_at,
    }


def _session(request, session_id: int) -> dict:
    return _session_out(
        selectors.session_get(viewer=request.user, session_id=session_id), request.user
    )


def _session_out(session, viewer) -> dict:
    relationship = session.relationship
    feedback = selectors.feedback_for(viewer=viewer, session=session)
    return {
        "id": session.pk,
        "relationship_id": relationship.pk,
        "with_handle": relationship.other(viewer).handle,
        "topic": relationship.topic,
        "proposed_by": session.proposed_by.handle,
        "starts_at": session.starts_at,
        "ends_at": session.ends_at,
        "status": session.status,
        "place": session.place,
        "agenda": session.agenda,
        "notes": session.notes,
        "follow_ups": [_followup_out(f) for f in session.follow_ups.all()],
        "feedback": {
            "mine": _feedback_out(feedback.mine),
            "theirs": _feedback_out(feedback.theirs),
            "they_answered": feedback.they_answered,
            "reveals_at": feedback.reveals_at,
        },
    }


@router.post(
    "/relationships/{relationship_id}/sessions",
    response={201: SessionOut, **ERRORS},
    summary="Propose a session (it holds the time for both until answered)",
)
def session_propose(request, payload: SessionIn, relationship_id: int = Id):
    session = services.session_propose(
        relationship_id=relationship_id, by=request.user, **payload.model_dump()
    )
    return Status(201, _session(request, session.pk))


@router.get(
    "/sessions", response={200: list[SessionOut], **ERRORS}, summary="My sessions, soonest first"
)
def sessions(request, upcoming: bool = False):
    found = selectors.sessions_with_details(request.user)
    if upcoming:
        found = found.filter(ends_at__gt=timezone.now())
    return [_session_out(session, request.user) for session in found[:100]]


@router.get("/sessions/{session_id}", response={200: SessionOut, **ERRORS}, summary="One session")
def session_get(request, session_id: int = Id):
    return _session(request, session_id)


@router.patch(
    "/sessions/{session_id}",
    response={200: SessionOut, **ERRORS},
    summary="Change the shared agenda, notes or place",
)
def session_patch(request, payload: SessionPatch, session_id: int = Id):
    services.session_update(
        session_id=session_id, by=request.user, **payload.model_dump(exclude_unset=True)
    )
    return _session(request, session_id)


@router.post(
    "/sessions/{session_id}/confirm",
    response={200: SessionOut, **ERRORS},
    summary="Confirm a time proposed to me",
)
def session_confirm(request, session_id: int = Id):
    services.session_confirm(session_id=session_id, by=request.user)
    return _session(request, session_id)


@router.post(
    "/sessions/{session_id}/cancel",
    response={200: SessionOut, **ERRORS},
    summary="Cancel, or decline a proposed time",
)
def session_cancel(request, payload: CancelIn, session_id: int = Id):
    services.session_cancel(session_id=session_id, by=request.user, reason=payload.reason)
    return _session(request, session_id)


@router.post(
    "/sessions/{session_id}/follow-ups",
    response={201: FollowUpOut, **ERRORS},
    summary="Add a follow-up with an owner and a due date",
)
def followup_add(request, payload: FollowUpIn, session_id: int = Id):
    follow_up = services.followup_add(
        session_id=session_id, by=request.user, text=payload.text, owner_handle=payload.owner,
        due_on=payload.due_on,
    )  # fmt: skip
    return Status(201, _followup_out(follow_up))


@router.post(
    "/follow-ups/{followup_id}/done",
    response={200: FollowUpOut, **ERRORS},
    summary="Mark a follow-up done (or not)",
)
def followup_done(request, payload: DoneIn, followup_id: int = Id):
    follow_up = services.followup_done(followup_id=followup_id, by=request.user, done=payload.done)
    return _followup_out(follow_up)


@router.post(
    "/sessions/{session_id}/feedback",
    response={201: FeedbackViewOut, **ERRORS},
    summary="Give my feedback (the other side's shows once both answered or a week on)",
)
def feedback_give(request, payload: FeedbackIn, session_id: int = Id):
    services.feedback_give(session_id=session_id, by=request.user, **payload.model_dump())
    return Status(201, _session(request, session_id)["feedback"])


# Introductions ----------------------------------------------------------------------------


@router.get(
    "/people/{handle}/contacts",
    response={200: list[ContactOut], **ERRORS},
    summary="People I and this person both know, who could introduce us",
)
def contacts(request, handle: str = Path(..., max_length=31)):
    target = profile_for(viewer=request.user, handle=handle).user
    return [
        {
            "handle": c.profile.user.handle,
            "display_name": c.profile.display_name,
            "with_me": c.with_me,
            "with_them": c.with_them,
        }
        for c in selectors.shared_contacts(viewer=request.user, target=target)
    ]


def _intro_out(intro) -> dict:
    return {
        "id": intro.pk,
        "requester": intro.requester.handle,
        "target": intro.target.handle,
        "introducer": intro.introducer.handle,
        "shared_context": intro.shared_context,
        "note_to_introducer": intro.note_to_introducer,
        "question": intro.question,
        "message": intro.message,
        "time_minutes": intro.time_minutes,
        "offer_back": intro.offer_back,
        "status": intro.status,
        "introducer_note": intro.introducer_note,
        "ask_id": intro.ask_id,
        "created_at": intro.created_at,
    }


def _intro(request, intro_id: int) -> dict:
    return _intro_out(selectors.intro_get(viewer=request.user, intro_id=intro_id))


@router.post(
    "/intros", response={201: IntroOut, **ERRORS}, summary="Ask a shared contact to introduce me"
)
def intro_request(request, payload: IntroIn):
    intro = services.intro_request(
        requester=request.user, target_handle=payload.target, via_handle=payload.via,
        note_to_introducer=payload.note_to_introducer, message=payload.message,
        question=payload.question, time_minutes=payload.time_minutes,
        offer_back=payload.offer_back, skill_name=payload.skill,
    )  # fmt: skip
    return Status(201, _intro(request, intro.pk))


@router.get(
    "/intros",
    response={200: list[IntroOut], **ERRORS},
    summary="Introductions I asked for or was asked to make",
)
def intros(request):
    return [_intro_out(intro) for intro in selectors.intros_of(request.user)[:100]]


@router.get("/intros/{intro_id}", response={200: IntroOut, **ERRORS}, summary="One introduction")
def intro_get(request, intro_id: int = Id):
    return _intro(request, intro_id)


@router.post(
    "/intros/{intro_id}/forward",
    response={200: IntroOut, **ERRORS},
    summary="Introduce them: the ask goes on with my note",
)
def intro_forward(request, payload: IntroAnswerIn, intro_id: int = Id):
    services.intro_forward(intro_id=intro_id, by=request.user, note=payload.note)
    return _intro(request, intro_id)


@router.post(
    "/intros/{intro_id}/decline", response={200: IntroOut, **ERRORS}, summary="Not this time"
)
def intro_decline(request, payload: IntroAnswerIn, intro_id: int = Id):
    services.intro_decline(intro_id=intro_id, by=request.user, note=payload.note)
    return _intro(request, intro_id)


@router.post(
    "/intros/{intro_id}/withdraw", response={200: IntroOut, **ERRORS}, summary="Withdraw my request"
)
def intro_withdraw(request, intro_id: int = Id):
    services.intro_withdraw(intro_id=intro_id, by=request.user)
    return _intro(request, intro_id)
