"""An independent reader (and re-writer) of rvvm snapshot files, version 5.

Written from docs/snapshot-format.md alone, with the Python standard library
and the `xxhsum` (XXH3-128, -H2) and `zstd` command-line tools. It shares no
code with rvvm: tests compare what it reads with `rvrun --inspect --json`.

parse(data) returns a dict of every field, or raises Invalid naming the rule
broken. build(snap) serialises such a dict back (for crafting hostile files),
and reseal(body) appends the checksum.
"""
import hashlib
import struct
import subprocess

MAGIC = b"RVVMSNAP"
VERSION = 5
SYSROOT = 64  # an open file's grant index for the sysroot
SECTIONS = ["PROGRAM", "CONFIG", "CPU", "OS", "PARENT", "PAGES"]
COST_CLASSES = ["alu", "branch", "jump", "load", "store", "mul", "div", "atomic", "csr",
                "fence", "ecall", "ebreak", "fp", "fpdiv"]
ISA_BITS = [(1, "m"), (2, "a"), (1024, "f"), (2048, "d"), (4, "c"), (8, "_zicsr"),
            (16, "_zifencei"), (32, "_zba"), (64, "_zbb"), (128, "_zbc"), (256, "_zbs"),
            (512, "_zicond")]
ISA_ALL = 4095
PAGE = 4096


class Invalid(Exception):
    pass


def xxh128(data):
    """XXH3-128 of data in canonical byte order, via `xxhsum -H2`."""
    out = subprocess.run(["xxhsum", "-H2", "-"], input=data, capture_output=True, check=True)
    return bytes.fromhex(out.stdout.split()[0].decode())


def zstd_decompress(frame):
    out = subprocess.run(["zstd", "-d", "-c", "-q"], input=frame, capture_output=True)
    if out.returncode != 0:
        raise Invalid("compressed page data is malformed")
    return out.stdout


class Reader:
    def __init__(self, data, what):
        self.d, self.pos, self.what = data, 0, what

    def take(self, n):
        if n > len(self.d) - self.pos:
            raise Invalid(f"{self.what} too short")
        b = self.d[self.pos:self.pos + n]
        self.pos += n
        return b

    def u(self, n):
        return int.from_bytes(self.take(n), "little")

    def string(self, maxlen):
        n = self.u(4)
        if n > maxlen:
            raise Invalid(f"{self.what}: string of {n} bytes (at most {maxlen})")
        b = self.take(n)
        if b"\0" in b:
            raise Invalid(f"{self.what}: NUL inside a string")
        return b

    def end(self):
        if self.pos != len(self.d):
            raise Invalid(f"{self.what} is overlong")


def normal_abs(p):
    if not p.startswith(b"/"):
        return False
    if p == b"/":
        return True
    parts = p[1:].split(b"/")
    return all(c not in (b"", b".", b"..") for c in parts)


def normal_rel(p):
    if p == b"":
        return True
    if p.startswith(b"/"):
        return False
    return all(c not in (b"", b".", b"..") for c in p.split(b"/"))


def parse_program(r):
    sha = r.take(32)
    n = r.u(4)
    if n > 4096:
        raise Invalid("program path too long")
    path = r.take(n)
    if b"\0" in path:
        raise Invalid("program path is malformed")
    return {"sha256": sha.hex(), "path": path}


def parse_config(r):
    c = {"memory_size": r.u(8), "isa": r.u(4)}
    strict = r.u(4)
    c["seed"] = r.u(8)
    name = r.take(32)
    k = r.u(4)
    if k != 14:
        raise Invalid(f"cost model has {k} classes")
    costs = [r.u(4) for _ in range(k)]
    c["os"] = r.u(4)
    mem = c["memory_size"]
    if mem < (1 << 20) or mem > (16 << 30) or mem % PAGE:
        raise Invalid("memory size out of range")
    if c["isa"] & ~ISA_ALL or (c["isa"] & 2048 and not c["isa"] & 1024):
        raise Invalid("bad ISA bits")
    if strict > 1 or c["os"] > 1:
        raise Invalid("bad strict flag or OS layer")
    nul = name.find(b"\0")
    if nul < 0 or any(name[nul:]) or any(b < 0x20 or b > 0x7e for b in name[:nul]):
        raise Invalid("cost model name is malformed")
    if any(x < 1 or x > 1000000 for x in costs):
        raise Invalid("cost out of range")
    c["strict"] = strict == 1
    c["cost_model"] = name[:nul].decode("ascii")
    c["costs"] = dict(zip(COST_CLASSES, costs))
    return c


