/*
 * A tiny RV64IMAC assembler for the unit tests: one function per format,
 * written from the instruction-format tables of the RISC-V unprivileged ISA
 * manual, and named wrappers per instruction. test_rvasm.c checks these
 * against words produced by GNU as (riscv64-unknown-elf-as), so the tests
 * that build programs with them rest on an independent reference.
 *
 * Register arguments are architectural numbers 0..31. The compressed
 * encoders that take x8..x15 registers (rd', rs1', rs2') take the full
 * register number (8..15), not the 3-bit field.
 */
#ifndef RVVM_TEST_RVASM_H
#define RVVM_TEST_RVASM_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

enum {
    ZERO = 0, RA = 1, SP = 2, GP = 3, TP = 4, T0 = 5, T1 = 6, T2 = 7,
    S0 = 8, S1 = 9, A0 = 10, A1 = 11, A2 = 12, A3 = 13, A4 = 14, A5 = 15,
    A6 = 16, A7 = 17, S2 = 18, S3 = 19, S4 = 20, S5 = 21, S6 = 22, S7 = 23,
    S8 = 24, S9 = 25, S10 = 26, S11 = 27, T3 = 28, T4 = 29, T5 = 30, T6 = 31,
};

/* Bit i of v, and bits hi..lo of v moved down to bit 0. */
static inline uint32_t rva_bit(int64_t v, unsigned i) { return (uint32_t)(((uint64_t)v >> i) & 1u); }
static inline uint32_t rva_bits(int64_t v, unsigned hi, unsigned lo)
{
    return (uint32_t)(((uint64_t)v >> lo) & ((1ull << (hi - lo + 1)) - 1));
}

/* ---- 32-bit formats ---------------------------------------------------- */

static inline uint32_t enc_r(uint32_t op, uint32_t f3, uint32_t f7, uint32_t rd, uint32_t rs1,
                             uint32_t rs2)
{
    return (f7 & 0x7f) << 25 | (rs2 & 31) << 20 | (rs1 & 31) << 15 | (f3 & 7) << 12 |
           (rd & 31) << 7 | (op & 0x7f);
}

static inline uint32_t enc_i(uint32_t op, uint32_t f3, uint32_t rd, uint32_t rs1, int32_t imm)
{
    return rva_bits(imm, 11, 0) << 20 | (rs1 & 31) << 15 | (f3 & 7) << 12 | (rd & 31) << 7 |
           (op & 0x7f);
}

static inline uint32_t enc_s(uint32_t op, uint32_t f3, uint32_t rs1, uint32_t rs2, int32_t imm)
{
    return rva_bits(imm, 11, 5) << 25 | (rs2 & 31) << 20 | (rs1 & 31) << 15 | (f3 & 7) << 12 |
           rva_bits(imm, 4, 0) << 7 | (op & 0x7f);
}

/* imm is the byte offset (even), -4096..4094. */
static inline uint32_t enc_b(uint32_t op, uint32_t f3, uint32_t rs1, uint32_t rs2, int32_t imm)
{
    return rva_bit(imm, 12) << 31 | rva_bits(imm, 10, 5) << 25 | (rs2 & 31) << 20 |
           (rs1 & 31) << 15 | (f3 & 7) << 12 | rva_bits(imm, 4, 1) << 8 | rva_bit(imm, 11) << 7 |
           (op & 0x7f);
}

/* imm20 is the 20-bit field that lands in bits 31..12 of the result. */
static inline uint32_t enc_u(uint32_t op, uint32_t rd, uint32_t imm20)
{
    return (imm20 & 0xfffff) << 12 | (rd & 31) << 7 | (op & 0x7f);
}

/* imm is the byte offset (even), -1 MiB..1 MiB-2. */
static inline uint32_t enc_j(uint32_t op, uint32_t rd, int32_t imm)
{
    return rva_bit(imm, 20) << 31 | rva_bits(imm, 10, 1) << 21 | rva_bit(imm, 11) << 20 |
           rva_bits(imm, 19, 12) << 12 | (rd & 31) << 7 | (op & 0x7f);
}

