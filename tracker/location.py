"""Where a tracker lives: a YAML file path or a database URL, as configured."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping

DEFAULT_LOCATION = "data/documents.yaml"  # the index of the documents (storage.portfolio)
# A document's id (in a location's `#id`, in links' `?doc=`): lowercase letters and digits, joined by - or _.
DOCUMENT_ID = re.compile(r"\A[a-z0-9]+(?:[-_][a-z0-9]+)*\Z")
_DATABASE_URL = re.compile(r"^(?:postgres|postgresql|sqlite)(?:\+[a-z0-9_]+)?://", re.IGNORECASE)


def is_database_url(location: str | os.PathLike) -> bool:
    """Whether a location names a database (postgresql://, postgresql+psycopg://, sqlite:///) rather than a file."""
    return bool(_DATABASE_URL.match(str(location).strip()))


def normalise_database_url(url: str) -> str:
    """Plain postgresql:// (or postgres://) URLs use the installed psycopg 3 driver."""
    url = url.strip()
    for prefix in ("postgresql://", "postgres://"):
        if url.lower().startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def shown_location(location: str | os.PathLike) -> str:
    """A location safe to print: a database URL with its password hidden."""
    # Up to the last @: a password with an unencoded @ in it is hidden whole too.
    return re.sub(r"^([a-z0-9+]+://[^:/@]*):.*@", r"\1:***@", str(location), flags=re.IGNORECASE)


def configured_location(environ: Mapping[str, str] | None = None, secrets: Mapping | None = None) -> str:
    """Where the tracker lives, first found of: $TRACKER_DATABASE_URL, the secrets' database URL
    ([database] url = "..." or database_url = "..."), $TRACKER_DATA, the bundled YAML file."""
    environ = os.environ if environ is None else environ
    url = environ.get("TRACKER_DATABASE_URL", "").strip()
    if not url and secrets is not None:
        try:
            database = secrets.get("database")
            if isinstance(database, Mapping):
                url = str(database.get("url") or "").strip()
            if not url:
                url = str(secrets.get("database_url") or "").strip()
        except FileNotFoundError:  # Streamlit raises it when there is no secrets file at all
            url = ""
    if url:
        return normalise_database_url(url)
    return environ.get("TRACKER_DATA", "").strip() or DEFAULT_LOCATION
