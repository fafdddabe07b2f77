"""Tracker files as text: strict YAML parsing with plain messages, and the canonical dump.

Parsing refuses what a tracker never needs (tags, anchors, duplicate keys) and says
where; dumping writes one canonical form, so the same data always gives the same bytes
and a git diff shows exactly what changed.
"""

from __future__ import annotations

import codecs
import gc
import os
import re
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import yaml

from .errors import Problem, ValidationFailed, sentence
from .model import Recommendation, Tracker, precision_of

MAX_FILE_BYTES = 64 * 1024 * 1024
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Refused(Exception):
    def __init__(self, message, mark=None):
        super().__init__(message)
        self.message = message
        self.mark = mark


_PLAIN_TAGS = {yaml.SequenceNode: "tag:yaml.org,2002:seq", yaml.MappingNode: "tag:yaml.org,2002:map"}
_STR = "tag:yaml.org,2002:str"
_TAG_REFUSED = "uses a YAML tag (!!... or !...), which is not allowed in a tracker file; write the plain value"
_MERGE_REFUSED = "uses a YAML merge key (<<), which is not allowed in a tracker file; write each field out"


class _StrictLoader(_BaseLoader):
    """Safe loading that also refuses duplicate keys, anchors/aliases, tags and merge keys."""

    # A tag needs a '!' in the text: without one, checking every node (a sixth of a large parse) is skipped.
    tags_possible = True

    def _explicit_tag(self, node) -> bool:
        # A node's tag is explicit when it differs from what its text alone would give: `!!binary`,
        # `!!set`, `!!omap`, `!!str 12`... Plain data has no use for any of them.
        if isinstance(node, yaml.ScalarNode):
            plain = not node.style  # the C parser says '' for plain, the Python one None
            implicit = self.resolve(yaml.ScalarNode, node.value, (True, False)) if plain else _STR
            return node.tag != implicit
        return node.tag != _PLAIN_TAGS[type(node)]

    def construct_object(self, node, deep=False):
        # An alias hands back a node already built; refusing it stops "billion laughs".
        if node in self.constructed_objects:
            raise _Refused(
                "uses a YAML anchor and alias (&name, *name), which are not allowed; write each value out",
                node.start_mark,
            )
        if self.tags_possible and self._explicit_tag(node):
            raise _Refused(_TAG_REFUSED, node.start_mark)
        try:
            return super().construct_object(node, deep)
        except ValueError:
            # PyYAML builds dates itself and fails on 2023-02-30 with a bare ValueError.
            raise _Refused(f"'{node.value}' is not a real calendar date", node.start_mark) from None

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            if key_node.tag in ("tag:yaml.org,2002:merge", "tag:yaml.org,2002:value"):
                raise _Refused(_MERGE_REFUSED, key_node.start_mark)
            key = key_node.value
            if isinstance(key, str):
                if key in seen:
                    raise _Refused(
                        f"the key '{key}' appears twice in the same block; keep only one", key_node.start_mark
                    )
                seen.add(key)
        return super().construct_mapping(node, deep)


_OPEN_QUOTE = re.compile(r"""^\s*(?:-\s+)?[^\s:#'"][^:#]*:\s+(?:'(?:[^']|'')*|"(?:[^"\\]|\\.)*)$""")


def _unclosed_quote_line(lines: list[str], upto: int) -> int | None:
    for number, line in enumerate(lines[:upto], start=1):
        if _OPEN_QUOTE.match(line):
            return number
    return None


def _explain_yaml_error(error: yaml.YAMLError, text: str) -> tuple[str, int | None]:
    """A plain sentence for a YAML syntax error, and the line it is on."""
    problem = getattr(error, "problem", "") or str(error)
    context = getattr(error, "context", "") or ""
    mark = getattr(error, "problem_mark", None)
    line = mark.line + 1 if mark else None
    lines = text.splitlines()
    if line and 0 < line <= len(lines) and "\t" in lines[line - 1] and "cannot start any token" in problem:
        return "a tab character is used for indentation; indent with spaces only", line
    context_mark = getattr(error, "context_mark", None)
    if "expected ',' or" in problem and context_mark:
        return "a bracket ([ or {) is opened but never closed", context_mark.line + 1
    opened = _unclosed_quote_line(lines, line or len(lines))
    if "quoted scalar" in context or (opened and "expected" in problem):
        return "a quotation mark is opened but never closed", opened or line
    return _explain_plain(problem), line


