"""Command line: `python -m tracker …`, a thin shell over the core.

Exit codes: 0 success; 1 the data is invalid or a change was refused (every
problem is printed, one per line); 2 the command was typed wrong.
"""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from datetime import date, datetime, timezone
from pathlib import Path

import click

from . import analysis, clock
from .edition import as_published, parse_published
from .errors import TrackerError, ValidationFailed
from .location import DEFAULT_LOCATION, DOCUMENT_ID, configured_location, is_database_url, shown_location
from .model import current_status, format_timestamp, status_by_id
from .storage import list_documents, open_store, plan_copy, split_location, yaml_file_of
from .validation import find_problems

DEFAULT_DATA = DEFAULT_LOCATION
_EMPTY = "The tracker holds no recommendations yet; add one with the dashboard's editing tools."


def default_location() -> str:
    """Where the data lives: $TRACKER_DATABASE_URL, else $TRACKER_DATA, else the bundled file."""
    return configured_location(os.environ)


def _now() -> datetime:
    """The product's clock (TRACKER_TODAY pins the day)."""
    return clock.now(os.environ)


def _published(value: str | None, now: datetime) -> datetime | None:
    """The --published record time, or None (everything recorded so far)."""
    if value is None:
        return None
    try:
        return parse_published(value, now)
    except ValueError as error:
        raise click.BadParameter(str(error).rstrip("."), param_hint="'--published'") from None


published_option = click.option(
    "--published",
    default=None,
    metavar="TIME",
    help="Show the tracker as published at this moment: YYYY-MM-DDTHH:MM:SSZ (UTC), or a day (its end). "
    "Later records, even back-dated ones, are left out (default: everything recorded so far).",
)


class _Day(click.ParamType):
    name = "date"

    def convert(self, value, param, ctx):
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(value)
        except ValueError:
            self.fail(f"'{value}' is not a date; write it as YYYY-MM-DD", param, ctx)


DAY = _Day()


DOCUMENT_NAMED = "tracker.document"  # ctx.meta: the document --document named, when not the first


def _document_location(ctx, param, value):
    """`--document`: the command's `location` becomes that document's (the first document without it); so does
    `export --from`, which names where the documents are in place of --data (both are read first)."""
    if value is None:
        return
    location = ctx.params.get("source") or ctx.params.get("location") or default_location()
    documents = list_documents(location)
    ids = [document.id for document in documents]
    if value not in ids:
        raise click.BadParameter(f"there is no document '{value[:60]}'; the documents are {', '.join(ids)}")
    chosen = next(document.location for document in documents if document.id == value)
    ctx.params["location"] = chosen
    if ctx.params.get("source"):
        ctx.params["source"] = chosen
    # Links written by the command (the brief's permalink) name it, unless it is the default one.
    ctx.meta[DOCUMENT_NAMED] = value if value != ids[0] else None


def data_option(command):
    """`--data` (where the documents are) and `--document` (which one): the command gets the document's
    location as `location`."""
    command = click.option(
        "--document",
        default=None,
        metavar="ID",
        callback=_document_location,
        expose_value=False,
        help="Which document (its id in the index of documents; default: the first).",
    )(command)
    return click.option(
        "--data",
        "location",
        default=default_location,
        is_eager=True,
        show_default="$TRACKER_DATABASE_URL, $TRACKER_DATA or " + DEFAULT_DATA,
        help="The tracker YAML file, an index of documents (documents.yaml) or a database URL "
        "(postgresql://... or sqlite:///file.db).",
    )(command)


@click.group()
def cli():
    """Track whether the USIP recommendations on South Korea–Japan relations get implemented."""


def _problems_at(location) -> tuple[str, list, list[str]]:
    """Every problem of a tracker file, an index of documents (every document) or a database, as `validate`
    lists them; the location's name to print; and each valid document's counts."""
    today = _now().date()
    problems, described = [], []
    documents = list_documents(location)
    if not documents:
        open_store(location).load(today=today)  # says, in one sentence, that there is no tracker there
    for document in documents:
        if is_database_url(location):
            try:
                tracker = open_store(document.location).load(today=today)
            except ValidationFailed as failed:
                problems += failed.problems
                continue
        else:
            found = find_problems(yaml_file_of(document.location), today=today)
            if found:
                problems += found
                continue
            tracker = open_store(document.location).load(today=today)
        updates = sum(len(rec.updates) for rec in tracker.recommendations)
        described.append(f"{len(tracker.recommendations)} recommendations, {updates} updates")
    return shown_location(location), problems, described


