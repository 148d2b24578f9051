/*
 * rvvm_pool: machines handing their host mapping on to the next machine.
 *
 * A "writer" guest puts a secret on its stack, in its data, in memory from
 * brk and from mmap (Linux layer) and runs code; a "reader" guest at the
 * same addresses loads from all those places and exits with what it found
 * ORed together. A reader that takes the writer's mapping from the pool
 * must exit with 0 and run its own code, not the writer's decoded code. The
 * mapping a destroyed machine gives back is checked to be all zero by
 * reading every host page the host has committed (mincore), independently
 * of the library's own record of what it touched.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <cmocka.h>

#include "core/cpu.h"
#include "elfbuild.h"
#include "rvasm.h"

#define SECRET 0x5ec2e75ec2e75ec2ll

/* The Linux system calls used. */
#define SYS_BRK 214
#define SYS_MMAP 222
#define SYS_EXIT 93

static size_t build(rva_buf *b, bool write, bool linux_os)
{
    rva_init(b);
    emit_li(b, S0, write ? SECRET : 0);
    emit32(b, ADDI(S1, ZERO, 0));
    /* addresses: sp - 8, sp - 0x3000, EB_DATA + 8 */
    emit32(b, ADDI(T1, SP, -8));
    if (write)
        emit32(b, SD(S0, T1, 0));
    emit32(b, LD(T2, T1, 0));
    emit32(b, OR(S1, S1, T2));
    emit_li(b, T0, -0x3000);
    emit32(b, ADD(T1, SP, T0));
    if (write)
        emit32(b, SD(S0, T1, 0));
    emit32(b, LD(T2, T1, 0));
    emit32(b, OR(S1, S1, T2));
    emit_li(b, T1, (int64_t)EB_DATA + 8);
    if (write)
        emit32(b, SD(S0, T1, 0));
    emit32(b, LD(T2, T1, 0));
    emit32(b, OR(S1, S1, T2));
    if (linux_os) {
        /* brk(0), brk(old + 0x10000), then old + 0x8000 */
        emit32(b, ADDI(A0, ZERO, 0));
        emit32(b, ADDI(A7, ZERO, SYS_BRK));
        emit32(b, ECALL());
        emit32(b, ADDI(S2, A0, 0));
        emit_li(b, T0, 0x10000);
        emit32(b, ADD(A0, S2, T0));
        emit32(b, ECALL());
        emit_li(b, T0, 0x8000);
        emit32(b, ADD(T1, S2, T0));
        if (write)
            emit32(b, SD(S0, T1, 0));
        emit32(b, LD(T2, T1, 0));
        emit32(b, OR(S1, S1, T2));
        /* mmap(0, 0x10000, RW, PRIVATE | ANONYMOUS, -1, 0), then its byte 0x100 */
        emit32(b, ADDI(A0, ZERO, 0));
        emit_li(b, A1, 0x10000);
        emit32(b, ADDI(A2, ZERO, 3));
        emit32(b, ADDI(A3, ZERO, 0x22));
        emit32(b, ADDI(A4, ZERO, -1));
        emit32(b, ADDI(A5, ZERO, 0));
        emit32(b, ADDI(A7, ZERO, SYS_MMAP));
        emit32(b, ECALL());
        emit32(b, ADDI(T1, A0, 0x100));
        if (write)
            emit32(b, SD(S0, T1, 0));
        emit32(b, LD(T2, T1, 0));
        emit32(b, OR(S1, S1, T2));
    }
    /* exit(s1 != 0), plus 2 for the writer so the two are told apart */
    emit32(b, SLTU(A0, ZERO, S1));
    if (write)
        emit32(b, ADDI(A0, A0, 2));
    emit32(b, ADDI(A7, ZERO, SYS_EXIT));
    emit32(b, ECALL());
    return b->len;
}

typedef struct outcome {
    rvvm_stop_reason reason;
    int64_t exit_code;
    uint64_t cycles;
    uint8_t digest[32];
} outcome;

static rvvm_config config_for(uint64_t mem, bool linux_os, rvvm_pool *pool)
{
    rvvm_config cfg;
    rvvm_config_init(&cfg);
    cfg.memory_size = mem;
    cfg.os = linux_os ? RVVM_OS_LINUX : RVVM_OS_NONE;
    cfg.pool = pool;
    return cfg;
}

