/*
 * The decoder, instruction by instruction: hand-assembled encodings (see
 * rvasm.h, itself checked against GNU as) for every format and family of
 * RV64IMAC + Zicsr + Zifencei, every RV64C form with its expansion, the
 * reserved encodings, ISA gating and per-class costs. Expected values come
 * from the ISA manual's encoding tables, not from running the decoder.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include "core/cpu.h"
#include "rvasm.h"

#define DC INT64_MIN /* "don't care" for a field */

static rvvm_cost_model unit_costs;

static rv_insn decode_isa(uint32_t raw, uint32_t isa)
{
    rv_insn in;
    memset(&in, 0xa5, sizeof in); /* the decoder must fill every field it sets */
    rv_decode(raw, isa, &unit_costs, &in);
    return in;
}

/*
 * Decodes raw and compares with the expectation. rd is the architectural
 * register: 0 must come back as RV_SINK_REG. Prints every mismatch.
 */
static bool check(uint32_t raw, uint32_t isa, int op, int64_t rd, int64_t rs1, int64_t rs2,
                  int64_t imm, unsigned len)
{
    rv_insn in = decode_isa(raw, isa);
    bool ok = true;
    if (in.op >= RV_OP_COUNT) {
        print_error("0x%08x: op %u out of range\n", (unsigned)raw, (unsigned)in.op);
        return false;
    }
    if (in.op != op) {
        print_error("0x%08x: op %s, want %s\n", (unsigned)raw, rv_op_names[in.op], rv_op_names[op]);
        ok = false;
    }
    if (rd != DC) {
        int64_t want = rd == 0 ? RV_SINK_REG : rd;
        if (in.rd != want) {
            print_error("0x%08x %s: rd %u, want %lld\n", (unsigned)raw, rv_op_names[op],
                        (unsigned)in.rd, (long long)want);
            ok = false;
        }
    }
    if (rs1 != DC && in.rs1 != rs1) {
        print_error("0x%08x %s: rs1 %u, want %lld\n", (unsigned)raw, rv_op_names[op],
                    (unsigned)in.rs1, (long long)rs1);
        ok = false;
    }
    if (rs2 != DC && in.rs2 != rs2) {
        print_error("0x%08x %s: rs2 %u, want %lld\n", (unsigned)raw, rv_op_names[op],
                    (unsigned)in.rs2, (long long)rs2);
        ok = false;
    }
    if (imm != DC && in.imm != imm) {
        print_error("0x%08x %s: imm %d (0x%x), want %lld\n", (unsigned)raw, rv_op_names[op],
                    (int)in.imm, (unsigned)in.imm, (long long)imm);
        ok = false;
    }
    if (in.len != len) {
        print_error("0x%08x %s: len %u, want %u\n", (unsigned)raw, rv_op_names[op],
                    (unsigned)in.len, len);
        ok = false;
    }
    uint32_t want_raw = len == 2 ? (raw & 0xffff) : raw;
    if (in.raw != want_raw) {
        print_error("0x%08x %s: raw 0x%x, want 0x%x\n", (unsigned)raw, rv_op_names[op],
                    (unsigned)in.raw, (unsigned)want_raw);
        ok = false;
    }
    /* Every register index must be usable as x[] index (x0..x31 and the sink). */
    if (in.rd > RV_SINK_REG || in.rs1 > 31 || in.rs2 > 31) {
        print_error("0x%08x: register index out of range\n", (unsigned)raw);
        ok = false;
    }
    return ok;
}

/* The subset under test: RV64IMAC + Zicsr + Zifencei (no F, D or B extensions). */
#define ISA (RVVM_ISA_M | RVVM_ISA_A | RVVM_ISA_C | RVVM_ISA_ZICSR | RVVM_ISA_ZIFENCEI)
/* A 32-bit instruction / a 16-bit one, full ISA. */
#define D32(raw, OP, rd, rs1, rs2, imm) assert_true(check(raw, ISA, RV_OP_##OP, rd, rs1, rs2, imm, 4))
#define D16(raw, OP, rd, rs1, rs2, imm) assert_true(check(raw, ISA, RV_OP_##OP, rd, rs1, rs2, imm, 2))
#define ILLEGAL32(raw) assert_true(check(raw, ISA, RV_OP_illegal, DC, DC, DC, DC, 4))
#define ILLEGAL16(raw) assert_true(check(raw, ISA, RV_OP_illegal, DC, DC, DC, DC, 2))

static int setup(void **state)
{
    (void)state;
    return rvvm_cost_model_builtin("unit", &unit_costs) == RVVM_OK ? 0 : -1;
}

/* ---- U and J formats ---------------------------------------------------- */

static void test_lui_auipc(void **state)
{
    (void)state;
    D32(0x12345537u, lui, A0, DC, DC, 0x12345000); /* lui a0, 0x12345 (GNU as) */
    D32(LUI(T6, 0x80000), lui, T6, DC, DC, INT32_MIN);  /* bit 31 set: negative */
    D32(LUI(S1, 0xfffff), lui, S1, DC, DC, -4096);
    D32(LUI(ZERO, 1), lui, 0, DC, DC, 0x1000);          /* rd = x0 goes to the sink */
    D32(AUIPC(GP, 0x00001), auipc, GP, DC, DC, 0x1000);
    D32(AUIPC(RA, 0xfffff), auipc, RA, DC, DC, -4096);
    for (unsigned b = 0; b < 20; b++) {
        int64_t want = b == 19 ? INT32_MIN : (int64_t)1 << (12 + b);
        D32(LUI(A5, 1u << b), lui, A5, DC, DC, want);
        D32(AUIPC(A5, 1u << b), auipc, A5, DC, DC, want);
    }
}

static void test_jal(void **state)
{
    (void)state;
    D32(0x0000006fu, jal, 0, DC, DC, 0);           /* j . */
    D32(0xffdff0efu, jal, RA, DC, DC, -4);         /* jal ra, .-4 */
    D32(JAL(RA, -1048576), jal, RA, DC, DC, -1048576);
    D32(JAL(T0, 1048574), jal, T0, DC, DC, 1048574);
    D32(JAL(ZERO, -2), jal, 0, DC, DC, -2);        /* all ones */
    /* Each offset bit on its own: the J-type scramble imm[20|10:1|11|19:12]. */
    for (unsigned b = 1; b <= 20; b++) {
        int64_t want = b == 20 ? -1048576 : (int64_t)1 << b;
        D32(JAL(A0, (int32_t)want), jal, A0, DC, DC, want);
        /* The same from raw bit positions, independently of enc_j. */
        uint32_t raw = 0x56fu; /* jal a0 */
        if (b == 20) raw |= 1u << 31;
        else if (b == 11) raw |= 1u << 20;
        else if (b >= 12) raw |= 1u << b;           /* imm[19:12] sit in place */
        else raw |= 1u << (20 + b);                 /* imm[10:1] at bits 30:21 */
        D32(raw, jal, A0, DC, DC, want);
    }
}

/* ---- I format --------------------------------------------------------- */

static void test_jalr(void **state)
{
    (void)state;
    D32(0x00008067u, jalr, 0, RA, DC, 0);          /* ret */
    D32(JALR(T0, S11, -2048), jalr, T0, S11, DC, -2048);
    D32(JALR(RA, A0, 2047), jalr, RA, A0, DC, 2047);
    D32(JALR(RA, A0, -1), jalr, RA, A0, DC, -1);
    ILLEGAL32(enc_i(OPC_JALR, 1, RA, A0, 0));     /* funct3 must be 0 */
    ILLEGAL32(enc_i(OPC_JALR, 4, RA, A0, 0));
}

static void test_loads(void **state)
{
    (void)state;
    D32(LB(A3, S1, -1), lb, A3, S1, DC, -1);
    D32(LH(A3, S1, 2047), lh, A3, S1, DC, 2047);
    D32(LW(A3, S1, -2048), lw, A3, S1, DC, -2048);
    D32(LD(T6, SP, 8), ld, T6, SP, DC, 8);
    D32(LBU(T6, ZERO, 0x7ff), lbu, T6, ZERO, DC, 0x7ff);
    D32(LHU(ZERO, A0, 2), lhu, 0, A0, DC, 2);
    D32(LWU(S11, T6, -4), lwu, S11, T6, DC, -4);
    D32(0x0085b503u, ld, A0, A1, DC, 8);           /* ld a0, 8(a1) */
    for (unsigned b = 0; b < 12; b++) {
        int64_t want = b == 11 ? -2048 : 1 << b;
        D32(0x00052283u | 1u << (20 + b), lw, T0, A0, DC, want); /* lw t0, imm(a0) */
    }
    ILLEGAL32(enc_i(OPC_LOAD, 7, A0, A1, 0));      /* no "ldu" in RV64 */
}