def _refuse(shown: str, problems: list) -> None:
    """Print every problem, one per line, and stop with exit code 1: nothing was changed."""
    for problem in problems:
        click.echo(str(problem), err=True)
    click.echo(f"{len(problems)} problem(s) found in {shown}; nothing was changed.", err=True)
    sys.exit(1)


@cli.command()
@click.argument("path", required=False)
def validate(path):
    """Check a tracker file, an index of documents (every document) or a database, listing every problem."""
    location = path or default_location()
    shown, problems, described = _problems_at(location)
    if problems:
        _refuse(shown, problems)
    if len(described) == 1:
        click.echo(f"{shown} is valid: {described[0]}.")
    else:
        click.echo(f"{shown} is valid: {len(described)} documents ({'; '.join(described)}).")


@cli.command()
@data_option
@click.option("--as-of", type=DAY, default=None, help="Show things as they stood on this day (default: today).")
@published_option
def summary(location, as_of, published):
    """Print the status of every recommendation."""
    now = _now()
    moment = _published(published, now)
    as_of = as_of or now.date()
    tracker = as_published(open_store(location).load(today=now.date()), moment)
    if not tracker.recommendations:
        click.echo(f"{tracker.settings.title}\n{_EMPTY}")
        return
    frame = analysis.statuses_as_of(tracker, as_of)
    numbers = analysis.summarise(tracker, as_of)
    click.echo(
        f"{tracker.settings.title}\nAs of {as_of.isoformat()}; last reviewed {numbers['latest_update'] or '-'}; "
        f"latest event {numbers['latest_event'] or '-'}.\n"
    )
    width = max([len(t) for t in frame["title"]] + [5])
    click.echo(f"{'Recommendation':<{width}}  {'Status':<22}  {'Since':<10}  Stale")
    for row in frame.itertuples():
        click.echo(
            f"{row.title:<{width}}  {row.status_label:<22}  {row.since.date().isoformat():<10}  "
            f"{'yes' if row.stale else ''}"
        )
    click.echo("")
    for status in status_by_id(tracker.settings).values():
        click.echo(f"{status.label}: {numbers['by_status'].get(status.id, 0)}")
    click.echo(f"Progress score: {numbers['progress']:g} / 100")
    click.echo(f"Stale (no update within the review interval): {numbers['stale']}")


@cli.command()
@data_option
@click.argument("rec_id")
@click.option("--status", required=True, help="Status after this update (an id such as implemented).")
@click.option("--date", "when", required=True, help="When it happened: YYYY-MM-DD, or YYYY-MM if the day is unknown.")
@click.option("--note", required=True, help="What happened, in your own words.")
@click.option("--source-url", multiple=True, help="Web address of a source (repeat for several).")
@click.option("--source-title", multiple=True, help="Title of that source (one per --source-url).")
@click.option(
    "--source-kind", multiple=True, help="Kind of that source, an id such as official or news (one per --source-url)."
)
@click.option("--author", required=True, help="Your name, recorded with the update.")
def update(location, rec_id, status, when, note, source_url, source_title, source_kind, author):
    """Append a dated, sourced update to a recommendation."""
    if not len(source_url) == len(source_title) == len(source_kind):
        raise click.UsageError("give one --source-title and one --source-kind for each --source-url")
    from .edits import build_update, find_recommendation

    store = open_store(location)
    held = current_status(find_recommendation(store.load(today=_now().date()), rec_id))
    entry = build_update(
        {
            "date": when,
            # The same status and no source: a review ("checked, nothing new"), which states no status.
            "status": None if status == held and not source_url else status,
            "note": note,
            "author": author,
            "recorded": format_timestamp(_now()),
            "sources": [
                {"url": url, "title": title, "kind": kind}
                for url, title, kind in zip(source_url, source_title, source_kind, strict=True)
            ],
        }
    )
    tracker = store.append_update(rec_id, entry, today=_now().date())
    rec = find_recommendation(tracker, rec_id)
    click.echo(f"Saved: '{rec.title}' is now {current_status(rec)} ({len(rec.updates)} updates).")


