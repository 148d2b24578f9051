#!/usr/bin/env bash
# Builds rvvm for AArch64 (cross, warnings are errors) and runs its test suite
# under qemu-aarch64 user-mode emulation, on an x86-64 Debian host.
#
#   bash scripts/test-aarch64.sh [meson test options]
#   bash scripts/test-aarch64.sh --resume-only   # only the cross-host resume checks
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
#
# The translation tier (docs/jit.md) is on: the AArch64 rvrun loads the arm64
# libgccjit under qemu-aarch64, and the code it translates to is AArch64 code.
# libgccjit0:arm64 cannot be installed next to the amd64 toolchain (it depends
# on binutils:arm64, which apt would install by removing binutils, gcc and
# everything built on them), so its two packages are downloaded and unpacked
# into build-aarch64-gccjit/root instead; the libraries it needs are installed
# (multiarch). The guest's loader finds libgccjit.so.0 through a link in the
# arm64 multiarch directory. At run time libgccjit runs the `as` and `ld` of
# binutils-aarch64-linux-gnu, x86-64 programs that target AArch64
# (/usr/aarch64-linux-gnu/bin; without PATH, through links in the tool
# directory beside the library link, /usr/lib/aarch64-linux-gnu/bin), and
# links with the crt files of libgcc-12-dev:arm64 and libc6-dev:arm64.
#
# Then cross-host resume: snapshots written by the x86-64 rvrun (build/) are
# resumed by the AArch64 one (build-aarch64/, started with qemu-aarch64, no
# binfmt needed) and the other way round, plain, zstd and as diff chains whose
# links alternate between the hosts; each split run must give the stdout and
# state digest of the unsplit x86-64 run. Programs: the split-equivalence
# guests of tests/snapshot (snap_state does floating point in every rounding
# mode) and, when built, the glibc floating-point program tests/linux floats and the
# threaded programs tests/threads condvar and pipebig, and the dynamically linked
# tests/dynamic floats and filemap (with RVVM_SYSROOT=/usr/riscv64-linux-gnu).
set -euo pipefail
cd "$(dirname "$0")/.."
resume_only=false
if [ "${1:-}" = "--resume-only" ]; then
  resume_only=true
  shift
fi
bash scripts/deps.sh

sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)
export DEBIAN_FRONTEND=noninteractive
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
  "${sudo[@]}" dpkg --add-architecture arm64
  "${sudo[@]}" apt-get update -qq
fi
# install_missing PACKAGE...: apt-get installs those dpkg does not have.
install_missing() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "test-aarch64: installing ${missing[*]}"
    "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}
install_missing gcc-aarch64-linux-gnu libelf-dev:arm64 libssl-dev:arm64 libzstd-dev:arm64 \
  libxxhash-dev:arm64 libcmocka-dev:arm64

# The translation tier: libgccjit for arm64, unpacked (see above).
install_missing binutils-aarch64-linux-gnu libgcc-12-dev:arm64 libgmp10:arm64 libisl23:arm64 \
  libmpc3:arm64 libmpfr6:arm64 zlib1g:arm64 libzstd1:arm64