def parse_cpu(r, isa):
    c = {"x": [r.u(8) for _ in range(32)]}
    c["pc"], c["cycles"], c["instructions"], c["resv_addr"] = (r.u(8) for _ in range(4))
    c["resv_valid"], c["resv_size"], pad = r.u(1), r.u(1), r.u(2)
    c["fcsr"] = r.u(4)
    c["f"] = [r.u(8) for _ in range(32)]
    c["mtvec"] = r.u(8)
    call = {"active": r.u(1), "prior_state": r.u(1)}
    pad |= r.u(2)
    call["exit"] = r.u(4)
    call["sp"] = r.u(8)
    call["x"] = [r.u(8) for _ in range(32)]
    call["pc"] = r.u(8)
    call["f"] = [r.u(8) for _ in range(32)]
    call["fcsr"] = r.u(4)
    pad |= r.u(4)
    c["call"] = call
    if r.pos != 1104:
        raise Invalid("cpu section size")
    if c["x"][0] or pad or c["fcsr"] > 0xff or c["resv_valid"] > 1:
        raise Invalid("cpu section holds impossible values")
    if c["resv_valid"] and c["resv_size"] not in (4, 8):
        raise Invalid("bad reservation size")
    if not c["resv_valid"] and c["resv_size"] not in (0, 4, 8):
        raise Invalid("bad reservation size")
    if c["resv_valid"] and c["resv_addr"] % c["resv_size"]:
        raise Invalid("misaligned reservation")
    align = 2 if isa & 4 else 4
    if c["pc"] % align:
        raise Invalid("misaligned pc")
    if call["active"] > 1 or call["fcsr"] > 0xff or call["x"][0]:
        raise Invalid("impossible guest call")
    if call["active"]:
        if call["prior_state"] not in (1, 2) or call["exit"] > 255 or call["pc"] % align:
            raise Invalid("impossible guest call")
    elif (call["prior_state"] or call["exit"] or call["sp"] or call["pc"] or call["fcsr"]
          or any(call["x"]) or any(call["f"])):
        raise Invalid("impossible guest call")
    return c


O_PATH = 0o10000000
O_NOFOLLOW = 0o400000
O_NONBLOCK = 0o4000
O_APPEND = 0o2000
S_IFMT = 0o170000
# kind: 0 console, 1 regular, 2 directory, 3 O_PATH, 4 :semihosting-features, 5 pipe end, 8 device,
# 9 /dev, 10 ghost, 11 listed directory, 12 removed directory, 13 removed O_PATH handle
FILE_KINDS = (0, 1, 2, 3, 4, 5, 8, 9, 10, 11, 12, 13)
FILE_TYPES = (0o100000, 0o040000, 0o120000, 0o010000, 0o140000, 0o020000, 0o060000)


def parse_listing(r, f):
    n = r.u(4)
    if n > (1 << 20):
        raise Invalid("directory listing is malformed")
    f["listing"] = []
    for _ in range(n):
        typ = r.u(1)
        name = r.string(255)
        if typ > 14 or not name or b"/" in name:
            raise Invalid("directory listing is malformed")
        f["listing"].append((typ, name))
    if f["offset"] > n:
        raise Invalid("directory position beyond its listing")


