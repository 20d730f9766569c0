"""Local accounts: sign up, log in, log out, who am I."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from rooms.api.deps import CurrentUser, Db, session_token
from rooms.api.schemas import ErrorOut, LoginIn, OkOut, SignupIn, UserEnvelope, UserOut
from rooms.core import identity
from rooms.core.config import get_settings

router = APIRouter(prefix="/api/auth", tags=["auth"])


def set_session_cookie(response: Response, token: str) -> None:
    settings = get_settings()
    response.set_cookie(
        settings.auth_cookie_name,
        token,
        max_age=settings.auth_session_ttl_days * 86400,
        path="/",
        httponly=True,
        samesite="lax",
        secure=settings.cookie_secure,
    )


def clear_session_cookie(response: Response) -> None:
    settings = get_settings()
    response.delete_cookie(
        settings.auth_cookie_name,
        path="/",
        httponly=True,
        samesite="lax",
        secure=settings.cookie_secure,
    )


@router.post(
    "/signup",
    status_code=201,
    response_model=UserEnvelope,
    responses={400: {"model": ErrorOut}, 409: {"model": ErrorOut}},
)
def signup(body: SignupIn, request: Request, response: Response, db: Db) -> UserEnvelope:
    user = identity.create_user(
        db,
        email=body.email,
        name=identity.clean_name_for_signup(body.name),
        password=body.password,
    )
    token = identity.start_auth_session(db, user, request.headers.get("user-agent"))
    db.commit()
    set_session_cookie(response, token)
    return UserEnvelope(user=UserOut.of(user))


@router.post("/login", response_model=UserEnvelope, responses={401: {"model": ErrorOut}})
def login(body: LoginIn, request: Request, response: Response, db: Db) -> UserEnvelope:
    user = identity.authenticate(db, body.email, body.password)
    token = identity.start_auth_session(db, user, request.headers.get("user-agent"))
    db.commit()
    set_session_cookie(response, token)
    return UserEnvelope(user=UserOut.of(user))


@router.post("/logout", response_model=OkOut)
def logout(request: Request, response: Response, db: Db) -> OkOut:
    identity.end_auth_session(db, session_token(request))
    db.commit()
    clear_session_cookie(response)
    return OkOut()


@router.get("/me", response_model=UserEnvelope, responses={401: {"model": ErrorOut}})
def me(user: CurrentUser) -> UserEnvelope:
    return UserEnvelope(user=UserOut.of(user))
