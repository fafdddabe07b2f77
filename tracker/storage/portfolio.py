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

Copies (`import`, `export --to`) take every document of a portfolio, or the one a location names
(`plan_copy`); an index file (or a file named `documents.yaml` that does not exist yet) receives them as
one tracker file per document beside it, keeping their ids and order.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import Problem, StoreUnavailable, TrackerError, ValidationFailed
from ..location import DOCUMENT_ID, is_database_url, shown_location
from ..yaml_text import parse_yaml, read_file, read_title
from .yaml_files import file_revision, write_atomically

INDEX_KEY = "documents"
INDEX_NAME = "documents.yaml"  # a copy's target by this name (or an index that exists) gets every document
_ID = DOCUMENT_ID
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


_INDEXES: dict[str, tuple[tuple, list[tuple[str, Path]]]] = {}  # path -> (the file's identity, its entries)


def read_index_kept(path: Path) -> list[tuple[str, Path]]:
    """`read_index`, kept while the index file is unchanged (same inode, size and modification time): every
    document's store reads the index to find its file, and a portfolio of a hundred documents would
    otherwise parse and check it a hundred times over, each time checking a hundred entries."""
    try:
        info = os.stat(path)
    except OSError:
        return read_index(path)  # which says plainly why it cannot be read
    identity = (info.st_ino, info.st_size, info.st_mtime_ns)
    kept = _INDEXES.get(str(path))
    if kept is None or kept[0] != identity:
        kept = _INDEXES[str(path)] = (identity, read_index(path))
    return list(kept[1])


def list_documents(location: str | os.PathLike) -> list[Document]:
    """Every document at a location, in order (the first is the default one)."""
    base, _ = split_location(location)
    if is_database_url(base):
        from .sql import list_documents as list_sql_documents  # SQLAlchemy only when a database is used

        return [Document(doc_id, document_location(base, doc_id)) for doc_id in list_sql_documents(base)]
    path = Path(base)
    if is_index(path):
        return [Document(doc_id, document_location(base, doc_id)) for doc_id, _ in read_index_kept(path)]
    return [Document(path.stem.replace(".", "-").lower() or "main", base)]


def _yaml_files(base: str) -> list[tuple[str, Path]]:
    """(id, tracker file) of every document of a YAML location (an index, or one tracker file)."""
    path = Path(base)
    if is_index(path):
        return read_index_kept(path)
    return [(list_documents(base)[0].id, path)]


def read_revisions(location: str | os.PathLike) -> dict[str, str]:
    """Every document's revision, by id (what each one's store's `revision` says), without a store per
    document: one query of a database, a stat of each file of an index. A document whose revision cannot
    be read is left out: its own store says why."""
    base, _ = split_location(location)
    if is_database_url(base):
        from .sql import read_heads

        return {doc_id: revision for doc_id, (revision, _title) in read_heads(base).items()}
    found = {}
    for doc_id, file in _yaml_files(base):
        try:
            found[doc_id] = file_revision(file)
        except StoreUnavailable:
            continue
    return found


def read_titles(location: str | os.PathLike) -> dict[str, str]:
    """Every document's title, by id, without loading any document: the stored settings' titles in one
    query of a database, the start of each file of an index (yaml_text.read_title). A title not read so
    is left out (a document without a tracker yet, a file whose title is not plain text): the caller
    loads that document, which says what is wrong."""
    base, _ = split_location(location)
    if is_database_url(base):
        from .sql import read_heads

        return {doc_id: title for doc_id, (_revision, title) in read_heads(base).items() if title}
    found = {}
    for doc_id, file in _yaml_files(base):
        title = read_title(file)
        if title is not None:
            found[doc_id] = title
    return found


def yaml_file_of(location: str | os.PathLike) -> Path:
    """The tracker file behind a YAML location (an index's document, or the file itself)."""
    base, doc_id = split_location(location)
    path = Path(base)
    if not is_index(path):
        return path
    documents = read_index_kept(path)
    if doc_id is None:
        return documents[0][1]
    for found_id, file in documents:
        if found_id == doc_id:
            return file
    raise StoreUnavailable(f"The index {path.name} lists no document '{doc_id}'.")


# -- copies: import, and export to YAML ----------------------------------------------------------------


@dataclass(frozen=True)
class Copy:
    """One document to copy: its id (None: a lone tracker file into a store's first document), the
    location it is read from and the location it is written to."""

    id: str | None
    source: str
    target: str


