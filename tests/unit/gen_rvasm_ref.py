#!/usr/bin/env python3
"""Regenerates rvasm_ref.h: reference encodings from GNU as for test_rvasm.c.

Each entry pairs an instruction written in assembler syntax with the C
expression that should encode it using rvasm.h. GNU as (an independent
assembler) supplies the expected word, so the test checks our encoders, not
the other way round.

usage: python3 gen_rvasm_ref.py > rvasm_ref.h   (needs riscv64-unknown-elf-as)
"""
import os
import re
import subprocess
import sys
import tempfile

AS = "riscv64-unknown-elf-as"
OBJDUMP = "riscv64-unknown-elf-objdump"

regs = ["zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0", "a1", "a2",
        "a3", "a4", "a5", "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10",
        "s11", "t3", "t4", "t5", "t6"]
R = [r.upper() for r in regs]

entries = []  # (rvc, asm, cexpr)


def e32(asm, c):
    entries.append((False, asm, c))


def e16(asm, c):
    entries.append((True, asm, c))


# ---- 32-bit: every instruction, with a few immediate patterns each ----
e32("lui a0, 0x12345", "LUI(A0, 0x12345)")
e32("lui t6, 0xfffff", "LUI(T6, 0xfffff)")
e32("auipc gp, 0x80000", "AUIPC(GP, 0x80000)")
for off in (2, -2, 2046, -2048, 4094, -4096, 0x7fffe, -0x80000, 0xffffe, -0x100000, 0x800, 0x1000):
    e32(f"jal ra, .+{off}" if off >= 0 else f"jal ra, .{off}", f"JAL(RA, {off})")
e32("jalr zero, 0(ra)", "JALR(ZERO, RA, 0)")
e32("jalr t0, -2048(s11)", "JALR(T0, S11, -2048)")
for name, mac in (("beq", "BEQ"), ("bne", "BNE"), ("blt", "BLT"), ("bge", "BGE"),
                  ("bltu", "BLTU"), ("bgeu", "BGEU")):
    e32(f"{name} a0, a1, .+8", f"{mac}(A0, A1, 8)")
for off in (2, -2, 4094, -4096, 0x800, -0x800, 0x7fe, 0x20, 0x1e):
    e32(f"bne t1, t2, .+{off}" if off >= 0 else f"bne t1, t2, .{off}", f"BNE(T1, T2, {off})")
for name in ("lb", "lh", "lw", "ld", "lbu", "lhu", "lwu"):
    e32(f"{name} a3, -1(s1)", f"{name.upper()}(A3, S1, -1)")
    e32(f"{name} t6, 2047(zero)", f"{name.upper()}(T6, ZERO, 2047)")
for name in ("sb", "sh", "sw", "sd"):
    for imm in (-1, 2047, -2048, 31, 32, 0x5a5):
        e32(f"{name} a4, {imm}(sp)", f"{name.upper()}(A4, SP, {imm})")
for name in ("addi", "slti", "sltiu", "xori", "ori", "andi", "addiw"):
    for imm in (0, 1, -1, 2047, -2048, 0x555):
        e32(f"{name} a5, a6, {imm}", f"{name.upper()}(A5, A6, {imm})")
for name in ("slli", "srli", "srai"):
    for sh in (0, 1, 31, 32, 63):
        e32(f"{name} s2, s3, {sh}", f"{name.upper()}(S2, S3, {sh})")
for name in ("slliw", "srliw", "sraiw"):
    for sh in (0, 1, 31):
        e32(f"{name} s4, s5, {sh}", f"{name.upper()}(S4, S5, {sh})")
for name in ("add", "sub", "sll", "slt", "sltu", "xor", "srl", "sra", "or", "and",
             "addw", "subw", "sllw", "srlw", "sraw",
             "mul", "mulh", "mulhsu", "mulhu", "div", "divu", "rem", "remu",
             "mulw", "divw", "divuw", "remw", "remuw"):
    e32(f"{name} t3, t4, t5", f"{name.upper()}(T3, T4, T5)")
