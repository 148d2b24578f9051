/* Shared by the softfp oracle tests: operation names, softfp dispatch and
 * operand generation per operation. */
#ifndef SOFTFP_TEST_COMMON_H
#define SOFTFP_TEST_COMMON_H

#include "core/softfp.h"
#include "ops.h"
#include "testgen.h"

#include <stdint.h>

static const char *const op_names[OP_COUNT] __attribute__((unused)) = {
    "add", "sub", "mul", "div", "sqrt", "fmadd", "fmsub", "fnmsub", "fnmadd",
    "min", "max", "eq", "lt", "le", "classify",
    "to_i32", "to_u32", "to_i64", "to_u64", "from_i32", "from_u32", "from_i64", "from_u64", "cvt",
};

static const char *const rm_names[5] __attribute__((unused)) = { "rne", "rtz", "rdn", "rup", "rmm" };

typedef struct { uint64_t a, b, c; } opnd;

static inline int is_float_result(int op)
{
    return !(op == OP_EQ || op == OP_LT || op == OP_LE || op == OP_CLASS ||
             (op >= OP_TO_I32 && op <= OP_TO_U64));
}

static inline int op_has_rm(int op)
{
    return !(op >= OP_MIN && op <= OP_CLASS);
}

/* result format is 64-bit? */
static inline int result_is64(int is64, int op)
{
    if (op == OP_CVT)
        return !is64;
    return is64;
}

static inline void sf_eval(int is64, int op, opnd o, int rm, uint64_t *r, unsigned *fl)
{
    unsigned f = 0;
    uint64_t v = 0;
    if (!is64) {
        uint32_t a = (uint32_t)o.a, b = (uint32_t)o.b, c = (uint32_t)o.c;
        switch (op) {
        case OP_ADD: v = sf32_add(a, b, rm, &f); break;
        case OP_SUB: v = sf32_sub(a, b, rm, &f); break;
        case OP_MUL: v = sf32_mul(a, b, rm, &f); break;
        case OP_DIV: v = sf32_div(a, b, rm, &f); break;
        case OP_SQRT: v = sf32_sqrt(a, rm, &f); break;
        case OP_FMADD: v = sf32_fmadd(a, b, c, rm, &f); break;
        case OP_FMSUB: v = sf32_fmsub(a, b, c, rm, &f); break;
        case OP_FNMSUB: v = sf32_fnmsub(a, b, c, rm, &f); break;
        case OP_FNMADD: v = sf32_fnmadd(a, b, c, rm, &f); break;
        case OP_MIN: v = sf32_min(a, b, &f); break;
        case OP_MAX: v = sf32_max(a, b, &f); break;
        case OP_EQ: v = (uint64_t)sf32_eq(a, b, &f); break;
        case OP_LT: v = (uint64_t)sf32_lt(a, b, &f); break;
        case OP_LE: v = (uint64_t)sf32_le(a, b, &f); break;
        case OP_CLASS: v = sf32_classify(a); break;
        case OP_TO_I32: v = (uint64_t)sf32_to_i32(a, rm, &f); break;
        case OP_TO_U32: v = sf32_to_u32(a, rm, &f); break;
        case OP_TO_I64: v = (uint64_t)sf32_to_i64(a, rm, &f); break;
        case OP_TO_U64: v = sf32_to_u64(a, rm, &f); break;
        case OP_FROM_I32: v = sf32_from_i32((int32_t)o.a, rm, &f); break;
        case OP_FROM_U32: v = sf32_from_u32((uint32_t)o.a, rm, &f); break;
        case OP_FROM_I64: v = sf32_from_i64((int64_t)o.a, rm, &f); break;
        case OP_FROM_U64: v = sf32_from_u64(o.a, rm, &f); break;
        case OP_CVT: v = sf32_to_f64(a, &f); break;
        }
    } else {
        uint64_t a = o.a, b = o.b, c = o.c;
        switch (op) {
        case OP_ADD: v = sf64_add(a, b, rm, &f); break;
        case OP_SUB: v = sf64_sub(a, b, rm, &f); break;
        case OP_MUL: v = sf64_mul(a, b, rm, &f); break;
        case OP_DIV: v = sf64_div(a, b, rm, &f); break;
        case OP_SQRT: v = sf64_sqrt(a, rm, &f); break;
        case OP_FMADD: v = sf64_fmadd(a, b, c, rm, &f); break;
        case OP_FMSUB: v = sf64_fmsub(a, b, c, rm, &f); break;
        case OP_FNMSUB: v = sf64_fnmsub(a, b, c, rm, &f); break;
        case OP_FNMADD: v = sf64_fnmadd(a, b, c, rm, &f); break;
        case OP_MIN: v = sf64_min(a, b, &f); break;
        case OP_MAX: v = sf64_max(a, b, &f); break;
        case OP_EQ: v = (uint64_t)sf64_eq(a, b, &f); break;
        case OP_LT: v = (uint64_t)sf64_lt(a, b, &f); break;
        case OP_LE: v = (uint64_t)sf64_le(a, b, &f); break;
        case OP_CLASS: v = sf64_classify(a); break;
        case OP_TO_I32: v = (uint64_t)sf64_to_i32(a, rm, &f); break;
        case OP_TO_U32: v = sf64_to_u32(a, rm, &f); break;
        case OP_TO_I64: v = (uint64_t)sf64_to_i64(a, rm, &f); break;
        case OP_TO_U64: v = sf64_to_u64(a, rm, &f); break;
        case OP_FROM_I32: v = sf64_from_i32((int32_t)o.a, rm, &f); break;
        case OP_FROM_U32: v = sf64_from_u32((uint32_t)o.a, rm, &f); break;
        case OP_FROM_I64: v = sf64_from_i64((int64_t)o.a, rm, &f); break;
        case OP_FROM_U64: v = sf64_from_u64(o.a, rm, &f); break;
        case OP_CVT: v = sf64_to_f32(a, rm, &f); break;
        }
    }
    *r = v;
    *fl = f;
}

