"""The layering is itself tested: domain/ and reports/ stay free of Streamlit and the stores."""
import ast
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


def test_there_is_no_pages_folder_beside_app_py():
    # Streamlit resolves the first address after a start against a folder named pages/ before
    # app.py's own navigation exists, and shows its English "Page not found" over a page that is there.
    assert not (ROOT / "pages").exists(), "page files belong in screens/ (see README, Layout)"
