"""A user's preferences: the language they read (their notification mails, and their pages once signed in) and the
kinds of notification mail they get.

    from observatory.access.preferences import preferences_of, set_preferences

    set_preferences(engine, kofi, "kofi", language="fr", mail={"deadline": False})   # kofi's own
    preferences_of(engine, admin, "kofi").shown()  # {"language": "fr", "mail": {"query": True, …}, …}

A user sees and changes their own; an administrator (``manage_users``) anyone's; the public nobody's (401). Every
change is written to the audit trail (``user-preferences-changed``, with before and after), as other changes to
accounts are. An unknown language or kind of mail is a ``BadInput`` naming the value and what is accepted.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from observatory.access.audit import audit, utc_now
from observatory.access.policy import Action, Principal, Role, allowed
from observatory.errors import BadInput, Forbidden, NotFound, Unauthenticated
from observatory.i18n import DEFAULT, ENDONYMS, LANGUAGES, N_
from observatory.store.engine import transaction
from observatory.store.reporting_schema import User
from observatory.store.review_schema import MAIL_KINDS

#: What each kind of mail tells of, as the preferences page and the command line show it.
KIND_LABELS = {
    "query": N_("Review queries: opened, answered, replied to, resolved, reopened or withdrawn"),
    "submission": N_("Submissions you sent: rejected, approved or published"),
    "deadline": N_("Reminders: reporting rounds closing, queries due or overdue"),
}
KINDS = tuple(MAIL_KINDS)


class Unchanged(Enum):
    """The value a preference keeps when a change does not name it."""

    UNCHANGED = "unchanged"


UNCHANGED = Unchanged.UNCHANGED


@dataclass(frozen=True, slots=True)
class Preferences:
    username: str
    #: As chosen; ``None``: the default language.
    language: str | None
    #: Where the mails go; ``None``: the user gets none (an administrator sets it).
    email: str | None
    mail_off: tuple[str, ...]

    @property
    def reads(self) -> str:
        """The language the user's mails are written in."""
        return self.language or DEFAULT

    @property
    def mail(self) -> dict[str, bool]:
        """Each kind of mail: on or off."""
        return {kind: kind not in self.mail_off for kind in KINDS}

    def shown(self) -> dict[str, Any]:
        """As JSON for the API and the command line."""
        return {
            "username": self.username,
            "language": self.language,
            "mail_language": self.reads,
            "email": self.email,
            "mail": self.mail,
            "languages": list(LANGUAGES),
        }


def checked_language(value: str | None) -> str | None:
    """A language code as stored: one of the six, or ``None`` (empty) for the default."""
    if value is None or not value.strip():
        return None
    code = value.strip().casefold()
    if code not in LANGUAGES:
        accepted = ", ".join(f"{language} ({ENDONYMS[language]})" for language in LANGUAGES)
        raise BadInput(
            f"unknown language {value!r}: one of {accepted}, or empty for the default ({DEFAULT})",
            [{"field": "language", "value": value, "accepted": list(LANGUAGES)}],
        )
    return code


def checked_mail(mail: Mapping[str, bool]) -> dict[str, bool]:
    """Kinds of mail turned on (``True``) or off (``False``); every kind named must exist."""
    unknown = sorted(kind for kind in mail if kind not in KINDS)
    if unknown:
        raise BadInput(
            f"unknown kind of mail {', '.join(map(repr, unknown))}: one of {', '.join(KINDS)}",
            [{"field": "mail", "value": kind, "accepted": list(KINDS)} for kind in unknown],
        )
    return dict(mail)


def may_manage(principal: Principal, username: str) -> None:
    """A user manages their own preferences, an administrator anyone's; the public nobody's."""
    if principal.role is Role.PUBLIC:
        raise Unauthenticated("sign in, or send an API token, to see or change preferences")
    if principal.username != username and not allowed(principal, Action.MANAGE_USERS, None):
        raise Forbidden(
            f"{principal.username} ({principal.role}) may see and change only their own preferences",
            [{"user": principal.username, "role": str(principal.role), "action": "preferences", "of": username}],
        )


def preferences_of(engine: Engine, principal: Principal, username: str) -> Preferences:
    may_manage(principal, username)
    with Session(engine) as session:
        return _preferences(_user(session, username))


def set_preferences(
    engine: Engine,
    principal: Principal,
    username: str,
    *,
    language: str | Unchanged | None = UNCHANGED,
    mail: Mapping[str, bool] | None = None,
    now: datetime | None = None,
) -> Preferences:
    """Change ``username``'s language (``None``: the default) and turn kinds of mail on or off; what is not named
    stays as it was. Audited with ``principal`` as the actor when something changed."""
    may_manage(principal, username)
    chosen = language if isinstance(language, Unchanged) else checked_language(language)
    switches = checked_mail(mail or {})
    with transaction(engine) as session:
        user = _user(session, username)
        before = _preferences(user)
        off = set(before.mail_off)
        off |= {kind for kind, on in switches.items() if not on}
        off -= {kind for kind, on in switches.items() if on}
        if not isinstance(chosen, Unchanged):
            user.language = chosen
        user.mail_opt_out = sorted(off) or None
        after = _preferences(user)
        if after != before:
            audit(
                session,
                principal.username,
                "user-preferences-changed",
                "user",
                username,
                now or utc_now(),
                before={"language": before.language, "mail_off": list(before.mail_off)},
                after={"language": after.language, "mail_off": list(after.mail_off)},
            )
        return after


def _preferences(user: User) -> Preferences:
    language = user.language if user.language in LANGUAGES else None
    off = tuple(sorted(kind for kind in user.mail_opt_out or [] if kind in KINDS))
    return Preferences(user.username, language, user.email, off)


def _user(session: Session, username: str) -> User:
    user = session.scalars(select(User).where(User.username == username)).first()
    if user is None:
        raise NotFound(f"no user {username!r}", [{"field": "username", "value": username}])
    return user
