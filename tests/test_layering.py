"""The layering is itself tested: page → domain → data_access → store, with the domain owning the
store's port (domain/ports.py) and its change words (domain/changes.py).

The rules are checked over every import in a file, at its top or inside a function alike: a late
import is still a dependency. ``layer_violations`` takes the project's root so the test can show it
catching an import put back into a copy of the project."""
import ast
import shutil
import sys
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = {"streamlit", "duckdb", "gspread"}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("folder", ["domain", "reports"])
def test_pure_layers_import_no_streamlit_or_store(folder):
    offenders = {str(p.relative_to(ROOT)): imported_modules(p) & FORBIDDEN
                 for p in (ROOT / folder).rglob("*.py") if imported_modules(p) & FORBIDDEN}
    assert offenders == {}


def test_pages_never_touch_a_store_directly():
    offenders = [str(p.relative_to(ROOT)) for p in (ROOT / "screens").glob("*.py")
                 if imported_modules(p) & {"duckdb", "gspread"} or "Repository(" in p.read_text()]
    assert offenders == []


def test_the_readme_starts_with_the_two_commands_ci_runs():
    readme = (ROOT / "README.md").read_text()
    ci = (ROOT / ".ci" / "run").read_text()
    test_cmd = "bash scripts/setup-tests.sh && .venv/bin/python -m pytest && .venv/bin/python -m pytest -m load -n 0"
    assert test_cmd in readme and test_cmd in ci
    assert "streamlit run app.py" in readme.split("## Configuration")[0]


def test_no_code_path_updates_or_deletes_the_audit_log():
    import re

    pattern = re.compile(r"(UPDATE|DELETE\s+FROM|TRUNCATE|DROP\s+TABLE)\s+\"?audit\b", re.IGNORECASE)
    offenders = [str(p.relative_to(ROOT)) for folder in ("data_access", "domain", "screens", "ui", "reports")
                 for p in (ROOT / folder).rglob("*.py") if pattern.search(p.read_text())]
    assert offenders == []


# What each layer may not import (first component of the module name).
OUTER = {"data_access", "ui", "pages", "screens", "reports", "mailer", "cli", "app"}
RULES = {
    "domain": OUTER | {"streamlit", "duckdb", "gspread", "psycopg", "fpdf"},
    "reports": {"data_access", "ui", "pages", "screens", "mailer", "cli", "app", "streamlit", "duckdb", "gspread",
                "psycopg"},
    "pages": {"data_access", "duckdb", "gspread", "psycopg"},
    "screens": {"data_access", "duckdb", "gspread", "psycopg"},
    "cli": {"ui", "pages", "screens", "streamlit"},  # the console wires stores to the work, never a screen
}
PACKAGES = ("domain", "data_access", "ui", "pages", "screens", "reports", "mailer", "cli")


def layer_violations(root: Path) -> list[str]:
    found = []
    for layer, forbidden in RULES.items():
        for path in sorted((root / layer).rglob("*.py")):
            for name in sorted(imported_modules(path) & forbidden):
                found.append(f"{path.relative_to(root)} imports {name}")
    return found


def _module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _top_level_imports(path: Path, known: set[str]) -> set[str]:
    """Project modules a file imports when it is loaded (not those imported inside a function)."""
    names = set()
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            # "from package import submodule" depends on the submodule (and the package's __init__,
            # which runs first but is no cycle of its own)
            for a in node.names:
                sub = f"{node.module}.{a.name}"
                names.add(sub if sub in known else node.module)
    return {n for n in names if n in known}


