"""The role × action matrix, tested exhaustively against a table written out here, and the guard
every page must call first with the action the page registry gives it."""
import ast
import itertools
from pathlib import Path

import pytest

from domain.errors import PermissionDenied
from domain.permissions import ACTIONS, ANONYMOUS, MATRIX, NOBODY, ROLES, Actor, allowed, check, matrix_markdown
from ui.navigation import PAGES

ROOT = Path(__file__).resolve().parent.parent

# The expected matrix, written by hand from the regulation's roles: x = allowed.
EXPECTED_TABLE = """
action                   Karo Kabag Kasubbag Staf Pimpinan Unit Admin Anonim
home.view                x    x     x        x    x        x    x     x
standard.view            x    x     x        x    x        x    x     x
complaint.submit         x    x     x        x    x        x    x     x
complaint.lookup         x    x     x        x    x        x    x     x
complaint.inbox          x    x     x        x    .        .    .     .
complaint.view_contact   x    x     x        x    .        .    .     .
complaint.delegate       x    .     .        .    .        .    .     .
complaint.follow_up      x    x     x        x    .        .    .     .
complaint.assign         .    x     .        .    .        .    .     .
complaint.answer         x    x     .        .    .        .    .     .
complaint.close          x    x     .        .    .        .    .     .
complaint.reopen         x    .     .        .    .        .    .     .
complaint.view_own_unit  .    .     .        .    .        x    .     .
proposal.submit          x    x     x        x    .        x    .     .
proposal.view_own        .    .     .        .    .        x    .     .
proposal.queue           x    x     x        x    .        .    .     .
proposal.decide          x    x     .        .    .        .    .     .
case.view                x    x     x        x    x        .    .     .
case.create              x    x     x        x    .        .    .     .
case.edit                x    x     x        x    .        .    .     .
case.hold                x    x     .        .    .        .    .     .
case.bulk_edit           x    x     x        x    .        .    .     .
case.export              x    x     x        x    x        .    .     .
step.update              x    x     x        x    .        .    .     .
dashboard.view           x    x     x        x    x        .    .     .
evaluation.open          x    x     x        x    x        .    .     .
evaluation.view          x    x     .        .    x        .    .     .
evaluation.conclude      x    .     .        .    .        .    .     .
evaluation.own           x    x     x        x    .        .    .     .
register.view            x    x     x        x    x        x    .     .
register.view_all        x    x     x        x    x        .    .     .
register.export          x    x     x        x    x        x    .     .
output.record            x    x     x        x    .        .    .     .
calendar.view            x    x     x        x    x        .    x     .
calendar.manage          .    .     .        .    .        .    x     .
audit.view               x    .     .        .    .        .    x     .
admin.accounts           .    .     .        .    .        .    x     .
admin.units              .    .     .        .    .        .    x     .
admin.executors          .    .     .        .    .        .    x     .
account.change_password  x    x     x        x    x        x    x     .
account.notices          x    x     x        x    x        x    x     .
account.language         x    x     x        x    x        x    x     .
"""


def expected() -> dict[str, set[str]]:
    lines = [line.split() for line in EXPECTED_TABLE.strip().splitlines()]
    roles = lines[0][1:]
    return {row[0]: {r for r, mark in zip(roles, row[1:], strict=True) if mark == "x"} for row in lines[1:]}


EXPECTED = expected()


def actor_with(role: str) -> Actor:
    return NOBODY if role == ANONYMOUS else Actor(id=f"acc-{role}", username=role.lower(), roles=frozenset({role}))


def test_the_expected_table_covers_every_action_and_every_role():
    assert list(EXPECTED) == list(ACTIONS)
    header = EXPECTED_TABLE.strip().splitlines()[0].split()[1:]
    assert header == [*ROLES, ANONYMOUS]


@pytest.mark.parametrize("role, action", list(itertools.product([*ROLES, ANONYMOUS], ACTIONS)))
def test_every_role_may_do_exactly_the_actions_of_the_table(role, action):
    actor = actor_with(role)
    assert allowed(actor, action) is (role in EXPECTED[action])
    if role in EXPECTED[action]:
        check(actor, action)
    else:
        with pytest.raises(PermissionDenied) as exc:
            check(actor, action)
        assert exc.value.action == action


def test_several_roles_give_the_union_of_their_rights():
    karo_admin = Actor(id="a", username="a", roles=frozenset({"Karo", "Admin"}))
    for action in ACTIONS:
        assert allowed(karo_admin, action) is bool(EXPECTED[action] & {"Karo", "Admin"})


def test_an_account_without_roles_is_no_more_than_signed_in():
    bare = Actor(id="a", username="a")
    assert [a for a in ACTIONS if allowed(bare, a)] == []


def test_an_actor_not_signed_in_is_anonymous_whatever_roles_it_claims():
    crafted = Actor(id="", username="", roles=frozenset({"Admin"}))
    assert not allowed(crafted, "admin.accounts") and allowed(crafted, "complaint.submit")


def test_an_unknown_action_is_an_error_not_a_refusal():
    with pytest.raises(KeyError):
        allowed(NOBODY, "case.delete_everything")


def test_without_sign_in_only_home_standard_flowchart_complaint_form_status_lookup_and_sign_in_are_open():
    open_pages = {spec.url for spec in PAGES if allowed(NOBODY, spec.action)}
    assert open_pages == {"beranda", "standar-pelayanan", "bagan-alir", "pengaduan", "status-pengaduan", "masuk"}