def parse_file_extra(r, f):
    """The fields kinds 8, 10, 11, 12 and 13 add after the common ones."""
    k = f["kind"]
    if k == 8:
        f["device"], dpad = r.u(1), r.u(3)
        if f["device"] < 1 or f["device"] > 7 or dpad:
            raise Invalid("device file is malformed")
        if f["device"] >= 5 and (f["flags"] & (O_PATH | O_NOFOLLOW)) != O_PATH | O_NOFOLLOW:
            raise Invalid("device link opened without O_PATH | O_NOFOLLOW")
    elif k == 10:
        f["mode"], f["ghost_flags"] = r.u(4), r.u(4)
        if f["mode"] > 0o7777 or f["ghost_flags"] > 1:
            raise Invalid("unnamed file is malformed")
        f["content"] = r.take(f["size"])
        if hashlib.sha256(f["content"]).digest() != f["sha256"]:
            raise Invalid("unnamed file does not match its SHA-256")
    elif k == 11:
        parse_listing(r, f)
    elif k == 12:
        f["mode"], f["ghost_flags"] = r.u(4), r.u(4)
        if f["mode"] > 0o7777 or f["ghost_flags"] > 1:
            raise Invalid("removed directory is malformed")
        if f["ghost_flags"]:
            parse_listing(r, f)
    elif k == 13:
        f["mode"], ppad, f["path_size"] = r.u(4), r.u(4), r.u(8)
        if (f["mode"] & ~(S_IFMT | 0o7777) or (f["mode"] & S_IFMT) not in FILE_TYPES or ppad
                or f["path_size"] >= (1 << 63)):
            raise Invalid("O_PATH handle is malformed")


def build_file_extra(f):
    k = f["kind"]
    out = b""
    if k == 8:
        out += u(f["device"], 1) + u(0, 3)
    elif k == 10:
        out += u(f["mode"], 4) + u(f["ghost_flags"], 4) + f["content"]
    elif k == 12:
        out += u(f["mode"], 4) + u(f["ghost_flags"], 4)
    elif k == 13:
        out += u(f["mode"], 4) + u(0, 4) + u(f["path_size"], 8)
    if k == 11 or (k == 12 and f["ghost_flags"]):
        out += u(len(f["listing"]), 4)
        for typ, name in f["listing"]:
            out += u(typ, 1) + s(name)
    return out


def parse_threads(r, o):
    """The thread table and the pipes, after the umask."""
    th = {"count": r.u(4), "current": r.u(4), "next_tid": r.u(4), "threaded": r.u(1)}
    pad = r.u(3)
    th["leader_status"] = r.u(4)
    pad |= r.u(4)
    th["slice_len"], th["slice_start"], th["slice_end"] = r.u(8), r.u(8), r.u(8)
    th["wait_seq"], th["sigpipe_action"] = r.u(8), r.u(8)
    if (th["count"] < 1 or th["count"] > 1024 or th["current"] >= th["count"]
            or th["next_tid"] < 2 or th["threaded"] > 1 or pad or th["slice_len"] == 0
            or (th["count"] > 1 and not th["threaded"])
            or not (th["leader_status"] <= 255 or th["leader_status"] == 0xffffffff)):
        raise Invalid("thread table holds impossible values")
    th["threads"] = []
    for _ in range(th["count"]):
        t = {"tid": r.u(4), "wait": r.u(1), "restart": r.u(1), "timed_out": r.u(1)}
        tpad = r.u(1)
        t["deadline"], t["wait_addr"], t["wait_arg"], t["fcsr"] = r.u(8), r.u(8), r.u(4), r.u(4)
        t["wait_seq"], t["clear_tid"] = r.u(8), r.u(8)
        t["robust_head"], t["robust_len"], t["sigmask"], t["pc"] = (r.u(8) for _ in range(4))
        t["x"] = [0] + [r.u(8) for _ in range(31)]
        t["f"] = [r.u(8) for _ in range(32)]
        w = t["wait"]
        if (w > 4 or t["restart"] > 1 or t["timed_out"] > 1 or tpad or t["tid"] < 1
                or t["tid"] >= th["next_tid"] or t["fcsr"] > 255
                or any(x["tid"] == t["tid"] for x in th["threads"])
                or (w == 1 and t["wait_addr"] % 4)
                or (w == 2 and (t["wait_addr"] >= 512 or t["wait_arg"] > 1))
                or (w == 3 and t["wait_arg"] > 1024)):
            raise Invalid("a thread holds impossible values")
        th["threads"].append(t)
    np = r.u(4)
    if np > 512:
        raise Invalid("too many pipes")
    th["pipes"] = []
    for i in range(np):
        pid, ln = r.u(4), r.u(4)
        if pid >= 512 or ln > 65536 or (i and pid <= th["pipes"][-1][0]):
            raise Invalid("a pipe is malformed")
        th["pipes"].append((pid, r.take(ln)))
    ids = {pid for pid, _ in th["pipes"]}
    ends = {f["grant"] for f in o["files"] if f["kind"] == 5}
    if ends - ids:
        raise Invalid("an open file is the end of a pipe that does not exist")
    if ids - ends:
        raise Invalid("a pipe has no open end")
    o["threads"] = th


