"""Where trackers are kept: the storage contract (`contract`) and its backends.

- `yaml_files`: a YAML file (the default, reviewed in git), suggestions in a file beside it, what was
  parsed kept in a cache folder (`TRACKER_CACHE_DIR`);
- `sql`: PostgreSQL for shared deployments, SQLite for quick local use.

`open_store(location)` picks the backend from the location (a database URL or a file path); callers
then use only the contract (`contract.Store`), never a backend's own members.
"""

from __future__ import annotations

import os

from ..location import is_database_url, normalise_database_url
from .contract import Change, Store, SuggestionStore, compose
from .portfolio import (
    Document,
    document_location,
    list_documents,
    plan_copy,
    read_revisions,
    read_titles,
    split_location,
    yaml_file_of,
)

__all__ = [
    "Change",
    "Document",
    "Store",
    "SuggestionStore",
    "compose",
    "document_location",
    "list_documents",
    "open_store",
    "plan_copy",
    "read_revisions",
    "read_titles",
    "split_location",
]


def open_store(location: str | os.PathLike) -> Store:
    """The store of one document: the SQL backend for a database URL, else the YAML file backend (a
    tracker file, or a document of an index of them: `portfolio.split_location`)."""
    base, doc_id = split_location(location)
    if is_database_url(base):
        from .sql import SqlStore  # SQLAlchemy is imported only when a database is used

        return SqlStore(normalise_database_url(base), document=doc_id)
    from .yaml_files import YamlStore, configured_cache

    # The app's stores keep what they parse in the cache folder the environment names (yaml_files).
    return YamlStore(yaml_file_of(location), cache=configured_cache(os.environ))
