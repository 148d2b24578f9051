#!/usr/bin/env python3
"""
ELF acceptance, table-driven: each case builds a small static RV64 program,
either by writing the ELF bytes here (elfgen.py) or with the cross compiler
and a linker script, runs it under rvrun and under qemu-riscv64, and checks
both against the expectation written in the table: what Linux's binfmt_elf
does with the file (it loads the program, which then exits with a status and
output, or it refuses it).

  run_cases.py RVRUN [QEMU] [CROSS_GCC] [SYMCHECK]

QEMU or CROSS_GCC may be "" (cases needing them are skipped). With CROSS_GCC and
SYMCHECK, a compiled program's symbols as rvvm_symbol finds them are also
compared with the cross nm's listing. A refusal by
rvrun is exit status 125 with exactly one line on stderr naming the problem.
A refusal by qemu is a "qemu-riscv64: ..." error or death by a signal before
any output (Linux too kills a process whose image fails to map after exec
passed its point of no return). Where qemu 7.2 is known to differ from Linux,
the case says so in `qemu` and qemu's result is checked against that instead.
"""
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from elfgen import *  # noqa: E402,F401

T = 0x10000          # text
D = 0x20000          # data
MSG = b"hi\n"


def hello(exit_code=7, prefix=b""):
    """prefix, then write(1, "hi\\n", 3); exit(exit_code): text at T, message at T + 0x100."""
    prog = prefix + code(write(T + 0x100, 3) + exit_with(exit_code))
    return prog.ljust(0x100, b"\0") + MSG


def text(**kw):
    return Seg(PT_LOAD, PF_R | PF_X, T, hello(), **kw)


def probe_read(addr):
    """exit(*(uint8_t *)addr)"""
    return code(li(T0, addr) + [lbu(A0, T0, 0)] + exit_a0())


def probe_write(addr):
    """*(uint8_t *)addr = 0; exit(3)"""
    return code(li(T0, addr) + [sb(0, T0, 0)] + exit_with(3))


def stack_exec():
    """Stores `ret` at sp - 16, calls it, then exit(9): needs an executable stack."""
    RET = 0x00008067
    words = li(T0, RET) + [
        0x00000013,                                   # nop
        sw(T0, 2, -16),                               # sw t0, -16(sp)
        0x0000100F,                                   # fence.i
        addi(T0, 2, -16),                             # t0 = sp - 16
        jalr(1, T0, 0),                               # call it
    ] + exit_with(9)
    return code(words)


def with_symtab(img, entsize):
    """Appends a section table whose SHT_SYMTAB has the given sh_entsize."""
    strtab = b"\0main\0"
    sym = struct.pack("<IBBHQQ", 1, 0x12, 0, 1, T, 4)  # main: GLOBAL FUNC
    symtab = bytes(24) + sym
    base = len(img)
    body = symtab + strtab
    shoff = base + len(body)
    shdr = bytes(64)
    shdr += struct.pack("<IIQQQQIIQQ", 0, 2, 0, 0, base, len(symtab), 2, 1, 8, entsize)
    shdr += struct.pack("<IIQQQQIIQQ", 0, 3, 0, 0, base + len(symtab), len(strtab), 0, 0, 1, 0)
    out = bytearray(img + body + shdr)
    struct.pack_into("<Q", out, 0x28, shoff)
    struct.pack_into("<HHH", out, 0x3A, 64, 3, 0)
    return bytes(out)


