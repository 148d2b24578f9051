/*
 * Decoding: 32-bit encodings and the RV64C compressed forms, each expanded to
 * the base instruction it stands for. Reserved encodings become RV_OP_illegal.
 */
#include "cpu.h"

const char *const rv_op_names[RV_OP_COUNT] = {
#define RV_OP_NAME(name, ext, cls, flags, shape) #name,
    RV_INSN_LIST(RV_OP_NAME)
#undef RV_OP_NAME
};

static const uint8_t op_cost_class[RV_OP_COUNT] = {
#define RV_OP_CLASS(name, ext, cls, flags, shape) RVVM_COST_##cls,
    RV_INSN_LIST(RV_OP_CLASS)
#undef RV_OP_CLASS
};

#define RV_EXT_I 0
#define RV_EXT_M RVVM_ISA_M
#define RV_EXT_A RVVM_ISA_A
#define RV_EXT_ZICSR RVVM_ISA_ZICSR
#define RV_EXT_ZIFENCEI RVVM_ISA_ZIFENCEI
#define RV_EXT_ZBA RVVM_ISA_ZBA
#define RV_EXT_ZBB RVVM_ISA_ZBB
#define RV_EXT_ZBC RVVM_ISA_ZBC
#define RV_EXT_ZBS RVVM_ISA_ZBS
#define RV_EXT_ZICOND RVVM_ISA_ZICOND
#define RV_EXT_F RVVM_ISA_F
#define RV_EXT_D RVVM_ISA_D
static const uint32_t op_extension[RV_OP_COUNT] = {
#define RV_OP_EXT(name, ext, cls, flags, shape) RV_EXT_##ext,
    RV_INSN_LIST(RV_OP_EXT)
#undef RV_OP_EXT
};

static inline uint32_t bits(uint32_t v, unsigned hi, unsigned lo)
{
    return (v >> lo) & ((1u << (hi - lo + 1)) - 1);
}

static inline int32_t sext(uint32_t v, unsigned width)
{
    uint32_t m = 1u << (width - 1);
    return (int32_t)((v ^ m) - m);
}

static void set(rv_insn *o, rv_op op, unsigned rd, unsigned rs1, unsigned rs2, int32_t imm)
{
    o->op = (uint16_t)op;
    o->rd = (uint8_t)(rd == 0 ? RV_SINK_REG : rd);
    o->rs1 = (uint8_t)rs1;
    o->rs2 = (uint8_t)rs2;
    o->imm = imm;
}

/* Sets an instruction whose rd is an FP register: f0 is a real register. */
static void set_f(rv_insn *o, rv_op op, unsigned rd, unsigned rs1, unsigned rs2, unsigned rs3,
                  int32_t imm)
{
    set(o, op, rd, rs1, rs2, imm);
    o->rd = (uint8_t)rd;
    o->rs3 = (uint8_t)rs3;
}

/* Known user CSRs: the FP status trio (with F) and the read-only counters. */
static bool csr_ok(uint32_t csr, bool writes, uint32_t isa)
{
    switch (csr) {
    case 0x001: case 0x002: case 0x003:
        return isa & RVVM_ISA_F;
    case 0x305:
        /* mtvec: bare-metal start-up code (picolibc's crt0) sets it; kept as
         * storage, since traps end the run rather than vector anywhere. */
        return true;
    case 0xc00: case 0xc01: case 0xc02:
        return !writes;
    default:
        return false;
    }
}

static bool decode_fp(uint32_t r, rv_insn *o);