/* Opcodes. */
enum {
    OPC_LOAD = 0x03, OPC_MISC_MEM = 0x0f, OPC_OP_IMM = 0x13, OPC_AUIPC = 0x17,
    OPC_OP_IMM_32 = 0x1b, OPC_STORE = 0x23, OPC_AMO = 0x2f, OPC_OP = 0x33, OPC_LUI = 0x37,
    OPC_OP_32 = 0x3b, OPC_BRANCH = 0x63, OPC_JALR = 0x67, OPC_JAL = 0x6f, OPC_SYSTEM = 0x73,
};

/* RV64I */
#define LUI(rd, imm20) enc_u(OPC_LUI, rd, imm20)
#define AUIPC(rd, imm20) enc_u(OPC_AUIPC, rd, imm20)
#define JAL(rd, off) enc_j(OPC_JAL, rd, off)
#define JALR(rd, rs1, imm) enc_i(OPC_JALR, 0, rd, rs1, imm)
#define BEQ(rs1, rs2, off) enc_b(OPC_BRANCH, 0, rs1, rs2, off)
#define BNE(rs1, rs2, off) enc_b(OPC_BRANCH, 1, rs1, rs2, off)
#define BLT(rs1, rs2, off) enc_b(OPC_BRANCH, 4, rs1, rs2, off)
#define BGE(rs1, rs2, off) enc_b(OPC_BRANCH, 5, rs1, rs2, off)
#define BLTU(rs1, rs2, off) enc_b(OPC_BRANCH, 6, rs1, rs2, off)
#define BGEU(rs1, rs2, off) enc_b(OPC_BRANCH, 7, rs1, rs2, off)
#define LB(rd, rs1, imm) enc_i(OPC_LOAD, 0, rd, rs1, imm)
#define LH(rd, rs1, imm) enc_i(OPC_LOAD, 1, rd, rs1, imm)
#define LW(rd, rs1, imm) enc_i(OPC_LOAD, 2, rd, rs1, imm)
#define LD(rd, rs1, imm) enc_i(OPC_LOAD, 3, rd, rs1, imm)
#define LBU(rd, rs1, imm) enc_i(OPC_LOAD, 4, rd, rs1, imm)
#define LHU(rd, rs1, imm) enc_i(OPC_LOAD, 5, rd, rs1, imm)
#define LWU(rd, rs1, imm) enc_i(OPC_LOAD, 6, rd, rs1, imm)
#define SB(rs2, rs1, imm) enc_s(OPC_STORE, 0, rs1, rs2, imm)
#define SH(rs2, rs1, imm) enc_s(OPC_STORE, 1, rs1, rs2, imm)
#define SW(rs2, rs1, imm) enc_s(OPC_STORE, 2, rs1, rs2, imm)
#define SD(rs2, rs1, imm) enc_s(OPC_STORE, 3, rs1, rs2, imm)
#define ADDI(rd, rs1, imm) enc_i(OPC_OP_IMM, 0, rd, rs1, imm)
#define SLTI(rd, rs1, imm) enc_i(OPC_OP_IMM, 2, rd, rs1, imm)
#define SLTIU(rd, rs1, imm) enc_i(OPC_OP_IMM, 3, rd, rs1, imm)
#define XORI(rd, rs1, imm) enc_i(OPC_OP_IMM, 4, rd, rs1, imm)
#define ORI(rd, rs1, imm) enc_i(OPC_OP_IMM, 6, rd, rs1, imm)
#define ANDI(rd, rs1, imm) enc_i(OPC_OP_IMM, 7, rd, rs1, imm)
#define SLLI(rd, rs1, sh) enc_i(OPC_OP_IMM, 1, rd, rs1, (int32_t)((sh) & 63))
#define SRLI(rd, rs1, sh) enc_i(OPC_OP_IMM, 5, rd, rs1, (int32_t)((sh) & 63))
#define SRAI(rd, rs1, sh) enc_i(OPC_OP_IMM, 5, rd, rs1, (int32_t)(0x400 | ((sh) & 63)))
#define ADD(rd, rs1, rs2) enc_r(OPC_OP, 0, 0x00, rd, rs1, rs2)
#define SUB(rd, rs1, rs2) enc_r(OPC_OP, 0, 0x20, rd, rs1, rs2)
#define SLL(rd, rs1, rs2) enc_r(OPC_OP, 1, 0x00, rd, rs1, rs2)
#define SLT(rd, rs1, rs2) enc_r(OPC_OP, 2, 0x00, rd, rs1, rs2)
#define SLTU(rd, rs1, rs2) enc_r(OPC_OP, 3, 0x00, rd, rs1, rs2)
#define XOR(rd, rs1, rs2) enc_r(OPC_OP, 4, 0x00, rd, rs1, rs2)
#define SRL(rd, rs1, rs2) enc_r(OPC_OP, 5, 0x00, rd, rs1, rs2)
#define SRA(rd, rs1, rs2) enc_r(OPC_OP, 5, 0x20, rd, rs1, rs2)
#define OR(rd, rs1, rs2) enc_r(OPC_OP, 6, 0x00, rd, rs1, rs2)
#define AND(rd, rs1, rs2) enc_r(OPC_OP, 7, 0x00, rd, rs1, rs2)
#define ADDIW(rd, rs1, imm) enc_i(OPC_OP_IMM_32, 0, rd, rs1, imm)
#define SLLIW(rd, rs1, sh) enc_i(OPC_OP_IMM_32, 1, rd, rs1, (int32_t)((sh) & 31))
#define SRLIW(rd, rs1, sh) enc_i(OPC_OP_IMM_32, 5, rd, rs1, (int32_t)((sh) & 31))
#define SRAIW(rd, rs1, sh) enc_i(OPC_OP_IMM_32, 5, rd, rs1, (int32_t)(0x400 | ((sh) & 31)))
#define ADDW(rd, rs1, rs2) enc_r(OPC_OP_32, 0, 0x00, rd, rs1, rs2)
#define SUBW(rd, rs1, rs2) enc_r(OPC_OP_32, 0, 0x20, rd, rs1, rs2)
#define SLLW(rd, rs1, rs2) enc_r(OPC_OP_32, 1, 0x00, rd, rs1, rs2)
#define SRLW(rd, rs1, rs2) enc_r(OPC_OP_32, 5, 0x00, rd, rs1, rs2)
#define SRAW(rd, rs1, rs2) enc_r(OPC_OP_32, 5, 0x20, rd, rs1, rs2)
/* fence pred, succ: 4-bit IORW sets. */
#define FENCE(pred, succ) enc_i(OPC_MISC_MEM, 0, 0, 0, (int32_t)(((pred) & 15) << 4 | ((succ) & 15)))
#define FENCE_I() enc_i(OPC_MISC_MEM, 1, 0, 0, 0)
#define ECALL() 0x00000073u
#define EBREAK() 0x00100073u
/* Zicsr: imm carries the CSR number; the *I forms put uimm in the rs1 field. */
#define CSRRW(rd, csr, rs1) enc_i(OPC_SYSTEM, 1, rd, rs1, (int32_t)(csr))
#define CSRRS(rd, csr, rs1) enc_i(OPC_SYSTEM, 2, rd, rs1, (int32_t)(csr))
#define CSRRC(rd, csr, rs1) enc_i(OPC_SYSTEM, 3, rd, rs1, (int32_t)(csr))
#define CSRRWI(rd, csr, uimm) enc_i(OPC_SYSTEM, 5, rd, uimm, (int32_t)(csr))
#define CSRRSI(rd, csr, uimm) enc_i(OPC_SYSTEM, 6, rd, uimm, (int32_t)(csr))
#define CSRRCI(rd, csr, uimm) enc_i(OPC_SYSTEM, 7, rd, uimm, (int32_t)(csr))
/* M */
#define MUL(rd, rs1, rs2) enc_r(OPC_OP, 0, 0x01, rd, rs1, rs2)
#define MULH(rd, rs1, rs2) enc_r(OPC_OP, 1, 0x01, rd, rs1, rs2)
#define MULHSU(rd, rs1, rs2) enc_r(OPC_OP, 2, 0x01, rd, rs1, rs2)
#define MULHU(rd, rs1, rs2) enc_r(OPC_OP, 3, 0x01, rd, rs1, rs2)
#define DIV(rd, rs1, rs2) enc_r(OPC_OP, 4, 0x01, rd, rs1, rs2)
#define DIVU(rd, rs1, rs2) enc_r(OPC_OP, 5, 0x01, rd, rs1, rs2)
#define REM(rd, rs1, rs2) enc_r(OPC_OP, 6, 0x01, rd, rs1, rs2)
#define REMU(rd, rs1, rs2) enc_r(OPC_OP, 7, 0x01, rd, rs1, rs2)
#define MULW(rd, rs1, rs2) enc_r(OPC_OP_32, 0, 0x01, rd, rs1, rs2)
#define DIVW(rd, rs1, rs2) enc_r(OPC_OP_32, 4, 0x01, rd, rs1, rs2)
#define DIVUW(rd, rs1, rs2) enc_r(OPC_OP_32, 5, 0x01, rd, rs1, rs2)
#define REMW(rd, rs1, rs2) enc_r(OPC_OP_32, 6, 0x01, rd, rs1, rs2)
#define REMUW(rd, rs1, rs2) enc_r(OPC_OP_32, 7, 0x01, rd, rs1, rs2)
/* A: funct5, aq, rl; width 2 = .w, 3 = .d */
static inline uint32_t enc_amo(uint32_t f5, uint32_t width, uint32_t aq, uint32_t rl, uint32_t rd,
                               uint32_t rs1, uint32_t rs2)
{
    return enc_r(OPC_AMO, width, (f5 & 31) << 2 | (aq & 1) << 1 | (rl & 1), rd, rs1, rs2);
}
enum {
    AMO_ADD = 0x00, AMO_SWAP = 0x01, AMO_LR = 0x02, AMO_SC = 0x03, AMO_XOR = 0x04,
    AMO_OR = 0x08, AMO_AND = 0x0c, AMO_MIN = 0x10, AMO_MAX = 0x14, AMO_MINU = 0x18,
    AMO_MAXU = 0x1c,
};
#define LR_W(rd, rs1) enc_amo(AMO_LR, 2, 0, 0, rd, rs1, 0)
#define LR_D(rd, rs1) enc_amo(AMO_LR, 3, 0, 0, rd, rs1, 0)
#define SC_W(rd, rs2, rs1) enc_amo(AMO_SC, 2, 0, 0, rd, rs1, rs2)
#define SC_D(rd, rs2, rs1) enc_amo(AMO_SC, 3, 0, 0, rd, rs1, rs2)
#define AMO_W(f5, rd, rs2, rs1) enc_amo(f5, 2, 0, 0, rd, rs1, rs2)
#define AMO_D(f5, rd, rs2, rs1) enc_amo(f5, 3, 0, 0, rd, rs1, rs2)

