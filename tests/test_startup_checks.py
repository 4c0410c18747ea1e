"""The server refuses to serve without XSRF protection and with error details on."""
import pytest
from streamlit import config

from ui import startup_checks


@pytest.fixture
def restore_options():
    saved = {k: config.get_option(k) for k in ("server.enableXsrfProtection", "client.showErrorDetails")}
    yield
    for key, value in saved.items():
        config.set_option(key, value)


def test_the_shipped_configuration_passes_the_checks(restore_options):
    config.set_option("server.enableXsrfProtection", True)
    config.set_option("client.showErrorDetails", "none")
    assert startup_checks.problems() == []


def test_xsrf_protection_off_is_reported(restore_options):
    config.set_option("server.enableXsrfProtection", False)
    config.set_option("client.showErrorDetails", "none")
    (problem,) = startup_checks.problems()
    assert "XSRF" in problem


def test_the_config_file_turns_xsrf_on_and_error_details_off():
    import tomllib
    from pathlib import Path

    cfg = tomllib.loads((Path(__file__).resolve().parent.parent / ".streamlit" / "config.toml").read_text())
    assert cfg["server"]["enableXsrfProtection"] is True
    assert cfg["client"]["showErrorDetails"] == "none"
