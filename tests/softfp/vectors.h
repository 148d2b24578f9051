/*
 * Hand-written softfp test vectors: each corner case of the RISC-V F/D rules
 * with its expected result and fflags, worked out by hand from IEEE 754-2008
 * and the RISC-V ISA manual (F and D chapters). Used by test_vectors.c, and
 * by test_qemu.c to confirm that the RISC-V oracle agrees with the manual on
 * the same cases.
 *
 * Float results are raw bit patterns; integer results are the full RV64 rd
 * value (32-bit results sign-extended, FCVT.WU included).
 */
#ifndef SOFTFP_VECTORS_H
#define SOFTFP_VECTORS_H

#include "ops.h"

#include <stdint.h>

typedef struct {
    uint8_t is64;  /* operand format (for OP_CVT: the source format) */
    uint8_t op;    /* enum op */
    uint8_t rm;    /* 0..4, or V_ALL: the same expectation in every mode */
    uint64_t a, b, c;
    uint64_t r;
    unsigned fl;
} sf_vector;

#define V_ALL 5

/* flags */
#define NX 1u
#define UF 2u
#define OF 4u
#define DZ 8u
#define NV 16u

/* binary32 constants */
#define S_ONE 0x3f800000u
#define S_MONE 0xbf800000u
#define S_TWO 0x40000000u
#define S_HALF 0x3f000000u
#define S_MHALF 0xbf000000u
#define S_THREE 0x40400000u
#define S_PZ 0x00000000u
#define S_NZ 0x80000000u
#define S_PINF 0x7f800000u
#define S_NINF 0xff800000u
#define S_QNAN 0x7fc00000u
#define S_QNANP 0xffc12345u /* negative quiet NaN with a payload */
#define S_SNAN 0x7f800001u
#define S_SNAN2 0xffa00000u
#define S_MAX 0x7f7fffffu
#define S_NMAX 0xff7fffffu
#define S_MINN 0x00800000u  /* smallest normal 2^-126 */
#define S_MAXS 0x007fffffu  /* largest subnormal */
#define S_MINS 0x00000001u  /* smallest subnormal 2^-149 */
#define S_NMINS 0x80000001u
#define S_CANON 0x7fc00000u

/* binary64 constants */
#define D_ONE UINT64_C(0x3ff0000000000000)
#define D_MONE UINT64_C(0xbff0000000000000)
#define D_TWO UINT64_C(0x4000000000000000)
#define D_HALF UINT64_C(0x3fe0000000000000)
#define D_THREE UINT64_C(0x4008000000000000)
#define D_PZ UINT64_C(0)
#define D_NZ UINT64_C(0x8000000000000000)
#define D_PINF UINT64_C(0x7ff0000000000000)
#define D_NINF UINT64_C(0xfff0000000000000)
#define D_QNAN UINT64_C(0x7ff8000000000000)
#define D_QNANP UINT64_C(0xfff8000000012345)
#define D_SNAN UINT64_C(0x7ff0000000000001)
#define D_SNAN2 UINT64_C(0xfff4000000000000)
#define D_MAX UINT64_C(0x7fefffffffffffff)
#define D_NMAX UINT64_C(0xffefffffffffffff)
#define D_MINN UINT64_C(0x0010000000000000)
#define D_MAXS UINT64_C(0x000fffffffffffff)
#define D_MINS UINT64_C(0x0000000000000001)
#define D_CANON UINT64_C(0x7ff8000000000000)

#define I64_MAX UINT64_C(0x7fffffffffffffff)
#define I64_MIN UINT64_C(0x8000000000000000)
#define ALL1 UINT64_C(0xffffffffffffffff)
#define I32_MAX UINT64_C(0x7fffffff)
#define I32_MIN UINT64_C(0xffffffff80000000) /* sign-extended */

/* one expectation for every rounding mode */
#define VA(s, op, a, b, c, r, fl) { s, op, V_ALL, a, b, c, r, fl }
/* per-mode results, same flags in every mode */
#define V5(s, op, a, b, c, fl, rne, rtz, rdn, rup, rmm)                                   \
    { s, op, 0, a, b, c, rne, fl }, { s, op, 1, a, b, c, rtz, fl }, { s, op, 2, a, b, c, rdn, fl }, \
    { s, op, 3, a, b, c, rup, fl }, { s, op, 4, a, b, c, rmm, fl }
/* a single mode */
#define V1(s, op, rm, a, b, c, r, fl) { s, op, rm, a, b, c, r, fl }