static void decode32(uint32_t r, uint32_t isa, rv_insn *o)
{
    unsigned rd = bits(r, 11, 7), rs1 = bits(r, 19, 15), rs2 = bits(r, 24, 20);
    unsigned f3 = bits(r, 14, 12), f7 = bits(r, 31, 25);
    int32_t imm_i = sext(bits(r, 31, 20), 12);
    int32_t imm_s = sext(bits(r, 31, 25) << 5 | bits(r, 11, 7), 12);
    int32_t imm_b = sext(bits(r, 31, 31) << 12 | bits(r, 7, 7) << 11 | bits(r, 30, 25) << 5 |
                             bits(r, 11, 8) << 1, 13);
    int32_t imm_u = (int32_t)(r & 0xfffff000u);
    int32_t imm_j = sext(bits(r, 31, 31) << 20 | bits(r, 19, 12) << 12 | bits(r, 20, 20) << 11 |
                             bits(r, 30, 21) << 1, 21);
    rv_op op = RV_OP_illegal;

    switch (bits(r, 6, 0)) {
    case 0x37: set(o, RV_OP_lui, rd, 0, 0, imm_u); return;
    case 0x17: set(o, RV_OP_auipc, rd, 0, 0, imm_u); return;
    case 0x6f: set(o, RV_OP_jal, rd, 0, 0, imm_j); return;
    case 0x67:
        if (f3 == 0) { set(o, RV_OP_jalr, rd, rs1, 0, imm_i); return; }
        break;
    case 0x63: {
        static const rv_op br[8] = {RV_OP_beq, RV_OP_bne, RV_OP_illegal, RV_OP_illegal,
                                    RV_OP_blt, RV_OP_bge, RV_OP_bltu, RV_OP_bgeu};
        op = br[f3];
        if (op != RV_OP_illegal) { set(o, op, 0, rs1, rs2, imm_b); return; }
        break;
    }
    case 0x03: {
        static const rv_op ld[8] = {RV_OP_lb, RV_OP_lh, RV_OP_lw, RV_OP_ld,
                                    RV_OP_lbu, RV_OP_lhu, RV_OP_lwu, RV_OP_illegal};
        op = ld[f3];
        if (op != RV_OP_illegal) { set(o, op, rd, rs1, 0, imm_i); return; }
        break;
    }
    case 0x23: {
        static const rv_op st[4] = {RV_OP_sb, RV_OP_sh, RV_OP_sw, RV_OP_sd};
        if (f3 < 4) { set(o, st[f3], 0, rs1, rs2, imm_s); return; }
        break;
    }
    case 0x13: {
        unsigned f6 = bits(r, 31, 26), shamt = bits(r, 25, 20);
        switch (f3) {
        case 0: op = RV_OP_addi; break;
        case 2: op = RV_OP_slti; break;
        case 3: op = RV_OP_sltiu; break;
        case 4: op = RV_OP_xori; break;
        case 6: op = RV_OP_ori; break;
        case 7: op = RV_OP_andi; break;
        case 1: {
            uint32_t imm12 = bits(r, 31, 20);
            if (f6 == 0) op = RV_OP_slli;
            else if (f6 == 0x12) op = RV_OP_bclri;
            else if (f6 == 0x1a) op = RV_OP_binvi;
            else if (f6 == 0x0a) op = RV_OP_bseti;
            else if (imm12 == 0x600) op = RV_OP_clz;
            else if (imm12 == 0x601) op = RV_OP_ctz;
            else if (imm12 == 0x602) op = RV_OP_cpop;
            else if (imm12 == 0x604) op = RV_OP_sext_b;
            else if (imm12 == 0x605) op = RV_OP_sext_h;
            return set(o, op, op == RV_OP_illegal ? 0 : rd, rs1, 0, (int32_t)shamt);
        }
        case 5: {
            uint32_t imm12 = bits(r, 31, 20);
            if (f6 == 0) op = RV_OP_srli;
            else if (f6 == 0x10) op = RV_OP_srai;
            else if (f6 == 0x18) op = RV_OP_rori;
            else if (f6 == 0x12) op = RV_OP_bexti;
            else if (imm12 == 0x287) op = RV_OP_orc_b;
            else if (imm12 == 0x6b8) op = RV_OP_rev8;
            return set(o, op, op == RV_OP_illegal ? 0 : rd, rs1, 0, (int32_t)shamt);
        }
        }
        set(o, op, rd, rs1, 0, imm_i);
        return;
    }
    case 0x1b: {
        unsigned shamt = bits(r, 24, 20);
        if (f3 == 0) { set(o, RV_OP_addiw, rd, rs1, 0, imm_i); return; }
        if (f3 == 1 && f7 == 0) { set(o, RV_OP_slliw, rd, rs1, 0, (int32_t)shamt); return; }
        if (f3 == 5 && f7 == 0) { set(o, RV_OP_srliw, rd, rs1, 0, (int32_t)shamt); return; }
        if (f3 == 5 && f7 == 0x20) { set(o, RV_OP_sraiw, rd, rs1, 0, (int32_t)shamt); return; }
        if (f3 == 5 && f7 == 0x30) { set(o, RV_OP_roriw, rd, rs1, 0, (int32_t)shamt); return; }
        if (f3 == 1 && bits(r, 31, 26) == 0x02) {
            set(o, RV_OP_slli_uw, rd, rs1, 0, (int32_t)bits(r, 25, 20));
            return;
        }
        if (f3 == 1 && bits(r, 31, 20) == 0x600) { set(o, RV_OP_clzw, rd, rs1, 0, 0); return; }
        if (f3 == 1 && bits(r, 31, 20) == 0x601) { set(o, RV_OP_ctzw, rd, rs1, 0, 0); return; }
        if (f3 == 1 && bits(r, 31, 20) == 0x602) { set(o, RV_OP_cpopw, rd, rs1, 0, 0); return; }
        break;
    }
    case 0x33: {
        static const rv_op base[8] = {RV_OP_add, RV_OP_sll, RV_OP_slt, RV_OP_sltu,
                                      RV_OP_xor, RV_OP_srl, RV_OP_or, RV_OP_and};
        static const rv_op mext[8] = {RV_OP_mul, RV_OP_mulh, RV_OP_mulhsu, RV_OP_mulhu,
                                      RV_OP_div, RV_OP_divu, RV_OP_rem, RV_OP_remu};
        static const rv_op f20[8] = {RV_OP_sub, RV_OP_illegal, RV_OP_illegal, RV_OP_illegal,
                                     RV_OP_xnor, RV_OP_sra, RV_OP_orn, RV_OP_andn};
        static const rv_op f05[8] = {RV_OP_illegal, RV_OP_clmul, RV_OP_clmulr, RV_OP_clmulh,
                                     RV_OP_min, RV_OP_minu, RV_OP_max, RV_OP_maxu};
        static const rv_op f10[8] = {RV_OP_illegal, RV_OP_illegal, RV_OP_sh1add, RV_OP_illegal,
                                     RV_OP_sh2add, RV_OP_illegal, RV_OP_sh3add, RV_OP_illegal};
        if (f7 == 0x00) op = base[f3];
        else if (f7 == 0x01) op = mext[f3];
        else if (f7 == 0x20) op = f20[f3];
        else if (f7 == 0x05) op = f05[f3];
        else if (f7 == 0x10) op = f10[f3];
        else if (f7 == 0x30 && f3 == 1) op = RV_OP_rol;
        else if (f7 == 0x30 && f3 == 5) op = RV_OP_ror;
        else if (f7 == 0x24 && f3 == 1) op = RV_OP_bclr;
        else if (f7 == 0x24 && f3 == 5) op = RV_OP_bext;
        else if (f7 == 0x34 && f3 == 1) op = RV_OP_binv;
        else if (f7 == 0x14 && f3 == 1) op = RV_OP_bset;
        else if (f7 == 0x07 && f3 == 5) op = RV_OP_czero_eqz;
        else if (f7 == 0x07 && f3 == 7) op = RV_OP_czero_nez;
        if (op != RV_OP_illegal) { set(o, op, rd, rs1, rs2, 0); return; }
        break;
    }
    case 0x3b: {
        if (f7 == 0x00 && f3 == 0) op = RV_OP_addw;
        else if (f7 == 0x00 && f3 == 1) op = RV_OP_sllw;
        else if (f7 == 0x00 && f3 == 5) op = RV_OP_srlw;
        else if (f7 == 0x20 && f3 == 0) op = RV_OP_subw;
        else if (f7 == 0x20 && f3 == 5) op = RV_OP_sraw;
        else if (f7 == 0x01 && f3 == 0) op = RV_OP_mulw;
        else if (f7 == 0x01 && f3 == 4) op = RV_OP_divw;
        else if (f7 == 0x01 && f3 == 5) op = RV_OP_divuw;
        else if (f7 == 0x01 && f3 == 6) op = RV_OP_remw;
        else if (f7 == 0x01 && f3 == 7) op = RV_OP_remuw;
        else if (f7 == 0x04 && f3 == 0) op = RV_OP_add_uw;
        else if (f7 == 0x04 && f3 == 4 && rs2 == 0) op = RV_OP_zext_h;
        else if (f7 == 0x10 && f3 == 2) op = RV_OP_sh1add_uw;
        else if (f7 == 0x10 && f3 == 4) op = RV_OP_sh2add_uw;
        else if (f7 == 0x10 && f3 == 6) op = RV_OP_sh3add_uw;
        else if (f7 == 0x30 && f3 == 1) op = RV_OP_rolw;
        else if (f7 == 0x30 && f3 == 5) op = RV_OP_rorw;
        if (op != RV_OP_illegal) { set(o, op, rd, rs1, rs2, 0); return; }
        break;
    }
    case 0x0f:
        /* Every fence variant (fence.tso, pause, hints) is a no-op for one hart. */
        if (f3 == 0) { set(o, RV_OP_fence, 0, 0, 0, 0); return; }
        if (f3 == 1) { set(o, RV_OP_fence_i, 0, 0, 0, 0); return; }
        break;
    case 0x73: {
        if (r == 0x00000073) { set(o, RV_OP_ecall, 0, 0, 0, 0); return; }
        if (r == 0x00100073) { set(o, RV_OP_ebreak, 0, 0, 0, 0); return; }
        static const rv_op csr[8] = {RV_OP_illegal, RV_OP_csrrw, RV_OP_csrrs, RV_OP_csrrc,
                                     RV_OP_illegal, RV_OP_csrrwi, RV_OP_csrrsi, RV_OP_csrrci};
        op = csr[f3];
        if (op == RV_OP_illegal)
            break;
        uint32_t num = bits(r, 31, 20);
        /* csrrs/csrrc with rs1 = x0 (or uimm = 0) only read. */
        bool writes = (f3 & 3) == 1 || rs1 != 0;
        if (!csr_ok(num, writes, isa))
            break;
        set(o, op, rd, rs1, 0, (int32_t)num);
        return;
    }
    case 0x2f: {
        if (f3 != 2 && f3 != 3)
            break;
        bool d = f3 == 3;
        switch (bits(r, 31, 27)) {
        case 0x02:
            if (rs2 != 0)
                return set(o, RV_OP_illegal, 0, 0, 0, 0);
            op = d ? RV_OP_lr_d : RV_OP_lr_w; break;
        case 0x03: op = d ? RV_OP_sc_d : RV_OP_sc_w; break;
        case 0x01: op = d ? RV_OP_amoswap_d : RV_OP_amoswap_w; break;
        case 0x00: op = d ? RV_OP_amoadd_d : RV_OP_amoadd_w; break;
        case 0x04: op = d ? RV_OP_amoxor_d : RV_OP_amoxor_w; break;
        case 0x0c: op = d ? RV_OP_amoand_d : RV_OP_amoand_w; break;
        case 0x08: op = d ? RV_OP_amoor_d : RV_OP_amoor_w; break;
        case 0x10: op = d ? RV_OP_amomin_d : RV_OP_amomin_w; break;
        case 0x14: op = d ? RV_OP_amomax_d : RV_OP_amomax_w; break;
        case 0x18: op = d ? RV_OP_amominu_d : RV_OP_amominu_w; break;
        case 0x1c: op = d ? RV_OP_amomaxu_d : RV_OP_amomaxu_w; break;
        default: break;
        }
        if (op != RV_OP_illegal) { set(o, op, rd, rs1, rs2, 0); return; }
        break;
    }
    case 0x07: case 0x27: case 0x43: case 0x47: case 0x4b: case 0x4f: case 0x53:
        if (decode_fp(r, o))
            return;
        break;
    default:
        break;
    }
    set(o, RV_OP_illegal, 0, 0, 0, 0);
}

