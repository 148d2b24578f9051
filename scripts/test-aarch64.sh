#!/usr/bin/env bash
# Builds rvvm for AArch64 (cross, warnings are errors) and runs its test suite
# under qemu-aarch64 user-mode emulation, on an x86-64 Debian host.
#
#   bash scripts/test-aarch64.sh [meson test options]
#
# Installs what is missing: the cross compiler, the arm64 builds of rvvm's
# libraries (this adds the arm64 architecture to dpkg) and qemu-user. Tests
# that meson starts itself run through qemu-aarch64 (the cross file's
# exe_wrapper); the shell-script tests start build-aarch64/rvrun directly,
# which needs the kernel to hand AArch64 binaries to qemu-aarch64
# (binfmt_misc). The script registers that if it can; if it cannot, it runs
# only the suites that need no script (unit, isa, isa-qemu, softfp).
# Not part of scripts/test.sh: it takes about 4 minutes more and changes the
# machine's package architectures.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh

sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)
export DEBIAN_FRONTEND=noninteractive
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
  "${sudo[@]}" dpkg --add-architecture arm64
  "${sudo[@]}" apt-get update -qq
fi
arm_packages=(gcc-aarch64-linux-gnu libelf-dev:arm64 libssl-dev:arm64 libzstd-dev:arm64
              libxxhash-dev:arm64 libcmocka-dev:arm64)
missing=()
for p in "${arm_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "test-aarch64: installing ${missing[*]}"
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Let the kernel run AArch64 executables through qemu-aarch64 (flag F: the
# interpreter is opened now, so it also works inside other mount namespaces).
binfmt=/proc/sys/fs/binfmt_misc
if [ ! -e "$binfmt/register" ]; then
  "${sudo[@]}" mount binfmt_misc -t binfmt_misc "$binfmt" 2>/dev/null || true
fi
if [ -e "$binfmt/register" ] && [ ! -e "$binfmt/qemu-aarch64" ]; then
  magic='\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\xb7\x00'
  mask='\xff\xff\xff\xff\xff\xff\xff\x00\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff'
  echo ":qemu-aarch64:M::$magic:$mask:/usr/bin/qemu-aarch64:F" |
    "${sudo[@]}" tee "$binfmt/register" >/dev/null 2>&1 || true
fi
suites=()
if [ ! -e "$binfmt/qemu-aarch64" ]; then
  echo "test-aarch64: binfmt_misc unavailable; running the suites meson starts itself" >&2
  suites=(--suite unit --suite isa --suite isa-qemu --suite softfp)
fi

if [ -f build-aarch64/build.ninja ]; then
  meson configure build-aarch64 -Dwerror=true >/dev/null
else
  meson setup build-aarch64 --cross-file scripts/aarch64-cross.ini -Dwerror=true >/dev/null
fi
ninja -C build-aarch64 >/dev/null
export QEMU_LD_PREFIX=/usr/aarch64-linux-gnu # for AArch64 programs started through binfmt
meson test -C build-aarch64 --num-processes "$(nproc)" "${suites[@]}" "$@"
