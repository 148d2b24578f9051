/*
 * The one instruction table. Each row: name, extension, cost class, flags.
 * The decoder, the interpreter, the disassembler names, the cost model and
 * the tests' coverage list all come from this list.
 *
 * Flags: RV_F_JUMP changes control flow, RV_F_LOAD reads memory, RV_F_STORE
 * writes memory, RV_F_SYSTEM leaves the straight-line path (ecall, CSR,
 * fence.i).
 */
#ifndef RVVM_INSN_TABLE_H
#define RVVM_INSN_TABLE_H

#define RV_INSN_LIST(_)                                   \
    /* Internal: slot not yet decoded, end-of-page slot, illegal encoding. */ \
    _(undecoded, I, ALU, RV_F_SYSTEM)                     \
    _(page_end, I, ALU, RV_F_SYSTEM)                      \
    _(illegal, I, ALU, RV_F_SYSTEM)                       \
    /* Specialised forms of base instructions. */         \
    _(nop, I, ALU, 0)                                     \
    _(li, I, ALU, 0)                                      \
    _(mv, I, ALU, 0)                                      \
    _(j, I, JUMP, RV_F_JUMP)                              \
    _(jr, I, JUMP, RV_F_JUMP)                             \
    _(jal_checked, I, JUMP, RV_F_JUMP)                    \
    _(jalr_checked, I, JUMP, RV_F_JUMP)                   \
    _(branch_misaligned, I, BRANCH, RV_F_JUMP)            \
    /* Jumps to another page: the target is absolute. */   \
    _(jal_far, I, JUMP, RV_F_JUMP)                        \
    _(j_far, I, JUMP, RV_F_JUMP)                          \
    _(beq_far, I, BRANCH, RV_F_JUMP)                      \
    _(bne_far, I, BRANCH, RV_F_JUMP)                      \
    _(blt_far, I, BRANCH, RV_F_JUMP)                      \
    _(bge_far, I, BRANCH, RV_F_JUMP)                      \
    _(bltu_far, I, BRANCH, RV_F_JUMP)                     \
    _(bgeu_far, I, BRANCH, RV_F_JUMP)                     \
    /* Where a run that the budget cannot pay in full stops (execute.c). */ \
    _(budget_stop, I, ALU, RV_F_SYSTEM)                   \
    /* RV64I */                                           \
    _(lui, I, ALU, 0)                                     \
    _(auipc, I, ALU, 0)                                   \
    _(jal, I, JUMP, RV_F_JUMP)                            \
    _(jalr, I, JUMP, RV_F_JUMP)                           \
    _(beq, I, BRANCH, RV_F_JUMP)                          \
    _(bne, I, BRANCH, RV_F_JUMP)                          \
    _(blt, I, BRANCH, RV_F_JUMP)                          \
    _(bge, I, BRANCH, RV_F_JUMP)                          \
    _(bltu, I, BRANCH, RV_F_JUMP)                         \
    _(bgeu, I, BRANCH, RV_F_JUMP)                         \
    _(lb, I, LOAD, RV_F_LOAD)                             \
    _(lh, I, LOAD, RV_F_LOAD)                             \
    _(lw, I, LOAD, RV_F_LOAD)                             \
    _(ld, I, LOAD, RV_F_LOAD)                             \
    _(lbu, I, LOAD, RV_F_LOAD)                            \
    _(lhu, I, LOAD, RV_F_LOAD)                            \
    _(lwu, I, LOAD, RV_F_LOAD)                            \
    _(sb, I, STORE, RV_F_STORE)                           \
    _(sh, I, STORE, RV_F_STORE)                           \
    _(sw, I, STORE, RV_F_STORE)                           \
    _(sd, I, STORE, RV_F_STORE)                           \
    _(addi, I, ALU, 0)                                    \
    _(slti, I, ALU, 0)                                    \
    _(sltiu, I, ALU, 0)                                   \
    _(xori, I, ALU, 0)                                    \
    _(ori, I, ALU, 0)                                     \
    _(andi, I, ALU, 0)                                    \
    _(slli, I, ALU, 0)                                    \
    _(srli, I, ALU, 0)                                    \
    _(srai, I, ALU, 0)                                    \
    _(add, I, ALU, 0)                                     \
    _(sub, I, ALU, 0)                                     \
    _(sll, I, ALU, 0)                                     \
    _(slt, I, ALU, 0)                                     \
    _(sltu, I, ALU, 0)                                    \
    _(xor, I, ALU, 0)                                     \
    _(srl, I, ALU, 0)                                     \
    _(sra, I, ALU, 0)                                     \
    _(or, I, ALU, 0)                                      \
    _(and, I, ALU, 0)                                     \
    _(addiw, I, ALU, 0)                                   \
    _(slliw, I, ALU, 0)                                   \
    _(srliw, I, ALU, 0)                                   \
    _(sraiw, I, ALU, 0)                                   \
    _(addw, I, ALU, 0)                                    \
    _(subw, I, ALU, 0)                                    \
    _(sllw, I, ALU, 0)                                    \
    _(srlw, I, ALU, 0)                                    \
    _(sraw, I, ALU, 0)                                    \
    _(fence, I, FENCE, 0)                                 \
    _(ecall, I, ECALL, RV_F_SYSTEM)                       \
    _(ebreak, I, EBREAK, RV_F_SYSTEM)                     \
    /* Zifencei */                                        \
    _(fence_i, ZIFENCEI, FENCE, RV_F_SYSTEM)              \
    /* Zicsr */                                           \
    _(csrrw, ZICSR, CSR, RV_F_SYSTEM)                     \
    _(csrrs, ZICSR, CSR, RV_F_SYSTEM)                     \
    _(csrrc, ZICSR, CSR, RV_F_SYSTEM)                     \
    _(csrrwi, ZICSR, CSR, RV_F_SYSTEM)                    \
    _(csrrsi, ZICSR, CSR, RV_F_SYSTEM)                    \
    _(csrrci, ZICSR, CSR, RV_F_SYSTEM)                    \
    /* M */                                               \
    _(mul, M, MUL, 0)                                     \
    _(mulh, M, MUL, 0)                                    \
    _(mulhsu, M, MUL, 0)                                  \
    _(mulhu, M, MUL, 0)                                   \
    _(div, M, DIV, 0)                                     \
    _(divu, M, DIV, 0)                                    \
    _(rem, M, DIV, 0)                                     \
    _(remu, M, DIV, 0)                                    \
    _(mulw, M, MUL, 0)                                    \
    _(divw, M, DIV, 0)                                    \
    _(divuw, M, DIV, 0)                                   \
    _(remw, M, DIV, 0)                                    \
    _(remuw, M, DIV, 0)                                   \
    /* A */                                               \
    _(lr_w, A, ATOMIC, RV_F_LOAD)                         \
    _(sc_w, A, ATOMIC, RV_F_STORE)                        \
    _(amoswap_w, A, ATOMIC, RV_F_STORE)                   \
    _(amoadd_w, A, ATOMIC, RV_F_STORE)                    \
    _(amoxor_w, A, ATOMIC, RV_F_STORE)                    \
    _(amoand_w, A, ATOMIC, RV_F_STORE)                    \
    _(amoor_w, A, ATOMIC, RV_F_STORE)                     \
    _(amomin_w, A, ATOMIC, RV_F_STORE)                    \
    _(amomax_w, A, ATOMIC, RV_F_STORE)                    \
    _(amominu_w, A, ATOMIC, RV_F_STORE)                   \
    _(amomaxu_w, A, ATOMIC, RV_F_STORE)                   \
    _(lr_d, A, ATOMIC, RV_F_LOAD)                         \
    _(sc_d, A, ATOMIC, RV_F_STORE)                        \
    _(amoswap_d, A, ATOMIC, RV_F_STORE)                   \
    _(amoadd_d, A, ATOMIC, RV_F_STORE)                    \
    _(amoxor_d, A, ATOMIC, RV_F_STORE)                    \
    _(amoand_d, A, ATOMIC, RV_F_STORE)                    \
    _(amoor_d, A, ATOMIC, RV_F_STORE)                     \
    _(amomin_d, A, ATOMIC, RV_F_STORE)                    \
    _(amomax_d, A, ATOMIC, RV_F_STORE)                    \
    _(amominu_d, A, ATOMIC, RV_F_STORE)                   \
    _(amomaxu_d, A, ATOMIC, RV_F_STORE)                   \
    /* Zba */                                             \
    _(sh1add, ZBA, ALU, 0)                                \
    _(sh2add, ZBA, ALU, 0)                                \
    _(sh3add, ZBA, ALU, 0)                                \
    _(add_uw, ZBA, ALU, 0)                                \
    _(sh1add_uw, ZBA, ALU, 0)                             \
    _(sh2add_uw, ZBA, ALU, 0)                             \
    _(sh3add_uw, ZBA, ALU, 0)                             \
    _(slli_uw, ZBA, ALU, 0)                               \
    /* Zbb */                                             \
    _(andn, ZBB, ALU, 0)                                  \
    _(orn, ZBB, ALU, 0)                                   \
    _(xnor, ZBB, ALU, 0)                                  \
    _(clz, ZBB, ALU, 0)                                   \
    _(ctz, ZBB, ALU, 0)                                   \
    _(cpop, ZBB, ALU, 0)                                  \
    _(clzw, ZBB, ALU, 0)                                  \
    _(ctzw, ZBB, ALU, 0)                                  \
    _(cpopw, ZBB, ALU, 0)                                 \
    _(max, ZBB, ALU, 0)                                   \
    _(maxu, ZBB, ALU, 0)                                  \
    _(min, ZBB, ALU, 0)                                   \
    _(minu, ZBB, ALU, 0)                                  \
    _(sext_b, ZBB, ALU, 0)                                \
    _(sext_h, ZBB, ALU, 0)                                \
    _(zext_h, ZBB, ALU, 0)                                \
    _(orc_b, ZBB, ALU, 0)                                 \
    _(rev8, ZBB, ALU, 0)                                  \
    _(rol, ZBB, ALU, 0)                                   \
    _(ror, ZBB, ALU, 0)                                   \
    _(rori, ZBB, ALU, 0)                                  \
    _(rolw, ZBB, ALU, 0)                                  \
    _(rorw, ZBB, ALU, 0)                                  \
    _(roriw, ZBB, ALU, 0)                                 \
    /* Zbc */                                             \
    _(clmul, ZBC, MUL, 0)                                 \
    _(clmulh, ZBC, MUL, 0)                                \
    _(clmulr, ZBC, MUL, 0)                                \
    /* Zbs */                                             \
    _(bclr, ZBS, ALU, 0)                                  \
    _(bclri, ZBS, ALU, 0)                                 \
    _(bext, ZBS, ALU, 0)                                  \
    _(bexti, ZBS, ALU, 0)                                 \
    _(binv, ZBS, ALU, 0)                                  \
    _(binvi, ZBS, ALU, 0)                                 \
    _(bset, ZBS, ALU, 0)                                  \
    _(bseti, ZBS, ALU, 0)                                 \
    /* Zicond */                                          \
    _(czero_eqz, ZICOND, ALU, 0)                          \
    _(czero_nez, ZICOND, ALU, 0)                          \
    /* F */                                               \
    _(flw, F, LOAD, RV_F_LOAD)                            \
    _(fsw, F, STORE, RV_F_STORE)                          \
    _(fmadd_s, F, FP, 0)                                  \
    _(fmsub_s, F, FP, 0)                                  \
    _(fnmsub_s, F, FP, 0)                                 \
    _(fnmadd_s, F, FP, 0)                                 \
    _(fadd_s, F, FP, 0)                                   \
    _(fsub_s, F, FP, 0)                                   \
    _(fmul_s, F, FP, 0)                                   \
    _(fdiv_s, F, FPDIV, 0)                                \
    _(fsqrt_s, F, FPDIV, 0)                               \
    _(fsgnj_s, F, FP, 0)                                  \
    _(fsgnjn_s, F, FP, 0)                                 \
    _(fsgnjx_s, F, FP, 0)                                 \
    _(fmin_s, F, FP, 0)                                   \
    _(fmax_s, F, FP, 0)                                   \
    _(fcvt_w_s, F, FP, 0)                                 \
    _(fcvt_wu_s, F, FP, 0)                                \
    _(fcvt_l_s, F, FP, 0)                                 \
    _(fcvt_lu_s, F, FP, 0)                                \
    _(fmv_x_w, F, FP, 0)                                  \
    _(feq_s, F, FP, 0)                                    \
    _(flt_s, F, FP, 0)                                    \
    _(fle_s, F, FP, 0)                                    \
    _(fclass_s, F, FP, 0)                                 \
    _(fcvt_s_w, F, FP, 0)                                 \
    _(fcvt_s_wu, F, FP, 0)                                \
    _(fcvt_s_l, F, FP, 0)                                 \
    _(fcvt_s_lu, F, FP, 0)                                \
    _(fmv_w_x, F, FP, 0)                                  \
    /* D */                                               \
    _(fld, D, LOAD, RV_F_LOAD)                            \
    _(fsd, D, STORE, RV_F_STORE)                          \
    _(fmadd_d, D, FP, 0)                                  \
    _(fmsub_d, D, FP, 0)                                  \
    _(fnmsub_d, D, FP, 0)                                 \
    _(fnmadd_d, D, FP, 0)                                 \
    _(fadd_d, D, FP, 0)                                   \
    _(fsub_d, D, FP, 0)                                   \
    _(fmul_d, D, FP, 0)                                   \
    _(fdiv_d, D, FPDIV, 0)                                \
    _(fsqrt_d, D, FPDIV, 0)                               \
    _(fsgnj_d, D, FP, 0)                                  \
    _(fsgnjn_d, D, FP, 0)                                 \
    _(fsgnjx_d, D, FP, 0)                                 \
    _(fmin_d, D, FP, 0)                                   \
    _(fmax_d, D, FP, 0)                                   \
    _(fcvt_s_d, D, FP, 0)                                 \
    _(fcvt_d_s, D, FP, 0)                                 \
    _(feq_d, D, FP, 0)                                    \
    _(flt_d, D, FP, 0)                                    \
    _(fle_d, D, FP, 0)                                    \
    _(fclass_d, D, FP, 0)                                 \
    _(fcvt_w_d, D, FP, 0)                                 \
    _(fcvt_wu_d, D, FP, 0)                                \
    _(fcvt_l_d, D, FP, 0)                                 \
    _(fcvt_lu_d, D, FP, 0)                                \
    _(fmv_x_d, D, FP, 0)                                  \
    _(fcvt_d_w, D, FP, 0)                                 \
    _(fcvt_d_wu, D, FP, 0)                                \
    _(fcvt_d_l, D, FP, 0)                                 \
    _(fcvt_d_lu, D, FP, 0)                                \
    _(fmv_d_x, D, FP, 0)                                  \
    /* Fused pairs (internal, made by the decode cache; always last). */ \
    _(fused_slli_add, I, ALU, 0)                          \
    _(fused_lui_addi, I, ALU, 0)                          \
    _(fused_addi_beq, I, BRANCH, RV_F_JUMP)               \
    _(fused_addi_bne, I, BRANCH, RV_F_JUMP)               \
    _(fused_addi_blt, I, BRANCH, RV_F_JUMP)               \
    _(fused_addi_bge, I, BRANCH, RV_F_JUMP)               \
    _(fused_addi_bltu, I, BRANCH, RV_F_JUMP)              \
    _(fused_addi_bgeu, I, BRANCH, RV_F_JUMP)              \
    _(fused_lb_addi, I, LOAD, RV_F_LOAD)                  \
    _(fused_lh_addi, I, LOAD, RV_F_LOAD)                  \
    _(fused_lw_addi, I, LOAD, RV_F_LOAD)                  \
    _(fused_ld_addi, I, LOAD, RV_F_LOAD)                  \
    _(fused_lbu_addi, I, LOAD, RV_F_LOAD)                 \
    _(fused_lhu_addi, I, LOAD, RV_F_LOAD)                 \
    _(fused_lwu_addi, I, LOAD, RV_F_LOAD)                 \
    _(fused_auipc_jalr, I, JUMP, RV_F_JUMP)               \
    _(fused_auipc_jalr_far, I, JUMP, RV_F_JUMP)           \
    _(fused_auipc_lb, I, LOAD, RV_F_LOAD)                 \
    _(fused_auipc_lh, I, LOAD, RV_F_LOAD)                 \
    _(fused_auipc_lw, I, LOAD, RV_F_LOAD)                 \
    _(fused_auipc_ld, I, LOAD, RV_F_LOAD)                 \
    _(fused_auipc_lbu, I, LOAD, RV_F_LOAD)                \
    _(fused_auipc_lhu, I, LOAD, RV_F_LOAD)                \
    _(fused_auipc_lwu, I, LOAD, RV_F_LOAD)                \
    _(fused_mul_mulh, M, MUL, 0)                          \
    _(fused_mul_mulhu, M, MUL, 0)                         \
    _(fused_mul_mulhsu, M, MUL, 0)

enum { RV_F_JUMP = 1, RV_F_LOAD = 2, RV_F_STORE = 4, RV_F_SYSTEM = 8 };

typedef enum rv_op {
#define RV_OP_ENUM(name, ext, cls, flags) RV_OP_##name,
    RV_INSN_LIST(RV_OP_ENUM)
#undef RV_OP_ENUM
    RV_OP_COUNT
} rv_op;

/* Ops from here on stand for two instructions; a budget stop between them splits them. */
#define RV_OP_FUSED_FIRST RV_OP_fused_slli_add

#endif
