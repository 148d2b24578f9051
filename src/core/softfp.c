/*
 * Software IEEE 754-2008 binary32/binary64 arithmetic with RISC-V semantics.
 * See softfp.h for the rules. Integer arithmetic only: no float or double
 * values are used anywhere in this file.
 *
 * Internal representation of a finite nonzero value:
 *     (-1)^sign * sig * 2^(exp - 62)
 * with sig a uint64_t normalized so that bit 62 is its most significant set
 * bit; exp is then the unbiased exponent of the leading bit. Bits below the
 * target precision are rounding bits; a "jam" (sticky OR) into bit 0 keeps
 * the information that nonzero bits were shifted out.
 *
 * The code is generic over the two formats: every format-dependent helper
 * takes the fraction width MB (23 or 52) and exponent width EB (8 or 11) as
 * compile-time constants and is force-inlined, so each public function is
 * specialized for its format.
 */
#include "softfp.h"

#if defined(__GNUC__) || defined(__clang__)
#define SF_INLINE static inline __attribute__((always_inline))
#define SF_UNLIKELY(x) __builtin_expect(!!(x), 0)
#else
#define SF_INLINE static inline
#define SF_UNLIKELY(x) (x)
#endif

__extension__ typedef unsigned __int128 u128;

/* ---- bit helpers ---------------------------------------------------------- */

static inline int clz64(uint64_t x) /* x != 0 */
{
    return __builtin_clzll(x);
}

static inline int clz128(u128 x) /* x != 0 */
{
    uint64_t hi = (uint64_t)(x >> 64);
    return hi ? clz64(hi) : 64 + clz64((uint64_t)x);
}

/* x >> n, with any nonzero bit shifted out OR-ed into bit 0. n >= 0. */
static inline uint64_t shr_jam64(uint64_t x, int32_t n)
{
    if (n == 0)
        return x;
    if (n >= 64)
        return x != 0;
    return (x >> n) | ((x << (64 - n)) != 0);
}

static inline u128 shr_jam128(u128 x, int32_t n)
{
    if (n == 0)
        return x;
    if (n >= 128)
        return x != 0;
    return (x >> n) | ((x << (128 - n)) != 0);
}

/* ---- format description --------------------------------------------------- */

#define F32 23, 8
#define F64 52, 11

#define BIAS(eb) ((1 << ((eb) - 1)) - 1)
#define EMAXB(eb) ((1 << (eb)) - 1) /* biased exponent of Inf/NaN */
#define SIGNBIT(mb, eb) ((uint64_t)1 << ((mb) + (eb)))
#define FRACMASK(mb) (((uint64_t)1 << (mb)) - 1)
#define QUIETBIT(mb) ((uint64_t)1 << ((mb) - 1))
#define INFBITS(mb, eb) ((uint64_t)EMAXB(eb) << (mb))
#define CANON(mb, eb) (INFBITS(mb, eb) | QUIETBIT(mb))

SF_INLINE int f_sign(uint64_t a, const int mb, const int eb) { return (int)((a >> (mb + eb)) & 1); }
SF_INLINE int32_t f_expf(uint64_t a, const int mb, const int eb)
{
    return (int32_t)((a >> mb) & (uint64_t)EMAXB(eb));
}
SF_INLINE uint64_t f_abs(uint64_t a, const int mb, const int eb) { return a & (SIGNBIT(mb, eb) - 1); }
SF_INLINE int f_isnan(uint64_t a, const int mb, const int eb) { return f_abs(a, mb, eb) > INFBITS(mb, eb); }
SF_INLINE int f_issnan(uint64_t a, const int mb, const int eb)
{
    return f_isnan(a, mb, eb) && !(a & QUIETBIT(mb));
}
SF_INLINE int f_isinf(uint64_t a, const int mb, const int eb) { return f_abs(a, mb, eb) == INFBITS(mb, eb); }
SF_INLINE int f_iszero(uint64_t a, const int mb, const int eb) { return f_abs(a, mb, eb) == 0; }
/* Inf or NaN */
SF_INLINE int f_isspecial(uint64_t a, const int mb, const int eb) { return f_expf(a, mb, eb) == EMAXB(eb); }

/* Unpack a finite nonzero value into (exp, sig) with sig's top bit at 62. */
SF_INLINE uint64_t f_unpack(uint64_t a, int32_t *exp, const int mb, const int eb)
{
    int32_t e = f_expf(a, mb, eb);
    uint64_t m = a & FRACMASK(mb);
    if (SF_UNLIKELY(e == 0)) { /* subnormal */
        int s = clz64(m) - 1;  /* shift that puts the top bit at 62 */
        *exp = 1 - BIAS(eb) - (s - (62 - mb));
        return m << s;
    }
    *exp = e - BIAS(eb);
    return (m | ((uint64_t)1 << mb)) << (62 - mb);
}