/*
 * F and D. The rounding mode goes in imm: 0..4 static, 7 dynamic (frm, checked
 * when executed); 5 and 6 are reserved, so illegal.
 */
static bool decode_fp(uint32_t r, rv_insn *o)
{
    unsigned rd = bits(r, 11, 7), rs1 = bits(r, 19, 15), rs2 = bits(r, 24, 20);
    unsigned rs3 = bits(r, 31, 27), f3 = bits(r, 14, 12), f7 = bits(r, 31, 25);
    unsigned fmt = bits(r, 26, 25);
    bool rm_ok = f3 != 5 && f3 != 6;
    switch (bits(r, 6, 0)) {
    case 0x07: /* LOAD-FP */
        if (f3 == 2) { set_f(o, RV_OP_flw, rd, rs1, 0, 0, sext(bits(r, 31, 20), 12)); return true; }
        if (f3 == 3) { set_f(o, RV_OP_fld, rd, rs1, 0, 0, sext(bits(r, 31, 20), 12)); return true; }
        return false;
    case 0x27: { /* STORE-FP */
        int32_t imm = sext(bits(r, 31, 25) << 5 | bits(r, 11, 7), 12);
        if (f3 == 2) { set(o, RV_OP_fsw, 0, rs1, rs2, imm); return true; }
        if (f3 == 3) { set(o, RV_OP_fsd, 0, rs1, rs2, imm); return true; }
        return false;
    }
    case 0x43: case 0x47: case 0x4b: case 0x4f: {
        static const rv_op s_ops[4] = {RV_OP_fmadd_s, RV_OP_fmsub_s, RV_OP_fnmsub_s, RV_OP_fnmadd_s};
        static const rv_op d_ops[4] = {RV_OP_fmadd_d, RV_OP_fmsub_d, RV_OP_fnmsub_d, RV_OP_fnmadd_d};
        unsigned k = (bits(r, 6, 0) - 0x43) >> 2;
        if (fmt > 1 || !rm_ok)
            return false;
        set_f(o, fmt ? d_ops[k] : s_ops[k], rd, rs1, rs2, rs3, (int32_t)f3);
        return true;
    }
    default:
        break;
    }
    /* OP-FP */
    rv_op op = RV_OP_illegal;
    bool int_rd = false, uses_rm = true;
    switch (f7) {
    case 0x00: op = RV_OP_fadd_s; break;
    case 0x01: op = RV_OP_fadd_d; break;
    case 0x04: op = RV_OP_fsub_s; break;
    case 0x05: op = RV_OP_fsub_d; break;
    case 0x08: op = RV_OP_fmul_s; break;
    case 0x09: op = RV_OP_fmul_d; break;
    case 0x0c: op = RV_OP_fdiv_s; break;
    case 0x0d: op = RV_OP_fdiv_d; break;
    case 0x2c: if (rs2 == 0) op = RV_OP_fsqrt_s; break;
    case 0x2d: if (rs2 == 0) op = RV_OP_fsqrt_d; break;
    case 0x10: case 0x11: {
        static const rv_op sg[2][3] = {{RV_OP_fsgnj_s, RV_OP_fsgnjn_s, RV_OP_fsgnjx_s},
                                       {RV_OP_fsgnj_d, RV_OP_fsgnjn_d, RV_OP_fsgnjx_d}};
        if (f3 < 3) op = sg[f7 & 1][f3];
        uses_rm = false;
        break;
    }
    case 0x14: case 0x15: {
        static const rv_op mm[2][2] = {{RV_OP_fmin_s, RV_OP_fmax_s}, {RV_OP_fmin_d, RV_OP_fmax_d}};
        if (f3 < 2) op = mm[f7 & 1][f3];
        uses_rm = false;
        break;
    }
    case 0x20: if (rs2 == 1) op = RV_OP_fcvt_s_d; break;
    case 0x21: if (rs2 == 0) op = RV_OP_fcvt_d_s; break;
    case 0x50: case 0x51: {
        static const rv_op cmp[2][3] = {{RV_OP_fle_s, RV_OP_flt_s, RV_OP_feq_s},
                                        {RV_OP_fle_d, RV_OP_flt_d, RV_OP_feq_d}};
        if (f3 < 3) op = cmp[f7 & 1][f3];
        int_rd = true;
        uses_rm = false;
        break;
    }
    case 0x60: case 0x61: {
        static const rv_op cv[2][4] = {{RV_OP_fcvt_w_s, RV_OP_fcvt_wu_s, RV_OP_fcvt_l_s, RV_OP_fcvt_lu_s},
                                       {RV_OP_fcvt_w_d, RV_OP_fcvt_wu_d, RV_OP_fcvt_l_d, RV_OP_fcvt_lu_d}};
        if (rs2 < 4) op = cv[f7 & 1][rs2];
        int_rd = true;
        break;
    }
    case 0x68: case 0x69: {
        static const rv_op cv[2][4] = {{RV_OP_fcvt_s_w, RV_OP_fcvt_s_wu, RV_OP_fcvt_s_l, RV_OP_fcvt_s_lu},
                                       {RV_OP_fcvt_d_w, RV_OP_fcvt_d_wu, RV_OP_fcvt_d_l, RV_OP_fcvt_d_lu}};
        if (rs2 < 4) op = cv[f7 & 1][rs2];
        break;
    }
    case 0x70: case 0x71:
        if (rs2 == 0 && f3 == 0) op = f7 & 1 ? RV_OP_fmv_x_d : RV_OP_fmv_x_w;
        if (rs2 == 0 && f3 == 1) op = f7 & 1 ? RV_OP_fclass_d : RV_OP_fclass_s;
        int_rd = true;
        uses_rm = false;
        break;
    case 0x78: case 0x79:
        if (rs2 == 0 && f3 == 0) op = f7 & 1 ? RV_OP_fmv_d_x : RV_OP_fmv_w_x;
        uses_rm = false;
        break;
    default:
        break;
    }
    if (op == RV_OP_illegal || (uses_rm && !rm_ok))
        return false;
    if (int_rd)
        set(o, op, rd, rs1, rs2, (int32_t)f3);
    else
        set_f(o, op, rd, rs1, rs2, 0, (int32_t)f3);
    return true;
}

