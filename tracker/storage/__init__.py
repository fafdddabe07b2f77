"""Where trackers are kept: the storage contract (`contract`) and its backends.

- `yaml_files`: a YAML file (the default, reviewed in git), suggestions in a file beside it;
- `sql`: PostgreSQL for shared deployments, SQLite for quick local use.

`open_store(location)` picks the backend from the location (a database URL or a file path); callers
then use only the contract (`contract.Store`), never a backend's own members.
"""

from __future__ import annotations

import os

from ..location import is_database_url, normalise_database_url
from .contract import Change, Store, SuggestionStore, compose

__all__ = ["Change", "Store", "SuggestionStore", "compose", "open_store"]


def open_store(location: str | os.PathLike) -> Store:
    """The store for a location: the SQL backend for a database URL, else the YAML file backend."""
    if is_database_url(location):
        from .sql import SqlStore  # SQLAlchemy is imported only when a database is used

        return SqlStore(normalise_database_url(str(location)))
    from .yaml_files import YamlStore

    return YamlStore(location)