/* Whether to round the magnitude up: q is the truncated significand, rb the
 * discarded bits and half the weight of the first discarded bit. */
static inline uint64_t round_inc(int rm, int sign, uint64_t q, uint64_t rb, uint64_t half)
{
    switch (rm) {
    case SF_RTZ: return 0;
    case SF_RDN: return sign && rb;
    case SF_RUP: return !sign && rb;
    case SF_RMM: return rb >= half;
    default: return rb > half || (rb == half && (q & 1)); /* RNE */
    }
}

SF_INLINE uint64_t f_overflow(int sign, int rm, unsigned *flags, const int mb, const int eb)
{
    *flags |= SF_OF | SF_NX;
    uint64_t s = sign ? SIGNBIT(mb, eb) : 0;
    if (rm == SF_RTZ || (rm == SF_RDN && !sign) || (rm == SF_RUP && sign))
        return s | (INFBITS(mb, eb) - 1); /* largest finite */
    return s | INFBITS(mb, eb);
}

/*
 * Round (-1)^sign * sig * 2^(exp-62) to the format and pack it. sig must have
 * bit 62 set (bit 63 clear). Raises NX, UF (tiny after rounding and inexact)
 * and OF as appropriate.
 */
SF_INLINE uint64_t round_pack(int sign, int32_t exp, uint64_t sig, int rm, unsigned *flags,
                              const int mb, const int eb)
{
    const int rbits = 62 - mb;
    const uint64_t rmask = ((uint64_t)1 << rbits) - 1;
    const uint64_t half = (uint64_t)1 << (rbits - 1);
    int32_t e = exp + BIAS(eb);
    unsigned fl = 0;

    if (SF_UNLIKELY(e >= EMAXB(eb)))
        return f_overflow(sign, rm, flags, mb, eb);
    if (SF_UNLIKELY(e <= 0)) {
        /* Tininess after rounding: the value rounded to full precision with
         * an unbounded exponent is below 2^emin. Only for e == 0 can the
         * rounding carry it up to 2^emin. */
        int tiny = 1;
        if (e == 0) {
            uint64_t q = sig >> rbits;
            q += round_inc(rm, sign, q, sig & rmask, half);
            tiny = !(q >> (mb + 1));
        }
        sig = shr_jam64(sig, 1 - e);
        e = 1; /* subnormal: packed with exponent field 0 below */
        if (tiny && (sig & rmask))
            fl |= SF_UF;
    }
    uint64_t rb = sig & rmask;
    uint64_t q = sig >> rbits;
    if (rb) {
        fl |= SF_NX;
        q += round_inc(rm, sign, q, rb, half);
    }
    /* q includes the implicit bit, which adds one to the exponent field; a
     * rounding carry out of the significand propagates into the exponent. */
    uint64_t bits = ((uint64_t)(e - 1) << mb) + q;
    if (SF_UNLIKELY(bits >= INFBITS(mb, eb)))
        return f_overflow(sign, rm, flags, mb, eb);
    *flags |= fl;
    return bits | (sign ? SIGNBIT(mb, eb) : 0);
}

/* Quiet NaN handling for two-operand arithmetic: canonical NaN, NV for sNaN. */
SF_INLINE uint64_t nan2(uint64_t a, uint64_t b, unsigned *flags, const int mb, const int eb)
{
    if (f_issnan(a, mb, eb) || f_issnan(b, mb, eb))
        *flags |= SF_NV;
    return CANON(mb, eb);
}

/* ---- add / sub ------------------------------------------------------------- */

