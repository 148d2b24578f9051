#!/usr/bin/env bash
# rvrun --gdb against real gdb-multiarch in batch mode (docs/debugging.md).
# usage: gdb.sh RVRUN TARGET_ELF FAULT_ELF NM OBJDUMP
# Expected values come from the program's source (tests/gdb/target.c), its
# symbol table (nm) and undisturbed rvrun runs, never from the stub itself.
set -u
rvrun=$1 target=$2 fault=$3 nm=$4 objdump=$5
gdb=$(command -v gdb-multiarch) || { echo "gdb-multiarch not installed: skipped"; exit 77; }
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  rm -rf "$work"
}
trap cleanup EXIT
[ -n "${KEEP:-}" ] && trap - EXIT
fail=0
check() { # description, command...
  local what=$1; shift
  if "$@"; then echo "ok: $what"; else echo "FAIL: $what"; fail=1; fi
}

# Starts rvrun --gdb 0 ARGS... in the background; sets port and pid.
start() {
  local tag=$1; shift
  : > "$work/$tag.err"
  ( exec "$rvrun" --gdb 0 "$@" < "$work/input" > "$work/$tag.out" 2> "$work/$tag.err" ) &
  pid=$!
  pids+=("$pid")
  port=
  for _ in $(seq 1 600); do
    port=$(sed -n 's/^rvrun: gdb: listening on 127.0.0.1:\([0-9]*\)$/\1/p' "$work/$tag.err")
    [ -n "$port" ] && break
    sleep 0.05
  done
  [ -n "$port" ] || { echo "FAIL: rvrun did not listen"; cat "$work/$tag.err"; exit 1; }
}

# Runs gdb on SCRIPT against the current port, output in $work/$tag.log.
run_gdb() {
  local tag=$1 elf=$2 script=$3
  { echo "set pagination off"; echo "set confirm off"; echo "target remote 127.0.0.1:$port"
    cat "$script"; } > "$work/$tag.gdb"
  timeout 120 "$gdb" -nx -batch -x "$work/$tag.gdb" "$elf" > "$work/$tag.log" 2>&1 &
  local gpid=$!
  if [ -n "${interrupt_after:-}" ]; then
    # gdb passes a SIGINT it gets while the target runs on as Ctrl-C (0x03); timeout
    # forwards the signal to gdb.
    # Wait until gdb has printed 'Continuing.' (it then sends the resume packet), so the
    # interrupt reaches a running target however loaded the machine is.
    for _ in $(seq 1 2400); do grep -q '^Continuing\.' "$work/$tag.log" && break; sleep 0.05; done
    sleep "$interrupt_after"
    kill -INT "$gpid" 2>/dev/null
  fi
  wait "$gpid"
  # rvrun ends when gdb kills it or the program ends; give it a moment, then make sure.
  for _ in $(seq 1 600); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
  kill "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  rv_status=$?
}

sym() { "$nm" "$1" | awk -v s="$2" '$3 == s { print "0x" $1 }' | sed 's/0x0*/0x/'; }
add=$(sym "$target" add)
bump=$(sym "$target" bump)
# bump is 'ld a5,counter; add a5,a5,a0; sd a5,counter; ret' (objdump -d): the store is
# at bump+6 (two 4-byte and one 2-byte instruction before it); main calls it from one
# 'jal bump', found in objdump's listing.
store=$(printf '%#x' $((bump + 6)))
call=$(printf '%#x' "0x$("$objdump" -d "$target" | awk '/jal.*<bump>$/ { sub(":", "", $1); print $1; exit }')")
[ -n "$add" ] && [ -n "$bump" ] || { echo "FAIL: nm found no add/bump"; exit 1; }
printf 'A' > "$work/input"   # the guest reads 'A' = 65

# The undisturbed run: its final digest and cycle count.
"$rvrun" --report "$work/plain.json" "$target" < "$work/input" > "$work/plain.out"
plain_status=$?
digest() { sed -n 's/.*"state_digest": "\([0-9a-f]*\)".*/\1/p' "$1"; }
field() { sed -n "s/.*\"$2\": \"*\\([0-9a-fx]*\\)\"*,*/\\1/p" "$1"; }

