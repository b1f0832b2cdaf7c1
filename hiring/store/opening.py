"""Opening the store for use: connect, bring the schema up to date, finish an erasure left
pending.

It sits above ``db`` (connections and SQL), ``schema`` (migrations) and ``erasure``, so that
``db`` imports neither of them and no import goes back up the store.
"""

from __future__ import annotations

import os
from pathlib import Path

from hiring.errors import StoreError
from hiring.store.db import Store, check_target, connect, default_db_path
from hiring.store.erasure import finish_erasures
from hiring.store.schema import migrate


def open_store(target: str | os.PathLike[str] | None = None) -> Store:
    """Open (and create or migrate) the database at a path or ``postgresql://`` URL.

    ``None`` means ``HIRING_DB`` if set, else :func:`default_db_path`.
    """
    default = target is None and not os.environ.get("HIRING_DB")
    if target is None:
        target = os.environ.get("HIRING_DB") or default_db_path()
    text = os.fspath(target)
    check_target(text, create_folder=default)
    if default:
        try:
            Path(text).parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StoreError(
                f"cannot create the folder {Path(text).parent}: {error.strerror}"
            ) from None
    store = connect(text)
    try:
        migrate(store)
        if store.one("SELECT 1 FROM erasures_pending LIMIT 1"):
            # An erase could not remove every old copy (a reader was open): finish it now.
            finish_erasures(store)
    except BaseException:
        store.close()
        raise
    return store
