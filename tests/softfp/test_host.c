/*
 * softfp against the host FPU (x86-64 SSE/FMA/x87).
 *
 * x86 SSE arithmetic is IEEE 754 correct and, like RISC-V, detects tininess
 * after rounding, so for the four IEEE rounding modes the host's results and
 * exception flags must match softfp bit for bit (after replacing host NaNs
 * by the RISC-V canonical NaN). Where x86 differs from RISC-V by design the
 * expectation is written out here instead of taken from the host:
 *   - float->int conversions: x86 returns "integer indefinite"; the expected
 *     value is computed from the host's round-to-integral (nearbyint, round)
 *     and the RISC-V saturation table;
 *   - fmin/fmax/compare/classify: small reference functions using host
 *     comparisons.
 * RMM (ties away) has no host mode: the reference is the host's RNE result
 * unless the exact result is a tie, in which case it is the host's result
 * rounded away from zero. Ties are detected by computing the operation in
 * x87 extended precision (64-bit significand), which represents every tie
 * exactly: the exact result is a tie iff that computation is exact and
 * equals the midpoint of the host's RTZ and away-from-zero results.
 *
 * The operands come from testgen.h. SOFTFP_HOST_N sets the number of operand
 * sets per operation and format (default 60000, each checked in all five
 * rounding modes).
 *
 * Build with -frounding-math -fno-fast-math. Host operations are inline
 * assembly so that the compiler cannot fold or reorder them.
 */
#include "common.h"

#include <fenv.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if !defined(__x86_64__)
int main(void)
{
    printf("host FPU oracle needs x86-64: skipped\n");
    return 77;
}
#else

#ifdef __clang__
#pragma STDC FENV_ACCESS ON
#endif



static const int host_modes[4] = { FE_TONEAREST, FE_TOWARDZERO, FE_DOWNWARD, FE_UPWARD };

static int have_fma;
static long n_checked, n_failed;

/* ---- host operations --------------------------------------------------------- */

static float f32v(uint64_t b) { uint32_t u = (uint32_t)b; float f; memcpy(&f, &u, 4); return f; }
static double f64v(uint64_t b) { double d; memcpy(&d, &b, 8); return d; }
static uint64_t f32b(float f) { uint32_t u; memcpy(&u, &f, 4); return u; }
static uint64_t f64b(double d) { uint64_t u; memcpy(&u, &d, 8); return u; }

static unsigned host_flags(void)
{
    int e = fetestexcept(FE_ALL_EXCEPT);
    return ((e & FE_INEXACT) ? SF_NX : 0) | ((e & FE_UNDERFLOW) ? SF_UF : 0) |
           ((e & FE_OVERFLOW) ? SF_OF : 0) | ((e & FE_DIVBYZERO) ? SF_DZ : 0) |
           ((e & FE_INVALID) ? SF_NV : 0);
}

#define H2(name, insn, T)                                                     \
    static T name(T x, T y)                                                   \
    {                                                                         \
        __asm__ volatile(insn " %1, %0" : "+x"(x) : "x"(y));                  \
        return x;                                                             \
    }
H2(h_adds, "addss", float)
H2(h_subs, "subss", float)
H2(h_muls, "mulss", float)
H2(h_divs, "divss", float)
H2(h_sqrts, "sqrtss", float)
H2(h_addd, "addsd", double)
H2(h_subd, "subsd", double)
H2(h_muld, "mulsd", double)
H2(h_divd, "divsd", double)
H2(h_sqrtd, "sqrtsd", double)

/* dst = op(a*b, dst) */
#define H3(name, insn, T)                                                     \
    static T name(T a, T b, T c)                                              \
    {                                                                         \
        __asm__ volatile(insn " %2, %1, %0" : "+x"(c) : "x"(a), "x"(b));      \
        return c;                                                             \
    }
H3(h_fmadds, "vfmadd231ss", float)    /*  a*b+c */
H3(h_fmsubs, "vfmsub231ss", float)    /*  a*b-c */
H3(h_fnmadds, "vfnmadd231ss", float)  /* -a*b+c */
H3(h_fnmsubs, "vfnmsub231ss", float)  /* -a*b-c */
H3(h_fmaddd, "vfmadd231sd", double)
H3(h_fmsubd, "vfmsub231sd", double)
H3(h_fnmaddd, "vfnmadd231sd", double)
H3(h_fnmsubd, "vfnmsub231sd", double)