/* Bare machines stop at their exit ecall: the host handles it. */
static rvvm_ecall_action bare_exit(rvvm_machine *m, void *user, uint64_t *code)
{
    (void)m;
    (void)user;
    *code = 0;
    return RVVM_ECALL_STOP;
}

static outcome run_one(uint64_t mem, bool linux_os, rvvm_pool *pool, bool write)
{
    rvvm_config cfg = config_for(mem, linux_os, pool);
    rvvm_machine *m = eb_machine_config(&cfg);
    assert_non_null(m);
    rva_buf b;
    uint64_t data[4] = {0};
    eb_program p = {.code = b.bytes, .code_len = build(&b, write, linux_os), .data = data,
                    .data_len = sizeof data, .data_memsz = 0x2000};
    assert_int_equal(eb_load(m, &p), RVVM_OK);
    if (!linux_os)
        rvvm_set_ecall_handler(m, bare_exit, NULL);
    rvvm_run_result r;
    assert_int_equal(rvvm_run(m, RVVM_NO_LIMIT, &r), RVVM_OK);
    outcome o = {.reason = r.reason, .cycles = rvvm_cycles(m)};
    o.exit_code = linux_os ? r.exit_code : (int64_t)rvvm_reg(m, 10);
    assert_int_equal(rvvm_state_digest(m, o.digest), RVVM_OK);
    rvvm_destroy(m);
    return o;
}

/* Every committed host page of the mapping is zero. */
static void assert_mapping_zero(const uint8_t *map, size_t len)
{
    size_t pages = (len + RV_PAGE_MASK) >> RV_PAGE_SHIFT;
    unsigned char *vec = malloc(pages);
    assert_non_null(vec);
    assert_int_equal(mincore((void *)map, len, vec), 0);
    size_t resident = 0;
    for (size_t i = 0; i < pages; i++) {
        if (!(vec[i] & 1))
            continue;
        resident++;
        const uint8_t *pg = map + (i << RV_PAGE_SHIFT);
        for (size_t j = 0; j < RV_PAGE_SIZE; j++)
            if (pg[j])
                fail_msg("byte 0x%zx of the pooled mapping is 0x%02x", (i << RV_PAGE_SHIFT) + j,
                         pg[j]);
    }
    assert_true(resident > 0); /* the machine did touch it: the check saw something */
    free(vec);
}

static size_t mapping_len(uint64_t mem, bool linux_os)
{
    rvvm_config cfg = config_for(mem, linux_os, NULL);
    return rv_memory_mapping_size(mem, rv_code_front_size(&cfg, mem >> RV_PAGE_SHIFT));
}

static void check_isolation(uint64_t mem, bool linux_os)
{
    outcome fresh_w = run_one(mem, linux_os, NULL, true);
    outcome fresh_r = run_one(mem, linux_os, NULL, false);
    assert_int_equal(fresh_w.reason, linux_os ? RVVM_STOP_EXITED : RVVM_STOP_HOST);
    assert_int_equal(fresh_w.exit_code, 3); /* it read back its own secret */
    assert_int_equal(fresh_r.exit_code, 0);

    rvvm_pool *pool = rvvm_pool_create();
    assert_non_null(pool);
    /* The writer's mapping goes back to the pool: all zero. */
    outcome w = run_one(mem, linux_os, pool, true);
    size_t len = mapping_len(mem, linux_os);
    uint8_t *map = rv_pool_take(pool, len);
    assert_non_null(map);
    assert_mapping_zero(map, len);
    rv_pool_give(pool, map, len);
    /* A reader on it sees nothing of the writer's, and runs its own code. */
    outcome r = run_one(mem, linux_os, pool, false);
    assert_int_equal(r.exit_code, 0);
    /* Writer after reader after writer, all from the same mapping. */
    outcome w2 = run_one(mem, linux_os, pool, true);
    rvvm_pool_destroy(pool);

    /* Same cycles and state as without a pool. */
    const outcome *pairs[][2] = {{&fresh_w, &w}, {&fresh_r, &r}, {&fresh_w, &w2}};
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(pairs[i][0]->reason, pairs[i][1]->reason);
        assert_int_equal(pairs[i][0]->exit_code, pairs[i][1]->exit_code);
        assert_int_equal(pairs[i][0]->cycles, pairs[i][1]->cycles);
        assert_memory_equal(pairs[i][0]->digest, pairs[i][1]->digest, 32);
    }
}

