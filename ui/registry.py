"""The one table of the dashboard's pages: address, script, title, icon, what part of a view each
shows, and which older links it takes over. `dashboard.py` registers them with st.navigation; links,
forwarding and the address bar read the same rows, so adding a page is one row and its script."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from tracker.language import mark
from tracker.view import View

PAGES_FOLDER = Path(__file__).resolve().parent / "pages"


@dataclass(frozen=True)
class PageSpec:
    """One page. `path` is its address ("" is the overview, the default page); `script` its file in
    ui/pages/; `shows` the parts of a view its address carries besides the as-of date and the clocks
    ("filters", "since", "rec"); `lists` whether it lists recommendations (the sidebar offers the
    filters there); `shares` whether it offers the Share box; `hidden` pages are reached from others."""

    path: str
    script: str
    title: str
    icon: str | None = None
    shows: frozenset[str] = frozenset()
    lists: bool = False
    shares: bool = True
    hidden: bool = False
    editors_only: bool = False
    while_suggesting: bool = False  # offered only while readers may suggest updates
    several_documents: bool = False  # offered only when the tracker follows several documents
    cites: str = ""  # what a citation calls the page ("Recommendation page"); empty: not cited (not a reader's)

    @property
    def url_path(self) -> str:
        """Streamlit's url path (the overview needs a name of its own there)."""
        return self.path or "overview"

    @property
    def file(self) -> Path:
        return PAGES_FOLDER / self.script


_FILTERS = frozenset({"filters"})

PAGES: tuple[PageSpec, ...] = (
    PageSpec("", "overview.py", mark("Overview"), ":material/home:", cites=mark("Tracker overview")),
    PageSpec(
        "documents",
        "documents.py",
        mark("All documents"),
        ":material/library_books:",
        shares=False,
        several_documents=True,
    ),
    PageSpec(
        "addressees", "addressees.py", mark("By addressee"), ":material/flag:", shares=False, several_documents=True
    ),  # fmt: skip
    PageSpec(
        "recommendations",
        "recommendations.py",
        mark("All recommendations"),
        ":material/list:",
        _FILTERS,
        lists=True,
        cites=mark("List of recommendations"),
    ),  # fmt: skip
    PageSpec(
        "recommendation",
        "recommendation.py",
        mark("Recommendation"),
        None,
        frozenset({"rec"}),
        hidden=True,
        cites=mark("Recommendation page"),
    ),  # fmt: skip
    PageSpec(
        "timeline", "timeline.py", mark("Timeline"), ":material/timeline:", _FILTERS, lists=True, cites=mark("Timeline")
    ),
    PageSpec(
        "changes",
        "changes.py",
        mark("Changes"),
        ":material/compare_arrows:",
        frozenset({"filters", "since"}),
        lists=True,
        cites=mark("Changes between two dates"),
    ),  # fmt: skip
    PageSpec("methodology", "methodology.py", mark("Methodology"), ":material/rule:", cites=mark("Methodology")),
    PageSpec(
        "suggest",
        "suggest.py",
        mark("Suggest an update"),
        ":material/add_comment:",
        frozenset({"rec"}),
        shares=False,
        while_suggesting=True,
    ),  # fmt: skip
    PageSpec("suggestion", "suggestion.py", mark("Your suggestion"), None, shares=False, hidden=True),
    PageSpec("edit", "edit.py", mark("Edit"), ":material/edit:", shares=False, editors_only=True),
)


# A document whose items are commitments (`item_word`) names its pages so: the titles that say "recommendation".
ITEM_TITLES = {
    "commitment": {
        "All recommendations": mark("All commitments"),
        "Recommendation": mark("Commitment"),
        "Another recommendation": mark("Another commitment"),
    },
}


def titled(title: str, item: str = "recommendation") -> str:
    """A page's title (or what a citation calls it) for a document whose items are `item`, in English: the
    caller translates it (`t(titled(...))`), so the words stay whole sentences in the catalogs."""
    return ITEM_TITLES.get(item, {}).get(title, title)


def page(path: str) -> PageSpec:
    """The page at an address (the overview for an unknown one)."""
    return next((spec for spec in PAGES if spec.path == path), PAGES[0])


def page_view(view: View, path: str) -> View:
    """The part of a view a page shows (the as-of date and both clocks always), so its address carries
    only that: a link to the overview with a filter in it would be an older link for the table."""
    shows = page(path).shows
    if "filters" not in shows:
        view = replace(view, filters=(), query="")
    if "since" not in shows:
        view = replace(view, since=None)
    if "rec" not in shows:
        view = replace(view, rec=None)
    return view


def forward_old_link(view: View) -> str | None:
    """Where a link to the overview that names a recommendation, filters or a 'since' date goes (links
    shared before the dashboard had pages; `view` is what the link asked for, its bad values already
    dropped): the address of the page that shows it, or None to stay on the overview."""
    if view.rec:
        return "recommendation"
    if view.filtered:
        return "recommendations"
    if view.since:
        return "changes"
    return None
