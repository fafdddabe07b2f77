"""The Store protocol every backend follows, and the store for a configured location.

The YAML file (`yaml_store`) is the default; a database URL opens the SQL store
(`sql_store`). Both apply the same pure changes from `edits`.
"""

from __future__ import annotations

import os
from datetime import date
from typing import Protocol

from .location import is_database_url, normalise_database_url
from .model import Tracker, Update
from .yaml_store import YamlStore


class Store(Protocol):
    """What the dashboard and the CLI need from any backend."""

    def load(self, *, today: date) -> Tracker: ...

    def revision(self) -> str: ...

    def append_update(self, rec_id: str, update: Update, *, today: date) -> Tracker: ...

    def add_recommendation(self, fields: dict, *, today: date) -> Tracker: ...

    def edit_recommendation(
        self, rec_id: str, changes: dict, *, expected: dict, author: str, recorded: str, today: date
    ) -> Tracker: ...


def open_store(location: str | os.PathLike) -> Store:
    """The store for a location: SqlStore for a database URL, else YamlStore for a YAML file."""
    if is_database_url(location):
        from .sql_store import SqlStore  # SQLAlchemy is imported only when a database is used

        return SqlStore(normalise_database_url(str(location)))
    return YamlStore(location)
