"""Words the pages show for codes the platform keeps in English (a submission's status, "several" countries): the
code stays in the data and the CSS class, the label is in the page's language."""

from collections.abc import Callable

from observatory.i18n import pgettext

STATUS: dict[str, Callable[[], str]] = {
    "draft": lambda: pgettext("submission status", "draft"),
    "submitted": lambda: pgettext("submission status", "submitted"),
    "invalid": lambda: pgettext("submission status", "invalid"),
    "validated": lambda: pgettext("submission status", "validated"),
    "approved": lambda: pgettext("submission status", "approved"),
    "accepted": lambda: pgettext("submission status", "accepted"),
    "published": lambda: pgettext("submission status", "published"),
    "rejected": lambda: pgettext("submission status", "rejected"),
    "superseded": lambda: pgettext("submission status", "superseded"),
    "missing": lambda: pgettext("submission status", "missing"),
    "not_started": lambda: pgettext("implementation status", "not started"),
    "planned": lambda: pgettext("implementation status", "planned"),
    "in_progress": lambda: pgettext("implementation status", "in progress"),
    "implemented": lambda: pgettext("implementation status", "implemented"),
    "not_applicable": lambda: pgettext("implementation status", "not applicable"),
}


def status_label(code: str) -> str:
    """The status ``code`` in the page's language (the code itself for one this list does not know)."""
    label = STATUS.get(code)
    return label() if label is not None else code


def several_countries() -> str:
    return pgettext("countries of a submission", "several")
