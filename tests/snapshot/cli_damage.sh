#!/bin/bash
# rvrun with bad snapshots and bad programs: each bad case exits 125 with
# exactly one line on stderr and nothing on stdout; --program pointing at a
# moved copy of the program works.
#
#   cli_damage.sh RVRUN compute_atomic.elf
set -u
RVRUN=$(realpath "$1") CA=$(realpath "$2")
. "$(dirname "$0")/lib.sh"

BUDGET=200000

# expect_125 NAME CMD...: CMD exits 125, one stderr line, empty stdout.
expect_125() {
    local name=$1
    shift
    "$@" > "$work/out" 2> "$work/err" < /dev/null
    local st=$?
    check "$name: exit status 125 (got $st)" [ "$st" -eq 125 ]
    check "$name: exactly one line on stderr: $(head -c 300 "$work/err" | tr '\n' '|')" \
        one_line "$work/err"
    check "$name: message starts with 'rvrun: '" grep -q '^rvrun: ' "$work/err"
    check "$name: nothing on stdout" [ ! -s "$work/out" ]
}

# The program lives in its own directory, so it can be moved, changed, deleted.
mkdir -p "$work/prog" "$work/moved"
cp "$CA" "$work/prog/ca.elf"
"$RVRUN" --report "$work/ref.json" "$work/prog/ca.elf" > "$work/ref.out"
check "unsplit reference run exits 0" [ $? -eq 0 ]
"$RVRUN" --max-cycles "$BUDGET" --snapshot "$work/good.snap" "$work/prog/ca.elf" > "$work/head.out"
check "the cut run exits 124" [ $? -eq 124 ]
size=$(stat -c %s "$work/good.snap")

# Control: the good snapshot resumes and completes the run.
"$RVRUN" --resume "$work/good.snap" --report "$work/r.json" > "$work/tail.out"
check "control: the good snapshot resumes and exits 0" [ $? -eq 0 ]
check "control: head + tail output equals the unsplit output" \
    cmp -s <(cat "$work/head.out" "$work/tail.out") "$work/ref.out"
check "control: same state digest" \
    same "$(report_field "$work/r.json" state_digest)" "$(report_field "$work/ref.json" state_digest)"

# Damaged: one byte flipped in the header, the cpu section, the page data, the checksum.
for off in 12 200 $((size / 2)) $((size - 1)); do
    cp "$work/good.snap" "$work/bad.snap"
    flip_byte "$work/bad.snap" "$off"
    expect_125 "resume, byte $off flipped" "$RVRUN" --resume "$work/bad.snap"
    expect_125 "inspect, byte $off flipped" "$RVRUN" --inspect "$work/bad.snap"
    expect_125 "inspect --json, byte $off flipped" "$RVRUN" --inspect "$work/bad.snap" --json
done

# Truncated.
for len in 0 7 31 64 1000 $((size - 32)) $((size - 1)); do
    head -c "$len" "$work/good.snap" > "$work/short.snap"
    expect_125 "resume, truncated to $len bytes" "$RVRUN" --resume "$work/short.snap"
    expect_125 "inspect, truncated to $len bytes" "$RVRUN" --inspect "$work/short.snap"
done
# Not a snapshot at all; a directory; no file.
head -c 5000 "$CA" > "$work/elf.snap"
expect_125 "resume an ELF file" "$RVRUN" --resume "$work/elf.snap"
expect_125 "resume a directory" "$RVRUN" --resume "$work"
expect_125 "resume a missing file" "$RVRUN" --resume "$work/none.snap"
expect_125 "inspect a missing file" "$RVRUN" --inspect "$work/none.snap"

# The program moved: missing at the recorded path; --program finds the copy.
mv "$work/prog/ca.elf" "$work/moved/ca.elf"
expect_125 "resume, program missing" "$RVRUN" --resume "$work/good.snap"
"$RVRUN" --resume "$work/good.snap" --program "$work/moved/ca.elf" --report "$work/m.json" \
    > "$work/tail2.out" 2> "$work/err"
check "resume --program at the moved copy exits 0" [ $? -eq 0 ]
check "resume --program: head + tail output equals the unsplit output" \
    cmp -s <(cat "$work/head.out" "$work/tail2.out") "$work/ref.out"