def build_threads(th):
    out = u(th["count"], 4) + u(th["current"], 4) + u(th["next_tid"], 4) + u(th["threaded"], 1)
    out += u(0, 3) + u(th["leader_status"], 4) + u(0, 4)
    for k in ("slice_len", "slice_start", "slice_end", "wait_seq", "sigpipe_action"):
        out += u(th[k], 8)
    for t in th["threads"]:
        out += u(t["tid"], 4) + u(t["wait"], 1) + u(t["restart"], 1) + u(t["timed_out"], 1)
        out += u(0, 1) + u(t["deadline"], 8) + u(t["wait_addr"], 8) + u(t["wait_arg"], 4)
        out += u(t["fcsr"], 4)
        for k in ("wait_seq", "clear_tid", "robust_head", "robust_len", "sigmask", "pc"):
            out += u(t[k], 8)
        out += b"".join(u(x, 8) for x in t["x"][1:]) + b"".join(u(x, 8) for x in t["f"])
    out += u(len(th["pipes"]), 4)
    for pid, data in th["pipes"]:
        out += u(pid, 4) + u(len(data), 4) + data
    return out


def parse_file_maps(r, o, config):
    """Version 5: the sysroot, the mapped files and the file-mapped ranges, after the bytes written."""
    o["sysroot"] = r.string(4095)
    if o["sysroot"] and not o["sysroot"].startswith(b"/"):
        raise Invalid("sysroot is not an absolute path")
    n = r.u(4)
    if n > 65536:
        raise Invalid("too many mapped files")
    o["mapped_files"] = []
    for _ in range(n):
        f = {"sysroot": r.u(1), "interp": r.u(1)}
        pad, f["grant"] = r.u(2), r.u(4)
        f["rel"], f["guest"] = r.string(4095), r.string(4095)
        f["size"], f["sha256"] = r.u(8), r.take(32)
        if (pad or f["sysroot"] > 1 or f["interp"] > 1 or (f["sysroot"] and f["grant"])
                or (not f["sysroot"] and f["grant"] >= len(o["grants"]))
                or (f["interp"] and not f["sysroot"])
                or (f["interp"] and any(x["interp"] for x in o["mapped_files"]))
                or not f["rel"] or not normal_rel(f["rel"]) or not normal_abs(f["guest"])
                or f["size"] >= 1 << 63):
            raise Invalid("mapped file is malformed")
        o["mapped_files"].append(f)
    m = r.u(8)
    if m > 65536:
        raise Invalid("too many file mappings")
    o["file_maps"] = []
    for i in range(m):
        fm = {"start": r.u(8), "end": r.u(8), "offset": r.u(8), "file": r.u(4), "prot": r.u(4)}
        if ((fm["start"] | fm["end"] | fm["offset"]) % PAGE or fm["start"] >= fm["end"]
                or fm["end"] > config["memory_size"] or fm["offset"] >= 1 << 63
                or fm["file"] >= n or o["mapped_files"][fm["file"]]["interp"] or fm["prot"] > 7
                or (i and fm["start"] < o["file_maps"][-1]["end"])):
            raise Invalid("file mapping is malformed")
        if not any(a <= fm["start"] and fm["end"] <= b for a, b in o["vmas"]):
            raise Invalid("file mapping is outside the mappings")
        o["file_maps"].append(fm)


