"""The layering is itself tested: domain/ and reports/ stay free of Streamlit and the stores."""
import ast
import sys
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
    offenders = [str(p.relative_to(ROOT)) for p in (ROOT / "pages").glob("*.py")
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
    offenders = [str(p.relative_to(ROOT)) for folder in ("data_access", "domain", "pages", "ui", "reports")
                 for p in (ROOT / folder).rglob("*.py") if pattern.search(p.read_text())]
    assert offenders == []


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


OUTER = ("data_access", "ui", "pages", "reports", "cli")


def test_the_evaluation_domain_imports_no_outer_layer():
    files = [*(ROOT / "domain" / "evaluation").rglob("*.py"), ROOT / "domain" / "texts" / "evaluation.py"]
    offenders = {str(p.relative_to(ROOT)): sorted(n for n in imported_full(p) if n.split(".")[0] in OUTER)
                 for p in files}
    assert {k: v for k, v in offenders.items() if v} == {}


def test_reports_never_import_data_access_or_a_command_line():
    offenders = {str(p.relative_to(ROOT)): sorted(n for n in imported_full(p)
                                                  if n.split(".")[0] in ("data_access", "cli"))
                 for p in (ROOT / "reports").rglob("*.py")}
    assert {k: v for k, v in offenders.items() if v} == {}


def test_the_evaluation_page_reaches_the_store_only_through_ui_helpers():
    names = imported_full(ROOT / "pages" / "evaluation.py")
    assert not [n for n in names if n.split(".")[0] == "data_access"]


def cycles(folder: str) -> list[list[str]]:
    """Import cycles among the modules of a package (lazy imports inside functions included)."""
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


def test_no_import_cycle_among_the_reports_modules():
    assert cycles("reports") == []


def test_the_cycle_check_finds_a_reintroduced_cycle(tmp_path, monkeypatch):
    """The check above would catch the old one: the PDF module importing the font error from the
    module that imports it back."""
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "a.py").write_text("def f():\n    from pkg import b\n")
    (tmp_path / "pkg" / "b.py").write_text("from pkg.a import f\n")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    assert cycles("pkg") == [["pkg.a", "pkg.b", "pkg.a"], ["pkg.b", "pkg.a", "pkg.b"]]
