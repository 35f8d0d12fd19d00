"""``atakora secrets set | list`` against a fake Key Vault: values go to the vault and nowhere else."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from atakora.cli import secrets as commands
from atakora.cli.main import app

PROGRAM = '''
from pathlib import Path
from atakora import App, ResourceGroupStack
from atakora.backend import define_backend
from atakora.components import CrudApi, FunctionsApp

backend = define_backend({
    "users": CrudApi.define("UserApi", entity_name="User", schema={"id": "string"}),
    "payments": FunctionsApp.define("Payments", source_directory=Path(__file__).parent / "fn",
                                    secrets=["STRIPE_KEY"], functions={"charge": {"trigger": "http"}}),
}, secrets=["SENTRY_DSN"])
app = App()
stack = ResourceGroupStack(app, "Main", resource_group_name="rg", location="eastus")
backend.add_to_stack(stack)
app.synth()
'''


class FakeVault:
    def __init__(self) -> None:
        self.values: dict[str, str] = {}
        self.urls: list[str] = []

    def client(self, url: str) -> Any:
        self.urls.append(url)
        vault = self

        class Properties:
            def __init__(self, name: str) -> None:
                self.name = name

        class Client:
            def set_secret(self, name: str, value: str, content_type: str | None = None) -> None:
                vault.values[name] = value

            def list_properties_of_secrets(self) -> list[Properties]:
                return [Properties(n) for n in vault.values]

        return Client()


@pytest.fixture()
def program(tmp_path: Path) -> Path:
    (tmp_path / "fn").mkdir()
    (tmp_path / "fn" / "handlers.py").write_text("def charge(req):\n    pass\n")
    path = tmp_path / "app.py"
    path.write_text(PROGRAM)
    return path


@pytest.fixture()
def vault(monkeypatch: pytest.MonkeyPatch) -> FakeVault:
    fake = FakeVault()
    monkeypatch.setattr(commands, "client_factory", fake.client)
    return fake


def test_set_reads_the_value_from_stdin_and_stores_it_under_the_component_secret(program: Path,
                                                                                 vault: FakeVault) -> None:
    result = CliRunner().invoke(app, ["secrets", "set", str(program), "STRIPE_KEY"], input="sk_live_abc123\n")
    assert result.exit_code == 0, result.output
    assert vault.values == {"payments--STRIPE-KEY": "sk_live_abc123"}
    assert vault.urls[0].startswith("https://kv-backend-dev-") and vault.urls[0].endswith(".vault.azure.net/")
    assert "sk_live_abc123" not in result.output
    assert "Payments/STRIPE_KEY" in result.output


def test_list_shows_which_declared_secrets_are_set(program: Path, vault: FakeVault) -> None:
    vault.values["shared--SENTRY-DSN"] = "https://dsn"
    result = CliRunner().invoke(app, ["secrets", "list", str(program)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    lines = {line.split("│")[1].strip() + "/" + line.split("│")[2].strip(): line for line in result.output.splitlines()
             if line.count("│") >= 5}
    assert "missing" in lines["Payments/STRIPE_KEY"] and "set" in lines["shared/SENTRY_DSN"]
    assert "https://dsn" not in result.output


def test_an_undeclared_secret_is_an_error_listing_the_declared_ones(program: Path, vault: FakeVault) -> None:
    result = CliRunner().invoke(app, ["secrets", "set", str(program), "NOPE"], input="x\n", env={"COLUMNS": "300"})
    assert result.exit_code == 1
    assert "declares no secret 'NOPE'" in result.output and "Payments/STRIPE_KEY" in result.output
    assert vault.values == {}


def test_an_empty_value_is_refused(program: Path, vault: FakeVault) -> None:
    result = CliRunner().invoke(app, ["secrets", "set", str(program), "Payments/STRIPE_KEY"], input="\n")
    assert result.exit_code == 1 and "empty" in result.output
    assert vault.values == {}


def test_dev_reads_local_values_from_the_git_ignored_file_and_names_the_missing(program: Path,
                                                                              tmp_path: Path) -> None:
    import json
    import os

    from atakora.cli.dev import start_dev_server
    from atakora.cli.local_secrets import LOCAL_SECRETS_FILE

    (program.parent / LOCAL_SECRETS_FILE).write_text(json.dumps({"Payments/STRIPE_KEY": "sk_test_local"}))
    server, _ = start_dev_server(program, port=0, data_dir=tmp_path / "dev")
    with server:
        assert os.environ["STRIPE_KEY"] == "sk_test_local"
        assert server.missing_secrets == ("shared/SENTRY_DSN",)
    assert "STRIPE_KEY" not in os.environ
    settings = (tmp_path / "dev").rglob("local.settings.json")
    assert all("sk_test_local" not in p.read_text() for p in settings)


def test_the_local_secrets_file_is_git_ignored_in_new_projects(tmp_path: Path) -> None:
    from atakora.cli.init_project import init_project
    from atakora.cli.local_secrets import LOCAL_SECRETS_FILE

    init_project(tmp_path / "proj", name="proj", environment="dev", location="eastus")
    assert LOCAL_SECRETS_FILE in (tmp_path / "proj" / ".gitignore").read_text().splitlines()
