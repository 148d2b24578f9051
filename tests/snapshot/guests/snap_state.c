/* Guest for the snapshot tests: keeps machine and OS state that plain
 * integer programs never have live at a split point, and changes it all
 * through the run, so splits land in every combination:
 *
 *   - F/D registers held across long loops, rounding modes switched with
 *     fsrm, accrued fflags (fcsr);
 *   - brk grown, written, shrunk and grown again;
 *   - anonymous mmap regions written, partly munmapped (pages that were
 *     non-zero become zero: "zero" pages in a snapshot), mapped again;
 *   - mprotect on loaded .rodata pages that are never written (a snapshot
 *     keeps only their permissions: "as-loaded" pages): one toggles between
 *     read-only and read-write, one becomes PROT_NONE for the last rounds;
 *   - a written .bss page written back to zeros, and an initialised .data
 *     page zeroed (a "zero" page whose loaded contents are not zero);
 *   - code generated into an mmap'd page, re-patched (mprotect RW, store,
 *     mprotect RX, fence.i) and called every iteration;
 *   - clock_gettime, which follows the cycle count, and AT_RANDOM bytes.
 *
 * Every round prints one checksum line; the exit status is 0 only if every
 * system call behaved as Linux specifies, so the state is really there.
 *
 * With argv[1] == "prot-none-roundtrip" it only checks that a loaded page
 * made PROT_NONE can be made readable again (exit 0 if so, as on Linux). */
#include "rt.h"

enum {
    NR_clock_gettime = 113,
    NR_brk = 214,
    NR_munmap = 215,
    NR_mmap = 222,
    NR_mprotect = 226,
    PROT_NONE = 0, PROT_READ = 1, PROT_WRITE = 2, PROT_EXEC = 4,
    MAP_PRIVATE = 0x02, MAP_ANONYMOUS = 0x20,
    PAGE = 4096,
};

#define ROUNDS 24

static int errors;
static uint64_t h = 0x243f6a8885a308d3ull;

static void mix(uint64_t v)
{
    h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
    h *= 0xff51afd7ed558ccdull;
}

static void expect(int cond, const char *what, long v)
{
    if (!cond) {
        rt_eprintf("unexpected: %s (%ld)\n", what, v);
        errors++;
    }
}

/* Never written: mprotect changes only its permissions. */
static const uint8_t ro_table[3 * PAGE] __attribute__((aligned(PAGE))) = {
    [0] = 1, [1] = 2, [PAGE - 1] = 3, [PAGE] = 4, [2 * PAGE - 1] = 5, [2 * PAGE] = 6,
};
static uint8_t zero_me[2 * PAGE] __attribute__((aligned(PAGE)));
/* Initialised: loaded non-zero, zeroed in odd rounds, refilled in even ones. */
static uint64_t data_page[PAGE / 8] __attribute__((aligned(PAGE))) = {
    [0] = 0x0123456789abcdefull, [1] = 1, [PAGE / 8 - 1] = 0xfedcba9876543210ull,
};

/* ---- floating point -------------------------------------------------------- */

static void set_rm(unsigned rm) { __asm__ volatile("fsrm %0" : : "r"(rm)); }
static unsigned get_fflags(void)
{
    unsigned v;
    __asm__ volatile("frflags %0" : "=r"(v));
    return v;
}
static double fsqrt_d(double x)
{
    double r;
    __asm__ volatile("fsqrt.d %0, %1" : "=f"(r) : "f"(x));
    return r;
}
static double fmadd_d(double a, double b, double c)
{
    double r;
    __asm__ volatile("fmadd.d %0, %1, %2, %3" : "=f"(r) : "f"(a), "f"(b), "f"(c));
    return r;
}
static float fdiv_s(float a, float b)
{
    float r;
    __asm__ volatile("fdiv.s %0, %1, %2" : "=f"(r) : "f"(a), "f"(b));
    return r;
}
static uint64_t dbits(double d)
{
    uint64_t u;
    memcpy(&u, &d, 8);
    return u;
}
static uint32_t fbits(float f)
{
    uint32_t u;
    memcpy(&u, &f, 4);
    return u;
}

static double fa = 1.0, fb = 0.1, fc = 3.0;
static float sa = 1.5f, sb = 0.3f;

