/*
 * Operand generators for the softfp tests: a small deterministic PRNG and
 * random binary32/binary64 bit patterns biased toward the values where
 * floating-point implementations go wrong (zeros, subnormals, the
 * normal/subnormal boundary, overflow boundary, powers of two, sparse
 * significands that make halfway cases, NaNs of both kinds, infinities,
 * integer conversion boundaries).
 *
 * The generators know the formats only by their field widths; they do not
 * share any logic with the implementation under test.
 */
#ifndef SOFTFP_TESTGEN_H
#define SOFTFP_TESTGEN_H

#include <stdint.h>

typedef struct { uint64_t s; } tg_rng;

static inline uint64_t tg_next(tg_rng *r)
{
    /* splitmix64 */
    uint64_t z = (r->s += UINT64_C(0x9e3779b97f4a7c15));
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

static inline uint32_t tg_below(tg_rng *r, uint32_t n) { return (uint32_t)(tg_next(r) % n); }

/* Format description: fraction bits and exponent bits. */
typedef struct { int mb, eb; } tg_fmt;
static const tg_fmt TG_F32 = { 23, 8 };
static const tg_fmt TG_F64 = { 52, 11 };

static inline uint64_t tg_fracmask(tg_fmt f) { return (UINT64_C(1) << f.mb) - 1; }
static inline int tg_bias(tg_fmt f) { return (1 << (f.eb - 1)) - 1; }
static inline int tg_emaxb(tg_fmt f) { return (1 << f.eb) - 1; }
static inline uint64_t tg_signbit(tg_fmt f) { return UINT64_C(1) << (f.mb + f.eb); }

static inline uint64_t tg_pack(tg_fmt f, int sign, int biased_exp, uint64_t frac)
{
    return (sign ? tg_signbit(f) : 0) | ((uint64_t)biased_exp << f.mb) | (frac & tg_fracmask(f));
}

/* A significand pattern: random, sparse (few set bits: halfway products and
 * sums), long runs of ones or zeros, or all-ones/all-zeros. */
static inline uint64_t tg_frac(tg_rng *r, tg_fmt f)
{
    uint64_t m = tg_fracmask(f);
    switch (tg_below(r, 10)) {
    case 0: return 0;
    case 1: return m;
    case 2: { /* top k bits random, rest zero */
        int k = (int)tg_below(r, (uint32_t)f.mb + 1);
        return k ? (tg_next(r) & m) & ~(m >> k) : 0;
    }
    case 3: { /* a few single bits */
        uint64_t v = 0;
        int n = 1 + (int)tg_below(r, 3);
        for (int i = 0; i < n; i++)
            v |= UINT64_C(1) << tg_below(r, (uint32_t)f.mb);
        return v;
    }
    case 4: { /* run of ones at the bottom or top */
        int k = (int)tg_below(r, (uint32_t)f.mb + 1);
        uint64_t low = k ? (m >> (f.mb - k)) : 0;
        return (tg_next(r) & 1) ? low : (m & ~(m >> k));
    }
    case 5: return m ^ (UINT64_C(1) << tg_below(r, (uint32_t)f.mb));
    case 6: return tg_next(r) & m & (tg_next(r) | tg_next(r)); /* denser */
    default: return tg_next(r) & m;
    }
}

/* One interesting operand. */
static inline uint64_t tg_value(tg_rng *r, tg_fmt f)
{
    int s = (int)(tg_next(r) & 1);
    int emaxb = tg_emaxb(f), bias = tg_bias(f);
    uint64_t m = tg_fracmask(f);
    switch (tg_below(r, 24)) {
    case 0: return tg_pack(f, s, 0, 0);                         /* zero */
    case 1: return tg_pack(f, s, emaxb, 0);                     /* inf */
    case 2: return tg_pack(f, s, emaxb, (UINT64_C(1) << (f.mb - 1)) | (tg_next(r) & m)); /* qNaN */
    case 3: {                                                    /* sNaN */
        uint64_t p = tg_next(r) & (m >> 1);
        return tg_pack(f, s, emaxb, p ? p : 1);
    }
    case 4: case 5: return tg_pack(f, s, 0, tg_frac(r, f) | (tg_below(r, 4) == 0)); /* subnormal */
    case 6: return tg_pack(f, s, 0, tg_below(r, 2) ? 1 : m);     /* min/max subnormal */
    case 7: return tg_pack(f, s, 1 + (int)tg_below(r, 3), tg_frac(r, f)); /* smallest normals */
    case 8: return tg_pack(f, s, emaxb - 1 - (int)tg_below(r, 3), tg_frac(r, f)); /* near overflow */
    case 9: return tg_pack(f, s, emaxb - 1, m);                  /* max finite */
    case 10: return tg_pack(f, s, 1 + (int)tg_below(r, (uint32_t)emaxb - 1), 0); /* power of two */
    case 11: { /* small integer */
        uint64_t v = 1 + tg_below(r, 1000);
        int e = 63 - __builtin_clzll(v);
        return tg_pack(f, s, bias + e, (v << (f.mb - e)) & m);
    }
    case 12: case 13: case 14: /* moderate exponent, patterned significand */
        return tg_pack(f, s, bias - 40 + (int)tg_below(r, 81), tg_frac(r, f));
    case 15: case 16: case 17: /* any finite exponent, patterned significand */
        return tg_pack(f, s, (int)tg_below(r, (uint32_t)emaxb), tg_frac(r, f));
    default: /* raw random bits */
        return tg_next(r) & ((tg_signbit(f) << 1) - 1);
    }
}

static inline int tg_expf(tg_fmt f, uint64_t v) { return (int)((v >> f.mb) & (uint64_t)tg_emaxb(f)); }
static inline uint64_t tg_with_exp(tg_fmt f, uint64_t v, int e)
{
    if (e < 0) e = 0;
    if (e > tg_emaxb(f)) e = tg_emaxb(f);
    return (v & ~((uint64_t)tg_emaxb(f) << f.mb)) | ((uint64_t)e << f.mb);
}

/*
 * Second operand related to the first: same or nearby exponent (alignment,
 * cancellation), a few ulps away with either sign, or an exponent chosen so
 * that a product (kind 'm') or quotient (kind 'd') lands near the underflow
 * or overflow thresholds.
 */
static inline uint64_t tg_partner(tg_rng *r, tg_fmt f, uint64_t a, char kind)
{
    int bias = tg_bias(f), emaxb = tg_emaxb(f);
    uint64_t sb = tg_signbit(f);
    int ea = tg_expf(f, a);
    switch (tg_below(r, 10)) {
    case 0: case 1: case 2: case 3:
        return tg_value(r, f);
    case 4: /* a few ulps away, random sign */
        return ((a & ~sb) + tg_below(r, 7) - 3) ^ ((tg_next(r) & 1) ? sb : 0);
    case 5: /* nearby exponent */
        return tg_with_exp(f, tg_value(r, f), ea + (int)tg_below(r, 2 * f.mb + 7) - f.mb - 3);
    case 6: /* same exponent, patterned significand, random sign */
        return tg_pack(f, (int)(tg_next(r) & 1), ea, tg_frac(r, f));
    default: { /* exponent that puts the result near a range boundary */
        int target;
        switch (tg_below(r, 3)) {
        case 0: target = 1 - (int)tg_below(r, (uint32_t)f.mb + 3); break; /* subnormal results */
        case 1: target = emaxb - 2 + (int)tg_below(r, 4); break;          /* overflow */
        default: target = bias + (int)tg_below(r, 5) - 2; break;
        }
        int e;
        if (kind == 'm')
            e = target - ea + bias;
        else if (kind == 'd')
            e = ea - target + bias;
        else
            e = ea + (int)tg_below(r, 5) - 2;
        if (e < 1) e = (int)tg_below(r, 2);
        if (e > emaxb - 1) e = emaxb - 1;
        return tg_pack(f, (int)(tg_next(r) & 1), e, tg_frac(r, f));
    }
    }
}

/* Integer operands for int->float conversions: boundaries, values with just
 * more significant bits than the format holds (halfway patterns), random. */
static inline uint64_t tg_int(tg_rng *r)
{
    switch (tg_below(r, 8)) {
    case 0: {
        static const uint64_t k[] = {
            0, 1, 2, 3, UINT64_C(0x7fffffff), UINT64_C(0x80000000), UINT64_C(0xffffffff),
            UINT64_C(0x100000000), UINT64_C(0x7fffffffffffffff), UINT64_C(0x8000000000000000),
            UINT64_C(0xffffffffffffffff), UINT64_C(0xfffffffffffffffe), UINT64_C(0xffffffff80000000),
            UINT64_C(0x1000001), UINT64_C(0x1000003), UINT64_C(0x20000000000001), UINT64_C(0x20000000000003),
        };
        return k[tg_below(r, sizeof k / sizeof k[0])];
    }
    case 1: case 2: { /* p+1 .. p+3 significant bits, shifted: ties and near ties */
        int bits = (tg_next(r) & 1 ? 24 : 53) + 1 + (int)tg_below(r, 3);
        uint64_t v = (UINT64_C(1) << (bits - 1)) | (tg_next(r) & ((UINT64_C(1) << (bits - 1)) - 1));
        if (tg_next(r) & 1)
            v = (v & ~UINT64_C(7)) | (tg_next(r) & 1 ? 1 : 4); /* sparse low bits */
        int sh = (int)tg_below(r, (uint32_t)(65 - bits));
        v <<= sh;
        return (tg_next(r) & 1) ? v : 0 - v;
    }
    case 3: return tg_next(r) >> tg_below(r, 64);
    case 4: return 0 - (tg_next(r) >> tg_below(r, 64));
    case 5: return (uint64_t)(int64_t)(int32_t)tg_next(r);
    case 6: return (uint32_t)tg_next(r);
    default: return tg_next(r);
    }
}

/* Float operands for float->int conversions: values at and around the
 * integer range limits, small values, halves and quarters (ties). The value
 * V * 2^-s (V an integer, significand truncated to the format) is nudged by
 * a few ulps. */
static inline uint64_t tg_conv_operand(tg_rng *r, tg_fmt f)
{
    if (tg_below(r, 4) == 0)
        return tg_value(r, f);
    static const uint64_t base[] = {
        0, 1, 2, 3, 5, UINT64_C(0x7fffffff), UINT64_C(0x80000000), UINT64_C(0xffffffff),
        UINT64_C(0x100000000), UINT64_C(0x7fffffffffffffff), UINT64_C(0x8000000000000000),
        UINT64_C(0xffffffffffffffff),
    };
    uint64_t v;
    int s = (int)tg_below(r, 3);
    if (tg_below(r, 3) == 0)
        v = tg_next(r) >> tg_below(r, 64);
    else
        v = base[tg_below(r, sizeof base / sizeof base[0])];
    /* V * 2^-s with a small offset; keep it in 64 bits */
    if (s && (v >> (64 - s)))
        s = 0;
    v = (v << s) + (uint64_t)((int)tg_below(r, 7) - 3);
    int sign = (int)(tg_next(r) & 1);
    if (v == 0)
        return tg_pack(f, sign, 0, 0);
    int msb = 63 - __builtin_clzll(v);
    uint64_t frac = msb >= f.mb ? v >> (msb - f.mb) : v << (f.mb - msb);
    uint64_t bits = tg_pack(f, sign, tg_bias(f) + msb - s, frac);
    return bits + (uint64_t)((int)tg_below(r, 5) - 2);
}

#endif /* SOFTFP_TESTGEN_H */