static double h_s2d(float x) { double d; __asm__ volatile("cvtss2sd %1, %0" : "=x"(d) : "x"(x)); return d; }
static float h_d2s(double x) { float f; __asm__ volatile("cvtsd2ss %1, %0" : "=x"(f) : "x"(x)); return f; }
static float h_i32s(int32_t v) { float f = 0; __asm__ volatile("cvtsi2ssl %1, %0" : "+x"(f) : "r"(v)); return f; }
static float h_i64s(int64_t v) { float f = 0; __asm__ volatile("cvtsi2ssq %1, %0" : "+x"(f) : "r"(v)); return f; }
static double h_i32d(int32_t v) { double d = 0; __asm__ volatile("cvtsi2sdl %1, %0" : "+x"(d) : "r"(v)); return d; }
static double h_i64d(int64_t v) { double d = 0; __asm__ volatile("cvtsi2sdq %1, %0" : "+x"(d) : "r"(v)); return d; }
/* unsigned 64: halve with a sticky bit (rounds identically), convert, double */
static float h_u64s(uint64_t v)
{
    if ((int64_t)v >= 0)
        return h_i64s((int64_t)v);
    float f = h_i64s((int64_t)((v >> 1) | (v & 1)));
    return h_adds(f, f);
}
static double h_u64d(uint64_t v)
{
    if ((int64_t)v >= 0)
        return h_i64d((int64_t)v);
    double d = h_i64d((int64_t)((v >> 1) | (v & 1)));
    return h_addd(d, d);
}

/* ---- reference functions for the non-IEEE-mapped operations ------------------- */

static int is_nan_bits(int is64, uint64_t v)
{
    return is64 ? isnan(f64v(v)) : isnan(f32v(v));
}
static int is_snan_bits(int is64, uint64_t v)
{
    if (!is_nan_bits(is64, v))
        return 0;
    return is64 ? !(v & (UINT64_C(1) << 51)) : !(v & (UINT64_C(1) << 22));
}
static double val(int is64, uint64_t v) { return is64 ? f64v(v) : (double)f32v(v); }

static uint64_t canon(int is64) { return is64 ? SF64_CANON_NAN : SF32_CANON_NAN; }

static void ref_minmax(int is64, uint64_t a, uint64_t b, int want_max, uint64_t *r, unsigned *fl)
{
    int na = is_nan_bits(is64, a), nb = is_nan_bits(is64, b);
    *fl = (is_snan_bits(is64, a) || is_snan_bits(is64, b)) ? SF_NV : 0;
    if (na && nb) { *r = canon(is64); return; }
    if (na) { *r = b; return; }
    if (nb) { *r = a; return; }
    double x = val(is64, a), y = val(is64, b);
    if (x == y && x == 0) {
        int sa = signbit(x) != 0;
        /* -0 is the smaller */
        if (want_max)
            *r = sa ? b : a;
        else
            *r = sa ? a : b;
        return;
    }
    if (want_max)
        *r = x > y ? a : b;
    else
        *r = x < y ? a : b;
}

static void ref_cmp(int is64, int op, uint64_t a, uint64_t b, uint64_t *r, unsigned *fl)
{
    int any_nan = is_nan_bits(is64, a) || is_nan_bits(is64, b);
    int any_snan = is_snan_bits(is64, a) || is_snan_bits(is64, b);
    double x = val(is64, a), y = val(is64, b);
    *fl = 0;
    if (op == OP_EQ) {
        *fl = any_snan ? SF_NV : 0;
        *r = !any_nan && x == y;
    } else {
        *fl = any_nan ? SF_NV : 0;
        *r = !any_nan && (op == OP_LT ? x < y : x <= y);
    }
}

static uint64_t ref_class(int is64, uint64_t a)
{
    double x = val(is64, a);
    int neg = signbit(x) != 0;
    int cls = is64 ? fpclassify(x) : fpclassify(f32v(a));
    switch (cls) {
    case FP_INFINITE: return neg ? 1u << 0 : 1u << 7;
    case FP_NORMAL: return neg ? 1u << 1 : 1u << 6;
    case FP_SUBNORMAL: return neg ? 1u << 2 : 1u << 5;
    case FP_ZERO: return neg ? 1u << 3 : 1u << 4;
    default: return is_snan_bits(is64, a) ? 1u << 8 : 1u << 9;
    }
}

