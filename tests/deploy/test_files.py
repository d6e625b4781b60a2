"""The container files say what deploy/run does: they can't be run here (no Docker engine), so
these checks keep them from drifting away from it unnoticed."""

from __future__ import annotations

import re

import pytest
import yaml

from tests.conftest import ROOT

DEPLOY = ROOT / "deploy"
PLACEHOLDER = re.compile(r"\$\{(\w+)\}")


def load(name: str) -> dict:
    return yaml.safe_load((DEPLOY / name).read_text())


@pytest.fixture(scope="module")
def compose() -> dict:
    return load("docker-compose.yml")


@pytest.fixture(scope="module")
def helm() -> dict:
    return load("helm-values.yml")


def placeholders(path) -> set[str]:
    """The ${VARIABLES} that a file's settings (not its comments) use."""
    lines = path.read_text().splitlines()
    return {
        name for line in lines if not line.lstrip().startswith("#")
        for name in PLACEHOLDER.findall(line)
    }  # fmt: skip


def endpoint_variables() -> set[str]:
    return placeholders(DEPLOY / "endpoints.yml")


def template_variables() -> set[str]:
    return placeholders(DEPLOY / "nginx" / "clinic.conf.template")


def run_script() -> str:
    return (DEPLOY / "run").read_text()


def test_deploy_run_sets_every_variable_of_the_endpoints():
    assert {"CLINIC_TRACKER_DB", "CLINIC_LOCK_STORE_DB"} <= endpoint_variables()
    exported = set(re.findall(r"^export (\w+)=", run_script(), re.MULTILINE))
    assert endpoint_variables() <= exported, endpoint_variables() - exported
    assert {"DATABASE_URL", "CLINIC_REDIS_URL"} <= exported


def test_deploy_run_fills_in_every_variable_of_the_nginx_template():
    substituted = re.search(r"envsubst '([^']+)'", run_script()).group(1)
    assert set(PLACEHOLDER.findall(substituted)) == template_variables()


def test_compose_runs_the_same_commands_with_the_same_settings(compose):
    services = compose["services"]
    replicas = [name for name in services if name.startswith("rasa-")]
    actions = [name for name in services if name.startswith("actions-")]
    assert len(replicas) == 2 and len(actions) == 2
    for name in replicas:
        command = services[name]["command"]
        assert command[:3] == ["python", "-m", "channels.server"]
        assert command[command.index("--endpoints") + 1] == "deploy/endpoints.yml"
        assert command[command.index("--credentials") + 1] == "credentials.yml"
        assert endpoint_variables() <= set(services[name]["environment"])
    for name in actions:
        assert services[name]["command"][:5] == ["python", "-m", "rasa_sdk", "--actions", "actions"]
    for name in (*replicas, *actions):
        environment = services[name]["environment"]
        for secret in ("CLINIC_DATA_KEYS", "CLINIC_HASH_KEY", "CLINIC_API_TOKEN"):
            assert environment[secret].startswith(f"${{{secret}:?"), secret  # from outside
        assert environment["DATABASE_URL"].startswith("postgresql")
    migrate = " ".join(services["migrate"]["command"])
    assert "deploy/databases.py create" in migrate and "clinic.db upgrade" in migrate


def test_compose_nginx_uses_the_same_template_and_public_port(compose):
    nginx = compose["services"]["nginx"]
    assert any("nginx/clinic.conf.template:/etc/nginx/templates/" in v for v in nginx["volumes"])
    assert template_variables() <= set(nginx["environment"])
    public = re.search(r"PROXY_PORT=\$\{CLINIC_DEPLOY_PROXY_PORT:-(\d+)\}", run_script()).group(1)
    assert nginx["ports"] == [f"{public}:{public}"]
    assert nginx["environment"]["CLINIC_PROXY_LISTEN"] == public
    for service in ("rasa-1", "rasa-2", "actions-1", "actions-2"):
        upstreams = nginx["environment"]["CLINIC_RASA_SERVERS"]
        upstreams += nginx["environment"]["CLINIC_ACTIONS_SERVERS"]
        assert f"server {service}:" in upstreams


def test_helm_values_have_the_endpoints_stores_and_the_launcher(helm):
    endpoints = load("endpoints.yml")
    settings = helm["applicationSettings"]["endpoints"]
    for chart_key, key in (("trackerStore", "tracker_store"), ("lockStore", "lock_store")):
        chart = {k: v for k, v in settings[chart_key].items() if k != "enabled"}
        assert settings[chart_key]["enabled"] is True
        assert chart == endpoints[key], chart_key
    assert helm["replicaCount"] == 2 and helm["rasa-action-server"]["replicaCount"] == 2
    assert helm["command"] == ["python", "-m", "channels.server"]
    assert helm["rasa-action-server"]["command"] == ["python", "-m", "rasa_sdk"]
    credentials = yaml.safe_load((ROOT / "credentials.yml").read_text())
    assert helm["applicationSettings"]["credentials"]["additionalChannelCredentials"] == (
        credentials
    )


def test_helm_values_give_every_pod_the_same_environment_with_secrets_from_a_secret(helm):
    for env in (helm["extraEnv"], helm["rasa-action-server"]["extraEnv"]):
        by_name = {item["name"]: item for item in env}
        assert endpoint_variables() - {"CLINIC_ACTION_ENDPOINT_URL"} <= set(by_name)
        for secret in ("CLINIC_DATA_KEYS", "CLINIC_HASH_KEY", "CLINIC_API_TOKEN",
                       "CLINIC_PG_PASSWORD", "DATABASE_URL"):  # fmt: skip
            assert "secretKeyRef" in by_name[secret]["valueFrom"], secret


def test_the_image_installs_the_lock_as_ensure_venv_does():
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    common = (ROOT / "scripts" / "common.sh").read_text()
    flags = ("--no-deps", "--ignore-requires-python", "--prefer-binary", "-r requirements.lock")
    for flag in flags:
        assert flag in dockerfile and flag in common, flag
    ignored = (DEPLOY / "Dockerfile.dockerignore").read_text().split()
    assert {"var", ".venv", ".git"} <= set(ignored)  # no secrets.env, no local environment
