"""The recommendation tracker's pure core: schema, validation, storage, analysis, charts, reports.

It never imports streamlit; dashboard.py and the CLI are thin shells over it.
"""

from .errors import Conflict, NotFound, Problem, StoreUnavailable, TrackerError, ValidationFailed
from .model import Recommendation, Tracker, Update
from .storage import open_store
from .validation import find_problems
from .yaml_text import dump_tracker

__all__ = [
    "Conflict",
    "NotFound",
    "Problem",
    "Recommendation",
    "StoreUnavailable",
    "Tracker",
    "TrackerError",
    "Update",
    "ValidationFailed",
    "dump_tracker",
    "find_problems",
    "open_store",
]