# name, builder (-> bytes, or ("gcc", linker script or flags)), rvrun extra args,
# expectation: ("run", status, stdout) or ("refuse", words in rvrun's message),
# qemu: None (as expected) or (why it differs, expected qemu status or "refuse")
CASES = [
    # Empty PT_LOAD segments: Linux's elf_load maps nothing for p_memsz 0.
    ("empty-load-at-0", lambda: build(T, [text(), Seg(PT_LOAD, PF_R | PF_W, 0, offset=0)]),
     [], ("run", 7, MSG), None),
    ("empty-load-high", lambda: build(T, [text(), Seg(PT_LOAD, PF_R | PF_W, 0x7fff0000)]),
     [], ("run", 7, MSG), None),
    ("empty-load-first", lambda: build(T, [Seg(PT_LOAD, 0, 0, offset=0), text()]),
     [], ("run", 7, MSG), None),
    ("empty-load-linker-script", ("gcc", "empty"), [], ("run", 7, MSG), None),
    # p_align is not used for ET_EXEC: 0, 1 or not a power of two all load.
    ("align-0", lambda: build(T, [text(align=0)]), [], ("run", 7, MSG), None),
    ("align-1", lambda: build(T, [text(align=1)]), [], ("run", 7, MSG), None),
    ("align-3", lambda: build(T, [text(align=3)]), [], ("run", 7, MSG), None),
    # ...but mmap needs p_offset congruent to p_vaddr modulo the page size.
    ("offset-not-congruent", lambda: build(T, [text(offset=0x1100)]), [],
     ("refuse", "modulo the page"), None),
    ("omagic-not-congruent", ("gcc", "-N -Ttext=0x10000"), [], ("refuse", "modulo the page"),
     None),
    ("omagic-congruent", ("gcc", "-N -Ttext=0x100b0"), [], ("run", 7, MSG), None),
    # Segments sharing a page: the later segment's mapping replaces the page.
    ("shared-page-data-last", lambda: build(T, [
        Seg(PT_LOAD, PF_R | PF_X, T, probe_read(T + 0x800), offset=0x1000),
        Seg(PT_LOAD, PF_R | PF_W, T + 0x800, b"\x2a", offset=0x1800)]),
     [], ("refuse", "entry point"), ("Linux and qemu fault at the first fetch", 139)),
    ("shared-page-text-last-read", lambda: build(T, [
        Seg(PT_LOAD, PF_R | PF_W, T + 0x800, b"\x2a", offset=0x1800),
        Seg(PT_LOAD, PF_R | PF_X, T, probe_read(T + 0x800), offset=0x1000)]),
     [], ("run", 42, b""), None),
    ("shared-page-text-last-write", lambda: build(T, [
        Seg(PT_LOAD, PF_R | PF_W, T + 0x800, b"\x2a", offset=0x1800),
        Seg(PT_LOAD, PF_R | PF_X, T, probe_write(T + 0x800), offset=0x1000)]),
     [], ("run", 139, b""), None),
    # Permissions: RISC-V has no write-only pages, so PF_W alone is readable; X alone
    # is execute-only (write(2) from it fails with EFAULT).
    ("write-only-readable", lambda: build(T, [
        Seg(PT_LOAD, PF_R | PF_X, T, probe_read(D)), Seg(PT_LOAD, PF_W, D, b"\x05")]),
     [], ("run", 5, b""), None),
    ("execute-only", lambda: build(T, [Seg(PT_LOAD, PF_X, T, hello())]), [],
     ("run", 7, b""), None),
    ("read-only-data-store", lambda: build(T, [
        Seg(PT_LOAD, PF_R | PF_X, T, probe_write(D)), Seg(PT_LOAD, PF_R, D, b"\x05")]),
     [], ("run", 139, b""), None),
    # Other segment types are not the loader's business (PT_TLS is libc's).
    ("gnu-stack-rw", lambda: build(T, [text(), Seg(PT_GNU_STACK, PF_R | PF_W, 0, align=16)]),
     [], ("run", 7, MSG), None),
    ("gnu-stack-rw-exec-on-stack", lambda: build(T, [
        Seg(PT_LOAD, PF_R | PF_X, T, stack_exec()), Seg(PT_GNU_STACK, PF_R | PF_W, 0)]),
     [], ("run", 139, b""), None),
    ("gnu-stack-rwx-exec-on-stack", lambda: build(T, [
        Seg(PT_LOAD, PF_R | PF_X, T, stack_exec()),
        Seg(PT_GNU_STACK, PF_R | PF_W | PF_X, 0)]),
     [], ("run", 9, b""), None),
    ("gnu-relro-ignored", lambda: build(T, [
        Seg(PT_LOAD, PF_R | PF_X, T, probe_write(D)), Seg(PT_LOAD, PF_R | PF_W, D, b"\x05"),
        Seg(PT_GNU_RELRO, PF_R, D, b"\x05", offset=None)]),
     [], ("run", 3, b""), None),
    ("note", lambda: build(T, [text(), Seg(PT_NOTE, PF_R, 0, b"\x04\0\0\0junkjunkjunk", align=4)]),
     [], ("run", 7, MSG), None),
    ("tls", lambda: build(T, [text(), Seg(PT_LOAD, PF_R | PF_W, D, b"tls!", memsz=16),
                              Seg(PT_TLS, PF_R, D, b"tls!", memsz=16, align=8)]),
     [], ("run", 7, MSG), None),
    ("riscv-attributes", lambda: build(T, [
        Seg(PT_RISCV_ATTRIBUTES, PF_R, 0, b"A\x1b\0\0\0riscv\0", align=1), text()]),
     [], ("run", 7, MSG), None),
    ("phdr", lambda: build(T, [Seg(PT_PHDR, PF_R, T + 0x40, b"", memsz=0x70, offset=0x40),
                               text()]),
     [], ("run", 7, MSG), None),
    # Sections are never needed to run: a broken symbol table is no reason to refuse.
    ("symtab-entsize-1", lambda: with_symtab(build(T, [text()]), 1), [], ("run", 7, MSG), None),
    ("symtab-good", lambda: with_symtab(build(T, [text()]), 24), [], ("run", 7, MSG), None),
    # Entry points: an instruction address inside an executable segment.
    ("entry-odd", lambda: build(T + 1, [text()]), [], ("refuse", "2-byte aligned"), None),
    ("entry-2-mod-4-with-c", lambda: build(T + 2, [Seg(PT_LOAD, PF_R | PF_X, T,
                                                       hello(prefix=b"\x01\x00"))]),
     [], ("run", 7, MSG), None),
    ("entry-2-mod-4-without-c", lambda: build(T + 2, [Seg(PT_LOAD, PF_R | PF_X, T,
                                                          hello(prefix=b"\x01\x00"))]),
     ["--isa", "rv64ima"], ("refuse", "4-byte aligned"),
     ("qemu 7.2 with -cpu rv64,c=off still starts there; hardware raises a misaligned fetch",
      7)),
    ("entry-in-data", lambda: build(D, [text(), Seg(PT_LOAD, PF_R | PF_W, D, hello())]), [],
     ("refuse", "entry point"), None),
    # Refused by Linux: p_filesz > p_memsz (EINVAL in load_elf_binary), a dynamic program
    # whose interpreter is absent, and a program header table over 64 KiB.
    ("filesz-over-memsz", lambda: build(T, [text(memsz=8)]), [], ("refuse", "file size"),
     ("qemu 7.2 loads it", 7)),
    ("interp", lambda: build(T, [Seg(3, PF_R, 0x9000, b"/lib/ld-none.so.1\0", offset=0x900),
                                 text()]),
     [], ("refuse", "PT_INTERP"), None),
    ("phdr-table-over-64k", lambda: build(T, [text()] + [Seg(PT_NOTE, PF_R, 0)] * 1170),
     [], ("refuse", "program header"), ("qemu 7.2 has no such limit", 7)),
    ("phdr-table-at-64k", lambda: build(T, [text()] + [Seg(PT_NOTE, PF_R, 0)] * 1169),
     [], ("run", 7, MSG), None),
    # Page 0 is never mapped (Linux: vm.mmap_min_addr); overlapping segments are refused
    # (Linux would map the later over the earlier; no linker emits them).
    ("segment-in-page-0", lambda: build(T, [text(), Seg(PT_LOAD, PF_R, 0x800, b"x",
                                                        offset=0x3800)]),
     [], ("refuse", "outside guest memory"), ("qemu 7.2 maps page 0", 7)),
    ("overlapping", lambda: build(T, [text(), Seg(PT_LOAD, PF_R | PF_W, T + 0x80, b"abcd")]),
     [], ("refuse", "overlapping"), ("qemu maps the data page over the text", 139)),
]