jit_dir=$PWD/build-aarch64-gccjit
jit_root=$jit_dir/root
jit_inc=$jit_root/usr/lib/gcc/aarch64-linux-gnu/12/include
jit_lib=$jit_root/usr/lib/aarch64-linux-gnu
if [ ! -e "$jit_inc/libgccjit.h" ] || [ ! -e "$jit_lib/libgccjit.so.0" ]; then
  rm -rf "$jit_dir"
  mkdir -p "$jit_dir/debs"
  echo "test-aarch64: unpacking libgccjit0:arm64 and libgccjit-12-dev:arm64 into $jit_root"
  (cd "$jit_dir/debs" && apt-get download -qq libgccjit0:arm64 libgccjit-12-dev:arm64 2>/dev/null)
  for deb in "$jit_dir"/debs/*.deb; do dpkg-deb -x "$deb" "$jit_root"; done
fi
[ -e "$jit_inc/libgccjit.h" ] && [ -e "$jit_lib/libgccjit.so.0" ] ||
  { echo "test-aarch64: libgccjit for arm64 is missing from $jit_root" >&2; exit 1; }
# A machine file that tells meson.build where the header is.
printf "[properties]\ngccjit_include = '%s'\n" "$jit_inc" > "$jit_dir/gccjit.ini"
# The arm64 loader searches its multiarch directory: a link there, to the
# unpacked library, is found without any environment. (LD_LIBRARY_PATH given to
# AArch64 programs through QEMU_SET_ENV was lost by the tests that run rvrun
# with an empty environment, env -i, and overrode the install test's own
# LD_LIBRARY_PATH.)
if [ ! -e /usr/lib/aarch64-linux-gnu/libgccjit.so.0 ]; then
  "${sudo[@]}" ln -s "$jit_lib/libgccjit.so.0" /usr/lib/aarch64-linux-gnu/libgccjit.so.0
fi
# Loaded from there without PATH, libgccjit's driver looks for its assembler
# and linker in the tool directory beside it, /usr/lib/aarch64-linux-gnu/bin,
# and then in /bin, where it would find the x86-64 `as` ("unrecognized option
# '-EL'"). Links there to the AArch64 binutils. (On an AArch64 host /bin/as is
# the right one.)
for tool in as ld; do
  if [ ! -e "/usr/lib/aarch64-linux-gnu/bin/$tool" ]; then
    "${sudo[@]}" mkdir -p /usr/lib/aarch64-linux-gnu/bin
    "${sudo[@]}" ln -s "/usr/aarch64-linux-gnu/bin/$tool" "/usr/lib/aarch64-linux-gnu/bin/$tool"
  fi
done

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

# (A build directory set up before the tier and the loader change came to this
# script is set up again: its stored exe_wrapper used -L.)
if [ -f build-aarch64/build.ninja ] && [ -e build-aarch64/.setup-tier ]; then
  meson configure build-aarch64 -Dwerror=true >/dev/null
else
  rm -rf build-aarch64
  meson setup build-aarch64 --cross-file scripts/aarch64-cross.ini \
    --cross-file "$jit_dir/gccjit.ini" -Dwerror=true >/dev/null
  touch build-aarch64/.setup-tier
fi
ninja -C build-aarch64 >/dev/null
grep -q RVVM_HAVE_GCCJIT build-aarch64/build.ninja ||
  { echo "test-aarch64: the AArch64 build has no translation tier" >&2; exit 1; }
# The tier works under qemu-aarch64: code gets translated, by the arm64
# libgccjit assembling with the AArch64 `as` (qemu-aarch64 runs only AArch64
# code, so translated code that ran is AArch64 code). Without this, a tier that
# silently interprets (libgccjit not loading) would fail only the isa-jit tests.
ninja -C build-aarch64 tests/guests/sort.elf >/dev/null
jit_log=$(qemu-aarch64 -strace build-aarch64/rvrun --engine jit --jit-sync --jit-stats \
  build-aarch64/tests/guests/sort.elf 2>&1 >/dev/null)
# (-strace output and rvrun's own lines share stderr: a line may start with a syscall.)
jit_runs=$(grep -o 'rvrun: jit: [0-9]* runs translated' <<<"$jit_log" | grep -o '[0-9]\+' | head -1)
jit_as=$(grep -o 'execve("[^"]*/as"' <<<"$jit_log" | head -1 | sed 's/^execve("//; s/"$//')
if [ -z "$jit_runs" ] || [ "$jit_runs" = 0 ] || [ -z "$jit_as" ] ||
   ! "$jit_as" --version 2>/dev/null | grep -q aarch64; then
  echo "test-aarch64: the translation tier does not work under qemu-aarch64" \
       "(runs translated: '${jit_runs}', assembler: '${jit_as}')" >&2
  exit 1
