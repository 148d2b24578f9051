#!/usr/bin/env python3
"""Hostile snapshots: crafted with the independent reader (snapread.py) and
validly resealed, each must be refused by `rvrun --resume` with exit 125 and
one line on stderr, quickly (never blocking on a FIFO or reading a device),
and nothing outside the granted directories is touched.

usage: hostile.py RVRUN SNAP_FILES_ELF
"""
import hashlib
import os
import shutil
import stat
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import snapread  # noqa: E402

rvrun, elf = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
fails = checks = 0


def check(what, cond, detail=""):
    global fails, checks
    checks += 1
    if not cond:
        fails += 1
        print(f"FAIL: {what} {detail}")
    return cond


def run(args, cwd, timeout=20):
    """rvrun with a hard limit: a hang is a failure, not a stuck test."""
    try:
        p = subprocess.run([rvrun] + args, cwd=cwd, capture_output=True, timeout=timeout)
        return p.returncode, p.stdout.decode(errors="replace"), p.stderr.decode(errors="replace")
    except subprocess.TimeoutExpired:
        return "timeout", "", ""


work = tempfile.mkdtemp(prefix="rvvm-hostile.")
try:
    data, out, outside = (os.path.join(work, d) for d in ("data", "out", "outside"))
    for d in (data, out, outside):
        os.mkdir(d)
    with open(os.path.join(data, "in.txt"), "w") as f:
        f.write("The quick brown fox jumps over the lazy dog. " * 20)
    secret = os.path.join(outside, "secret")
    with open(secret, "w") as f:
        f.write("outside the grants\n")
    os.mkfifo(os.path.join(data, "fifo"))
    os.symlink("../outside/secret", os.path.join(data, "escape"))
    os.symlink("/dev/zero", os.path.join(data, "devzero"))
    os.symlink("in.txt", os.path.join(data, "inner"))
    os.mkfifo(os.path.join(work, "prog.fifo"))
    os.symlink(elf, os.path.join(work, "prog.link"))
    dirs = ["--dir", data + ":/data", "--dir", out + ":/out:rw"]

    # Whole run, then a snapshot mid-way.
    code, whole, _ = run(dirs + [elf], work)
    check("whole run exits 0", code == 0, str(code))
    snap = os.path.join(work, "mid.snap")
    code, _, err = run(dirs + ["--max-cycles", "60000", "--snapshot", snap, elf], work)
    check("snapshot written at the budget", code == 124 and os.path.exists(snap), err)
    base = open(snap, "rb").read()
    s0 = snapread.parse(base)
    check("the snapshot holds both grants and three open files",
          len(s0["os"]["grants"]) == 2 and
          sum(f["kind"] in (1, 2) for f in s0["os"]["files"]) == 3)
    log_saved = open(os.path.join(out, "log.txt"), "rb").read()

    def state():
        """What must not change: everything outside the grants, and the grants' files."""
        st = os.stat(secret)
        h = hashlib.sha256(open(secret, "rb").read()).hexdigest()
        return (h, st.st_mtime_ns, sorted(os.listdir(outside)), sorted(os.listdir(work)),
                open(os.path.join(out, "log.txt"), "rb").read())

    before = state()

    # The resumer grants: a genuine resume works (sanity: the cases below test refusals).
    code, rest, err = run(["--resume", snap] + dirs, work)
    check("genuine resume finishes like the whole run", code == 0 and whole.endswith(rest)
          and "done" in rest, f"{code} {err}")
    with open(os.path.join(out, "log.txt"), "wb") as f:
        f.write(log_saved)  # the run above wrote on; restore the state the snapshot expects

    def file_of(s, path):
        for i, f in enumerate(s["os"]["files"]):
            if f["path"] == path and f["kind"] in (1, 2):
                return i
        raise AssertionError(path)

    def craft(name, mutate, args=None, reason=None):
        s = snapread.parse(base)
        raw = mutate(s) or {}
        data_ = snapread.build(s, raw)
        path = os.path.join(work, "crafted-%d.snap" % checks)
        with open(path, "wb") as f:
            f.write(data_)
        code, _, err = run(["--resume", path] + (dirs if args is None else args), work)
        message = err.strip()
        ok = check(f"{name}: exit 125", code == 125, f"(got {code}) {err.strip()}")
        ok = ok and check(f"{name}: one line on stderr", err.count("\n") == 1 and
                          err.startswith("rvrun: "), repr(err))
        if ok and reason:
            check(f"{name}: message mentions '{reason}'", reason in err, err.strip())
        code, _, err = run(["--inspect", path], work)
        # inspect lists what resuming needs: it accepts what only the host refuses
        check(f"{name}: inspect exits 0 or 125 cleanly", code in (0, 125), str(code))
        print(f"ok: {name}: {message}")

    # Widened grants: the snapshot asks for more than the resumer gives.
    def widen_root(s):
        s["os"]["grants"][0].update(host=b"/", guest=b"/", writable=1)
    craft("grant widened to /", widen_root, reason="--dir HOST:/")

    def host_swap(s):
        s["os"]["grants"][0]["host"] = outside.encode()
    # the recorded host path is never used: the resumer's grant decides (resumes fine)
    s = snapread.parse(base)
    host_swap(s)
    swapped = os.path.join(work, "hostswap.snap")
    open(swapped, "wb").write(snapread.build(s))
    code, _, err = run(["--resume", swapped, "--max-cycles", "1"] + dirs, work)
    check("a recorded host path is ignored (resumer's grant used)", code == 124, err)

    def writable_data(s):
        s["os"]["grants"][0]["writable"] = 1
        s["os"]["files"][file_of(s, b"in.txt")]["flags"] = 2  # O_RDWR
    craft("file opened for writing under a read-only grant", writable_data,
          reason="read-only")
    craft("snapshot's rw directory granted read-only", lambda s: None,
          args=["--dir", data + ":/data", "--dir", out + ":/out"], reason="read-only")
    craft("grant missing on resume", lambda s: None, args=["--dir", data + ":/data"],
          reason="--dir HOST:/out:rw")

    # Paths with '..' or not normalised.
    def dotdot(s):
        s["os"]["files"][file_of(s, b"in.txt")]["path"] = b"../outside/secret"
    craft("file path with ..", dotdot)

    def guest_dotdot(s):
        s["os"]["grants"][0]["guest"] = b"/data/../etc"
    craft("guest directory with ..", guest_dotdot)

    def cwd_dotdot(s):
        s["os"]["cwd"] = b"/../../"
    craft("working directory with ..", cwd_dotdot)

    # FIFOs, devices, symbolic links inside the granted directory.
    def to(path, kind=None, size=None):
        def m(s):
            f = s["os"]["files"][file_of(s, b"in.txt")]
            f["path"] = path
            if kind is not None:
                f["kind"] = kind
            if size is not None:
                f["size"] = size
        return m
    craft("open file is a FIFO", to(b"fifo"), reason="regular file")
    craft("open file is a FIFO (recorded as empty)", to(b"fifo", size=0), reason="regular file")
    craft("directory handle names a FIFO", to(b"fifo", kind=2, size=0))
    craft("open file is a symlink leaving the grant", to(b"escape"))
    craft("open file is a symlink to /dev/zero", to(b"devzero"))
    try:
        os.mknod(os.path.join(data, "null"), 0o600 | stat.S_IFCHR, os.makedev(1, 3))
        craft("open file is a character device", to(b"null"), reason="regular file")
    except PermissionError:
        print("skip: cannot create a device node here (not root)")

    def nofollow_inner(s):
        f = s["os"]["files"][file_of(s, b"in.txt")]
        f["path"] = b"inner"
        f["flags"] |= 0o400000  # O_NOFOLLOW: a final symlink must not be followed
    craft("O_NOFOLLOW file that is now a symlink", nofollow_inner)

    # Huge declared sizes and counts.
    craft("file size 2^62", to(b"in.txt", size=1 << 62), reason="changed")

    def huge_cwd(s):
        o = snapread.build_os(s)
        # the cwd length field sits after the 32 bytes of layout and 32 of scalars
        return {"OS": o[:64] + (0xffffffff).to_bytes(4, "little") + o[68:]}
    craft("working directory length 0xffffffff", huge_cwd)

    def huge_grants(s):
        o = snapread.build_os(s)
        at = 64 + 4 + len(s["os"]["cwd"]) + 4 + len(s["os"]["cmdline"])
        return {"OS": o[:at] + (0x7fffffff).to_bytes(4, "little") + o[at + 4:]}
    craft("granted directory count 2^31", huge_grants)

    def huge_pages(s):
        p = s["raw"]["PAGES"]
        return {"PAGES": (1 << 40).to_bytes(8, "little") + p[8:]}
    craft("page count 2^40", huge_pages)

    # The program path: never a FIFO, device or symbolic link.
    def prog(path):
        def m(s):
            s["program"]["path"] = path
        return m
    craft("program path is a FIFO", prog(os.path.join(work, "prog.fifo").encode()))
    craft("program path is /dev/zero", prog(b"/dev/zero"))
    craft("program path is a symbolic link", prog(os.path.join(work, "prog.link").encode()),
          reason="symbolic link")
    shutil.copy(elf, os.path.join(work, "prog.elf"))  # would match, if it were opened
    craft("program path is relative (never opened)", prog(b"prog.elf"), reason="absolute")

    # Nothing outside the granted directories was touched, and no refused
    # resume wrote to a granted file.
    after = state()
    check("outside file unchanged", before[0] == after[0] and before[1] == after[1])
    check("no file created outside the grants", before[2] == after[2])
    check("granted output file unchanged by refused resumes", before[4] == after[4])
    # A program given as a FIFO on the command line must not block either.
    code, _, err = run([os.path.join(work, "prog.fifo")], work)
    check("rvrun FIFO (as the program) exits 125", code == 125, f"{code} {err}")
finally:
    shutil.rmtree(work, ignore_errors=True)

print(f"{checks} checks, {fails} failures")
sys.exit(1 if fails else 0)