def _explain_plain(problem: str) -> str:
    if "cannot start any token" in problem:
        return "a value starts with a character YAML reserves (such as @ or `); put the text in quotes"
    if "mapping values are not allowed" in problem:
        return "a colon appears where YAML does not allow one; put text that contains ': ' in quotes"
    if "could not determine a constructor" in problem:
        return "uses a YAML tag (!!...) that is not allowed in a tracker file"
    if "expected <block end>" in problem or "expected a comment or a line break" in problem:
        return "the indentation is inconsistent; line up items at the same level"
    return f"the YAML is not valid here ({problem})"


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a whole tracker is built.

    Building some 10^6 small objects at once sets off many full collections, each of which
    walks everything already in memory; pausing them halves a large load. The objects are
    plain data without cycles, so nothing waits longer to be freed.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        # Move what was just built to the oldest generation, so re-enabling the collector does
        # not start by walking all of it at once.
        gc.freeze()
        gc.unfreeze()
        if enabled:
            gc.enable()


def parse_yaml(raw: bytes, filename: str, max_bytes: int = MAX_FILE_BYTES):
    """Parse tracker bytes into plain data and its node tree.

    Raises ValidationFailed with one problem when the bytes are not usable YAML.
    """
    if len(raw) > max_bytes:
        raise ValidationFailed([too_big(filename, len(raw), max_bytes)])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise ValidationFailed(
            [Problem("is not UTF-8 text (an unreadable byte); save the file as UTF-8.", filename, line)]
        ) from None
    if not text.strip():
        raise ValidationFailed([Problem("the file is empty; it must hold a tracker.", filename)])
    loader = _StrictLoader(text)
    loader.tags_possible = "!" in text
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except _Refused as refused:
        line = refused.mark.line + 1 if refused.mark else None
        raise ValidationFailed([Problem(sentence(refused.message), filename, line)]) from None
    except yaml.YAMLError as error:
        message, line = _explain_yaml_error(error, text)
        raise ValidationFailed([Problem(sentence(message), filename, line)]) from None
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        raise ValidationFailed(
            [Problem("the file must be a set of fields (schema_version, tracker, ...).", filename, 1)]
        )
    return data, node


def too_big(filename: str, size: int, max_bytes: int) -> Problem:
    return Problem(
        f"the file is {size / 1_048_576:.1f} MB, over the {max_bytes / 1_048_576:.0f} MB limit; it was not read",
        filename,
    )


def read_file(path: Path, max_bytes: int = MAX_FILE_BYTES) -> bytes:
    """A tracker file's bytes. Refuses anything that is not a regular file (a device, a pipe, a
    folder, or a link to one) and never reads more than `max_bytes`, whatever the file claims.

    Raises ValidationFailed with one plain problem, or OSError."""
    # O_NONBLOCK: opening a pipe must not wait for a writer that never comes.
    handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        info = os.fstat(handle)
        if not stat.S_ISREG(info.st_mode):
            raise ValidationFailed(
                [
                    Problem(
                        "is not a regular file (it is a device, a pipe or a folder, or a link to one); "
                        "point to the tracker's YAML file",
                        path.name,
                    )
                ]
            )
        if info.st_size > max_bytes:
            raise ValidationFailed([too_big(path.name, info.st_size, max_bytes)])
        with os.fdopen(os.dup(handle), "rb") as stream:
            raw = stream.read(max_bytes + 1)  # a file that grows while read is still capped
    finally:
        os.close(handle)
    if len(raw) > max_bytes:
        raise ValidationFailed(
            [Problem(f"the file is over the {max_bytes / 1_048_576:.0f} MB limit; it was not read", path.name)]
        )
    return raw


HEAD_BYTES = 64 * 1024  # where a tracker file's title is looked for (it comes first in every file we write)