SF_INLINE uint64_t f_add(uint64_t a, uint64_t b, int rm, unsigned *flags, const int mb, const int eb)
{
    const uint64_t sb = SIGNBIT(mb, eb);
    if (SF_UNLIKELY(f_isspecial(a, mb, eb) || f_isspecial(b, mb, eb))) {
        if (f_isnan(a, mb, eb) || f_isnan(b, mb, eb))
            return nan2(a, b, flags, mb, eb);
        if (f_isinf(a, mb, eb)) {
            if (f_isinf(b, mb, eb) && ((a ^ b) & sb)) {
                *flags |= SF_NV;
                return CANON(mb, eb);
            }
            return a;
        }
        return b;
    }
    if (SF_UNLIKELY(f_iszero(a, mb, eb) || f_iszero(b, mb, eb))) {
        if (!f_iszero(a, mb, eb))
            return a;
        if (!f_iszero(b, mb, eb))
            return b;
        if (!((a ^ b) & sb))
            return a;
        return rm == SF_RDN ? sb : 0;
    }
    int sa = f_sign(a, mb, eb), sgb = f_sign(b, mb, eb);
    int32_t ea, eb2;
    uint64_t ma = f_unpack(a, &ea, mb, eb);
    uint64_t mb2 = f_unpack(b, &eb2, mb, eb);
    if (ea < eb2) {
        uint64_t t = ma; ma = mb2; mb2 = t;
        int32_t te = ea; ea = eb2; eb2 = te;
        int ts = sa; sa = sgb; sgb = ts;
    }
    mb2 = shr_jam64(mb2, ea - eb2);
    uint64_t s;
    int sign = sa;
    if (sa == sgb) {
        s = ma + mb2; /* < 2^64 */
        if (s >> 63) {
            s = (s >> 1) | (s & 1);
            ea++;
        }
    } else {
        if (ma >= mb2) {
            s = ma - mb2;
        } else {
            s = mb2 - ma;
            sign = sgb;
        }
        if (s == 0)
            return rm == SF_RDN ? sb : 0;
        int sh = clz64(s) - 1;
        s <<= sh;
        ea -= sh;
    }
    return round_pack(sign, ea, s, rm, flags, mb, eb);
}

/* ---- mul ------------------------------------------------------------------- */

SF_INLINE uint64_t f_mul(uint64_t a, uint64_t b, int rm, unsigned *flags, const int mb, const int eb)
{
    int sign = f_sign(a, mb, eb) ^ f_sign(b, mb, eb);
    uint64_t sbits = sign ? SIGNBIT(mb, eb) : 0;
    if (SF_UNLIKELY(f_isspecial(a, mb, eb) || f_isspecial(b, mb, eb))) {
        if (f_isnan(a, mb, eb) || f_isnan(b, mb, eb))
            return nan2(a, b, flags, mb, eb);
        if (f_iszero(a, mb, eb) || f_iszero(b, mb, eb)) {
            *flags |= SF_NV;
            return CANON(mb, eb);
        }
        return sbits | INFBITS(mb, eb);
    }
    if (SF_UNLIKELY(f_iszero(a, mb, eb) || f_iszero(b, mb, eb)))
        return sbits;
    int32_t ea, eb2;
    uint64_t ma = f_unpack(a, &ea, mb, eb);
    uint64_t mb2 = f_unpack(b, &eb2, mb, eb);
    u128 p = (u128)ma * mb2; /* in [2^124, 2^126) */
    uint64_t s = (uint64_t)(p >> 62) | (((uint64_t)p & (((uint64_t)1 << 62) - 1)) != 0);
    int32_t e = ea + eb2;
    if (s >> 63) {
        s = (s >> 1) | (s & 1);
        e++;
    }
    return round_pack(sign, e, s, rm, flags, mb, eb);
}

/* ---- div ------------------------------------------------------------------- */

SF_INLINE uint64_t f_div(uint64_t a, uint64_t b, int rm, unsigned *flags, const int mb, const int eb)
{
    int sign = f_sign(a, mb, eb) ^ f_sign(b, mb, eb);
    uint64_t sbits = sign ? SIGNBIT(mb, eb) : 0;
    if (SF_UNLIKELY(f_isspecial(a, mb, eb) || f_isspecial(b, mb, eb))) {
        if (f_isnan(a, mb, eb) || f_isnan(b, mb, eb))
            return nan2(a, b, flags, mb, eb);
        if (f_isinf(a, mb, eb)) {
            if (f_isinf(b, mb, eb)) {
                *flags |= SF_NV;
                return CANON(mb, eb);
            }
            return sbits | INFBITS(mb, eb);
        }
        return sbits; /* finite / Inf */
    }
    if (SF_UNLIKELY(f_iszero(b, mb, eb))) {
        if (f_iszero(a, mb, eb)) {
            *flags |= SF_NV;
            return CANON(mb, eb);
        }
        *flags |= SF_DZ;
        return sbits | INFBITS(mb, eb);
    }
    if (SF_UNLIKELY(f_iszero(a, mb, eb)))
        return sbits;
    int32_t ea, eb2;
    uint64_t ma = f_unpack(a, &ea, mb, eb);
    uint64_t mb2 = f_unpack(b, &eb2, mb, eb);
    int32_t e = ea - eb2;
    if (ma < mb2) {
        ma <<= 1;
        e--;
    }
    uint64_t s;
    if (mb == 23) {
        /* 24-bit significands: a 40-bit quotient fits 64-bit division. */
        uint64_t x = ma >> 39, y = mb2 >> 39; /* x/y in [1, 2) */
        uint64_t q = (x << 39) / y;            /* in [2^39, 2^40) */
        s = (q << 23) | ((x << 39) != q * y);
    } else {
        u128 n = (u128)ma << 62;
        uint64_t q = (uint64_t)(n / mb2); /* in [2^62, 2^63) */
        s = q | ((u128)q * mb2 != n);
    }
    return round_pack(sign, e, s, rm, flags, mb, eb);
}

