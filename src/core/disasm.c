/*
 * The disassembler: the decoder (decode.c) says which instruction an encoding
 * is, the table's shape column (insn_table.h) how its operands print, and the
 * rules below which pseudo-instruction GNU objdump (binutils 2.40,
 * riscv64-unknown-elf-objdump -d) shows instead. The text is objdump's, with
 * these differences, which tests/disasm/ normalises and docs/tracing.md
 * documents:
 * - one space, not a tab, between the mnemonic and the operands;
 * - jump and branch targets are the absolute address in hex, as objdump
 *   prints them, without objdump's " <symbol+offset>";
 * - no "# address <symbol>" comments (objdump derives them from earlier
 *   instructions and the ELF's symbols);
 * - Zicond: binutils 2.40 predates it and prints ".4byte"; we print the
 *   mnemonics of later binutils, "czero.eqz rd,rs1,rs2".
 * Encodings that are not instructions print as objdump's ".2byte 0x..." or
 * ".4byte 0x...".
 */
#include "disasm.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>

static const unsigned char op_shape[RV_OP_COUNT] = {
#define RV_OP_SHAPE(name, ext, cls, flags, shape) RV_SHAPE_##shape,
    RV_INSN_LIST(RV_OP_SHAPE)
#undef RV_OP_SHAPE
};

static const char *const xreg[32] = {
    "zero", "ra", "sp", "gp", "tp",  "t0",  "t1", "t2", "s0", "s1", "a0",
    "a1",   "a2", "a3", "a4", "a5",  "a6",  "a7", "s2", "s3", "s4", "s5",
    "s6",   "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6"};

static const char *const freg[32] = {
    "ft0", "ft1", "ft2",  "ft3",  "ft4", "ft5", "ft6",  "ft7",  "fs0", "fs1", "fa0",
    "fa1", "fa2", "fa3",  "fa4",  "fa5", "fa6", "fa7",  "fs2",  "fs3", "fs4", "fs5",
    "fs6", "fs7", "fs8",  "fs9",  "fs10", "fs11", "ft8", "ft9", "ft10", "ft11"};

const char *rvvm_register_name(char file, unsigned reg)
{
    if (reg >= 32)
        return NULL;
    return file == 'x' ? xreg[reg] : file == 'f' ? freg[reg] : NULL;
}

static const char *const rm_name[8] = {"rne", "rtz", "rdn", "rup", "rmm", "unknown", "unknown",
                                       "dyn"};

/*
 * CSR names as the RISC-V privileged specification (1.12) and the vector,
 * Zkr, Smstateen, Sstc and AIA extensions give them, and as objdump prints
 * them; other numbers print in hex.
 */
static const struct {
    uint16_t num;
    const char *name;
} csr_names[] = {
#include "csr_names.inc"
};

typedef struct out {
    char *buf;
    size_t size, len;
} out;

static void put(out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(out *o, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    size_t room = o->len < o->size ? o->size - o->len : 0;
    int n = vsnprintf(room ? o->buf + o->len : NULL, room, fmt, ap);
    va_end(ap);
    if (n > 0)
        o->len += (size_t)n;
}

/* The mnemonic of an architectural op: its table name with '_' read as '.'. */
static void mnemonic(out *o, unsigned op)
{
    char name[32];
    size_t i = 0;
    for (const char *p = rv_op_names[op]; *p && i + 1 < sizeof name; p++)
        name[i++] = *p == '_' ? '.' : *p;
    name[i] = '\0';
    put(o, "%s", name);
}

static inline uint32_t bits(uint32_t v, unsigned hi, unsigned lo)
{
    return (v >> lo) & ((1u << (hi - lo + 1)) - 1);
}

static void invalid(out *o, uint32_t raw, unsigned len)
{
    put(o, ".%ubyte 0x%" PRIx32, len, raw);
}

static void csr_operand(out *o, uint32_t num)
{
    size_t lo = 0, hi = sizeof csr_names / sizeof csr_names[0];
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (csr_names[mid].num == num) {
            put(o, "%s", csr_names[mid].name);
            return;
        }
        if (csr_names[mid].num < num)
            lo = mid + 1;
        else
            hi = mid;
    }
    put(o, "0x%" PRIx32, num);
}