def build_file_maps(o):
    out = s(o["sysroot"]) + u(len(o["mapped_files"]), 4)
    for f in o["mapped_files"]:
        out += u(f["sysroot"], 1) + u(f["interp"], 1) + u(0, 2) + u(f["grant"], 4)
        out += s(f["rel"]) + s(f["guest"]) + u(f["size"], 8) + f["sha256"]
    out += u(len(o["file_maps"]), 8)
    for fm in o["file_maps"]:
        out += u(fm["start"], 8) + u(fm["end"], 8) + u(fm["offset"], 8)
        out += u(fm["file"], 4) + u(fm["prot"], 4)
    return out


def parse_os(r, config):
    o = {"brk_start": r.u(8), "brk": r.u(8), "stack_low": r.u(8), "mmap_low": r.u(8)}
    if config["os"] == 1:
        return o
    o["real_time"], pad = r.u(1), r.u(3)
    o["sh_errno"] = r.u(4)
    o["rng"], o["sleep_ns"], o["sigmask"] = r.u(8), r.u(8), r.u(8)
    o["cwd"] = r.string(4095)
    o["cmdline"] = r.string(16 << 20)
    if o["real_time"] > 1 or pad or o["sh_errno"] > 4095 or not normal_abs(o["cwd"]):
        raise Invalid("os section holds impossible values")
    g = r.u(4)
    if g > 64:
        raise Invalid("too many granted directories")
    o["grants"] = []
    for _ in range(g):
        w, gpad = r.u(1), r.u(3)
        host, guest = r.string(4095), r.string(4095)
        if w > 1 or gpad or not host.startswith(b"/") or not normal_abs(guest):
            raise Invalid("granted directory is malformed")
        if any(x["guest"] == guest for x in o["grants"]):
            raise Invalid("guest directory granted twice")
        o["grants"].append({"writable": w, "host": host, "guest": guest})
    nf = r.u(4)
    if nf > 1024:
        raise Invalid("too many open files")
    o["files"] = []
    for _ in range(nf):
        f = {"kind": r.u(1), "console": r.u(1)}
        fpad = r.u(2)
        f["grant"], f["flags"] = r.u(4), r.u(4)
        f["path"] = r.string(4095)
        f["offset"], f["size"] = r.u(8), r.u(8)
        f["sha256"] = r.take(32)
        k = f["kind"]
        local = k in (0, 4, 8, 9)
        o_path = bool(f["flags"] & O_PATH)
        pipe_ok = (f["path"] == b"" and f["offset"] == 0 and (f["flags"] & 3) <= 1
                   and not f["flags"] & ~(3 | O_NONBLOCK | O_APPEND))
        ok = (not fpad and k in FILE_KINDS and f["offset"] < (1 << 63)
              and (k != 5 or pipe_ok)
              and (f["grant"] == 0 and f["path"] == b"" if local
                   else k == 5 or f["grant"] < g or f["grant"] == SYSROOT)
              and (f["console"] <= 2 if k == 0 else f["console"] == 0)
              and normal_rel(f["path"])
              and ((f["flags"] & 3) != 3 or k in (3, 13) or (k == 8 and o_path))
              and (k in (1, 10) or f["size"] == 0))
        if not ok:
            raise Invalid("open file holds impossible values")
        parse_file_extra(r, f)
        o["files"].append(f)
    nd = r.u(4)
    if nd > 1024:
        raise Invalid("too many descriptors")
    o["fds"] = []
    refs = [0] * nf
    for i in range(nd):
        fd, idx, cl, dpad = r.u(4), r.u(4), r.u(1), r.u(3)
        if fd >= 1024 or idx >= nf or cl > 1 or dpad or (i and fd <= o["fds"][-1][0]):
            raise Invalid("file descriptor entry is malformed")
        refs[idx] += 1
        o["fds"].append((fd, idx, cl))
    if any(x == 0 for x in refs):
        raise Invalid("open file without a descriptor")
    nv = r.u(8)
    if nv > 65536:
        raise Invalid("too many mappings")
    o["vmas"] = []
    for i in range(nv):
        a, b = r.u(8), r.u(8)
        if a % PAGE or b % PAGE or a >= b or b > config["memory_size"] or (
                i and a <= o["vmas"][-1][1]):
            raise Invalid("mapping is malformed")
        o["vmas"].append((a, b))
    o["umask"] = r.u(4)
    if o["umask"] > 0o777:
        raise Invalid("bad umask")
    parse_threads(r, o)
    o["write_used"] = r.u(8)
    parse_file_maps(r, o, config)
    # mmap low, as the document defines it
    top = o["stack_low"] - PAGE
    btop = (o["brk"] + PAGE - 1) // PAGE * PAGE
    low = top
    for a, _ in o["vmas"]:
        if a >= btop:
            low = min(low, a)
            break
    low = max(low, btop)
    if low != o["mmap_low"]:
        raise Invalid("mmap low does not match the mappings")
    return o