def read_title(path: Path) -> str | None:
    """A tracker file's title (`tracker: title:`), read from the events of its first HEAD_BYTES without
    building or validating anything: the sidebar names a hundred documents without loading them. None
    when it is not there as one line of plain text (a tag, an anchor, a value YAML reads as another type,
    the file unreadable or not a regular file): the caller then loads the document, which says why."""
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
        try:
            if not stat.S_ISREG(os.fstat(handle).st_mode):
                return None
            with os.fdopen(os.dup(handle), "rb") as stream:
                raw = stream.read(HEAD_BYTES)
        finally:
            os.close(handle)
        # A character cut by the end of the head is left out; a bad byte before it is an error.
        text = codecs.getincrementaldecoder("utf-8")().decode(raw, final=False)
        events = iter(yaml.parse(text, Loader=_BaseLoader))
        starts = [type(next(events)) for _ in range(3)]
        if starts != [yaml.StreamStartEvent, yaml.DocumentStartEvent, yaml.MappingStartEvent]:
            return None
        tracker = _value_of(events, "tracker")
        if not isinstance(tracker, yaml.MappingStartEvent) or tracker.anchor or tracker.tag:
            return None
        title = _value_of(events, "title")
    except (OSError, UnicodeDecodeError, StopIteration, yaml.YAMLError):
        return None  # a head cut short before the title, too: the caller loads the document
    if not isinstance(title, yaml.ScalarEvent) or title.anchor or title.tag:
        return None
    value = title.value
    if not title.style and yaml.resolver.Resolver().resolve(yaml.ScalarNode, value, (True, False)) != _STR:
        return None  # `title: 2023` or `title: yes` is no text
    return value if value.strip() and "\n" not in value and "\r" not in value else None


def _value_of(events, wanted: str):
    """In a mapping whose start was just read: the first event of `wanted`'s value, or None when the mapping
    ends without it (the values before it are skipped, nothing is built)."""
    while True:
        key = next(events)
        if not isinstance(key, yaml.ScalarEvent):
            return None  # the mapping's end, or a key that is not text
        value = next(events)
        if key.value == wanted and not key.tag and not key.anchor:
            return value
        depth = 1 if isinstance(value, (yaml.MappingStartEvent, yaml.SequenceStartEvent)) else 0
        while depth:
            event = next(events)
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1


def line_of(node, loc) -> int | None:
    """The 1-based line of the deepest node on a path of keys and indexes."""
    line = node.start_mark.line + 1 if node is not None else None
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if key_node.value == part:
                    line, node = key_node.start_mark.line + 1, value_node
                    break
            else:
                return line
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            return line
    return line


_BaseDumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _Dumper(_BaseDumper):
    """Block style, multi-line text as literal blocks, keys in schema order."""


def _represent_text(dumper, value: str):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_text)


def _as_yaml_date(value: str):
    # A known day is written as a YAML date (unquoted); a month or year stays text.
    return date.fromisoformat(value) if precision_of(value) == "day" else value


def _to_yaml(data) -> str:
    return yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=100,
        indent=2,
    )


def dump_plain(data) -> str:
    """Plain data (a worksheet) in the tracker files' YAML style: readable, multi-line texts as blocks."""
    return _to_yaml(data)


def _recommendation_data(rec: Recommendation) -> dict:
    data = rec.model_dump(mode="python")
    if data["review_interval_days"] is None:
        del data["review_interval_days"]
    _drop_unset(data, quote_kind="verbatim", quote_source=None, recurrence=None, periods=[], links=[])
    for period in data.get("periods", []):
        _sources_data(period["sources"])
    if not data["metadata_changes"]:
        del data["metadata_changes"]
    data["assessment"]["date"] = _as_yaml_date(data["assessment"]["date"])
    for update in data["updates"]:
        update["date"] = _as_yaml_date(update["date"])
        _sources_data(update["sources"])
        # Optional fields are written only when set, so files that never use them keep their bytes.
        if update["status"] is None:
            del update["status"]
        _drop_unset(update, part=None, withdrawn=False, changes=[])
        _changes_data(update.get("changes", []))
    _changes_data(data.get("metadata_changes", []))
    return data


def _drop_unset(data: dict, **defaults) -> None:
    """Leave out the optional fields that hold their default."""
    for name, default in defaults.items():
        if name in data and data[name] == default:
            del data[name]


def _changes_data(changes: list[dict]) -> None:
    for change in changes:
        _drop_unset(change, reason="")


def _sources_data(sources: list[dict]) -> None:
    # `published` is left out when unknown; a known day is written as a YAML date.
    for source in sources:
        if source["published"] is None:
            del source["published"]
        else:
            source["published"] = _as_yaml_date(source["published"])
        if source.get("publisher") is None:
            source.pop("publisher", None)


def dump_recommendation(rec: Recommendation) -> str:
    """One recommendation's canonical text, exactly as it stands in the tracker file."""
    return _to_yaml([_recommendation_data(rec)])


# Rendered text of recommendations, keyed by id() and holding the object itself, so an id is
# only trusted while that very (immutable) object is alive and the same.
RenderedTexts = dict[int, tuple[Recommendation, str]]


