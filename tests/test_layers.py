"""The layers import in one direction only: core ← objects ← tips ← backoffice ← demo.

Read from the source, so the rule keeps holding as the code changes: no module imports from a
layer above its own, and no module hides an import of another app inside a function (the one
way up is Django's AppConfig.ready hook, in an apps.py). The root URLconf is the one module
above every app: it mounts their URLs.
"""

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ["traceobject", "objects", "tips", "backoffice", "demo"]
ABOVE_EVERY_APP = {"traceobject/urls.py"}


def _modules():
    for layer in LAYERS:
        folder = ROOT / layer
        if folder.is_dir():
            yield from sorted(folder.rglob("*.py"))


def _imports(tree: ast.AST):
    """(imported module, line, inside a function, the function's name) for each import."""
    found = []

    def visit(node, function):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                visit(child, child.name)
                continue
            if isinstance(child, ast.Import):
                found.extend((alias.name, child.lineno, function) for alias in child.names)
            elif isinstance(child, ast.ImportFrom) and child.level == 0 and child.module:
                found.append((child.module, child.lineno, function))
            visit(child, function)

    visit(tree, None)
    return found


def violations() -> list[str]:
    found = []
    for path in _modules():
        relative = path.relative_to(ROOT).as_posix()
        own = LAYERS.index(relative.split("/")[0])
        for module, line, function in _imports(ast.parse(path.read_text(), relative)):
            top = module.split(".")[0]
            if top not in LAYERS:
                continue
            where = f"{relative}:{line} imports {module}"
            if LAYERS.index(top) > own and relative not in ABOVE_EVERY_APP:
                found.append(f"{where}, a layer above {LAYERS[own]}")
            elif (
                function
                and top != LAYERS[own]
                and not (path.name == "apps.py" and function == "ready")
            ):
                found.append(f"{where} inside {function}(): import it at the top")
    return found


def test_no_module_imports_from_a_layer_above_it():
    assert violations() == []


@pytest.mark.parametrize(
    ("source", "path", "expected"),
    [
        ("from tips.models import Tip\n", "objects/stats.py", "a layer above objects"),
        ("import backoffice.views\n", "traceobject/staff.py", "a layer above traceobject"),
        ("def f():\n    from objects import models\n", "tips/x.py", "inside f()"),
    ],
)
def test_the_check_catches_each_kind(tmp_path, monkeypatch, source, path, expected):
    target = tmp_path / path
    target.parent.mkdir(parents=True)
    target.write_text(source)
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    assert any(expected in v for v in violations())


def test_the_root_urlconf_and_ready_hooks_may_reach_up(tmp_path, monkeypatch):
    (tmp_path / "traceobject").mkdir()
    (tmp_path / "traceobject" / "urls.py").write_text("from tips.views import follow_up\n")
    (tmp_path / "objects").mkdir()
    (tmp_path / "objects" / "apps.py").write_text(
        "class C:\n    def ready(self):\n        from traceobject import page_cache\n"
    )
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    assert violations() == []