static void fp_chunk(unsigned round)
{
    set_rm(round % 5); /* RNE, RTZ, RDN, RUP, RMM */
    /* Locals live in FP registers for the whole loop. */
    double a = fa, b = fb, c = fc;
    float x = sa, y = sb;
    for (int i = 0; i < 400; i++) {
        a = fmadd_d(a, 1.0000001, b);
        b = b / c + 1e-3;
        c = fsqrt_d(c + a) + 0.5;
        x = fdiv_s(x + y, 1.0001f);
        y = y * 1.01f - 0.0001f;
        if (a > 1e12)
            a = a / 1e9;
    }
    fa = a, fb = b, fc = c, sa = x, sb = y;
    mix(dbits(a));
    mix(dbits(b));
    mix(dbits(c));
    mix(fbits(x) ^ ((uint64_t)fbits(y) << 32));
    mix(get_fflags());
}

/* ---- generated code ------------------------------------------------------- */

typedef long (*jit_fn)(long);

static long jit_round(uint32_t *code, unsigned round)
{
    long acc = 0;
    for (int i = 0; i < 4; i++) {
        long r = rt_syscall(NR_mprotect, (long)code, PAGE, PROT_READ | PROT_WRITE, 0, 0, 0);
        expect(r == 0, "mprotect code RW", r);
        int32_t imm = (int32_t)((round * 4 + (unsigned)i) % 2047);
        code[0] = 0x00050513u | ((uint32_t)imm << 20); /* addi a0, a0, imm */
        code[1] = 0x00151513u;                          /* slli a0, a0, 1 */
        code[2] = 0x00008067u;                          /* ret */
        r = rt_syscall(NR_mprotect, (long)code, PAGE, PROT_READ | PROT_EXEC, 0, 0, 0);
        expect(r == 0, "mprotect code RX", r);
        __asm__ volatile("fence.i" ::: "memory");
        long v = ((jit_fn)(uintptr_t)code)(acc & 0xffff);
        expect(v == ((acc & 0xffff) + imm) * 2, "generated code result", v);
        acc += v;
    }
    return acc;
}

/* ---- memory ----------------------------------------------------------------- */