/* Float -> integer, from the host's rounding to integral and the RISC-V
 * saturation table. The host rounding mode must already be rm (0..3). */
static void ref_f2i(int is64, int op, uint64_t a, int rm, uint64_t *r, unsigned *fl)
{
    double x = val(is64, a);
    int sgn = op == OP_TO_I32 || op == OP_TO_I64;
    int w64 = op == OP_TO_I64 || op == OP_TO_U64;
    double lo = sgn ? (w64 ? -0x1p63 : -0x1p31) : 0.0;
    double hi_excl = sgn ? (w64 ? 0x1p63 : 0x1p31) : (w64 ? 0x1p64 : 0x1p32);
    uint64_t minv = sgn ? (w64 ? UINT64_C(1) << 63 : UINT64_C(0xffffffff80000000)) : 0;
    uint64_t maxv = sgn ? (w64 ? (UINT64_C(1) << 63) - 1 : 0x7fffffff) : (w64 ? ~UINT64_C(0) : ~UINT64_C(0));
    /* (u32 max 0xffffffff is sign-extended to all ones, as RV64 writes it) */
    *fl = 0;
    if (isnan(x)) {
        *fl = SF_NV;
        *r = maxv;
        return;
    }
    double t = rm == SF_RMM ? round(x) : nearbyint(x);
    if (t < lo) { *fl = SF_NV; *r = minv; return; }
    if (t >= hi_excl) { *fl = SF_NV; *r = maxv; return; }
    if (t != x)
        *fl = SF_NX;
    if (sgn)
        *r = (uint64_t)(int64_t)t;
    else if (w64)
        *r = (uint64_t)t;
    else
        *r = (uint64_t)(int64_t)(int32_t)(uint32_t)t;
}

/* Host result with the host rounding mode already set to rm (0..3). */
static void host_eval(int is64, int op, opnd o, int rm, uint64_t *r, unsigned *fl)
{
    uint64_t v = 0;
    if (op >= OP_MIN && op <= OP_MAX) {
        ref_minmax(is64, o.a, o.b, op == OP_MAX, r, fl);
        return;
    }
    if (op >= OP_EQ && op <= OP_LE) {
        ref_cmp(is64, op, o.a, o.b, r, fl);
        return;
    }
    if (op == OP_CLASS) {
        *r = ref_class(is64, o.a);
        *fl = 0;
        return;
    }
    if (op >= OP_TO_I32 && op <= OP_TO_U64) {
        ref_f2i(is64, op, o.a, rm, r, fl);
        return;
    }
    feclearexcept(FE_ALL_EXCEPT);
    if (!is64) {
        float a = f32v(o.a), b = f32v(o.b), c = f32v(o.c);
        switch (op) {
        case OP_ADD: v = f32b(h_adds(a, b)); break;
        case OP_SUB: v = f32b(h_subs(a, b)); break;
        case OP_MUL: v = f32b(h_muls(a, b)); break;
        case OP_DIV: v = f32b(h_divs(a, b)); break;
        case OP_SQRT: v = f32b(h_sqrts(0, a)); break;
        case OP_FMADD: v = f32b(h_fmadds(a, b, c)); break;
        case OP_FMSUB: v = f32b(h_fmsubs(a, b, c)); break;
        case OP_FNMSUB: v = f32b(h_fnmadds(a, b, c)); break;
        case OP_FNMADD: v = f32b(h_fnmsubs(a, b, c)); break;
        case OP_FROM_I32: v = f32b(h_i32s((int32_t)o.a)); break;
        case OP_FROM_U32: v = f32b(h_i64s((int64_t)(uint32_t)o.a)); break;
        case OP_FROM_I64: v = f32b(h_i64s((int64_t)o.a)); break;
        case OP_FROM_U64: v = f32b(h_u64s(o.a)); break;
        case OP_CVT: v = f64b(h_s2d(a)); break;
        }
    } else {
        double a = f64v(o.a), b = f64v(o.b), c = f64v(o.c);
        switch (op) {
        case OP_ADD: v = f64b(h_addd(a, b)); break;
        case OP_SUB: v = f64b(h_subd(a, b)); break;
        case OP_MUL: v = f64b(h_muld(a, b)); break;
        case OP_DIV: v = f64b(h_divd(a, b)); break;
        case OP_SQRT: v = f64b(h_sqrtd(0, a)); break;
        case OP_FMADD: v = f64b(h_fmaddd(a, b, c)); break;
        case OP_FMSUB: v = f64b(h_fmsubd(a, b, c)); break;
        case OP_FNMSUB: v = f64b(h_fnmaddd(a, b, c)); break;
        case OP_FNMADD: v = f64b(h_fnmsubd(a, b, c)); break;
        case OP_FROM_I32: v = f64b(h_i32d((int32_t)o.a)); break;
        case OP_FROM_U32: v = f64b(h_i64d((int64_t)(uint32_t)o.a)); break;
        case OP_FROM_I64: v = f64b(h_i64d((int64_t)o.a)); break;
        case OP_FROM_U64: v = f64b(h_u64d(o.a)); break;
        case OP_CVT: v = f32b(h_d2s(a)); break;
        }
    }
    *fl = host_flags();
    int r64 = result_is64(is64, op);
    if (is_nan_bits(r64, v))
        v = canon(r64);
    /* RISC-V requires NV for (Inf x 0) + qNaN; IEEE leaves it optional (x86 may not raise it). */
    if (op >= OP_FMADD && op <= OP_FNMADD && is_nan_bits(is64, o.c)) {
        double x = val(is64, o.a), y = val(is64, o.b);
        if ((isinf(x) && y == 0) || (x == 0 && isinf(y)))
            *fl |= SF_NV;
    }
    *r = v;
}