static void test_op_imm(void **state)
{
    (void)state;
    D32(0x02a00513u, addi, A0, ZERO, DC, 42);      /* li a0, 42 */
    D32(0x00000013u, addi, 0, ZERO, DC, 0);        /* nop */
    D32(ADDI(SP, SP, -16), addi, SP, SP, DC, -16);
    D32(SLTI(A0, A1, -2048), slti, A0, A1, DC, -2048);
    D32(SLTIU(A0, A1, -1), sltiu, A0, A1, DC, -1); /* seqz uses imm 1; -1 is the max */
    D32(XORI(A0, A1, -1), xori, A0, A1, DC, -1);   /* not */
    D32(ORI(T1, T2, 0x555), ori, T1, T2, DC, 0x555);
    D32(ANDI(T1, T2, 0x7ff), andi, T1, T2, DC, 0x7ff);
    for (unsigned b = 0; b < 12; b++) {
        int64_t want = b == 11 ? -2048 : 1 << b;
        D32(0x00058513u | 1u << (20 + b), addi, A0, A1, DC, want);
    }
    D32(0xfff58513u, addi, A0, A1, DC, -1);        /* all ones */
    /* Shifts: 6-bit shamt; the srai marker bit 30 is not part of the amount. */
    const unsigned shamts[] = {0, 1, 5, 31, 32, 63};
    for (size_t i = 0; i < sizeof shamts / sizeof shamts[0]; i++) {
        unsigned sh = shamts[i];
        D32(SLLI(S2, S3, sh), slli, S2, S3, DC, sh);
        D32(SRLI(S2, S3, sh), srli, S2, S3, DC, sh);
        D32(SRAI(S2, S3, sh), srai, S2, S3, DC, sh);
    }
    D32(0x03f59513u, slli, A0, A1, DC, 63);        /* slli a0, a1, 63 */
    D32(0x4205d513u, srai, A0, A1, DC, 32);        /* srai a0, a1, 32 */
    /* imm[11:6] must be 000000 (010000 for srai). */
    ILLEGAL32(enc_i(OPC_OP_IMM, 1, A0, A1, 0x040 | 1));
    ILLEGAL32(enc_i(OPC_OP_IMM, 1, A0, A1, 0x400 | 1)); /* no "slai" */
    ILLEGAL32(enc_i(OPC_OP_IMM, 1, A0, A1, 0x800));
    ILLEGAL32(enc_i(OPC_OP_IMM, 5, A0, A1, 0x040 | 3));
    ILLEGAL32(enc_i(OPC_OP_IMM, 5, A0, A1, 0x440 | 3));
    ILLEGAL32(enc_i(OPC_OP_IMM, 5, A0, A1, 0x200));
    ILLEGAL32(enc_i(OPC_OP_IMM, 5, A0, A1, 0xc00));
}

static void test_op_imm_32(void **state)
{
    (void)state;
    D32(ADDIW(A0, A1, -1), addiw, A0, A1, DC, -1);   /* sext.w uses imm 0 */
    D32(ADDIW(A0, A1, 2047), addiw, A0, A1, DC, 2047);
    D32(ADDIW(A0, A1, -2048), addiw, A0, A1, DC, -2048);
    D32(0x0005851bu, addiw, A0, A1, DC, 0);          /* sext.w a0, a1 */
    for (unsigned sh = 0; sh < 32; sh++) {
        D32(SLLIW(S4, S5, sh), slliw, S4, S5, DC, sh);
        D32(SRLIW(S4, S5, sh), srliw, S4, S5, DC, sh);
        D32(SRAIW(S4, S5, sh), sraiw, S4, S5, DC, sh);
    }
    /* RV64: the *IW shifts with imm[5] set are reserved. */
    ILLEGAL32(enc_i(OPC_OP_IMM_32, 1, A0, A1, 0x020));
    ILLEGAL32(enc_i(OPC_OP_IMM_32, 5, A0, A1, 0x020));
    ILLEGAL32(enc_i(OPC_OP_IMM_32, 5, A0, A1, 0x420));
    ILLEGAL32(enc_i(OPC_OP_IMM_32, 1, A0, A1, 0x400));
    /* funct3 other than 0, 1, 5 */
    for (unsigned f3 = 2; f3 < 8; f3++)
        if (f3 != 5)
            ILLEGAL32(enc_i(OPC_OP_IMM_32, f3, A0, A1, 0));
}

/* ---- S and B formats ---------------------------------------------------- */

static void test_stores(void **state)
{
    (void)state;
    D32(SB(A4, SP, -1), sb, DC, SP, A4, -1);
    D32(SH(A4, SP, 2047), sh, DC, SP, A4, 2047);
    D32(SW(A4, SP, -2048), sw, DC, SP, A4, -2048);
    D32(SD(RA, SP, 8), sd, DC, SP, RA, 8);
    D32(0x00113423u, sd, DC, SP, RA, 8);             /* sd ra, 8(sp) */
    D32(0xfe112e23u, sw, DC, SP, RA, -4);            /* sw ra, -4(sp) */
    /* imm[11:5] in bits 31:25 and imm[4:0] in bits 11:7. */
    for (unsigned b = 0; b < 12; b++) {
        int64_t want = b == 11 ? -2048 : 1 << b;
        uint32_t raw = 0x00b53023u; /* sd a1, 0(a0) */
        raw |= b < 5 ? 1u << (7 + b) : 1u << (25 + b - 5);
        D32(raw, sd, DC, A0, A1, want);
    }
    for (unsigned f3 = 4; f3 < 8; f3++)
        ILLEGAL32(enc_s(OPC_STORE, f3, A0, A1, 0));
}

static void test_branches(void **state)
{
    (void)state;
    D32(BEQ(A0, A1, 8), beq, DC, A0, A1, 8);
    D32(BNE(A0, A1, -8), bne, DC, A0, A1, -8);
    D32(BLT(T0, ZERO, 4094), blt, DC, T0, ZERO, 4094);
    D32(BGE(ZERO, T0, -4096), bge, DC, ZERO, T0, -4096);
    D32(BLTU(S11, T6, 2), bltu, DC, S11, T6, 2);
    D32(BGEU(T6, S11, -2), bgeu, DC, T6, S11, -2);
    D32(0xfe051ee3u, bne, DC, A0, ZERO, -4);         /* bnez a0, .-4 */
    D32(0x00b50463u, beq, DC, A0, A1, 8);            /* beq a0, a1, .+8 */
    /* B-type scramble imm[12|10:5] at 31:25, imm[4:1|11] at 11:7. */
    for (unsigned b = 1; b <= 12; b++) {
        int64_t want = b == 12 ? -4096 : 1 << b;
        uint32_t raw = 0x00b50063u; /* beq a0, a1, 0 */
        if (b == 12) raw |= 1u << 31;
        else if (b == 11) raw |= 1u << 7;
        else if (b >= 5) raw |= 1u << (25 + b - 5);
        else raw |= 1u << (8 + b - 1);
        D32(raw, beq, DC, A0, A1, want);
    }
    ILLEGAL32(enc_b(OPC_BRANCH, 2, A0, A1, 8));
    ILLEGAL32(enc_b(OPC_BRANCH, 3, A0, A1, 8));
}

/* ---- R format ----------------------------------------------------------- */

static void test_op(void **state)
{
    (void)state;
    D32(ADD(T3, T4, T5), add, T3, T4, T5, DC);
    D32(SUB(T3, T4, T5), sub, T3, T4, T5, DC);
    D32(SLL(A0, A1, A2), sll, A0, A1, A2, DC);
    D32(SLT(A0, A1, A2), slt, A0, A1, A2, DC);
    D32(SLTU(A0, ZERO, A2), sltu, A0, ZERO, A2, DC);
    D32(XOR(S1, S2, S3), xor, S1, S2, S3, DC);
    D32(SRL(S1, S2, S3), srl, S1, S2, S3, DC);
    D32(SRA(S1, S2, S3), sra, S1, S2, S3, DC);
    D32(OR(ZERO, RA, SP), or, 0, RA, SP, DC);
    D32(AND(T6, T6, T6), and, T6, T6, T6, DC);
    D32(0x40b50533u, sub, A0, A0, A1, DC);           /* sub a0, a0, a1 */
    D32(ADDW(A0, A1, A2), addw, A0, A1, A2, DC);
    D32(SUBW(A0, A1, A2), subw, A0, A1, A2, DC);
    D32(SLLW(A0, A1, A2), sllw, A0, A1, A2, DC);
    D32(SRLW(A0, A1, A2), srlw, A0, A1, A2, DC);
    D32(SRAW(A0, A1, A2), sraw, A0, A1, A2, DC);
    /* funct7 other than 0000000 / 0100000 (sub, sra) / 0000001 (M) */
    ILLEGAL32(enc_r(OPC_OP, 0, 0x02, A0, A1, A2));
    ILLEGAL32(enc_r(OPC_OP, 0, 0x40, A0, A1, A2));
    ILLEGAL32(enc_r(OPC_OP, 1, 0x20, A0, A1, A2));   /* no "sla" */
    ILLEGAL32(enc_r(OPC_OP, 4, 0x20, A0, A1, A2));
    ILLEGAL32(enc_r(OPC_OP, 7, 0x21, A0, A1, A2));
    ILLEGAL32(enc_r(OPC_OP, 5, 0x7f, A0, A1, A2));
    ILLEGAL32(enc_r(OPC_OP_32, 2, 0x00, A0, A1, A2));
    ILLEGAL32(enc_r(OPC_OP_32, 1, 0x20, A0, A1, A2));
    ILLEGAL32(enc_r(OPC_OP_32, 1, 0x01, A0, A1, A2)); /* no mulhw */
    ILLEGAL32(enc_r(OPC_OP_32, 3, 0x01, A0, A1, A2));
    ILLEGAL32(enc_r(OPC_OP_32, 0, 0x10, A0, A1, A2));
}

