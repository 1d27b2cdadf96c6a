"""The layers import in one direction only: core ← objects ← tips ← backoffice ← demo.

The rule is import-linter's contracts in pyproject.toml ([tool.importlinter]; `make lint` runs
`lint-imports`), which read every import statement, at the top of a module or inside a function.
Here: the code keeps them, and they do catch an upward import (on a copy of the code with one
added). And what import-linter cannot say: no module hides an import of another app inside a
function, even one below it (the one way is Django's AppConfig.ready hook, in an apps.py).
"""

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ["traceobject", "objects", "tips", "backoffice", "demo"]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [LINT_IMPORTS, "--no-cache", "--no-logo"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_code_keeps_the_import_contracts():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("path", "source", "expected"),
    [
        ("objects/upward.py", "from tips.models import Tip\n", "objects.upward -> tips.models"),
        (
            "traceobject/upward.py",
            "import backoffice.views\n",
            "traceobject.upward -> backoffice.views",
        ),
        (
            "tips/hidden.py",
            "def f():\n    from backoffice import roles\n    return roles\n",
            "tips.hidden -> backoffice.roles",
        ),
        (
            "backoffice/upward.py",
            "from demo.management.commands import seed_demo\n",
            "backoffice.upward -> demo.management.commands.seed_demo",
        ),
    ],
)
def test_the_contracts_catch_an_upward_import(tmp_path, path, source, expected):
    for layer in LAYERS:
        shutil.copytree(
            ROOT / layer,
            tmp_path / layer,
            ignore=shutil.ignore_patterns("__pycache__"),
        )
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    assert lint_imports(tmp_path).returncode == 0  # the copy keeps them, as the code does
    (tmp_path / path).write_text(source)
    result = lint_imports(tmp_path)
    assert result.returncode == 1
    assert "BROKEN" in result.stdout
    assert expected in result.stdout


def _modules(root: Path):
    for layer in LAYERS:
        folder = root / layer
        if folder.is_dir():
            yield from sorted(folder.rglob("*.py"))


def _imports_inside_functions(tree: ast.AST):
    """(imported module, line, function name) for each import inside a function."""
    found = []

    def visit(node, function):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                visit(child, child.name)
                continue
            if function and isinstance(child, ast.Import):
                found.extend((alias.name, child.lineno, function) for alias in child.names)
            # A relative import (level > 0) stays in its own app.
            elif function and isinstance(child, ast.ImportFrom) and child.level == 0:
                found.append((child.module or "", child.lineno, function))
            visit(child, function)

    visit(tree, None)
    return found


def hidden_imports(root: Path = ROOT) -> list[str]:
    """Imports of another app inside a function, outside an apps.py's ready()."""
    found = []
    for path in _modules(root):
        relative = path.relative_to(root).as_posix()
        own = relative.split("/")[0]
        for module, line, function in _imports_inside_functions(ast.parse(path.read_text())):
            top = module.split(".")[0]
            if top not in LAYERS or top == own:
                continue
            if path.name == "apps.py" and function == "ready":
                continue
            found.append(f"{relative}:{line} imports {module} inside {function}(): at the top")
    return found


def test_no_module_hides_an_import_of_another_app_inside_a_function():
    assert hidden_imports() == []


def test_the_check_catches_a_hidden_import_of_a_layer_below(tmp_path):
    (tmp_path / "tips").mkdir()
    (tmp_path / "tips" / "x.py").write_text("def f():\n    from objects import models\n")
    assert hidden_imports(tmp_path) == ["tips/x.py:2 imports objects inside f(): at the top"]


def test_a_ready_hook_may_import_inside_its_function(tmp_path):
    (tmp_path / "objects").mkdir()
    (tmp_path / "objects" / "apps.py").write_text(
        "class C:\n    def ready(self):\n        from traceobject import page_cache\n"
    )
    assert hidden_imports(tmp_path) == []
