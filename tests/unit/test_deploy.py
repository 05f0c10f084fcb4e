"""The deployment descriptions (deploy/) agree with the code: commands, options, settings and stages."""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

import pytest
import typer
import yaml
from pydantic import ValidationError

from gpu_stages.film_pipeline import FILM_STAGES
from infra.cli import app
from infra.settings import DEV_SECRET, Settings

try:  # typer 0.29 vendors its own copy of click
    from typer._click.exceptions import UsageError
except ImportError:  # pragma: no cover - older typer on top of click
    from click import UsageError

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
K8S = DEPLOY / "k8s"
SINGLETONS = ("relay", "projector")
EXTRA_ENV = {"FILMSTUDIO_KOKORO_DIR"}  # read by gpu_stages.voice.assets, not by Settings


def compose() -> dict[str, Any]:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text())


def k8s_documents() -> list[dict[str, Any]]:
    docs = []
    for path in sorted(K8S.glob("*.yaml")):
        docs.extend(d for d in yaml.safe_load_all(path.read_text()) if d)
    return docs


def k8s_kind(kind: str) -> list[dict[str, Any]]:
    return [d for d in k8s_documents() if d["kind"] == kind]


def studio_services() -> dict[str, dict[str, Any]]:
    """Compose services that run the studio image (the others are Kafka, PostgreSQL, MinIO, Caddy)."""
    return {n: s for n, s in compose()["services"].items() if "build" in s}


def studio_containers() -> list[tuple[str, dict[str, Any]]]:
    """(owner name, container) for every k8s container running the studio image."""
    found = []
    for doc in k8s_kind("Deployment") + k8s_kind("Job"):
        for container in doc["spec"]["template"]["spec"]["containers"]:
            if container["image"].split(":")[0] == "filmstudio":
                found.append((doc["metadata"]["name"], container))
    return found


def parse_cli(args: list[str]) -> Any:
    """Parse a command line with the real `filmstudio` command tree (nothing runs); UsageError if wrong."""
    command: Any = typer.main.get_command(app)
    rest = list(args)
    path = ["filmstudio"]
    while hasattr(command, "list_commands"):  # a group: the next word names a subcommand
        assert rest, f"{' '.join(path)} needs a subcommand"
        name = rest.pop(0)
        context = command.make_context(" ".join(path), [name], resilient_parsing=True)
        sub = command.get_command(context, name)
        if sub is None:
            raise UsageError(f"no command {' '.join([*path, name])}; has {command.list_commands(context)}")
        command, path = sub, [*path, name]
    return command.make_context(" ".join(path), rest)


def all_command_lines() -> list[tuple[str, list[str]]]:
    lines = [(f"compose:{n}", list(s["command"])) for n, s in studio_services().items()]
    lines += [(f"k8s:{owner}", list(c["args"])) for owner, c in studio_containers()]
    return lines


def worker_stages(lines: list[tuple[str, list[str]]]) -> list[set[str]]:
    pools = []
    for _, args in lines:
        if args[0] == "worker":
            stages = parse_cli(args).params["stages"]
            pools.append({s for s in stages.split(",") if s} or set(FILM_STAGES))
    return pools


def test_every_deploy_yaml_file_parses() -> None:
    files = [DEPLOY / "compose.yaml", *sorted(K8S.glob("*.yaml"))]
    assert len(files) >= 8
    for path in files:
        docs = [d for d in yaml.safe_load_all(path.read_text()) if d]
        assert docs and all(isinstance(d, dict) for d in docs), path


def test_every_command_line_in_the_manifests_is_a_real_filmstudio_command() -> None:
    lines = all_command_lines()
    used = {args[0] for _, args in lines}
    assert used == {"init", "gateway", "relay", "processors", "worker", "projector"}
    for where, args in lines:
        try:
            parse_cli(args)
        except UsageError as error:
            pytest.fail(f"{where}: `filmstudio {shlex.join(args)}` is not valid: {error}")


