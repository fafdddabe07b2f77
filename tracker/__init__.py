"""The recommendation tracker's pure core: schema, validation, storage, analysis, charts, reports.

It never imports streamlit; dashboard.py and the CLI are thin shells over it.
"""

from .errors import Conflict, NotFound, StoreUnavailable, TrackerError, ValidationFailed
from .model import Recommendation, Tracker, Update
from .store import YamlStore, dump_tracker, open_store
from .validation import Problem, find_problems

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
    "YamlStore",
    "dump_tracker",
    "find_problems",
    "open_store",
]
