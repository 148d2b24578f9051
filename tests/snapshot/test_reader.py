#!/usr/bin/env python3
"""The independent reader (snapread.py, written from docs/snapshot-format.md
with only the standard library, xxhsum and zstd) against `rvrun --inspect
--json`, on the kinds of snapshots the snapshot suite produces: every guest
of tests/snapshot, split at several budgets, plain and zstd, with open files
and grants, and the links of a diff chain and their merge. Every field the
JSON shows must equal what the reader decoded, and the reader must accept
every file rvrun wrote and refuse what rvrun refuses.

usage: test_reader.py RVRUN NAME=ELF[:ARGS] ...   (snap_files gets its grants)
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import snapread  # noqa: E402

rvrun = os.path.abspath(sys.argv[1])
guests = []
for a in sys.argv[2:]:
    name, rest = a.split("=", 1)
    elf, _, args = rest.partition(":")
    guests.append((name, os.path.abspath(elf), args.split(",") if args else []))

fails = fields = files = 0


def fail(msg):
    global fails
    fails += 1
    print("FAIL:", msg)


def eq(what, a, b):
    global fields
    fields += 1
    if a != b:
        fail(f"{what}: reader {a!r} != inspect {b!r}")


def hexs(v):
    return f"0x{v:016x}"


def perms(p):
    return ("r" if p & 1 else "-") + ("w" if p & 2 else "-") + ("x" if p & 4 else "-")


KIND = {0: "zero", 1: "data", 2: "as-loaded"}
FKIND = {1: "file", 2: "directory", 3: "path"}


def compare(path):
    global files
    data = open(path, "rb").read()
    s = snapread.parse(data)
    j = json.loads(subprocess.run([rvrun, "--inspect", path, "--json"], capture_output=True,
                                  check=True).stdout)
    files += 1
    n = os.path.basename(path)
    eq(f"{n} version", s["version"], j["format_version"])
    eq(f"{n} file_size", s["file_size"], j["file_size"])
    eq(f"{n} compressed", s["compressed"], j["compressed"])
    eq(f"{n} checksum", s["checksum"], j["checksum"])
    eq(f"{n} program", s["program"]["path"].decode(), j["program"])
    eq(f"{n} program_sha256", s["program"]["sha256"], j["program_sha256"])
    c, jc = s["config"], j["config"]
    eq(f"{n} memory", c["memory_size"], jc["memory_size"])
    eq(f"{n} isa", snapread.isa_string(c["isa"]), jc["isa"])
    eq(f"{n} cost_model", c["cost_model"], jc["cost_model"])
    eq(f"{n} costs", c["costs"], jc["costs"])
    eq(f"{n} strict", c["strict"], jc["strict_syscalls"])
    eq(f"{n} seed", c["seed"], jc["seed"])
    cpu = s["cpu"]
    eq(f"{n} pc", hexs(cpu["pc"]), j["pc"])
    eq(f"{n} cycles", cpu["cycles"], j["cycles"])
    eq(f"{n} instructions", cpu["instructions"], j["instructions"])
    eq(f"{n} reservation", {"valid": bool(cpu["resv_valid"]), "size": cpu["resv_size"],
                           "address": hexs(cpu["resv_addr"])}, j["reservation"])
    eq(f"{n} fcsr", cpu["fcsr"], j["fcsr"])
    for i in range(32):
        eq(f"{n} x{i}", hexs(cpu["x"][i]), j["registers"][i])
        eq(f"{n} f{i}", hexs(cpu["f"][i]), j["fp_registers"][i])
    eq(f"{n} mtvec", hexs(cpu["mtvec"]), j["mtvec"])
    eq(f"{n} call_active", bool(cpu["call"]["active"]), j["call_active"])
    o = s["os"]
    eq(f"{n} brk", f"0x{o['brk']:x}", j["brk"])
    for k in ("brk_start", "stack_low", "mmap_low"):
        eq(f"{n} {k}", f"0x{o[k]:x}", j[k])
    p = s["parent"]
    if p is None:
        eq(f"{n} parent", None, j["parent"])
        eq(f"{n} chain_depth", 0, j["chain_depth"])
    else:
        eq(f"{n} parent", {"name": p["name"].decode(), "checksum": p["checksum"].hex(),
                           "size": p["size"]}, j["parent"])
        eq(f"{n} chain_depth", p["depth"], j["chain_depth"])
    if "grants" in o:
        files_ = [f for f in o["files"] if f["kind"] in (1, 2, 3)]
        eq(f"{n} grant count", len(o["grants"]), len(j["grants"]))
        for g, jg in zip(o["grants"], j["grants"]):
            idx = o["grants"].index(g)
            needs = any(f["grant"] == idx and f["kind"] != 3 and f["flags"] & 3
                        for f in files_)
            eq(f"{n} grant", {"guest": g["guest"].decode(), "host": g["host"].decode(),
                              "writable": bool(g["writable"]), "needs_write": needs}, jg)
        eq(f"{n} file count", len(files_), len(j["files"]))
        for f, jf in zip(files_, j["files"]):
            gp = b"/" if f["grant"] == snapread.SYSROOT else o["grants"][f["grant"]]["guest"]
            full = gp + (b"/" if f["path"] and gp != b"/" else b"") + f["path"]
            eq(f"{n} file", {"path": full.decode(), "kind": FKIND[f["kind"]],
                             "writing": f["kind"] != 3 and (f["flags"] & 3) != 0,
                             "size": f["size"], "sha256": f["sha256"].hex()}, jf)
        eq(f"{n} mappings", [[f"0x{a:x}", f"0x{b:x}"] for a, b in o["vmas"]], j["mappings"])
        needs = (any(mf["sysroot"] for mf in o["mapped_files"])
                 or any(f["kind"] != 5 and f["grant"] == snapread.SYSROOT for f in o["files"]))
        eq(f"{n} needs_sysroot", needs, j["needs_sysroot"])
        eq(f"{n} mapped files",
           [{"path": mf["guest"].decode(), "root": "sysroot" if mf["sysroot"] else "granted",
             "interpreter": bool(mf["interp"]), "size": mf["size"], "sha256": mf["sha256"].hex(),
             "mapped_pages": sum((fm["end"] - fm["start"]) // snapread.PAGE
                                 for fm in o["file_maps"] if fm["file"] == i)}
            for i, mf in enumerate(o["mapped_files"])], j["mapped_files"])
    eq(f"{n} page_data_stored", s["page_data_stored"], j["page_data_stored"])
    eq(f"{n} pages", [{"address": hexs(a), "perms": perms(pp), "kind": KIND[k]}
                      for a, pp, k in s["pages"]], j["pages"])


def run(args, cwd):
    return subprocess.run([rvrun] + args, cwd=cwd, capture_output=True).returncode


work = tempfile.mkdtemp(prefix="rvvm-reader.")
try:
    for d in ("data", "out"):
        os.mkdir(os.path.join(work, d))
    with open(os.path.join(work, "data", "in.txt"), "w") as f:
        f.write("snapshot reader test input. " * 10)
    snaps = []
    for name, elf, args in guests:
        dirs = ["--dir", "data:/data", "--dir", "out:/out:rw"] if name == "snap_files" else []
        if name.startswith("dyn_"):  # dynamically linked: the cross glibc's sysroot
            dirs += ["--sysroot", os.environ.get("RVVM_TEST_SYSROOT", "/usr/riscv64-linux-gnu")]
        rep = os.path.join(work, name + ".json")
        if run(dirs + ["--report", rep, elf] + args, work) not in range(0, 124):
            fail(f"{name}: the whole run failed")
            continue
        total = json.load(open(rep))["cycles"]
        for frac, comp in ((0.1, False), (0.5, True), (0.9, False)):
            budget = max(1, int(total * frac))
            snap = os.path.join(work, f"{name}-{budget}{'-z' if comp else ''}.snap")
            extra = ["--snapshot-compress"] if comp else []
            if run(dirs + ["--max-cycles", str(budget), "--snapshot", snap] + extra + [elf] + args,
                   work) == 124:
                snaps.append(snap)
        # a chain of diffs and its merge
        base = os.path.join(work, f"{name}-c0.snap")
        if run(dirs + ["--max-cycles", str(max(1, total // 4)), "--snapshot", base, elf] + args,
               work) == 124:
            snaps.append(base)
            prev = base
            for k in (1, 2):
                d = os.path.join(work, f"{name}-c{k}.snap")
                if run(["--resume", prev, "--max-cycles", str(max(1, total // 4)), "--snapshot", d,
                        "--snapshot-parent", prev] + dirs + (["--snapshot-compress"] if k == 2
                                                             else []), work) != 124:
                    break
                snaps.append(d)
                prev = d
            merged = os.path.join(work, f"{name}-merged.snap")
            if run(["--snapshot-merge", merged, prev], work) == 0:
                snaps.append(merged)
            else:
                fail(f"{name}: merge failed")
            if "snap_files" == name:  # the chain's runs wrote on: later files differ
                break
    for p in snaps:
        try:
            compare(p)
        except snapread.Invalid as e:
            fail(f"{os.path.basename(p)}: the reader refuses a file rvrun wrote: {e}")
    # Refusals agree: a few crafted, resealed files that both must refuse.
    if snaps:
        s = snapread.parse(open(snaps[0], "rb").read())
        bad = {
            "odd pc": lambda: snapread.build(s, {"CPU": (s["cpu"]["pc"] | 1).to_bytes(8, "little")
                                                 .join([s["raw"]["CPU"][:256],
                                                        s["raw"]["CPU"][264:]])}),
            "D without F": lambda: snapread.build(s, {"CONFIG": s["raw"]["CONFIG"][:8] + (
                s["config"]["isa"] & ~1024).to_bytes(4, "little") + s["raw"]["CONFIG"][12:]}),
            "cost name junk": lambda: snapread.build(s, {"CONFIG": s["raw"]["CONFIG"][:55] + b"j"
                                                     + s["raw"]["CONFIG"][56:]}),
            "version 2": lambda: snapread.reseal(open(snaps[0], "rb").read()[:8] +
                                                 (2).to_bytes(4, "little") +
                                                 open(snaps[0], "rb").read()[12:-16]),
            "version 3": lambda: snapread.reseal(open(snaps[0], "rb").read()[:8] +
                                                 (3).to_bytes(4, "little") +
                                                 open(snaps[0], "rb").read()[12:-16]),
        }
        for what, make in bad.items():
            data = make()
            path = os.path.join(work, "bad.snap")
            open(path, "wb").write(data)
            try:
                snapread.parse(data)
                fail(f"{what}: the reader accepts it")
            except snapread.Invalid:
                pass
            code = subprocess.run([rvrun, "--inspect", path], capture_output=True).returncode
            if code != 125:
                fail(f"{what}: rvrun --inspect exits {code}, not 125")
finally:
    shutil.rmtree(work, ignore_errors=True)

print(f"{files} snapshots, {fields} fields compared, {fails} failures")
if files < 10:
    print("FAIL: too few snapshots to mean anything")
    sys.exit(1)
sys.exit(1 if fails else 0)
