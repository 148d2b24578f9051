/* Exercises the A and M extensions: LR/SC retry loops, every AMO (both
 * widths, with and without aq/rl, with and without a result register) and
 * the multiply/divide corner cases. Each section folds its results into a
 * checksum so a mismatch points at the section.
 *
 * On RISC-V every operation is inline asm. The #else branches are C
 * models of the ISA semantics, used only when building natively to
 * cross-check the expected output. */
#include "rt.h"

typedef int64_t i64;
typedef uint64_t u64;
typedef int32_t i32;
typedef uint32_t u32;

static u64 mix(u64 h, u64 v)
{
    h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
    return h * 0xff51afd7ed558ccdull;
}

static u64 rng_state = 0x123456789abcdefull;

static u64 rng(void)
{
    /* xorshift64 */
    u64 x = rng_state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return rng_state = x;
}

/* ---- LR/SC ---- */

/* fetch-and-add via lr.d/sc.d; sc's rd and rs2 share a register on
 * purpose (the VM must read rs2 before writing rd). */
static i64 lrsc_fetch_add_d(i64 *p, i64 v)
{
#if defined(__riscv)
    i64 old, tmp;
    __asm__ volatile("1: lr.d.aq %0, (%2)\n"
                     "   add %1, %0, %3\n"
                     "   sc.d.rl %1, %1, (%2)\n"
                     "   bnez %1, 1b"
                     : "=&r"(old), "=&r"(tmp)
                     : "r"(p), "r"(v)
                     : "memory");
    return old;
#else
    i64 old = *p;
    *p = (i64)((u64)old + (u64)v);
    return old;
#endif
}

/* 32-bit compare-and-swap via lr.w/sc.w; returns the (sign-extended) old
 * value, which equals expected on success. */
static i64 lrsc_cas_w(i32 *p, i32 expected, i32 desired)
{
#if defined(__riscv)
    i64 old;
    long fail;
    __asm__ volatile("1: lr.w %0, (%2)\n"
                     "   bne %0, %3, 2f\n"
                     "   sc.w %1, %4, (%2)\n"
                     "   bnez %1, 1b\n"
                     "2:"
                     : "=&r"(old), "=&r"(fail)
                     : "r"(p), "r"((i64)expected), "r"((i64)desired)
                     : "memory");
    return old;
#else
    i32 old = *p;
    if (old == expected)
        *p = desired;
    return old;
#endif
}

/* sc.d straight after a successful sc.d has no reservation: it must fail
 * (non-zero rd) and leave memory alone. Returns first_rc | second_rc != 0. */
static int lrsc_double_sc(i64 *p, i64 v1, i64 v2, i64 *loaded)
{
#if defined(__riscv)
    i64 old;
    long rc1, rc2;
    __asm__ volatile("   lr.d %0, (%3)\n"
                     "   sc.d %1, %4, (%3)\n"
                     "   sc.d %2, %5, (%3)\n"
                     : "=&r"(old), "=&r"(rc1), "=&r"(rc2)
                     : "r"(p), "r"(v1), "r"(v2)
                     : "memory");
    *loaded = old;
    return (rc1 != 0) | ((rc2 != 0) << 1);
#else
    (void)v2;
    *loaded = *p;
    *p = v1;
    return 2;
#endif
}

static u64 section_lrsc(void)
{
    static i64 counter;
    static i32 word = -5;
    u64 h = 1;
    for (int i = 0; i < 3000; i++) {
        i64 delta = (i64)(rng() >> 40) - (1 << 23);
        h = mix(h, (u64)lrsc_fetch_add_d(&counter, delta));

        /* 32-bit LCG step applied through a CAS retry loop */
        i32 cur = word;
        i32 next = (i32)((u32)cur * 1103515245u + 12345u);
        i64 seen = lrsc_cas_w(&word, cur, next);
        h = mix(h, (u64)seen);
        /* a CAS with a wrong expectation must fail and return the value */
        seen = lrsc_cas_w(&word, next ^ 1, 77);
        h = mix(h, (u64)seen ^ (u64)(i64)word);
    }
    i64 loaded;
    int rc = lrsc_double_sc(&counter, 1234, 5678, &loaded);
    rt_printf("lrsc: counter=%ld word=%d double_sc=%d after=%ld\n", (long)loaded, (int)word, rc,
              (long)counter);
    h = mix(h, (u64)loaded);
    h = mix(h, (u64)counter);
    h = mix(h, (u64)rc);
    return h;
}