@cli.command()
@data_option
@click.option(
    "--from",
    "source",
    default=None,
    is_eager=True,  # read before --document, which picks one of its documents
    help="Read from this YAML file or database URL (same as --data).",
)
@click.option(
    "--to",
    "target",
    type=click.Path(dir_okay=False),
    default=None,
    help="Write the whole tracker to this YAML file, in canonical form (instead of a table); to an index "
    "(FOLDER/documents.yaml), every document of the source, one file each.",
)
@click.option("--what", type=click.Choice(["recommendations", "events"]), default="recommendations", show_default=True)
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default="csv", show_default=True)
@click.option("--as-of", type=DAY, default=None, help="Status as of this day (default: today).")
@click.option(
    "--out", type=click.Path(dir_okay=False, writable=True), default="-", help="Output file (default: print)."
)
@published_option
@click.pass_context
def export(ctx, location, source, target, what, fmt, as_of, out, published):
    """Export the recommendations table or the event log as CSV or JSON, or the whole tracker as YAML (--to)."""
    from .exports import export_table

    location = source or location
    if target is not None:
        _export_yaml(ctx, location, target)
        return
    now = _now()
    moment = _published(published, now)
    tracker = as_published(open_store(location).load(today=now.date()), moment)
    text = export_table(tracker, what=what, fmt=fmt, as_of=as_of or now.date())
    if out == "-":
        click.echo(text, nl=False)
    else:
        Path(out).write_text(text, encoding="utf-8", newline="")  # the CSV's own CRLFs, never translated
        click.echo(f"Wrote {what} as {fmt.upper()} to {out}.", err=True)


@cli.command()
@data_option
@click.option("--out", required=True, type=click.Path(dir_okay=False, writable=True), help="The HTML file to write.")
@click.option("--as-of", type=DAY, default=None, help="Show things as they stood on this day (default: today).")
@click.option("--since", type=DAY, default=None, help="Start of 'what changed' (default: 90 days before --as-of).")
@click.option("--link", "base_url", default="", help="The dashboard's address, for the permalink (default: relative).")
@published_option
@click.option(
    "--lang",
    type=click.Choice(["en", "ko", "ja"]),
    default="en",
    show_default=True,
    help="The brief's language: its words, dates and charts, and the data's translations.",
)
@click.pass_context
def report(ctx, location, out, as_of, since, base_url, published, lang):
    """Write a self-contained HTML brief (numbers, charts, table, what changed) that works offline."""
    from .brief import render_brief
    from .edition import FINGERPRINT_SHOWN
    from .edition import fingerprint as edition_fingerprint
    from .view import View, build_link

    now = _now()
    today = now.date()
    moment = _published(published, now)
    as_of = as_of or today
    if as_of > today:
        raise click.BadParameter(f"{as_of.isoformat()} is in the future", param_hint="'--as-of'")
    if since is not None and since >= as_of:
        raise click.BadParameter(f"{since.isoformat()} is not before the as-of date", param_hint="'--since'")
    tracker = as_published(open_store(location).load(today=today), moment)
    if not tracker.recommendations:
        raise TrackerError(f"{_EMPTY} No brief was written.")
    # The permalink opens this document again (none named: the first, as every older link does).
    view = View(as_of=as_of, since=since, published=moment, document=ctx.meta.get(DOCUMENT_NAMED), lang=lang)
    page = render_brief(
        tracker,
        view,
        since=view.changes_since(),
        permalink=build_link(base_url, view, today, freeze_at=now),
        generated=now,
    )
    Path(out).write_text(page, encoding="utf-8")
    count = len(analysis.statuses_as_of(tracker, as_of))
    fingerprint = edition_fingerprint(tracker)[:FINGERPRINT_SHOWN]
    click.echo(f"Wrote the brief for {as_of.isoformat()} to {out} ({count} recommendations, data {fingerprint}).")


class _Moment(click.ParamType):
    name = "time"

    def convert(self, value, param, ctx):
        try:
            return parse_published(value, datetime.max.replace(tzinfo=timezone.utc))
        except ValueError as error:
            self.fail(str(error).rstrip("."), param, ctx)


@cli.command()
@data_option
@click.option("--out", required=True, type=click.Path(file_okay=False), help="The site's folder (replaced whole).")
@click.option(
    "--base-url",
    default=lambda: os.environ.get("TRACKER_SITE_URL", ""),
    show_default="$TRACKER_SITE_URL",
    help="The site's public address (https://...), for the feeds, the API's files, the sitemap and citations.",
)
@click.option(
    "--now",
    type=_Moment(),
    default=None,
    help="The edition's moment, YYYY-MM-DDTHH:MM:SSZ (default: the data's newest record time); later records "
    "are left out.",
)
@click.option("--edition", is_flag=True, help="Also keep this edition for good under editions/<time>/.")
def site(location, out, base_url, now, edition):
    """Write the readers' side as a static site: pages, feeds, the API's JSON, badges, sitemap."""
    from .site import Options, build_site

    if base_url and not base_url.startswith(("https://", "http://")):
        raise click.BadParameter("give an http(s) address", param_hint="'--base-url'")
    shown, problems, _ = _problems_at(location)
    if problems:
        _refuse(shown, problems)  # the same message as `validate`, and the site is left as it was
    today = _now().date()
    # Every document of an index or a database, each under its own folder; one named (#id, --document) or a
    # lone tracker file alone, as it always was.
    documents = [] if split_location(location)[1] else list_documents(location)
    if len(documents) > 1:
        data = {document.id: _load(document.location, today) for document in documents}
    else:
        data = _load(location, today)
    report = build_site(data, out, now=now, options=Options(base_url=base_url.rstrip("/"), keep_edition=edition))
    for note in report.notes:
        click.echo(note, err=True)
    kept = f"; kept under editions/{report.edition.id}/" if report.edition.kept else ""
    click.echo(
        f"Wrote the site to {out}: edition {report.edition.stamp}, data {report.edition.fingerprint[:12]}{kept}; "
        f"{report.files} files, {report.written} written, {report.reused} unchanged, {report.removed} removed."
    )