def test_parse_cli_rejects_unknown_commands_and_options() -> None:
    with pytest.raises(UsageError):
        parse_cli(["wroker"])
    with pytest.raises(UsageError):
        parse_cli(["worker", "--stage", "render"])


def test_the_worker_pools_together_serve_every_stage_and_only_known_ones() -> None:
    for tag in ("compose:", "k8s:"):
        pools = worker_stages([line for line in all_command_lines() if line[0].startswith(tag)])
        assert len(pools) >= 2, f"{tag} should split workers into pools"
        assert set().union(*pools) == set(FILM_STAGES), tag
        assert any(pool <= {"render", "thumbnails"} and "render" in pool for pool in pools), "a render pool"


def test_relay_and_projector_run_exactly_once() -> None:
    services = studio_services()
    for role in SINGLETONS:
        assert services[role]["deploy"]["replicas"] == 1
        deployment = next(d for d in k8s_kind("Deployment") if d["metadata"]["name"] == f"filmstudio-{role}")
        assert deployment["spec"]["replicas"] == 1
        # Recreate: a rollout never runs the old and the new pod side by side.
        assert deployment["spec"]["strategy"]["type"] == "Recreate"
    assert services["gateway"]["deploy"]["replicas"] >= 2
    assert services["processors"]["deploy"]["replicas"] >= 2


def setting_names() -> set[str]:
    names = {f"FILMSTUDIO_{name.upper()}" for name in Settings.model_fields}
    return names | {"KAFKA_BOOTSTRAP_SERVERS"} | EXTRA_ENV


def test_every_studio_variable_in_the_manifests_is_a_setting() -> None:
    variables: dict[str, str] = {}
    for name, service in studio_services().items():
        variables.update({k: f"compose:{name}" for k in service["environment"]})
    for doc in k8s_kind("ConfigMap") + k8s_kind("Secret"):
        data = doc.get("data", {}) | doc.get("stringData", {})
        variables.update({k: f"k8s:{doc['metadata']['name']}" for k in data})
    for owner, container in studio_containers():
        variables.update({e["name"]: f"k8s:{owner}" for e in container.get("env", [])})
    studio_vars = {k: v for k, v in variables.items() if k.startswith(("FILMSTUDIO_", "KAFKA_"))}
    unknown = {k: v for k, v in studio_vars.items() if k not in setting_names()}
    assert not unknown, f"not settings in infra/settings.py: {unknown}"
    assert {"FILMSTUDIO_JWT_SECRET", "FILMSTUDIO_EVENT_STORE_URL", "FILMSTUDIO_STORAGE_URL"} <= set(
        studio_vars
    )


def interpolate(value: str, env: dict[str, str]) -> str:
    """Compose's `${VAR}`, `${VAR:-default}` and `${VAR:?error}`, enough to read the file as compose would."""

    def one(match: re.Match[str]) -> str:
        name, op, arg = match.group(1), match.group(2), match.group(3) or ""
        if name in env:
            return env[name]
        if op == ":?":
            raise KeyError(f"{name}: {arg}")
        return arg

    return re.sub(r"\$\{(\w+)(?:(:-|:\?)([^}]*))?\}", one, value)


def compose_settings(env: dict[str, str]) -> Settings:
    raw = studio_services()["gateway"]["environment"]
    values = {k: interpolate(str(v), env) for k, v in raw.items()}
    fields = {
        k.removeprefix("FILMSTUDIO_").lower(): v for k, v in values.items() if k.startswith("FILMSTUDIO_")
    }
    return Settings(**fields, _env_file=None)  # type: ignore[call-arg]


def test_compose_settings_are_valid_and_need_real_secrets() -> None:
    env = {"FILMSTUDIO_JWT_SECRET": "a" * 64, "POSTGRES_PASSWORD": "pw", "MINIO_ROOT_PASSWORD": "minio-pw"}
    settings = compose_settings(env)
    assert settings.environment == "production"
    assert settings.event_store_url == "postgresql://filmstudio:pw@postgres:5432/filmstudio"
    assert settings.storage_url is not None and settings.storage_url.startswith("s3://")
    assert settings.create_tables is False
    with pytest.raises(KeyError, match="FILMSTUDIO_JWT_SECRET"):
        compose_settings({k: v for k, v in env.items() if k != "FILMSTUDIO_JWT_SECRET"})
    with pytest.raises(ValidationError, match="development default"):
        compose_settings({**env, "FILMSTUDIO_JWT_SECRET": DEV_SECRET})


