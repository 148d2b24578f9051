#!/usr/bin/env bash
# A real scheduler: a one-node Slurm cluster (Debian's slurm-wlm and munge)
# brought up in a temporary directory, no systemd, proctrack/linuxproc, and
# stopped by PID at the end. An rvrun job submitted with --requeue is
# preempted several times (scancel --signal=USR1 --batch): each time rvrun
# writes its snapshot and exits 85, which RequeueExit=85 requeues, and the
# same command line (--resume-or-start) resumes it. The job must finish with
# the output and state digest of an uninterrupted run, and each restart must
# have resumed (its snapshot's cycle count > 0 and growing).
# usage: slurm.sh RVRUN LONGRUN_ELF      (exit 77 = skipped: no Slurm or not root)
set -euo pipefail
rvrun=$(realpath "$1") prog=$(realpath "$2")
for tool in munged mungekey slurmctld slurmd sbatch scontrol squeue scancel; do
  command -v "$tool" >/dev/null || { echo "SKIP: $tool not installed"; exit 77; }
done
[ "$(id -u)" = 0 ] || { echo "SKIP: slurmd needs root"; exit 77; }

tmp=$(mktemp -d /tmp/rvvm-slurm.XXXXXX)
chmod 755 "$tmp"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  sleep 0.5
  for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT
fail() {
  echo "FAIL: $*"
  for f in "$tmp"/log/*; do echo "== $f"; tail -n 20 "$f"; done
  exit 1
}

# munge: key 0400, socket directory 0755.
mkdir -p "$tmp/munge/sock" "$tmp/state" "$tmp/spool" "$tmp/log"
chmod 700 "$tmp/munge"; chmod 755 "$tmp/munge/sock"
mungekey -c -k "$tmp/munge/munge.key"
chmod 400 "$tmp/munge/munge.key"
sock="$tmp/munge/sock/munge.sock"
munged -F -f --key-file="$tmp/munge/munge.key" --socket="$sock" --pid-file="$tmp/munge/munged.pid" \
  --log-file="$tmp/log/munged.log" --seed-file="$tmp/munge/seed" &
pids+=($!)

# Two free ports on the loopback.
read -r port1 port2 < <(python3 -c 'import socket
s=[socket.socket() for _ in range(2)]
[x.bind(("127.0.0.1",0)) for x in s]
print(*[x.getsockname()[1] for x in s])')
node=$(hostname -s)
cat >"$tmp/slurm.conf" <<CONF
ClusterName=rvvmtest
SlurmctldHost=$node
SlurmctldPort=$port1
SlurmdPort=$port2
AuthType=auth/munge
AuthInfo=socket=$sock,cred_expire=5
CredType=cred/munge
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$tmp/state
SlurmdSpoolDir=$tmp/spool
SlurmctldPidFile=$tmp/slurmctld.pid
SlurmdPidFile=$tmp/slurmd.pid
SlurmctldLogFile=$tmp/log/slurmctld.log
SlurmdLogFile=$tmp/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
ReturnToService=2
SchedulerParameters=sched_interval=1
RequeueExit=85
NodeName=$node CPUs=2 State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$tmp/slurm.conf"
for i in $(seq 1 50); do munge -S "$sock" -n >/dev/null 2>&1 && break; sleep 0.1; done
slurmctld -D -f "$SLURM_CONF" >"$tmp/log/slurmctld.out" 2>&1 &
pids+=($!)
slurmd -D -f "$SLURM_CONF" >"$tmp/log/slurmd.out" 2>&1 &
pids+=($!)
for i in $(seq 1 100); do
  sinfo -h -o %T 2>/dev/null | grep -q idle && break
  sleep 0.2
done
sinfo -h -o %T | grep -q idle || fail "the node did not come up"

# About 8 s of guest work at the interpreter's speed: long enough that three preemptions,
# a second apart, all land while it runs, whatever the machine. The interpreter is named:
# rvrun's default engine (auto) translates this loop and would end the job 3x sooner.
args=(400 2000000)
"$rvrun" --engine interp --report "$tmp/ref.json" "$prog" "${args[@]}" >"$tmp/ref.out"
cat >"$tmp/job.sh" <<JOB
#!/bin/bash
if [ -f "$tmp/job.snap" ]; then
  "$rvrun" --inspect "$tmp/job.snap" --json | grep -m1 '"cycles"' >>"$tmp/restarts.log"
fi
exec "$rvrun" --engine interp --resume-or-start "$tmp/job.snap" --checkpoint-signal USR1 --report "$tmp/job.json" "$prog" ${args[*]}
JOB
chmod +x "$tmp/job.sh"
job=$(sbatch --parsable --requeue --open-mode=append -o "$tmp/job.out" -e "$tmp/job.err" "$tmp/job.sh")

state() { scontrol show job "$job" | grep -o "JobState=[A-Z_]*" | cut -d= -f2; }
restarts() { scontrol show job "$job" | grep -o "Restarts=[0-9]*" | cut -d= -f2; }
preemptions=3
for i in $(seq 1 "$preemptions"); do
  for t in $(seq 1 300); do [ "$(state)" = RUNNING ] && break; sleep 0.2; done
  [ "$(state)" = RUNNING ] || fail "preemption $i: the job is $(state), not running"
  sleep 0.5
  [ "$(state)" = RUNNING ] || fail "preemption $i: the job ended before it could be preempted ($(state))"
  scancel --signal=USR1 --batch "$job"
  for t in $(seq 1 300); do [ "$(restarts)" = "$i" ] && break; sleep 0.2; done
  [ "$(restarts)" = "$i" ] || fail "preemption $i: not requeued (Restarts=$(restarts), $(state))"
done
for t in $(seq 1 900); do
  case "$(state)" in COMPLETED) break ;; FAILED|CANCELLED|TIMEOUT|NODE_FAIL) fail "job $(state)" ;; esac
  sleep 0.2
done
[ "$(state)" = COMPLETED ] || fail "the job did not complete ($(state))"

cmp -s "$tmp/ref.out" "$tmp/job.out" || fail "output differs from the uninterrupted run"
digest() { sed -n 's/.*"state_digest": "\([0-9a-f]*\)".*/\1/p' "$1"; }
[ "$(digest "$tmp/ref.json")" = "$(digest "$tmp/job.json")" ] || fail "state digest differs"
[ "$(wc -l <"$tmp/restarts.log")" = "$preemptions" ] || fail "restarts log: $(cat "$tmp/restarts.log")"
prev=0
while read -r _ c; do
  c=${c%,}
  [ "$c" -gt "$prev" ] || fail "a restart did not resume past cycle $prev ($c)"
  prev=$c
done <"$tmp/restarts.log"
echo "restarts resumed at cycles: $(tr -d ' ",' <"$tmp/restarts.log" | sed 's/cycles://' | tr '\n' ' ')"
echo "1 passed, 0 failed"