for f in cycles instructions state_digest; do
    check "resume --program: $f equals the unsplit run's" \
        same "$(report_field "$work/m.json" $f)" "$(report_field "$work/ref.json" $f)"
done
# A relative --program path works too.
(cd "$work/moved" && "$RVRUN" --resume "$work/good.snap" --program ca.elf > "$work/tail3.out")
check "resume --program with a relative path exits 0" [ $? -eq 0 ]
check "resume --program relative: same output" cmp -s "$work/tail2.out" "$work/tail3.out"
# A snapshot saved from the moved copy names the new path.
"$RVRUN" --resume "$work/good.snap" --program "$work/moved/ca.elf" --max-cycles 1000 \
    --snapshot "$work/moved.snap" > /dev/null
"$RVRUN" --inspect "$work/moved.snap" --json > "$work/moved.json"
check "a snapshot saved after --program records the new path" \
    same "$(json_field "$work/moved.json" program)" "$work/moved/ca.elf"

# The program changed: one byte differs at the recorded path / at --program.
cp "$work/moved/ca.elf" "$work/prog/ca.elf"
flip_byte "$work/prog/ca.elf" $(($(stat -c %s "$work/prog/ca.elf") - 1))
expect_125 "resume, program's hash differs" "$RVRUN" --resume "$work/good.snap"
expect_125 "resume --program at a changed copy" \
    "$RVRUN" --resume "$work/good.snap" --program "$work/prog/ca.elf"
expect_125 "resume --program at a missing file" \
    "$RVRUN" --resume "$work/good.snap" --program "$work/nowhere.elf"
expect_125 "resume --program at a directory" \
    "$RVRUN" --resume "$work/good.snap" --program "$work/moved"

# A crafted file with a valid checksum: the OS section's working directory
# "/" changed to ".". Expected: 125 and one line naming '.'.
# Regression check for a use after free found by test_damage: rv_os_parse()
# (src/linux/os_snapshot.c) freed its state before formatting the message,
# which prints the path: garbage in the message, and SIGSEGV (exit 139) with
# MALLOC_PERTURB_ set, as below.
cp "$work/good.snap" "$work/same.snap"
reseal "$work/same.snap"
check "control: reseal of an unchanged snapshot changes nothing" \
    cmp -s "$work/good.snap" "$work/same.snap"
cp "$work/good.snap" "$work/cwd.snap"
os=$(section_body "$work/cwd.snap" 4)
# After the 4 layout words and 32 bytes of other state: u32 length, bytes.
len=$(od -An -tu4 -j $((os + 64)) -N 4 "$work/cwd.snap" | tr -d ' ')
ch=$(od -An -c -j $((os + 68)) -N 1 "$work/cwd.snap" | tr -d ' ')
if [ "$len" != 1 ] || [ "$ch" != / ]; then
    fail "OS section: working directory '/' not found where expected (format changed?)"
else
    put_byte "$work/cwd.snap" $((os + 68)) 46
    reseal "$work/cwd.snap"
    for cmd in --inspect --resume; do
        MALLOC_PERTURB_=165 expect_125 "crafted OS section: $cmd, cwd '.'" \
            "$RVRUN" $cmd "$work/cwd.snap"
        check "crafted OS section: $cmd names the bad directory '.'" \
            grep -q "directory '\.'" "$work/err"
    done
fi

# Usage errors around snapshots.
expect_125 "--program without --resume" "$RVRUN" --program "$CA" "$CA"
expect_125 "--resume with a program argument" "$RVRUN" --resume "$work/good.snap" "$CA"
expect_125 "--resume with --cost-model" "$RVRUN" --resume "$work/good.snap" --cost-model weighted
expect_125 "--inspect with --resume" "$RVRUN" --inspect "$work/good.snap" --resume "$work/good.snap"
# A snapshot that cannot be written: the run still stops at its budget, rvrun reports it.
expect_125 "--snapshot into a missing directory" \
    "$RVRUN" --max-cycles 1000 --snapshot "$work/no/such/dir/x.snap" "$work/moved/ca.elf"
check "no temporary files left" no_temp_files "$work"

finish
