/* Operation numbering shared by the softfp tests and the RISC-V oracle
 * program (rv_oracle.c), which must agree on it. */
#ifndef SOFTFP_OPS_H
#define SOFTFP_OPS_H

enum op {
    OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_SQRT,
    OP_FMADD, OP_FMSUB, OP_FNMSUB, OP_FNMADD,
    OP_MIN, OP_MAX, OP_EQ, OP_LT, OP_LE, OP_CLASS,
    OP_TO_I32, OP_TO_U32, OP_TO_I64, OP_TO_U64,
    OP_FROM_I32, OP_FROM_U32, OP_FROM_I64, OP_FROM_U64,
    OP_CVT, /* f32 -> f64 for the 32-bit format, f64 -> f32 for the 64-bit one */
    OP_COUNT
};

#endif /* SOFTFP_OPS_H */