e32("fence iorw, iorw", "FENCE(15, 15)")
e32("fence r, w", "FENCE(2, 1)")
e32("fence.i", "FENCE_I()")
e32("ecall", "ECALL()")
e32("ebreak", "EBREAK()")
for name in ("csrrw", "csrrs", "csrrc"):
    e32(f"{name} a0, 0xc00, a1", f"{name.upper()}(A0, 0xc00, A1)")
    e32(f"{name} zero, 0x003, t6", f"{name.upper()}(ZERO, 0x003, T6)")
for name in ("csrrwi", "csrrsi", "csrrci"):
    e32(f"{name} a0, 0x001, 31", f"{name.upper()}(A0, 0x001, 31)")
    e32(f"{name} s1, 0xfff, 1", f"{name.upper()}(S1, 0xfff, 1)")
e32("lr.w a0, (a1)", "LR_W(A0, A1)")
e32("lr.d t0, (t1)", "LR_D(T0, T1)")
e32("sc.w a0, a2, (a1)", "SC_W(A0, A2, A1)")
e32("sc.d t0, t2, (t1)", "SC_D(T0, T2, T1)")
e32("lr.w.aqrl a0, (a1)", "enc_amo(AMO_LR, 2, 1, 1, A0, A1, 0)")
for f5, name in (("ADD", "amoadd"), ("SWAP", "amoswap"), ("XOR", "amoxor"), ("OR", "amoor"),
                 ("AND", "amoand"), ("MIN", "amomin"), ("MAX", "amomax"), ("MINU", "amominu"),
                 ("MAXU", "amomaxu")):
    e32(f"{name}.w a0, a2, (a1)", f"AMO_W(AMO_{f5}, A0, A2, A1)")
    e32(f"{name}.d s0, s2, (s1)", f"AMO_D(AMO_{f5}, S0, S2, S1)")
e32("amoadd.w.aq a0, a2, (a1)", "enc_amo(AMO_ADD, 2, 1, 0, A0, A1, A2)")
e32("amoadd.d.rl a0, a2, (a1)", "enc_amo(AMO_ADD, 3, 0, 1, A0, A1, A2)")

# ---- 16-bit: every RV64C form; immediates with single-bit and all-ones patterns ----
def bits_of(mask):
    return [1 << i for i in range(64) if mask >> i & 1]

for v in bits_of(0x3fc) + [0x3fc]:
    e16(f"c.addi4spn s0, sp, {v}", f"C_ADDI4SPN(S0, {v})")
for v in bits_of(0x7c) + [0x7c]:
    e16(f"c.lw a5, {v}(a0)", f"C_LW(A5, A0, {v})")
    e16(f"c.sw s1, {v}(a4)", f"C_SW(S1, A4, {v})")
for v in bits_of(0xf8) + [0xf8]:
    e16(f"c.ld a2, {v}(s0)", f"C_LD(A2, S0, {v})")
    e16(f"c.sd a3, {v}(a5)", f"C_SD(A3, A5, {v})")
e16("c.nop", "C_NOP()")
for v in [1, 2, 4, 8, 16, -32, -1, 31]:
    e16(f"c.addi t0, {v}", f"C_ADDI(T0, {v})")
    e16(f"c.addiw a0, {v}", f"C_ADDIW(A0, {v})")
    e16(f"c.andi s1, {v}", f"C_ANDI(S1, {v})")
for v in [0, 1, 2, 4, 8, 16, -32, -1, 31]:
    e16(f"c.li t6, {v}", f"C_LI(T6, {v})")
for v in [16, 32, 64, 128, 256, -512, -16, 496]:
    e16(f"c.addi16sp sp, {v}", f"C_ADDI16SP({v})")
