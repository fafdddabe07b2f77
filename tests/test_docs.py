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