static const sf_vector sf_vectors[] = {
    /* ---- add/sub: halfway cases in every mode ---- */
    /* 1 + 2^-24: halfway between 1 and 1+ulp; ties-to-even keeps 1 */
    V5(0, OP_ADD, S_ONE, 0x33800000u, 0, NX, S_ONE, S_ONE, S_ONE, 0x3f800001u, 0x3f800001u),
    /* (1+ulp) + 2^-24: halfway with an odd lower neighbour: even is above */
    V5(0, OP_ADD, 0x3f800001u, 0x33800000u, 0, NX, 0x3f800002u, 0x3f800001u, 0x3f800001u, 0x3f800002u, 0x3f800002u),
    /* -1 - 2^-24 */
    V5(0, OP_ADD, S_MONE, 0xb3800000u, 0, NX, S_MONE, S_MONE, 0xbf800001u, S_MONE, 0xbf800001u),
    V5(0, OP_SUB, S_MONE, 0x33800000u, 0, NX, S_MONE, S_MONE, 0xbf800001u, S_MONE, 0xbf800001u),
    /* 1 + 2^-53 */
    V5(1, OP_ADD, D_ONE, UINT64_C(0x3ca0000000000000), 0, NX, D_ONE, D_ONE, D_ONE,
       UINT64_C(0x3ff0000000000001), UINT64_C(0x3ff0000000000001)),
    /* 1 - 2^-54: halfway between 1-2^-53 (odd) and 1 (even) */
    V5(1, OP_SUB, D_ONE, UINT64_C(0x3c90000000000000), 0, NX, D_ONE, UINT64_C(0x3fefffffffffffff),
       UINT64_C(0x3fefffffffffffff), D_ONE, D_ONE),
    /* exact results raise nothing */
    VA(0, OP_ADD, S_ONE, S_TWO, 0, S_THREE, 0),
    VA(1, OP_SUB, D_THREE, D_ONE, 0, D_TWO, 0),
    /* subnormal + subnormal is exact */
    VA(0, OP_ADD, S_MAXS, S_MINS, 0, S_MINN, 0),
    VA(1, OP_SUB, D_MINN, D_MINS, 0, D_MAXS, 0),

    /* ---- exact zero sums: +0, except -0 in RDN ---- */
    V5(0, OP_ADD, S_ONE, S_MONE, 0, 0, S_PZ, S_PZ, S_NZ, S_PZ, S_PZ),
    V5(0, OP_SUB, S_ONE, S_ONE, 0, 0, S_PZ, S_PZ, S_NZ, S_PZ, S_PZ),
    V5(1, OP_ADD, D_MONE, D_ONE, 0, 0, D_PZ, D_PZ, D_NZ, D_PZ, D_PZ),
    V5(1, OP_SUB, D_MINS, D_MINS, 0, 0, D_PZ, D_PZ, D_NZ, D_PZ, D_PZ),
    V5(0, OP_ADD, S_PZ, S_NZ, 0, 0, S_PZ, S_PZ, S_NZ, S_PZ, S_PZ),
    V5(1, OP_SUB, D_PZ, D_PZ, 0, 0, D_PZ, D_PZ, D_NZ, D_PZ, D_PZ),
    VA(0, OP_ADD, S_NZ, S_NZ, 0, S_NZ, 0),
    VA(0, OP_SUB, S_NZ, S_PZ, 0, S_NZ, 0),
    VA(1, OP_ADD, D_PZ, D_PZ, 0, D_PZ, 0),
    VA(0, OP_ADD, S_NZ, S_ONE, 0, S_ONE, 0),
    /* fused: exact zero, zero product plus zero */
    V5(0, OP_FMADD, S_ONE, S_ONE, S_MONE, 0, S_PZ, S_PZ, S_NZ, S_PZ, S_PZ),
    V5(1, OP_FMSUB, D_TWO, D_HALF, D_ONE, 0, D_PZ, D_PZ, D_NZ, D_PZ, D_PZ),
    V5(0, OP_FMADD, S_PZ, S_THREE, S_NZ, 0, S_PZ, S_PZ, S_NZ, S_PZ, S_PZ),
    VA(0, OP_FMADD, S_NZ, S_ONE, S_NZ, S_NZ, 0),
    VA(0, OP_FNMADD, S_PZ, S_ONE, S_PZ, S_NZ, 0),   /* -(+0) - (+0) = -0 */
    V5(0, OP_FNMSUB, S_PZ, S_ONE, S_PZ, 0, S_PZ, S_PZ, S_NZ, S_PZ, S_PZ), /* -(+0) + (+0) */
    VA(1, OP_FNMSUB, D_NZ, D_ONE, D_PZ, D_PZ, 0),   /* -(-0) + (+0) = +0 */
    V5(1, OP_FMSUB, D_PZ, D_ONE, D_PZ, 0, D_PZ, D_PZ, D_NZ, D_PZ, D_PZ),  /* +0 - (+0) */

    /* ---- the four fused forms ---- */
    VA(0, OP_FMADD, S_TWO, S_THREE, S_ONE, 0x40e00000u, 0),  /*  2*3+1 = 7 */
    VA(0, OP_FMSUB, S_TWO, S_THREE, S_ONE, 0x40a00000u, 0),  /*  2*3-1 = 5 */
    VA(0, OP_FNMSUB, S_TWO, S_THREE, S_ONE, 0xc0a00000u, 0), /* -2*3+1 = -5 */
    VA(0, OP_FNMADD, S_TWO, S_THREE, S_ONE, 0xc0e00000u, 0), /* -2*3-1 = -7 */
    VA(1, OP_FMADD, D_TWO, D_THREE, D_ONE, UINT64_C(0x401c000000000000), 0),
    VA(1, OP_FMSUB, D_TWO, D_THREE, D_ONE, UINT64_C(0x4014000000000000), 0),
    VA(1, OP_FNMSUB, D_TWO, D_THREE, D_ONE, UINT64_C(0xc014000000000000), 0),
    VA(1, OP_FNMADD, D_TWO, D_THREE, D_ONE, UINT64_C(0xc01c000000000000), 0),
    /* one rounding only: (1+2^-12)^2 - 1 = 2^-11 + 2^-24 exactly */
    VA(0, OP_FMADD, 0x3f800800u, 0x3f800800u, S_MONE, 0x3a000400u, 0),
    /* (1+2^-27)^2 - 1 = 2^-26 + 2^-54 exactly */
    VA(1, OP_FMADD, UINT64_C(0x3ff0000002000000), UINT64_C(0x3ff0000002000000), D_MONE,
       UINT64_C(0x3e50000001000000), 0),
    /* (1+2^-12)^2 + 0: halfway product, rounded once */
    V5(0, OP_FMADD, 0x3f800800u, 0x3f800800u, S_PZ, NX, 0x3f801000u, 0x3f801000u, 0x3f801000u, 0x3f801001u,
       0x3f801001u),

    /* ---- overflow: Inf or the largest finite value depending on rm ---- */
    V5(0, OP_ADD, S_MAX, S_MAX, 0, OF | NX, S_PINF, S_MAX, S_MAX, S_PINF, S_PINF),
    V5(0, OP_ADD, S_NMAX, S_NMAX, 0, OF | NX, S_NINF, S_NMAX, S_NINF, S_NMAX, S_NINF),
    V5(1, OP_ADD, D_MAX, D_MAX, 0, OF | NX, D_PINF, D_MAX, D_MAX, D_PINF, D_PINF),
    V5(1, OP_MUL, D_NMAX, D_TWO, 0, OF | NX, D_NINF, D_NMAX, D_NINF, D_NMAX, D_NINF),
    V5(0, OP_MUL, 0x7f000000u, S_TWO, 0, OF | NX, S_PINF, S_MAX, S_MAX, S_PINF, S_PINF), /* 2^127*2 */
    V5(0, OP_DIV, S_MAX, S_HALF, 0, OF | NX, S_PINF, S_MAX, S_MAX, S_PINF, S_PINF),
    /* MAX + half an ulp: a tie that rounds up (MAX is odd) and overflows in RNE */
    V1(0, OP_ADD, 0, S_MAX, 0x73000000u, 0, S_PINF, OF | NX),
    V1(0, OP_ADD, 1, S_MAX, 0x73000000u, 0, S_MAX, NX),
    V1(0, OP_ADD, 2, S_MAX, 0x73000000u, 0, S_MAX, NX),
    V1(0, OP_ADD, 3, S_MAX, 0x73000000u, 0, S_PINF, OF | NX),
    V1(0, OP_ADD, 4, S_MAX, 0x73000000u, 0, S_PINF, OF | NX),
    /* MAX + a quarter ulp: only RUP overflows */
    V1(0, OP_ADD, 0, S_MAX, 0x72800000u, 0, S_MAX, NX),
    V1(0, OP_ADD, 1, S_MAX, 0x72800000u, 0, S_MAX, NX),
    V1(0, OP_ADD, 2, S_MAX, 0x72800000u, 0, S_MAX, NX),
    V1(0, OP_ADD, 3, S_MAX, 0x72800000u, 0, S_PINF, OF | NX),
    V1(0, OP_ADD, 4, S_MAX, 0x72800000u, 0, S_MAX, NX),
    /* fused overflow */
    V5(0, OP_FMADD, S_MAX, S_TWO, S_NMAX, 0, S_MAX, S_MAX, S_MAX, S_MAX, S_MAX), /* exact: 2M - M */
    V5(1, OP_FMADD, D_MAX, D_MAX, D_NMAX, OF | NX, D_PINF, D_MAX, D_MAX, D_PINF, D_PINF),

    /* ---- underflow: tininess after rounding; UF only if also inexact ---- */
    /* (1-2^-24) * 2^-126: exact at 24 bits, so tiny in every mode; halfway in the
     * subnormal grid between MAXS (odd) and MINN (even) */
    V5(0, OP_MUL, 0x3f7fffffu, S_MINN, 0, UF | NX, S_MINN, S_MAXS, S_MAXS, S_MINN, S_MINN),
    /* 18631*2^-100 * 1801*2^-51 = 2^-126 * (1 - 2^-25): at 24-bit precision a tie
     * between 2^-126 - 2^-150 and 2^-126. Rounded with unbounded exponent it is
     * 2^-126 (not tiny) in RNE, RUP, RMM, and below 2^-126 (tiny) in RTZ, RDN. */
    V1(0, OP_MUL, 0, 0x14918e00u, 0x2b612000u, 0, S_MINN, NX),
    V1(0, OP_MUL, 1, 0x14918e00u, 0x2b612000u, 0, S_MAXS, UF | NX),
    V1(0, OP_MUL, 2, 0x14918e00u, 0x2b612000u, 0, S_MAXS, UF | NX),
    V1(0, OP_MUL, 3, 0x14918e00u, 0x2b612000u, 0, S_MINN, NX),
    V1(0, OP_MUL, 4, 0x14918e00u, 0x2b612000u, 0, S_MINN, NX),
    /* 2^-149 * 0.5 = 2^-150: halfway between 0 and the smallest subnormal */
    V5(0, OP_MUL, S_MINS, S_HALF, 0, UF | NX, S_PZ, S_PZ, S_PZ, S_MINS, S_MINS),
    V5(0, OP_MUL, S_MINS, S_MHALF, 0, UF | NX, S_NZ, S_NZ, S_NMINS, S_NZ, S_NMINS),
    V5(1, OP_MUL, D_MINS, D_HALF, 0, UF | NX, D_PZ, D_PZ, D_PZ, D_MINS, D_MINS),
    V5(1, OP_DIV, D_MINS, D_THREE, 0, UF | NX, D_PZ, D_PZ, D_PZ, D_MINS, D_PZ),
    V5(0, OP_FMADD, S_MINS, S_MHALF, S_PZ, UF | NX, S_NZ, S_NZ, S_NMINS, S_NZ, S_NMINS),
    /* exact tiny results raise nothing */
    VA(0, OP_MUL, 0x00000002u, S_HALF, 0, S_MINS, 0),
    VA(0, OP_DIV, S_MINN, S_TWO, 0, 0x00400000u, 0),
    VA(1, OP_MUL, D_MINN, D_HALF, 0, UINT64_C(0x0008000000000000), 0),
    VA(1, OP_FMADD, D_MINN, D_HALF, D_MINS, UINT64_C(0x0008000000000001), 0),

    /* ---- division ---- */
    VA(0, OP_DIV, S_ONE, S_PZ, 0, S_PINF, DZ),
    VA(0, OP_DIV, S_MONE, S_PZ, 0, S_NINF, DZ),
    VA(0, OP_DIV, S_ONE, S_NZ, 0, S_NINF, DZ),
    VA(1, OP_DIV, D_MINS, D_NZ, 0, D_NINF, DZ),
    VA(0, OP_DIV, S_PZ, S_PZ, 0, S_CANON, NV),
    VA(1, OP_DIV, D_NZ, D_PZ, 0, D_CANON, NV),
    VA(0, OP_DIV, S_PINF, S_NINF, 0, S_CANON, NV),
    VA(1, OP_DIV, D_PINF, D_PINF, 0, D_CANON, NV),
    VA(0, OP_DIV, S_PINF, S_PZ, 0, S_PINF, 0),  /* Inf / 0 is exact: no DZ */
    VA(0, OP_DIV, S_NZ, S_PINF, 0, S_NZ, 0),
    VA(1, OP_DIV, D_ONE, D_NINF, 0, D_NZ, 0),
    VA(0, OP_DIV, S_QNAN, S_PZ, 0, S_CANON, 0),
    VA(0, OP_DIV, S_SNAN, S_ONE, 0, S_CANON, NV),
    /* 1/3 */
    V5(0, OP_DIV, S_ONE, S_THREE, 0, NX, 0x3eaaaaabu, 0x3eaaaaaau, 0x3eaaaaaau, 0x3eaaaaabu, 0x3eaaaaabu),
    V5(0, OP_DIV, S_MONE, S_THREE, 0, NX, 0xbeaaaaabu, 0xbeaaaaaau, 0xbeaaaaabu, 0xbeaaaaaau, 0xbeaaaaabu),
    V5(1, OP_DIV, D_ONE, D_THREE, 0, NX, UINT64_C(0x3fd5555555555555), UINT64_C(0x3fd5555555555555),
       UINT64_C(0x3fd5555555555555), UINT64_C(0x3fd5555555555556), UINT64_C(0x3fd5555555555555)),

    /* ---- square root ---- */
    VA(0, OP_SQRT, S_MONE, 0, 0, S_CANON, NV),
    VA(0, OP_SQRT, S_NINF, 0, 0, S_CANON, NV),
    VA(1, OP_SQRT, UINT64_C(0x8000000000000001), 0, 0, D_CANON, NV),
    VA(0, OP_SQRT, S_NZ, 0, 0, S_NZ, 0),
    VA(1, OP_SQRT, D_NZ, 0, 0, D_NZ, 0),
    VA(0, OP_SQRT, S_PINF, 0, 0, S_PINF, 0),
    VA(0, OP_SQRT, S_QNANP, 0, 0, S_CANON, 0),
    VA(1, OP_SQRT, D_SNAN, 0, 0, D_CANON, NV),
    VA(0, OP_SQRT, 0x40800000u, 0, 0, S_TWO, 0),                            /* sqrt 4 */
    VA(1, OP_SQRT, UINT64_C(0x4022000000000000), 0, 0, D_THREE, 0),          /* sqrt 9 */
    VA(1, OP_SQRT, UINT64_C(0x0000000000000004), 0, 0, UINT64_C(0x1e70000000000000), 0), /* sqrt 2^-1072 */
    /* sqrt 2 (binary32 RNE rounds down, binary64 RNE rounds up) */
    V5(0, OP_SQRT, S_TWO, 0, 0, NX, 0x3fb504f3u, 0x3fb504f3u, 0x3fb504f3u, 0x3fb504f4u, 0x3fb504f3u),
    V5(1, OP_SQRT, D_TWO, 0, 0, NX, UINT64_C(0x3ff6a09e667f3bcd), UINT64_C(0x3ff6a09e667f3bcc),
       UINT64_C(0x3ff6a09e667f3bcc), UINT64_C(0x3ff6a09e667f3bcd), UINT64_C(0x3ff6a09e667f3bcd)),

    /* ---- NaN generation: canonical NaN, NV for signaling inputs ---- */
    VA(0, OP_ADD, S_QNAN, S_ONE, 0, S_CANON, 0),
    VA(0, OP_ADD, S_QNANP, S_ONE, 0, S_CANON, 0),
    VA(0, OP_ADD, S_SNAN, S_ONE, 0, S_CANON, NV),
    VA(0, OP_SUB, S_ONE, S_SNAN2, 0, S_CANON, NV),
    VA(1, OP_MUL, D_QNANP, D_PINF, 0, D_CANON, 0),
    VA(1, OP_MUL, D_SNAN, D_QNAN, 0, D_CANON, NV),
    VA(0, OP_ADD, S_PINF, S_NINF, 0, S_CANON, NV),
    VA(0, OP_SUB, S_PINF, S_PINF, 0, S_CANON, NV),
    VA(1, OP_ADD, D_NINF, D_PINF, 0, D_CANON, NV),
    VA(0, OP_ADD, S_PINF, S_PINF, 0, S_PINF, 0),
    VA(0, OP_ADD, S_NINF, S_MAX, 0, S_NINF, 0),
    VA(0, OP_MUL, S_PZ, S_PINF, 0, S_CANON, NV),
    VA(1, OP_MUL, D_NINF, D_NZ, 0, D_CANON, NV),
    VA(0, OP_MUL, S_PINF, 0xc0000000u, 0, S_NINF, 0),
    VA(1, OP_MUL, D_NZ, D_MAX, 0, D_NZ, 0),

    /* ---- fused multiply-add special cases ---- */
    VA(0, OP_FMADD, S_PINF, S_PZ, S_QNAN, S_CANON, NV), /* Inf*0 + qNaN: NV (manual) */
    VA(0, OP_FMADD, S_NZ, S_NINF, S_QNANP, S_CANON, NV),
    VA(1, OP_FNMADD, D_PINF, D_PZ, D_QNAN, D_CANON, NV),
    VA(1, OP_FMSUB, D_PZ, D_PINF, D_ONE, D_CANON, NV),
    VA(0, OP_FMADD, S_ONE, S_ONE, S_SNAN, S_CANON, NV),
    VA(0, OP_FMADD, S_QNAN, S_ONE, S_ONE, S_CANON, 0),
    VA(0, OP_FMADD, S_QNAN, S_PZ, S_ONE, S_CANON, 0),
    VA(1, OP_FMADD, D_ONE, D_SNAN, D_QNAN, D_CANON, NV),
    VA(0, OP_FMADD, S_PINF, S_ONE, S_NINF, S_CANON, NV),
    VA(0, OP_FMADD, S_PINF, S_ONE, S_PINF, S_PINF, 0),
    VA(0, OP_FMSUB, S_PINF, S_ONE, S_PINF, S_CANON, NV),
    VA(0, OP_FNMADD, S_PINF, S_ONE, S_PINF, S_NINF, 0),
    VA(0, OP_FNMSUB, S_PINF, S_ONE, S_PINF, S_CANON, NV),
    VA(1, OP_FMADD, D_ONE, D_TWO, D_NINF, D_NINF, 0),
    VA(1, OP_FMADD, D_MAX, D_MAX, D_NINF, D_NINF, 0), /* finite product never overflows first */

    /* ---- fmin/fmax ---- */
    VA(0, OP_MIN, S_NZ, S_PZ, 0, S_NZ, 0),
    VA(0, OP_MIN, S_PZ, S_NZ, 0, S_NZ, 0),
    VA(0, OP_MAX, S_NZ, S_PZ, 0, S_PZ, 0),
    VA(0, OP_MAX, S_PZ, S_NZ, 0, S_PZ, 0),
    VA(1, OP_MIN, D_PZ, D_NZ, 0, D_NZ, 0),
    VA(1, OP_MAX, D_NZ, D_PZ, 0, D_PZ, 0),
    VA(0, OP_MIN, S_QNAN, S_ONE, 0, S_ONE, 0),
    VA(0, OP_MIN, S_ONE, S_QNANP, 0, S_ONE, 0),
    VA(0, OP_MAX, S_QNANP, S_MONE, 0, S_MONE, 0),
    VA(0, OP_MIN, S_SNAN, S_ONE, 0, S_ONE, NV),
    VA(0, OP_MAX, S_TWO, S_SNAN2, 0, S_TWO, NV),
    VA(0, OP_MAX, S_QNAN, S_QNANP, 0, S_CANON, 0),
    VA(0, OP_MIN, S_SNAN, S_QNAN, 0, S_CANON, NV),
    VA(1, OP_MIN, D_QNANP, D_QNANP, 0, D_CANON, 0),
    VA(1, OP_MAX, D_SNAN, D_ONE, 0, D_ONE, NV),
    VA(1, OP_MIN, D_ONE, D_SNAN2, 0, D_ONE, NV),
    VA(0, OP_MIN, S_NINF, S_ONE, 0, S_NINF, 0),
    VA(0, OP_MAX, S_ONE, S_TWO, 0, S_TWO, 0),
    VA(0, OP_MIN, S_MONE, 0xc0000000u, 0, 0xc0000000u, 0),
    VA(1, OP_MAX, D_MONE, UINT64_C(0xc000000000000000), 0, D_MONE, 0),
    VA(1, OP_MIN, D_MINS, D_PZ, 0, D_PZ, 0),

    /* ---- comparisons ---- */
    VA(0, OP_EQ, S_QNAN, S_ONE, 0, 0, 0),
    VA(0, OP_EQ, S_QNAN, S_QNAN, 0, 0, 0),
    VA(0, OP_EQ, S_SNAN, S_ONE, 0, 0, NV),
    VA(0, OP_LT, S_QNAN, S_ONE, 0, 0, NV),
    VA(0, OP_LE, S_ONE, S_QNANP, 0, 0, NV),
    VA(0, OP_LT, S_SNAN, S_ONE, 0, 0, NV),
    VA(0, OP_EQ, S_NZ, S_PZ, 0, 1, 0),
    VA(0, OP_LT, S_NZ, S_PZ, 0, 0, 0),
    VA(0, OP_LE, S_NZ, S_PZ, 0, 1, 0),
    VA(0, OP_LE, S_PZ, S_NZ, 0, 1, 0),
    VA(0, OP_LT, S_MONE, S_ONE, 0, 1, 0),
    VA(0, OP_LT, S_ONE, S_MONE, 0, 0, 0),
    VA(0, OP_LT, 0xc0000000u, S_MONE, 0, 1, 0),
    VA(0, OP_LE, S_MONE, 0xc0000000u, 0, 0, 0),
    VA(0, OP_LE, S_TWO, S_TWO, 0, 1, 0),
    VA(0, OP_LT, S_TWO, S_TWO, 0, 0, 0),
    VA(0, OP_LT, S_NINF, S_PINF, 0, 1, 0),
    VA(0, OP_EQ, S_PINF, S_PINF, 0, 1, 0),
    VA(1, OP_EQ, D_QNAN, D_QNAN, 0, 0, 0),
    VA(1, OP_EQ, D_ONE, D_SNAN, 0, 0, NV),
    VA(1, OP_LE, D_QNAN, D_ONE, 0, 0, NV),
    VA(1, OP_LT, D_MINS, D_MINN, 0, 1, 0),
    VA(1, OP_EQ, D_PZ, D_NZ, 0, 1, 0),
    VA(1, OP_LT, UINT64_C(0x8000000000000001), D_NZ, 0, 1, 0),

    /* ---- fclass: all ten classes ---- */
    VA(0, OP_CLASS, S_NINF, 0, 0, 1u << 0, 0),
    VA(0, OP_CLASS, S_MONE, 0, 0, 1u << 1, 0),
    VA(0, OP_CLASS, S_NMINS, 0, 0, 1u << 2, 0),
    VA(0, OP_CLASS, S_NZ, 0, 0, 1u << 3, 0),
    VA(0, OP_CLASS, S_PZ, 0, 0, 1u << 4, 0),
    VA(0, OP_CLASS, S_MAXS, 0, 0, 1u << 5, 0),
    VA(0, OP_CLASS, S_MINN, 0, 0, 1u << 6, 0),
    VA(0, OP_CLASS, S_PINF, 0, 0, 1u << 7, 0),
    VA(0, OP_CLASS, S_SNAN, 0, 0, 1u << 8, 0),
    VA(0, OP_CLASS, S_SNAN2, 0, 0, 1u << 8, 0),
    VA(0, OP_CLASS, S_QNAN, 0, 0, 1u << 9, 0),
    VA(0, OP_CLASS, S_QNANP, 0, 0, 1u << 9, 0),
    VA(1, OP_CLASS, D_NINF, 0, 0, 1u << 0, 0),
    VA(1, OP_CLASS, D_NMAX, 0, 0, 1u << 1, 0),
    VA(1, OP_CLASS, UINT64_C(0x800fffffffffffff), 0, 0, 1u << 2, 0),
    VA(1, OP_CLASS, D_NZ, 0, 0, 1u << 3, 0),
    VA(1, OP_CLASS, D_PZ, 0, 0, 1u << 4, 0),
    VA(1, OP_CLASS, D_MINS, 0, 0, 1u << 5, 0),
    VA(1, OP_CLASS, D_MAX, 0, 0, 1u << 6, 0),
    VA(1, OP_CLASS, D_PINF, 0, 0, 1u << 7, 0),
    VA(1, OP_CLASS, D_SNAN, 0, 0, 1u << 8, 0),
    VA(1, OP_CLASS, D_QNANP, 0, 0, 1u << 9, 0),

    /* ---- float -> integer: the manual's saturation table ---- */
    /* FCVT.W.S */
    VA(0, OP_TO_I32, S_QNAN, 0, 0, I32_MAX, NV),
    VA(0, OP_TO_I32, S_SNAN2, 0, 0, I32_MAX, NV), /* NaN -> max whatever its sign */
    VA(0, OP_TO_I32, S_PINF, 0, 0, I32_MAX, NV),
    VA(0, OP_TO_I32, S_NINF, 0, 0, I32_MIN, NV),
    VA(0, OP_TO_I32, 0x4f000000u, 0, 0, I32_MAX, NV),  /* 2^31 */
    VA(0, OP_TO_I32, 0xcf000000u, 0, 0, I32_MIN, 0),   /* -2^31 */
    VA(0, OP_TO_I32, 0xcf000001u, 0, 0, I32_MIN, NV),  /* -2^31 - 256 */
    VA(0, OP_TO_I32, 0x4effffffu, 0, 0, UINT64_C(0x7fffff80), 0),
    VA(0, OP_TO_I32, S_NZ, 0, 0, 0, 0),
    V5(0, OP_TO_I32, S_MINS, 0, 0, NX, 0, 0, 0, 1, 0),
    /* FCVT.WU.S: results sign-extended */
    VA(0, OP_TO_U32, S_QNANP, 0, 0, ALL1, NV),
    VA(0, OP_TO_U32, S_PINF, 0, 0, ALL1, NV),
    VA(0, OP_TO_U32, S_NINF, 0, 0, 0, NV),
    VA(0, OP_TO_U32, S_MONE, 0, 0, 0, NV),
    VA(0, OP_TO_U32, 0x4f800000u, 0, 0, ALL1, NV),                      /* 2^32 */
    VA(0, OP_TO_U32, 0x4f7fffffu, 0, 0, UINT64_C(0xffffffffffffff00), 0), /* 2^32 - 256 */
    VA(0, OP_TO_U32, 0x4f000000u, 0, 0, UINT64_C(0xffffffff80000000), 0), /* 2^31 */
    VA(0, OP_TO_U32, S_NZ, 0, 0, 0, 0),
    /* -0.9: rounds to 0 (NX only) unless the mode rounds it to -1 (NV) */
    V1(0, OP_TO_U32, 0, 0xbf666666u, 0, 0, 0, NV),
    V1(0, OP_TO_U32, 1, 0xbf666666u, 0, 0, 0, NX),
    V1(0, OP_TO_U32, 2, 0xbf666666u, 0, 0, 0, NV),
    V1(0, OP_TO_U32, 3, 0xbf666666u, 0, 0, 0, NX),
    V1(0, OP_TO_U32, 4, 0xbf666666u, 0, 0, 0, NV),
    /* -0.5: a tie; RNE gives 0, RMM -1 */
    V1(0, OP_TO_U64, 0, S_MHALF, 0, 0, 0, NX),
    V1(0, OP_TO_U64, 1, S_MHALF, 0, 0, 0, NX),
    V1(0, OP_TO_U64, 2, S_MHALF, 0, 0, 0, NV),
    V1(0, OP_TO_U64, 3, S_MHALF, 0, 0, 0, NX),
    V1(0, OP_TO_U64, 4, S_MHALF, 0, 0, 0, NV),
    /* -0.4 */
    V1(0, OP_TO_U32, 0, 0xbecccccdu, 0, 0, 0, NX),
    V1(0, OP_TO_U32, 4, 0xbecccccdu, 0, 0, 0, NX),
    V1(0, OP_TO_U32, 2, 0xbecccccdu, 0, 0, 0, NV),
    /* FCVT.L.S / FCVT.LU.S */
    VA(0, OP_TO_I64, S_QNAN, 0, 0, I64_MAX, NV),
    VA(0, OP_TO_I64, S_NINF, 0, 0, I64_MIN, NV),
    VA(0, OP_TO_I64, 0x5f000000u, 0, 0, I64_MAX, NV), /* 2^63 */
    VA(0, OP_TO_I64, 0xdf000000u, 0, 0, I64_MIN, 0),  /* -2^63 */
    VA(0, OP_TO_I64, 0xdf000001u, 0, 0, I64_MIN, NV),
    VA(0, OP_TO_I64, S_MAX, 0, 0, I64_MAX, NV),
    VA(0, OP_TO_U64, S_QNAN, 0, 0, ALL1, NV),
    VA(0, OP_TO_U64, S_SNAN, 0, 0, ALL1, NV),
    VA(0, OP_TO_U64, S_NINF, 0, 0, 0, NV),
    VA(0, OP_TO_U64, 0x5f800000u, 0, 0, ALL1, NV), /* 2^64 */
    VA(0, OP_TO_U64, 0x5f7fffffu, 0, 0, UINT64_C(0xffffff0000000000), 0),
    VA(0, OP_TO_U64, S_NMAX, 0, 0, 0, NV),
    /* halfway cases in each mode */
    V5(0, OP_TO_I32, 0x40200000u, 0, 0, NX, 2, 2, 2, 3, 3),                                /* 2.5 */
    V5(0, OP_TO_I32, 0xc0200000u, 0, 0, NX, ALL1 - 1, ALL1 - 1, ALL1 - 2, ALL1 - 1, ALL1 - 2), /* -2.5 */
    V5(0, OP_TO_I64, 0x40600000u, 0, 0, NX, 4, 3, 3, 4, 4),                                /* 3.5 */
    V5(0, OP_TO_I32, S_HALF, 0, 0, NX, 0, 0, 0, 1, 1),
    V5(0, OP_TO_I32, S_MHALF, 0, 0, NX, 0, 0, ALL1, 0, ALL1),
    V5(1, OP_TO_I64, UINT64_C(0x3ff8000000000000), 0, 0, NX, 2, 1, 1, 2, 2), /* 1.5 */
    /* FCVT.W.D: 2147483647.5 rounds out of range in RNE, RUP, RMM */
    V1(1, OP_TO_I32, 0, UINT64_C(0x41dfffffffe00000), 0, 0, I32_MAX, NV),
    V1(1, OP_TO_I32, 1, UINT64_C(0x41dfffffffe00000), 0, 0, I32_MAX, NX),
    V1(1, OP_TO_I32, 2, UINT64_C(0x41dfffffffe00000), 0, 0, I32_MAX, NX),
    V1(1, OP_TO_I32, 3, UINT64_C(0x41dfffffffe00000), 0, 0, I32_MAX, NV),
    V1(1, OP_TO_I32, 4, UINT64_C(0x41dfffffffe00000), 0, 0, I32_MAX, NV),
    /* -2147483648.5: RNE ties to even -2^31 */
    V1(1, OP_TO_I32, 0, UINT64_C(0xc1e0000000100000), 0, 0, I32_MIN, NX),
    V1(1, OP_TO_I32, 1, UINT64_C(0xc1e0000000100000), 0, 0, I32_MIN, NX),
    V1(1, OP_TO_I32, 2, UINT64_C(0xc1e0000000100000), 0, 0, I32_MIN, NV),
    V1(1, OP_TO_I32, 3, UINT64_C(0xc1e0000000100000), 0, 0, I32_MIN, NX),
    V1(1, OP_TO_I32, 4, UINT64_C(0xc1e0000000100000), 0, 0, I32_MIN, NV),
    /* FCVT.WU.D of 4294967295.5: same value either way, different flags */
    V1(1, OP_TO_U32, 0, UINT64_C(0x41effffffff00000), 0, 0, ALL1, NV),
    V1(1, OP_TO_U32, 1, UINT64_C(0x41effffffff00000), 0, 0, ALL1, NX),
    V1(1, OP_TO_U32, 2, UINT64_C(0x41effffffff00000), 0, 0, ALL1, NX),
    V1(1, OP_TO_U32, 3, UINT64_C(0x41effffffff00000), 0, 0, ALL1, NV),
    V1(1, OP_TO_U32, 4, UINT64_C(0x41effffffff00000), 0, 0, ALL1, NV),
    VA(1, OP_TO_U32, D_QNAN, 0, 0, ALL1, NV),
    VA(1, OP_TO_U32, D_NINF, 0, 0, 0, NV),
    V1(1, OP_TO_U32, 1, UINT64_C(0xbfeccccccccccccd), 0, 0, 0, NX), /* -0.9 RTZ */
    VA(1, OP_TO_I64, UINT64_C(0x43e0000000000000), 0, 0, I64_MAX, NV), /* 2^63 */
    VA(1, OP_TO_I64, UINT64_C(0xc3e0000000000000), 0, 0, I64_MIN, 0),  /* -2^63 */
    VA(1, OP_TO_I64, D_SNAN2, 0, 0, I64_MAX, NV),
    VA(1, OP_TO_I64, D_NINF, 0, 0, I64_MIN, NV),
    VA(1, OP_TO_U64, UINT64_C(0x43f0000000000000), 0, 0, ALL1, NV),                    /* 2^64 */
    VA(1, OP_TO_U64, UINT64_C(0x43efffffffffffff), 0, 0, UINT64_C(0xfffffffffffff800), 0), /* 2^64-2048 */
    VA(1, OP_TO_U64, UINT64_C(0x43e0000000000000), 0, 0, I64_MIN, 0),                  /* 2^63 */
    VA(1, OP_TO_U64, D_MONE, 0, 0, 0, NV),
    VA(1, OP_TO_U64, D_PINF, 0, 0, ALL1, NV),
    VA(1, OP_TO_U64, D_QNANP, 0, 0, ALL1, NV),
    V1(1, OP_TO_U64, 1, UINT64_C(0xbfeccccccccccccd), 0, 0, 0, NX),
    V1(1, OP_TO_U64, 0, UINT64_C(0xbfeccccccccccccd), 0, 0, 0, NV),

    /* ---- integer -> float ---- */
    VA(0, OP_FROM_I32, 0, 0, 0, S_PZ, 0),
    VA(1, OP_FROM_I64, 0, 0, 0, D_PZ, 0),
    VA(0, OP_FROM_U64, 0, 0, 0, S_PZ, 0),
    /* 2^24+1: a tie */
    V5(0, OP_FROM_I32, 16777217, 0, 0, NX, 0x4b800000u, 0x4b800000u, 0x4b800000u, 0x4b800001u, 0x4b800001u),
    V5(0, OP_FROM_I32, (uint64_t)-16777217, 0, 0, NX, 0xcb800000u, 0xcb800000u, 0xcb800001u, 0xcb800000u,
       0xcb800001u),
    /* 2^24+3: a tie whose even neighbour is above */
    V5(0, OP_FROM_I64, 16777219, 0, 0, NX, 0x4b800002u, 0x4b800001u, 0x4b800001u, 0x4b800002u, 0x4b800002u),
    VA(0, OP_FROM_I32, UINT64_C(0x80000000), 0, 0, 0xcf000000u, 0), /* INT32_MIN */
    V5(0, OP_FROM_U32, UINT64_C(0xffffffff), 0, 0, NX, 0x4f800000u, 0x4f7fffffu, 0x4f7fffffu, 0x4f800000u,
       0x4f800000u),
    VA(0, OP_FROM_I64, I64_MIN, 0, 0, 0xdf000000u, 0),
    V5(0, OP_FROM_U64, ALL1, 0, 0, NX, 0x5f800000u, 0x5f7fffffu, 0x5f7fffffu, 0x5f800000u, 0x5f800000u),
    V5(1, OP_FROM_U64, ALL1, 0, 0, NX, UINT64_C(0x43f0000000000000), UINT64_C(0x43efffffffffffff),
       UINT64_C(0x43efffffffffffff), UINT64_C(0x43f0000000000000), UINT64_C(0x43f0000000000000)),
    V5(1, OP_FROM_I64, UINT64_C(0x20000000000001), 0, 0, NX, UINT64_C(0x4340000000000000),
       UINT64_C(0x4340000000000000), UINT64_C(0x4340000000000000), UINT64_C(0x4340000000000001),
       UINT64_C(0x4340000000000001)),
    VA(1, OP_FROM_I64, I64_MIN, 0, 0, UINT64_C(0xc3e0000000000000), 0),
    VA(1, OP_FROM_I32, UINT64_C(0xffffffff), 0, 0, D_MONE, 0),
    VA(1, OP_FROM_U32, UINT64_C(0xffffffff), 0, 0, UINT64_C(0x41efffffffe00000), 0),

    /* ---- binary32 <-> binary64 ---- */
    VA(0, OP_CVT, S_MINS, 0, 0, UINT64_C(0x36a0000000000000), 0),
    VA(0, OP_CVT, S_NINF, 0, 0, D_NINF, 0),
    VA(0, OP_CVT, S_NZ, 0, 0, D_NZ, 0),
    VA(0, OP_CVT, S_MAX, 0, 0, UINT64_C(0x47efffffe0000000), 0),
    VA(0, OP_CVT, S_QNANP, 0, 0, D_CANON, 0),
    VA(0, OP_CVT, S_SNAN, 0, 0, D_CANON, NV),
    V5(1, OP_CVT, UINT64_C(0x3ff0000010000000), 0, 0, NX, S_ONE, S_ONE, S_ONE, 0x3f800001u, 0x3f800001u),
    V5(1, OP_CVT, D_MAX, 0, 0, OF | NX, S_PINF, S_MAX, S_MAX, S_PINF, S_PINF),
    V5(1, OP_CVT, UINT64_C(0x3690000000000000), 0, 0, UF | NX, S_PZ, S_PZ, S_PZ, S_MINS, S_MINS), /* 2^-150 */
    V5(1, OP_CVT, D_MINS, 0, 0, UF | NX, S_PZ, S_PZ, S_PZ, S_MINS, S_PZ),
    VA(1, OP_CVT, UINT64_C(0x36a0000000000000), 0, 0, S_MINS, 0),
    VA(1, OP_CVT, D_SNAN2, 0, 0, S_CANON, NV),
    VA(1, OP_CVT, D_QNANP, 0, 0, S_CANON, 0),
    VA(1, OP_CVT, D_NZ, 0, 0, S_NZ, 0),
    VA(1, OP_CVT, D_NINF, 0, 0, S_NINF, 0),
};

#define SF_NVECTORS (sizeof sf_vectors / sizeof sf_vectors[0])

#endif /* SOFTFP_VECTORS_H */
