"""Who may do what with policy records, on top of ``observatory.access.policy``'s roles.

Anyone signed in may submit a practice. Reviewing a practice (comments, requests for changes, publication,
rejection), recording an implementation status or a workshop needs an analyst or an administrator, or a focal
point acting for one of their own countries.
"""

from observatory.access.policy import Principal, Role
from observatory.errors import Forbidden, Unauthenticated

REVIEWER_ROLES = frozenset({Role.ANALYST, Role.ADMIN})


def require_signed_in(principal: Principal, action: str) -> None:
    if principal.role is Role.PUBLIC:
        raise Unauthenticated(f"sign in to {action}")


def may_review(principal: Principal, country_iso3: str) -> bool:
    if principal.role in REVIEWER_ROLES:
        return True
    return principal.role is Role.FOCAL_POINT and country_iso3 in principal.countries


def require_reviewer(principal: Principal, country_iso3: str, action: str) -> None:
    require_signed_in(principal, action)
    if not may_review(principal, country_iso3):
        raise Forbidden(
            f"{principal.username} ({principal.role}) may not {action} for {country_iso3}: only analysts, "
            "administrators and the country's focal points may",
            [{"user": principal.username, "role": str(principal.role), "action": action, "country": country_iso3}],
        )
