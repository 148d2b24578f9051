#!/usr/bin/env python3
"""The contract-host example, end to end (meson suite 'examples').

  test.py HOST CONTRACT.elf WORKDIR

1. A thousand transactions, uninterrupted: the counts, balances, storage and
   receipt digests and the contract's counter must equal reference.py's,
   computed without rvvm.
2. A committing transfer paused mid-way by its cycle budget (after at least
   one storage write), moved by snapshot to a fresh process and finished
   there: the final output, state digest and cycle counts included, must be
   identical to the uninterrupted run's.
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


def moved(index, what):
    """Pauses transaction `index` as early as it has pending writes (or a
    second slice if it never writes), moves it, finishes it; returns the
    final output and the pause message."""
    prefix = os.path.join(work, "moved%d" % index)
    for cycles in range(100, 50000, 100):
        p = run("run", contract, txfile, "--pause", "%d:%d" % (index, cycles), prefix)
        msg = p.stdout.strip()
        if " 0 pending writes" not in msg or what == "no-writes":
            break
    check(msg.startswith("paused transaction %d " % index), "paused: " + msg)
    for suffix in (".snap", ".base.snap", ".ledger"):
        check(os.path.getsize(prefix + suffix) > 0, "wrote " + os.path.basename(prefix + suffix))
    return run("resume", contract, txfile, prefix), prefix


# 2. A committing transfer, paused after it has written storage.
k = next(i for i, t in enumerate(txs) if i >= 500 and t[0] == "transfer"
         and reference.run(txs[:i + 1])[1] != reference.run(txs[:i])[1])  # "committed N" grew
p, prefix = moved(k, "writes")
check(p.stdout.splitlines() == full,
      "transfer %d moved to a fresh process: same storage, receipts, cycles and digest" % k)
check("finished it: committed" in p.stderr, "the moved transaction committed")

# 3. A transaction that runs out of gas after the move: rolled back there.
k2 = next(i for i, t in enumerate(txs) if i >= 300 and t[0] == "spin" and t[1] >= 50000)
p2, _ = moved(k2, "no-writes")
check(p2.stdout.splitlines() == full,
      "spin %d moved, out of gas after the move, rolled back: same final state" % k2)
check("finished it: out_of_gas" in p2.stderr, "the moved transaction ran out of gas")

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