/*
 * Zicsr, from the encoding (any CSR number is an instruction here, though rvvm
 * runs only a few), with objdump's pseudo-instructions.
 */
static void csr_insn(out *o, uint32_t raw, uint32_t isa)
{
    unsigned f3 = bits(raw, 14, 12), rd = bits(raw, 11, 7), rs1 = bits(raw, 19, 15);
    uint32_t csr = bits(raw, 31, 20);
    bool imm = f3 & 4;
    /* objdump names the immediate forms as the register ones: "csrrs a0,frm,1". */
    static const char *const full[8] = {NULL, "csrrw", "csrrs", "csrrc", NULL, "csrrw", "csrrs",
                                        "csrrc"};
    static const char *const nord[8] = {NULL, "csrw", "csrs", "csrc", NULL, "csrw", "csrs", "csrc"};
    if (raw == 0xc0001073) { /* csrrw zero, cycle, zero */
        put(o, "unimp");
        return;
    }
    /* The floating-point CSRs' and counters' own pseudo-instructions. */
    if (csr >= 1 && csr <= 3 && (isa & RVVM_ISA_F)) {
        static const char *const fr[4] = {NULL, "frflags", "frrm", "frcsr"};
        static const char *const fs[4] = {NULL, "fsflags", "fsrm", "fscsr"};
        if (f3 == 2 && rs1 == 0) {
            put(o, "%s %s", fr[csr], xreg[rd]);
            return;
        }
        if ((f3 == 1 || f3 == 5) && csr != 3) {
            /* objdump shows rd = zero for the immediate forms only */
            put(o, "%s%s ", fs[csr], imm ? "i" : "");
            if (rd || imm)
                put(o, "%s,", xreg[rd]);
            if (imm)
                put(o, "%u", rs1);
            else
                put(o, "%s", xreg[rs1]);
            return;
        }
        if (f3 == 1) {
            put(o, "fscsr ");
            if (rd)
                put(o, "%s,", xreg[rd]);
            put(o, "%s", xreg[rs1]);
            return;
        }
    }
    if (f3 == 2 && rs1 == 0 && csr >= 0xc00 && csr <= 0xc02) {
        static const char *const rdc[3] = {"rdcycle", "rdtime", "rdinstret"};
        put(o, "%s %s", rdc[csr - 0xc00], xreg[rd]);
        return;
    }
    if (f3 == 2 && rs1 == 0) {
        put(o, "csrr %s,", xreg[rd]);
        csr_operand(o, csr);
        return;
    }
    if (rd == 0) {
        put(o, "%s ", nord[f3]);
        csr_operand(o, csr);
    } else {
        put(o, "%s %s,", full[f3], xreg[rd]);
        csr_operand(o, csr);
    }
    if (imm)
        put(o, ",%u", rs1);
    else
        put(o, ",%s", xreg[rs1]);
}

static void fence_set(out *o, unsigned set)
{
    if (set == 0) {
        put(o, "unknown");
        return;
    }
    for (unsigned i = 0; i < 4; i++)
        if (set & (8u >> i))
            put(o, "%c", "iorw"[i]);
}

static void fence_insn(out *o, uint32_t raw)
{
    unsigned fm = bits(raw, 31, 28), pred = bits(raw, 27, 24), succ = bits(raw, 23, 20);
    if (bits(raw, 11, 7) || bits(raw, 19, 15)) {
        invalid(o, raw, 4);
        return;
    }
    if (fm == 8 && pred == 3 && succ == 3) {
        put(o, "fence.tso");
        return;
    }
    if (fm) {
        invalid(o, raw, 4);
        return;
    }
    if (pred == 15 && succ == 15) {
        put(o, "fence");
        return;
    }
    put(o, "fence ");
    fence_set(o, pred);
    put(o, ",");
    fence_set(o, succ);
}