/* ---- Compressed (RV64C) ------------------------------------------------ */

/* Quadrant 0: rdp/rs1p/rs2p are x8..x15. */
static inline uint32_t C_ADDI4SPN(uint32_t rdp, uint32_t nzuimm)
{
    return 0u << 13 | rva_bits(nzuimm, 5, 4) << 11 | rva_bits(nzuimm, 9, 6) << 7 |
           rva_bit(nzuimm, 2) << 6 | rva_bit(nzuimm, 3) << 5 | ((rdp - 8) & 7) << 2 | 0;
}
static inline uint32_t c_lsw(uint32_t f3, uint32_t rs1p, uint32_t rp, uint32_t uimm)
{
    return f3 << 13 | rva_bits(uimm, 5, 3) << 10 | ((rs1p - 8) & 7) << 7 | rva_bit(uimm, 2) << 6 |
           rva_bit(uimm, 6) << 5 | ((rp - 8) & 7) << 2 | 0;
}
static inline uint32_t c_lsd(uint32_t f3, uint32_t rs1p, uint32_t rp, uint32_t uimm)
{
    return f3 << 13 | rva_bits(uimm, 5, 3) << 10 | ((rs1p - 8) & 7) << 7 |
           rva_bits(uimm, 7, 6) << 5 | ((rp - 8) & 7) << 2 | 0;
}
#define C_LW(rdp, rs1p, uimm) c_lsw(2, rs1p, rdp, uimm)
#define C_LD(rdp, rs1p, uimm) c_lsd(3, rs1p, rdp, uimm)
#define C_SW(rs2p, rs1p, uimm) c_lsw(6, rs1p, rs2p, uimm)
#define C_SD(rs2p, rs1p, uimm) c_lsd(7, rs1p, rs2p, uimm)

