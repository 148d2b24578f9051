#!/usr/bin/env bash
# Incremental snapshot chains through rvrun, and leftover temporaries:
#   1. a full snapshot then 3+ diffs (--snapshot-parent), resumed to the end,
#      give the stdout and state digest of the unsplit run (two programs, one
#      with floating point, one compressed link);
#   2. each diff holds only the pages dirtied since the previous snapshot
#      (the baseline is reset after every save: Firecracker #4543), checked
#      on dirty_k, which writes each page of its array once, in order;
#   3. --snapshot-merge folds the chain into one full snapshot that resumes
#      to the same digest and holds no parent;
#   4. a missing, altered, replaced or symlinked link, and a diff against a
#      snapshot that is not the run's baseline, are refused with 125;
#   5. a save removes stale PATH.tmp.XXXXXX regular files a killed writer
#      left, and nothing else.
# usage: cli_diff.sh RVRUN SNAP_STATE_ELF DIRTY_K_ELF
. "$(dirname "$0")/lib.sh"
rvrun=$(realpath "$1")
snap_state=$(realpath "$2")
dirty_k=$(realpath "$3")
cd "$work" || exit 99

# data_pages SNAPSHOT: the addresses of its data pages, one per line.
data_pages() {
    "$rvrun" --inspect "$1" --json | sed -n 's/.*"address": "\(0x[0-9a-f]*\)".*"kind": "data".*/\1/p'
}

# chain NAME STEP PROG ARGS...: full snapshot, then diffs every STEP cycles
# until the program ends; stdout to NAME.out, last report to NAME.json.
chain() {
    local name=$1 step=$2 status n=0 parent
    shift 2
    "$rvrun" --max-cycles "$step" --snapshot "$name-0.snap" "$@" > "$name.out"
    status=$?
    parent=$name-0.snap
    while [ $status -eq 124 ]; do
        n=$((n + 1))
        local extra=()
        [ $((n % 3)) -eq 2 ] && extra=(--snapshot-compress)
        "$rvrun" --resume "$parent" --max-cycles "$step" --snapshot "$name-$n.snap" \
            --snapshot-parent "$parent" "${extra[@]}" --report "$name.json" >> "$name.out"
        status=$?
        [ $status -eq 124 ] && parent=$name-$n.snap
    done
    echo "$parent" > "$name.last"
    return $status
}

for prog in snap_state dirty_k; do
    if [ $prog = snap_state ]; then args=("$snap_state"); step=60000; else args=("$dirty_k" 512); step=90000; fi
    "$rvrun" --report "$prog-whole.json" "${args[@]}" > "$prog-whole.out"
    check "$prog: whole run exits 0" [ $? -eq 0 ]
    chain "$prog" "$step" "${args[@]}"
    check "$prog: chain ends with exit 0" [ $? -eq 0 ]
    last=$(cat "$prog.last")
    links=$(ls "$prog"-[0-9]*.snap | wc -l)
    check "$prog: at least 3 diffs in the chain ($links files)" [ "$links" -ge 4 ]
    check "$prog: chain stdout equals the whole run" cmp -s "$prog.out" "$prog-whole.out"
    check "$prog: chain digest equals the whole run" \
        same "$(report_field "$prog.json" state_digest)" "$(report_field "$prog-whole.json" state_digest)"
    "$rvrun" --inspect "$last" --json > last.json
    check "$prog: the last link names its parent" grep -q '"parent": {"name": "'"$prog"'-' last.json

    # Resuming the last link again, and its merge, reach the same end.
    "$rvrun" --resume "$last" --report again.json > again.out
    check "$prog: resuming the chain again exits 0" [ $? -eq 0 ]
    "$rvrun" --snapshot-merge "$prog-merged.snap" "$last"
    check "$prog: merge exits 0" [ $? -eq 0 ]
    "$rvrun" --inspect "$prog-merged.snap" --json > merged.json
    check "$prog: the merge is a full snapshot" grep -q '"parent": null' merged.json
    "$rvrun" --resume "$prog-merged.snap" --report merged-run.json > merged.out
    check "$prog: the merge resumes to exit 0" [ $? -eq 0 ]
    check "$prog: merge and chain give the same output" cmp -s again.out merged.out
    check "$prog: merge and chain give the same digest" \
        same "$(report_field merged-run.json state_digest)" "$(report_field again.json state_digest)"
    check "$prog: merge and chain resume at the same cycle" \
        same "$(report_field merged-run.json cycles)" "$(report_field again.json cycles)"
done

# 2. Diffs hold only newer pages. dirty_k writes its 512 pages once each, in
# order, 16 KiB apart: consecutive diffs share at most the one page being
# written at the split (and the stack page); the chain holds each page ~once.
prev=""
total=0
overlap_ok=true
for f in $(ls dirty_k-[0-9]*.snap | sort -t- -k2 -n); do
    data_pages "$f" | sort > "$f.pages"
    total=$((total + $(wc -l < "$f.pages")))
    if [ -n "$prev" ]; then
        common=$(comm -12 "$prev.pages" "$f.pages" | wc -l)
        [ "$common" -le 3 ] || { overlap_ok=false; echo "$prev and $f share $common data pages"; }
    fi
    prev=$f