/* RV64C: each compressed form expands to one base instruction (ISA manual, "C" chapter). */
static void decode16(uint32_t r, rv_insn *o)
{
    unsigned f3 = bits(r, 15, 13);
    unsigned rd = bits(r, 11, 7), rs2 = bits(r, 6, 2);
    unsigned rdp = bits(r, 4, 2) + 8, rs1p = bits(r, 9, 7) + 8;
    int32_t imm6 = sext(bits(r, 12, 12) << 5 | bits(r, 6, 2), 6);
    uint32_t uimm_w = bits(r, 12, 10) << 3 | bits(r, 6, 6) << 2 | bits(r, 5, 5) << 6;
    uint32_t uimm_d = bits(r, 12, 10) << 3 | bits(r, 6, 5) << 6;

    switch (bits(r, 1, 0) << 3 | f3) {
    /* Quadrant 0 */
    case 0x00: { /* c.addi4spn; all-zero is the defined illegal instruction */
        uint32_t nz = bits(r, 12, 11) << 4 | bits(r, 10, 7) << 6 | bits(r, 6, 6) << 2 |
                      bits(r, 5, 5) << 3;
        if (nz == 0) break;
        return set(o, RV_OP_addi, rdp, 2, 0, (int32_t)nz);
    }
    case 0x02: return set(o, RV_OP_lw, rdp, rs1p, 0, (int32_t)uimm_w);
    case 0x03: return set(o, RV_OP_ld, rdp, rs1p, 0, (int32_t)uimm_d);
    case 0x06: return set(o, RV_OP_sw, 0, rs1p, rdp, (int32_t)uimm_w);
    case 0x07: return set(o, RV_OP_sd, 0, rs1p, rdp, (int32_t)uimm_d);
    /* Quadrant 1 */
    case 0x08: return set(o, RV_OP_addi, rd, rd, 0, imm6); /* c.addi, c.nop */
    case 0x09: /* c.addiw; rd = 0 is reserved */
        if (rd == 0) break;
        return set(o, RV_OP_addiw, rd, rd, 0, imm6);
    case 0x0a: return set(o, RV_OP_addi, rd, 0, 0, imm6); /* c.li */
    case 0x0b:
        if (rd == 2) { /* c.addi16sp */
            int32_t nz = sext(bits(r, 12, 12) << 9 | bits(r, 6, 6) << 4 | bits(r, 5, 5) << 6 |
                                  bits(r, 4, 3) << 7 | bits(r, 2, 2) << 5, 10);
            if (nz == 0) break;
            return set(o, RV_OP_addi, 2, 2, 0, nz);
        }
        if (imm6 == 0) break; /* c.lui with nzimm = 0 is reserved */
        return set(o, RV_OP_lui, rd, 0, 0, (int32_t)((uint32_t)imm6 << 12));
    case 0x0c: {
        unsigned shamt = bits(r, 12, 12) << 5 | bits(r, 6, 2);
        switch (bits(r, 11, 10)) {
        case 0: return set(o, RV_OP_srli, rs1p, rs1p, 0, (int32_t)shamt);
        case 1: return set(o, RV_OP_srai, rs1p, rs1p, 0, (int32_t)shamt);
        case 2: return set(o, RV_OP_andi, rs1p, rs1p, 0, imm6);
        default: {
            static const rv_op ops[8] = {RV_OP_sub, RV_OP_xor, RV_OP_or, RV_OP_and,
                                         RV_OP_subw, RV_OP_addw, RV_OP_illegal, RV_OP_illegal};
            rv_op op = ops[bits(r, 12, 12) << 2 | bits(r, 6, 5)];
            if (op == RV_OP_illegal) break;
            return set(o, op, rs1p, rs1p, rdp, 0);
        }
        }
        break;
    }
    case 0x0d: { /* c.j */
        int32_t off = sext(bits(r, 12, 12) << 11 | bits(r, 11, 11) << 4 | bits(r, 10, 9) << 8 |
                               bits(r, 8, 8) << 10 | bits(r, 7, 7) << 6 | bits(r, 6, 6) << 7 |
                               bits(r, 5, 3) << 1 | bits(r, 2, 2) << 5, 12);
        return set(o, RV_OP_jal, 0, 0, 0, off);
    }
    case 0x0e:
    case 0x0f: { /* c.beqz, c.bnez */
        int32_t off = sext(bits(r, 12, 12) << 8 | bits(r, 11, 10) << 3 | bits(r, 6, 5) << 6 |
                               bits(r, 4, 3) << 1 | bits(r, 2, 2) << 5, 9);
        return set(o, f3 == 6 ? RV_OP_beq : RV_OP_bne, 0, rs1p, 0, off);
    }
    /* Quadrant 2 */
    case 0x10: /* c.slli */
        return set(o, RV_OP_slli, rd, rd, 0, (int32_t)(bits(r, 12, 12) << 5 | bits(r, 6, 2)));
    case 0x12: /* c.lwsp */
        if (rd == 0) break;
        return set(o, RV_OP_lw, rd, 2, 0,
                   (int32_t)(bits(r, 12, 12) << 5 | bits(r, 6, 4) << 2 | bits(r, 3, 2) << 6));
    case 0x13: /* c.ldsp */
        if (rd == 0) break;
        return set(o, RV_OP_ld, rd, 2, 0,
                   (int32_t)(bits(r, 12, 12) << 5 | bits(r, 6, 5) << 3 | bits(r, 4, 2) << 6));
    case 0x14:
        if (!bits(r, 12, 12)) {
            if (rs2 == 0) { /* c.jr */
                if (rd == 0) break;
                return set(o, RV_OP_jalr, 0, rd, 0, 0);
            }
            return set(o, RV_OP_add, rd, 0, rs2, 0); /* c.mv */
        }
        if (rs2 == 0) {
            if (rd == 0) return set(o, RV_OP_ebreak, 0, 0, 0, 0);
            return set(o, RV_OP_jalr, 1, rd, 0, 0); /* c.jalr */
        }
        return set(o, RV_OP_add, rd, rd, rs2, 0); /* c.add */
    case 0x16: /* c.swsp */
        return set(o, RV_OP_sw, 0, 2, rs2, (int32_t)(bits(r, 12, 9) << 2 | bits(r, 8, 7) << 6));
    case 0x17: /* c.sdsp */
        return set(o, RV_OP_sd, 0, 2, rs2, (int32_t)(bits(r, 12, 10) << 3 | bits(r, 9, 7) << 6));
    case 0x01: return set_f(o, RV_OP_fld, rdp, rs1p, 0, 0, (int32_t)uimm_d); /* c.fld */
    case 0x05: return set(o, RV_OP_fsd, 0, rs1p, rdp, (int32_t)uimm_d);      /* c.fsd */
    case 0x11: /* c.fldsp */
        return set_f(o, RV_OP_fld, rd, 2, 0, 0,
                     (int32_t)(bits(r, 12, 12) << 5 | bits(r, 6, 5) << 3 | bits(r, 4, 2) << 6));
    case 0x15: /* c.fsdsp */
        return set(o, RV_OP_fsd, 0, 2, rs2, (int32_t)(bits(r, 12, 10) << 3 | bits(r, 9, 7) << 6));
    default: /* the reserved quadrant-0 slot */
        break;
    }
    set(o, RV_OP_illegal, 0, 0, 0, 0);
}

