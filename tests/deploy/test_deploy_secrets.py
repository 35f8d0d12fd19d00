"""``atakora deploy`` creates missing Key Vault secrets in the same deployment as their grants, never
overwrites one that exists, and never shows a value (fake Azure, the least_privilege example)."""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

import pytest
from azure.core.exceptions import HttpResponseError
from click.testing import CliRunner

from atakora.cli import deploy as deploy_module
from atakora.cli import deploy_secrets
from atakora.cli.main import app

from .conftest import FakeAzure

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "least_privilege.py"
SUB = "11111111-2222-3333-4444-555555555555"
VALUE = "sk_live_first-value-7Hq2"
runner = CliRunner()


@pytest.fixture(scope="module")
def synthesized(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("least_privilege") / "atakora.out"
    result = runner.invoke(app, ["synth", str(EXAMPLE), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture
def assembly(synthesized: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(synthesized, tmp_path / "project" / "atakora.out"))


@pytest.fixture(scope="module")
def parameter(synthesized: Path) -> str:
    """The value parameter of Payments/STRIPE_KEY, as the manifest lists it."""
    (stack,) = json.loads((synthesized / "manifest.json").read_text())["stacks"]
    (name,) = [n for n, p in stack["parameters"].items() if p.get("secret", {}).get("name") == "STRIPE_KEY"]
    return str(name)


@pytest.fixture(autouse=True)
def fake_azure(monkeypatch: pytest.MonkeyPatch, azure: FakeAzure) -> FakeAzure:
    monkeypatch.setattr(deploy_module, "make_session", lambda: azure)
    monkeypatch.setattr(deploy_secrets, "interactive", lambda: False)
    monkeypatch.delenv("ATAKORA_SECRET_STRIPE_KEY", raising=False)
    return azure


def _secret_id(assembly: Path) -> str:
    manifest = json.loads((assembly / "manifest.json").read_text())
    (stack,) = manifest["stacks"]
    (entry,) = [p["secret"] for p in stack["parameters"].values() if "secret" in p]
    return (f"/subscriptions/{SUB}/resourceGroups/{stack['resourceGroup']}/providers/Microsoft.KeyVault/vaults/"
            f"{entry['vault']}/secrets/{entry['secret']}")


def _deploy(assembly: Path, *args: str, input: str | None = None) -> tuple[int, str]:
    # least_privilege is isolated: its Flex app takes its package only from inside the virtual network
    result = runner.invoke(app, ["deploy", "--assembly", str(assembly), "--subscription", SUB, "--from-vnet", *args],
                           input=input)
    return result.exit_code, result.output


def _deployed_parameters(azure: FakeAzure) -> list[dict[str, object]]:
    return [c[3]["properties"]["parameters"] for c in azure.calls if c[0] == "deploy"]


def _files_holding(root: Path, value: str) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file() and value.encode() in p.read_bytes()]


def test_the_first_deployment_creates_the_secret_and_its_grant_in_one_deployment(
        parameter: str, azure: FakeAzure, assembly: Path, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setenv("ATAKORA_SECRET_STRIPE_KEY", VALUE)
    caplog.set_level(logging.DEBUG)
    code, out = _deploy(assembly, "--yes")
    assert code == 0, out
    assert _deployed_parameters(azure) == [{parameter: {"value": VALUE}}]
    template = next(c[3]["properties"]["template"] for c in azure.calls if c[0] == "deploy")
    secret = next(r for r in template["resources"] if r["type"] == "Microsoft.KeyVault/vaults/secrets")
    # The grant's name includes the identity's object id: it deploys in the stack's role-assignment deployment,
    # which waits for the secret.
    grants = next(r for r in template["resources"] if r["type"] == "Microsoft.Resources/deployments")
    assert any(r.get("scope", "").endswith("/secrets/payments--STRIPE-KEY")
               for r in grants["properties"]["template"]["resources"])
    assert secret["condition"] == f"[not(empty(parameters('{parameter}')))]"
    assert any("vaults/secrets" in d for d in grants["dependsOn"])
    assert "Payments/STRIPE_KEY in Key Vault" in out and "missing, created by this deployment" in out
    assert "ATAKORA_SECRET_STRIPE_KEY" in out
    assert VALUE not in out and VALUE not in caplog.text
    assert _files_holding(assembly.parent, VALUE) == []  # templates, manifest, plan and the deployment record


def test_a_second_deployment_passes_no_value_so_the_existing_secret_is_kept(
        azure: FakeAzure, assembly: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    azure.resources[_secret_id(assembly).lower()] = {"properties": {"secretUri": "https://kv/secrets/x"}}
    monkeypatch.setenv("ATAKORA_SECRET_STRIPE_KEY", "a-newer-value-that-must-not-win")
    code, out = _deploy(assembly, "--yes")
    assert code == 0, out
    assert _deployed_parameters(azure) == [{}]
    assert "exists, kept" in out


def test_a_missing_secret_without_a_value_stops_before_any_azure_write(azure: FakeAzure, assembly: Path) -> None:
    code, out = _deploy(assembly, "--yes")
    assert code == 1
    assert "nothing was deployed: 1 secret(s) do not exist yet and have no value" in out
    assert "Payments/STRIPE_KEY (Key Vault kv-" in out
    assert "ATAKORA_SECRET_STRIPE_KEY" in out and "--secret Payments/STRIPE_KEY=@FILE" in out
    assert out.count("error:") == 1
    assert set(azure.names()) == {"get"}


def test_a_value_from_a_file_is_used_and_never_printed(
        parameter: str, azure: FakeAzure, assembly: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    file = tmp_path_factory.mktemp("values") / "stripe.txt"
    file.write_text(VALUE + "\n")
    code, out = _deploy(assembly, "--yes", "--secret", f"STRIPE_KEY=@{file}")
    assert code == 0, out
    assert _deployed_parameters(azure) == [{parameter: {"value": VALUE}}]
    assert f"file {file}" in out.replace("\n", "") and VALUE not in out


def test_the_prompt_asks_for_a_missing_value_in_a_terminal(
        parameter: str, azure: FakeAzure, assembly: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(deploy_secrets, "interactive", lambda: True)
    code, out = _deploy(assembly, input=f"{VALUE}\n{VALUE}\ny\n")
    assert code == 0, out
    assert "first value of Payments/STRIPE_KEY" in out and VALUE not in out
    assert _deployed_parameters(azure) == [{parameter: {"value": VALUE}}]


@pytest.mark.parametrize(("args", "message"), [
    (["--secret", f"STRIPE_KEY={VALUE}"], "must come from a file"),
    (["--secret", "NOPE=@x"], "no stack to deploy declares this secret"),
    (["--param", "{parameter}=" + VALUE], "atakora deploy fills it itself"),
])
def test_values_on_the_command_line_and_unknown_secrets_are_refused(
        parameter: str, azure: FakeAzure, assembly: Path, args: list[str], message: str) -> None:
    code, out = _deploy(assembly, "--yes", *(a.replace("{parameter}", parameter) for a in args))
    assert code == 1 and message in out.replace("\n", " ")
    assert VALUE not in out.replace(f"={VALUE}", "")  # only the echo of the refused option itself
    assert "deploy" not in azure.names()


def test_what_if_reports_a_missing_secret_without_failing(azure: FakeAzure, assembly: Path) -> None:
    code, out = _deploy(assembly, "--what-if")
    assert code == 0, out
    assert "1 secret(s) do not exist yet" in out


def test_a_refused_read_of_the_vault_names_the_secret_and_the_access_needed(azure: FakeAzure,
                                                                               assembly: Path) -> None:
    def refuse(resource_id: str, *, api_version: str) -> object:
        raise HttpResponseError(message="AuthorizationFailed: no read")

    azure.get_by_id = refuse  # type: ignore[method-assign]
    code, out = _deploy(assembly, "--yes")
    assert code == 1
    assert "could not check whether Key Vault kv-" in out and "read access to resource group rg-shop-prod" in out


def test_the_parts_of_a_split_stack_share_one_secret_check_and_one_value(
        parameter: str, azure: FakeAzure, assembly: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    manifest_file = assembly / "manifest.json"
    manifest = json.loads(manifest_file.read_text())
    (stack,) = manifest["stacks"]
    second = {**stack, "id": "Shop.part1", "templateFile": "Shop.part1.json", "assets": [], "dependencies": ["Shop"]}
    shutil.copy(assembly / "Shop.json", assembly / "Shop.part1.json")
    manifest["stacks"].append(second)
    manifest["deployOrder"].append("Shop.part1")
    manifest_file.write_text(json.dumps(manifest))
    monkeypatch.setenv("ATAKORA_SECRET_STRIPE_KEY", VALUE)
    code, out = _deploy(assembly, "--yes")
    assert code == 0, out
    assert azure.names().count("get") == 1 and out.count("missing, created by this deployment") == 1
    assert _deployed_parameters(azure) == [{parameter: {"value": VALUE}}] * 2


def test_an_environment_variable_for_a_name_two_components_declare_is_not_guessed(
        azure: FakeAzure, assembly: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    manifest_file = assembly / "manifest.json"
    manifest = json.loads(manifest_file.read_text())
    parameters = manifest["stacks"][0]["parameters"]
    (entry,) = [p for p in parameters.values() if "secret" in p]
    parameters["secret_other"] = {**entry, "secret": {**entry["secret"], "component": "Refunds",
                                                      "secret": "refunds--STRIPE-KEY"}}
    manifest_file.write_text(json.dumps(manifest))
    monkeypatch.setenv("ATAKORA_SECRET_STRIPE_KEY", VALUE)
    code, out = _deploy(assembly, "--yes")
    assert code == 1
    text = out.replace("\n", " ")
    assert "2 secret(s) do not exist yet" in text and "cannot say which component" in text
    assert "--secret Payments/STRIPE_KEY=@FILE --secret Refunds/STRIPE_KEY=@FILE" in text
    assert "deploy" not in azure.names()
