# Helpers shared by the snapshot shell tests (sourced, not run).

fails=0
checks=0

fail() {
    echo "FAIL: $*"
    fails=$((fails + 1))
}

ok() {
    checks=$((checks + 1))
}

# check DESCRIPTION CONDITION...: runs the condition, counts a failure if false.
check() {
    local what=$1
    shift
    checks=$((checks + 1))
    if ! "$@"; then
        fail "$what"
        return 1
    fi
    return 0
}

# same A B: true if A is non-empty and equal to B.
same() {
    [ -n "$1" ] && [ "$1" = "$2" ]
}

# A scratch directory removed on exit.
work=$(mktemp -d "${TMPDIR:-/tmp}/rvvm-snaptest.XXXXXX") || exit 99
trap 'rm -rf "$work"' EXIT

# report_field FILE NAME: a field of rvrun's --report JSON (one field per line).
report_field() {
    sed -n "s/^ *\"$2\": \"\{0,1\}\([^\",]*\)\"\{0,1\},\{0,1\} *\$/\1/p" "$1"
}

# json_field FILE NAME: a top-level scalar from `rvrun --inspect --json`.
json_field() {
    sed -n "s/^ *\"$2\": \"\{0,1\}\([^\",]*\)\"\{0,1\},\{0,1\} *\$/\1/p" "$1" | head -n 1
}

# one_line FILE: true if FILE holds exactly one non-empty line.
one_line() {
    [ "$(wc -l < "$1")" -eq 1 ] && [ -n "$(head -c 1 "$1")" ]
}

# flip_byte FILE OFFSET: xors the byte at OFFSET with 0xff, in place.
flip_byte() {
    local b
    b=$(od -An -tu1 -j "$2" -N 1 "$1" | tr -d ' ')
    printf "$(printf '\\%03o' $((b ^ 255)))" |
        dd of="$1" bs=1 seek="$2" count=1 conv=notrunc status=none
}

# le_u64 FILE OFFSET: the little-endian u64 at OFFSET.
le_u64() {
    local hex
    hex=$(od -An -tx1 -j "$2" -N 8 "$1" | tr -d ' \n')
    local out="" i
    for i in 14 12 10 8 6 4 2 0; do out=$out${hex:$i:2}; done
    echo $((16#$out))
}

# put_byte FILE OFFSET VALUE: writes one byte (0..255) in place.
put_byte() {
    printf "$(printf '\\%03o' "$3")" |
        dd of="$1" bs=1 seek="$2" count=1 conv=notrunc status=none
}

# reseal FILE: recomputes the snapshot's trailing XXH3-128 checksum (size unchanged).
reseal() {
    local size
    size=$(stat -c %s "$1")
    head -c $((size - 16)) "$1" > "$1.body"
    { cat "$1.body"; xxhsum -H2 "$1.body" | cut -c1-32 | xxd -r -p; } > "$1.new"
    mv "$1.new" "$1"
    rm -f "$1.body"
}

# section_body FILE N: offset of section N's body (sections 1..N-1 walked).
section_body() {
    local pos=32 s
    for ((s = 1; s < $2; s++)); do
        pos=$((pos + 16 + $(le_u64 "$1" $((pos + 8)))))
    done
    echo $((pos + 16))
}

# no_temp_files DIR: true if DIR holds no snapshot temporaries (*.tmp.*).
no_temp_files() {
    [ -z "$(find "$1" -maxdepth 1 -name '*.tmp.*' -print -quit)" ]
}

finish() {
    echo "$checks checks, $fails failures"
    [ "$fails" -eq 0 ] || exit 1
    exit 0
}
