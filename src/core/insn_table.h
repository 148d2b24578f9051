/*
 * The one instruction table. Each row: name, extension, cost class, flags,
 * operand shape. The decoder, the interpreter, the disassembler, the cost
 * model and the tests' coverage list all come from this list; no other list
 * of instructions exists.
 *
 * Flags: RV_F_JUMP changes control flow, RV_F_LOAD reads memory, RV_F_STORE
 * writes memory, RV_F_SYSTEM leaves the straight-line path (ecall, CSR,
 * fence.i), RV_F_FUSED stands for two instructions (a budget stop between
 * them splits them).
 *
 * Shape: how the disassembler prints the operands (rv_shape below). Shape X
 * marks an internal op: a slot state or a specialised or fused form that the
 * decode cache makes from decoded instructions, never the decoder's result for
 * an encoding. Every other row is an architectural instruction, and its name
 * with '_' read as '.' is its assembler mnemonic.
 */
#ifndef RVVM_INSN_TABLE_H
#define RVVM_INSN_TABLE_H

#define RV_INSN_LIST(_)                                   \
    /* Internal: slot not yet decoded, end-of-page slot, illegal encoding. */ \
    _(undecoded, I, ALU, RV_F_SYSTEM, X)                      \
    _(page_end, I, ALU, RV_F_SYSTEM, X)                       \
    _(illegal, I, ALU, RV_F_SYSTEM, X)                        \
    /* Specialised forms of base instructions. */         \
    _(nop, I, ALU, 0, X)                                      \
    _(li, I, ALU, 0, X)                                       \
    _(mv, I, ALU, 0, X)                                       \
    _(j, I, JUMP, RV_F_JUMP, X)                               \
    _(jr, I, JUMP, RV_F_JUMP, X)                              \
    _(jal_checked, I, JUMP, RV_F_JUMP, X)                     \
    _(jalr_checked, I, JUMP, RV_F_JUMP, X)                    \
    _(branch_misaligned, I, BRANCH, RV_F_JUMP, X)             \
    /* Jumps to another page: the target is absolute. */   \
    _(jal_far, I, JUMP, RV_F_JUMP, X)                         \
    _(j_far, I, JUMP, RV_F_JUMP, X)                           \
    _(beq_far, I, BRANCH, RV_F_JUMP, X)                       \
    _(bne_far, I, BRANCH, RV_F_JUMP, X)                       \
    _(blt_far, I, BRANCH, RV_F_JUMP, X)                       \
    _(bge_far, I, BRANCH, RV_F_JUMP, X)                       \
    _(bltu_far, I, BRANCH, RV_F_JUMP, X)                      \
    _(bgeu_far, I, BRANCH, RV_F_JUMP, X)                      \
    /* Where a run that the budget cannot pay in full stops (execute.c). */ \
    _(budget_stop, I, ALU, RV_F_SYSTEM, X)                    \
    /* RV64I */                                           \
    _(lui, I, ALU, 0, U)                                      \
    _(auipc, I, ALU, 0, U)                                    \
    _(jal, I, JUMP, RV_F_JUMP, J)                             \
    _(jalr, I, JUMP, RV_F_JUMP, JALR)                         \
    _(beq, I, BRANCH, RV_F_JUMP, B)                           \
    _(bne, I, BRANCH, RV_F_JUMP, B)                           \
    _(blt, I, BRANCH, RV_F_JUMP, B)                           \
    _(bge, I, BRANCH, RV_F_JUMP, B)                           \
    _(bltu, I, BRANCH, RV_F_JUMP, B)                          \
    _(bgeu, I, BRANCH, RV_F_JUMP, B)                          \
    _(lb, I, LOAD, RV_F_LOAD, LOAD)                           \
    _(lh, I, LOAD, RV_F_LOAD, LOAD)                           \
    _(lw, I, LOAD, RV_F_LOAD, LOAD)                           \
    _(ld, I, LOAD, RV_F_LOAD, LOAD)                           \
    _(lbu, I, LOAD, RV_F_LOAD, LOAD)                          \
    _(lhu, I, LOAD, RV_F_LOAD, LOAD)                          \
    _(lwu, I, LOAD, RV_F_LOAD, LOAD)                          \
    _(sb, I, STORE, RV_F_STORE, STORE)                        \
    _(sh, I, STORE, RV_F_STORE, STORE)                        \
    _(sw, I, STORE, RV_F_STORE, STORE)                        \
    _(sd, I, STORE, RV_F_STORE, STORE)                        \
    _(addi, I, ALU, 0, I)                                     \
    _(slti, I, ALU, 0, I)                                     \
    _(sltiu, I, ALU, 0, I)                                    \
    _(xori, I, ALU, 0, I)                                     \
    _(ori, I, ALU, 0, I)                                      \
    _(andi, I, ALU, 0, I)                                     \
    _(slli, I, ALU, 0, SHIFT)                                 \
    _(srli, I, ALU, 0, SHIFT)                                 \
    _(srai, I, ALU, 0, SHIFT)                                 \
    _(add, I, ALU, 0, R)                                      \
    _(sub, I, ALU, 0, R)                                      \
    _(sll, I, ALU, 0, R)                                      \
    _(slt, I, ALU, 0, R)                                      \
    _(sltu, I, ALU, 0, R)                                     \
    _(xor, I, ALU, 0, R)                                      \
    _(srl, I, ALU, 0, R)                                      \
    _(sra, I, ALU, 0, R)                                      \
    _(or, I, ALU, 0, R)                                       \
    _(and, I, ALU, 0, R)                                      \
    _(addiw, I, ALU, 0, I)                                    \
    _(slliw, I, ALU, 0, SHIFT)                                \
    _(srliw, I, ALU, 0, SHIFT)                                \
    _(sraiw, I, ALU, 0, SHIFT)                                \
    _(addw, I, ALU, 0, R)                                     \
    _(subw, I, ALU, 0, R)                                     \
    _(sllw, I, ALU, 0, R)                                     \
    _(srlw, I, ALU, 0, R)                                     \
    _(sraw, I, ALU, 0, R)                                     \
    _(fence, I, FENCE, 0, FENCE)                              \
    _(ecall, I, ECALL, RV_F_SYSTEM, NONE)                     \
    _(ebreak, I, EBREAK, RV_F_SYSTEM, NONE)                   \
    /* Zifencei */                                        \
    _(fence_i, ZIFENCEI, FENCE, RV_F_SYSTEM, NONE)            \
    /* Zicsr */                                           \
    _(csrrw, ZICSR, CSR, RV_F_SYSTEM, CSR)                    \
    _(csrrs, ZICSR, CSR, RV_F_SYSTEM, CSR)                    \
    _(csrrc, ZICSR, CSR, RV_F_SYSTEM, CSR)                    \
    _(csrrwi, ZICSR, CSR, RV_F_SYSTEM, CSRI)                  \
    _(csrrsi, ZICSR, CSR, RV_F_SYSTEM, CSRI)                  \
    _(csrrci, ZICSR, CSR, RV_F_SYSTEM, CSRI)                  \
    /* M */                                               \
    _(mul, M, MUL, 0, R)                                      \
    _(mulh, M, MUL, 0, R)                                     \
    _(mulhsu, M, MUL, 0, R)                                   \
    _(mulhu, M, MUL, 0, R)                                    \
    _(div, M, DIV, 0, R)                                      \
    _(divu, M, DIV, 0, R)                                     \
    _(rem, M, DIV, 0, R)                                      \
    _(remu, M, DIV, 0, R)                                     \
    _(mulw, M, MUL, 0, R)                                     \
    _(divw, M, DIV, 0, R)                                     \
    _(divuw, M, DIV, 0, R)                                    \
    _(remw, M, DIV, 0, R)                                     \
    _(remuw, M, DIV, 0, R)                                    \
    /* A */                                               \
    _(lr_w, A, ATOMIC, RV_F_LOAD, LR)                         \
    _(sc_w, A, ATOMIC, RV_F_STORE, AMO)                       \
    _(amoswap_w, A, ATOMIC, RV_F_STORE, AMO)                  \
    _(amoadd_w, A, ATOMIC, RV_F_STORE, AMO)                   \
    _(amoxor_w, A, ATOMIC, RV_F_STORE, AMO)                   \
    _(amoand_w, A, ATOMIC, RV_F_STORE, AMO)                   \
    _(amoor_w, A, ATOMIC, RV_F_STORE, AMO)                    \
    _(amomin_w, A, ATOMIC, RV_F_STORE, AMO)                   \
    _(amomax_w, A, ATOMIC, RV_F_STORE, AMO)                   \
    _(amominu_w, A, ATOMIC, RV_F_STORE, AMO)                  \
    _(amomaxu_w, A, ATOMIC, RV_F_STORE, AMO)                  \
    _(lr_d, A, ATOMIC, RV_F_LOAD, LR)                         \
    _(sc_d, A, ATOMIC, RV_F_STORE, AMO)                       \
    _(amoswap_d, A, ATOMIC, RV_F_STORE, AMO)                  \
    _(amoadd_d, A, ATOMIC, RV_F_STORE, AMO)                   \
    _(amoxor_d, A, ATOMIC, RV_F_STORE, AMO)                   \
    _(amoand_d, A, ATOMIC, RV_F_STORE, AMO)                   \
    _(amoor_d, A, ATOMIC, RV_F_STORE, AMO)                    \
    _(amomin_d, A, ATOMIC, RV_F_STORE, AMO)                   \
    _(amomax_d, A, ATOMIC, RV_F_STORE, AMO)                   \
    _(amominu_d, A, ATOMIC, RV_F_STORE, AMO)                  \
    _(amomaxu_d, A, ATOMIC, RV_F_STORE, AMO)                  \
    /* Zba */                                             \
    _(sh1add, ZBA, ALU, 0, R)                                 \
    _(sh2add, ZBA, ALU, 0, R)                                 \
    _(sh3add, ZBA, ALU, 0, R)                                 \
    _(add_uw, ZBA, ALU, 0, R)                                 \
    _(sh1add_uw, ZBA, ALU, 0, R)                              \
    _(sh2add_uw, ZBA, ALU, 0, R)                              \
    _(sh3add_uw, ZBA, ALU, 0, R)                              \
    _(slli_uw, ZBA, ALU, 0, SHIFT)                            \
    /* Zbb */                                             \
    _(andn, ZBB, ALU, 0, R)                                   \
    _(orn, ZBB, ALU, 0, R)                                    \
    _(xnor, ZBB, ALU, 0, R)                                   \
    _(clz, ZBB, ALU, 0, R1)                                   \
    _(ctz, ZBB, ALU, 0, R1)                                   \
    _(cpop, ZBB, ALU, 0, R1)                                  \
    _(clzw, ZBB, ALU, 0, R1)                                  \
    _(ctzw, ZBB, ALU, 0, R1)                                  \
    _(cpopw, ZBB, ALU, 0, R1)                                 \
    _(max, ZBB, ALU, 0, R)                                    \
    _(maxu, ZBB, ALU, 0, R)                                   \
    _(min, ZBB, ALU, 0, R)                                    \
    _(minu, ZBB, ALU, 0, R)                                   \
    _(sext_b, ZBB, ALU, 0, R1)                                \
    _(sext_h, ZBB, ALU, 0, R1)                                \
    _(zext_h, ZBB, ALU, 0, R1)                                \
    _(orc_b, ZBB, ALU, 0, R1)                                 \
    _(rev8, ZBB, ALU, 0, R1)                                  \
    _(rol, ZBB, ALU, 0, R)                                    \
    _(ror, ZBB, ALU, 0, R)                                    \
    _(rori, ZBB, ALU, 0, SHIFT)                               \
    _(rolw, ZBB, ALU, 0, R)                                   \
    _(rorw, ZBB, ALU, 0, R)                                   \
    _(roriw, ZBB, ALU, 0, SHIFT)                              \
    /* Zbc */                                             \
    _(clmul, ZBC, MUL, 0, R)                                  \
    _(clmulh, ZBC, MUL, 0, R)                                 \
    _(clmulr, ZBC, MUL, 0, R)                                 \
    /* Zbs */                                             \
    _(bclr, ZBS, ALU, 0, R)                                   \
    _(bclri, ZBS, ALU, 0, SHIFT)                              \
    _(bext, ZBS, ALU, 0, R)                                   \
    _(bexti, ZBS, ALU, 0, SHIFT)                              \
    _(binv, ZBS, ALU, 0, R)                                   \
    _(binvi, ZBS, ALU, 0, SHIFT)                              \
    _(bset, ZBS, ALU, 0, R)                                   \
    _(bseti, ZBS, ALU, 0, SHIFT)                              \
    /* Zicond */                                          \
    _(czero_eqz, ZICOND, ALU, 0, R)                           \
    _(czero_nez, ZICOND, ALU, 0, R)                           \
    /* F */                                               \
    _(flw, F, LOAD, RV_F_LOAD, FLOAD)                         \
    _(fsw, F, STORE, RV_F_STORE, FSTORE)                      \
    _(fmadd_s, F, FP, 0, FR4)                                 \
    _(fmsub_s, F, FP, 0, FR4)                                 \
    _(fnmsub_s, F, FP, 0, FR4)                                \
    _(fnmadd_s, F, FP, 0, FR4)                                \
    _(fadd_s, F, FP, 0, FR_RM)                                \
    _(fsub_s, F, FP, 0, FR_RM)                                \
    _(fmul_s, F, FP, 0, FR_RM)                                \
    _(fdiv_s, F, FPDIV, 0, FR_RM)                             \
    _(fsqrt_s, F, FPDIV, 0, F1_RM)                            \
    _(fsgnj_s, F, FP, 0, FR)                                  \
    _(fsgnjn_s, F, FP, 0, FR)                                 \
    _(fsgnjx_s, F, FP, 0, FR)                                 \
    _(fmin_s, F, FP, 0, FR)                                   \
    _(fmax_s, F, FP, 0, FR)                                   \
    _(fcvt_w_s, F, FP, 0, XF_RM)                              \
    _(fcvt_wu_s, F, FP, 0, XF_RM)                             \
    _(fcvt_l_s, F, FP, 0, XF_RM)                              \
    _(fcvt_lu_s, F, FP, 0, XF_RM)                             \
    _(fmv_x_w, F, FP, 0, XF)                                  \
    _(feq_s, F, FP, 0, XFF)                                   \
    _(flt_s, F, FP, 0, XFF)                                   \
    _(fle_s, F, FP, 0, XFF)                                   \
    _(fclass_s, F, FP, 0, XF)                                 \
    _(fcvt_s_w, F, FP, 0, FX_RM)                              \
    _(fcvt_s_wu, F, FP, 0, FX_RM)                             \
    _(fcvt_s_l, F, FP, 0, FX_RM)                              \
    _(fcvt_s_lu, F, FP, 0, FX_RM)                             \
    _(fmv_w_x, F, FP, 0, FX)                                  \
    /* D */                                               \
    _(fld, D, LOAD, RV_F_LOAD, FLOAD)                         \
    _(fsd, D, STORE, RV_F_STORE, FSTORE)                      \
    _(fmadd_d, D, FP, 0, FR4)                                 \
    _(fmsub_d, D, FP, 0, FR4)                                 \
    _(fnmsub_d, D, FP, 0, FR4)                                \
    _(fnmadd_d, D, FP, 0, FR4)                                \
    _(fadd_d, D, FP, 0, FR_RM)                                \
    _(fsub_d, D, FP, 0, FR_RM)                                \
    _(fmul_d, D, FP, 0, FR_RM)                                \
    _(fdiv_d, D, FPDIV, 0, FR_RM)                             \
    _(fsqrt_d, D, FPDIV, 0, F1_RM)                            \
    _(fsgnj_d, D, FP, 0, FR)                                  \
    _(fsgnjn_d, D, FP, 0, FR)                                 \
    _(fsgnjx_d, D, FP, 0, FR)                                 \
    _(fmin_d, D, FP, 0, FR)                                   \
    _(fmax_d, D, FP, 0, FR)                                   \
    _(fcvt_s_d, D, FP, 0, F1_RM)                              \
    _(fcvt_d_s, D, FP, 0, F1_RM)                              \
    _(feq_d, D, FP, 0, XFF)                                   \
    _(flt_d, D, FP, 0, XFF)                                   \
    _(fle_d, D, FP, 0, XFF)                                   \
    _(fclass_d, D, FP, 0, XF)                                 \
    _(fcvt_w_d, D, FP, 0, XF_RM)                              \
    _(fcvt_wu_d, D, FP, 0, XF_RM)                             \
    _(fcvt_l_d, D, FP, 0, XF_RM)                              \
    _(fcvt_lu_d, D, FP, 0, XF_RM)                             \
    _(fmv_x_d, D, FP, 0, XF)                                  \
    _(fcvt_d_w, D, FP, 0, FX_RM)                              \
    _(fcvt_d_wu, D, FP, 0, FX_RM)                             \
    _(fcvt_d_l, D, FP, 0, FX_RM)                              \
    _(fcvt_d_lu, D, FP, 0, FX_RM)                             \
    _(fmv_d_x, D, FP, 0, FX)                                  \
    /* Fused pairs (internal, made by the decode cache; always last). */ \
    _(fused_slli_add, I, ALU, RV_F_FUSED, X)                  \
    _(fused_lui_addi, I, ALU, RV_F_FUSED, X)                  \
    _(fused_addi_beq, I, BRANCH, RV_F_JUMP | RV_F_FUSED, X)   \
    _(fused_addi_bne, I, BRANCH, RV_F_JUMP | RV_F_FUSED, X)   \
    _(fused_addi_blt, I, BRANCH, RV_F_JUMP | RV_F_FUSED, X)   \
    _(fused_addi_bge, I, BRANCH, RV_F_JUMP | RV_F_FUSED, X)   \
    _(fused_addi_bltu, I, BRANCH, RV_F_JUMP | RV_F_FUSED, X)  \
    _(fused_addi_bgeu, I, BRANCH, RV_F_JUMP | RV_F_FUSED, X)  \
    _(fused_lb_addi, I, LOAD, RV_F_LOAD | RV_F_FUSED, X)      \
    _(fused_lh_addi, I, LOAD, RV_F_LOAD | RV_F_FUSED, X)      \
    _(fused_lw_addi, I, LOAD, RV_F_LOAD | RV_F_FUSED, X)      \
    _(fused_ld_addi, I, LOAD, RV_F_LOAD | RV_F_FUSED, X)      \
    _(fused_lbu_addi, I, LOAD, RV_F_LOAD | RV_F_FUSED, X)     \
    _(fused_lhu_addi, I, LOAD, RV_F_LOAD | RV_F_FUSED, X)     \
    _(fused_lwu_addi, I, LOAD, RV_F_LOAD | RV_F_FUSED, X)     \
    _(fused_auipc_jalr, I, JUMP, RV_F_JUMP | RV_F_FUSED, X)   \
    _(fused_auipc_jalr_far, I, JUMP, RV_F_JUMP | RV_F_FUSED, X)\
    _(fused_auipc_lb, I, LOAD, RV_F_LOAD | RV_F_FUSED, X)     \
    _(fused_auipc_lh, I, LOAD, RV_F_LOAD | RV_F_FUSED, X)     \
    _(fused_auipc_lw, I, LOAD, RV_F_LOAD | RV_F_FUSED, X)     \
    _(fused_auipc_ld, I, LOAD, RV_F_LOAD | RV_F_FUSED, X)     \
    _(fused_auipc_lbu, I, LOAD, RV_F_LOAD | RV_F_FUSED, X)    \
    _(fused_auipc_lhu, I, LOAD, RV_F_LOAD | RV_F_FUSED, X)    \
    _(fused_auipc_lwu, I, LOAD, RV_F_LOAD | RV_F_FUSED, X)    \
    _(fused_mul_mulh, M, MUL, RV_F_FUSED, X)                  \
    _(fused_mul_mulhu, M, MUL, RV_F_FUSED, X)                 \
    _(fused_mul_mulhsu, M, MUL, RV_F_FUSED, X)