static void test_m(void **state)
{
    (void)state;
    D32(MUL(A0, A1, A2), mul, A0, A1, A2, DC);
    D32(MULH(A0, A1, A2), mulh, A0, A1, A2, DC);
    D32(MULHSU(A0, A1, A2), mulhsu, A0, A1, A2, DC);
    D32(MULHU(A0, A1, A2), mulhu, A0, A1, A2, DC);
    D32(DIV(A0, A1, A2), div, A0, A1, A2, DC);
    D32(DIVU(A0, A1, A2), divu, A0, A1, A2, DC);
    D32(REM(A0, A1, A2), rem, A0, A1, A2, DC);
    D32(REMU(A0, A1, A2), remu, A0, A1, A2, DC);
    D32(MULW(T0, T1, T2), mulw, T0, T1, T2, DC);
    D32(DIVW(T0, T1, T2), divw, T0, T1, T2, DC);
    D32(DIVUW(T0, T1, T2), divuw, T0, T1, T2, DC);
    D32(REMW(T0, T1, T2), remw, T0, T1, T2, DC);
    D32(REMUW(T0, T1, T2), remuw, T0, T1, T2, DC);
    D32(0x02b50533u, mul, A0, A0, A1, DC);           /* mul a0, a0, a1 */
    D32(0x02b5453bu, divw, A0, A0, A1, DC);          /* divw a0, a0, a1 */
}

/* ---- Fences and system -------------------------------------------------- */

static void test_fence_system(void **state)
{
    (void)state;
    D32(FENCE(15, 15), fence, DC, DC, DC, DC);
    D32(0x0ff0000fu, fence, DC, DC, DC, DC);          /* fence iorw, iorw */
    D32(0x8330000fu, fence, DC, DC, DC, DC);          /* fence.tso */
    D32(0x0100000fu, fence, DC, DC, DC, DC);          /* pause */
    D32(FENCE_I(), fence_i, DC, DC, DC, DC);
    D32(0x0000100fu, fence_i, DC, DC, DC, DC);
    for (unsigned f3 = 2; f3 < 8; f3++)
        ILLEGAL32(enc_i(OPC_MISC_MEM, f3, 0, 0, 0));
    D32(0x00000073u, ecall, DC, DC, DC, DC);
    D32(0x00100073u, ebreak, DC, DC, DC, DC);
    /* Privileged instructions do not exist in user mode. */
    ILLEGAL32(0x30200073u); /* mret */
    ILLEGAL32(0x10200073u); /* sret */
    ILLEGAL32(0x00200073u); /* uret */
    ILLEGAL32(0x10500073u); /* wfi */
    ILLEGAL32(0x12000073u); /* sfence.vma */
    ILLEGAL32(0x7b200073u); /* dret */
    /* ecall/ebreak with non-zero rd or rs1 are reserved. */
    ILLEGAL32(0x000000f3u);
    ILLEGAL32(0x00008073u);
    ILLEGAL32(0x00200073u | 1u << 7);
    /* SYSTEM funct3 = 4 (hypervisor loads) */
    ILLEGAL32(enc_i(OPC_SYSTEM, 4, A0, A1, 0x600));
}

