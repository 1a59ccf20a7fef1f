#!/usr/bin/env bash
# Puts the jars of a real Apache Cassandra server (from Maven Central) into
# tools/cassandra/target/lib, once. Idempotent: does nothing if jars are already there.
# Prints the absolute lib dir on stdout (and nothing else), so callers can capture it.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
lib="$here/target/lib"

has_jars() { compgen -G "$lib/*.jar" > /dev/null; }

if ! has_jars; then
  mkdir -p "$here/target"
  # Parallel test JVMs on a fresh clone may all call this; let one fetch, the rest wait.
  if command -v flock > /dev/null; then
    exec 9> "$here/target/.fetch.lock"
    flock 9
  fi
  if ! has_jars; then
    # Copy into a temp dir and rename, so an interrupted fetch never leaves a half-filled
    # lib dir that later runs would mistake for a complete one.
    tmp="$here/target/lib.tmp.$$"
    rm -rf "$tmp"
    trap 'rm -rf "$tmp"' EXIT
    mvn -q -B -Dstyle.color=never -f "$here/pom.xml" \
      dependency:copy-dependencies -DoutputDirectory="$tmp" >&2
    rm -rf "$lib"
    mv "$tmp" "$lib"
  fi
fi

echo "$lib"
