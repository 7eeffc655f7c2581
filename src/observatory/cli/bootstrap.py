"""How a command reaches the records store: the one bootstrap of every command but ``init`` and ``demo``.

``open_records`` connects and checks the store's schema; it reloads nothing. An empty store (a new SQLite file, an
empty PostgreSQL database or schema) is initialised once, as ``observatory init`` does (newest schema, packaged
reference release, population), so that the first command on a new machine works. A store at an older migration
is never upgraded behind the user's back: the command stops and asks for ``observatory init``; a store made by a
newer version of the code stops it too.
"""

from typing import ClassVar

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from observatory.cli.output import err
from observatory.errors import ObservatoryError
from observatory.settings import Settings
from observatory.store.engine import make_engine
from observatory.store.migrate import alembic_config


class RecordsStoreNotReady(ObservatoryError):
    status: ClassVar[int] = 503
    code: ClassVar[str] = "records-store-not-ready"


def open_records(settings: Settings) -> Engine:
    """An engine on the records store of ``settings``, which is at the newest migration (see the module)."""
    engine = make_engine(settings.records_url)
    try:
        current, heads = _revisions(engine)
    except SQLAlchemyError as error:
        engine.dispose()
        raise RecordsStoreNotReady(
            f"cannot open the records store at {_shown(settings)}: {error.__class__.__name__}: {error}"
        ) from error
    if current == heads:
        return engine
    engine.dispose()
    if not current:
        return _initialised(settings)
    script = ScriptDirectory.from_config(alembic_config(engine))
    if all(_known(script, revision) for revision in current):
        message = (
            f"the records store at {_shown(settings)} is at migration {', '.join(sorted(current))}, this version "
            f"needs {', '.join(sorted(heads))}: run `observatory init` to upgrade it"
        )
    else:
        message = (
            f"the records store at {_shown(settings)} was made by a newer version of the observatory (migration "
            f"{', '.join(sorted(current))}); install that version"
        )
    raise RecordsStoreNotReady(message, [{"current": sorted(current), "needed": sorted(heads)}])


def _revisions(engine: Engine) -> tuple[frozenset[str], frozenset[str]]:
    heads = frozenset(ScriptDirectory.from_config(alembic_config(engine)).get_heads())
    with engine.connect() as connection:
        current = frozenset(MigrationContext.configure(connection).get_current_heads())
    return current, heads


def _known(script: ScriptDirectory, revision: str) -> bool:
    try:
        return script.get_revision(revision) is not None
    except CommandError:
        return False


def _initialised(settings: Settings) -> Engine:
    from observatory.demo import initialise

    with err.status(f"initialising the empty records store at {_shown(settings)} (as `observatory init` does)…"):
        engine = initialise(settings)
    err.print(f"records store initialised: {_shown(settings)}")
    return engine


def _shown(settings: Settings) -> str:
    """The store's URL without its password."""
    return make_url(settings.records_url).render_as_string(hide_password=True)
