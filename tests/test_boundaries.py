"""tracker/ is the pure core: it never imports streamlit."""

from __future__ import annotations

import ast

from conftest import ROOT


def test_tracker_never_imports_streamlit():
    offenders = []
    for path in sorted((ROOT / "tracker").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            offenders += [f"{path.name}: {name}" for name in names if name.split(".")[0] == "streamlit"]
    assert offenders == []
