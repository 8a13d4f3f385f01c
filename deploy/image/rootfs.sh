#!/usr/bin/env bash
# Builds the image's root filesystem under $1 (herald-app/target/image-rootfs): a jlinked Java runtime from the
# local JDK in /opt/java, the glibc libraries it and the SQLite driver load (copied from this build host, found
# with ldd), and a world-writable /tmp. Jib layers this directory onto "scratch", so no base image and no
# registry other than Maven Central is needed. Run by `./mvnw -Pimage …` (see herald-app/pom.xml).
set -euo pipefail
out=${1:?usage: rootfs.sh <output-dir>}
jdk=${JAVA_HOME:?JAVA_HOME must point at a JDK 25}
modules=java.base,java.logging,java.management,java.naming,java.net.http,java.sql,java.xml,java.desktop,java.instrument,java.security.jgss,java.security.sasl,jdk.crypto.cryptoki,jdk.management,jdk.unsupported,jdk.zipfs,jdk.naming.dns,jdk.localedata
rm -rf "$out"
mkdir -p "$out/opt" "$out/tmp" "$out/etc" "$out/data"
"$jdk/bin/jlink" --add-modules "$modules" --output "$out/opt/java" \
  --strip-debug --no-header-files --no-man-pages --compress=zip-6 --include-locales=en
# Every shared library the runtime links against (AWT's X11/ALSA ones excepted: Herald is headless), plus the
# loader; libstdc++/libgcc for the SQLite driver.
libs=$( { find "$out/opt/java" -name '*.so' ! -name 'libawt*' ! -name 'libfontmanager*' ! -name 'libjsound*' \
    ! -name 'libsplashscreen*' ! -name 'liblcms*' ! -name 'libjavajpeg*' ! -name 'libmlib*' -exec ldd {} \; ; ldd "$out/opt/java/bin/java"; } 2>/dev/null \
  | awk '/=> \//{print $3} /^\s*\/lib/{print $1}' | grep -v -E 'libX|libxcb|libasound|libbsd|libmd\.' \
  | grep -v -F "$out/" | sort -u)  # the runtime's own libraries are in place already
for lib in $libs /lib64/ld-linux-x86-64.so.2 $(ls /lib/x86_64-linux-gnu/libstdc++.so.6 /lib/x86_64-linux-gnu/libgcc_s.so.1 2>/dev/null); do
  real=$(readlink -f "$lib")
  mkdir -p "$out$(dirname "$lib")"
  cp -L "$real" "$out$lib"
done
# Name resolution and a non-root user (65532) without a shell.
printf 'hosts: files dns\n' > "$out/etc/nsswitch.conf"
printf 'root:x:0:0:root:/:/sbin/nologin\nherald:x:65532:65532:herald:/tmp:/sbin/nologin\n' > "$out/etc/passwd"
printf 'root:x:0:\nherald:x:65532:\n' > "$out/etc/group"
echo "rootfs.sh: runtime and $(echo "$libs" | wc -w) libraries in $out"