ASM = """
.globl _start
_start:
  li a0, 1
  la a1, msg
  li a2, 3
  li a7, 64
  ecall
  li a0, 7
  li a7, 93
  ecall
.section .rodata
msg: .ascii "hi\\n"
"""

# An empty .data gets its own PT_LOAD of p_memsz 0 at address 0.
EMPTY_LD = """
PHDRS { text PT_LOAD; data PT_LOAD; }
SECTIONS {
  . = 0x10000;
  .text : { *(.text*) *(.rodata*) } :text
  . = ALIGN(0x1000);
  .data : { *(.data*) } :data
  .bss : { *(.bss*) } :data
}
"""


def gcc_build(gcc, how, tmp, name):
    src = os.path.join(tmp, "t.S")
    with open(src, "w") as f:
        f.write(ASM)
    out = os.path.join(tmp, name + ".elf")
    cmd = [gcc, "-nostdlib", "-static", "-march=rv64imac", "-mabi=lp64", "-o", out, src]
    if how == "empty":
        ld = os.path.join(tmp, "empty.ld")
        with open(ld, "w") as f:
            f.write(EMPTY_LD)
        cmd += ["-T", ld]
    else:
        cmd += ["-Wl," + w for w in how.split()]
    subprocess.run(cmd, check=True, capture_output=True)
    with open(out, "rb") as f:
        return f.read()