def _export_yaml(ctx, location, target) -> None:
    given = [
        option
        for name, option in (("what", "--what"), ("fmt", "--format"), ("as_of", "--as-of"), ("out", "--out"))
        if ctx.get_parameter_source(name) == click.core.ParameterSource.COMMANDLINE
    ]
    if given:
        raise click.UsageError(f"--to writes the whole tracker as YAML; leave out {', '.join(given)}")
    if is_database_url(target):
        raise click.UsageError(
            "--to takes a YAML file; to copy a tracker into a database use: "
            "python -m tracker import SOURCE --to DATABASE_URL"
        )
    today = _now().date()
    plan = plan_copy(location, target)
    trackers = [_load(copy.source, today) for copy in plan.copies]  # every document checked before any is written
    if plan.index is not None:
        plan.index.parent.mkdir(parents=True, exist_ok=True)
    for copy, tracker in zip(plan.copies, trackers, strict=True):
        with _opened(copy.source) as store, _opened(copy.target) as written:
            written.replace(tracker, today=today)
            carried = _carry_suggestions(store, written)
        click.echo(f"Wrote {_counts(tracker)}{carried} from {shown_location(copy.source)} to {copy.target}.", err=True)
    if plan.write_index():
        click.echo(f"Wrote the index of {len(plan.entries)} documents to {plan.index}.", err=True)


@contextmanager
def _opened(location):
    """A store, its database connections closed afterwards (a copy of many documents opens many)."""
    store = open_store(location)
    try:
        yield store
    finally:
        getattr(store, "dispose", lambda: None)()


def _load(location, today):
    with _opened(location) as store:
        return store.load(today=today)


def _carry_suggestions(source, target) -> str:
    """Copy readers' suggestions (editors' data, contacts included) with the tracker; only when the
    source holds some, so a target's own suggestions are never wiped by a source without any."""
    items = source.suggestions.list()
    if not items:
        return ""
    destination = target.suggestions
    if destination.list() != items:
        destination.replace_all(items)
    return f" and {len(items)} suggestions"


def _counts(tracker) -> str:
    updates = sum(len(rec.updates) for rec in tracker.recommendations)
    return f"{len(tracker.recommendations)} recommendations ({updates} updates)"


@cli.command(name="migrate-reviews")
@data_option
def migrate_reviews(location):
    """Write every review in today's form: an update that cites no source states no status (files written
    before reviews stated none restated it). What every view shows, and its fingerprint, stays the same."""
    from .edits import state_no_status_on_reviews

    today = _now().date()
    store = open_store(location)
    before = store.load(today=today)
    after = store.change(state_no_status_on_reviews, today=today)
    changed = sum(
        1
        for old, new in zip(before.recommendations, after.recommendations, strict=True)
        for a, b in zip(old.updates, new.updates, strict=True)
        if a.status != b.status
    )
    click.echo(f"{changed} review(s) in {shown_location(location)} now state no status; nothing else changed.")


@cli.group()
def translations():
    """Translate the data: a worksheet of the texts to translate, and the translated worksheet back."""


@translations.command(name="sheet")
@data_option
@click.option("--lang", required=True, type=click.Choice(["ko", "ja"]), help="The language to translate into.")
@click.option("--all", "everything", is_flag=True, help="Every text, not only those missing or outdated.")
@click.option(
    "--out", required=True, type=click.Path(dir_okay=False, writable=True), help="The YAML worksheet to write."
)
def translations_sheet(location, lang, everything, out):
    """Write a worksheet of the texts to translate (missing or outdated ones), each with its English."""
    from .translation import make_sheet
    from .yaml_text import dump_plain

    tracker = open_store(location).load(today=_now().date())
    sheet = make_sheet(tracker, lang, everything=everything)
    Path(out).write_text(dump_plain(sheet), encoding="utf-8")
    click.echo(f"Wrote {len(sheet['texts'])} texts to translate into {lang} to {out}.")


