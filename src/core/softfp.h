/*
 * Software IEEE 754-2008 binary32/binary64 arithmetic with exactly the
 * semantics of the RISC-V F and D extensions.
 *
 * Pure integer code: results and flags are bit-identical on every host and
 * compiler and do not depend on the host FPU, its rounding mode or its flag
 * state. There is no global state: every rounding operation takes the
 * rounding mode as an argument and ORs the exception flags it raises into
 * *flags (the caller accumulates them into fflags).
 *
 * Operands and results are raw bit patterns (uint32_t for binary32,
 * uint64_t for binary64).
 *
 * RISC-V rules implemented here:
 *  - Every operation that produces a NaN returns the canonical NaN
 *    (SF32_CANON_NAN / SF64_CANON_NAN); payloads are never propagated.
 *  - Signaling NaN inputs raise NV in arithmetic, conversions, fmin/fmax and
 *    feq; flt/fle raise NV for any NaN input.
 *  - Inf-Inf, 0*Inf, 0/0, Inf/Inf, sqrt(x<0) give the canonical NaN and NV;
 *    finite nonzero x/0 gives a signed Inf and DZ.
 *  - Fused multiply-add raises NV for (Inf x 0) + c even when c is a quiet NaN.
 *  - Tininess is detected after rounding; UF is raised when the result is
 *    tiny and inexact. Subnormals are fully supported.
 *  - An exact zero sum of operands of opposite sign is +0, except -0 in RDN.
 *  - fmin/fmax: -0 < +0; one NaN operand -> the other operand; two NaNs ->
 *    canonical NaN; a signaling NaN input raises NV.
 *  - Float-to-integer conversions saturate as in the ISA manual's table and
 *    raise NV (and never NX) when the rounded value is out of range or the
 *    input is NaN/Inf; otherwise NX when inexact.
 *
 * Rounding modes are the RISC-V frm encodings 0..4. The reserved encodings
 * (5, 6, 7) must be rejected by the caller (illegal instruction); if one is
 * passed anyway it behaves as SF_RNE.
 */
#ifndef RVVM_SOFTFP_H
#define RVVM_SOFTFP_H

#include <stdint.h>

/* RISC-V frm encodings. */
enum { SF_RNE = 0, SF_RTZ = 1, SF_RDN = 2, SF_RUP = 3, SF_RMM = 4 };

/* RISC-V fflags bits. */
enum { SF_NX = 1, SF_UF = 2, SF_OF = 4, SF_DZ = 8, SF_NV = 16 };

/* FCLASS result bits. */
enum {
    SF_CLASS_NEG_INF = 1 << 0,
    SF_CLASS_NEG_NORMAL = 1 << 1,
    SF_CLASS_NEG_SUBNORMAL = 1 << 2,
    SF_CLASS_NEG_ZERO = 1 << 3,
    SF_CLASS_POS_ZERO = 1 << 4,
    SF_CLASS_POS_SUBNORMAL = 1 << 5,
    SF_CLASS_POS_NORMAL = 1 << 6,
    SF_CLASS_POS_INF = 1 << 7,
    SF_CLASS_SNAN = 1 << 8,
    SF_CLASS_QNAN = 1 << 9,
};

#define SF32_CANON_NAN UINT32_C(0x7fc00000)
#define SF64_CANON_NAN UINT64_C(0x7ff8000000000000)
#define SF32_SIGN UINT32_C(0x80000000)
#define SF64_SIGN UINT64_C(0x8000000000000000)

/* ---- binary32 ---------------------------------------------------------- */

uint32_t sf32_add(uint32_t a, uint32_t b, int rm, unsigned *flags);
uint32_t sf32_sub(uint32_t a, uint32_t b, int rm, unsigned *flags);
uint32_t sf32_mul(uint32_t a, uint32_t b, int rm, unsigned *flags);
uint32_t sf32_div(uint32_t a, uint32_t b, int rm, unsigned *flags);
uint32_t sf32_sqrt(uint32_t a, int rm, unsigned *flags);
uint32_t sf32_fmadd(uint32_t a, uint32_t b, uint32_t c, int rm, unsigned *flags);  /*  a*b+c  */
uint32_t sf32_fmsub(uint32_t a, uint32_t b, uint32_t c, int rm, unsigned *flags);  /*  a*b-c  */
uint32_t sf32_fnmsub(uint32_t a, uint32_t b, uint32_t c, int rm, unsigned *flags); /* -(a*b)+c */
uint32_t sf32_fnmadd(uint32_t a, uint32_t b, uint32_t c, int rm, unsigned *flags); /* -(a*b)-c */
uint32_t sf32_min(uint32_t a, uint32_t b, unsigned *flags);
uint32_t sf32_max(uint32_t a, uint32_t b, unsigned *flags);
int sf32_eq(uint32_t a, uint32_t b, unsigned *flags);
int sf32_lt(uint32_t a, uint32_t b, unsigned *flags);
int sf32_le(uint32_t a, uint32_t b, unsigned *flags);
unsigned sf32_classify(uint32_t a);