def parse_parent(r):
    if len(r.d) == 0:
        return None
    p = {"checksum": r.take(16), "size": r.u(8), "depth": r.u(4)}
    pad = r.u(4)
    p["name"] = r.string(255)
    if pad or p["depth"] < 1 or p["depth"] > 255 or not p["name"] or b"/" in p["name"] \
            or p["name"] in (b".", b"..") or p["size"] < 48:
        raise Invalid("parent section is malformed")
    return p


def parse(data, decompress=True):
    """Every field of a snapshot; raises Invalid. Checks in the document's order."""
    if len(data) < 48 or data[:8] != MAGIC:
        raise Invalid("bad magic or truncated")
    version, flags, size, nsec, res = struct.unpack_from("<IIQII", data, 8)
    if version != VERSION:
        raise Invalid(f"unknown version {version}")
    if size != len(data):
        raise Invalid("size field differs from the file length")
    if xxh128(data[:-16]) != data[-16:]:
        raise Invalid("checksum mismatch")
    if flags & ~1 or nsec != 6 or res:
        raise Invalid("bad flags, section count or reserved word")
    snap = {"version": version, "compressed": bool(flags & 1), "file_size": size,
            "checksum": data[-16:].hex()}
    pos = 32
    body_end = len(data) - 16
    raw = {}
    for t, name in enumerate(SECTIONS, 1):
        if body_end - pos < 16:
            raise Invalid(f"section {name} header missing")
        typ, sres, ln = struct.unpack_from("<IIQ", data, pos)
        if typ != t or sres or ln > body_end - pos - 16:
            raise Invalid(f"bad header for section {name}")
        raw[name] = data[pos + 16:pos + 16 + ln]
        pos += 16 + ln
    if pos != body_end:
        raise Invalid("trailing bytes after the last section")
    r = Reader(raw["PROGRAM"], "program section")
    snap["program"] = parse_program(r)
    r.end()
    r = Reader(raw["CONFIG"], "config section")
    snap["config"] = parse_config(r)
    r.end()
    if len(raw["CONFIG"]) != 120:
        raise Invalid("config section size")
    r = Reader(raw["CPU"], "cpu section")
    snap["cpu"] = parse_cpu(r, snap["config"]["isa"])
    r.end()
    r = Reader(raw["OS"], "os section")
    snap["os"] = parse_os(r, snap["config"])
    r.end()
    o, mem = snap["os"], snap["config"]["memory_size"]
    if not (o["brk_start"] <= o["brk"] <= o["mmap_low"] <= o["stack_low"] <= mem) or (
            (o["brk_start"] | o["stack_low"] | o["mmap_low"]) % PAGE):
        raise Invalid("memory layout is inconsistent")
    r = Reader(raw["PARENT"], "parent section")
    snap["parent"] = parse_parent(r)
    r.end()
    r = Reader(raw["PAGES"], "pages section")
    count, stored = r.u(8), r.u(8)
    if count > mem // PAGE or count > (len(raw["PAGES"]) - 16) // 16:
        raise Invalid("absurd page count")
    pages, data_pages, last = [], 0, -1
    for _ in range(count):
        pn, perms, kind, p1, p2 = struct.unpack("<QBBHI", r.take(16))
        if pn >= mem // PAGE or pn <= last or perms & ~7 or kind > 2 or p1 or p2:
            raise Invalid("bad page entry")
        last = pn
        pages.append((pn * PAGE, perms, kind))
        data_pages += kind == 1
    pdata = r.take(len(raw["PAGES"]) - r.pos)
    if stored != len(pdata):
        raise Invalid("page data size does not match the section")
    if not snap["compressed"] and stored != data_pages * PAGE:
        raise Invalid("page data size does not match the table")
    if snap["compressed"] and decompress:
        # content size must be present in the frame header and match
        out = zstd_decompress(pdata)
        if len(out) != data_pages * PAGE:
            raise Invalid("compressed page data has the wrong size")
        pdata = out
    snap["pages"] = pages
    snap["page_data_stored"] = stored
    snap["page_bytes"] = pdata if (decompress or not snap["compressed"]) else None
    snap["raw"] = raw
    return snap