static const uint8_t op_flags[RV_OP_COUNT] = {
#define RV_OP_FLAGS(name, ext, cls, flags, shape) flags,
    RV_INSN_LIST(RV_OP_FLAGS)
#undef RV_OP_FLAGS
};

unsigned rv_op_cost_class(unsigned op)
{
    return op < RV_OP_COUNT ? op_cost_class[op] : RVVM_COST_ALU;
}

bool rv_op_ends_run(unsigned op)
{
    return op >= RV_OP_COUNT || (op_flags[op] & (RV_F_JUMP | RV_F_SYSTEM));
}

/*
 * Specialised forms: decided once here so the interpreter does less per
 * instruction. Jump targets become absolute; without C, a misaligned target
 * needs a checked form ("IALIGN=32": instruction-address-misaligned on the
 * jump itself).
 */
void rv_specialise(rv_insn *o, uint64_t pc, uint32_t isa)
{
    bool c = isa & RVVM_ISA_C;
    switch (o->op) {
    case RV_OP_addi:
        if (o->rd == RV_SINK_REG) o->op = RV_OP_nop;
        else if (o->rs1 == 0) o->op = RV_OP_li;
        else if (o->imm == 0) o->op = RV_OP_mv;
        break;
    case RV_OP_lui:
        if (o->rd == RV_SINK_REG) o->op = RV_OP_nop;
        else o->op = RV_OP_li;
        break;
    case RV_OP_auipc:
        /* pc is known now: auipc is a constant. */
        o->imm = (int64_t)(pc + (uint64_t)o->imm);
        o->op = o->rd == RV_SINK_REG ? RV_OP_nop : RV_OP_li;
        break;
    case RV_OP_jal:
        o->imm = (int64_t)(pc + (uint64_t)o->imm);
        if (!c && (o->imm & 2)) o->op = RV_OP_jal_checked;
        else if (o->rd == RV_SINK_REG) o->op = RV_OP_j; /* no link */
        break;
    case RV_OP_jalr:
        if (!c) o->op = RV_OP_jalr_checked;
        else if (o->rd == RV_SINK_REG) o->op = RV_OP_jr; /* ret, tail calls, switch tables */
        break;
    case RV_OP_beq: case RV_OP_bne: case RV_OP_blt:
    case RV_OP_bge: case RV_OP_bltu: case RV_OP_bgeu:
        o->imm = (int64_t)(pc + (uint64_t)o->imm);
        if (!c && (o->imm & 2)) {
            o->rd = (uint8_t)o->op; /* branches have no rd: keep the condition there */
            o->op = RV_OP_branch_misaligned;
        }
        break;
    default:
        break;
    }
}

void rv_decode(uint32_t raw, uint32_t isa, const rvvm_cost_model *costs, rv_insn *out)
{
    memset(out, 0, sizeof *out);
    if ((raw & 3) == 3) {
        out->len = 4;
        out->raw = raw;
        decode32(raw, isa, out);
    } else {
        out->len = 2;
        out->raw = raw & 0xffff;
        if (isa & RVVM_ISA_C)
            decode16(raw & 0xffff, out);
        else
            set(out, RV_OP_illegal, 0, 0, 0, 0);
    }
    uint32_t ext = op_extension[out->op];
    if (ext && !(isa & ext))
        set(out, RV_OP_illegal, 0, 0, 0, 0);
    /* A faulting instruction is not retired, so it costs nothing. */
    out->cost = out->op == RV_OP_illegal ? 0 : costs->cost[op_cost_class[out->op]];
}