def _head_data(tracker: Tracker) -> dict:
    head = tracker.model_dump(mode="python", exclude={"recommendations", "translations"})
    head["tracker"]["article"]["published"] = _as_yaml_date(head["tracker"]["article"]["published"])
    _drop_unset(head["tracker"]["article"], title="", kind="article", parties=[], item_word="recommendation")
    for event in head["context_events"]:
        event["date"] = _as_yaml_date(event["date"])
        _sources_data(event["sources"])
        if event["recorded"] is None:
            del event["recorded"]
        _drop_unset(event, changes=[])
        _changes_data(event.get("changes", []))
    for review in head["reviews"]:
        review["date"] = _as_yaml_date(review["date"])
        _drop_unset(review, scope=[])
    _changes_data(head["settings_changes"])
    _drop_unset(head, reviews=[], settings_changes=[])
    return head


def _head_text(tracker: Tracker) -> str:
    """Everything before the first recommendation, in canonical form."""
    return _to_yaml(_head_data(tracker)) + "recommendations:\n"


def render_tracker(tracker: Tracker, known: RenderedTexts | None = None) -> tuple[str, RenderedTexts]:
    """The tracker's text, re-rendering only recommendations not in `known`; also returns the
    texts of the recommendations it now holds (for the next write)."""
    if not tracker.recommendations:
        return _to_yaml({**_head_data(tracker), "recommendations": []}) + _tail_text(tracker), {}
    texts: RenderedTexts = {}
    for rec in tracker.recommendations:
        cached = (known or {}).get(id(rec))
        texts[id(rec)] = cached if cached and cached[0] is rec else (rec, dump_recommendation(rec))
    body = "".join(text for _, text in texts.values())
    return _head_text(tracker) + body + _tail_text(tracker), texts


def _tail_text(tracker: Tracker) -> str:
    """The translations, after the recommendations (a reader of the file meets the English first); none
    written when there are none."""
    if not tracker.translations:
        return ""
    items = []
    for item in tracker.translations:
        data = item.model_dump(mode="python")
        if data["id"] is None:
            del data["id"]
        _drop_unset(data, reviewed_by="", reviewed=None)
        items.append(data)
    return _to_yaml({"translations": items})


_MARKERS = ("---", "...", "%")


def has_document_marker(text: str) -> bool:
    """Whether a line of the text may start a YAML document marker (`---`, `...`) or directive (`%`),
    which the canonical dump never writes. Plain substring tests: a scan of a whole large file costs a
    tenth of a second, and a false alarm only means a full render."""
    return text.startswith(_MARKERS) or any(f"\n{marker}" in text for marker in _MARKERS)


def dump_tracker(tracker: Tracker) -> str:
    """The canonical YAML text of a tracker: same data, same bytes."""
    return render_tracker(tracker)[0]


def texts_from_file(text: str, node, tracker: Tracker) -> RenderedTexts:
    """Each recommendation's text as it stands in a loaded file, when the file has the
    canonical layout (recommendations last, one `- ` item per recommendation at column 0).

    A write then re-renders only what it changed: the rest keeps its bytes. Returns {} for
    any other layout, and the next write renders everything."""
    if not isinstance(node, yaml.MappingNode) or not node.value:
        return {}
    end = len(text)
    last_key, sequence = node.value[-1]
    if last_key.value == "translations" and len(node.value) > 1:
        # The translations come after the recommendations (_tail_text): the last one ends where they start.
        end = last_key.start_mark.index
        if last_key.start_mark.column != 0:
            return {}
        last_key, sequence = node.value[-2]
    if last_key.value != "recommendations" or not isinstance(sequence, yaml.SequenceNode):
        return {}
    items = sequence.value
    if len(items) != len(tracker.recommendations) or not items:
        return {}
    starts = [item.start_mark.index - 2 for item in items]
    if any(
        item.start_mark.column != 2 or text[start : start + 2] != "- "
        for item, start in zip(items, starts, strict=True)
    ):
        return {}
    # The items are reused as they stand, so none may carry a document marker (`...` after the last
    # item, say): a write would put the next item after it. The head is always rendered afresh.
    if text[: starts[0]][-len("recommendations:\n") :] != "recommendations:\n" or has_document_marker(
        text[starts[0] : end]
    ):
        return {}
    ends = [*starts[1:], end]
    return {
        id(rec): (rec, text[start:end]) for rec, start, end in zip(tracker.recommendations, starts, ends, strict=True)
    }
