#!/usr/bin/env bash
# Install test (meson suite 'install'): installs the build into a temporary
# directory (DESTDIR), then builds tests/install/consumer.c *outside the
# tree*, with nothing but `pkg-config rvvm`, against the shared library and
# then against the static one, runs both, and checks that the installed
# librvvm.so exports only rvvm_* symbols.
#
#   install_test.sh BUILD_DIR CONSUMER_C CC [CFLAGS...]
set -euo pipefail
build=$1 consumer=$2 cc=$3
shift 3
work=$(mktemp -d "${TMPDIR:-/tmp}/rvvm-install.XXXXXX")
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
# Output is read whole before it is searched: with pipefail, `cmd | grep -q`
# fails when grep exits at its first match and cmd then dies of SIGPIPE
# (this happened to ldd in CI).
output_has() { grep -q -- "$1" <<<"$2"; }

meson install -C "$build" --no-rebuild --destdir "$work/root" >"$work/install.log" 2>&1 ||
  { cat "$work/install.log" >&2; fail "meson install"; }

pc=$(find "$work/root" -name rvvm.pc | head -n 1)
[ -n "$pc" ] || fail "no rvvm.pc installed"
so=$(find "$work/root" -name 'librvvm.so' | head -n 1)
[ -n "$so" ] || fail "no librvvm.so installed"
output_has . "$(find "$work/root" -name 'librvvm.a')" || fail "no librvvm.a installed"
for h in rvvm.h snapshot.h guest.h; do
  output_has . "$(find "$work/root" -path "*/include/rvvm/$h")" || fail "header rvvm/$h not installed"
done
echo "installed: ${pc#$work/root}, ${so#$work/root}"

# Relocate the installed rvvm.pc to the temporary root, as a package would be
# unpacked there: its prefix becomes ROOT/prefix. Nothing else is adjusted;
# the system's own .pc files (libelf, libcrypto, ...) are used as they are.
prefix=$(sed -n 's/^prefix=//p' "$pc")
[ -n "$prefix" ] || fail "rvvm.pc has no prefix"
sed -i "s|^prefix=.*|prefix=$work/root$prefix|" "$pc"
export PKG_CONFIG_PATH=$(dirname "$pc")${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}
pkgconf() { pkg-config "$@"; }
mkdir "$work/outside"
cp "$consumer" "$work/outside/consumer.c"
cd "$work/outside"

# Shared.
read -r -a shared_flags <<<"$(pkgconf --cflags --libs rvvm)"
"$cc" "$@" -std=c11 -Wall -Wextra -Werror consumer.c "${shared_flags[@]}" -o consumer-shared
output_has 'NEEDED.*librvvm\.so' "$(readelf -d consumer-shared)" || fail "consumer-shared does not use librvvm.so"
LD_LIBRARY_PATH=$(dirname "$so") ./consumer-shared || fail "consumer-shared"
# The program's own loader lists what it loads (--list, which ldd runs; ldd
# itself said "not a dynamic executable" to an AArch64 build under
# qemu-aarch64, and LD_TRACE_LOADED_OBJECTS there lists qemu's libraries).
interp=$(readelf -l consumer-shared | sed -n 's/.*Requesting program interpreter: \(.*\)]$/\1/p')
[ -n "$interp" ] || fail "consumer-shared names no program interpreter"
libdir=$(dirname "$so")
output_has "$work/root" "$(LD_LIBRARY_PATH=$libdir "$interp" --list ./consumer-shared)" ||
  fail "consumer-shared did not load the installed librvvm.so"

# Static: librvvm.a, with its private dependencies from `pkg-config --static`
# (the system libraries stay shared).
static_flags=()
for f in $(pkgconf --static --cflags --libs rvvm); do
  if [ "$f" = -lrvvm ]; then static_flags+=(-Wl,-Bstatic -lrvvm -Wl,-Bdynamic); else static_flags+=("$f"); fi
done
"$cc" "$@" -std=c11 -Wall -Wextra -Werror consumer.c "${static_flags[@]}" -o consumer-static
if output_has 'NEEDED.*librvvm' "$(readelf -d consumer-static)"; then fail "consumer-static needs librvvm.so"; fi
./consumer-static || fail "consumer-static"

# The shared library's ABI: only rvvm_* symbols.
nm -D --defined-only "$so" | awk '{print $3}' >"$work/exports"
n=$(wc -l <"$work/exports")
[ "$n" -gt 20 ] || fail "librvvm.so exports only $n symbols"
if grep -v '^rvvm_' "$work/exports"; then fail "librvvm.so exports the symbols above"; fi
echo "librvvm.so exports $n symbols, all rvvm_*"
echo "install test: ok"
