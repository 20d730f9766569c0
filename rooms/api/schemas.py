"""Request and response bodies, in the seed's camelCase field names."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

from rooms.core.identity import display_name
from rooms.core.invitations import InvitationView, invite_url
from rooms.core.models import (
    Invitation,
    Participant,
    Session,
    Space,
    SpaceMember,
    SpaceMode,
    SpaceRole,
    User,
)
from rooms.core.sessions import SessionPage
from rooms.core.spaces import SpaceView


class Body(BaseModel):
    """Incoming JSON: camelCase on the wire, unknown fields ignored, strings not coerced."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, strict=True)


class Out(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)


class ErrorOut(BaseModel):
    error: str
    message: str


class OkOut(BaseModel):
    ok: bool = True


# --- identity ---------------------------------------------------------------------


class SignupIn(Body):
    email: str
    password: str
    name: str


class LoginIn(Body):
    email: str
    password: str


class ProfilePatchIn(Body):
    name: str | None = None
    display_name: str | None = None
    avatar_url: str | None = None
    locale: str | None = None


class UserOut(Out):
    id: str
    email: str
    name: str | None
    display_name: str
    avatar_url: str | None
    no_avatar_color: str | None
    locale: str | None
    active_space_id: str | None
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, user: User) -> UserOut:
        return cls(
            id=user.id,
            email=user.email,
            name=user.name,
            display_name=display_name(user),
            avatar_url=user.avatar_url,
            no_avatar_color=user.no_avatar_color,
            locale=user.locale,
            active_space_id=user.active_space_id,
            created_at=user.created_at,
            updated_at=user.updated_at,
        )


class UserEnvelope(Out):
    user: UserOut


# --- spaces -----------------------------------------------------------------------


class SpaceCreateIn(Body):
    name: str
    mode: str = SpaceMode.SESSIONS_ONLY.value


class SpaceRenameIn(Body):
    name: str


class SpaceModeIn(Body):
    mode: str


class MemberAddIn(Body):
    email: str


class SpaceOut(Out):
    id: str
    name: str
    mode: SpaceMode
    owner_id: str
    role: SpaceRole
    is_active: bool
    transcription_language: str | None = Field(
        description="ISO 639-1 code its streams are transcribed in; null: auto-detect."
    )
    code_switching: bool
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, space: Space, role: SpaceRole, active_space_id: str | None) -> SpaceOut:
        return cls(
            id=space.id,
            name=space.name,
            mode=space.mode,
            owner_id=space.owner_id,
            role=role,
            is_active=space.id == active_space_id,
            transcription_language=space.transcription_language,
            code_switching=bool(space.code_switching),
            created_at=space.created_at,
            updated_at=space.updated_at,
        )


class SpaceEnvelope(Out):
    space: SpaceOut


class SpacesOut(Out):
    spaces: list[SpaceOut]
    active_space_id: str | None

    @classmethod
    def of(cls, views: list[SpaceView], active_space_id: str | None) -> SpacesOut:
        return cls(
            spaces=[SpaceOut.of(v.space, v.role, active_space_id) for v in views],
            active_space_id=active_space_id,
        )


class ActiveSpaceOut(Out):
    active_space_id: str | None


class MemberOut(Out):
    user_id: str
    email: str
    display_name: str
    avatar_url: str | None
    no_avatar_color: str | None
    role: SpaceRole
    joined_at: datetime

    @classmethod
    def of(cls, member: SpaceMember, user: User) -> MemberOut:
        return cls(
            user_id=user.id,
            email=user.email,
            display_name=display_name(user),
            avatar_url=user.avatar_url,
            no_avatar_color=user.no_avatar_color,
            role=member.role,
            joined_at=member.created_at,
        )


class MembersOut(Out):
    members: list[MemberOut]


class MemberEnvelope(Out):
    member: MemberOut


# --- members and invitations (issue 16) -------------------------------------------


class MemberRoleIn(Body):
    role: str = Field(description="OWNER or MEMBER")


class InvitationCreateIn(Body):
    role: str = Field(description="OWNER or MEMBER")
    email: str | None = Field(
        default=None, description="Only the account with this email may accept; it is mailed."
    )


class InvitationOut(Out):
    id: str
    token: str
    url: str
    email: str | None
    role: SpaceRole
    expires_at: datetime

    @classmethod
    def of(cls, invitation: Invitation) -> InvitationOut:
        return cls(
            id=invitation.id,
            token=invitation.token,
            url=invite_url(invitation.token),
            email=invitation.email,
            role=invitation.role,
            expires_at=invitation.expires_at,
        )


class InvitationEnvelope(Out):
    invitation: InvitationOut


class InvitationsOut(Out):
    invitations: list[InvitationOut]