@dataclass(frozen=True)
class CopyPlan:
    """The documents a copy writes, and the index of documents to write once they are written (for a
    YAML index target): its (id, file) entries in order."""

    copies: tuple[Copy, ...]
    index: Path | None = None
    entries: tuple[tuple[str, str], ...] = ()

    def write_index(self) -> bool:
        """Write the index, unless it already lists exactly these entries (a hand-written one keeps its
        comments then). Returns whether it was written."""
        if self.index is None:
            return False
        if self.index.exists() and is_index(self.index):
            listed = [(doc_id, _relative(file, self.index)) for doc_id, file in read_index(self.index)]
            if listed == list(self.entries):
                return False
        write_atomically(self.index, dump_index(self.entries).encode("utf-8"))
        return True


def dump_index(entries) -> str:
    """An index file: the documents, one tracker file each, in order."""
    lines = [
        "# The documents this tracker follows, one file each, in order. The first is the default: a location or",
        "# a link that names no document opens it.",
        f"{INDEX_KEY}:",
    ]
    for doc_id, file in entries:
        lines += [f"- id: {doc_id}", f"  file: {file}"]
    return "\n".join(lines) + "\n"


def is_index_target(location: str | os.PathLike) -> bool:
    """Whether a copy's YAML target is an index of documents: an index file that exists, or a file named
    documents.yaml that does not exist yet."""
    base, _ = split_location(location)
    if is_database_url(base):
        return False
    path = Path(base)
    return is_index(path) if path.exists() else path.name == INDEX_NAME


def plan_copy(source: str | os.PathLike, target: str | os.PathLike, document: str | None = None) -> CopyPlan:
    """What copying `source` into `target` writes. The source gives every document of a portfolio (an
    index file or a database), or the one its `#id` or `document` names, or its one tracker file. A
    database target receives each document under its id (`URL#id`; a lone tracker file goes to the
    target's `#id`, `document`, or its first document); an index target receives one file per document
    (the file the index already lists for that id, else `<id>.yaml`); a tracker file target receives
    exactly one document. Raises TrackerError, with one plain sentence, when they do not fit."""
    base, named = split_location(source)
    wanted = named or document
    if is_database_url(base) or is_index(Path(base)):
        held = list_documents(base)
        chosen = [doc for doc in held if wanted is None or doc.id == wanted]
        if not chosen:
            ids = ", ".join(f"'{doc.id}'" for doc in held[:10]) or "none"
            missing = f"no document '{wanted}' (it holds {ids})" if wanted else "no document yet"
            raise TrackerError(f"{shown_location(base)} holds {missing}; nothing was copied.")
        picks = [(doc.id, doc.location) for doc in chosen]
    else:
        picks = [(wanted, base)]
    target_base, target_named = split_location(target)
    if target_named is not None and len(picks) > 1:
        raise TrackerError(
            f"{shown_location(target)} names one document, and {shown_location(source)} holds {len(picks)}; "
            "leave out the #id to copy them all, or pick one with --document."
        )
    if is_database_url(target_base):
        if target_named is not None or (len(picks) == 1 and picks[0][0] is None):
            return CopyPlan((Copy(target_named or picks[0][0], picks[0][1], str(target)),))
        return CopyPlan(tuple(Copy(doc_id, src, document_location(target_base, doc_id)) for doc_id, src in picks))
    if is_index_target(target_base):
        return _plan_index(picks, Path(target_base), target_named, source)
    if len(picks) > 1:
        raise TrackerError(
            f"{shown_location(source)} holds {len(picks)} documents and {target} is one tracker file; copy them "
            f"into an index of documents (FOLDER/{INDEX_NAME}), or pick one with #ID."
        )
    return CopyPlan((Copy(picks[0][0], picks[0][1], str(target_base)),))


def _plan_index(picks, index: Path, named: str | None, source) -> CopyPlan:
    entries = {doc_id: _relative(file, index) for doc_id, file in read_index(index)} if index.exists() else {}
    taken = {INDEX_NAME, index.name, *entries.values()}
    copies = []
    for doc_id, src in picks:
        doc_id = named or doc_id or list_documents(source)[0].id  # a lone tracker file: its stem
        if doc_id not in entries:
            file, n = f"{doc_id}.yaml", 1
            while file in taken:
                n += 1
                file = f"{doc_id}-{n}.yaml"
            entries[doc_id] = file
            taken.add(file)
        copies.append(Copy(doc_id, src, str(index.parent / entries[doc_id])))
    return CopyPlan(tuple(copies), index, tuple(entries.items()))


def _relative(file: Path, index: Path) -> str:
    return Path(os.path.relpath(file, index.parent)).as_posix()