for field in [1, 2, 4, 8, 16, 0x20, 0x3f, 0x1f]:
    val = field if field < 0x20 else field + 0xfffc0  # GNU as takes the 20-bit value
    e16(f"c.lui a1, {val:#x}", f"C_LUI(A1, {field:#x})")
for v in [1, 2, 4, 8, 16, 32, 63]:
    e16(f"c.srli a0, {v}", f"C_SRLI(A0, {v})")
    e16(f"c.srai a5, {v}", f"C_SRAI(A5, {v})")
    e16(f"c.slli s11, {v}", f"C_SLLI(S11, {v})")
for name, mac in (("c.sub", "C_SUB"), ("c.xor", "C_XOR"), ("c.or", "C_OR"), ("c.and", "C_AND"),
                  ("c.subw", "C_SUBW"), ("c.addw", "C_ADDW")):
    e16(f"{name} s0, a5", f"{mac}(S0, A5)")
    e16(f"{name} a5, s1", f"{mac}(A5, S1)")
for v in bits_of(0x7fe) + [-2048, -2, 2046]:
    e16(f"c.j .+{v}" if v >= 0 else f"c.j .{v}", f"C_J({v})")
for v in bits_of(0xfe) + [-256, -2, 254]:
    e16(f"c.beqz a0, .+{v}" if v >= 0 else f"c.beqz a0, .{v}", f"C_BEQZ(A0, {v})")
    e16(f"c.bnez s1, .+{v}" if v >= 0 else f"c.bnez s1, .{v}", f"C_BNEZ(S1, {v})")
for v in bits_of(0xfc) + [0xfc]:
    e16(f"c.lwsp ra, {v}(sp)", f"C_LWSP(RA, {v})")
    e16(f"c.swsp t6, {v}(sp)", f"C_SWSP(T6, {v})")
for v in bits_of(0x1f8) + [0x1f8]:
    e16(f"c.ldsp s10, {v}(sp)", f"C_LDSP(S10, {v})")
    e16(f"c.sdsp a7, {v}(sp)", f"C_SDSP(A7, {v})")
e16("c.jr ra", "C_JR(RA)")
e16("c.jr t6", "C_JR(T6)")
e16("c.jalr a0", "C_JALR(A0)")
e16("c.mv a0, t6", "C_MV(A0, T6)")
e16("c.add sp, ra", "C_ADD(SP, RA)")
e16("c.ebreak", "C_EBREAK()")


def assemble():
    with tempfile.TemporaryDirectory() as d:
        src = os.path.join(d, "ref.s")
        obj = os.path.join(d, "ref.o")
        with open(src, "w") as f:
            for rvc, asm, _ in entries:
                f.write(".option rvc\n" if rvc else ".option norvc\n")
                f.write(asm + "\n")
        subprocess.run([AS, "-march=rv64imac_zicsr_zifencei", src, "-o", obj], check=True)
        out = subprocess.run([OBJDUMP, "-d", "-M", "no-aliases", obj], check=True,
                             capture_output=True, text=True).stdout
    words = []
    for line in out.splitlines():
        m = re.match(r"\s*[0-9a-f]+:\s+([0-9a-f]{4,8})\s", line)
        if m:
            words.append(int(m.group(1), 16))
    if len(words) != len(entries):
        sys.exit(f"got {len(words)} words for {len(entries)} entries")
    return words


def main():
    words = assemble()
    print("/* Generated by gen_rvasm_ref.py from GNU as output. Do not edit. */")
    print("/* The encoders are functions, so the table is an initializer for a local array. */")
    print("struct rvasm_ref {\n    uint32_t ours;\n    uint32_t gnu;\n    const char *text;\n};")
    print("#define RVASM_REFS \\")
    print("    { \\")
    for (rvc, asm, c), w in zip(entries, words):
        width = 4 if rvc else 8
        print(f'        {{{c}, 0x{w:0{width}x}u, "{asm}"}}, \\')
    print("    }")

main()
