/*
 * softfp against the hand-written vectors in vectors.h, plus API-level
 * checks (flag accumulation, NaN-boxing helpers, canonical NaN constants).
 */
#include "common.h"
#include "vectors.h"

#include <stdio.h>

static long n_pass, n_fail;

static void check(int ok, const char *what)
{
    if (ok) {
        n_pass++;
    } else {
        n_fail++;
        printf("FAIL %s\n", what);
    }
}

int main(void)
{
    for (size_t i = 0; i < SF_NVECTORS; i++) {
        const sf_vector *v = &sf_vectors[i];
        int lo = v->rm == V_ALL ? 0 : v->rm, hi = v->rm == V_ALL ? 4 : v->rm;
        int r64 = result_is64(v->is64, v->op);
        uint64_t mask = (is_float_result(v->op) && !r64) ? 0xffffffffu : ~UINT64_C(0);
        for (int rm = lo; rm <= hi; rm++) {
            uint64_t r;
            unsigned fl;
            sf_eval(v->is64, v->op, (opnd){ v->a, v->b, v->c }, rm, &r, &fl);
            if ((r & mask) == (v->r & mask) && fl == v->fl) {
                n_pass++;
                continue;
            }
            n_fail++;
            printf("FAIL vector %zu: f%d %s %s a=%016llx b=%016llx c=%016llx: expected %016llx fl=%02x, got %016llx fl=%02x\n",
                   i, v->is64 ? 64 : 32, op_names[v->op], rm_names[rm], (unsigned long long)v->a,
                   (unsigned long long)v->b, (unsigned long long)v->c, (unsigned long long)(v->r & mask), v->fl,
                   (unsigned long long)(r & mask), fl);
        }
    }

    /* flags are OR-ed into *flags, never cleared */
    unsigned fl = SF_DZ;
    check(sf32_add(S_ONE, S_ONE, SF_RNE, &fl) == S_TWO && fl == SF_DZ, "exact op keeps earlier flags");
    sf64_div(D_ONE, D_THREE, SF_RNE, &fl);
    check(fl == (SF_DZ | SF_NX), "inexact op adds NX to earlier flags");
    fl = 0;
    sf32_to_i32(S_PINF, SF_RTZ, &fl);
    sf32_to_i32(0x3fc00000u, SF_RTZ, &fl);
    check(fl == (SF_NV | SF_NX), "conversion flags accumulate");
    /* operations without rounding never raise NX for exact widening */
    fl = 0;
    check(sf64_from_i32(INT32_MIN, SF_RDN, &fl) == UINT64_C(0xc1e0000000000000) && fl == 0, "fcvt.d.w exact");
    check(sf64_from_u32(UINT32_MAX, SF_RUP, &fl) == UINT64_C(0x41efffffffe00000) && fl == 0, "fcvt.d.wu exact");
    /* raw return types */
    fl = 0;
    check(sf32_to_i32(0xcf000000u, SF_RNE, &fl) == INT32_MIN, "fcvt.w.s returns a sign-extended int64");
    check(sf32_to_u32(S_PINF, SF_RNE, &fl) == UINT64_MAX, "fcvt.wu.s max is sign-extended");
    check((uint32_t)sf64_to_u32(UINT64_C(0x41efffffffe00000), SF_RNE, &fl) == UINT32_MAX, "low 32 bits of fcvt.wu.d");
    check(sf64_to_i64(UINT64_C(0xc3e0000000000000), SF_RNE, &fl) == INT64_MIN, "fcvt.l.d -2^63");
    /* NaN helpers */
    check(SF32_CANON_NAN == 0x7fc00000u && SF64_CANON_NAN == UINT64_C(0x7ff8000000000000), "canonical NaNs");
    check(sf32_isnan(S_QNANP) && sf32_isnan(S_SNAN) && !sf32_isnan(S_PINF), "sf32_isnan");
    check(sf32_issnan(S_SNAN) && !sf32_issnan(S_QNAN) && !sf32_issnan(S_ONE), "sf32_issnan");
    check(sf64_isnan(D_SNAN) && !sf64_isnan(D_NINF) && sf64_issnan(D_SNAN2) && !sf64_issnan(D_QNANP), "sf64 NaN tests");
    check(sf_box32(S_ONE) == UINT64_C(0xffffffff3f800000), "sf_box32");
    check(sf_unbox32(UINT64_C(0xffffffff40000000)) == S_TWO, "sf_unbox32 boxed");
    check(sf_unbox32(UINT64_C(0x3ff0000000000000)) == S_CANON, "sf_unbox32 unboxed -> canonical NaN");
    check(sf_unbox32(UINT64_C(0xfffffffe3f800000)) == S_CANON, "sf_unbox32 partly boxed");
    /* classify never raises flags; is exactly one bit */
    for (uint32_t x = 0; x < 0x100000u; x++) {
        uint32_t v = x * 0x1003u + (x >> 7);
        unsigned c = sf32_classify(v);
        if (c == 0 || (c & (c - 1)) || c >= 1u << 10) {
            check(0, "fclass.s one-hot");
            break;
        }
    }
    n_pass++;

    printf("%zu vectors\n", SF_NVECTORS);
    printf("vectors: %ld passed, %ld failed\n", n_pass, n_fail);
    return n_fail ? 1 : 0;
}