# ---- session 1: break, registers, memory, stepping, watch, reverse, snapshot ----
cat > "$work/s1" <<GDB
break add
continue
printf "BP pc=%#lx a0=%ld a1=%ld\n", \$pc, \$a0, \$a1
printf "MEM %ld %ld %ld %ld\n", values[0], values[1], values[2], values[3]
x/2gx &values
stepi
printf "STEP pc=%#lx a0=%ld\n", \$pc, \$a0
reverse-stepi
printf "RSTEP pc=%#lx a0=%ld\n", \$pc, \$a0
watch counter
continue
printf "WATCH counter=%ld pc=%#lx\n", counter, \$pc
continue
printf "BP2 pc=%#lx a0=%ld a1=%ld\n", \$pc, \$a0, \$a1
reverse-continue
printf "RWATCH counter=%ld pc=%#lx\n", counter, \$pc
reverse-continue
printf "RBP pc=%#lx a0=%ld a1=%ld\n", \$pc, \$a0, \$a1
delete
break bump
continue
continue
printf "BUMP2 pc=%#lx a0=%ld\n", \$pc, \$a0
reverse-finish
printf "RFINISH pc=%#lx\n", \$pc
monitor instret
monitor checkpoint
stepi 5
monitor restore 0
maintenance flush register-cache
printf "RESTORED pc=%#lx\n", \$pc
monitor snapshot $work/mid.snap
info inferiors
kill
GDB
start s1 "$target"
run_gdb s1 "$target" "$work/s1"
log=$work/s1.log
line() { grep -m1 "^$1 " "$log"; }
check "break at add by name: pc, a0 = 'A', a1 = values[0]" [ "$(line BP)" = "BP pc=$add a0=65 a1=11" ]
check "memory via symbols" [ "$(line MEM)" = "MEM 11 22 33 44" ]
check "x/2gx of values" grep -q "0x000000000000000b	0x0000000000000016" "$log"
check "stepi: add a0,a0,a1 ran" [ "$(line STEP)" = "STEP pc=$(printf '%#x' $((add + 2))) a0=76" ]
check "reverse-stepi restores pc and a0" [ "$(line RSTEP)" = "RSTEP pc=$add a0=65" ]
check "watchpoint catches the store (old 0, new 1)" \
  [ "$(sed -n '/^RSTEP/,/^WATCH/p' "$log" | grep -c -e '^Old value = 0$' -e '^New value = 1$')" = 2 ]
check "watch stops just after the store in bump" [ "$(line WATCH)" = "WATCH counter=1 pc=$(printf '%#x' $((store + 4)))" ]
check "second breakpoint hit: add(76, 22)" [ "$(line BP2)" = "BP2 pc=$add a0=76 a1=22" ]
check "reverse-continue to the watchpoint: at the store, counter back to 0" [ "$(line RWATCH)" = "RWATCH counter=0 pc=$store" ]
check "reverse-continue back to the first breakpoint" [ "$(line RBP)" = "RBP pc=$add a0=65 a1=11" ]
check "break at bump, second call k=2" [ "$(line BUMP2)" = "BUMP2 pc=$bump a0=2" ]
check "reverse-finish stops at the call of bump in main" [ "$(line RFINISH)" = "RFINISH pc=$call" ]
check "monitor restore goes back to the checkpoint" [ "$(line RESTORED)" = "$(line RFINISH | sed 's/RFINISH/RESTORED/')" ]
check "monitor snapshot written" grep -q "^snapshot written to $work/mid.snap" "$log"
check "info inferiors names the program" grep -q "$(basename "$target")" "$log"

# The snapshot taken from gdb resumes to the undisturbed run's final digest.
"$rvrun" --resume "$work/mid.snap" --report "$work/resumed.json" > "$work/resumed.out" < /dev/null
resumed_status=$?
check "snapshot from gdb resumes to the same exit status" [ "$resumed_status" = "$plain_status" ]
check "... and the same final digest" [ "$(digest "$work/resumed.json")" = "$(digest "$work/plain.json")" ]
check "... and the same cycle count" [ "$(field "$work/resumed.json" cycles)" = "$(field "$work/plain.json" cycles)" ]
check "console output of the undisturbed run" [ "$(cat "$work/plain.out")" = "sum 175 counter 10" ]