SYM_C = """
int counter = 5;
static int hidden = 7;
const char greeting[] = "hi";
static long scratch[4];
long bss_table[16];
static int helper(int x) { return x + hidden + (int)scratch[0]; }
int twice(int x) { return helper(x) * 2; }
void _start(void)
{
    register long a0 __asm__("a0") = twice(counter) + greeting[0] + bss_table[1];
    register long a7 __asm__("a7") = 93;
    __asm__ volatile("ecall" : : "r"(a0), "r"(a7));
    for (;;) {}
}
"""


def check_symbols(gcc, symcheck, tmp):
    """rvvm_symbol against nm for every defined symbol of a small compiled program."""
    src = os.path.join(tmp, "sym.c")
    with open(src, "w") as f:
        f.write(SYM_C)
    out = os.path.join(tmp, "sym.elf")
    subprocess.run([gcc, "-O0", "-nostdlib", "-static", "-march=rv64imac",
                    "-mabi=lp64", "-o", out, src], check=True, capture_output=True)
    nm = gcc[:-3] + "nm" if gcc.endswith("gcc") else "nm"
    want = {}
    for line in subprocess.run([nm, out], check=True, capture_output=True,
                               text=True).stdout.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1] in "TtDdBbRrAaGgSsV" and not parts[2].startswith("$"):
            want.setdefault(parts[2], []).append(int(parts[0], 16))
    names = sorted(want) + ["no_such_symbol"]
    for must in ("_start", "twice", "helper", "counter", "hidden", "greeting", "scratch",
                 "bss_table"):
        if must not in want:
            return [f"symbols: nm does not list {must}"]
    got = subprocess.run([symcheck, out] + names, check=True, capture_output=True,
                         text=True).stdout.split("\n")
    failures = []
    for name, line in zip(names, got):
        value = line.split()[1]
        if name not in want:
            ok = value == "-"
        else:
            ok = value != "-" and int(value, 16) in want[name]
        if not ok:
            failures.append(f"symbols: {name}: rvvm_symbol {value}, nm {want.get(name)}")
    print(f"symbols: {len(names) - 1} names compared with {nm}")
    return failures


def run(cmd):
    p = subprocess.run(cmd, capture_output=True, timeout=20)
    rc = p.returncode if p.returncode >= 0 else 128 - p.returncode
    return rc, p.stdout, p.stderr.decode(errors="replace")


def main():
    rvrun = sys.argv[1]
    qemu = sys.argv[2] if len(sys.argv) > 2 else ""
    gcc = sys.argv[3] if len(sys.argv) > 3 else ""
    symcheck = sys.argv[4] if len(sys.argv) > 4 else ""
    failures = []
    ran = 0
    with tempfile.TemporaryDirectory(prefix="rvvm-elf-") as tmp:
        for name, builder, args, want, qemu_note in CASES:
            if isinstance(builder, tuple):
                if not gcc:
                    print(f"SKIP {name}: no cross compiler")
                    continue
                img = gcc_build(gcc, builder[1], tmp, name)
            else:
                img = builder()
            path = os.path.join(tmp, name + ".elf")
            with open(path, "wb") as f:
                f.write(img)
            os.chmod(path, 0o755)
            ran += 1

            rc, out, err = run([rvrun] + args + [path])
            if want[0] == "run":
                ok = rc == want[1] and out == want[2]
                what = f"status {want[1]}, output {want[2]!r}"
            else:
                lines = err.splitlines()
                ok = (rc == 125 and out == b"" and len(lines) == 1 and
                      want[1].lower() in lines[0].lower())
                what = f"refusal (125, one line naming '{want[1]}')"
            line = f"{name}: rvrun {rc} {out!r} {err.strip()!r}"
            if not ok:
                failures.append(f"{line}; want {what}")

            if qemu:
                qargs = ["-cpu", "rv64,c=off"] if "--isa" in args else []
                qrc, qout, qerr = run([qemu] + qargs + [path])
                if qemu_note:
                    qok = qrc == qemu_note[1]
                    qwhat = f"status {qemu_note[1]} ({qemu_note[0]})"
                elif want[0] == "run":
                    qok, qwhat = qrc == want[1] and qout == want[2], what
                else:
                    qok = qout == b"" and (qerr.startswith("qemu-riscv64:") or qrc > 128)
                    qwhat = "refusal or a signal before any output"
                line += f"; qemu {qrc} {qout!r}"
                if not qok:
                    failures.append(f"{name}: qemu {qrc} {qout!r} {qerr.strip()!r}; want {qwhat}")
            print(("ok   " if ok else "FAIL ") + line)
        if gcc and symcheck:
            failures += check_symbols(gcc, symcheck, tmp)
    print(f"{ran} cases, {len(failures)} failures")
    for f in failures:
        print("FAIL", f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
