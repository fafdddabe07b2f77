"""Several documents in one tracker: which documents there are, and where each is kept.

A location names one document or a portfolio of them:
- a YAML tracker file: one document (its id is the file's stem);
- a YAML index file (`documents:`, a list of `{id, file}` relative to the index's folder): one document
  per file, each a tracker file of its own (reviewable in git, loaded alone);
- a database URL: every document the database holds (`sql.list_documents`), each with a revision of
  its own.
One document of a portfolio is named by the portfolio's location and `#<document id>`; without a
fragment, the location means its first document, so a link or a setting made before there were several
documents still opens the same one.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import Problem, StoreUnavailable, ValidationFailed
from ..location import is_database_url
from ..yaml_text import parse_yaml, read_file

INDEX_KEY = "documents"
_ID = re.compile(r"\A[a-z0-9]+(?:[-_][a-z0-9]+)*\Z")
MAX_DOCUMENTS = 1000


@dataclass(frozen=True)
class Document:
    """One document of a portfolio: its id (in links: `?doc=`) and the location of its store."""

    id: str
    location: str


def split_location(location: str | os.PathLike) -> tuple[str, str | None]:
    """(the portfolio's location, the document id asked for, or None for its first document)."""
    text = str(location)
    base, mark, fragment = text.rpartition("#")
    if mark and _ID.match(fragment):
        return base, fragment
    return text, None


def document_location(portfolio: str, doc_id: str) -> str:
    return f"{portfolio}#{doc_id}"


def is_index(path: Path) -> bool:
    """Whether a YAML file is an index of documents (its top level has `documents:`) rather than a tracker."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(4096).decode("utf-8", "replace")
    except OSError:
        return False
    return re.search(rf"^{INDEX_KEY}:", head, re.MULTILINE) is not None and not re.search(
        r"^schema_version:", head, re.MULTILINE
    )


def read_index(path: Path) -> list[tuple[str, Path]]:
    """The documents an index file lists: (id, file), files relative to the index's folder. Raises
    ValidationFailed with one plain problem per mistake."""
    path = Path(path)
    try:
        data, _ = parse_yaml(read_file(path), path.name)
    except OSError as error:
        raise StoreUnavailable(f"The index of documents {path} cannot be read ({error.strerror}).") from None
    entries = data.get(INDEX_KEY)
    problems: list[Problem] = []
    if not isinstance(entries, list) or not entries:
        raise ValidationFailed(
            [Problem("must list at least one document: `documents:` with `id` and `file`.", path.name)]
        )
    found, seen = [], set()
    for number, entry in enumerate(entries[:MAX_DOCUMENTS], start=1):
        if not isinstance(entry, dict) or set(entry) != {"id", "file"}:
            problems.append(Problem(f"document {number} must have exactly an `id` and a `file`.", path.name))
            continue
        doc_id, file = str(entry["id"]), str(entry["file"])
        if not _ID.match(doc_id):
            problems.append(Problem(f"document {number}: '{doc_id[:60]}' is not a valid id; use lowercase letters, "
                                    "digits and hyphens.", path.name))  # fmt: skip
        elif doc_id in seen:
            problems.append(Problem(f"document {number}: the id '{doc_id}' is used twice.", path.name))
        target = (path.parent / file).resolve()
        if Path(file).is_absolute() or path.parent.resolve() not in target.parents:
            problems.append(Problem(f"document {number}: the file '{file[:80]}' must sit in the index's folder.",
                                    path.name))  # fmt: skip
        seen.add(doc_id)
        found.append((doc_id, path.parent / file))
    if len(entries) > MAX_DOCUMENTS:
        problems.append(Problem(f"lists more than {MAX_DOCUMENTS} documents.", path.name))
    if problems:
        raise ValidationFailed(problems)
    return found


def list_documents(location: str | os.PathLike) -> list[Document]:
    """Every document at a location, in order (the first is the default one)."""
    base, _ = split_location(location)
    if is_database_url(base):
        from .sql import list_documents as list_sql_documents  # SQLAlchemy only when a database is used

        return [Document(doc_id, document_location(base, doc_id)) for doc_id in list_sql_documents(base)]
    path = Path(base)
    if is_index(path):
        return [Document(doc_id, document_location(base, doc_id)) for doc_id, _ in read_index(path)]
    return [Document(path.stem.replace(".", "-").lower() or "main", base)]


def yaml_file_of(location: str | os.PathLike) -> Path:
    """The tracker file behind a YAML location (an index's document, or the file itself)."""
    base, doc_id = split_location(location)
    path = Path(base)
    if not is_index(path):
        return path
    documents = read_index(path)
    if doc_id is None:
        return documents[0][1]
    for found_id, file in documents:
        if found_id == doc_id:
            return file
    raise StoreUnavailable(f"The index {path.name} lists no document '{doc_id}'.")