def isa_string(isa):
    return "rv64i" + "".join(n for bit, n in ISA_BITS if isa & bit)


# ---- writing back (for crafting files) ------------------------------------------

def u(v, n):
    return int(v).to_bytes(n, "little")


def s(b):
    return u(len(b), 4) + b


def build_os(snap):
    o = snap["os"]
    out = u(o["brk_start"], 8) + u(o["brk"], 8) + u(o["stack_low"], 8) + u(o["mmap_low"], 8)
    if snap["config"]["os"] == 1:
        return out
    out += u(o["real_time"], 1) + u(0, 3) + u(o["sh_errno"], 4)
    out += u(o["rng"], 8) + u(o["sleep_ns"], 8) + u(o["sigmask"], 8)
    out += s(o["cwd"]) + s(o["cmdline"])
    out += u(len(o["grants"]), 4)
    for g in o["grants"]:
        out += u(g["writable"], 1) + u(0, 3) + s(g["host"]) + s(g["guest"])
    out += u(len(o["files"]), 4)
    for f in o["files"]:
        out += u(f["kind"], 1) + u(f["console"], 1) + u(0, 2) + u(f["grant"], 4)
        out += u(f["flags"], 4) + s(f["path"]) + u(f["offset"], 8) + u(f["size"], 8)
        out += f["sha256"] + build_file_extra(f)
    out += u(len(o["fds"]), 4)
    for fd, idx, cl in o["fds"]:
        out += u(fd, 4) + u(idx, 4) + u(cl, 1) + u(0, 3)
    out += u(len(o["vmas"]), 8)
    for a, b in o["vmas"]:
        out += u(a, 8) + u(b, 8)
    out += u(o["umask"], 4) + build_threads(o["threads"]) + u(o["write_used"], 8)
    out += build_file_maps(o)
    return out


def build(snap, raw=None):
    """Serialises a parsed snapshot; sections in `raw` (name -> bytes) replace the parsed ones."""
    sections = dict(snap["raw"])
    sections["OS"] = build_os(snap)
    prog = snap["program"]
    sections["PROGRAM"] = bytes.fromhex(prog["sha256"]) + s(prog["path"])
    sections.update(raw or {})
    raw = sections
    body = b"".join(u(t, 4) + u(0, 4) + u(len(raw[n]), 8) + raw[n]
                    for t, n in enumerate(SECTIONS, 1))
    head = MAGIC + u(VERSION, 4) + u(1 if snap["compressed"] else 0, 4)
    head += u(32 + len(body) + 16, 8) + u(6, 4) + u(0, 4)
    return reseal(head + body)


def reseal(body):
    return body + xxh128(body)