def test_the_matrix_as_markdown_has_a_row_per_action_and_a_column_per_role():
    md = matrix_markdown().splitlines()
    assert len(md) == 2 + len(MATRIX)
    assert md[0].count("|") == len(ROLES) + 3
    assert md[2 + list(MATRIX).index("admin.accounts")].count("✔") == 1


# ---- the guard in every page -------------------------------------------------------------------------

def guard_calls(path: Path) -> list[tuple[int, str, list]]:
    """(line, function, args) of every call to page(...) or require(...) in a page file."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Call):
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name in ("page", "require"):
                found.append((node.lineno, name, node.args))
    return sorted(found, key=lambda c: c[0])


def first_streamlit_line(path: Path) -> int | None:
    """The first line run at the top level that draws or reads anything through ``st.`` (functions
    and their cache decorators only define things, so they may come before the guard)."""
    lines = [node.lineno for stmt in ast.parse(path.read_text()).body
             if not isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
             for node in ast.walk(stmt)
             if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "st"]
    return min(lines) if lines else None


def test_every_page_file_is_in_the_registry():
    registered = {spec.path for spec in PAGES}
    files = {f"screens/{p.name}" for p in (ROOT / "screens").glob("*.py") if not p.name.startswith("_")}
    assert files == registered


@pytest.mark.parametrize("spec", PAGES, ids=lambda s: s.url)
def test_every_page_calls_its_guard_first_with_the_action_the_registry_gives(spec):
    path = ROOT / spec.path
    calls = guard_calls(path)
    assert calls, f"{spec.path} never calls page(...) or require(...)"
    line, _, args = calls[0]
    assert args and isinstance(args[0], ast.Constant) and args[0].value == spec.action, spec.path
    first_st = first_streamlit_line(path)
    assert first_st is None or first_st > line, f"{spec.path} uses st. on line {first_st} before its guard"
    tree = ast.parse(path.read_text())
    top_level_guard = any(isinstance(stmt, (ast.Assign, ast.Expr)) and stmt.lineno == line for stmt in tree.body)
    assert top_level_guard, f"{spec.path}: the guard must run at the top level, not inside a branch"


# ---- domain writes check the permission ---------------------------------------------------------------

def test_every_account_and_master_data_write_refuses_a_non_administrator(duckdb_repo):
    from domain import accounts, directory

    staff = Actor(id="acc-x", username="x", roles=frozenset({"Karo", "Kabag", "Kasubbag", "Staf", "Pimpinan", "Unit"}))
    calls = [
        lambda: accounts.create_account(duckdb_repo, staff, accounts.AccountForm("y", "Y", "", ["Admin"])),
        lambda: accounts.update_account(duckdb_repo, staff, "acc-x", 1, accounts.AccountForm("y", "Y", "", ["Admin"])),
        lambda: accounts.reset_password(duckdb_repo, staff, "acc-x", 1),
        lambda: accounts.unlock_account(duckdb_repo, staff, "acc-x", 1),
        lambda: accounts.list_accounts(duckdb_repo, staff),
        lambda: directory.save_organisation(duckdb_repo, staff, directory.OrganisationForm("O")),
        lambda: directory.save_unit(duckdb_repo, staff, directory.UnitForm("O", "U")),
        lambda: directory.save_executor(duckdb_repo, staff, directory.ExecutorForm("E", "", "Staf")),
        lambda: directory.directory(duckdb_repo, staff),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()
    assert duckdb_repo.audit() == [] and duckdb_repo.count("accounts") == 0


# ---- the README prints what the code enforces -------------------------------------------------------------

def test_the_readme_prints_the_matrix_the_code_enforces():
    readme = (ROOT / "README.md").read_text()
    assert matrix_markdown() in readme.split("## Accounts, roles and sign-in")[1]


def test_the_readme_documents_every_account_command():
    from cli.accounts import commands

    readme = (ROOT / "README.md").read_text()
    assert commands() == ["create-admin", "reset-password", "unlock", "list"]
    assert "python -m cli.accounts create-admin" in readme
    for command in commands()[1:]:
        assert f"`{command}" in readme, command


# Writes made before anyone is signed in (sign-in itself, the console's first administrator) or that only
# record the end of one's own session; the tracker's and the flood limits' helpers whose callers check;
# and the store's own upgrade at start (audited as "sistem").
WRITES_WITHOUT_ROLE = {"authenticate", "sign_in_with_email", "record_sign_out", "create_admin", "apply_writes",
                       "apply_counted", "bring_up_to_date",
                       "save_row",  # the evaluation's shared insert-or-update, called after its callers' check
                       # the failed sign-in tally and the sign-in session itself, written as one signs in
                       "count_hit", "forget", "start", "touch", "end"}


def test_every_public_domain_function_that_writes_checks_the_permission():
    """Static: a public function in domain/ that applies writes calls permissions.check itself or
    through a domain helper it calls (e.g. the tracker's _prepare)."""
    functions: dict[str, set[str]] = {}
    public: list[tuple[str, str]] = []
    for path in sorted((ROOT / "domain").rglob("*.py")):
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, ast.FunctionDef):
                calls = {getattr(c.func, "id", None) or getattr(c.func, "attr", None)
                         for c in ast.walk(node) if isinstance(c, ast.Call)}
                functions.setdefault(node.name, set()).update(calls)
                if not node.name.startswith("_"):
                    public.append((f"{path.relative_to(ROOT)}:{node.name}", node.name))
    checking = {"check"}
    while True:
        more = {name for name, calls in functions.items() if calls & checking} - checking
        if not more:
            break
        checking |= more
    offenders = [where for where, name in public if name not in WRITES_WITHOUT_ROLE
                 and functions[name] & {"apply", "apply_writes", "_apply"} and name not in checking]
    assert offenders == [], offenders