fi
echo "test-aarch64: tier on: sort.elf, $jit_runs runs translated; assembler $(realpath "$jit_as")"
# AArch64 programs (binfmt or not) load ld.so, libc and libraries from the arm64
# multiarch root (libc6:arm64), not from /usr/aarch64-linux-gnu: see aarch64-cross.ini.
unset QEMU_LD_PREFIX
status=0
if ! $resume_only; then
  # Timeouts x5: libgccjit's compiler runs emulated (as and ld are native), so
  # the isa-jit tests take 3-60 s instead of 1-16 s.
  #
  # Split-equivalence tests that make thousands of machines grow past 12 GB
  # resident under qemu-aarch64 (snap-eq-jitfile-compute_atomic: 13.2 GB after
  # 9.5 min; the same test on x86-64 peaks at 322 MB in 36 s; snap-eq-many_pages,
  # no tier, was killed at 12.3 GB on 2026-12-06): two at once exhausted this
  # 23 GB host and the kernel killed one. They run last, one at a time. Arguments select tests as for meson test (--suite, names); options
  # other than --suite and --no-suite are passed on to both runs.
  list_args=() run_args=()
  while [ $# -gt 0 ]; do
    case $1 in
      --suite | --no-suite) list_args+=("$1" "$2"); shift 2 ;;
      --num-processes | --timeout-multiplier | --setup | --repeat | --wrapper | --test-args | --logbase)
        run_args+=("$1" "$2"); shift 2 ;;
      --suite=* | --no-suite=* | [!-]*) list_args+=("$1"); shift ;;
      *) run_args+=("$1"); shift ;;
    esac
  done
  mapfile -t listed < <(meson test -C build-aarch64 --list "${suites[@]}" "${list_args[@]}" 2>/dev/null |
                        sed -n 's|^.* / ||p')
  light=() heavy=()
  for t in "${listed[@]}"; do
    case $t in
      snap-eq-jit-compute_atomic | snap-eq-mixed-compute_atomic | snap-eq-jitfile-compute_atomic | \
        snap-eq-many_pages) heavy+=("$t") ;;
      *) light+=("$t") ;;
    esac
  done
  if [ ${#light[@]} -gt 0 ]; then
    meson test -C build-aarch64 --num-processes "$(nproc)" --timeout-multiplier 5 \
      "${run_args[@]}" "${light[@]}" || status=$?
  fi
  if [ ${#heavy[@]} -gt 0 ]; then
    meson test -C build-aarch64 --timeout-multiplier 5 "${run_args[@]}" --num-processes 1 \
      "${heavy[@]}" || status=$?
  fi
fi

# ---- cross-host resume -----------------------------------------------------------
bash scripts/build.sh >/dev/null # the x86-64 rvrun and the guests (build/)
ninja -C build tests/snapshot/snap_state.elf >/dev/null
x86=$PWD/build/rvrun
arm=(qemu-aarch64 "$PWD/build-aarch64/rvrun")
tmp=$(mktemp -d "${TMPDIR:-/tmp}/rvvm-xhost.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fails=0
xfail() { echo "FAIL: $*"; fails=$((fails + 1)); }
digest() { sed -n 's/.*"state_digest": "\([0-9a-f]*\)".*/\1/p' "$1"; }
cycles() { sed -n 's/.*"cycles": \([0-9]*\).*/\1/p' "$1"; }
# host NAME: the rvrun command of a host
host() { if [ "$1" = x86 ]; then echo "$x86"; else echo "${arm[*]}"; fi; }

programs=(build/tests/guests/compute_atomic.elf build/tests/guests/many_pages.elf
          build/tests/guests/output_heavy.elf build/tests/snapshot/snap_state.elf)
[ -e build/tests/linux/floats.elf ] && programs+=(build/tests/linux/floats.elf)
# Threads, futexes and pipes: a writer blocked part-way through a large pipe write, buffered
# pipe bytes and the scheduler's state cross the hosts too.
for t in condvar pipebig; do
  [ -e "build/tests/threads/threads_$t.elf" ] && programs+=("build/tests/threads/threads_$t.elf")
done
# Dynamically linked PIEs: ld.so and libc are re-read from the sysroot on the other host.
for t in floats filemap; do
  [ -e "build/tests/dynamic/dyn_$t.elf" ] && programs+=("build/tests/dynamic/dyn_$t.elf")
done
for prog in "${programs[@]}"; do
  prog=$(realpath "$prog")
  name=$(basename "$prog" .elf)
  # rvrun reads RVVM_SYSROOT (qemu-aarch64 passes the environment on).
  case $name in
    dyn_*) export RVVM_SYSROOT=/usr/riscv64-linux-gnu ;;
    *) unset RVVM_SYSROOT ;;
  esac
  (cd "$tmp" && "$x86" --report whole.json "$prog" > whole.out) || xfail "$name: whole run"
  total=$(cycles "$tmp/whole.json")
  want=$(digest "$tmp/whole.json")
  # Two-part splits in both directions, plain and zstd.
  for dir in x86:arm arm:x86; do
    a=${dir%:*} b=${dir#*:}
    for z in "" --snapshot-compress; do
      rm -f "$tmp"/*.snap
      (cd "$tmp" && $(host "$a") --max-cycles $((total / 2)) --snapshot s.snap $z "$prog" > split.out) ||
        [ $? -eq 124 ] || xfail "$name: $a could not save"
      (cd "$tmp" && $(host "$b") --resume s.snap --report split.json >> split.out) ||
        xfail "$name: $b could not resume $a's snapshot"
      cmp -s "$tmp/whole.out" "$tmp/split.out" || xfail "$name: $a -> $b${z:+ (zstd)}: stdout differs"
      [ "$(digest "$tmp/split.json")" = "$want" ] || xfail "$name: $a -> $b${z:+ (zstd)}: digest differs"
    done
  done
  # A chain whose links alternate between the hosts: x86 full, arm diff, x86 diff, arm end.
  rm -f "$tmp"/*.snap
  step=$((total / 4 + 1))
  (cd "$tmp" && "$x86" --max-cycles $step --snapshot c0.snap "$prog" > chain.out) || true
  (cd "$tmp" && "${arm[@]}" --resume c0.snap --max-cycles $step --snapshot c1.snap \
      --snapshot-parent c0.snap >> chain.out) || true
  (cd "$tmp" && "$x86" --resume c1.snap --max-cycles $step --snapshot c2.snap \
      --snapshot-parent c1.snap --snapshot-compress >> chain.out) || true
  (cd "$tmp" && "${arm[@]}" --resume c2.snap --report chain.json >> chain.out) ||
    xfail "$name: the alternating chain did not finish"
  cmp -s "$tmp/whole.out" "$tmp/chain.out" || xfail "$name: alternating chain: stdout differs"
  [ "$(digest "$tmp/chain.json")" = "$want" ] || xfail "$name: alternating chain: digest differs"
  echo "cross-host resume: $name done"
done
echo "cross-host resume: ${#programs[@]} programs, $fails failures"
[ $fails -eq 0 ] || status=1
exit $status