/* ---- AMOs ---- */

#if defined(__riscv)
/* One function per instruction, since the mnemonic must be a literal. */
#define DEF_AMO(fn, insn)                                                               \
    static i64 fn(void *p, i64 v)                                                       \
    {                                                                                   \
        i64 old;                                                                        \
        __asm__ volatile(insn " %0, %2, (%1)" : "=r"(old) : "r"(p), "r"(v) : "memory"); \
        return old;                                                                     \
    }
DEF_AMO(amoadd_d, "amoadd.d")
DEF_AMO(amoswap_d_aq, "amoswap.d.aq")
DEF_AMO(amoand_d, "amoand.d")
DEF_AMO(amoor_d_rl, "amoor.d.rl")
DEF_AMO(amoxor_d, "amoxor.d")
DEF_AMO(amomax_d, "amomax.d")
DEF_AMO(amomin_d_aqrl, "amomin.d.aqrl")
DEF_AMO(amomaxu_d, "amomaxu.d")
DEF_AMO(amominu_d, "amominu.d")
DEF_AMO(amoadd_w, "amoadd.w")
DEF_AMO(amoswap_w, "amoswap.w")
DEF_AMO(amoand_w_aqrl, "amoand.w.aqrl")
DEF_AMO(amoor_w, "amoor.w")
DEF_AMO(amoxor_w_aq, "amoxor.w.aq")
DEF_AMO(amomax_w, "amomax.w")
DEF_AMO(amomin_w, "amomin.w")
DEF_AMO(amomaxu_w_rl, "amomaxu.w.rl")
DEF_AMO(amominu_w, "amominu.w")
#endif

static i64 amo_d(int op, i64 *p, i64 v)
{
#if defined(__riscv)
    switch (op) {
    case 0: return amoadd_d(p, v);
    case 1: return amoswap_d_aq(p, v);
    case 2: return amoand_d(p, v);
    case 3: return amoor_d_rl(p, v);
    case 4: return amoxor_d(p, v);
    case 5: return amomax_d(p, v);
    case 6: return amomin_d_aqrl(p, v);
    case 7: return amomaxu_d(p, v);
    default: return amominu_d(p, v);
    }
#else
    i64 old = *p;
    u64 a = (u64)old, b = (u64)v, r;
    switch (op) {
    case 0: r = a + b; break;
    case 1: r = b; break;
    case 2: r = a & b; break;
    case 3: r = a | b; break;
    case 4: r = a ^ b; break;
    case 5: r = old > v ? a : b; break;
    case 6: r = old < v ? a : b; break;
    case 7: r = a > b ? a : b; break;
    default: r = a < b ? a : b; break;
    }
    *p = (i64)r;
    return old;
#endif
}

/* .w AMOs use only the low 32 bits of rs2 and return the old word
 * sign-extended to 64 bits. */
static i64 amo_w(int op, i32 *p, i64 v)
{
#if defined(__riscv)
    switch (op) {
    case 0: return amoadd_w(p, v);
    case 1: return amoswap_w(p, v);
    case 2: return amoand_w_aqrl(p, v);
    case 3: return amoor_w(p, v);
    case 4: return amoxor_w_aq(p, v);
    case 5: return amomax_w(p, v);
    case 6: return amomin_w(p, v);
    case 7: return amomaxu_w_rl(p, v);
    default: return amominu_w(p, v);
    }
#else
    i32 old = *p;
    u32 a = (u32)old, b = (u32)v, r;
    switch (op) {
    case 0: r = a + b; break;
    case 1: r = b; break;
    case 2: r = a & b; break;
    case 3: r = a | b; break;
    case 4: r = a ^ b; break;
    case 5: r = old > (i32)b ? a : b; break;
    case 6: r = old < (i32)b ? a : b; break;
    case 7: r = a > b ? a : b; break;
    default: r = a < b ? a : b; break;
    }
    *p = (i32)r;
    return old;
#endif
}

