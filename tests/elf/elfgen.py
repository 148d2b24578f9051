"""
A small ELF64 RISC-V writer and instruction encoder for the loader tests.

Images are described by a list of Seg records with explicit file offsets, so a
case can be laid out exactly as a linker would (or deliberately not).
"""
import struct  # noqa: F401  (also used by run_cases.py)

PT_LOAD, PT_NOTE, PT_PHDR, PT_TLS = 1, 4, 6, 7
PT_GNU_STACK, PT_GNU_RELRO = 0x6474E551, 0x6474E552
PT_RISCV_ATTRIBUTES = 0x70000003
PF_X, PF_W, PF_R = 1, 2, 4
PAGE = 0x1000
EHDR = 64
PHENT = 56


class Seg:
    def __init__(self, type, flags, vaddr, data=b"", memsz=None, offset=None, align=PAGE,
                 paddr=None, filesz=None):
        self.type, self.flags, self.vaddr = type, flags, vaddr
        self.data = data
        self.filesz = len(data) if filesz is None else filesz
        self.memsz = self.filesz if memsz is None else memsz
        self.offset = offset       # None: next page boundary + vaddr % PAGE
        self.align = align
        self.paddr = vaddr if paddr is None else paddr


def build(entry, segs, e_type=2, machine=243, flags=0x5, shdrs=b"", shoff=0, shnum=0,
          shstrndx=0, extra=b""):
    """The image bytes. `extra` is appended after everything (for section data)."""
    hdr_end = EHDR + PHENT * len(segs)
    cur = hdr_end
    offs = []
    for s in segs:
        if s.offset is None:
            off = ((cur + PAGE - 1) & ~(PAGE - 1)) + (s.vaddr % PAGE)
        else:
            off = s.offset
        offs.append(off)
        cur = max(cur, off + len(s.data))
    img = bytearray(cur)
    ident = b"\x7fELF" + bytes([2, 1, 1, 0]) + bytes(8)
    img[0:EHDR] = ident + struct.pack("<HHIQQQIHHHHHH", e_type, machine, 1, entry, EHDR, shoff,
                                      flags, EHDR, PHENT, len(segs), 64, shnum, shstrndx)
    for i, (s, off) in enumerate(zip(segs, offs)):
        struct.pack_into("<IIQQQQQQ", img, EHDR + PHENT * i, s.type, s.flags, off, s.vaddr,
                         s.paddr, s.filesz, s.memsz, s.align)
    for s, off in zip(segs, offs):
        if s.data:
            img[off:off + len(s.data)] = s.data
    return bytes(img) + extra


# ---- RV64 encodings (the few a test program needs) ----
def _i(op, rd, f3, rs1, imm):
    return ((imm & 0xFFF) << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | op


def addi(rd, rs1, imm): return _i(0x13, rd, 0, rs1, imm)
def addiw(rd, rs1, imm): return _i(0x1B, rd, 0, rs1, imm)
def lbu(rd, rs1, imm): return _i(0x03, rd, 4, rs1, imm)
def jalr(rd, rs1, imm): return _i(0x67, rd, 0, rs1, imm)
def lui(rd, imm20): return ((imm20 & 0xFFFFF) << 12) | (rd << 7) | 0x37


def sb(rs2, rs1, imm):
    return (((imm >> 5) & 0x7F) << 25) | (rs2 << 20) | (rs1 << 15) | (0 << 12) | \
        ((imm & 0x1F) << 7) | 0x23


def sw(rs2, rs1, imm):
    return (((imm >> 5) & 0x7F) << 25) | (rs2 << 20) | (rs1 << 15) | (2 << 12) | \
        ((imm & 0x1F) << 7) | 0x23


ECALL = 0x73
A0, A1, A2, A7, T0 = 10, 11, 12, 17, 5


def li(rd, v):
    """rd = v for 0 <= v < 2**31 (lui + addiw)."""
    lo = v & 0xFFF
    if lo >= 0x800:
        lo -= 0x1000
    hi = ((v - lo) >> 12) & 0xFFFFF
    out = []
    if hi:
        out.append(lui(rd, hi))
        out.append(addiw(rd, rd, lo))
    else:
        out.append(addi(rd, 0, lo))
    return out


def code(words):
    return b"".join(struct.pack("<I", w) for w in words)


def exit_with(code_v):
    return li(A0, code_v) + li(A7, 93) + [ECALL]


def exit_a0():
    return li(A7, 93) + [ECALL]


def write(addr, n):
    return li(A0, 1) + li(A1, addr) + li(A2, n) + li(A7, 64) + [ECALL]
