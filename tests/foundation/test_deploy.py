"""Deployment descriptors: Kubernetes manifests valid for a pinned Kubernetes version, hardened pods, the
Procfile's four processes, and a multi-stage non-root Dockerfile (issue 19, item 5)."""

from __future__ import annotations

from pathlib import Path

import kubernetes_validate
import pytest
import yaml
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
MANIFESTS = sorted((ROOT / "deploy" / "kubernetes").glob("*.yaml"))
# The Kubernetes release the manifests are checked against (strict: unknown fields are errors).
KUBERNETES_VERSION = "1.33.0"


def _documents() -> list[dict]:
    return [doc for path in MANIFESTS for doc in yaml.safe_load_all(path.read_text()) if doc]


def _by_kind(kind: str) -> dict[str, dict]:
    return {doc["metadata"]["name"]: doc for doc in _documents() if doc["kind"] == kind}


def _pod(doc: dict) -> dict:
    return doc["spec"]["template"]["spec"]


@pytest.mark.parametrize("path", MANIFESTS, ids=lambda p: p.name)
def test_manifest_is_valid_for_the_pinned_kubernetes(path):
    docs = [doc for doc in yaml.safe_load_all(path.read_text()) if doc]
    assert docs
    for doc in docs:
        kubernetes_validate.validate(doc, KUBERNETES_VERSION, strict=True)


def test_a_broken_manifest_is_refused():
    deployment = _by_kind("Deployment")["referral-api-web"]
    broken = {**deployment, "spec": {**deployment["spec"], "replicas": "three"}}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, KUBERNETES_VERSION, strict=True)


def test_every_kind_the_platform_needs_is_there():
    kinds = {(doc["kind"], doc["metadata"]["name"]) for doc in _documents()}
    for expected in [
        ("Deployment", "referral-api-web"),
        ("Deployment", "referral-api-worker"),
        ("Deployment", "referral-api-beat"),
        ("Job", "referral-api-migrate"),
        ("PodDisruptionBudget", "referral-api-web"),
        ("HorizontalPodAutoscaler", "referral-api-web"),
        ("NetworkPolicy", "referral-api-default-deny"),
        ("Service", "referral-api-web"),
        ("ConfigMap", "referral-api-config"),
        ("Secret", "referral-api-secrets"),
    ]:
        assert expected in kinds


def test_web_probes_healthz_and_readyz():
    (container,) = _pod(_by_kind("Deployment")["referral-api-web"])["containers"]
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"


def test_beat_is_one_replica_recreated():
    beat = _by_kind("Deployment")["referral-api-beat"]
    assert beat["spec"]["replicas"] == 1
    assert beat["spec"]["strategy"] == {"type": "Recreate"}


@pytest.mark.parametrize(
    "name", ["referral-api-web", "referral-api-worker", "referral-api-beat", "referral-api-migrate"]
)
def test_pods_are_non_root_read_only_and_take_secrets_from_secret_objects(name):
    doc = {**_by_kind("Deployment"), **_by_kind("Job")}[name]
    pod = _pod(doc)
    assert pod["securityContext"]["runAsNonRoot"] is True and pod["securityContext"]["runAsUser"] != 0
    assert pod["automountServiceAccountToken"] is False
    for container in pod["containers"]:
        security = container["securityContext"]
        assert security["readOnlyRootFilesystem"] is True
        assert security["allowPrivilegeEscalation"] is False
        assert security["capabilities"]["drop"] == ["ALL"]
        env = {item["name"]: item for item in container.get("env", [])}
        for secret in ("DJANGO_SECRET_KEY", "FIELD_ENCRYPTION_KEYS", "BLIND_INDEX_KEY", "DATABASE_URL"):
            assert env[secret]["valueFrom"]["secretKeyRef"]["name"] == "referral-api-secrets"
        # Only the migration Job holds the owner's credentials.
        assert ("DATABASE_OWNER_URL" in env) == (name == "referral-api-migrate")
    config = _by_kind("ConfigMap")["referral-api-config"]["data"]
    assert not {"DJANGO_SECRET_KEY", "FIELD_ENCRYPTION_KEYS", "BLIND_INDEX_KEY", "DATABASE_URL"} & set(config)


def test_procfile_has_web_worker_beat_and_release():
    lines = dict(
        line.split(":", 1) for line in (ROOT / "Procfile").read_text().splitlines() if line and not line.startswith("#")
    )
    assert set(lines) == {"web", "worker", "beat", "release"}
    assert "gunicorn referral_api.wsgi" in lines["web"]
    assert "celery -A referral_api worker" in lines["worker"]
    assert "celery -A referral_api beat" in lines["beat"]
    assert "manage.py migrate" in lines["release"]


def test_dockerfile_is_multi_stage_non_root_with_the_pinned_requirements():
    text = (ROOT / "Dockerfile").read_text()
    assert text.count("\nFROM ") + text.startswith("FROM ") >= 2
    assert "COPY requirements.txt" in text  # the same pinned runtime requirements
    users = [line.split()[1] for line in text.splitlines() if line.startswith("USER ")]
    assert users and users[-1] not in ("root", "0")
