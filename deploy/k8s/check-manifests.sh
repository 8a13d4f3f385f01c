#!/usr/bin/env bash
# Validates the manifests as YAML and checks what Herald relies on: 2+ replicas, probes on /health and /ready,
# a termination grace longer than HERALD_SHUTDOWN_GRACE, the JDBC URL and admin token from a Secret, and a
# Service selecting the Deployment's pods. (No cluster here, so no `kubectl --dry-run=server`.)
set -euo pipefail
cd "$(dirname "$0")"
python3 - <<'PY'
import re, yaml
docs = {}
for name in ["configmap.yaml", "deployment.yaml", "service.yaml", "secret.example.yaml", "kustomization.yaml"]:
    with open(name) as f:
        for doc in yaml.safe_load_all(f):
            assert doc.get("kind"), name + ": no kind"
            assert doc.get("apiVersion"), name + ": no apiVersion"
            docs[doc["kind"]] = doc
d = docs["Deployment"]["spec"]
assert d["replicas"] >= 2, "cluster mode runs at least 2 replicas"
pod = d["template"]["spec"]
c = pod["containers"][0]
assert c["livenessProbe"]["httpGet"]["path"] == "/health"
assert c["readinessProbe"]["httpGet"]["path"] == "/ready"
env = {e["name"]: e for e in c["env"]}
for key in ["HERALD_STORE", "HERALD_ADMIN_TOKEN"]:
    ref = env[key]["valueFrom"]["secretKeyRef"]
    assert ref["name"] == docs["Secret"]["metadata"]["name"] and ref["key"] in docs["Secret"]["stringData"], key
grace = docs["ConfigMap"]["data"]["HERALD_SHUTDOWN_GRACE"]
seconds = int(re.fullmatch(r"(\d+)s", grace).group(1))
assert pod["terminationGracePeriodSeconds"] > seconds + c["lifecycle"]["preStop"]["sleep"]["seconds"], "grace too short"
assert docs["Service"]["spec"]["selector"].items() <= d["template"]["metadata"]["labels"].items()
assert d["selector"]["matchLabels"].items() <= d["template"]["metadata"]["labels"].items()
assert "HERALD_STORE" not in docs["ConfigMap"]["data"] and "HERALD_ADMIN_TOKEN" not in docs["ConfigMap"]["data"]
print("check-manifests.sh: %d manifests valid" % len(docs))
PY
