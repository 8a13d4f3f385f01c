#!/usr/bin/env bash
# Checks that an image tarball (default herald-app/target/herald-image.tar) is a loadable Docker/OCI image
# archive: manifest.json names a config and layers that exist in the tar, the config is an image config with
# the expected entrypoint, and the layers hold the Java runtime, the glibc loader and Herald's jars.
set -euo pipefail
tar_file=${1:-herald-app/target/herald-image.tar}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tar -xf "$tar_file" -C "$work"
python3 - "$work" <<'PY'
import json, os, sys, tarfile
root = sys.argv[1]
manifest = json.load(open(os.path.join(root, "manifest.json")))
assert isinstance(manifest, list) and len(manifest) == 1, "manifest.json must list exactly one image"
image = manifest[0]
assert image.get("RepoTags"), "image has no tag"
config = json.load(open(os.path.join(root, image["Config"])))
assert config["os"] == "linux" and config["architecture"] == "amd64", config.get("architecture")
entrypoint = config["config"]["Entrypoint"]
assert entrypoint[0] == "/opt/java/bin/java" and "dev.herald.app.Main" in entrypoint, entrypoint
assert len(image["Layers"]) == len(config["rootfs"]["diff_ids"]) >= 2, "layers and diff_ids disagree"
names = set()
for layer in image["Layers"]:
    with tarfile.open(os.path.join(root, layer)) as t:
        names.update(m.name.lstrip("./").lstrip("/") for m in t.getmembers())
for required in ["opt/java/bin/java", "opt/java/lib/server/libjvm.so", "lib64/ld-linux-x86-64.so.2",
                 "lib/x86_64-linux-gnu/libc.so.6", "app/jib-classpath-file"]:
    assert required in names, "missing " + required
assert any(n.startswith("app/libs/") and "sqlite-jdbc" in n for n in names), "missing the SQLite driver jar"
assert any(n.startswith("app/classes/dev/herald/app/Main") for n in names) or any("herald-app" in n for n in names), "missing Herald"
print("check-image.sh: %s is a valid image archive: %s, %d layers, entrypoint %s"
      % (sys.argv[1], image["RepoTags"][0], len(image["Layers"]), " ".join(entrypoint)))
PY