# ---- session 5: rvrun --resume SNAP --gdb; detach lets the program finish ----
cat > "$work/s5" <<'GDB'
printf "RESUMED pc=%#lx\n", $pc
break bump
continue
printf "RBUMP a0=%ld counter=%ld\n", $a0, counter
reverse-stepi
printf "RBACK pc=%#lx\n", $pc
detach
GDB
start s5 --resume "$work/mid.snap"
run_gdb s5 "$target" "$work/s5"
check "resumed session starts at the snapshot's pc (the call of bump)" \
  grep -qx "RESUMED pc=$call" "$work/s5.log"
check "resumed session: break at bump(2) with counter 1" grep -qx "RBUMP a0=2 counter=1" "$work/s5.log"
check "resumed session: reverse-stepi back to the call" grep -qx "RBACK pc=$call" "$work/s5.log"
check "after detach the program finishes: exit status 47" [ "$rv_status" = 47 ]
check "after detach: output once" [ "$(cat "$work/s5.out")" = "sum 175 counter 10" ]

# ---- session 2: continue to the end; output once, exit code reported ----
cat > "$work/s2" <<'GDB'
rwatch values[2]
continue

delete
break bump
continue
reverse-stepi
reverse-stepi
delete
continue
GDB
start s2 "$target"
run_gdb s2 "$target" "$work/s2"
check "exit code reported to gdb (175 & 0x7f = 47 = 057)" grep -q "exited with code 057" "$work/s2.log"
check "read watchpoint on values[2] reports its value 33" grep -q "^Value = 33$" "$work/s2.log"
check "guest output printed exactly once despite replay" [ "$(cat "$work/s2.out")" = "sum 175 counter 10" ]

# ---- session 3: --max-cycles stops where it would without gdb ----
budget=$(( $(field "$work/plain.json" cycles) / 2 ))
"$rvrun" --max-cycles "$budget" --report "$work/budget.json" "$target" < "$work/input" > /dev/null
cat > "$work/s3" <<'GDB'
break bump
continue
continue
delete
continue
printf "BUDGET pc=%#lx\n", $pc
monitor cycles
kill
GDB
start s3 --max-cycles "$budget" "$target"
run_gdb s3 "$target" "$work/s3"
check "budget stop reported as SIGXCPU" grep -q "Program received signal SIGXCPU" "$work/s3.log"
check "budget stop at the same pc as without gdb" \
  [ "$(grep -m1 '^BUDGET' "$work/s3.log")" = "BUDGET pc=$(printf '%#x' "$(field "$work/budget.json" pc)")" ]
check "budget stop at the same cycle count" grep -qx "$(field "$work/budget.json" cycles)" "$work/s3.log"

# ---- session 6: Ctrl-C (SIGINT to gdb, sent on as 0x03) stops a program that spins forever ----
cat > "$work/s6" <<'GDB'
continue
printf "SPIN counter>0: %d\n", counter > 0
kill
GDB
start s6 "$target" spin
interrupt_after=1 run_gdb s6 "$target" "$work/s6"
check "interrupt stops the spinning program with SIGINT" grep -q "received signal SIGINT" "$work/s6.log"
check "... inside spin" grep -q "in spin ()\|spin () at" "$work/s6.log"
check "... after it ran (counter > 0)" grep -qx "SPIN counter>0: 1" "$work/s6.log"

# ---- session 4: a fault is reported with its signal ----
cat > "$work/s4" <<'GDB'
continue
printf "FAULT pc=%#lx\n", $pc
kill
GDB
start s4 "$fault"
run_gdb s4 "$fault" "$work/s4"
check "null store reported as SIGSEGV" grep -q "Program received signal SIGSEGV" "$work/s4.log"

if [ "$fail" != 0 ]; then
  for f in "$work"/*.log; do echo "=== $f"; cat "$f"; done
  exit 1
fi
echo "all gdb checks passed"