@translations.command(name="apply")
@data_option
@click.argument("sheet", type=click.Path(exists=True, dir_okay=False))
@click.option("--author", required=True, help="Who translated (a name, or 'Tracker project'), recorded with each text.")
def translations_apply(location, sheet, author):
    """Add a translated worksheet's texts to the tracker: all of them, or none when one is refused."""
    from .translation import apply_sheet
    from .yaml_text import parse_yaml, read_file

    data, _ = parse_yaml(read_file(Path(sheet)), Path(sheet).name)
    recorded = format_timestamp(_now())
    store = open_store(location)
    counted = {}

    def change(tracker):
        changed, added, problems = apply_sheet(tracker, data, author=author, recorded=recorded)
        if problems:
            raise ValidationFailed(problems)
        counted["added"] = added
        return changed

    store.change(change, today=_now().date())
    click.echo(f"Added {counted['added']} translation(s) to {shown_location(location)}, recorded {recorded}.")


@cli.command(name="import")
@click.argument("source")
@click.option("--to", "target", required=True, help="The database URL (or YAML file) to copy the tracker into.")
@click.option(
    "--document",
    default=None,
    metavar="ID",
    help="Copy only this document of an index or a database (default: every document, keeping ids and order); "
    "with a lone tracker file, the document it becomes.",
)
@click.option("--replace", is_flag=True, help="Overwrite a different tracker that the target already holds.")
def import_(source, target, document, replace):
    """Copy a tracker, or every document of an index of documents or of a database, into a database,
    checking each first."""
    _, named = split_location(source)
    if document is not None and named is not None and document != named:
        raise click.UsageError(f"the source names the document '{named}' and --document '{document}'; give one")
    if document is not None and not DOCUMENT_ID.match(document):
        raise click.BadParameter(f"'{document[:60]}' is not a document id", param_hint="'--document'")
    today = _now().date()
    plan = plan_copy(source, target, document)
    trackers = [_load(copy.source, today) for copy in plan.copies]  # every document checked before any is written
    held, different = set(), []
    for copy, tracker in zip(plan.copies, trackers, strict=True):
        with _opened(copy.target) as store:
            if store.exists() and not replace:
                if store.load(today=today) != tracker:
                    different.append(shown_location(copy.target))
                held.add(copy.target)
    if len(different) == 1:
        raise TrackerError(
            f"{different[0]} already holds a different tracker; nothing was changed. "
            "Add --replace to overwrite it (export it first if you may need it)."
        )
    if different:
        raise TrackerError(
            f"{', '.join(different)} already hold different trackers; nothing was changed. "
            "Add --replace to overwrite them (export them first if you may need them)."
        )
    if plan.index is not None:
        plan.index.parent.mkdir(parents=True, exist_ok=True)
    for copy, tracker in zip(plan.copies, trackers, strict=True):
        shown = shown_location(copy.target)
        with _opened(copy.source) as origin, _opened(copy.target) as store:
            if copy.target in held:
                carried = _carry_suggestions(origin, store)
                done = "its suggestions were copied" if carried else "nothing was changed"
                click.echo(f"{shown} already holds exactly this tracker; {done}.")
                continue
            store.replace(tracker, today=today)
            carried = _carry_suggestions(origin, store)
        click.echo(f"Imported {_counts(tracker)}{carried} from {shown_location(copy.source)} into {shown}.")
    if plan.write_index():
        click.echo(f"Wrote the index of {len(plan.entries)} documents to {plan.index}.")


def main(argv=None) -> int:
    """Run the CLI; every error becomes one plain line and an exit code."""
    try:
        cli.main(args=argv, prog_name="python -m tracker", standalone_mode=False)
    except ValidationFailed as failed:
        for problem in failed.problems:
            click.echo(str(problem), err=True)
        click.echo("Nothing was saved.", err=True)
        return 1
    except TrackerError as error:
        click.echo(str(error), err=True)
        return 1
    except click.exceptions.Exit as done:
        return done.exit_code
    except click.ClickException as error:
        click.echo(f"Error: {error.format_message()} (see --help)", err=True)
        return error.exit_code
    except click.exceptions.Abort:
        click.echo("Stopped.", err=True)
        return 1
    except OSError as error:
        click.echo(f"Error: {error.strerror or error}: {error.filename or ''}".rstrip(": "), err=True)
        return 1
    except SystemExit as exit_:
        return int(exit_.code or 0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
