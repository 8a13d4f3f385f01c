#!/usr/bin/env bash
# Checks that an image tarball (default herald-app/target/herald-image.tar) is a loadable Docker/OCI image
# archive: manifest.json names a config and layers that exist in the tar, the config is an image config with
# the expected entrypoint, OCI labels and the /data volume of the SQLite store, the layers hold the Java runtime,
# the glibc loader and Herald's jars, and GNU tar reads every layer without a warning.
set -euo pipefail
tar_file=${1:-herald-app/target/herald-image.tar}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tar -xf "$tar_file" -C "$work"
for layer in "$work"/*.tar.gz; do
  warnings=$(tar -tzf "$layer" 2>&1 >/dev/null | sort | uniq -c)
  if [ -n "$warnings" ]; then
    echo "check-image.sh: GNU tar warns reading $(basename "$layer"):" >&2
    echo "$warnings" >&2
    exit 1
  fi
done
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
labels = config["config"].get("Labels") or {}
for label in ["org.opencontainers.image.version", "org.opencontainers.image.source", "org.opencontainers.image.licenses"]:
    assert labels.get(label), "missing label " + label
assert "/data" in (config["config"].get("Volumes") or {}), "no VOLUME /data for the SQLite store"
env = dict(e.split("=", 1) for e in config["config"].get("Env", []))
assert env.get("HERALD_STORE") == "sqlite:/data", "the default store is not the /data volume: " + str(env.get("HERALD_STORE"))
names = set()
modes = {}
for layer in image["Layers"]:
    with tarfile.open(os.path.join(root, layer)) as t:
        for m in t.getmembers():
            name = m.name.lstrip("./").lstrip("/")
            names.add(name)
            modes[name.rstrip("/")] = m.mode
assert modes.get("data", 0) & 0o777 == 0o777, "/data is not writable by the image's user (uid 65532)"
for required in ["opt/java/bin/java", "opt/java/lib/server/libjvm.so", "lib64/ld-linux-x86-64.so.2",
                 "lib/x86_64-linux-gnu/libc.so.6", "app/jib-classpath-file"]:
    assert required in names, "missing " + required
assert any(n.startswith("app/libs/") and "sqlite-jdbc" in n for n in names), "missing the SQLite driver jar"
assert any(n.startswith("app/classes/dev/herald/app/Main") for n in names) or any("herald-app" in n for n in names), "missing Herald"
print("check-image.sh: %s is a valid image archive: %s, %d layers, entrypoint %s"
      % (sys.argv[1], image["RepoTags"][0], len(image["Layers"]), " ".join(entrypoint)))
PY