/* Quadrant 1 */
static inline uint32_t c_ci(uint32_t f3, uint32_t rd, int32_t imm6, uint32_t quadrant)
{
    return f3 << 13 | rva_bit(imm6, 5) << 12 | (rd & 31) << 7 | rva_bits(imm6, 4, 0) << 2 |
           quadrant;
}
#define C_NOP() c_ci(0, 0, 0, 1)
#define C_ADDI(rd, imm) c_ci(0, rd, imm, 1)
#define C_ADDIW(rd, imm) c_ci(1, rd, imm, 1)
#define C_LI(rd, imm) c_ci(2, rd, imm, 1)
/* nzimm6 is the 6-bit field for bits 17..12 of the loaded value. */
#define C_LUI(rd, nzimm6) c_ci(3, rd, (int32_t)(nzimm6), 1)
static inline uint32_t C_ADDI16SP(int32_t nzimm)
{
    return 3u << 13 | rva_bit(nzimm, 9) << 12 | 2u << 7 | rva_bit(nzimm, 4) << 6 |
           rva_bit(nzimm, 6) << 5 | rva_bits(nzimm, 8, 7) << 3 | rva_bit(nzimm, 5) << 2 | 1;
}
static inline uint32_t c_cb_alu(uint32_t f2, uint32_t rdp, int32_t imm6)
{
    return 4u << 13 | rva_bit(imm6, 5) << 12 | f2 << 10 | ((rdp - 8) & 7) << 7 |
           rva_bits(imm6, 4, 0) << 2 | 1;
}
#define C_SRLI(rdp, sh) c_cb_alu(0, rdp, (int32_t)(sh))
#define C_SRAI(rdp, sh) c_cb_alu(1, rdp, (int32_t)(sh))
#define C_ANDI(rdp, imm) c_cb_alu(2, rdp, imm)
static inline uint32_t c_ca(uint32_t bit12, uint32_t f2, uint32_t rdp, uint32_t rs2p)
{
    return 4u << 13 | bit12 << 12 | 3u << 10 | ((rdp - 8) & 7) << 7 | f2 << 5 |
           ((rs2p - 8) & 7) << 2 | 1;
}
#define C_SUB(rdp, rs2p) c_ca(0, 0, rdp, rs2p)
#define C_XOR(rdp, rs2p) c_ca(0, 1, rdp, rs2p)
#define C_OR(rdp, rs2p) c_ca(0, 2, rdp, rs2p)
#define C_AND(rdp, rs2p) c_ca(0, 3, rdp, rs2p)
#define C_SUBW(rdp, rs2p) c_ca(1, 0, rdp, rs2p)
#define C_ADDW(rdp, rs2p) c_ca(1, 1, rdp, rs2p)
static inline uint32_t C_J(int32_t off)
{
    return 5u << 13 | rva_bit(off, 11) << 12 | rva_bit(off, 4) << 11 | rva_bits(off, 9, 8) << 9 |
           rva_bit(off, 10) << 8 | rva_bit(off, 6) << 7 | rva_bit(off, 7) << 6 |
           rva_bits(off, 3, 1) << 3 | rva_bit(off, 5) << 2 | 1;
}
static inline uint32_t c_branch(uint32_t f3, uint32_t rs1p, int32_t off)
{
    return f3 << 13 | rva_bit(off, 8) << 12 | rva_bits(off, 4, 3) << 10 | ((rs1p - 8) & 7) << 7 |
           rva_bits(off, 7, 6) << 5 | rva_bits(off, 2, 1) << 3 | rva_bit(off, 5) << 2 | 1;
}
#define C_BEQZ(rs1p, off) c_branch(6, rs1p, off)
#define C_BNEZ(rs1p, off) c_branch(7, rs1p, off)