done
check "dirty_k: consecutive diffs share at most 3 data pages (baseline reset)" $overlap_ok
links=$(ls dirty_k-[0-9]*.snap | wc -l)
union=$(cat dirty_k-[0-9]*.snap.pages | sort -u | wc -l)
check "dirty_k: the chain holds each page about once ($total pages in $links links, $union distinct)" \
    [ "$total" -le $((union + 2 * links)) ]
data_pages dirty_k-merged.snap | sort > merged.pages
check "dirty_k: the merge holds exactly the chain's data pages" \
    [ "$(cat dirty_k-[0-9]*.snap.pages | sort -u)" = "$(cat merged.pages)" ]
check "dirty_k: the chain's diffs cover hundreds of pages ($union)" [ "$union" -ge 300 ]

# 4. Broken chains. d = the second link, whose parent is the first diff.
mid=dirty_k-2.snap
mkdir -p broken
refused() {
    local what=$1
    shift
    "$@" > /dev/null 2> err.txt
    local status=$?
    check "$what: exit 125" [ $status -eq 125 ]
    check "$what: one line on stderr" one_line err.txt
    echo "ok: $what: $(cat err.txt)"
}
cp dirty_k-0.snap dirty_k-1.snap dirty_k-2.snap broken/
rm broken/dirty_k-1.snap
refused "missing link" "$rvrun" --resume broken/$mid
check "missing link: the message names it" grep -q "dirty_k-1.snap" err.txt

cp dirty_k-1.snap broken/dirty_k-1.snap
size=$(stat -c %s broken/dirty_k-1.snap)
flip_byte broken/dirty_k-1.snap $((size - 100))
refused "damaged link" "$rvrun" --resume broken/$mid
reseal broken/dirty_k-1.snap
refused "altered and resealed link" "$rvrun" --resume broken/$mid
check "altered link: the message says the checksum differs" grep -q "checksum differs" err.txt

cp dirty_k-3.snap broken/dirty_k-1.snap
refused "link replaced by another snapshot of the run" "$rvrun" --resume broken/$mid

rm broken/dirty_k-1.snap
ln -s ../dirty_k-1.snap broken/dirty_k-1.snap
refused "link replaced by a symbolic link" "$rvrun" --resume broken/$mid

refused "merge of a broken chain" "$rvrun" --snapshot-merge broken/m.snap broken/$mid
check "a refused merge writes nothing" [ ! -e broken/m.snap ]

refused "diff against a snapshot that is not the baseline" \
    "$rvrun" --resume dirty_k-2.snap --max-cycles 1000 --snapshot x.snap --snapshot-parent dirty_k-1.snap
check "no diff written against the wrong parent" [ ! -e x.snap ]

mkdir -p elsewhere
cp dirty_k-2.snap elsewhere/
refused "parent in another directory" \
    "$rvrun" --resume dirty_k-2.snap --max-cycles 1000 --snapshot elsewhere/y.snap \
    --snapshot-parent dirty_k-2.snap

# 5. Stale temporaries of a killed writer.
mkdir -p tmpdir
: > tmpdir/s.snap.tmp.AbC123           # removed: a writer's leftover
: > tmpdir/s.snap.tmp.zz9Zz9           # removed
: > tmpdir/s.snap.tmp.ab               # kept: not six characters
: > tmpdir/s.snap.tmp.abc-12           # kept: not mkstemp's alphabet
: > tmpdir/other.snap.tmp.AbC123       # kept: another path's
mkdir tmpdir/s.snap.tmp.Dir123         # kept: a directory
echo keep > tmpdir/target
ln -s target tmpdir/s.snap.tmp.Lnk123  # kept: a symbolic link (and its target)
"$rvrun" --max-cycles 1000 --snapshot tmpdir/s.snap "$dirty_k" 4 > /dev/null
check "save with leftovers exits 124" [ $? -eq 124 ]
check "stale temporaries removed" [ ! -e tmpdir/s.snap.tmp.AbC123 ] && [ ! -e tmpdir/s.snap.tmp.zz9Zz9 ]
check "other files kept" [ -e tmpdir/s.snap.tmp.ab ] && [ -e tmpdir/s.snap.tmp.abc-12 ] &&
    [ -e tmpdir/other.snap.tmp.AbC123 ] && [ -d tmpdir/s.snap.tmp.Dir123 ] &&
    [ -L tmpdir/s.snap.tmp.Lnk123 ] && [ "$(cat tmpdir/target)" = keep ]
check "the snapshot itself is written" [ -s tmpdir/s.snap ]

finish