/* ---- sqrt ------------------------------------------------------------------ */

/* floor(sqrt(x)) for x < 2^(2k), by the bitwise (digit-by-digit) method
 * producing k result bits, written without data-dependent branches.
 * *rem = x - root^2. */
static inline uint64_t isqrt_bits(uint64_t x, int k, uint64_t *rem)
{
    uint64_t res = 0;
    uint64_t bit = (uint64_t)1 << (2 * k - 2);
    for (int i = 0; i < k; i++) {
        uint64_t t = res + bit;
        uint64_t take = (uint64_t)0 - (uint64_t)(x >= t); /* all ones or zero */
        x -= t & take;
        res = (res >> 1) | (bit & take);
        bit >>= 2;
    }
    *rem = x;
    return res;
}

/* floor(sqrt(n)) for 2^110 <= n < 2^112. A 32-bit root of the top 64 bits
 * gives an overestimate within 2^24 of the root; one Newton step from above
 * brings it to floor(sqrt(n)) or one more, and a final check fixes that. */
static uint64_t isqrt112(u128 n)
{
    uint64_t rem;
    uint64_t s0 = isqrt_bits((uint64_t)(n >> 48), 32, &rem); /* top part >= 2^62 */
    uint64_t x = (s0 + 1) << 24;                              /* > sqrt(n) */
    uint64_t y = (x + (uint64_t)(n / x)) >> 1;
    if ((u128)y * y > n)
        y--;
    return y;
}

SF_INLINE uint64_t f_sqrt(uint64_t a, int rm, unsigned *flags, const int mb, const int eb)
{
    if (SF_UNLIKELY(f_isspecial(a, mb, eb) || f_iszero(a, mb, eb) || f_sign(a, mb, eb))) {
        if (f_isnan(a, mb, eb)) {
            if (f_issnan(a, mb, eb))
                *flags |= SF_NV;
            return CANON(mb, eb);
        }
        if (f_iszero(a, mb, eb))
            return a; /* sqrt(-0) = -0 */
        if (f_sign(a, mb, eb)) {
            *flags |= SF_NV;
            return CANON(mb, eb);
        }
        return a; /* +Inf */
    }
    int32_t e;
    uint64_t m = f_unpack(a, &e, mb, eb) >> (62 - mb); /* integer significand, top bit at mb */
    int32_t odd = e & 1;
    int32_t re = (e - odd) / 2;
    uint64_t s;
    if (mb == 23) {
        /* root in [2^25, 2^26) from a radicand in [2^50, 2^52) */
        uint64_t n = m << (27 + odd), rem;
        uint64_t r = isqrt_bits(n, 26, &rem);
        s = (r << 37) | (rem != 0);
    } else {
        /* root in [2^55, 2^56) from a radicand in [2^110, 2^112) */
        u128 n = (u128)m << (58 + odd);
        uint64_t r = isqrt112(n);
        s = (r << 7) | ((u128)r * r != n);
    }
    return round_pack(0, re, s, rm, flags, mb, eb);
}

/* ---- fused multiply-add ----------------------------------------------------- */