class InvitationPublicOut(Out):
    """What anyone holding the link learns: nothing about the space's people but the
    inviter's name."""

    space_name: str
    invited_by: str
    role: SpaceRole
    expires_at: datetime

    @classmethod
    def of(cls, shown: InvitationView) -> InvitationPublicOut:
        return cls(
            space_name=shown.space_name,
            invited_by=shown.invited_by,
            role=shown.invitation.role,
            expires_at=shown.invitation.expires_at,
        )


# --- sessions ---------------------------------------------------------------------


class SessionCreateIn(Body):
    title: str | None = None
    space_id: str | None = None
    lobby: bool = False


class SessionPatchIn(Body):
    lobby: bool


class SessionOut(Out):
    slug: str
    title: str | None
    agenda: str | None = None
    status: str
    created_at: datetime
    ended_at: datetime | None
    lobby: bool = False
    # Known only to members of the session's space; a guest with the link sees the rest.
    id: str | None = None
    space_id: str | None = None
    created_by_user_id: str | None = None

    @classmethod
    def of(cls, session: Session, *, member: bool = True) -> SessionOut:
        out = cls(
            slug=session.slug,
            title=session.title,
            agenda=session.agenda,
            status=session.status.value,
            created_at=session.created_at,
            ended_at=session.ended_at,
            lobby=session.lobby,
        )
        if member:
            out.id = session.id
            out.space_id = session.space_id
            out.created_by_user_id = session.created_by_user_id
        return out


class SessionEnvelope(Out):
    session: SessionOut


class AgendaIn(Body):
    # Its length and characters are checked by rooms.core.agenda, for every entry point.
    agenda: str | None = Field(description="A few lines; empty or null removes the agenda.")


# --- a space's glossary (issue 14) ----------------------------------------------------


class GlossaryIn(Body):
    # Limits (count, length, characters) are checked by rooms.core.glossary for every caller.
    terms: list[str] = Field(description="The whole glossary; an empty list clears it.")


class GlossaryOut(Out):
    terms: list[str]
    can_edit: bool = Field(description="Whether the caller (the space owner) may change it.")
    max_terms: int
    max_term_length: int


# --- a space's transcription language (issue 18) ---------------------------------------


class TranscriptionLanguageIn(Body):
    # The code is checked against the allowed list by rooms.core.space_language.
    language: str | None = Field(description="ISO 639-1 code; null or empty: auto-detect.")
    code_switching: bool = Field(
        default=False, description="Re-detect the language on each utterance (Gladia)."
    )


class LanguageOut(Out):
    code: str
    name: str


class TranscriptionLanguageOut(Out):
    language: str | None
    code_switching: bool
    can_edit: bool = Field(description="Whether the caller (the space owner) may change it.")
    languages: list[LanguageOut] = Field(description="The languages a space can pick.")
    local_model_english_only: bool = Field(
        description="The installed offline model transcribes English only."
    )


class SessionsOut(Out):
    sessions: list[SessionOut]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page.")

    @classmethod
    def of(cls, page: SessionPage) -> SessionsOut:
        return cls(sessions=[SessionOut.of(s) for s in page.sessions], next_cursor=page.next_cursor)


class HealthOut(Out):
    status: str
    db: str
    engine: str
    engine_status: str
    video: str  # "reachable" or "unreachable": reported, never a reason for a 503


# --- participants -------------------------------------------------------------------


class JoinIn(Body):
    name: str | None = None


class TokenOut(Out):
    token: str
    server_url: str
    identity: str


class ParticipantOut(Out):
    identity: str
    name: str | None
    role: str
    is_transcription_host: bool
    joined_at: datetime
    left_at: datetime | None
    removed_at: datetime | None

    @classmethod
    def of(cls, p: Participant) -> ParticipantOut:
        return cls(
            identity=p.identity,
            name=p.name,
            role=p.role.value,
            is_transcription_host=p.is_transcription_host,
            joined_at=p.joined_at,
            left_at=p.left_at,
            removed_at=p.removed_at,
        )


class ParticipantEnvelope(Out):
    participant: ParticipantOut


class JoinOut(TokenOut):
    participant: ParticipantOut


# --- lobby ------------------------------------------------------------------------


class WaitingOut(Out):
    """202 from join and token: no LiveKit token until someone in the space lets them in."""

    status: str = Field("WAITING", description="Always WAITING.")
    identity: str


class LobbyEntryOut(Out):
    identity: str
    name: str | None
    status: str = Field(description="WAITING, ADMITTED or DENIED.")
    waiting_since: datetime

    @classmethod
    def of(cls, p: Participant) -> LobbyEntryOut:
        return cls(
            identity=p.identity,
            name=p.name,
            status=p.lobby_status.value if p.lobby_status else "ADMITTED",
            waiting_since=p.joined_at,
        )


class LobbyOut(Out):
    lobby: bool
    waiting: list[LobbyEntryOut]


class LobbyEntryEnvelope(Out):
    participant: LobbyEntryOut