/*
 * Whether the exact result of op is a tie (a midpoint between the two
 * representable values lo and away, lo != away), computed in x87 extended
 * precision. Returns 0 when undecidable here (f64 fused multiply-add).
 */
static int exact_is_tie(int is64, int op, opnd o, uint64_t lo, uint64_t away)
{
    int r64 = result_is64(is64, op);
    long double x;
    volatile long double va, vb, vc;
    if (op >= OP_FMADD && op <= OP_FNMADD && is64)
        return -1;
    feclearexcept(FE_ALL_EXCEPT);
    if (op >= OP_FROM_I32 && op <= OP_FROM_U64) {
        uint64_t i = o.a;
        switch (op) {
        case OP_FROM_I32: x = (long double)(int32_t)i; break;
        case OP_FROM_U32: x = (long double)(uint32_t)i; break;
        case OP_FROM_I64: x = (long double)(int64_t)i; break;
        default: x = (long double)i; break;
        }
    } else {
        va = val(is64, o.a);
        vb = val(is64, o.b);
        vc = val(is64, o.c);
        switch (op) {
        case OP_ADD: x = va + vb; break;
        case OP_SUB: x = va - vb; break;
        case OP_MUL: x = va * vb; break;
        case OP_DIV: x = va / vb; break;
        case OP_SQRT: x = va; __asm__ volatile("fsqrt" : "+t"(x)); break;
        case OP_FMADD: x = va * vb + vc; break;
        case OP_FMSUB: x = va * vb - vc; break;
        case OP_FNMSUB: x = -(va * vb) + vc; break;
        case OP_FNMADD: x = -(va * vb) - vc; break;
        case OP_CVT: x = va; break;
        default: return 0;
        }
    }
    if (fetestexcept(FE_INEXACT))
        return 0; /* needs more than 64 bits: not a tie */
    long double l = val(r64, lo), h = val(r64, away);
    if (isinf(h)) /* rounding away from the largest finite value */
        h = copysignl(r64 ? 0x1p1024L : 0x1p128L, h);
    if (l == h)
        return 0;
    return x == (l + h) / 2;
}

/* ---- driver ------------------------------------------------------------------- */