static long sys_mmap_anon(long len, int prot)
{
    return rt_syscall(NR_mmap, 0, len, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
}

static void brk_round(unsigned round, long base)
{
    long top = base + (long)(1 + round % 5) * 16 * PAGE;
    long r = rt_syscall(NR_brk, top, 0, 0, 0, 0, 0);
    expect(r == top, "brk grow", r);
    for (long p = base; p < top; p += PAGE)
        ((volatile uint8_t *)p)[(p / PAGE + round) % PAGE] = (uint8_t)(round + 1);
    long shrink = base + 8 * PAGE;
    r = rt_syscall(NR_brk, shrink, 0, 0, 0, 0, 0);
    expect(r == shrink, "brk shrink", r);
    uint64_t s = 0;
    for (long p = base; p < shrink; p += PAGE)
        s = s * 31 + ((volatile uint8_t *)p)[(p / PAGE + round) % PAGE];
    mix(s);
}

int main(int argc, char **argv, char **envp)
{
    if (argc > 1 && strcmp(argv[1], "prot-none-roundtrip") == 0) {
        long ro = (long)(uintptr_t)&ro_table[2 * PAGE];
        long a = rt_syscall(NR_mprotect, ro, PAGE, PROT_NONE, 0, 0, 0);
        long b = rt_syscall(NR_mprotect, ro, PAGE, PROT_READ, 0, 0, 0);
        rt_printf("mprotect(PROT_NONE) -> %ld, mprotect(PROT_READ) -> %ld\n", a, b);
        return a == 0 && b == 0 && ((volatile const uint8_t *)ro_table)[2 * PAGE] == 6 ? 0 : 1;
    }
    /* AT_RANDOM: 16 bytes from the seed. */
    char **e = envp;
    while (*e)
        e++;
    for (uint64_t *av = (uint64_t *)(e + 1); av[0]; av += 2)
        if (av[0] == 25) { /* AT_RANDOM */
            const uint8_t *r = (const uint8_t *)(uintptr_t)av[1];
            for (int i = 0; i < 16; i++)
                mix(r[i]);
        }

    long brk0 = rt_syscall(NR_brk, 0, 0, 0, 0, 0, 0);
    expect(brk0 > 0 && brk0 % PAGE == 0, "initial brk", brk0);
    long code = sys_mmap_anon(PAGE, PROT_READ | PROT_WRITE);
    expect(code > 0, "mmap code page", code);
    uint64_t last_ns = 0;

    for (unsigned round = 0; round < ROUNDS; round++) {
        /* 1. mappings: 8 pages, written, pages 2..4 unmapped, then remapped */
        long m = sys_mmap_anon(8 * PAGE, PROT_READ | PROT_WRITE);
        expect(m > 0, "mmap 8 pages", m);
        for (int p = 0; p < 8; p++)
            ((volatile uint64_t *)(m + p * PAGE))[round % 512] = 0x1111111111111111ull * (p + 1);
        long r = rt_syscall(NR_munmap, m + 2 * PAGE, 3 * PAGE, 0, 0, 0, 0);
        expect(r == 0, "munmap 3 pages", r);
        long m2 = sys_mmap_anon(3 * PAGE, PROT_READ | PROT_WRITE);
        expect(m2 > 0, "mmap 3 pages", m2);
        uint64_t s = 0;
        for (int p = 0; p < 3; p++)
            s += ((volatile uint64_t *)(m2 + p * PAGE))[round % 512]; /* fresh: zero */
        expect(s == 0, "fresh mapping is zero", (long)s);
        for (int p = 0; p < 8; p++)
            if (p < 2 || p > 4)
                mix(((volatile uint64_t *)(m + p * PAGE))[round % 512]);

        /* 2. as-loaded pages: one read-write in odd rounds, read-only in even
         * ones; the next one PROT_NONE from round ROUNDS-4 on */
        long ro = (long)(uintptr_t)&ro_table[PAGE];
        r = rt_syscall(NR_mprotect, ro, PAGE, PROT_READ | ((round & 1) ? PROT_WRITE : 0), 0, 0,
                       0);
        expect(r == 0, "mprotect rodata", r);
        if (round == ROUNDS - 4) {
            r = rt_syscall(NR_mprotect, ro + PAGE, PAGE, PROT_NONE, 0, 0, 0);
            expect(r == 0, "mprotect rodata PROT_NONE", r);
        }
        mix(((volatile const uint8_t *)ro_table)[PAGE] + ((volatile const uint8_t *)ro_table)[1]);

        /* 3. a bss page: non-zero in even rounds, zero again in odd rounds */
        for (int i = 0; i < PAGE; i += 512)
            zero_me[PAGE + i] = (round & 1) ? 0 : (uint8_t)(round + i / 512 + 1);

        uint64_t ds = 0;
        for (int i = 0; i < PAGE / 8; i++) {
            ds += ((volatile uint64_t *)data_page)[i];
            ((volatile uint64_t *)data_page)[i] = (round & 1) ? 0 : (uint64_t)(i + round);
        }
        mix(ds);

        /* 4. the heap */
        brk_round(round, brk0);

        /* 5. generated code, 6. floating point */
        mix((uint64_t)jit_round((uint32_t *)(uintptr_t)code, round));
        fp_chunk(round);

        /* 7. time follows the cycle count: strictly increasing */
        uint64_t ts[2] = {0, 0};
        r = rt_syscall(NR_clock_gettime, 1 /* CLOCK_MONOTONIC */, (long)ts, 0, 0, 0, 0);
        expect(r == 0, "clock_gettime", r);
        uint64_t ns = ts[0] * 1000000000ull + ts[1];
        expect(ns > last_ns, "monotonic clock advances", (long)(ns - last_ns));
        last_ns = ns;
        mix(ns);

        /* unmap what this round mapped, except in the last rounds */
        if (round + 2 < ROUNDS) {
            rt_syscall(NR_munmap, m, 2 * PAGE, 0, 0, 0, 0);
            rt_syscall(NR_munmap, m + 5 * PAGE, 3 * PAGE, 0, 0, 0, 0);
            rt_syscall(NR_munmap, m2, 3 * PAGE, 0, 0, 0, 0);
        }
        rt_printf("round %u: %lx\n", round, (unsigned long)h);
    }
    /* the as-loaded page must still hold its loaded contents */
    expect(((volatile const uint8_t *)ro_table)[PAGE] == 4 &&
               ((volatile const uint8_t *)ro_table)[2 * PAGE - 1] == 5,
           "rodata contents", ro_table[PAGE]);
    rt_printf("fp %lx %lx %lx fflags %x\n", (unsigned long)dbits(fa), (unsigned long)dbits(fb),
              (unsigned long)dbits(fc), get_fflags());
    rt_printf("checksum %lx errors %d\n", (unsigned long)h, errors);
    return errors ? 1 : 0;
}
