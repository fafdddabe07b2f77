"""The README documents every field of the schema and every status."""

from __future__ import annotations

import re

from conftest import BUNDLED, ROOT

from tracker import model
from tracker.storage.yaml_files import YamlStore

README = (ROOT / "README.md").read_text(encoding="utf-8")
MODELS = [
    model.Tracker,
    model.Settings,
    model.Article,
    model.Status,
    model.Term,
    model.Source,
    model.Update,
    model.MetadataChange,
    model.Recommendation,
    model.ContextEvent,
]


def test_every_field_is_in_the_data_dictionary():
    # A field is documented under the key it has in the file (its alias, where it has one).
    keys = {field.alias or name for cls in MODELS for name, field in cls.model_fields.items()}
    missing = sorted(key for key in keys if not re.search(rf"[`.]{key}[`,.\[]", README))
    assert missing == []


def test_every_status_is_defined_in_the_readme():
    from datetime import date

    tracker = YamlStore(BUNDLED).load(today=date.today())
    for status in tracker.settings.statuses:
        assert f"`{status.id}` — {status.label} | {status.definition}" in README


def test_readme_first_screen_has_exactly_two_commands():
    first_block = README.split("```bash", 1)[1].split("```", 1)[0]
    commands = [line for line in first_block.strip().splitlines() if line.strip()]
    assert [line.split()[0] for line in commands] == ["scripts/dashboard", "scripts/test"]


ARCHITECTURE = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")


def test_the_architecture_map_names_files_that_exist():
    # Every path the map and the recipes name (`a/b.py`, `tests/x.py`, a folder/) is in the repository.
    named = set(re.findall(r"`((?:tracker|ui|tests|data|docs|scripts)/[\w./-]*)`", ARCHITECTURE))
    named |= {f"tracker/storage/{name}" for name in re.findall(r"^\s{4}(\w+\.py)\s", ARCHITECTURE, re.M)}
    assert named, "the map names no file"
    missing = sorted(path for path in named if not (ROOT / path).exists())
    assert missing == []


def test_the_architecture_map_lists_every_module():
    listed = set(re.findall(r"\b(\w+\.py)\b", ARCHITECTURE))
    modules = {path.name for folder in ("tracker", "ui", "tracker/storage") for path in (ROOT / folder).glob("*.py")}
    modules -= {"__init__.py", "__main__.py"}
    assert sorted(modules - listed) == []