/* The objdump name of an immediate form: the register form's ("add" for addi),
 * except for slti, sltiu and slli.uw. */
static void imm_mnemonic(out *o, unsigned op)
{
    if (op == RV_OP_slti || op == RV_OP_sltiu || op == RV_OP_slli_uw) {
        mnemonic(o, op);
        return;
    }
    /* Drop the last 'i': addi -> add, slliw -> sllw, bseti -> bset. */
    const char *name = rv_op_names[op];
    size_t n = strlen(name), cut = n;
    for (size_t i = n; i-- > 0;)
        if (name[i] == 'i') {
            cut = i;
            break;
        }
    put(o, "%.*s%s", (int)cut, name, cut < n ? name + cut + 1 : "");
}

static unsigned reg_of(unsigned r)
{
    return r == RV_SINK_REG ? 0 : r;
}

static void rm_suffix(out *o, unsigned rm)
{
    if (rm != 7)
        put(o, ",%s", rm_name[rm & 7]);
}

/* An exact conversion: objdump knows it only with rm = 0, and then prints no rm. */
static bool exact_conversion(unsigned op)
{
    return op == RV_OP_fcvt_d_s || op == RV_OP_fcvt_d_w || op == RV_OP_fcvt_d_wu;
}

static void format(out *o, const rv_insn *in, uint32_t raw, uint64_t pc)
{
    unsigned op = in->op, rd = reg_of(in->rd), rs1 = in->rs1, rs2 = in->rs2, rs3 = in->rs3;
    int64_t imm = in->imm;
    unsigned rm = (unsigned)imm & 7;
    switch ((rv_shape)op_shape[op]) {
    case RV_SHAPE_X:
        invalid(o, raw, in->len);
        return;
    case RV_SHAPE_U:
        mnemonic(o, op);
        put(o, " %s,0x%" PRIx32, xreg[rd], ((uint32_t)imm >> 12) & 0xfffff);
        return;
    case RV_SHAPE_J: {
        uint64_t t = pc + (uint64_t)imm;
        if (rd == 0)
            put(o, "j %" PRIx64, t);
        else if (rd == 1)
            put(o, "jal %" PRIx64, t);
        else
            put(o, "jal %s,%" PRIx64, xreg[rd], t);
        return;
    }
    case RV_SHAPE_JALR:
        if (rd == 0 && rs1 == 1 && imm == 0)
            put(o, "ret");
        else if ((rd == 0 || rd == 1) && imm == 0)
            put(o, "%s %s", rd ? "jalr" : "jr", xreg[rs1]);
        else if (rd == 0 || rd == 1)
            put(o, "%s %" PRId64 "(%s)", rd ? "jalr" : "jr", imm, xreg[rs1]);
        else if (imm == 0)
            put(o, "jalr %s,%s", xreg[rd], xreg[rs1]);
        else
            put(o, "jalr %s,%" PRId64 "(%s)", xreg[rd], imm, xreg[rs1]);
        return;
    case RV_SHAPE_B: {
        uint64_t t = pc + (uint64_t)imm;
        if (rs1 == 0 && rs2 == 0 && op == RV_OP_bge) {
            put(o, "blez zero,%" PRIx64, t); /* objdump prefers blez to bgez */
        } else if (rs2 == 0 && (op == RV_OP_beq || op == RV_OP_bne || op == RV_OP_blt || op == RV_OP_bge)) {
            static const char *const z[4] = {"beqz", "bnez", "bltz", "bgez"};
            unsigned k = op == RV_OP_beq ? 0 : op == RV_OP_bne ? 1 : op == RV_OP_blt ? 2 : 3;
            put(o, "%s %s,%" PRIx64, z[k], xreg[rs1], t);
        } else if (rs1 == 0 && (op == RV_OP_blt || op == RV_OP_bge)) {
            put(o, "%s %s,%" PRIx64, op == RV_OP_blt ? "bgtz" : "blez", xreg[rs2], t);
        } else {
            mnemonic(o, op);
            put(o, " %s,%s,%" PRIx64, xreg[rs1], xreg[rs2], t);
        }
        return;
    }
    case RV_SHAPE_LOAD:
        mnemonic(o, op);
        put(o, " %s,%" PRId64 "(%s)", xreg[rd], imm, xreg[rs1]);
        return;
    case RV_SHAPE_STORE:
        mnemonic(o, op);
        put(o, " %s,%" PRId64 "(%s)", xreg[rs2], imm, xreg[rs1]);
        return;
    case RV_SHAPE_I:
        if (op == RV_OP_addi && rd == 0 && rs1 == 0 && imm == 0)
            put(o, "nop");
        else if (op == RV_OP_addi && rs1 == 0)
            put(o, "li %s,%" PRId64, xreg[rd], imm);
        else if (op == RV_OP_addi && imm == 0)
            put(o, "mv %s,%s", xreg[rd], xreg[rs1]);
        else if (op == RV_OP_addiw && imm == 0)
            put(o, "sext.w %s,%s", xreg[rd], xreg[rs1]);
        else if (op == RV_OP_sltiu && imm == 1)
            put(o, "seqz %s,%s", xreg[rd], xreg[rs1]);
        else if (op == RV_OP_xori && imm == -1)
            put(o, "not %s,%s", xreg[rd], xreg[rs1]);
        else if (op == RV_OP_andi && imm == 255)
            put(o, "zext.b %s,%s", xreg[rd], xreg[rs1]);
        else {
            imm_mnemonic(o, op);
            put(o, " %s,%s,%" PRId64, xreg[rd], xreg[rs1], imm);
        }
        return;
    case RV_SHAPE_SHIFT:
        imm_mnemonic(o, op);
        put(o, " %s,%s,0x%" PRIx64, xreg[rd], xreg[rs1], (uint64_t)imm);
        return;
    case RV_SHAPE_R:
        if (op == RV_OP_sub && rs1 == 0)
            put(o, "neg %s,%s", xreg[rd], xreg[rs2]);
        else if (op == RV_OP_subw && rs1 == 0)
            put(o, "negw %s,%s", xreg[rd], xreg[rs2]);
        else if (op == RV_OP_slt && rs2 == 0)
            put(o, "sltz %s,%s", xreg[rd], xreg[rs1]);
        else if (op == RV_OP_slt && rs1 == 0)
            put(o, "sgtz %s,%s", xreg[rd], xreg[rs2]);
        else if (op == RV_OP_sltu && rs1 == 0)
            put(o, "snez %s,%s", xreg[rd], xreg[rs2]);
        else if (op == RV_OP_add_uw && rs2 == 0)
            put(o, "zext.w %s,%s", xreg[rd], xreg[rs1]);
        else {
            mnemonic(o, op);
            put(o, " %s,%s,%s", xreg[rd], xreg[rs1], xreg[rs2]);
        }
        return;
    case RV_SHAPE_R1:
        mnemonic(o, op);
        put(o, " %s,%s", xreg[rd], xreg[rs1]);
        return;
    case RV_SHAPE_FENCE:
        fence_insn(o, raw);
        return;
    case RV_SHAPE_NONE:
        if (op == RV_OP_fence_i && raw != 0x0000100f) { /* objdump: only with all fields 0 */
            invalid(o, raw, 4);
            return;
        }
        mnemonic(o, op);
        return;
    case RV_SHAPE_CSR:
    case RV_SHAPE_CSRI:
        csr_insn(o, raw, RVVM_ISA_ALL); /* not reached: rv_disassemble formats them */
        return;
    case RV_SHAPE_LR:
    case RV_SHAPE_AMO: {
        static const char *const order[4] = {"", ".rl", ".aq", ".aqrl"};
        mnemonic(o, op);
        put(o, "%s %s,", order[bits(raw, 26, 25)], xreg[rd]);
        if (op_shape[op] == RV_SHAPE_AMO)
            put(o, "%s,", xreg[rs2]);
        put(o, "(%s)", xreg[rs1]);
        return;
    }
    case RV_SHAPE_FLOAD:
        mnemonic(o, op);
        put(o, " %s,%" PRId64 "(%s)", freg[in->rd], imm, xreg[rs1]);
        return;
    case RV_SHAPE_FSTORE:
        mnemonic(o, op);
        put(o, " %s,%" PRId64 "(%s)", freg[rs2], imm, xreg[rs1]);
        return;
    case RV_SHAPE_FR4:
        mnemonic(o, op);
        put(o, " %s,%s,%s,%s", freg[in->rd], freg[rs1], freg[rs2], freg[rs3]);
        rm_suffix(o, rm);
        return;
    case RV_SHAPE_FR_RM:
        mnemonic(o, op);
        put(o, " %s,%s,%s", freg[in->rd], freg[rs1], freg[rs2]);
        rm_suffix(o, rm);
        return;
    case RV_SHAPE_FR:
        if (rs1 == rs2 && (op == RV_OP_fsgnj_s || op == RV_OP_fsgnjn_s || op == RV_OP_fsgnjx_s ||
                           op == RV_OP_fsgnj_d || op == RV_OP_fsgnjn_d || op == RV_OP_fsgnjx_d)) {
            static const char *const pseudo[3] = {"fmv", "fneg", "fabs"};
            unsigned k = op == RV_OP_fsgnj_s || op == RV_OP_fsgnj_d     ? 0
                         : op == RV_OP_fsgnjn_s || op == RV_OP_fsgnjn_d ? 1
                                                                        : 2;
            bool d = op == RV_OP_fsgnj_d || op == RV_OP_fsgnjn_d || op == RV_OP_fsgnjx_d;
            put(o, "%s.%c %s,%s", pseudo[k], d ? 'd' : 's', freg[in->rd], freg[rs1]);
            return;
        }
        mnemonic(o, op);
        put(o, " %s,%s,%s", freg[in->rd], freg[rs1], freg[rs2]);
        return;
    case RV_SHAPE_F1_RM:
        if (exact_conversion(op) && rm != 0) {
            invalid(o, raw, 4);
            return;
        }
        mnemonic(o, op);
        put(o, " %s,%s", freg[in->rd], freg[rs1]);
        if (!exact_conversion(op))
            rm_suffix(o, rm);
        return;
    case RV_SHAPE_XF_RM:
        mnemonic(o, op);
        put(o, " %s,%s", xreg[rd], freg[rs1]);
        rm_suffix(o, rm);
        return;
    case RV_SHAPE_FX_RM:
        if (exact_conversion(op) && rm != 0) {
            invalid(o, raw, 4);
            return;
        }
        mnemonic(o, op);
        put(o, " %s,%s", freg[in->rd], xreg[rs1]);
        if (!exact_conversion(op))
            rm_suffix(o, rm);
        return;
    case RV_SHAPE_XF:
        mnemonic(o, op);
        put(o, " %s,%s", xreg[rd], freg[rs1]);
        return;
    case RV_SHAPE_FX:
        mnemonic(o, op);
        put(o, " %s,%s", freg[in->rd], xreg[rs1]);
        return;
    case RV_SHAPE_XFF:
        mnemonic(o, op);
        put(o, " %s,%s,%s", xreg[rd], freg[rs1], freg[rs2]);
        return;
    }
    invalid(o, raw, in->len);
}

