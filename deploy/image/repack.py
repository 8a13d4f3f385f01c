#!/usr/bin/env python3
"""Rewrites the layers of a Jib image tarball (docker-save layout) without PAX extended headers.

Jib marks every layer entry with PAX records (mtime, atime, ctime, LIBARCHIVE.creationtime) to pin its times; GNU
tar, which is what people unpack images with to look inside, warns once per file about the LIBARCHIVE keyword.
The entries are rewritten in GNU format with the same names, modes, owners, contents and modification time (Jib's
fixed epoch+1 s), gzip without a timestamp, so the image stays reproducible. Layer digests, the config's diff_ids and
the manifest are recomputed. Usage: repack.py IMAGE_TAR (rewritten in place).
"""
import gzip
import hashlib
import io
import json
import os
import sys
import tarfile
import tempfile


def repack_layer(data):
    src = tarfile.open(fileobj=io.BytesIO(gzip.decompress(data)), mode="r:")
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w:", format=tarfile.GNU_FORMAT) as out:
        for member in src.getmembers():
            member.pax_headers = {}
            member.mtime = int(member.mtime)
            out.addfile(member, src.extractfile(member) if member.isfile() else None)
    uncompressed = raw.getvalue()
    compressed = io.BytesIO()
    with gzip.GzipFile(fileobj=compressed, mode="wb", mtime=0, filename="") as gz:
        gz.write(uncompressed)
    return hashlib.sha256(uncompressed).hexdigest(), compressed.getvalue()


def main(path):
    with tarfile.open(path) as image:
        files = {m.name: image.extractfile(m).read() for m in image.getmembers() if m.isfile()}
    manifest = json.loads(files["manifest.json"])
    config_name = manifest[0]["Config"]
    config = json.loads(files[config_name])
    layers, diff_ids = [], []
    for name in manifest[0]["Layers"]:
        diff_id, blob = repack_layer(files.pop(name))
        digest = hashlib.sha256(blob).hexdigest()
        layers.append(digest + ".tar.gz")
        diff_ids.append("sha256:" + diff_id)
        files[digest + ".tar.gz"] = blob
    config["rootfs"]["diff_ids"] = diff_ids
    files[config_name] = json.dumps(config, separators=(",", ":")).encode()
    manifest[0]["Layers"] = layers
    files["manifest.json"] = json.dumps(manifest, separators=(",", ":")).encode()
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(os.path.abspath(path)), suffix=".tar")
    with os.fdopen(fd, "wb") as f, tarfile.open(fileobj=f, mode="w:", format=tarfile.GNU_FORMAT) as out:
        for name in layers + [config_name, "manifest.json"]:
            info = tarfile.TarInfo(name)
            info.size = len(files[name])
            info.mode = 0o644
            out.addfile(info, io.BytesIO(files[name]))
    os.replace(tmp, path)
    print("repack.py: %s rewritten: %d layers without PAX headers" % (path, len(layers)))


if __name__ == "__main__":
    main(sys.argv[1])