/* Quadrant 2 */
#define C_SLLI(rd, sh) c_ci(0, rd, (int32_t)(sh), 2)
static inline uint32_t C_LWSP(uint32_t rd, uint32_t uimm)
{
    return 2u << 13 | rva_bit(uimm, 5) << 12 | (rd & 31) << 7 | rva_bits(uimm, 4, 2) << 4 |
           rva_bits(uimm, 7, 6) << 2 | 2;
}
static inline uint32_t C_LDSP(uint32_t rd, uint32_t uimm)
{
    return 3u << 13 | rva_bit(uimm, 5) << 12 | (rd & 31) << 7 | rva_bits(uimm, 4, 3) << 5 |
           rva_bits(uimm, 8, 6) << 2 | 2;
}
static inline uint32_t c_cr(uint32_t bit12, uint32_t rd, uint32_t rs2)
{
    return 4u << 13 | bit12 << 12 | (rd & 31) << 7 | (rs2 & 31) << 2 | 2;
}
#define C_JR(rs1) c_cr(0, rs1, 0)
#define C_MV(rd, rs2) c_cr(0, rd, rs2)
#define C_EBREAK() c_cr(1, 0, 0)
#define C_JALR(rs1) c_cr(1, rs1, 0)
#define C_ADD(rd, rs2) c_cr(1, rd, rs2)
static inline uint32_t C_SWSP(uint32_t rs2, uint32_t uimm)
{
    return 6u << 13 | rva_bits(uimm, 5, 2) << 9 | rva_bits(uimm, 7, 6) << 7 | (rs2 & 31) << 2 | 2;
}
static inline uint32_t C_SDSP(uint32_t rs2, uint32_t uimm)
{
    return 7u << 13 | rva_bits(uimm, 5, 3) << 10 | rva_bits(uimm, 8, 6) << 7 | (rs2 & 31) << 2 | 2;
}