/*
 * Compressed encodings: objdump names most of them as the base instruction
 * they expand to, but shows the hints (rd = x0 and the like) with their "c."
 * names.
 */
static bool format16(out *o, const rv_insn *in, uint32_t raw, uint64_t pc)
{
    unsigned q = raw & 3, f3 = bits(raw, 15, 13), rd = bits(raw, 11, 7), rs2 = bits(raw, 6, 2);
    int32_t imm6 = (int32_t)((bits(raw, 12, 12) << 5 | bits(raw, 6, 2)) ^ 32) - 32;
    unsigned shamt = bits(raw, 12, 12) << 5 | bits(raw, 6, 2);
    (void)pc;
    if (raw == 0) {
        put(o, "unimp");
        return true;
    }
    if (raw == 0x6101) { /* c.addi16sp with 0: reserved, but objdump shows it */
        put(o, "add sp,sp,0");
        return true;
    }
    if (in->op == RV_OP_illegal)
        return false;
    if (q == 1 && f3 == 0) { /* c.addi, c.nop */
        if (rd == 0 && imm6 == 0)
            put(o, "nop");
        else if (rd == 0)
            put(o, "c.nop %" PRId32, imm6);
        else
            put(o, "add %s,%s,%" PRId32, xreg[rd], xreg[rd], imm6);
        return true;
    }
    if (q == 1 && f3 == 2 && rd == 0) {
        put(o, "c.li zero,%" PRId32, imm6);
        return true;
    }
    if (q == 1 && f3 == 3 && rd == 0) {
        put(o, "c.lui zero,0x%" PRIx32, ((uint32_t)imm6 << 12 >> 12) & 0xfffff);
        return true;
    }
    if (q == 1 && f3 == 4 && bits(raw, 11, 11) == 0 && shamt == 0) {
        put(o, "c.sr%ci64 %s", bits(raw, 10, 10) ? 'a' : 'l', xreg[bits(raw, 9, 7) + 8]);
        return true;
    }
    if (q == 2 && f3 == 0) {
        if (shamt == 0) {
            put(o, "c.slli64 %s", xreg[rd]);
            return true;
        }
        if (rd == 0) {
            put(o, "c.slli zero,0x%x", shamt);
            return true;
        }
    }
    if (q == 2 && f3 == 4 && rs2 != 0) { /* c.mv, c.add */
        bool add = bits(raw, 12, 12);
        if (rd == 0)
            put(o, "c.%s zero,%s", add ? "add" : "mv", xreg[rs2]);
        else if (add)
            put(o, "add %s,%s,%s", xreg[rd], xreg[rd], xreg[rs2]);
        else
            put(o, "mv %s,%s", xreg[rd], xreg[rs2]);
        return true;
    }
    return false;
}