/* AMOs whose rd is x0: only the memory side effect is visible. */
static void amo_noret(i64 *pd, i32 *pw, i64 v)
{
#if defined(__riscv)
    __asm__ volatile("amoadd.d zero, %1, (%0)" : : "r"(pd), "r"(v) : "memory");
    __asm__ volatile("amoxor.w zero, %1, (%0)" : : "r"(pw), "r"(v) : "memory");
#else
    *pd = (i64)((u64)*pd + (u64)v);
    *pw = (i32)((u32)*pw ^ (u32)v);
#endif
}

static u64 section_amo(void)
{
    static i64 dcells[4] = { 0, -1, 0x7fffffffffffffffll, (i64)0x8000000000000000ull };
    static i32 wcells[4] = { 0, -1, 0x7fffffff, (i32)0x80000000u };
    u64 h = 2;
    for (int i = 0; i < 4000; i++) {
        u64 r = rng();
        int op = (int)(r % 9);
        int cell = (int)((r >> 8) & 3);
        /* shift the operand range around so both small and huge values,
         * and both signs, show up */
        i64 v = (i64)(rng() >> ((r >> 16) & 63));
        if (r & (1ull << 30))
            v = -v;
        h = mix(h, (u64)amo_d(op, &dcells[cell], v));
        h = mix(h, (u64)amo_w(op, &wcells[cell], v));
        if ((i & 15) == 0)
            amo_noret(&dcells[(cell + 1) & 3], &wcells[(cell + 2) & 3], v);
    }
    for (int c = 0; c < 4; c++) {
        rt_printf("amo: d[%d]=%lx w[%d]=%x\n", c, (unsigned long)dcells[c], c, (unsigned)wcells[c]);
        h = mix(h, (u64)dcells[c]);
        h = mix(h, (u64)(i64)wcells[c]);
    }
    return h;
}

/* ---- M extension ---- */

enum { M_MUL, M_MULH, M_MULHU, M_MULHSU, M_MULW, M_DIV, M_DIVU, M_REM, M_REMU,
       M_DIVW, M_DIVUW, M_REMW, M_REMUW, M_COUNT };

static const char *const m_names[M_COUNT] = {
    "mul", "mulh", "mulhu", "mulhsu", "mulw", "div", "divu",
    "rem", "remu", "divw", "divuw", "remw", "remuw",
};

#if defined(__riscv)
#define DEF_RR(fn, insn)                                                    \
    static i64 fn(i64 a, i64 b)                                             \
    {                                                                       \
        i64 out;                                                            \
        __asm__ volatile(insn " %0, %1, %2" : "=r"(out) : "r"(a), "r"(b)); \
        return out;                                                         \
    }
DEF_RR(rv_mul, "mul")
DEF_RR(rv_mulh, "mulh")
DEF_RR(rv_mulhu, "mulhu")
DEF_RR(rv_mulhsu, "mulhsu")
DEF_RR(rv_mulw, "mulw")
DEF_RR(rv_div, "div")
DEF_RR(rv_divu, "divu")
DEF_RR(rv_rem, "rem")
DEF_RR(rv_remu, "remu")
DEF_RR(rv_divw, "divw")
DEF_RR(rv_divuw, "divuw")
DEF_RR(rv_remw, "remw")
DEF_RR(rv_remuw, "remuw")
#endif

