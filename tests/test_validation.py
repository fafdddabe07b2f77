"""Malformed trackers: each gives a plain message naming the place, a non-zero
exit from the CLI, no traceback, and leaves the file untouched."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date

import pytest
from conftest import ROOT, TODAY

from tracker.errors import ValidationFailed
from tracker.storage.yaml_files import YamlStore
from tracker.validation import find_problems, validate_data
from tracker.yaml_text import MAX_FILE_BYTES, dump_tracker

FILE = "recommendations.yaml"


def _line(text: str, needle: str, nth: int = 1) -> int:
    """1-based line of the nth line containing needle (keeps expected messages honest)."""
    hits = [n for n, line in enumerate(text.splitlines(), start=1) if needle in line]
    return hits[nth - 1]


def _sub(old: str, new: str, count: int = 1):
    def apply(text: str) -> str:
        assert old in text, old
        return text.replace(old, new, count)

    return apply


def _metadata_change(field: str, old: str, new: str):
    """Give export-controls one metadata change, its old and new values written as YAML."""
    change = (
        f"  metadata_changes:\n  - field: {field}\n    old: {old}\n    new: {new}\n    author: Ana\n"
        "    recorded: '2026-11-27T13:00:00Z'\n"
    )
    return _sub("- id: joint-fund\n", change + "- id: joint-fund\n")


BILLION_LAUGHS = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
)

# (case id, change to the canonical text, [(line needle or None, expected message)])
CASES = [
    (
        "yaml-syntax",
        _sub("title: Test tracker", "title: [Test tracker"),
        [("title: [Test", "a bracket ([ or {) is opened but never closed.")],
    ),
    (
        "tab-indentation",
        _sub("  title: Test tracker", "\ttitle: Test tracker"),
        [("\ttitle", "a tab character is used for indentation; indent with spaces only.")],
    ),
    (
        "duplicate-key",
        _sub("- id: joint-fund\n", "- id: joint-fund\n  title: Other\n"),
        [("title: Joint fund", "the key 'title' appears twice in the same block; keep only one.")],
    ),
    (
        "wrong-type-number",
        _sub("weight: 0.4", "weight: heavy"),
        [("weight: heavy", "tracker › status 2 › weight: must be a number.")],
    ),
    (
        "wrong-type-list",
        _sub("  addressees:\n  - japan\n  category: trade", "  addressees: japan\n  category: trade"),
        [("addressees: japan", "recommendation 'export-controls', addressees: must be a list.")],
    ),
    (
        "unknown-status",
        _sub("status: partial\n    note: Korean", "status: done\n    note: Korean"),
        [
            (
                "status: done",
                "recommendation 'joint-fund', update 2 › status: 'done' is not a defined status; use one of: "
                "implemented, in_progress, not_started, partial, reversed, stalled.",
            ),
            (
                lambda text: _line(text, "Reviewed, no change.") + 1,
                "recommendation 'joint-fund', update 3 › sources: changes the status from done to partial "
                "but cites no source; add a source URL and title.",
            ),
        ],
    ),
    (
        "duplicate-id",
        _sub("- id: joint-fund", "- id: export-controls"),
        [
            (
                ("- id: export-controls", 2),
                "recommendation 'export-controls', id: the id 'export-controls' is used twice; ids must be unique.",
            )
        ],
    ),
    (
        "missing-quote-mark",
        _sub("title: Test tracker", "title: 'Test tracker"),
        [("title: 'Test", "a quotation mark is opened but never closed.")],
    ),
    (
        "status-change-resting-on-a-repost",
        _sub("      title: Lifted\n      kind: news\n", "      title: Lifted\n      kind: repost\n"),
        [
            (
                lambda text: _line(text, "note: Lifted.") + 1,
                "recommendation 'export-controls', update 3 › sources: changes the status from in_progress "
                "to implemented but cites only reposts; add an official or news source.",
            )
        ],
    ),
    (
        "status-change-without-source",
        _sub(
            "    sources:\n    - url: https://example.org/b\n      title: Lifted\n      kind: news\n",
            "    sources: []\n",
        ),
        [
            (
                lambda text: _line(text, "note: Lifted.") + 1,
                "recommendation 'export-controls', update 3 › sources: changes the status from in_progress "
                "to implemented but cites no source; add a source URL and title.",
            )
        ],
    ),
    (
        "javascript-url",
        _sub("https://example.org/b", "javascript:alert(1)"),
        [
            (
                "javascript:",
                "recommendation 'export-controls', update 3 › source 1 › url: 'javascript:alert(1)' is not a "
                "web address; sources must start with http:// or https://.",
            )
        ],
    ),
    (
        "future-date",
        _sub("date: 2026-10-01", "date: 2027-01-05"),
        [
            (
                "date: 2027-01-05",
                "recommendation 'joint-fund', update 3 › date: 2027-01-05 is in the future (today is 2026-11-27).",
            )
        ],
    ),
    (
        "impossible-date",
        _sub("date: 2023-03-06", "date: 2023-02-30"),
        [("date: 2023-02-30", "'2023-02-30' is not a real calendar date.")],
    ),
    (
        "before-baseline",
        _sub("date: 2023-03-06", "date: 2021-01-01"),
        [
            (
                "date: 2021-01-01",
                "recommendation 'export-controls', update 2 › date: 2021-01-01 is before the baseline of 2022-07.",
            )
        ],
    ),
    (
        "non-utf8",
        lambda text: text.replace("Talks began.", "Talks \udcff began."),
        [("Talks", "is not UTF-8 text (an unreadable byte); save the file as UTF-8.")],
    ),
    ("empty-file", lambda text: "  \n", [(None, "the file is empty; it must hold a tracker.")]),
    (
        "alias-bomb",
        lambda text: BILLION_LAUGHS,
        [("&a", "uses a YAML anchor and alias (&name, *name), which are not allowed; write each value out.")],
    ),
    (
        "unknown-key",
        _sub("  implied: true\n", "  implied: true\n  colour_scheme: blue\n"),
        [
            (
                "colour_scheme",
                "recommendation 'trilateral-talks', colour_scheme: is not a field the tracker knows; "
                "check its spelling or remove it.",
            )
        ],
    ),
    (
        "missing-field",
        _sub("  quote: A joint fund.\n", ""),
        [("- id: joint-fund", "recommendation 'joint-fund', quote: is required but missing.")],
    ),
    (
        "empty-quote",
        _sub("quote: A joint fund.", "quote: ''"),
        [("quote: ''", "recommendation 'joint-fund', quote: must not be empty.")],
    ),
    (
        "over-long-title",
        _sub("title: Joint fund", "title: " + "x" * 200),
        [("title: xxx", "recommendation 'joint-fund', title: is too long (200 characters; the limit is 160).")],
    ),
    (
        "control-characters",
        _sub("note: Talks began.", 'note: "Talks\\x07 began."'),
        [
            (
                "Talks\\x07",
                "recommendation 'export-controls', update 2 › note: contains invisible control characters; "
                "retype it as plain text.",
            )
        ],
    ),
    (
        "python-tag",
        _sub("title: Test tracker", "title: !!python/object/apply:os.system [ls]"),
        [
            (
                "!!python",
                "uses a YAML tag (!!... or !...), which is not allowed in a tracker file; write the plain value.",
            )
        ],
    ),
    (
        "binary-tag",
        _sub("title: Test tracker", "title: !!binary VGVzdA=="),
        [
            (
                "!!binary",
                "uses a YAML tag (!!... or !...), which is not allowed in a tracker file; write the plain value.",
            )
        ],
    ),
    (
        "set-tag",
        _sub("  title: Test tracker", "  title: !!set {Test: null}"),
        [("!!set", "uses a YAML tag (!!... or !...), which is not allowed in a tracker file; write the plain value.")],
    ),
    (
        "str-tag-on-a-number",
        _sub("review_interval_days: 180", "review_interval_days: !!str 180"),
        [("!!str", "uses a YAML tag (!!... or !...), which is not allowed in a tracker file; write the plain value.")],
    ),
    (
        "local-tag",
        _sub("title: Test tracker", "title: !shout Test tracker"),
        [("!shout", "uses a YAML tag (!!... or !...), which is not allowed in a tracker file; write the plain value.")],
    ),
    (
        "merge-key",
        _sub("  - id: japan\n    label: Japan\n", "  - <<: {id: japan}\n    label: Japan\n"),
        [("<<:", "uses a YAML merge key (<<), which is not allowed in a tracker file; write each field out.")],
    ),
    (
        "fullwidth-digits-in-a-date",
        _sub("date: 2023-03-06", "date: '２０２３-03-06'"),
        [
            (
                "２０２３",
                "recommendation 'export-controls', update 2 › date: must be a date written YYYY-MM-DD, or YYYY-MM "
                "or YYYY when the day is not known.",
            )
        ],
    ),
    (
        "trailing-newline-in-a-date",
        _sub("date: 2023-03-06", 'date: "2023-03-06\\n"'),
        [
            (
                '"2023-03-06',
                "recommendation 'export-controls', update 2 › date: must be a date written YYYY-MM-DD, or YYYY-MM "
                "or YYYY when the day is not known.",
            )
        ],
    ),
    (
        "trailing-newline-in-an-id",
        _sub("- id: joint-fund\n", '- id: "joint-fund\\n"\n'),
        [
            (
                '"joint-fund',
                "recommendation 'joint-fund\\n', id: 'joint-fund\\n' is not a valid id; use lowercase letters, digits and "
                "hyphens.",
            )
        ],
    ),
    (
        "fullwidth-digits-in-an-id",
        _sub("- id: joint-fund\n", "- id: joint-fund１\n"),
        [
            (
                "joint-fund１",
                "recommendation 'joint-fund１', id: 'joint-fund１' is not a valid id; use lowercase letters, digits and "
                "hyphens.",
            )
        ],
    ),
    (
        "unknown-category",
        _sub("category: history", "category: culture"),
        [
            (
                "category: culture",
                "recommendation 'joint-fund', category: 'culture' is not a defined category; use one "
                "of: history, security, trade.",
            )
        ],
    ),
    (
        "non-finite-weight",
        _sub("weight: 0.4", "weight: .nan"),
        [("weight: .nan", "tracker › status 2 › weight: must be a real number, not NaN or infinity.")],
    ),
    (
        "nan-and-infinity-in-a-metadata-change",
        _metadata_change("implied", ".nan", ".inf"),
        [
            (
                "old: .nan",
                "recommendation 'export-controls', metadata change 1 › old: holds NaN or infinity, which is not a "
                "number; write a real number.",
            ),
            (
                "new: .inf",
                "recommendation 'export-controls', metadata change 1 › new: holds NaN or infinity, which is not a "
                "number; write a real number.",
            ),
        ],
    ),
    (
        "wrongly-typed-old-value",
        _metadata_change("title", "null", "Lift export controls"),
        [
            (
                "old: null",
                "recommendation 'export-controls', metadata change 1 › old: does not fit the field 'title': it must "
                "be text.",
            )
        ],
    ),
    (
        "wrongly-typed-new-value",
        _metadata_change("review_interval_days", "null", "'30 days'"),
        [
            (
                "new: '30 days'",
                "recommendation 'export-controls', metadata change 1 › new: does not fit the field "
                "'review_interval_days': it must be a whole number.",
            )
        ],
    ),
    (
        "old-assessment-without-its-text",
        _metadata_change(
            "assessment", "{date: 2026-10-01}", "{date: 2026-11-01, text: Judged from the updates below.}"
        ),
        [
            (
                "old: {date",
                "recommendation 'export-controls', metadata change 1 › old: does not fit the field 'assessment': "
                "its text is missing.",
            )
        ],
    ),
    (
        "carriage-return-in-a-source-title",
        _sub("title: Lifted", 'title: "Briefing\\r=2+3"'),
        [
            (
                'title: "Briefing',
                "recommendation 'export-controls', update 3 › source 1 › title: must be one line; remove the line "
                "break.",
            )
        ],
    ),
    (
        "line-break-in-a-title",
        _sub("title: Joint fund", 'title: "Joint\\nfund"'),
        [('title: "Joint', "recommendation 'joint-fund', title: must be one line; remove the line break.")],
    ),
    (
        "unicode-line-separator-in-an-author",
        _sub("author: A. Writer", 'author: "A.\\u2028Writer"'),
        [('author: "A.', "tracker › article › author: must be one line; remove the line break.")],
    ),
    (
        "not-a-mapping",
        lambda text: "- just\n- a list\n",
        [(("- just", 1), "the file must be a set of fields (schema_version, tracker, ...).")],
    ),
]


def _expected(text: str, expected):
    messages = []
    for needle, message in expected:
        if needle is None:
            messages.append(f"{FILE}: {message}")
            continue
        if callable(needle):
            line = needle(text)
        else:
            needle, nth = needle if isinstance(needle, tuple) else (needle, 1)
            line = _line(text, needle, nth)
        joint = ", " if message.startswith(("recommendation ", "tracker ")) else ": "
        messages.append(f"{FILE}, line {line}{joint}{message}")
    return messages


@pytest.fixture
def canonical(tracker) -> str:
    return dump_tracker(tracker)


@pytest.mark.parametrize("case,change,expected", CASES, ids=[case[0] for case in CASES])
def test_malformed_tracker_is_explained(tmp_path, canonical, case, change, expected):
    text = change(canonical)
    path = tmp_path / FILE
    path.write_bytes(text.encode("utf-8", errors="surrogateescape"))
    assert [str(problem) for problem in find_problems(path, today=TODAY)] == _expected(text, expected)


# The command line shares the in-process checks above; a few cases show it prints them, untouched.
CLI_CASES = [
    case for case in CASES if case[0] in ("tab-indentation", "missing-quote-mark", "status-change-without-source")
]


@pytest.mark.parametrize("case,change,expected", CLI_CASES, ids=[case[0] for case in CLI_CASES])
def test_malformed_tracker_fails_cli_and_stays_untouched(tmp_path, canonical, case, change, expected):
    text = change(canonical)
    path = tmp_path / FILE
    path.write_bytes(text.encode("utf-8", errors="surrogateescape"))
    before = path.read_bytes()
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "tracker",
            "update",
            "export-controls",
            "--data",
            str(path),
            "--status",
            "partial",
            "--date",
            "2024-01-01",
            "--note",
            "x",
            "--source-url",
            "https://example.org/x",
            "--source-title",
            "x",
            "--source-kind",
            "news",
            "--author",
            "Tester",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    # The command line checks dates against the real today, not the tests' fixed one.
    first = _expected(text, expected)[0].replace(f"(today is {TODAY})", f"(today is {date.today()})")
    assert first in result.stderr
    assert path.read_bytes() == before
    check = subprocess.run(
        [sys.executable, "-m", "tracker", "validate", str(path)], cwd=ROOT, capture_output=True, text=True
    )
    assert check.returncode == 1 and "Traceback" not in check.stderr
    assert first in check.stderr


def test_file_over_the_size_limit_is_refused_before_parsing(tmp_path):
    path = tmp_path / FILE
    with open(path, "wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)  # sparse: parsing it would take ages, refusing is instant
    assert [str(p) for p in find_problems(path, today=TODAY)] == [
        f"{FILE}: the file is 64.0 MB, over the 64 MB limit; it was not read."
    ]
    with pytest.raises(ValidationFailed):
        YamlStore(path).load(today=TODAY)
    assert os.path.getsize(path) == MAX_FILE_BYTES + 1


def test_every_problem_is_reported_at_once(data):
    data["recommendations"][0]["updates"][1]["status"] = "done"
    data["recommendations"][1]["category"] = "culture"
    data["recommendations"][2]["updates"][0]["date"] = "2030-01-01"
    with pytest.raises(ValidationFailed) as failed:
        validate_data(data, today=TODAY)
    assert [str(problem) for problem in failed.value.problems] == [
        "recommendation 'export-controls', update 2 › status: 'done' is not a defined status; use one of: "
        "implemented, in_progress, not_started, partial, reversed, stalled.",
        "recommendation 'joint-fund', category: 'culture' is not a defined category; use one of: history, security, "
        "trade.",
        "recommendation 'trilateral-talks', update 1 › date: 2030-01-01 is in the future (today is 2026-11-27).",
    ]


def test_missing_file_is_one_plain_line(tmp_path):
    assert [str(p) for p in find_problems(tmp_path / "nope.yaml", today=TODAY)] == [
        "nope.yaml: cannot be read (No such file or directory); check the path."
    ]


# A source's title is the page's headline; a description stands in [square brackets]; a placeholder is neither.
DESCRIBED = (
    "reads like a description, not the page's headline; write the headline the page shows, or put the description "
    "in [square brackets]."
)
PLACEHOLDER = "is a placeholder, not a title; write the page's headline, or a description in [square brackets]."
BAD_TITLES = [
    ("Korea Herald, 27 Jun 2023: report on the cabinet's decision on the white list", DESCRIBED),
    ("KBS World, Jul 2022: report on Japan's protest against the Dokdo drill", DESCRIBED),
    ("Yonhap, 2025-06-17: Seoul protests", DESCRIBED),
    ("The Nation (Thailand), 1 Mar 2026: Lee's speech", DESCRIBED),
    ("Second Japan-US-ROK joint exercise Freedom Edge (Seawaves; title taken from the web address)", DESCRIBED),
    ("Japan demands a panel (Korea News Digest; title completed from the web address)", DESCRIBED),
    ("Mahnmal in Berlin-Mitte (headline not visible)", DESCRIBED),
    ("Report on the Lee-Ishiba joint statement", DESCRIBED),
    ("Korea Times (Kim Hyun-bin): report on the future partnership funds", DESCRIBED),
    ("ExBulletin: copy of the foreign ministers' joint statement", DESCRIBED),
    ("Asia Economy, 23 Aug 2025: full text of the joint press statement", DESCRIBED),
    ("[headline not captured]", PLACEHOLDER),
    ("Placeholder title", PLACEHOLDER),
]
GOOD_TITLES = [
    "S. Korea to accelerate Quad working group participation: official",
    "Upper House Election: Japan's LDP, Komeito Fails to Reach 50 Seats; Losing Majority in House of Councillors",
    '"No Claims on Dokdo Can Be Accepted"',
    "(2nd LD) S. Korea withdraws WTO complaint about Japan's export curb",
    "UN panel issues report on North Korea's missile programme",
    "Report card: Seoul's economy in 2025",
    "Japan, U.S., S. Korea Foreign Chiefs Affirm Cooperation",
    "[단독]이재명 정부 첫 '독도방어훈련' 실시…日 방위백서 '다케시마' 주장 이틀 만",
    "[Korea Herald, 27 Jun 2023: report on the Japanese cabinet's decision]",
    "[KBS World, Jul 2022: copy of a Yonhap report; headline not visible on the stored page]",
]


@pytest.mark.parametrize("title,message", BAD_TITLES, ids=[title for title, _ in BAD_TITLES])
def test_a_description_passed_off_as_a_headline_is_refused(data, title, message):
    data["recommendations"][0]["updates"][1]["sources"][0]["title"] = title
    data["context_events"][0]["sources"][0]["title"] = title
    with pytest.raises(ValidationFailed) as failed:
        validate_data(data, today=TODAY)
    assert [str(problem) for problem in failed.value.problems] == [
        f"recommendation 'export-controls', update 2 › source 1 › title: {message}",
        f"context event 1 › source 1 › title: {message}",
    ]


@pytest.mark.parametrize("title", GOOD_TITLES)
def test_real_headlines_and_bracketed_descriptions_pass(data, title):
    data["recommendations"][0]["updates"][1]["sources"][0]["title"] = title
    data["context_events"][0]["sources"][0]["title"] = title
    validate_data(data, today=TODAY)