size_t rv_disassemble(uint32_t raw, uint64_t pc, uint32_t isa, char *buf, size_t size)
{
    static const rvvm_cost_model unit = {.name = "unit"};
    unsigned len = (raw & 3) == 3 ? 4 : 2;
    if (len == 2)
        raw &= 0xffff;
    out o = {buf, size, 0};
    if (buf && size)
        buf[0] = '\0';
    rv_insn in;
    rv_decode(raw, isa, &unit, &in);
    if (len == 4 && (raw & 0x7f) == 0x73 && (raw & 0x3000) && (isa & RVVM_ISA_ZICSR)) {
        csr_insn(&o, raw, isa);
        return len;
    }
    if (len == 4 && in.op == RV_OP_illegal && (isa & RVVM_ISA_F)) {
        /* A reserved static rounding mode (5, 6): objdump names it "unknown". */
        unsigned f3 = bits(raw, 14, 12), opc = raw & 0x7f;
        bool fp = opc == 0x53 || opc == 0x43 || opc == 0x47 || opc == 0x4b || opc == 0x4f;
        if (fp && (f3 == 5 || f3 == 6)) {
            rv_insn alt;
            rv_decode(raw | 0x7000, isa, &unit, &alt);
            rv_shape s = (rv_shape)op_shape[alt.op];
            if (s == RV_SHAPE_FR4 || s == RV_SHAPE_FR_RM || s == RV_SHAPE_F1_RM ||
                s == RV_SHAPE_XF_RM || s == RV_SHAPE_FX_RM) {
                alt.imm = f3;
                format(&o, &alt, raw, pc);
                return len;
            }
        }
    }
    if (len == 2 && format16(&o, &in, raw, pc))
        return len;
    format(&o, &in, raw, pc);
    return len;
}

size_t rvvm_disassemble(uint32_t raw, uint64_t pc, uint32_t isa, char *buf, size_t size)
{
    return rv_disassemble(raw, pc, isa, buf, size);
}
