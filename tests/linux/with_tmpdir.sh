#!/usr/bin/env bash
# Runs a command with every "@TMP@" in its arguments replaced by a fresh
# empty directory, removed afterwards (for writable grants in tests).
# usage: with_tmpdir.sh COMMAND [ARGS...]
set -euo pipefail
tmp=$(mktemp -d "${TMPDIR:-/tmp}/linux_tmpdir.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
args=()
for a in "$@"; do args+=("${a//@TMP@/$tmp}"); done
"${args[@]}"
