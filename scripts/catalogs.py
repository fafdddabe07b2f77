"""The interface's word catalogs (tracker/locales): extract the words from the code, bring each language's
catalog up to date, and check that every catalog is whole.

    .venv/bin/python scripts/catalogs.py extract   # the words of the code -> tracker/locales/messages.pot
    .venv/bin/python scripts/catalogs.py update    # messages.pot -> each language's messages.po (new words empty)
    .venv/bin/python scripts/catalogs.py check     # fails on a missing, stale, fuzzy, empty or broken entry
    .venv/bin/python scripts/catalogs.py todo ko   # the words still to translate into one language

`check` extracts afresh and compares, so a word added to the code without its translations fails
scripts/check (the checks are those of ../shared/research/streamlit-1.67-i18n-notes.md, section 1:
`pybabel update --check` alone passes fuzzy and empty entries and broken placeholders)."""

from __future__ import annotations

import io
import re
import string
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir, extract_from_file
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ROOT / "tracker" / "locales"
POT = LOCALES / "messages.pot"
# Where the interface's words are: the core, the app's pages and the two entry scripts.
SOURCES = ("tracker", "ui")
SCRIPTS = ("dashboard.py", "app.py")
KEYWORDS = {"t": None, "tn": (1, 2), "mark": None}
# The templates' words (the brief's and the static site's): Jinja2's i18n extension, whose `{% trans %}` blocks
# are gettext and ngettext calls, and `_()` where a block would be heavier.
TEMPLATE_KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2)}
METHODS = [("**.py", "python"), ("**/templates/**.j2", "jinja2")]
OPTIONS = {"**/templates/**.j2": {"extensions": "jinja2.ext.i18n", "trimmed": "true"}}
LANGUAGES = ("ko", "ja")  # the catalogs kept (English is the code's own words)


def extract() -> Catalog:
    found = Catalog(
        project="Recommendation tracker", charset="utf-8", header_comment="# The tracker's interface words."
    )
    for folder in SOURCES:
        for methods, keywords in ((METHODS[:1], KEYWORDS), (METHODS[1:], {**KEYWORDS, **TEMPLATE_KEYWORDS})):
            for name, line, message, comments, context in extract_from_dir(
                ROOT / folder,
                method_map=methods,
                options_map=OPTIONS,
                keywords=keywords,
                comment_tags=("TRANSLATORS:",),
                strip_comment_tags=True,
            ):
                found.add(message, None, [(f"{folder}/{name}", line)], auto_comments=comments, context=context)
    for script in SCRIPTS:
        for line, message, comments, context in extract_from_file(
            "python", ROOT / script, keywords=KEYWORDS, comment_tags=("TRANSLATORS:",), strip_comment_tags=True
        ):
            found.add(message, None, [(script, line)], auto_comments=comments, context=context)
    return found


def _write(catalog: Catalog, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    out = io.BytesIO()
    # No dates, no line numbers: the files change only when the words do, so git shows what changed.
    write_po(out, catalog, width=100, sort_output=True, omit_header=False, include_lineno=False)
    text = out.getvalue()
    lines = [line for line in text.split(b"\n") if not line.startswith((b'"POT-Creation-Date', b'"PO-Revision-Date'))]
    path.write_bytes(b"\n".join(lines))


def _read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as file:
        return read_po(file, locale=locale)


def update() -> None:
    template = extract()
    _write(template, POT)
    for code in LANGUAGES:
        path = LOCALES / code / "LC_MESSAGES" / "messages.po"
        catalog = _read(path, code) if path.exists() else Catalog(locale=code, charset="utf-8")
        catalog.update(template, no_fuzzy_matching=True)
        catalog.obsolete.clear()  # a word the code no longer has is gone (git keeps its history)
        _write(catalog, path)


_NAMED = re.compile(r"%\((\w+)\)s")  # Jinja's placeholders in the templates' messages (newstyle gettext)


def _fields(text: str) -> set[str]:
    """The placeholders a message fills: {name} (the code's str.format) and %(name)s (the templates')."""
    named = {f"%({name})s" for name in _NAMED.findall(text)}
    if named:  # a template's message: its braces are text, not placeholders
        return named
    try:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    except ValueError as error:
        return {f"<unparsable: {error}>"}


def problems() -> list[str]:
    """One plain line per problem of the catalogs; none when every language has every word, right."""
    template = extract()
    wanted = {message.id for message in template if message.id}
    found = []
    saved = {message.id for message in _read(POT) if message.id} if POT.exists() else set()
    if saved != wanted:
        found.append("tracker/locales/messages.pot is out of date: run scripts/catalogs.py update.")
    for code in LANGUAGES:
        path = LOCALES / code / "LC_MESSAGES" / "messages.po"
        if not path.exists():
            found.append(f"{path.relative_to(ROOT)} is missing: run scripts/catalogs.py update.")
            continue
        catalog = _read(path, code)
        ids = {message.id for message in catalog if message.id}
        where = path.relative_to(ROOT)
        found += [f"{where}: missing {_shown(i)}" for i in sorted(wanted - ids, key=str)]
        found += [f"{where}: stale {_shown(i)} (no longer in the code)" for i in sorted(ids - wanted, key=str)]
        found += [f"{where}: obsolete {_shown(i)}" for i in catalog.obsolete]
        for message in catalog:
            if not message.id:
                continue
            texts = message.string if isinstance(message.string, tuple) else (message.string,)
            sources = message.id if isinstance(message.id, tuple) else (message.id,)
            if not all(texts):
                found.append(f"{where}: untranslated {_shown(message.id)}")
                continue
            if message.fuzzy:
                found.append(f"{where}: fuzzy (needs a look) {_shown(message.id)}")
            expected = set().union(*(_fields(source) for source in sources))
            for text in texts:
                if _fields(text) != expected - {"n"} and _fields(text) != expected:
                    found.append(f"{where}: the placeholders of {_shown(message.id)} differ: {sorted(_fields(text))}")
    return found


def _shown(message_id) -> str:
    text = message_id[0] if isinstance(message_id, tuple) else message_id
    return repr(text if len(text) <= 80 else text[:77] + "...")


def todo(code: str) -> None:
    for message in _read(LOCALES / code / "LC_MESSAGES" / "messages.po", code):
        texts = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.id and (not all(texts) or message.fuzzy):
            print(message.id if isinstance(message.id, str) else message.id[0])


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "check"
    if command == "extract":
        _write(extract(), POT)
    elif command == "update":
        update()
    elif command == "todo" and len(argv) == 2:
        todo(argv[1])
    elif command == "check":
        found = problems()
        for line in found:
            print(line, file=sys.stderr)
        if found:
            print(f"{len(found)} catalog problem(s): translate the words listed (tracker/locales).", file=sys.stderr)
            return 1
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