/* (-1)^negp * (a*b) + (-1)^negc * c, rounded once. */
SF_INLINE uint64_t f_fma(uint64_t a, uint64_t b, uint64_t c, int negp, int negc, int rm, unsigned *flags,
                         const int mb, const int eb)
{
    const uint64_t sbit = SIGNBIT(mb, eb);
    int sp = f_sign(a, mb, eb) ^ f_sign(b, mb, eb) ^ negp;
    int sc = f_sign(c, mb, eb) ^ negc;
    if (SF_UNLIKELY(f_isspecial(a, mb, eb) || f_isspecial(b, mb, eb) || f_isspecial(c, mb, eb))) {
        int inf_zero = (f_isinf(a, mb, eb) && f_iszero(b, mb, eb)) ||
                       (f_iszero(a, mb, eb) && f_isinf(b, mb, eb));
        if (f_isnan(a, mb, eb) || f_isnan(b, mb, eb) || f_isnan(c, mb, eb)) {
            if (f_issnan(a, mb, eb) || f_issnan(b, mb, eb) || f_issnan(c, mb, eb) || inf_zero)
                *flags |= SF_NV;
            return CANON(mb, eb);
        }
        if (inf_zero) {
            *flags |= SF_NV;
            return CANON(mb, eb);
        }
        if (f_isinf(a, mb, eb) || f_isinf(b, mb, eb)) {
            if (f_isinf(c, mb, eb) && sc != sp) {
                *flags |= SF_NV;
                return CANON(mb, eb);
            }
            return (sp ? sbit : 0) | INFBITS(mb, eb);
        }
        return (sc ? sbit : 0) | INFBITS(mb, eb); /* c is Inf, product finite */
    }
    if (SF_UNLIKELY(f_iszero(a, mb, eb) || f_iszero(b, mb, eb))) {
        if (!f_iszero(c, mb, eb))
            return f_abs(c, mb, eb) | (sc ? sbit : 0); /* exact */
        if (sp == sc)
            return sp ? sbit : 0;
        return rm == SF_RDN ? sbit : 0;
    }
    int32_t ea, eb2, ec;
    uint64_t ma = f_unpack(a, &ea, mb, eb);
    uint64_t mb2 = f_unpack(b, &eb2, mb, eb);
    u128 p = (u128)ma * mb2; /* in [2^124, 2^126); the low 2*(62-mb) bits are zero */
    int32_t pe = ea + eb2;
    if ((uint64_t)(p >> 64) >> 61) { /* bit 125: renormalize to bit 124, exactly */
        p >>= 1;
        pe++;
    }
    if (f_iszero(c, mb, eb)) {
        uint64_t s = (uint64_t)(p >> 62) | (((uint64_t)p & (((uint64_t)1 << 62) - 1)) != 0);
        return round_pack(sp, pe, s, rm, flags, mb, eb);
    }
    u128 x = (u128)f_unpack(c, &ec, mb, eb) << 62; /* top bit at 124 */
    /* both x and p have their top bit at 124; value = m * 2^(e - 124) */
    int32_t e;
    int sign;
    u128 big, small;
    if (pe >= ec) {
        big = p; small = shr_jam128(x, pe - ec); e = pe; sign = sp;
        if (sp != sc && pe == ec && x > p) {
            big = x; small = p; sign = sc;
        }
    } else {
        big = x; small = shr_jam128(p, ec - pe); e = ec; sign = sc;
    }
    u128 s;
    if (sp == sc) {
        s = big + small; /* < 2^126 */
    } else {
        s = big - small;
        if (s == 0)
            return rm == SF_RDN ? sbit : 0;
    }
    int lz = clz128(s);
    int32_t re = e + 3 - lz; /* exponent of the top bit */
    s <<= lz - 1;            /* top bit at 126 */
    uint64_t sig = (uint64_t)(s >> 64) | ((uint64_t)s != 0);
    return round_pack(sign, re, sig, rm, flags, mb, eb);
}

/* ---- min / max / compare / classify ------------------------------------------ */

/*
 * Total order of non-NaN values with -0 below +0: -1, 0 or 1. Written with
 * explicit sign cases rather than a sign-flipped integer key: GCC 12 for
 * AArch64 at -O2 compiled the key comparison as a signed one, so that
 * -minsub < +0 came out false (riscv-tests/d_cmp_minmax under qemu-aarch64).
 */
SF_INLINE int f_order(uint64_t a, uint64_t b, const int mb, const int eb)
{
    const uint64_t sb = SIGNBIT(mb, eb);
    const int neg_a = (a & sb) != 0, neg_b = (b & sb) != 0;
    if (neg_a != neg_b)
        return neg_a ? -1 : 1;
    const uint64_t ma = a & (sb - 1), mag_b = b & (sb - 1);
    if (ma == mag_b)
        return 0;
    /* Same sign: the larger magnitude is further from zero. */
    return (ma < mag_b) != neg_a ? -1 : 1;
}

SF_INLINE uint64_t f_minmax(uint64_t a, uint64_t b, int want_max, unsigned *flags, const int mb, const int eb)
{
    int na = f_isnan(a, mb, eb), nb = f_isnan(b, mb, eb);
    if (SF_UNLIKELY(na || nb)) {
        if (f_issnan(a, mb, eb) || f_issnan(b, mb, eb))
            *flags |= SF_NV;
        if (na && nb)
            return CANON(mb, eb);
        return na ? b : a;
    }
    int a_less = f_order(a, b, mb, eb) < 0;
    return (a_less ^ want_max) ? a : b;
}

/* Ordered comparison of non-NaN values: -1, 0, 1 (IEEE: -0 == +0). */
SF_INLINE int f_cmp(uint64_t a, uint64_t b, const int mb, const int eb)
{
    if (f_iszero(a, mb, eb) && f_iszero(b, mb, eb))
        return 0;
    return f_order(a, b, mb, eb);
}