/*
 * Steer an operand so that the exact result lands within a few ulps of a
 * range boundary (smallest normal, largest finite) or of a random subnormal,
 * where the tininess-after-rounding and overflow rules bite. softfp is used
 * here only to pick operands, never to compute an expectation.
 */
static inline void steer(tg_rng *r, int is64, int op, opnd *o)
{
    tg_fmt f = is64 ? TG_F64 : TG_F32;
    unsigned fl = 0;
    uint64_t t;
    switch (tg_below(r, 3)) {
    case 0: t = tg_pack(f, 0, 1, 0); break;                       /* smallest normal */
    case 1: t = tg_pack(f, 0, tg_emaxb(f) - 1, tg_fracmask(f)); break; /* largest finite */
    default: t = tg_pack(f, 0, 0, tg_frac(r, f) | 1); break;      /* subnormal */
    }
    t = (t + tg_below(r, 3) - 1) | ((tg_next(r) & 1) ? tg_signbit(f) : 0);
    int rm = (int)tg_below(r, 4);
    uint64_t d = tg_below(r, 5) - 2;
    if (is64) {
        switch (op) {
        case OP_MUL: o->b = sf64_div(t, o->a, rm, &fl) + d; break;
        case OP_DIV: o->b = sf64_div(o->a, t, rm, &fl) + d; break;
        case OP_ADD: o->b = sf64_sub(t, o->a, rm, &fl) + d; break;
        case OP_SUB: o->b = sf64_sub(o->a, t, rm, &fl) + d; break;
        case OP_FMADD: o->c = sf64_sub(t, sf64_mul(o->a, o->b, rm, &fl), rm, &fl) + d; break;
        default: break;
        }
    } else {
        uint32_t a = (uint32_t)o->a, b = (uint32_t)o->b, tt = (uint32_t)t;
        switch (op) {
        case OP_MUL: o->b = (uint32_t)(sf32_div(tt, a, rm, &fl) + d); break;
        case OP_DIV: o->b = (uint32_t)(sf32_div(a, tt, rm, &fl) + d); break;
        case OP_ADD: o->b = (uint32_t)(sf32_sub(tt, a, rm, &fl) + d); break;
        case OP_SUB: o->b = (uint32_t)(sf32_sub(a, tt, rm, &fl) + d); break;
        case OP_FMADD: o->c = (uint32_t)(sf32_sub(tt, sf32_mul(a, b, rm, &fl), rm, &fl) + d); break;
        default: break;
        }
    }
}

static inline void gen(tg_rng *r, int is64, int op, opnd *o)
{
    tg_fmt f = is64 ? TG_F64 : TG_F32;
    uint64_t mask = is64 ? ~UINT64_C(0) : 0xffffffffu;
    o->a = o->b = o->c = 0;
    if (op >= OP_FROM_I32 && op <= OP_FROM_U64) {
        o->a = tg_int(r);
        return;
    }
    if (op >= OP_TO_I32 && op <= OP_TO_U64) {
        o->a = tg_conv_operand(r, f);
        return;
    }
    char kind = op == OP_MUL || (op >= OP_FMADD && op <= OP_FNMADD) ? 'm' : op == OP_DIV ? 'd' : 'a';
    o->a = tg_value(r, f);
    o->b = tg_partner(r, f, o->a, kind);
    if (op >= OP_FMADD && op <= OP_FNMADD) {
        switch (tg_below(r, 4)) {
        case 0: /* cancel the product (nearly) exactly */
        case 1: {
            unsigned fl = 0;
            uint64_t p = is64 ? sf64_mul(o->a, o->b, (int)tg_below(r, 5), &fl)
                              : sf32_mul((uint32_t)o->a, (uint32_t)o->b, (int)tg_below(r, 5), &fl);
            uint64_t sb = is64 ? SF64_SIGN : SF32_SIGN;
            o->c = (p + tg_below(r, 5) - 2) ^ ((op == OP_FMADD || op == OP_FNMADD) ? sb : 0);
            /* (generated with softfp only to steer operands; never an expectation) */
            break;
        }
        case 2: o->c = tg_partner(r, f, o->a, 'a'); break;
        default: o->c = tg_value(r, f); break;
        }
    }
    if (tg_below(r, 4) == 0)
        steer(r, is64, op, o);
    if (op == OP_CVT && is64 && tg_below(r, 2)) /* doubles around binary32's range limits */
        o->a = tg_pack(f, (int)(tg_next(r) & 1),
                       tg_below(r, 2) ? 1023 - 126 - (int)tg_below(r, 27) : 1023 + 126 + (int)tg_below(r, 3),
                       tg_frac(r, f));
    if (op == OP_SQRT && tg_below(r, 3) == 0) /* perfect squares and near them */
        o->a = is64 ? sf64_mul(o->b & ~SF64_SIGN, o->b & ~SF64_SIGN, SF_RNE, &(unsigned){ 0 })
                    : sf32_mul((uint32_t)(o->b & ~SF32_SIGN), (uint32_t)(o->b & ~SF32_SIGN), SF_RNE, &(unsigned){ 0 });
    o->a &= mask;
    o->b &= mask;
    o->c &= mask;
}

#endif /* SOFTFP_TEST_COMMON_H */
