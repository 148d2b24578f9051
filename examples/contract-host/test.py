#!/usr/bin/env python3
"""The contract-host example, end to end (meson suite 'examples').

  test.py HOST CONTRACT.elf WORKDIR

1. A thousand transactions, uninterrupted: the counts, balances, storage and
   receipt digests and the contract's counter must equal reference.py's,
   computed without rvvm.
2. A committing transfer paused by its cycle budget at every ~100 cycles
   along it (some pauses hold pending storage writes, some stop before a
   host call whose gas did not fit), each moved by snapshot to a fresh
   process and finished there: the final output, state digest and cycle
   counts included, must be identical to the uninterrupted run's.
3. The same with a transaction that runs out of gas after the move: it is
   rolled back to the moved rollback point, and the output is again identical.
4. A damaged host ledger file is refused.
"""
import os
import subprocess
import sys

host, contract, work = sys.argv[1], sys.argv[2], sys.argv[3]
here = os.path.dirname(os.path.abspath(__file__))
os.makedirs(work, exist_ok=True)
txfile = os.path.join(work, "txs.txt")
expected_file = os.path.join(work, "expected.txt")
sys.path.insert(0, here)
import reference  # noqa: E402

subprocess.run([sys.executable, os.path.join(here, "reference.py"), txfile, expected_file],
               check=True)
expected = open(expected_file).read().splitlines()
txs = reference.generate()
failures = 0


def check(cond, what):
    global failures
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures += 1


def run(*args, ok=True):
    p = subprocess.run([host, *args], capture_output=True, text=True)
    if ok and p.returncode != 0:
        sys.exit("contract-host %s failed (%d): %s" % (" ".join(args), p.returncode, p.stderr))
    return p


# 1. Uninterrupted.
full = run("run", contract, txfile).stdout.splitlines()
check(full[:len(expected)] == expected,
      "1000 transactions match the independent reference (%s)" % ", ".join(expected[1:5]))
for line, want in zip(full, expected):
    if line != want:
        print("     got %r, expected %r" % (line, want))
tail = dict(l.split(" ", 1) for l in full[len(expected):])
check(set(tail) == {"gas_billed", "machine_cycles", "state_digest"}, "run prints gas and digest")


def pause_points(index, what):
    """Pauses transaction `index` after 50, 50+97, 50+2*97, ... cycles until
    it finishes within the slice; moves each pause to a fresh process,
    finishes it there and checks the final output equals the uninterrupted
    run's. Returns the messages of the pauses and the last prefix."""
    msgs = []
    for n, cycles in enumerate(range(50, 50000, 97)):
        prefix = os.path.join(work, "moved%d-%d" % (index, n))
        p = run("run", contract, txfile, "--pause", "%d:%d" % (index, cycles), prefix, ok=False)
        if p.returncode != 0 and "nothing to move" in p.stderr:
            break
        if p.returncode != 0:
            sys.exit("pause failed: " + p.stderr)
        msg = p.stdout.strip()
        msgs.append(msg)
        r = run("resume", contract, txfile, prefix)
        if r.stdout.splitlines() != full or "finished it: " + what not in r.stderr:
            check(False, "moved at %d cycles: %s; %s" % (cycles, msg, r.stderr.strip()))
        for suffix in (".snap", ".base.snap", ".ledger"):
            if os.path.exists(prefix + suffix) and n > 0:
                os.unlink(prefix + suffix)
        if what == "out_of_gas" and n >= 5:
            break  # its loop repeats: a few points are enough
    return msgs, os.path.join(work, "moved%d-0" % index)


# 2. A committing transfer, paused at every point along it.
k = next(i for i, t in enumerate(txs) if i >= 500 and t[0] == "transfer"
         and reference.run(txs[:i + 1])[1] != reference.run(txs[:i])[1])  # "committed N" grew
msgs, prefix = pause_points(k, "committed")
check(len(msgs) >= 5 and all(m.startswith("paused transaction %d " % k) for m in msgs),
      "transfer %d paused at %d points, each moved to a fresh process and committed there with "
      "the same storage, receipts, cycles and digest as the uninterrupted run" % (k, len(msgs)))
check(any(" 0 pending writes" not in m for m in msgs), "some pauses held pending storage writes")
check(any("before a host call" in m for m in msgs),
      "some pauses stopped before a host call whose gas did not fit (the call ran again after the move)")
for suffix in (".snap", ".base.snap", ".ledger"):
    check(os.path.getsize(prefix + suffix) > 0, "wrote " + os.path.basename(prefix + suffix))

# 3. A transaction that runs out of gas after the move: rolled back there.
k2 = next(i for i, t in enumerate(txs) if i >= 300 and t[0] == "spin" and t[1] >= 50000)
msgs2, _ = pause_points(k2, "out_of_gas")
check(len(msgs2) >= 5, "spin %d paused at %d points, moved, out of gas after the move and rolled "
      "back to the moved base snapshot: same final state" % (k2, len(msgs2)))

# 4. A damaged ledger file is refused.
with open(prefix + ".ledger", "r+b") as f:
    f.seek(40)
    c = f.read(1)
    f.seek(40)
    f.write(bytes([c[0] ^ 1]))
bad = run("resume", contract, txfile, prefix, ok=False)
check(bad.returncode == 1 and "checksum mismatch" in bad.stderr,
      "damaged ledger file refused: " + bad.stderr.strip())

sys.exit(1 if failures else 0)