SF_INLINE int f_eq(uint64_t a, uint64_t b, unsigned *flags, const int mb, const int eb)
{
    if (SF_UNLIKELY(f_isnan(a, mb, eb) || f_isnan(b, mb, eb))) {
        if (f_issnan(a, mb, eb) || f_issnan(b, mb, eb))
            *flags |= SF_NV;
        return 0;
    }
    return a == b || (f_iszero(a, mb, eb) && f_iszero(b, mb, eb));
}

SF_INLINE int f_lt(uint64_t a, uint64_t b, unsigned *flags, const int mb, const int eb)
{
    if (SF_UNLIKELY(f_isnan(a, mb, eb) || f_isnan(b, mb, eb))) {
        *flags |= SF_NV;
        return 0;
    }
    return f_cmp(a, b, mb, eb) < 0;
}

SF_INLINE int f_le(uint64_t a, uint64_t b, unsigned *flags, const int mb, const int eb)
{
    if (SF_UNLIKELY(f_isnan(a, mb, eb) || f_isnan(b, mb, eb))) {
        *flags |= SF_NV;
        return 0;
    }
    return f_cmp(a, b, mb, eb) <= 0;
}

SF_INLINE unsigned f_classify(uint64_t a, const int mb, const int eb)
{
    int s = f_sign(a, mb, eb);
    int32_t e = f_expf(a, mb, eb);
    uint64_t m = a & FRACMASK(mb);
    if (e == EMAXB(eb)) {
        if (m == 0)
            return s ? SF_CLASS_NEG_INF : SF_CLASS_POS_INF;
        return (m & QUIETBIT(mb)) ? SF_CLASS_QNAN : SF_CLASS_SNAN;
    }
    if (e == 0) {
        if (m == 0)
            return s ? SF_CLASS_NEG_ZERO : SF_CLASS_POS_ZERO;
        return s ? SF_CLASS_NEG_SUBNORMAL : SF_CLASS_POS_SUBNORMAL;
    }
    return s ? SF_CLASS_NEG_NORMAL : SF_CLASS_POS_NORMAL;
}

/* ---- conversions ---------------------------------------------------------------- */

/*
 * Float to integer. The target is described by is_signed and width (32/64).
 * Returns the two's-complement bit pattern of the result in the low `width`
 * bits (upper bits zero for width 32).
 */
SF_INLINE uint64_t f_to_int(uint64_t a, int rm, unsigned *flags, int is_signed, int width,
                            const int mb, const int eb)
{
    const uint64_t umax = width == 64 ? ~(uint64_t)0 : ((uint64_t)1 << width) - 1;
    const uint64_t pos_max = is_signed ? umax >> 1 : umax;        /* largest valid value */
    const uint64_t neg_mag = is_signed ? (umax >> 1) + 1 : 0;     /* magnitude of the minimum */
    const uint64_t neg_min = is_signed ? (umax >> 1) + 1 : 0;     /* its bit pattern */
    int sign = f_sign(a, mb, eb);

    if (SF_UNLIKELY(f_isspecial(a, mb, eb))) {
        *flags |= SF_NV;
        if (f_isnan(a, mb, eb) || !sign)
            return pos_max;
        return neg_min;
    }
    if (f_iszero(a, mb, eb))
        return 0;
    int32_t e;
    uint64_t sig = f_unpack(a, &e, mb, eb);
    uint64_t ip, frac;
    if (e >= 64) {
        goto invalid;
    } else if (e >= 62) {
        ip = sig << (e - 62);
        frac = 0;
    } else {
        int32_t sh = 62 - e;
        if (sh < 64) {
            ip = sig >> sh;
            frac = sig << (64 - sh);
        } else {
            ip = 0;
            frac = shr_jam64(sig, sh - 64); /* < 2^63: below one half */
        }
        if (frac)
            ip += round_inc(rm, sign, ip, frac, (uint64_t)1 << 63);
    }
    if (sign) {
        if (ip > neg_mag)
            goto invalid;
        ip = (0 - ip) & umax;
    } else if (ip > pos_max) {
        goto invalid;
    }
    if (frac)
        *flags |= SF_NX;
    return ip;
invalid:
    *flags |= SF_NV;
    return sign ? neg_min : pos_max;
}

/* Integer magnitude (with sign) to float. */
SF_INLINE uint64_t f_from_int(int sign, uint64_t mag, int rm, unsigned *flags, const int mb, const int eb)
{
    if (mag == 0)
        return 0;
    int lz = clz64(mag);
    uint64_t sig;
    if (lz == 0)
        sig = (mag >> 1) | (mag & 1);
    else
        sig = mag << (lz - 1);
    return round_pack(sign, 63 - lz, sig, rm, flags, mb, eb);
}

/* ---- public binary32 ------------------------------------------------------------- */