static void test_csr(void **state)
{
    (void)state;
    /* The read-only user counters may be read: rdcycle, rdtime, rdinstret. */
    D32(CSRRS(RA, 0xc00, ZERO), csrrs, RA, ZERO, DC, 0xc00);
    D32(0xc0102573u, csrrs, A0, ZERO, DC, 0xc01);    /* rdtime a0 */
    D32(0xc0202573u, csrrs, A0, ZERO, DC, 0xc02);    /* rdinstret a0 */
    D32(CSRRC(A0, 0xc00, ZERO), csrrc, A0, ZERO, DC, 0xc00);
    D32(CSRRSI(A0, 0xc02, 0), csrrsi, A0, 0, DC, 0xc02);
    D32(CSRRCI(A0, 0xc01, 0), csrrci, A0, 0, DC, 0xc01);
    /* ...but writing them is illegal, even with rd = x0 (csrrw always writes). */
    ILLEGAL32(CSRRW(RA, 0xc00, A2));                 /* csrrw x1, cycle, x2 */
    ILLEGAL32(CSRRW(ZERO, 0xc00, ZERO));
    ILLEGAL32(CSRRS(RA, 0xc00, A2));
    ILLEGAL32(CSRRC(RA, 0xc02, A2));
    ILLEGAL32(CSRRWI(RA, 0xc01, 0));
    ILLEGAL32(CSRRSI(RA, 0xc00, 1));
    ILLEGAL32(CSRRCI(RA, 0xc02, 31));
    /* fflags, frm, fcsr (F extension): read and write; the *I forms carry uimm in rs1. */
    const uint32_t isa_f = ISA | RVVM_ISA_F;
#define D32F(raw, OP, rd, rs1, rs2, imm) \
    assert_true(check(raw, isa_f, RV_OP_##OP, rd, rs1, rs2, imm, 4))
    D32F(CSRRW(A0, 0x003, A1), csrrw, A0, A1, DC, 0x003);
    D32F(CSRRS(ZERO, 0x001, T6), csrrs, 0, T6, DC, 0x001);
    D32F(CSRRC(A0, 0x002, A1), csrrc, A0, A1, DC, 0x002);
    D32F(CSRRWI(A0, 0x001, 31), csrrwi, A0, 31, DC, 0x001);
    D32F(CSRRSI(A0, 0x002, 1), csrrsi, A0, 1, DC, 0x002);
    D32F(CSRRCI(S1, 0x003, 16), csrrci, S1, 16, DC, 0x003);
    D32F(0x00359073u, csrrw, 0, A1, DC, 0x003);      /* fscsr a1 */
    D32F(CSRRS(RA, 0xc00, ZERO), csrrs, RA, ZERO, DC, 0xc00);
#undef D32F
    /* Without F they do not exist (the F chapter defines fcsr). */
    ILLEGAL32(CSRRW(A0, 0x003, A1));
    ILLEGAL32(CSRRS(A0, 0x001, ZERO));
    ILLEGAL32(CSRRSI(A0, 0x002, 0));
    ILLEGAL32(CSRRWI(A0, 0x001, 31));
    /* Unknown or privileged CSRs. */
    ILLEGAL32(CSRRS(A0, 0x7c0, ZERO));
    ILLEGAL32(CSRRS(A0, 0x300, ZERO));               /* mstatus */
    ILLEGAL32(CSRRS(A0, 0x100, ZERO));               /* sstatus */
    ILLEGAL32(CSRRS(A0, 0xf14, ZERO));               /* mhartid */
    ILLEGAL32(CSRRS(A0, 0xc80, ZERO));               /* cycleh: RV32 only */
    ILLEGAL32(CSRRS(A0, 0x000, ZERO));               /* ustatus (N, gone) */
    ILLEGAL32(CSRRW(A0, 0x7c0, A1));
    ILLEGAL32(CSRRSI(A0, 0xfff, 0));
}

static void test_amo(void **state)
{
    (void)state;
    D32(LR_W(A0, A1), lr_w, A0, A1, DC, DC);
    D32(LR_D(T0, T1), lr_d, T0, T1, DC, DC);
    D32(SC_W(A0, A2, A1), sc_w, A0, A1, A2, DC);
    D32(SC_D(T0, T2, T1), sc_d, T0, T1, T2, DC);
    D32(0x1605a52fu, lr_w, A0, A1, DC, DC);          /* lr.w.aqrl a0, (a1) */
    static const struct {
        uint32_t f5;
        rv_op w, d;
    } amos[] = {
        {AMO_SWAP, RV_OP_amoswap_w, RV_OP_amoswap_d}, {AMO_ADD, RV_OP_amoadd_w, RV_OP_amoadd_d},
        {AMO_XOR, RV_OP_amoxor_w, RV_OP_amoxor_d},    {AMO_AND, RV_OP_amoand_w, RV_OP_amoand_d},
        {AMO_OR, RV_OP_amoor_w, RV_OP_amoor_d},       {AMO_MIN, RV_OP_amomin_w, RV_OP_amomin_d},
        {AMO_MAX, RV_OP_amomax_w, RV_OP_amomax_d},    {AMO_MINU, RV_OP_amominu_w, RV_OP_amominu_d},
        {AMO_MAXU, RV_OP_amomaxu_w, RV_OP_amomaxu_d},
    };
    for (size_t i = 0; i < sizeof amos / sizeof amos[0]; i++) {
        for (uint32_t aqrl = 0; aqrl < 4; aqrl++) {
            uint32_t w = enc_amo(amos[i].f5, 2, aqrl >> 1, aqrl & 1, A0, A1, A2);
            uint32_t d = enc_amo(amos[i].f5, 3, aqrl >> 1, aqrl & 1, ZERO, S1, S2);
            assert_true(check(w, ISA, amos[i].w, A0, A1, A2, DC, 4));
            assert_true(check(d, ISA, amos[i].d, 0, S1, S2, DC, 4));
        }
    }
    /* lr with rs2 != 0 is reserved */
    ILLEGAL32(enc_amo(AMO_LR, 2, 0, 0, A0, A1, 1));
    ILLEGAL32(enc_amo(AMO_LR, 3, 1, 1, A0, A1, 31));
    /* funct5 values that are no AMO */
    const uint32_t bad_f5[] = {0x05, 0x06, 0x07, 0x09, 0x0d, 0x11, 0x1e, 0x1f};
    for (size_t i = 0; i < sizeof bad_f5 / sizeof bad_f5[0]; i++) {
        ILLEGAL32(enc_amo(bad_f5[i], 2, 0, 0, A0, A1, A2));
        ILLEGAL32(enc_amo(bad_f5[i], 3, 0, 0, A0, A1, A2));
    }
    /* Widths other than .w/.d (byte/half AMOs are Zabha, not implemented). */
    ILLEGAL32(enc_amo(AMO_ADD, 0, 0, 0, A0, A1, A2));
    ILLEGAL32(enc_amo(AMO_ADD, 1, 0, 0, A0, A1, A2));
    ILLEGAL32(enc_amo(AMO_ADD, 4, 0, 0, A0, A1, A2));
    ILLEGAL32(enc_amo(AMO_LR, 7, 0, 0, A0, A1, 0));
}

static void test_unknown_opcodes(void **state)
{
    (void)state;
    ILLEGAL32(0xffffffffu);
    /* Major opcodes this ISA does not have: FP, custom, V, reserved. */
    const uint32_t opcodes[] = {0x07, 0x0b, 0x1f, 0x27, 0x2b, 0x3f, 0x43, 0x47, 0x4b,
                                0x4f, 0x53, 0x57, 0x5b, 0x5f, 0x6b, 0x77, 0x7b, 0x7f};
    for (size_t i = 0; i < sizeof opcodes / sizeof opcodes[0]; i++) {
        ILLEGAL32(opcodes[i]);
        ILLEGAL32(opcodes[i] | 0x00a58500u);
    }
}

/* ---- RV64C ------------------------------------------------------------ */

/* All x8..x15 for the 3-bit register fields. */
static const unsigned cregs[] = {8, 9, 10, 11, 12, 13, 14, 15};

static void test_c_quadrant0(void **state)
{
    (void)state;
    /* c.addi4spn rd', nzuimm -> addi rd', sp, nzuimm (nzuimm[9:2]) */
    D16(0x0040u, addi, S0, SP, DC, 4);               /* c.addi4spn s0, sp, 4 */
    for (unsigned b = 2; b <= 9; b++)
        D16(C_ADDI4SPN(S0, 1u << b), addi, S0, SP, DC, 1 << b);
    D16(C_ADDI4SPN(A5, 0x3fc), addi, A5, SP, DC, 0x3fc);
    for (size_t i = 0; i < 8; i++)
        D16(C_ADDI4SPN(cregs[i], 8), addi, cregs[i], SP, DC, 8);
    ILLEGAL16(0x0000u);                               /* the defined illegal instruction */
    ILLEGAL16(0x0004u);                               /* nzuimm = 0, rd' = s1 */
    ILLEGAL16(0x001cu);                               /* nzuimm = 0, rd' = a5 */

    /* c.lw / c.sw: uimm[5:3] at 12:10, uimm[2] at 6, uimm[6] at 5 */
    for (unsigned b = 2; b <= 6; b++) {
        D16(C_LW(A5, A0, 1u << b), lw, A5, A0, DC, 1 << b);
        D16(C_SW(S1, A4, 1u << b), sw, DC, A4, S1, 1 << b);
    }
    D16(C_LW(A5, A0, 0x7c), lw, A5, A0, DC, 0x7c);
    D16(C_SW(S1, A4, 0x7c), sw, DC, A4, S1, 0x7c);
    D16(0x4188u, lw, A0, A1, DC, 0);                  /* c.lw a0, 0(a1) */
    for (size_t i = 0; i < 8; i++) {
        D16(C_LW(cregs[i], cregs[7 - i], 0), lw, cregs[i], cregs[7 - i], DC, 0);
        D16(C_SW(cregs[i], cregs[7 - i], 0), sw, DC, cregs[7 - i], cregs[i], 0);
    }
    /* c.ld / c.sd: uimm[5:3] at 12:10, uimm[7:6] at 6:5 */
    for (unsigned b = 3; b <= 7; b++) {
        D16(C_LD(A2, S0, 1u << b), ld, A2, S0, DC, 1 << b);
        D16(C_SD(A3, A5, 1u << b), sd, DC, A5, A3, 1 << b);
    }
    D16(C_LD(A2, S0, 0xf8), ld, A2, S0, DC, 0xf8);
    D16(C_SD(A3, A5, 0xf8), sd, DC, A5, A3, 0xf8);
    D16(0x6508u, ld, A0, A0, DC, 8);                  /* c.ld a0, 8(a0) */
    D16(0xe42eu, sd, DC, SP, A1, 8);                  /* c.sdsp a1, 8(sp) (quadrant 2) */
    for (size_t i = 0; i < 8; i++) {
        D16(C_LD(cregs[i], cregs[(i + 3) % 8], 0), ld, cregs[i], cregs[(i + 3) % 8], DC, 0);
        D16(C_SD(cregs[i], cregs[(i + 3) % 8], 0), sd, DC, cregs[(i + 3) % 8], cregs[i], 0);
    }
    /* FP loads/stores (no F/D here) and the reserved funct3 = 100 */
    ILLEGAL16(0x2008u);                               /* c.fld fa0, 0(s0) */
    ILLEGAL16(0x2000u | 7u << 10 | 3u << 5 | 1u << 7 | 2u << 2);
    ILLEGAL16(0xa008u);                               /* c.fsd fa0, 0(s0) */
    ILLEGAL16(0x8000u);
    ILLEGAL16(0x8000u | 0x1ffcu);
}

static void test_c_quadrant1(void **state)
{
    (void)state;
    /* c.nop and c.addi: addi rd, rd, sext(imm[5:0]) */
    D16(C_NOP(), addi, 0, ZERO, DC, 0);
    D16(0x0001u, addi, 0, ZERO, DC, 0);
    D16(0x0505u, addi, A0, A0, DC, 1);                /* c.addi a0, 1 */
    D16(0x1579u, addi, A0, A0, DC, -2);               /* c.addi a0, -2 */
    const int32_t imm6[] = {1, 2, 4, 8, 16, 31};
    for (size_t i = 0; i < sizeof imm6 / sizeof imm6[0]; i++) {
        D16(C_ADDI(T0, imm6[i]), addi, T0, T0, DC, imm6[i]);
        D16(C_ADDIW(A0, imm6[i]), addiw, A0, A0, DC, imm6[i]);
        D16(C_LI(T6, imm6[i]), addi, T6, ZERO, DC, imm6[i]);
        D16(C_ANDI(S1, imm6[i]), andi, S1, S1, DC, imm6[i]);
    }
    /* imm[5] is the sign: 0b100000 = -32, 0b111111 = -1 */
    D16(C_ADDI(T0, -32), addi, T0, T0, DC, -32);
    D16(C_ADDI(T0, -1), addi, T0, T0, DC, -1);
    D16(C_ADDIW(A0, -32), addiw, A0, A0, DC, -32);
    D16(C_ADDIW(A0, -1), addiw, A0, A0, DC, -1);
    D16(C_ADDIW(A0, 0), addiw, A0, A0, DC, 0);       /* sext.w */
    D16(C_LI(T6, -32), addi, T6, ZERO, DC, -32);
    D16(C_LI(T6, -1), addi, T6, ZERO, DC, -1);
    D16(C_LI(T6, 0), addi, T6, ZERO, DC, 0);
    D16(C_ANDI(S1, -32), andi, S1, S1, DC, -32);
    D16(C_ANDI(S1, -1), andi, S1, S1, DC, -1);
    D16(0x4505u, addi, A0, ZERO, DC, 1);              /* c.li a0, 1 */
    D16(0x2505u, addiw, A0, A0, DC, 1);               /* c.addiw a0, 1 */
    /* c.addiw with rd = x0 is reserved */
    ILLEGAL16(0x2005u);
    ILLEGAL16(0x2001u);
    /* HINTs decode as harmless writes to x0 (to the sink), not as illegal */
    D16(C_ADDI(ZERO, 5), addi, 0, ZERO, DC, 5);
    D16(C_ADDI(A0, 0), addi, A0, A0, DC, 0);
    D16(C_LI(ZERO, 7), addi, 0, ZERO, DC, 7);

    /* c.addi16sp: nzimm[9] at 12, nzimm[4|6|8:7|5] at 6:2 */
    for (unsigned b = 4; b <= 8; b++)
        D16(C_ADDI16SP(1 << b), addi, SP, SP, DC, 1 << b);
    D16(C_ADDI16SP(-512), addi, SP, SP, DC, -512);    /* bit 9 alone */
    D16(C_ADDI16SP(-16), addi, SP, SP, DC, -16);      /* all ones */
    D16(C_ADDI16SP(496), addi, SP, SP, DC, 496);
    D16(0x7139u, addi, SP, SP, DC, -64);              /* c.addi16sp sp, -64 */
    D16(0x6121u, addi, SP, SP, DC, 64);               /* c.addi16sp sp, 64 */
    ILLEGAL16(C_ADDI16SP(0));                         /* nzimm = 0 reserved */
    ILLEGAL16(0x6101u);

    /* c.lui: nzimm[17] at 12, nzimm[16:12] at 6:2, sign-extended from bit 17 */
    for (unsigned b = 0; b < 5; b++)
        D16(C_LUI(A1, 1u << b), lui, A1, DC, DC, (int64_t)1 << (12 + b));
    D16(C_LUI(A1, 0x20), lui, A1, DC, DC, -0x20000);
    D16(C_LUI(A1, 0x3f), lui, A1, DC, DC, -0x1000);
    D16(C_LUI(A1, 0x1f), lui, A1, DC, DC, 0x1f000);
    D16(0x6585u, lui, A1, DC, DC, 0x1000);            /* c.lui a1, 1 */
    D16(C_LUI(ZERO, 1), lui, 0, DC, DC, 0x1000);     /* HINT */
    ILLEGAL16(C_LUI(A1, 0));                          /* nzimm = 0 reserved */
    ILLEGAL16(C_LUI(ZERO, 0));
    ILLEGAL16(C_LUI(T6, 0));

    /* c.srli, c.srai: 6-bit shamt, shamt[5] at bit 12 */
    const unsigned sh[] = {1, 2, 4, 8, 16, 32, 63};
    for (size_t i = 0; i < sizeof sh / sizeof sh[0]; i++) {
        D16(C_SRLI(A0, sh[i]), srli, A0, A0, DC, sh[i]);
        D16(C_SRAI(A5, sh[i]), srai, A5, A5, DC, sh[i]);
    }
    D16(0x8505u, srai, A0, A0, DC, 1);                /* c.srai a0, 1 */
    D16(0x9101u, srli, A0, A0, DC, 32);               /* c.srli a0, 32 */
    for (size_t i = 0; i < 8; i++) {
        D16(C_SRLI(cregs[i], 3), srli, cregs[i], cregs[i], DC, 3);
        D16(C_SRAI(cregs[i], 3), srai, cregs[i], cregs[i], DC, 3);
        D16(C_ANDI(cregs[i], 3), andi, cregs[i], cregs[i], DC, 3);
    }

    /* c.sub/xor/or/and/subw/addw rd', rs2' -> op rd', rd', rs2' */
    for (size_t i = 0; i < 8; i++) {
        unsigned d = cregs[i], s = cregs[(i + 5) % 8];
        D16(C_SUB(d, s), sub, d, d, s, DC);
        D16(C_XOR(d, s), xor, d, d, s, DC);
        D16(C_OR(d, s), or, d, d, s, DC);
        D16(C_AND(d, s), and, d, d, s, DC);
        D16(C_SUBW(d, s), subw, d, d, s, DC);
        D16(C_ADDW(d, s), addw, d, d, s, DC);
    }
    D16(0x8d0du, sub, A0, A0, A1, DC);                /* c.sub a0, a1 */
    D16(0x9d2du, addw, A0, A0, A1, DC);               /* c.addw a0, a1 */
    /* bit 12 = 1 with funct2 10/11: reserved */
    ILLEGAL16(0x9c01u | 2u << 5);
    ILLEGAL16(0x9c01u | 3u << 5);
    ILLEGAL16(0x9c01u | 2u << 5 | 7u << 7 | 7u << 2);
    ILLEGAL16(0x9c01u | 3u << 5 | 5u << 7 | 1u << 2);

    /* c.j: offset[11|4|9:8|10|6|7|3:1|5] -> jal x0 */
    for (unsigned b = 1; b <= 10; b++)
        D16(C_J(1 << b), jal, 0, DC, DC, 1 << b);
    D16(C_J(-2048), jal, 0, DC, DC, -2048);           /* bit 11 alone */
    D16(C_J(-2), jal, 0, DC, DC, -2);                 /* all ones */
    D16(C_J(2046), jal, 0, DC, DC, 2046);
    D16(0xa001u, jal, 0, DC, DC, 0);                  /* c.j . */
    D16(0xbffdu, jal, 0, DC, DC, -2);                 /* c.j .-2 */
    /* c.beqz/c.bnez: offset[8|4:3] at 12:10, [7:6|2:1|5] at 6:2 */
    for (unsigned b = 1; b <= 7; b++) {
        D16(C_BEQZ(A0, 1 << b), beq, DC, A0, ZERO, 1 << b);
        D16(C_BNEZ(S1, 1 << b), bne, DC, S1, ZERO, 1 << b);
    }
    D16(C_BEQZ(A0, -256), beq, DC, A0, ZERO, -256);
    D16(C_BNEZ(S1, -256), bne, DC, S1, ZERO, -256);
    D16(C_BEQZ(A0, -2), beq, DC, A0, ZERO, -2);
    D16(C_BNEZ(S1, -2), bne, DC, S1, ZERO, -2);
    D16(C_BEQZ(A0, 254), beq, DC, A0, ZERO, 254);
    D16(0xc119u, beq, DC, A0, ZERO, 6);               /* c.beqz a0, .+6 */
    D16(0xfd65u, bne, DC, A0, ZERO, -8);              /* c.bnez a0, .-8 */
    for (size_t i = 0; i < 8; i++) {
        D16(C_BEQZ(cregs[i], 4), beq, DC, cregs[i], ZERO, 4);
        D16(C_BNEZ(cregs[i], -4), bne, DC, cregs[i], ZERO, -4);
    }
}

static void test_c_quadrant2(void **state)
{
    (void)state;
    /* c.slli rd, shamt -> slli rd, rd, shamt (6 bits) */
    const unsigned sh[] = {1, 2, 4, 8, 16, 32, 63};
    for (size_t i = 0; i < sizeof sh / sizeof sh[0]; i++)
        D16(C_SLLI(S11, sh[i]), slli, S11, S11, DC, sh[i]);
    D16(0x1502u, slli, A0, A0, DC, 32);               /* c.slli a0, 32 */
    D16(C_SLLI(ZERO, 3), slli, 0, ZERO, DC, 3);      /* HINT */

    /* c.lwsp: uimm[5] at 12, uimm[4:2|7:6] at 6:2; rd = 0 reserved */
    for (unsigned b = 2; b <= 7; b++)
        D16(C_LWSP(RA, 1u << b), lw, RA, SP, DC, 1 << b);
    D16(C_LWSP(RA, 0xfc), lw, RA, SP, DC, 0xfc);
    D16(0x4532u, lw, A0, SP, DC, 12);                 /* c.lwsp a0, 12(sp) */
    D16(C_LWSP(T6, 0), lw, T6, SP, DC, 0);
    ILLEGAL16(C_LWSP(ZERO, 0));
    ILLEGAL16(C_LWSP(ZERO, 0xfc));
    /* c.ldsp: uimm[5] at 12, uimm[4:3|8:6] at 6:2; rd = 0 reserved */
    for (unsigned b = 3; b <= 8; b++)
        D16(C_LDSP(S10, 1u << b), ld, S10, SP, DC, 1 << b);
    D16(C_LDSP(S10, 0x1f8), ld, S10, SP, DC, 0x1f8);
    D16(0x60a2u, ld, RA, SP, DC, 8);                  /* c.ldsp ra, 8(sp) */
    ILLEGAL16(C_LDSP(ZERO, 0));
    ILLEGAL16(C_LDSP(ZERO, 8));

    /* c.jr, c.mv, c.ebreak, c.jalr, c.add */
    D16(0x8082u, jalr, 0, RA, DC, 0);                 /* ret */
    D16(C_JR(T6), jalr, 0, T6, DC, 0);
    ILLEGAL16(C_JR(ZERO));                            /* 0x8002: reserved */
    ILLEGAL16(0x8002u);
    D16(C_MV(A0, T6), add, A0, ZERO, T6, DC);
    D16(0x852eu, add, A0, ZERO, A1, DC);              /* c.mv a0, a1 */
    D16(C_MV(ZERO, A0), add, 0, ZERO, A0, DC);        /* HINT */
    D16(0x9002u, ebreak, DC, DC, DC, DC);
    D16(C_JALR(A0), jalr, RA, A0, DC, 0);
    D16(0x9082u, jalr, RA, RA, DC, 0);                /* c.jalr ra */
    D16(C_ADD(SP, RA), add, SP, SP, RA, DC);
    D16(0x952eu, add, A0, A0, A1, DC);                /* c.add a0, a1 */
    D16(C_ADD(ZERO, A1), add, 0, ZERO, A1, DC);       /* HINT */
    for (unsigned r = 1; r < 32; r++) {
        D16(C_JR(r), jalr, 0, r, DC, 0);
        D16(C_JALR(r), jalr, RA, r, DC, 0);
        D16(C_MV(r, 32 - r), add, r, ZERO, 32 - r, DC);
        D16(C_ADD(r, 32 - r), add, r, r, 32 - r, DC);
    }

    /* c.swsp: uimm[5:2|7:6] at 12:7; c.sdsp: uimm[5:3|8:6] at 12:7 */
    for (unsigned b = 2; b <= 7; b++)
        D16(C_SWSP(T6, 1u << b), sw, DC, SP, T6, 1 << b);
    D16(C_SWSP(T6, 0xfc), sw, DC, SP, T6, 0xfc);
    D16(C_SWSP(ZERO, 4), sw, DC, SP, ZERO, 4);
    for (unsigned b = 3; b <= 8; b++)
        D16(C_SDSP(A7, 1u << b), sd, DC, SP, A7, 1 << b);
    D16(C_SDSP(A7, 0x1f8), sd, DC, SP, A7, 0x1f8);
    D16(0xe406u, sd, DC, SP, RA, 8);                  /* c.sdsp ra, 8(sp) */
    D16(0xc62au, sw, DC, SP, A0, 12);                 /* c.swsp a0, 12(sp) */

    /* FP loads/stores from sp: c.fldsp, c.fsdsp (no D) */
    ILLEGAL16(0x2502u);                               /* c.fldsp fa0, 0(sp) */
    ILLEGAL16(0xa02au);                               /* c.fsdsp fa0, 0(sp) */
}

/* The upper 16 bits do not matter for a compressed instruction. */
static void test_c_ignores_upper_half(void **state)
{
    (void)state;
    D16(0xffff0000u | C_ADDI(A0, 1), addi, A0, A0, DC, 1);
    D16(0x12340000u | C_J(-2), jal, 0, DC, DC, -2);
    ILLEGAL16(0xffff0000u);
}

/* ---- ISA gating ------------------------------------------------------- */

static void test_isa_restrictions(void **state)
{
    (void)state;
    const uint32_t no_m = ISA & ~(uint32_t)RVVM_ISA_M;
    const uint32_t no_a = ISA & ~(uint32_t)RVVM_ISA_A;
    const uint32_t no_c = ISA & ~(uint32_t)RVVM_ISA_C;
    const uint32_t no_csr = ISA & ~(uint32_t)RVVM_ISA_ZICSR;
    const uint32_t no_fencei = ISA & ~(uint32_t)RVVM_ISA_ZIFENCEI;

    const uint32_t m_insns[] = {MUL(A0, A1, A2), MULH(A0, A1, A2), MULHU(A0, A1, A2),
                                DIV(A0, A1, A2), REMU(A0, A1, A2), MULW(A0, A1, A2),
                                DIVW(A0, A1, A2), REMUW(A0, A1, A2)};
    for (size_t i = 0; i < sizeof m_insns / sizeof m_insns[0]; i++) {
        assert_true(check(m_insns[i], no_m, RV_OP_illegal, DC, DC, DC, DC, 4));
        assert_int_not_equal(decode_isa(m_insns[i], ISA).op, RV_OP_illegal);
    }
    assert_true(check(ADD(A0, A1, A2), no_m, RV_OP_add, A0, A1, A2, DC, 4));

    assert_true(check(AMO_W(AMO_ADD, A0, A2, A1), no_a, RV_OP_illegal, DC, DC, DC, DC, 4));
    assert_true(check(LR_W(A0, A1), no_a, RV_OP_illegal, DC, DC, DC, DC, 4));
    assert_true(check(SC_D(A0, A2, A1), no_a, RV_OP_illegal, DC, DC, DC, DC, 4));
    assert_true(check(AMO_D(AMO_MAXU, A0, A2, A1), no_a, RV_OP_illegal, DC, DC, DC, DC, 4));
    assert_true(check(AMO_W(AMO_ADD, A0, A2, A1), ISA, RV_OP_amoadd_w, A0, A1, A2, DC, 4));

    /* Without C every 16-bit encoding is illegal, and keeps its length. */
    const uint32_t c_insns[] = {C_NOP(), C_ADDI(A0, 1), C_LI(A0, 5), C_J(4), C_JR(RA),
                                C_LWSP(RA, 4), C_SDSP(RA, 8), C_ADDI4SPN(S0, 16),
                                C_LW(A0, A1, 4), C_MV(A0, A1), C_EBREAK()};
    for (size_t i = 0; i < sizeof c_insns / sizeof c_insns[0]; i++) {
        assert_true(check(c_insns[i], no_c, RV_OP_illegal, DC, DC, DC, DC, 2));
        assert_int_not_equal(decode_isa(c_insns[i], ISA).op, RV_OP_illegal);
    }
    assert_true(check(ADDI(A0, A0, 1), no_c, RV_OP_addi, A0, A0, DC, 1, 4));

    assert_true(check(CSRRS(RA, 0xc00, ZERO), no_csr, RV_OP_illegal, DC, DC, DC, DC, 4));
    assert_true(check(CSRRWI(A0, 0x001, 3), no_csr | RVVM_ISA_F, RV_OP_illegal, DC, DC, DC, DC, 4));
    assert_true(check(CSRRC(A0, 0xc02, ZERO), no_csr, RV_OP_illegal, DC, DC, DC, DC, 4));
    assert_true(check(FENCE_I(), no_fencei, RV_OP_illegal, DC, DC, DC, DC, 4));
    assert_true(check(FENCE(15, 15), no_fencei, RV_OP_fence, DC, DC, DC, DC, 4));

    /* Plain RV64I still has ecall, ebreak, fence and the whole base set. */
    assert_true(check(ECALL(), 0, RV_OP_ecall, DC, DC, DC, DC, 4));
    assert_true(check(EBREAK(), 0, RV_OP_ebreak, DC, DC, DC, DC, 4));
    assert_true(check(FENCE(15, 15), 0, RV_OP_fence, DC, DC, DC, DC, 4));
    assert_true(check(LD(A0, SP, 8), 0, RV_OP_ld, A0, SP, DC, 8, 4));
    assert_true(check(SRAIW(A0, A1, 3), 0, RV_OP_sraiw, A0, A1, DC, 3, 4));
    assert_true(check(MUL(A0, A1, A2), 0, RV_OP_illegal, DC, DC, DC, DC, 4));
    assert_true(check(C_NOP(), 0, RV_OP_illegal, DC, DC, DC, DC, 2));
}

/* ---- ISA strings and configurations ------------------------------------ */

static void test_isa_strings(void **state)
{
    (void)state;
    const uint32_t M = RVVM_ISA_M, A = RVVM_ISA_A, C = RVVM_ISA_C, F = RVVM_ISA_F,
                   D = RVVM_ISA_D, ZICSR = RVVM_ISA_ZICSR, ZIFENCEI = RVVM_ISA_ZIFENCEI;
    const struct {
        const char *text;
        uint32_t isa;
    } good[] = {
        {"rv64i", 0},
        {"rv64imac", M | A | C},
        {"rv64imac_zicsr_zifencei", M | A | C | ZICSR | ZIFENCEI},
        {"RV64IMAC_Zicsr", M | A | C | ZICSR},     /* ISA strings ignore case */
        {"rv64ima", M | A},
        {"rv64gc", M | A | F | D | C | ZICSR | ZIFENCEI},
        {"rv64g", M | A | F | D | ZICSR | ZIFENCEI},
        {"rv64imafd_zicsr", M | A | F | D | ZICSR},
        {"rv64i_zifencei", ZIFENCEI},
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        uint32_t isa = 0xdeadbeef;
        if (rvvm_isa_parse(good[i].text, &isa) != RVVM_OK || isa != good[i].isa)
            print_error("\"%s\": got 0x%x, want 0x%x\n", good[i].text, (unsigned)isa,
                        (unsigned)good[i].isa);
        assert_int_equal(rvvm_isa_parse(good[i].text, &isa), RVVM_OK);
        assert_int_equal(isa, good[i].isa);
    }
    const char *const bad[] = {
        "", "rv64", "rv32imac", "rv128i", "rv64mac", "imac", "rv64imacx", "rv64imac_",
        "rv64imac_zfoo", "rv64imac_zicsrx", "rv64i_zicsr_", "rv64iv", "rv64iq",
        "rv64id", /* D without F */
        " rv64imac", "rv64imac ",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        uint32_t isa = 0x12345678;
        if (rvvm_isa_parse(bad[i], &isa) == RVVM_OK)
            print_error("\"%s\" accepted as 0x%x\n", bad[i], (unsigned)isa);
        assert_int_equal(rvvm_isa_parse(bad[i], &isa), RVVM_ERR_INVALID_ARGUMENT);
        assert_int_equal(isa, 0x12345678); /* untouched */
    }
    uint32_t isa;
    assert_int_equal(rvvm_isa_parse(NULL, &isa), RVVM_ERR_INVALID_ARGUMENT);
    assert_int_equal(rvvm_isa_parse("rv64i", NULL), RVVM_ERR_INVALID_ARGUMENT);
}

/* rvvm_create takes the same rules as the ISA strings. */
static void test_isa_configs(void **state)
{
    (void)state;
    rvvm_config c;
    rvvm_config_init(&c);
    c.memory_size = RVVM_MIN_MEMORY_SIZE;
    rvvm_machine *m = NULL;
    c.isa = 0;
    assert_int_equal(rvvm_create(&c, &m), RVVM_OK);   /* plain RV64I */
    rvvm_destroy(m);
    c.isa = ISA;
    assert_int_equal(rvvm_create(&c, &m), RVVM_OK);
    rvvm_destroy(m);
    c.isa = RVVM_ISA_ALL;
    assert_int_equal(rvvm_create(&c, &m), RVVM_OK);
    rvvm_destroy(m);
    c.isa = RVVM_ISA_ALL + 1u;                          /* an unknown bit... */
    if ((c.isa & RVVM_ISA_ALL) != c.isa) {
        m = (rvvm_machine *)&c;
        assert_int_equal(rvvm_create(&c, &m), RVVM_ERR_INVALID_ARGUMENT);
        assert_null(m);
    }
    c.isa = 1u << 31;
    assert_int_equal(rvvm_create(&c, &m), RVVM_ERR_INVALID_ARGUMENT);
    /* BUG: src/core/machine.c (rvvm_create) accepts RVVM_ISA_D without RVVM_ISA_F,
     * although rvvm.h says D requires F and rvvm_isa_parse rejects "rv64id". */
    c.isa = ISA | RVVM_ISA_D;
    m = NULL;
    rvvm_status st = rvvm_create(&c, &m);
    rvvm_destroy(m);
    assert_int_equal(st, RVVM_ERR_INVALID_ARGUMENT);
}

/* ---- Costs and coverage ----------------------------------------------- */

/* One representative encoding per instruction, with the class rvvm.h assigns it. */
typedef struct op_case {
    uint32_t raw;
    rv_op op;
    rvvm_cost_class cls;
} op_case;

static size_t op_cases(op_case *out)
{
    size_t n = 0;
#define OC(raw_, op_, cls_) (out[n++] = (op_case){(raw_), RV_OP_##op_, RVVM_COST_##cls_})
    OC(LUI(A0, 1), lui, ALU);
    OC(AUIPC(A0, 1), auipc, ALU);
    OC(JAL(RA, 8), jal, JUMP);
    OC(JALR(RA, A0, 0), jalr, JUMP);
    OC(BEQ(A0, A1, 8), beq, BRANCH);
    OC(BNE(A0, A1, 8), bne, BRANCH);
    OC(BLT(A0, A1, 8), blt, BRANCH);
    OC(BGE(A0, A1, 8), bge, BRANCH);
    OC(BLTU(A0, A1, 8), bltu, BRANCH);
    OC(BGEU(A0, A1, 8), bgeu, BRANCH);
    OC(LB(A0, A1, 0), lb, LOAD);
    OC(LH(A0, A1, 0), lh, LOAD);
    OC(LW(A0, A1, 0), lw, LOAD);
    OC(LD(A0, A1, 0), ld, LOAD);
    OC(LBU(A0, A1, 0), lbu, LOAD);
    OC(LHU(A0, A1, 0), lhu, LOAD);
    OC(LWU(A0, A1, 0), lwu, LOAD);
    OC(SB(A0, A1, 0), sb, STORE);
    OC(SH(A0, A1, 0), sh, STORE);
    OC(SW(A0, A1, 0), sw, STORE);
    OC(SD(A0, A1, 0), sd, STORE);
    OC(ADDI(A0, A1, 1), addi, ALU);
    OC(SLTI(A0, A1, 1), slti, ALU);
    OC(SLTIU(A0, A1, 1), sltiu, ALU);
    OC(XORI(A0, A1, 1), xori, ALU);
    OC(ORI(A0, A1, 1), ori, ALU);
    OC(ANDI(A0, A1, 1), andi, ALU);
    OC(SLLI(A0, A1, 1), slli, ALU);
    OC(SRLI(A0, A1, 1), srli, ALU);
    OC(SRAI(A0, A1, 1), srai, ALU);
    OC(ADD(A0, A1, A2), add, ALU);
    OC(SUB(A0, A1, A2), sub, ALU);
    OC(SLL(A0, A1, A2), sll, ALU);
    OC(SLT(A0, A1, A2), slt, ALU);
    OC(SLTU(A0, A1, A2), sltu, ALU);
    OC(XOR(A0, A1, A2), xor, ALU);
    OC(SRL(A0, A1, A2), srl, ALU);
    OC(SRA(A0, A1, A2), sra, ALU);
    OC(OR(A0, A1, A2), or, ALU);
    OC(AND(A0, A1, A2), and, ALU);
    OC(ADDIW(A0, A1, 1), addiw, ALU);
    OC(SLLIW(A0, A1, 1), slliw, ALU);
    OC(SRLIW(A0, A1, 1), srliw, ALU);
    OC(SRAIW(A0, A1, 1), sraiw, ALU);
    OC(ADDW(A0, A1, A2), addw, ALU);
    OC(SUBW(A0, A1, A2), subw, ALU);
    OC(SLLW(A0, A1, A2), sllw, ALU);
    OC(SRLW(A0, A1, A2), srlw, ALU);
    OC(SRAW(A0, A1, A2), sraw, ALU);
    OC(FENCE(15, 15), fence, FENCE);
    OC(ECALL(), ecall, ECALL);
    OC(EBREAK(), ebreak, EBREAK);
    OC(FENCE_I(), fence_i, FENCE);
    OC(CSRRW(A0, 3, A1), csrrw, CSR);
    OC(CSRRS(A0, 0xc00, ZERO), csrrs, CSR);
    OC(CSRRC(A0, 3, A1), csrrc, CSR);
    OC(CSRRWI(A0, 1, 1), csrrwi, CSR);
    OC(CSRRSI(A0, 1, 1), csrrsi, CSR);
    OC(CSRRCI(A0, 1, 1), csrrci, CSR);
    OC(MUL(A0, A1, A2), mul, MUL);
    OC(MULH(A0, A1, A2), mulh, MUL);
    OC(MULHSU(A0, A1, A2), mulhsu, MUL);
    OC(MULHU(A0, A1, A2), mulhu, MUL);
    OC(DIV(A0, A1, A2), div, DIV);
    OC(DIVU(A0, A1, A2), divu, DIV);
    OC(REM(A0, A1, A2), rem, DIV);
    OC(REMU(A0, A1, A2), remu, DIV);
    OC(MULW(A0, A1, A2), mulw, MUL);
    OC(DIVW(A0, A1, A2), divw, DIV);
    OC(DIVUW(A0, A1, A2), divuw, DIV);
    OC(REMW(A0, A1, A2), remw, DIV);
    OC(REMUW(A0, A1, A2), remuw, DIV);
    OC(LR_W(A0, A1), lr_w, ATOMIC);
    OC(SC_W(A0, A2, A1), sc_w, ATOMIC);
    OC(AMO_W(AMO_SWAP, A0, A2, A1), amoswap_w, ATOMIC);
    OC(AMO_W(AMO_ADD, A0, A2, A1), amoadd_w, ATOMIC);
    OC(AMO_W(AMO_XOR, A0, A2, A1), amoxor_w, ATOMIC);
    OC(AMO_W(AMO_AND, A0, A2, A1), amoand_w, ATOMIC);
    OC(AMO_W(AMO_OR, A0, A2, A1), amoor_w, ATOMIC);
    OC(AMO_W(AMO_MIN, A0, A2, A1), amomin_w, ATOMIC);
    OC(AMO_W(AMO_MAX, A0, A2, A1), amomax_w, ATOMIC);
    OC(AMO_W(AMO_MINU, A0, A2, A1), amominu_w, ATOMIC);
    OC(AMO_W(AMO_MAXU, A0, A2, A1), amomaxu_w, ATOMIC);
    OC(LR_D(A0, A1), lr_d, ATOMIC);
    OC(SC_D(A0, A2, A1), sc_d, ATOMIC);
    OC(AMO_D(AMO_SWAP, A0, A2, A1), amoswap_d, ATOMIC);
    OC(AMO_D(AMO_ADD, A0, A2, A1), amoadd_d, ATOMIC);
    OC(AMO_D(AMO_XOR, A0, A2, A1), amoxor_d, ATOMIC);
    OC(AMO_D(AMO_AND, A0, A2, A1), amoand_d, ATOMIC);
    OC(AMO_D(AMO_OR, A0, A2, A1), amoor_d, ATOMIC);
    OC(AMO_D(AMO_MIN, A0, A2, A1), amomin_d, ATOMIC);
    OC(AMO_D(AMO_MAX, A0, A2, A1), amomax_d, ATOMIC);
    OC(AMO_D(AMO_MINU, A0, A2, A1), amominu_d, ATOMIC);
    OC(AMO_D(AMO_MAXU, A0, A2, A1), amomaxu_d, ATOMIC);
    /* Compressed forms cost what their expansion costs. */
    OC(C_LW(A0, A1, 4), lw, LOAD);
    OC(C_SDSP(RA, 8), sd, STORE);
    OC(C_J(4), jal, JUMP);
    OC(C_JALR(A0), jalr, JUMP);
    OC(C_BNEZ(A0, 4), bne, BRANCH);
    OC(C_ADD(A0, A1), add, ALU);
    OC(C_LUI(A0, 1), lui, ALU);
    OC(C_EBREAK(), ebreak, EBREAK);
#undef OC
    return n;
}

/* The extension of each op, as named in insn_table.h. */
static const char *const op_ext[RV_OP_COUNT] = {
#define RV_OP_EXTNAME(name, ext, cls, flags, shape) #ext,
    RV_INSN_LIST(RV_OP_EXTNAME)
#undef RV_OP_EXTNAME
};

/* The shape column of insn_table.h: shape X marks the internal ops that no
 * encoding decodes to (slot states, specialised and fused forms). */
static const unsigned char op_shape[RV_OP_COUNT] = {
#define RV_OP_SHAPE(name, ext, cls, flags, shape) RV_SHAPE_##shape,
    RV_INSN_LIST(RV_OP_SHAPE)
#undef RV_OP_SHAPE
};

static bool internal_op(int op)
{
    return op_shape[op] == RV_SHAPE_X;
}

static bool in_subset(int op)
{
    static const char *const exts[] = {"I", "M", "A", "ZICSR", "ZIFENCEI"};
    for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++)
        if (strcmp(op_ext[op], exts[i]) == 0)
            return true;
    return false;
}

/* Every RV64IMAC/Zicsr/Zifencei instruction is covered here, with its class and cost. */
static void test_every_op_has_its_cost_class(void **state)
{
    (void)state;
    op_case cases[160];
    size_t n = op_cases(cases);
    assert_true(n <= sizeof cases / sizeof cases[0]);
    /* Distinct costs per class, so any misclassification shows. */
    rvvm_cost_model distinct;
    memset(&distinct, 0, sizeof distinct);
    for (int c = 0; c < RVVM_COST_CLASS_COUNT; c++)
        distinct.cost[c] = 1000u + 7u * (unsigned)c;
    bool seen[RV_OP_COUNT] = {false};
    size_t bad = 0;
    for (size_t i = 0; i < n; i++) {
        rv_insn in;
        /* F for the fcsr accesses among the CSR cases */
        rv_decode(cases[i].raw, ISA | RVVM_ISA_F, &distinct, &in);
        if (in.op != cases[i].op || rv_op_cost_class(in.op) != cases[i].cls ||
            in.cost != distinct.cost[cases[i].cls]) {
            print_error("0x%08x: %s class %u cost %u, want %s class %u cost %u\n",
                        (unsigned)cases[i].raw, rv_op_names[in.op], (unsigned)rv_op_cost_class(in.op),
                        (unsigned)in.cost, rv_op_names[cases[i].op], (unsigned)cases[i].cls,
                        (unsigned)distinct.cost[cases[i].cls]);
            bad++;
        }
        seen[cases[i].op] = true;
    }
    assert_int_equal(bad, 0);
    /* Coverage: every real instruction of the subset in insn_table.h appears above. */
    size_t covered = 0;
    for (int op = 0; op < RV_OP_COUNT; op++) {
        if (internal_op(op) || !in_subset(op))
            continue;
        covered++;
        if (!seen[op])
            print_error("instruction %s has no test case\n", rv_op_names[op]);
        assert_true(seen[op]);
    }
    assert_int_equal(covered, 52 + 1 + 6 + 13 + 22); /* RV64I, Zifencei, Zicsr, M, A */
}

static void test_weighted_costs(void **state)
{
    (void)state;
    rvvm_cost_model w;
    assert_int_equal(rvvm_cost_model_builtin("weighted", &w), RVVM_OK);
    struct {
        uint32_t raw;
        uint32_t cost;
    } cases[] = {
        {DIV(A0, A1, A2), 32},  {REMUW(A0, A1, A2), 32}, {ECALL(), 500},
        {BEQ(A0, A1, 8), 3},    {C_BEQZ(A0, 8), 3},      {JAL(RA, 8), 3},
        {ADD(A0, A1, A2), 1},   {LUI(A0, 1), 1},          {LD(A0, A1, 0), 2},
        {SD(A0, A1, 0), 3},     {MUL(A0, A1, A2), 5},     {AMO_W(AMO_ADD, A0, A2, A1), 5},
        {CSRRS(A0, 0xc00, 0), 2}, {FENCE(15, 15), 2},     {EBREAK(), 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        rv_insn in;
        rv_decode(cases[i].raw, ISA, &w, &in);
        assert_int_equal(in.cost, cases[i].cost);
    }
    rv_insn in;
    rv_decode(DIV(A0, A1, A2), ISA, &unit_costs, &in);
    assert_int_equal(in.cost, 1);
}


/* Disassembly of tricky encodings; expectations are objdump 2.40's text (its
 * tab as one space), worked out from the ISA manual's encodings. */
static void test_disassemble(void **state)
{
    (void)state;
    static const struct {
        uint32_t raw;
        uint64_t pc;
        const char *text;
    } cases[] = {
        {0x0000, 0x10004, "unimp"},                 /* c.unimp: the all-zero halfword */
        {0x0001, 0, "nop"},                         /* c.nop */
        {0x0005, 0, "c.nop 1"},                     /* c.addi zero,1: a hint */
        {0x8082, 0, "ret"},                         /* c.jr ra */
        {0x852e, 0, "mv a0,a1"},                    /* c.mv */
        {0x9002, 0, "ebreak"},                      /* c.ebreak */
        {0x1141, 0, "add sp,sp,-16"},               /* c.addi: objdump names addi "add" */
        {0x2501, 0, "sext.w a0,a0"},                /* c.addiw a0,0 */
        {0x0002, 0, "c.slli64 zero"},               /* c.slli shamt 0 */
        {0x6101, 0, "add sp,sp,0"},                 /* c.addi16sp 0: reserved, objdump shows it */
        {0xa001, 0x100d8, "j 100d8"},               /* c.j 0 */
        {0xc119, 0x1000, "beqz a0,1006"},           /* c.beqz a0,+6 */
        {0x00000013, 0, "nop"},
        {0x00100513, 0, "li a0,1"},
        {0x0005051b, 0, "sext.w a0,a0"},
        {0x40b00533, 0, "neg a0,a1"},
        {0x0015b513, 0, "seqz a0,a1"},
        {0xfff5c513, 0, "not a0,a1"},
        {0x0ff5f513, 0, "zext.b a0,a1"},
        {0x02051513, 0, "sll a0,a0,0x20"},          /* slli: objdump says "sll" */
        {0x0005151b, 0, "sllw a0,a0,0x0"},
        {0x0000006f, 0x10058, "j 10058"},
        {0xffdff0ef, 0x10000, "jal fffc"},
        {0x000500e7, 0, "jalr a0"},
        {0x00850067, 0, "jr 8(a0)"},
        {0x00c58533, 0, "add a0,a1,a2"},
        {0x0ff0000f, 0, "fence"},
        {0x8330000f, 0, "fence.tso"},
        {0x0330000f, 0, "fence rw,rw"},
        {0x0000100f, 0, "fence.i"},
        {0x0605252f, 0, "amoadd.w.aqrl a0,zero,(a0)"},
        {0x1405b52f, 0, "lr.d.aq a0,(a1)"},
        {0xc0002573, 0, "rdcycle a0"},
        {0x00102573, 0, "frflags a0"},
        {0x00215073, 0, "fsrmi zero,2"},
        {0x30002573, 0, "csrr a0,mstatus"},
        {0x30529073, 0, "csrw mtvec,t0"},
        {0xc0001073, 0, "unimp"},
        {0xc2051553, 0, "fcvt.w.d a0,fa0,rtz"},
        {0xc2057553, 0, "fcvt.w.d a0,fa0"},
        {0x02b50553, 0, "fadd.d fa0,fa0,fa1,rne"},
        {0x22b58553, 0, "fmv.d fa0,fa1"},
        {0xd2050553, 0, "fcvt.d.w fa0,a0"},
        {0xd2057553, 0, ".4byte 0xd2057553"},       /* exact conversion with rm: objdump rejects */
        {0x0ec5d533, 0, "czero.eqz a0,a1,a2"},
        {0x0ec5f533, 0, "czero.nez a0,a1,a2"},
        {0x0805453b, 0, "zext.h a0,a0"},
        {0x00002063, 0, ".4byte 0x2063"},           /* branch funct3 2: no instruction */
        {0x30200073, 0, ".4byte 0x30200073"},       /* mret: not a user-mode instruction */
    };
    char buf[64];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t len = rvvm_disassemble(cases[i].raw, cases[i].pc, RVVM_ISA_ALL, buf, sizeof buf);
        if (strcmp(buf, cases[i].text) != 0)
            print_error("0x%08x: '%s', want '%s'\n", (unsigned)cases[i].raw, buf, cases[i].text);
        assert_string_equal(buf, cases[i].text);
        assert_int_equal(len, (cases[i].raw & 3) == 3 ? 4 : 2);
    }
    /* Outside the ISA: objdump's data form; the upper halfword of a 16-bit one is ignored. */
    assert_int_equal(rvvm_disassemble(0xffff8082, 0, RVVM_ISA_DEFAULT & ~RVVM_ISA_C, buf, sizeof buf), 2);
    assert_string_equal(buf, ".2byte 0x8082");
    assert_int_equal(rvvm_disassemble(0xffff8082, 0, RVVM_ISA_DEFAULT, buf, sizeof buf), 2);
    assert_string_equal(buf, "ret");
    rvvm_disassemble(0x02b50533, 0, RVVM_ISA_DEFAULT & ~RVVM_ISA_M, buf, sizeof buf);
    assert_string_equal(buf, ".4byte 0x2b50533");
    rvvm_disassemble(0x00102573, 0, RVVM_ISA_DEFAULT & ~(RVVM_ISA_F | RVVM_ISA_D), buf, sizeof buf);
    assert_string_equal(buf, "csrr a0,fflags");
    /* Truncation: NUL-terminated within size; size 0 writes nothing. */
    char small[6] = "xxxxx";
    assert_int_equal(rvvm_disassemble(0x00c58533, 0, RVVM_ISA_ALL, small, 5), 4);
    assert_string_equal(small, "add ");
    assert_int_equal(rvvm_disassemble(0x00c58533, 0, RVVM_ISA_ALL, small, 0), 4);
    assert_string_equal(small, "add ");
    assert_int_equal(rvvm_disassemble(0x00c58533, 0, RVVM_ISA_ALL, NULL, 0), 4);
}

/* ABI names from the psABI's register table. */
static void test_register_names(void **state)
{
    (void)state;
    assert_string_equal(rvvm_register_name('x', 0), "zero");
    assert_string_equal(rvvm_register_name('x', 2), "sp");
    assert_string_equal(rvvm_register_name('x', 8), "s0");
    assert_string_equal(rvvm_register_name('x', 27), "s11");
    assert_string_equal(rvvm_register_name('x', 31), "t6");
    assert_string_equal(rvvm_register_name('f', 0), "ft0");
    assert_string_equal(rvvm_register_name('f', 10), "fa0");
    assert_string_equal(rvvm_register_name('f', 31), "ft11");
    assert_null(rvvm_register_name('x', 32));
    assert_null(rvvm_register_name('v', 1));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lui_auipc),
        cmocka_unit_test(test_register_names),
        cmocka_unit_test(test_jal),
        cmocka_unit_test(test_jalr),
        cmocka_unit_test(test_loads),
        cmocka_unit_test(test_op_imm),
        cmocka_unit_test(test_op_imm_32),
        cmocka_unit_test(test_stores),
        cmocka_unit_test(test_branches),
        cmocka_unit_test(test_op),
        cmocka_unit_test(test_m),
        cmocka_unit_test(test_fence_system),
        cmocka_unit_test(test_csr),
        cmocka_unit_test(test_amo),
        cmocka_unit_test(test_unknown_opcodes),
        cmocka_unit_test(test_c_quadrant0),
        cmocka_unit_test(test_c_quadrant1),
        cmocka_unit_test(test_c_quadrant2),
        cmocka_unit_test(test_c_ignores_upper_half),
        cmocka_unit_test(test_isa_restrictions),
        cmocka_unit_test(test_isa_strings),
        cmocka_unit_test(test_isa_configs),
        cmocka_unit_test(test_every_op_has_its_cost_class),
        cmocka_unit_test(test_weighted_costs),
        cmocka_unit_test(test_disassemble),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
