"""The permission check every interface shares: a role's actions and their scope come from a data file.

Scopes: ``all`` countries; ``own``, the principal's countries (a data provider's also limited to the data sets
assigned); ``network``, the countries of the principal's regional network (e.g. WENDU).

Two rules sit beside the table. What a principal may see of a submission (``may_read``): a published one with
``read_published``, any other with ``read_unpublished``; a submission one may not see is answered as absent. And
four eyes (``four_eyes``): who uploaded a submission does not also approve or publish it, unless a principal with
``override_four_eyes`` (administrators) says why.
"""

import csv
from collections import defaultdict
from dataclasses import dataclass
from enum import StrEnum
from functools import cache

from observatory.datasets import DATASETS
from observatory.errors import Forbidden
from observatory.store.serving import SERVED, Audience

PERMISSIONS = DATASETS / "access" / "permissions.csv"
NETWORKS = DATASETS / "access" / "networks.csv"


class Role(StrEnum):
    PUBLIC = "public"
    PROVIDER = "provider"
    FOCAL_POINT = "focal_point"
    REGIONAL_REVIEWER = "regional_reviewer"
    ANALYST = "analyst"
    ADMIN = "admin"


class Action(StrEnum):
    READ_PUBLISHED = "read_published"
    READ_UNPUBLISHED = "read_unpublished"
    UPLOAD = "upload"
    SUBMIT = "submit"
    COMMENT = "comment"
    APPROVE = "approve"
    UNAPPROVE = "unapprove"
    REJECT = "reject"
    ACCEPT = "accept"
    PUBLISH = "publish"
    CORRECT = "correct"
    MANAGE_USERS = "manage_users"
    OVERRIDE_FOUR_EYES = "override_four_eyes"


class Scope(StrEnum):
    ALL = "all"
    OWN = "own"
    NETWORK = "network"


@dataclass(frozen=True, slots=True)
class Principal:
    """Someone acting on the platform: a user, a token's owner, or the anonymous public."""

    username: str
    role: Role
    countries: frozenset[str] = frozenset()
    datasets: frozenset[str] | None = None
    network: str | None = None


ANONYMOUS = Principal("anonymous", Role.PUBLIC)


class FourEyes(Forbidden):
    """The uploader of a submission may not also approve or publish it (an administrator may, giving a reason)."""

    code = "four-eyes"


@cache
def permissions() -> dict[Role, dict[Action, Scope]]:
    table: dict[Role, dict[Action, Scope]] = defaultdict(dict)
    with PERMISSIONS.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            table[Role(row["role"])][Action(row["action"])] = Scope(row["scope"])
    return dict(table)


@cache
def network_countries(network: str) -> frozenset[str]:
    with NETWORKS.open(encoding="utf-8", newline="") as handle:
        return frozenset(row["iso3"] for row in csv.DictReader(handle) if row["network"] == network)


def allowed(principal: Principal, action: Action, country: str | None, dataset: str | None = None) -> bool:
    """May ``principal`` do ``action`` on ``country``'s data (``None``: data of several countries) in ``dataset``?"""
    scope = permissions().get(principal.role, {}).get(action)
    if scope is None:
        return False
    if scope is Scope.ALL:
        return True
    if country is None:
        return False
    if scope is Scope.NETWORK:
        return principal.network is not None and country in network_countries(principal.network)
    in_datasets = principal.datasets is None or dataset is None or dataset in principal.datasets
    return country in principal.countries and in_datasets


def require(principal: Principal, action: Action, country: str | None, dataset: str | None = None) -> None:
    if not allowed(principal, action, country, dataset):
        where = f"{country or 'several countries'}" + (f", data set {dataset}" if dataset else "")
        raise Forbidden(
            f"{principal.username} ({principal.role}) may not {action} for {where}",
            [{"user": principal.username, "role": str(principal.role), "action": str(action), "country": country}],
        )


def may_read(principal: Principal, status: str, country: str | None, dataset: str) -> bool:
    """May ``principal`` see a submission of ``dataset`` for ``country`` in ``status``?"""
    if status in SERVED[Audience.PUBLIC]:
        return allowed(principal, Action.READ_PUBLISHED, country, dataset)
    return allowed(principal, Action.READ_UNPUBLISHED, country, dataset)


def four_eyes(
    principal: Principal, uploader: str, action: str, override: str | None, country: str | None, dataset: str
) -> str | None:
    """Check that someone other than ``uploader`` does ``action``; the override reason to record when the uploader
    may do it all the same, ``None`` when no override is needed (a reason given then is not used).

    Raises ``FourEyes`` for the uploader without ``override_four_eyes``, and for one with it but no reason."""
    if principal.username != uploader:
        return None
    details = [{"user": principal.username, "role": str(principal.role), "action": action, "uploader": uploader}]
    if not allowed(principal, Action.OVERRIDE_FOUR_EYES, country, dataset):
        raise FourEyes(
            f"{principal.username} uploaded this submission and may not {action} it too: four eyes, someone else "
            f"must {action} it",
            details,
        )
    reason = (override or "").strip()
    if not reason:
        raise FourEyes(
            f"{principal.username} uploaded this submission: to {action} it too, an administrator must give the "
            "reason for overriding four eyes (override)",
            [{**details[0], "field": "override"}],
        )
    return reason


def audience(principal: Principal) -> Audience:
    """Whose view of the figures ``principal`` gets: unpublished (approved) data of every country for those who
    may read it everywhere, published data for everyone else (``store.serving``)."""
    return Audience.ANALYST if allowed(principal, Action.READ_UNPUBLISHED, None) else Audience.PUBLIC