uint32_t sf32_add(uint32_t a, uint32_t b, int rm, unsigned *flags)
{
    return (uint32_t)f_add(a, b, rm, flags, F32);
}
uint32_t sf32_sub(uint32_t a, uint32_t b, int rm, unsigned *flags)
{
    return (uint32_t)f_add(a, b ^ SF32_SIGN, rm, flags, F32);
}
uint32_t sf32_mul(uint32_t a, uint32_t b, int rm, unsigned *flags)
{
    return (uint32_t)f_mul(a, b, rm, flags, F32);
}
uint32_t sf32_div(uint32_t a, uint32_t b, int rm, unsigned *flags)
{
    return (uint32_t)f_div(a, b, rm, flags, F32);
}
uint32_t sf32_sqrt(uint32_t a, int rm, unsigned *flags)
{
    return (uint32_t)f_sqrt(a, rm, flags, F32);
}
uint32_t sf32_fmadd(uint32_t a, uint32_t b, uint32_t c, int rm, unsigned *flags)
{
    return (uint32_t)f_fma(a, b, c, 0, 0, rm, flags, F32);
}
uint32_t sf32_fmsub(uint32_t a, uint32_t b, uint32_t c, int rm, unsigned *flags)
{
    return (uint32_t)f_fma(a, b, c, 0, 1, rm, flags, F32);
}
uint32_t sf32_fnmsub(uint32_t a, uint32_t b, uint32_t c, int rm, unsigned *flags)
{
    return (uint32_t)f_fma(a, b, c, 1, 0, rm, flags, F32);
}
uint32_t sf32_fnmadd(uint32_t a, uint32_t b, uint32_t c, int rm, unsigned *flags)
{
    return (uint32_t)f_fma(a, b, c, 1, 1, rm, flags, F32);
}
uint32_t sf32_min(uint32_t a, uint32_t b, unsigned *flags)
{
    return (uint32_t)f_minmax(a, b, 0, flags, F32);
}
uint32_t sf32_max(uint32_t a, uint32_t b, unsigned *flags)
{
    return (uint32_t)f_minmax(a, b, 1, flags, F32);
}
int sf32_eq(uint32_t a, uint32_t b, unsigned *flags) { return f_eq(a, b, flags, F32); }
int sf32_lt(uint32_t a, uint32_t b, unsigned *flags) { return f_lt(a, b, flags, F32); }
int sf32_le(uint32_t a, uint32_t b, unsigned *flags) { return f_le(a, b, flags, F32); }
unsigned sf32_classify(uint32_t a) { return f_classify(a, F32); }

int64_t sf32_to_i32(uint32_t a, int rm, unsigned *flags)
{
    return (int32_t)(uint32_t)f_to_int(a, rm, flags, 1, 32, F32);
}
uint64_t sf32_to_u32(uint32_t a, int rm, unsigned *flags)
{
    return (uint64_t)(int64_t)(int32_t)(uint32_t)f_to_int(a, rm, flags, 0, 32, F32);
}
int64_t sf32_to_i64(uint32_t a, int rm, unsigned *flags)
{
    return (int64_t)f_to_int(a, rm, flags, 1, 64, F32);
}
uint64_t sf32_to_u64(uint32_t a, int rm, unsigned *flags)
{
    return f_to_int(a, rm, flags, 0, 64, F32);
}
uint32_t sf32_from_i32(int32_t v, int rm, unsigned *flags)
{
    uint64_t mag = v < 0 ? 0 - (uint64_t)(int64_t)v : (uint64_t)v;
    return (uint32_t)f_from_int(v < 0, mag, rm, flags, F32);
}
uint32_t sf32_from_u32(uint32_t v, int rm, unsigned *flags)
{
    return (uint32_t)f_from_int(0, v, rm, flags, F32);
}
uint32_t sf32_from_i64(int64_t v, int rm, unsigned *flags)
{
    uint64_t mag = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    return (uint32_t)f_from_int(v < 0, mag, rm, flags, F32);
}
uint32_t sf32_from_u64(uint64_t v, int rm, unsigned *flags)
{
    return (uint32_t)f_from_int(0, v, rm, flags, F32);
}

uint64_t sf32_to_f64(uint32_t a, unsigned *flags)
{
    uint64_t s = (uint64_t)(a >> 31) << 63;
    if (SF_UNLIKELY(f_isspecial(a, F32))) {
        if (f_isnan(a, F32)) {
            if (f_issnan(a, F32))
                *flags |= SF_NV;
            return SF64_CANON_NAN;
        }
        return s | UINT64_C(0x7ff0000000000000);
    }
    if (f_iszero(a, F32))
        return s;
    int32_t e;
    uint64_t sig = f_unpack(a, &e, F32);
    /* exact: the top bit of sig is at 62 and only 24 bits are set */
    return s | ((uint64_t)(e + BIAS(11)) << 52) | ((sig >> 10) & FRACMASK(52));
}