static void isolation_linux_4m(void **state) { (void)state; check_isolation(4ull << 20, true); }
static void isolation_linux_256m(void **state) { (void)state; check_isolation(256ull << 20, true); }
static void isolation_bare_1m(void **state) { (void)state; check_isolation(1ull << 20, false); }

/* A forkable machine, and a template with forks, never use the pool. */
static void forkable_not_pooled(void **state)
{
    (void)state;
    rvvm_pool *pool = rvvm_pool_create();
    rvvm_config cfg = config_for(4ull << 20, true, pool);
    cfg.forkable = true;
    rvvm_machine *m = eb_machine_config(&cfg);
    assert_non_null(m);
    rvvm_destroy(m);
    assert_null(rv_pool_take(pool, mapping_len(4ull << 20, true)));

    cfg.forkable = false;
    rvvm_machine *t = eb_machine_config(&cfg);
    assert_non_null(t);
    rva_buf b;
    uint64_t data[4] = {0};
    eb_program p = {.code = b.bytes, .code_len = build(&b, true, true), .data = data,
                    .data_len = sizeof data};
    assert_int_equal(eb_load(t, &p), RVVM_OK);
    rvvm_machine *child = NULL;
    assert_int_equal(rvvm_fork(t, &child), RVVM_OK);
    assert_null(rvvm_get_config(child)->pool);
    rvvm_run_result r;
    assert_int_equal(rvvm_run(child, RVVM_NO_LIMIT, &r), RVVM_OK);
    assert_int_equal(r.exit_code, 3);
    rvvm_destroy(t);     /* its memory is the child's template: not pooled */
    rvvm_destroy(child);
    assert_null(rv_pool_take(pool, mapping_len(4ull << 20, true)));
    rvvm_pool_destroy(pool);
}

/* The pool may be destroyed before its machines; a full pool unmaps the rest. */
static void pool_lifetime(void **state)
{
    (void)state;
    rvvm_pool *pool = rvvm_pool_create();
    rvvm_config cfg = config_for(1ull << 20, false, pool);
    rvvm_machine *ms[RVVM_POOL_MAX_MAPPINGS + 4];
    for (size_t i = 0; i < sizeof ms / sizeof ms[0]; i++) {
        ms[i] = eb_machine_config(&cfg);
        assert_non_null(ms[i]);
    }
    rvvm_pool_destroy(pool); /* machines keep it alive */
    for (size_t i = 0; i < sizeof ms / sizeof ms[0]; i++)
        rvvm_destroy(ms[i]);
    rvvm_pool_destroy(NULL);
}

/* Many threads share one pool (run under ThreadSanitizer by scripts/sanitize.sh). */
typedef struct worker {
    rvvm_pool *pool;
    int bad;
} worker;

static void *work(void *arg)
{
    worker *w = arg;
    for (int i = 0; i < 40; i++) {
        rvvm_config cfg = config_for(4ull << 20, true, w->pool);
        rvvm_machine *m = eb_machine_config(&cfg);
        if (!m) {
            w->bad++;
            continue;
        }
        rva_buf b;
        bool write = i % 2 == 0;
        uint64_t data[4] = {0};
        eb_program p = {.code = b.bytes, .code_len = build(&b, write, true), .data = data,
                        .data_len = sizeof data};
        rvvm_run_result r;
        if (eb_load(m, &p) != RVVM_OK || rvvm_run(m, RVVM_NO_LIMIT, &r) != RVVM_OK ||
            r.exit_code != (write ? 3 : 0))
            w->bad++;
        rvvm_destroy(m);
    }
    return NULL;
}

static void threads_share_pool(void **state)
{
    (void)state;
    rvvm_pool *pool = rvvm_pool_create();
    pthread_t th[4];
    worker w[4];
    for (int i = 0; i < 4; i++) {
        w[i] = (worker){.pool = pool};
        assert_int_equal(pthread_create(&th[i], NULL, work, &w[i]), 0);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(th[i], NULL);
        assert_int_equal(w[i].bad, 0);
    }
    rvvm_pool_destroy(pool);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(isolation_linux_4m),   cmocka_unit_test(isolation_linux_256m),
        cmocka_unit_test(isolation_bare_1m),    cmocka_unit_test(forkable_not_pooled),
        cmocka_unit_test(pool_lifetime),        cmocka_unit_test(threads_share_pool),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