enum { RV_F_JUMP = 1, RV_F_LOAD = 2, RV_F_STORE = 4, RV_F_SYSTEM = 8, RV_F_FUSED = 16 };

/* Operand shapes (rd, rs are integer registers, fd, fs FP ones; [,rm] a rounding mode). */
typedef enum rv_shape {
    RV_SHAPE_X,      /* internal op: not an instruction of the ISA */
    RV_SHAPE_U,      /* rd,upper immediate: lui, auipc */
    RV_SHAPE_J,      /* rd,target: jal */
    RV_SHAPE_JALR,   /* rd,offset(rs1) */
    RV_SHAPE_B,      /* rs1,rs2,target */
    RV_SHAPE_LOAD,   /* rd,offset(rs1) */
    RV_SHAPE_STORE,  /* rs2,offset(rs1) */
    RV_SHAPE_I,      /* rd,rs1,immediate */
    RV_SHAPE_SHIFT,  /* rd,rs1,shift amount (or bit index) */
    RV_SHAPE_R,      /* rd,rs1,rs2 */
    RV_SHAPE_R1,     /* rd,rs1 */
    RV_SHAPE_FENCE,  /* predecessor,successor sets */
    RV_SHAPE_NONE,   /* no operands */
    RV_SHAPE_CSR,    /* rd,csr,rs1 */
    RV_SHAPE_CSRI,   /* rd,csr,uimm */
    RV_SHAPE_LR,     /* rd,(rs1) */
    RV_SHAPE_AMO,    /* rd,rs2,(rs1) */
    RV_SHAPE_FLOAD,  /* fd,offset(rs1) */
    RV_SHAPE_FSTORE, /* fs2,offset(rs1) */
    RV_SHAPE_FR4,    /* fd,fs1,fs2,fs3[,rm] */
    RV_SHAPE_FR_RM,  /* fd,fs1,fs2[,rm] */
    RV_SHAPE_FR,     /* fd,fs1,fs2 */
    RV_SHAPE_F1_RM,  /* fd,fs1[,rm] */
    RV_SHAPE_XF_RM,  /* rd,fs1[,rm] */
    RV_SHAPE_FX_RM,  /* fd,rs1[,rm] */
    RV_SHAPE_XF,     /* rd,fs1 */
    RV_SHAPE_FX,     /* fd,rs1 */
    RV_SHAPE_XFF,    /* rd,fs1,fs2 */
} rv_shape;

typedef enum rv_op {
#define RV_OP_ENUM(name, ext, cls, flags, shape) RV_OP_##name,
    RV_INSN_LIST(RV_OP_ENUM)
#undef RV_OP_ENUM
    RV_OP_COUNT
} rv_op;

/* Ops from here on stand for two instructions; a budget stop between them splits them. */
#define RV_OP_FUSED_FIRST RV_OP_fused_slli_add
#define RV_OP_FUSED_CHECK(name, ext, cls, flags, shape) \
    +((RV_OP_##name >= RV_OP_FUSED_FIRST) != (((flags) & RV_F_FUSED) != 0))
_Static_assert(0 RV_INSN_LIST(RV_OP_FUSED_CHECK) == 0,
               "exactly the ops flagged RV_F_FUSED come from RV_OP_FUSED_FIRST on");
#undef RV_OP_FUSED_CHECK

#endif