static void report(int is64, int op, int rm, opnd o, uint64_t er, unsigned ef, uint64_t gr, unsigned gf)
{
    n_failed++;
    if (n_failed > 30)
        return;
    printf("MISMATCH f%d %s %s a=%016llx b=%016llx c=%016llx: expected %016llx fl=%02x, got %016llx fl=%02x\n",
           is64 ? 64 : 32, op_names[op], rm_names[rm], (unsigned long long)o.a, (unsigned long long)o.b,
           (unsigned long long)o.c, (unsigned long long)er, ef, (unsigned long long)gr, gf);
}



int main(void)
{
    long n = 60000;
    const char *env = getenv("SOFTFP_HOST_N");
    if (env && atol(env) > 0)
        n = atol(env);
    uint64_t seed = 12345;
    const char *senv = getenv("SOFTFP_SEED");
    if (senv)
        seed = strtoull(senv, NULL, 0);
    __builtin_cpu_init();
    have_fma = __builtin_cpu_supports("fma");
    if (!have_fma)
        printf("note: host has no FMA: fused multiply-add not checked against the host\n");

    opnd *ops = malloc(sizeof *ops * (size_t)n);
    uint64_t(*hr)[4] = malloc(sizeof *hr * (size_t)n);
    unsigned(*hf)[4] = malloc(sizeof *hf * (size_t)n);
    if (!ops || !hr || !hf)
        return 1;

    for (int is64 = 0; is64 < 2; is64++) {
        for (int op = 0; op < OP_COUNT; op++) {
            if (!have_fma && op >= OP_FMADD && op <= OP_FNMADD)
                continue;
            tg_rng rng = { seed ^ ((uint64_t)(is64 * 64 + op) << 40) };
            for (long i = 0; i < n; i++)
                gen(&rng, is64, op, &ops[i]);
            long fails_before = n_failed;
            int r64 = result_is64(is64, op);
            uint64_t rmask = (r64 || !is_float_result(op)) ? ~UINT64_C(0) : 0xffffffffu;
            for (int rm = 0; rm < 4; rm++) {
                fesetround(host_modes[rm]);
                for (long i = 0; i < n; i++) {
                    host_eval(is64, op, ops[i], rm, &hr[i][rm], &hf[i][rm]);
                }
                fesetround(FE_TONEAREST);
                for (long i = 0; i < n; i++) {
                    uint64_t gr;
                    unsigned gf;
                    sf_eval(is64, op, ops[i], rm, &gr, &gf);
                    n_checked++;
                    if ((gr & rmask) != (hr[i][rm] & rmask) || gf != hf[i][rm])
                        report(is64, op, rm, ops[i], hr[i][rm], hf[i][rm], gr, gf);
                }
            }
            /* RMM */
            for (long i = 0; i < n; i++) {
                uint64_t er, gr;
                unsigned ef, gf;
                if (op >= OP_TO_I32 && op <= OP_TO_U64) {
                    ref_f2i(is64, op, ops[i].a, SF_RMM, &er, &ef);
                } else if (!op_has_rm(op) || !is_float_result(op)) {
                    er = hr[i][0];
                    ef = hf[i][0];
                } else {
                    uint64_t rne = hr[i][SF_RNE];
                    int neg = (rne >> (r64 ? 63 : 31)) & 1;
                    int away = neg ? SF_RDN : SF_RUP;
                    int t = exact_is_tie(is64, op, ops[i], hr[i][SF_RTZ], hr[i][away]);
                    if (t < 0)
                        continue; /* f64 FMA: covered by the vectors and qemu tests */
                    er = t ? hr[i][away] : rne;
                    ef = t ? hf[i][away] : hf[i][SF_RNE];
                }
                sf_eval(is64, op, ops[i], SF_RMM, &gr, &gf);
                n_checked++;
                if ((gr & rmask) != (er & rmask) || gf != ef)
                    report(is64, op, SF_RMM, ops[i], er, ef, gr, gf);
            }
            if (n_failed != fails_before)
                printf("f%d %s: %ld mismatches\n", is64 ? 64 : 32, op_names[op], n_failed - fails_before);
        }
    }
    free(ops);
    free(hr);
    free(hf);
    printf("softfp host oracle (%ld operand sets per op and format, 5 modes)\n", n);
    printf("host: %ld passed, %ld failed\n", n_checked - n_failed, n_failed);
    return n_failed ? 1 : 0;
}
#endif
