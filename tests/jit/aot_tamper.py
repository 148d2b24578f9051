#!/usr/bin/env python3
"""An independent reader and editor of rvvm's ahead-of-time cache files
(docs/jit.md, "Ahead-of-time cache"), for tests/jit/aot.sh.

  aot_tamper.py FILE check            validate; print "pages P names N slots S code C"
  aot_tamper.py FILE OP [ARG]         damage FILE in place:
    flip-so        flip one byte of the shared object (checksum left stale)
    truncate       keep the first half of the file
    empty          make it empty
    garbage        replace it with 64 KiB of pseudo-random bytes
    format N       set the format version (checksum recomputed)
    generator N    set the generator version (checksum recomputed)
    rvvm-version S set the rvvm version string (checksum recomputed)
    host S         set the host string (checksum recomputed)
    key HEX        set the program key hash (checksum recomputed)
    pages N        set the page count (checksum recomputed)
    bad-slot       make the first slot's index 5000 (checksum recomputed)
    bad-name       rename the first function to one the object lacks (checksum recomputed)
Layout: [shared object][manifest][trailer: u64 manifest offset, u64 manifest
size, sha256 of everything before the trailer, "RVJITEND"].
"""
import hashlib
import random
import struct
import sys

HEADER = 192
TRAILER = 56
NAME = 32
PAGE = 4096


def split(data):
    if len(data) < TRAILER or data[-8:] != b"RVJITEND":
        raise SystemExit("no trailer")
    moff, msize = struct.unpack_from("<QQ", data, len(data) - TRAILER)
    if moff + msize != len(data) - TRAILER:
        raise SystemExit("bad manifest bounds")
    return moff, msize


def resign(data):
    body = bytes(data[:-TRAILER])
    data[-TRAILER + 16:-8] = hashlib.sha256(body).digest()


def check(data):
    moff, msize = split(data)
    if hashlib.sha256(bytes(data[:-TRAILER])).digest() != bytes(data[-TRAILER + 16:-8]):
        raise SystemExit("SHA-256 mismatch")
    if data[:4] != b"\x7fELF":
        raise SystemExit("no shared object")
    h = moff
    if data[h:h + 8] != b"RVVMJIT\0":
        raise SystemExit("bad magic")
    pages, names, classes, page = struct.unpack_from("<IIII", data, h + 144)
    if page != PAGE:
        raise SystemExit("page size")
    p = h + HEADER + names * NAME
    slots = code = 0
    for _ in range(pages):
        nslots = struct.unpack_from("<I", data, p + 12)[0]
        p += 16 + 4 * classes + PAGE
        for s in range(nslots):
            slot, pad, name = struct.unpack_from("<HHI", data, p + 8 * s)
            if slot >= PAGE // 2 or pad or (name >= names and name != 0xFFFFFFFF):
                raise SystemExit("bad slot")
            code += name != 0xFFFFFFFF
        slots += nslots
        p += 8 * nslots
    if p != moff + msize:
        raise SystemExit("manifest size")
    print(f"pages {pages} names {names} slots {slots} code {code}")


def main():
    path, op = sys.argv[1], sys.argv[2]
    arg = sys.argv[3] if len(sys.argv) > 3 else None
    data = bytearray(open(path, "rb").read())
    if op == "check":
        check(data)
        return
    if op == "truncate":
        data = data[:len(data) // 2]
    elif op == "empty":
        data = bytearray()
    elif op == "garbage":
        rng = random.Random(14)
        data = bytearray(rng.getrandbits(8) for _ in range(65536))
    elif op == "flip-so":
        moff, _ = split(data)
        data[moff // 2] ^= 0x40
    else:
        moff, _ = split(data)
        h = moff
        if op == "format":
            struct.pack_into("<I", data, h + 8, int(arg))
        elif op == "generator":
            struct.pack_into("<I", data, h + 12, int(arg))
        elif op == "rvvm-version":
            data[h + 16:h + 48] = arg.encode().ljust(32, b"\0")[:32]
        elif op == "host":
            data[h + 48:h + 112] = arg.encode().ljust(64, b"\0")[:64]
        elif op == "key":
            data[h + 112:h + 144] = bytes.fromhex(arg)
        elif op == "pages":
            struct.pack_into("<I", data, h + 144, int(arg) & 0xFFFFFFFF)
        elif op == "bad-slot":
            names, classes = struct.unpack_from("<I", data, h + 148)[0], struct.unpack_from("<I", data, h + 152)[0]
            first_slot = h + HEADER + names * NAME + 16 + 4 * classes + PAGE
            struct.pack_into("<H", data, first_slot, 5000)
        elif op == "bad-name":
            data[h + HEADER:h + HEADER + NAME] = b"no_such_function".ljust(NAME, b"\0")
        else:
            raise SystemExit("unknown operation " + op)
        resign(data)
    open(path, "wb").write(data)


if __name__ == "__main__":
    main()
