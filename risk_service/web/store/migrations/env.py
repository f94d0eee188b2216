"""Alembic environment of the store.

The service runs the migrations itself (:func:`risk_service.web.store.migrate.upgrade`, on a
connection it has locked, passed in ``config.attributes["connection"]``). From the command
line (``alembic`` with the repository's ``alembic.ini``) the database is the setting
``RISK_DATABASE_URL`` / ``DATABASE_URL``, or ``-x url=...``.
"""

from __future__ import annotations

from alembic import context

from risk_service.web.store.schema import metadata

config = context.config


def _configure(**kwargs) -> None:
    # Batch mode: SQLite alters a table by copying it, which later migrations need.
    context.configure(target_metadata=metadata, render_as_batch=True, compare_type=True, **kwargs)


def _url() -> str:
    url = context.get_x_argument(as_dictionary=True).get("url")
    if url:
        return url
    from risk_service.config import Settings

    url = Settings().database_url
    if not url:
        raise SystemExit("set RISK_DATABASE_URL (or pass -x url=...) to name the database")
    return url


connection = config.attributes.get("connection")
if connection is not None:
    _configure(connection=connection)
    with context.begin_transaction():  # inside the caller's locked transaction
        context.run_migrations()
elif context.is_offline_mode():
    _configure(url=_url(), literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    from risk_service.web.store.engine import make_engine

    engine = make_engine(_url())
    try:
        with engine.connect() as conn:
            _configure(connection=conn)
            with context.begin_transaction():
                context.run_migrations()
            conn.commit()
    finally:
        engine.dispose()