def test_only_the_init_steps_create_tables() -> None:
    services = studio_services()
    creators = {n for n, s in services.items() if s["environment"].get("FILMSTUDIO_CREATE_TABLES") == "true"}
    assert creators == {"init"}
    for name, service in services.items():
        if name != "init":
            assert service["depends_on"]["init"]["condition"] == "service_completed_successfully", name
    config = k8s_kind("ConfigMap")[0]["data"]
    assert config["FILMSTUDIO_CREATE_TABLES"] == "false"
    job = k8s_kind("Job")[0]["spec"]["template"]["spec"]["containers"][0]
    assert {"name": "FILMSTUDIO_CREATE_TABLES", "value": "true"} in job["env"]


def test_worker_autoscalers_target_real_deployments_with_cpu_requests() -> None:
    deployments = {d["metadata"]["name"]: d for d in k8s_kind("Deployment")}
    hpas = k8s_kind("HorizontalPodAutoscaler")
    assert {h["spec"]["scaleTargetRef"]["name"] for h in hpas} == {
        "filmstudio-worker",
        "filmstudio-worker-render",
    }
    partitions = int(k8s_kind("ConfigMap")[0]["data"]["FILMSTUDIO_KAFKA_PARTITIONS"])
    for hpa in hpas:
        target = deployments[hpa["spec"]["scaleTargetRef"]["name"]]
        container = target["spec"]["template"]["spec"]["containers"][0]
        assert container["resources"]["requests"]["cpu"]  # utilisation is measured against the request
        assert [m["resource"]["name"] for m in hpa["spec"]["metrics"]] == ["cpu"]
        assert (
            hpa["spec"]["minReplicas"]
            <= target["spec"]["replicas"]
            <= hpa["spec"]["maxReplicas"]
            <= partitions
        )


def test_services_select_the_pods_of_their_deployment() -> None:
    deployments = k8s_kind("Deployment")
    for service in k8s_kind("Service"):
        selector = service["spec"]["selector"]
        matched = [
            d for d in deployments if selector.items() <= d["spec"]["template"]["metadata"]["labels"].items()
        ]
        assert len(matched) == 1, service["metadata"]["name"]
    for deployment in deployments:
        labels = deployment["spec"]["template"]["metadata"]["labels"]
        assert deployment["spec"]["selector"]["matchLabels"].items() <= labels.items()


def test_kustomization_lists_every_manifest_but_never_the_example_secret() -> None:
    kustomization = yaml.safe_load((K8S / "kustomization.yaml").read_text())
    resources = set(kustomization["resources"])
    on_disk = {p.name for p in K8S.glob("*.yaml")} - {"kustomization.yaml"}
    assert resources == on_disk - {"secret.example.yaml"}


def test_the_image_installs_every_debian_package_the_bootstrap_installs() -> None:
    bootstrap = (DEPLOY.parent / "infra" / "bootstrap.sh").read_text()
    listed = re.search(r"APT_PACKAGES=\(([^)]*)\)", bootstrap)
    assert listed is not None
    needed = set(listed.group(1).split()) - {
        "python3-venv",
        "postgresql",
        "chromium",
    }  # the image has its own Python; PG runs apart; the browser only drives the web tests
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    runtime = dockerfile.split("AS runtime", 1)[1]
    missing = {p for p in needed if not re.search(rf"(?<![\w-]){re.escape(p)}(?![\w-])", runtime)}
    assert not missing, f"add to deploy/Dockerfile: {sorted(missing)}"
    assert "pip install '.[media]'" in dockerfile
    assert 'ENTRYPOINT ["/usr/bin/tini", "--", "filmstudio"]' in dockerfile