static i64 m_op(int op, i64 a, i64 b)
{
#if defined(__riscv)
    switch (op) {
    case M_MUL: return rv_mul(a, b);
    case M_MULH: return rv_mulh(a, b);
    case M_MULHU: return rv_mulhu(a, b);
    case M_MULHSU: return rv_mulhsu(a, b);
    case M_MULW: return rv_mulw(a, b);
    case M_DIV: return rv_div(a, b);
    case M_DIVU: return rv_divu(a, b);
    case M_REM: return rv_rem(a, b);
    case M_REMU: return rv_remu(a, b);
    case M_DIVW: return rv_divw(a, b);
    case M_DIVUW: return rv_divuw(a, b);
    case M_REMW: return rv_remw(a, b);
    default: return rv_remuw(a, b);
    }
#else
    u64 ua = (u64)a, ub = (u64)b;
    i32 wa = (i32)a, wb = (i32)b;
    u32 uwa = (u32)a, uwb = (u32)b;
    switch (op) {
    case M_MUL: return (i64)(ua * ub);
    case M_MULH: return (i64)(((__int128)a * (__int128)b) >> 64);
    case M_MULHU: return (i64)(((unsigned __int128)ua * ub) >> 64);
    case M_MULHSU: return (i64)(((__int128)a * (__int128)ub) >> 64);
    case M_MULW: return (i32)(uwa * uwb);
    case M_DIV:
        if (b == 0) return -1;
        if (a == INT64_MIN && b == -1) return INT64_MIN;
        return a / b;
    case M_DIVU: return b == 0 ? -1 : (i64)(ua / ub);
    case M_REM:
        if (b == 0) return a;
        if (a == INT64_MIN && b == -1) return 0;
        return a % b;
    case M_REMU: return b == 0 ? a : (i64)(ua % ub);
    case M_DIVW:
        if (wb == 0) return -1;
        if (wa == INT32_MIN && wb == -1) return INT32_MIN;
        return wa / wb;
    case M_DIVUW: return uwb == 0 ? -1 : (i32)(uwa / uwb);
    case M_REMW:
        if (wb == 0) return wa;
        if (wa == INT32_MIN && wb == -1) return 0;
        return wa % wb;
    default: return uwb == 0 ? (i32)uwa : (i32)(uwa % uwb);
    }
#endif
}

static const i64 m_values[] = {
    0, 1, -1, 2, -2, 7, -7, 3,
    INT64_MIN, INT64_MAX, INT32_MIN, INT32_MAX,
    (i64)0x80000000ll, (i64)0xffffffffll, (i64)0x100000000ll, (i64)0xffffffff80000000ull,
    (i64)0x123456789abcdef0ll, (i64)0xfedcba9876543210ull,
};
#define M_NVALUES ((int)(sizeof m_values / sizeof m_values[0]))

static u64 section_muldiv(void)
{
    u64 total = 3;
    for (int op = 0; op < M_COUNT; op++) {
        u64 h = (u64)op;
        for (int i = 0; i < M_NVALUES; i++) {
            for (int j = 0; j < M_NVALUES; j++)
                h = mix(h, (u64)m_op(op, m_values[i], m_values[j]));
        }
        for (int k = 0; k < 300; k++) {
            i64 a = (i64)rng(), b = (i64)(rng() >> (k & 63));
            h = mix(h, (u64)m_op(op, a, b));
        }
        rt_printf("muldiv: %-6s %lx\n", m_names[op], (unsigned long)h);
        total = mix(total, h);
    }
    /* spot checks whose values follow directly from the spec */
    rt_printf("muldiv: div(-7,2)=%ld rem(-7,2)=%ld divu(7,0)=%lx rem(5,0)=%ld\n",
              (long)m_op(M_DIV, -7, 2), (long)m_op(M_REM, -7, 2),
              (unsigned long)m_op(M_DIVU, 7, 0), (long)m_op(M_REM, 5, 0));
    rt_printf("muldiv: div(min,-1)=%lx divw(0x80000000,-1)=%lx remuw(-1,0)=%lx\n",
              (unsigned long)m_op(M_DIV, INT64_MIN, -1),
              (unsigned long)m_op(M_DIVW, 0x80000000ll, -1),
              (unsigned long)m_op(M_REMUW, -1, 0));
    rt_printf("muldiv: mulh(-1,-1)=%ld mulhu(-1,-1)=%lx mulhsu(-1,-1)=%ld\n",
              (long)m_op(M_MULH, -1, -1), (unsigned long)m_op(M_MULHU, -1, -1),
              (long)m_op(M_MULHSU, -1, -1));
    return total;
}

int main(int argc, char **argv, char **envp)
{
    (void)argc;
    (void)argv;
    (void)envp;
    u64 a = section_lrsc();
    rt_printf("lrsc checksum %lx\n", (unsigned long)a);
    u64 b = section_amo();
    rt_printf("amo checksum %lx\n", (unsigned long)b);
    u64 c = section_muldiv();
    rt_printf("muldiv checksum %lx\n", (unsigned long)c);
    rt_printf("checksum %lx\n", (unsigned long)mix(mix(a, b), c));
    return 0;
}