def import_cycles(root: Path) -> list[list[str]]:
    files = {_module_name(root, p): p for pkg in PACKAGES if (root / pkg).is_dir() for p in (root / pkg).rglob("*.py")}
    graph = defaultdict(set)
    for name, path in files.items():
        graph[name] = _top_level_imports(path, set(files)) - {name}
    cycles, state = [], {}

    def visit(node, trail):
        state[node] = "open"
        for nxt in sorted(graph[node]):
            if state.get(nxt) == "open":
                cycles.append(trail[trail.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt, trail + [nxt])
        state[node] = "done"

    for name in sorted(files):
        if name not in state:
            visit(name, [name])
    return cycles


def test_every_layer_imports_only_what_it_may():
    assert layer_violations(ROOT) == []


def test_the_project_has_no_import_cycles():
    assert import_cycles(ROOT) == []


def test_the_layering_check_catches_an_import_put_back(tmp_path):
    for layer in RULES:
        if (ROOT / layer).is_dir():
            shutil.copytree(ROOT / layer, tmp_path / layer)
    tracker = tmp_path / "domain" / "tracker.py"
    tracker.write_text("from data_access.repository import stale_details\n" + tracker.read_text())
    pages = next(p for p in ((tmp_path / "screens"), (tmp_path / "pages")) if p.is_dir())
    page = sorted(pages.glob("*.py"))[0]
    page.write_text(page.read_text() + "\n\ndef _late():\n    from data_access import analytics\n")
    found = layer_violations(tmp_path)
    assert "domain/tracker.py imports data_access" in found
    assert f"{page.relative_to(tmp_path)} imports data_access" in found


def test_the_cycle_check_finds_a_cycle(tmp_path):
    (tmp_path / "domain").mkdir()
    (tmp_path / "domain" / "a.py").write_text("from domain import b\n")
    (tmp_path / "domain" / "b.py").write_text("import domain.a\n")
    assert import_cycles(tmp_path) == [["domain.a", "domain.b", "domain.a"]]


def test_there_is_no_pages_folder_beside_app_py():
    # Streamlit resolves the first address after a start against a folder named pages/ before
    # app.py's own navigation exists, and shows its English "Page not found" over a page that is there.
    assert not (ROOT / "pages").exists(), "page files belong in screens/ (see README, Layout)"


def imported_full(path: Path) -> set[str]:
    """Every module a file imports, by its full dotted name (also imports inside functions)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names |= {f"{node.module}.{a.name}" for a in node.names}
    return names


def cycles(folder: str) -> list[list[str]]:
    """Import cycles among the modules of a package, lazy imports inside functions included (the
    whole-project check above counts only imports made on loading)."""
    modules = {f"{folder}.{p.stem}": p for p in (ROOT / folder).glob("*.py") if p.stem != "__init__"}
    graph = {m: {n if n in modules else n.rsplit(".", 1)[0] for n in imported_full(p)} & set(modules)
             for m, p in modules.items()}
    found, path = [], []

    def visit(m: str) -> None:
        if m in path:
            found.append(path[path.index(m):] + [m])
            return
        path.append(m)
        for n in sorted(graph[m]):
            visit(n)
        path.pop()

    for m in sorted(graph):
        visit(m)
    return found


def test_no_import_cycle_among_the_reports_modules_even_through_late_imports():
    assert cycles("reports") == []


def test_the_late_import_cycle_check_finds_a_reintroduced_cycle(tmp_path, monkeypatch):
    """It would catch the old one: the PDF module importing the font error from the module that
    imports it back."""
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "a.py").write_text("def f():\n    from pkg import b\n")
    (tmp_path / "pkg" / "b.py").write_text("from pkg.a import f\n")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    assert cycles("pkg") == [["pkg.a", "pkg.b", "pkg.a"], ["pkg.b", "pkg.a", "pkg.b"]]


# Command lines live in cli/; app.py is Streamlit's own entry, and bench/, scripts/ and tests/ are tools.
ENTRY_POINT_EXEMPT = ("cli", "bench", "scripts", "tests", ".venv", ".git")


def _is_main_guard(node: ast.AST) -> bool:
    return (isinstance(node, ast.If) and isinstance(node.test, ast.Compare)
            and isinstance(node.test.left, ast.Name) and node.test.left.id == "__name__"
            and any(isinstance(c, ast.Constant) and c.value == "__main__" for c in node.test.comparators))


def entry_points_outside_cli(root: Path) -> list[str]:
    found = []
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root)
        if rel.parts[0] in ENTRY_POINT_EXEMPT or rel == Path("app.py"):
            continue
        tree = ast.parse(path.read_text())
        if any(_is_main_guard(node) for node in tree.body):
            found.append(f"{rel} has a __main__ block")
        if "argparse" in imported_modules(path):
            found.append(f"{rel} uses argparse")
        if any(isinstance(n, ast.Attribute) and n.attr == "argv" and isinstance(n.value, ast.Name)
               and n.value.id == "sys" for n in ast.walk(tree)):
            found.append(f"{rel} reads sys.argv")
    return found


def test_every_command_line_entry_point_lives_in_cli():
    assert entry_points_outside_cli(ROOT) == []


def test_the_entry_point_check_catches_a_command_line_put_back(tmp_path):
    for folder in ("data_access", "mailer", "cli"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    (tmp_path / "app.py").write_text('if __name__ == "__main__":\n    pass\n')
    assert entry_points_outside_cli(tmp_path) == []
    backup = tmp_path / "data_access" / "backup.py"
    backup.write_text(backup.read_text() + '\n\nif __name__ == "__main__":\n    raise SystemExit(0)\n')
    copy = tmp_path / "data_access" / "copy.py"
    copy.write_text("import argparse\n" + copy.read_text())
    lock = tmp_path / "mailer" / "run_lock.py"
    lock.write_text(lock.read_text() + "\n\ndef _args():\n    import sys\n    return sys.argv[1:]\n")
    assert entry_points_outside_cli(tmp_path) == ["data_access/backup.py has a __main__ block",
                                                  "data_access/copy.py uses argparse",
                                                  "mailer/run_lock.py reads sys.argv"]
