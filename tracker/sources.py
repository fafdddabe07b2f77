"""Sources named briefly, for lists where a full title would not fit: who published it, and its kind.

The full source (title, link, own date) stays on the recommendation's page; a list names it in a few
words ("yna.co.kr, news"), so a copy's or an unidentified page's long title never headlines a row.
"""

from __future__ import annotations

from urllib.parse import urlsplit

# Second-level labels under a country code that are not a publisher's own name: "kbs.co.kr" is KBS,
# not "co.kr". A short list, not the Public Suffix List: a name only has to be short and recognisable.
_SHARED_SECOND_LEVEL = {"ac", "co", "com", "edu", "go", "gov", "mil", "ne", "net", "or", "org", "re"}


def name_publisher(source) -> str:
    """Who published a source, in a few words: its `publisher` when the data gives one, else the
    registrable part of its web address's host ('https://en.yna.co.kr/...' -> 'yna.co.kr')."""
    # Sources are gaining an optional `publisher` field in a parallel change; getattr reads it where it
    # exists and falls back to the address where it does not (older data, or before the field lands).
    publisher = getattr(source, "publisher", None)
    if publisher:
        return publisher
    host = (urlsplit(source.url).hostname or "").lower().rstrip(".")
    labels = host.split(".")
    if len(labels) <= 2 or all(label.isdigit() for label in labels):
        return host
    shared = len(labels[-1]) == 2 and labels[-2] in _SHARED_SECOND_LEVEL
    return ".".join(labels[-3:] if shared else labels[-2:])


def mention_source(source, kinds: dict[str, str]) -> str:
    """A source in a few words: its publisher and its kind ('yna.co.kr, news'); `kinds` maps kind ids
    to their labels."""
    kind = kinds.get(source.kind, source.kind)
    return f"{name_publisher(source)}, {kind.lower()}"