/* ---- public binary64 ------------------------------------------------------------- */

uint64_t sf64_add(uint64_t a, uint64_t b, int rm, unsigned *flags) { return f_add(a, b, rm, flags, F64); }
uint64_t sf64_sub(uint64_t a, uint64_t b, int rm, unsigned *flags)
{
    return f_add(a, b ^ SF64_SIGN, rm, flags, F64);
}
uint64_t sf64_mul(uint64_t a, uint64_t b, int rm, unsigned *flags) { return f_mul(a, b, rm, flags, F64); }
uint64_t sf64_div(uint64_t a, uint64_t b, int rm, unsigned *flags) { return f_div(a, b, rm, flags, F64); }
uint64_t sf64_sqrt(uint64_t a, int rm, unsigned *flags) { return f_sqrt(a, rm, flags, F64); }
uint64_t sf64_fmadd(uint64_t a, uint64_t b, uint64_t c, int rm, unsigned *flags)
{
    return f_fma(a, b, c, 0, 0, rm, flags, F64);
}
uint64_t sf64_fmsub(uint64_t a, uint64_t b, uint64_t c, int rm, unsigned *flags)
{
    return f_fma(a, b, c, 0, 1, rm, flags, F64);
}
uint64_t sf64_fnmsub(uint64_t a, uint64_t b, uint64_t c, int rm, unsigned *flags)
{
    return f_fma(a, b, c, 1, 0, rm, flags, F64);
}
uint64_t sf64_fnmadd(uint64_t a, uint64_t b, uint64_t c, int rm, unsigned *flags)
{
    return f_fma(a, b, c, 1, 1, rm, flags, F64);
}
uint64_t sf64_min(uint64_t a, uint64_t b, unsigned *flags) { return f_minmax(a, b, 0, flags, F64); }
uint64_t sf64_max(uint64_t a, uint64_t b, unsigned *flags) { return f_minmax(a, b, 1, flags, F64); }
int sf64_eq(uint64_t a, uint64_t b, unsigned *flags) { return f_eq(a, b, flags, F64); }
int sf64_lt(uint64_t a, uint64_t b, unsigned *flags) { return f_lt(a, b, flags, F64); }
int sf64_le(uint64_t a, uint64_t b, unsigned *flags) { return f_le(a, b, flags, F64); }
unsigned sf64_classify(uint64_t a) { return f_classify(a, F64); }

int64_t sf64_to_i32(uint64_t a, int rm, unsigned *flags)
{
    return (int32_t)(uint32_t)f_to_int(a, rm, flags, 1, 32, F64);
}
uint64_t sf64_to_u32(uint64_t a, int rm, unsigned *flags)
{
    return (uint64_t)(int64_t)(int32_t)(uint32_t)f_to_int(a, rm, flags, 0, 32, F64);
}
int64_t sf64_to_i64(uint64_t a, int rm, unsigned *flags)
{
    return (int64_t)f_to_int(a, rm, flags, 1, 64, F64);
}
uint64_t sf64_to_u64(uint64_t a, int rm, unsigned *flags)
{
    return f_to_int(a, rm, flags, 0, 64, F64);
}
uint64_t sf64_from_i32(int32_t v, int rm, unsigned *flags)
{
    uint64_t mag = v < 0 ? 0 - (uint64_t)(int64_t)v : (uint64_t)v;
    return f_from_int(v < 0, mag, rm, flags, F64);
}
uint64_t sf64_from_u32(uint32_t v, int rm, unsigned *flags)
{
    return f_from_int(0, v, rm, flags, F64);
}
uint64_t sf64_from_i64(int64_t v, int rm, unsigned *flags)
{
    uint64_t mag = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    return f_from_int(v < 0, mag, rm, flags, F64);
}
uint64_t sf64_from_u64(uint64_t v, int rm, unsigned *flags)
{
    return f_from_int(0, v, rm, flags, F64);
}

uint32_t sf64_to_f32(uint64_t a, int rm, unsigned *flags)
{
    uint32_t s = (uint32_t)(a >> 63) << 31;
    if (SF_UNLIKELY(f_isspecial(a, F64))) {
        if (f_isnan(a, F64)) {
            if (f_issnan(a, F64))
                *flags |= SF_NV;
            return SF32_CANON_NAN;
        }
        return s | UINT32_C(0x7f800000);
    }
    if (f_iszero(a, F64))
        return s;
    int32_t e;
    uint64_t sig = f_unpack(a, &e, F64);
    return (uint32_t)round_pack((int)(a >> 63), e, sig, rm, flags, F32);
}