/*
 * Float-to-integer conversions return the value RV64 writes to rd. For the
 * 32-bit forms that is the 32-bit result sign-extended to 64 bits; this holds
 * for FCVT.WU too (UINT32_MAX is returned as 0xffffffffffffffff), as the ISA
 * specifies. Truncate to 32 bits to get the plain unsigned 32-bit value.
 */
int64_t sf32_to_i32(uint32_t a, int rm, unsigned *flags);
uint64_t sf32_to_u32(uint32_t a, int rm, unsigned *flags);
int64_t sf32_to_i64(uint32_t a, int rm, unsigned *flags);
uint64_t sf32_to_u64(uint32_t a, int rm, unsigned *flags);
uint32_t sf32_from_i32(int32_t v, int rm, unsigned *flags);
uint32_t sf32_from_u32(uint32_t v, int rm, unsigned *flags);
uint32_t sf32_from_i64(int64_t v, int rm, unsigned *flags);
uint32_t sf32_from_u64(uint64_t v, int rm, unsigned *flags);

/* FCVT.D.S: exact; NaN -> canonical NaN (NV if signaling). */
uint64_t sf32_to_f64(uint32_t a, unsigned *flags);

/* ---- binary64 ---------------------------------------------------------- */

uint64_t sf64_add(uint64_t a, uint64_t b, int rm, unsigned *flags);
uint64_t sf64_sub(uint64_t a, uint64_t b, int rm, unsigned *flags);
uint64_t sf64_mul(uint64_t a, uint64_t b, int rm, unsigned *flags);
uint64_t sf64_div(uint64_t a, uint64_t b, int rm, unsigned *flags);
uint64_t sf64_sqrt(uint64_t a, int rm, unsigned *flags);
uint64_t sf64_fmadd(uint64_t a, uint64_t b, uint64_t c, int rm, unsigned *flags);
uint64_t sf64_fmsub(uint64_t a, uint64_t b, uint64_t c, int rm, unsigned *flags);
uint64_t sf64_fnmsub(uint64_t a, uint64_t b, uint64_t c, int rm, unsigned *flags);
uint64_t sf64_fnmadd(uint64_t a, uint64_t b, uint64_t c, int rm, unsigned *flags);
uint64_t sf64_min(uint64_t a, uint64_t b, unsigned *flags);
uint64_t sf64_max(uint64_t a, uint64_t b, unsigned *flags);
int sf64_eq(uint64_t a, uint64_t b, unsigned *flags);
int sf64_lt(uint64_t a, uint64_t b, unsigned *flags);
int sf64_le(uint64_t a, uint64_t b, unsigned *flags);
unsigned sf64_classify(uint64_t a);

int64_t sf64_to_i32(uint64_t a, int rm, unsigned *flags);  /* sign-extended, see above */
uint64_t sf64_to_u32(uint64_t a, int rm, unsigned *flags); /* sign-extended, see above */
int64_t sf64_to_i64(uint64_t a, int rm, unsigned *flags);
uint64_t sf64_to_u64(uint64_t a, int rm, unsigned *flags);
uint64_t sf64_from_i32(int32_t v, int rm, unsigned *flags); /* always exact */
uint64_t sf64_from_u32(uint32_t v, int rm, unsigned *flags); /* always exact */
uint64_t sf64_from_i64(int64_t v, int rm, unsigned *flags);
uint64_t sf64_from_u64(uint64_t v, int rm, unsigned *flags);

/* FCVT.S.D: rounded per rm; NaN -> canonical NaN (NV if signaling). */
uint32_t sf64_to_f32(uint64_t a, int rm, unsigned *flags);

/* ---- small helpers ------------------------------------------------------ */

static inline int sf32_isnan(uint32_t a) { return (a & 0x7fffffffu) > 0x7f800000u; }
static inline int sf64_isnan(uint64_t a)
{
    return (a & UINT64_C(0x7fffffffffffffff)) > UINT64_C(0x7ff0000000000000);
}
static inline int sf32_issnan(uint32_t a) { return sf32_isnan(a) && !(a & 0x00400000u); }
static inline int sf64_issnan(uint64_t a)
{
    return sf64_isnan(a) && !(a & UINT64_C(0x0008000000000000));
}

/* NaN-boxing of binary32 values in 64-bit FP registers (RISC-V D extension):
 * a value whose upper 32 bits are not all ones reads as the canonical NaN. */
static inline uint64_t sf_box32(uint32_t a) { return UINT64_C(0xffffffff00000000) | a; }
static inline uint32_t sf_unbox32(uint64_t r)
{
    return (r >> 32) == UINT32_C(0xffffffff) ? (uint32_t)r : SF32_CANON_NAN;
}

#endif /* RVVM_SOFTFP_H */
