"""Behaviour written once and inherited by every backend's test classes.

Each module holds one suite, a base class named ``<Area>Contract``: the repository itself, the
tracker, complaints, accounts and the evaluation. A backend's test module (``tests/test_on_duckdb.py``,
``tests/test_on_sheets.py``) defines one class per suite, inheriting it and providing one fixture:

    @pytest.fixture
    def repo(self, ...):  # an empty, initialised repository of that backend, one per test

A new backend is done when every suite passes unchanged on it.
"""