/* ---- A code buffer ------------------------------------------------------ */

typedef struct rva_buf {
    uint8_t bytes[8192];
    size_t len;
} rva_buf;

static inline void rva_init(rva_buf *b) { memset(b, 0, sizeof *b); }

static inline void emit32(rva_buf *b, uint32_t w)
{
    if (b->len + 4 <= sizeof b->bytes) {
        for (int i = 0; i < 4; i++)
            b->bytes[b->len + (size_t)i] = (uint8_t)(w >> (8 * i));
        b->len += 4;
    }
}

static inline void emit16(rva_buf *b, uint32_t h)
{
    if (b->len + 2 <= sizeof b->bytes) {
        b->bytes[b->len] = (uint8_t)h;
        b->bytes[b->len + 1] = (uint8_t)(h >> 8);
        b->len += 2;
    }
}

/* Loads a 64-bit constant: lui/addiw (32-bit), or via shifts for larger ones. */
static inline void emit_li(rva_buf *b, uint32_t rd, int64_t v)
{
    if (v >= -2048 && v < 2048) {
        emit32(b, ADDI(rd, ZERO, (int32_t)v));
        return;
    }
    if (v >= INT32_MIN && v <= INT32_MAX) {
        int32_t lo = (int32_t)(rva_bits(v, 11, 0) ^ 0x800) - 0x800; /* sign-extended low 12 */
        uint32_t hi = (uint32_t)(((int64_t)v - lo) >> 12) & 0xfffff;
        emit32(b, LUI(rd, hi));
        if (lo)
            emit32(b, ADDIW(rd, rd, lo));
        return;
    }
    /* Build the upper part recursively, then shift in 11-bit chunks. */
    int32_t lo = (int32_t)(rva_bits(v, 11, 0) ^ 0x800) - 0x800;
    int64_t hi = (int64_t)(((uint64_t)v - (uint64_t)(int64_t)lo)) >> 12;
    emit_li(b, rd, hi);
    emit32(b, SLLI(rd, rd, 12));
    if (lo)
        emit32(b, ADDI(rd, rd, lo));
}

/* li rd, value for a 32-bit signed value: lui + addiw into w[0..1]; returns 2. */
static inline size_t rva_li32(uint32_t *w, unsigned rd, int32_t value)
{
    int32_t lo = (int32_t)((uint32_t)value << 20) >> 20;
    uint32_t hi = (uint32_t)(value - lo) >> 12;
    w[0] = LUI(rd, hi & 0xfffff);
    w[1] = ADDIW(rd, rd, lo);
    return 2;
}

#endif
