/*
 * Guest threads through the library, on hand-assembled programs with the
 * unit cost model, so every turn of the scheduler can be computed by hand
 * from docs/threads.md: a slice of S cycles; the first turn after the first
 * clone begins at the clone's ecall; a stop of the caller's budget on a turn
 * boundary leaves the switch to the next rvvm_run.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "rvvm/rvvm.h"
#include "elfbuild.h"
#include "rvasm.h"

#define THREAD_FLAGS 0x50f00 /* CLONE_VM | FS | FILES | SIGHAND | THREAD */

static rvvm_machine *make(rvvm_os os)
{
    rvvm_config c;
    rvvm_config_init(&c);
    c.memory_size = 1ull << 20;
    c.os = os;
    assert_int_equal(rvvm_cost_model_builtin("unit", &c.cost_model), RVVM_OK);
    rvvm_machine *m = NULL;
    assert_int_equal(rvvm_create(&c, &m), RVVM_OK);
    return m;
}

static void load(rvvm_machine *m, const rva_buf *b)
{
    eb_program p = {.code = b->bytes, .code_len = b->len, .data_memsz = 0x2000};
    assert_int_equal(eb_load(m, &p), RVVM_OK);
}

static void run(rvvm_machine *m, uint64_t budget, rvvm_stop_reason want)
{
    rvvm_run_result r;
    assert_int_equal(rvvm_run(m, budget, &r), RVVM_OK);
    assert_int_equal(r.reason, want);
}

/*
 * clone, then the child counts in s1 and the parent in s2, each in a
 * two-instruction loop (addi; jal back).
 */
static void test_turns(void **state)
{
    (void)state;
    rva_buf b;
    rva_init(&b);
    emit_li(&b, A0, THREAD_FLAGS);
    emit32(&b, ADDI(A1, ZERO, 0)); /* keep the stack pointer */
    emit32(&b, ADDI(A7, ZERO, 220));
    uint64_t ecall = EB_TEXT + b.len;
    uint64_t c_e = b.len / 4; /* cycles before the ecall: one per instruction */
    emit32(&b, ECALL());
    emit32(&b, BNE(A0, ZERO, 12));
    uint64_t child = EB_TEXT + b.len;
    emit32(&b, ADDI(S1, S1, 1));
    emit32(&b, JAL(ZERO, -4));
    uint64_t parent = EB_TEXT + b.len;
    emit32(&b, ADDI(S2, S2, 1));
    emit32(&b, JAL(ZERO, -4));
    rvvm_machine *m = make(RVVM_OS_LINUX);
    load(m, &b);
    assert_int_equal(rvvm_set_thread_slice(m, 10), RVVM_OK);

    /* Parent's first turn, cycles c_e .. c_e+10: ecall, bne, 4 x (addi, jal). */
    run(m, c_e + 10, RVVM_STOP_CYCLE_LIMIT);
    assert_int_equal(rvvm_cycles(m), c_e + 10);
    assert_int_equal(rvvm_reg(m, A0), 2); /* the child's tid */
    assert_int_equal(rvvm_reg(m, S2), 4);
    assert_int_equal(rvvm_pc(m), parent);

    /* The budget stopped on the boundary: the switch comes first in the next run. */
    run(m, 1, RVVM_STOP_CYCLE_LIMIT);
    assert_int_equal(rvvm_reg(m, A0), 0); /* clone returned 0 in the child */
    assert_int_equal(rvvm_reg(m, S1), 0);
    assert_int_equal(rvvm_reg(m, S2), 0); /* the child's own registers */
    assert_int_equal(rvvm_pc(m), child);

    /* The child's turn: bne, then addi, jal, addi, jal, addi, jal, addi, jal, addi. */
    run(m, 9, RVVM_STOP_CYCLE_LIMIT);
    assert_int_equal(rvvm_reg(m, S1), 5);
    assert_int_equal(rvvm_pc(m), child + 4);

    /* Parent 10 (s2 4 -> 9). */
    run(m, 10, RVVM_STOP_CYCLE_LIMIT);
    assert_int_equal(rvvm_reg(m, S2), 9);
    assert_int_equal(rvvm_reg(m, A0), 2);
    assert_int_equal(rvvm_pc(m), parent);

    /* Child 10 (jal first: s1 5 -> 10), parent 10 (9 -> 14), child 5 (jal, addi, jal, addi,
     * jal: 10 -> 12). */
    run(m, 25, RVVM_STOP_CYCLE_LIMIT);
    assert_int_equal(rvvm_cycles(m), c_e + 55);
    assert_int_equal(rvvm_instructions(m), c_e + 55);
    assert_int_equal(rvvm_reg(m, S1), 12);
    assert_int_equal(rvvm_pc(m), child);

    /* A second machine run to the same cycle in one go is in the same state. */
    uint8_t d1[32], d2[32];
    assert_int_equal(rvvm_state_digest(m, d1), RVVM_OK);
    rvvm_machine *m2 = make(RVVM_OS_LINUX);
    load(m2, &b);
    assert_int_equal(rvvm_set_thread_slice(m2, 10), RVVM_OK);
    run(m2, c_e + 55, RVVM_STOP_CYCLE_LIMIT);
    assert_int_equal(rvvm_state_digest(m2, d2), RVVM_OK);
    assert_memory_equal(d1, d2, 32);
    assert_int_equal(rvvm_reg(m2, S1), 12);
    rvvm_destroy(m2);

    /* Single steps switch where runs do: c_e + 55 steps end in the same state. */
    m2 = make(RVVM_OS_LINUX);
    load(m2, &b);
    assert_int_equal(rvvm_set_thread_slice(m2, 10), RVVM_OK);
    for (uint64_t i = 0; i < c_e + 55; i++) {
        rvvm_step_info info;
        rvvm_run_result r;
        assert_int_equal(rvvm_step(m2, 1, &info, &r), RVVM_OK);
        assert_int_equal(r.reason, RVVM_STOP_CYCLE_LIMIT);
        assert_int_equal(info.cycles, i);
        if (i == c_e + 10) /* the child's first instruction, its bne after the ecall */
            assert_int_equal(info.pc, ecall + 4);
    }
    assert_int_equal(rvvm_pc(m2), child);
    assert_int_equal(rvvm_reg(m2, S1), 12);
    assert_int_equal(rvvm_state_digest(m2, d2), RVVM_OK);
    assert_memory_equal(d1, d2, 32);
    rvvm_destroy(m2);
    rvvm_destroy(m);

    /* In-place checkpoints and forks carry every thread and the scheduler: from cycle
     * c_e + 15 (the child mid-turn), 40 more cycles end in the same state after a restore
     * and in a fork. */
    m2 = make(RVVM_OS_LINUX);
    load(m2, &b);
    assert_int_equal(rvvm_set_thread_slice(m2, 10), RVVM_OK);
    run(m2, c_e + 15, RVVM_STOP_CYCLE_LIMIT);
    rvvm_checkpoint_id cp;
    assert_int_equal(rvvm_checkpoint(m2, &cp), RVVM_OK);
    run(m2, 40, RVVM_STOP_CYCLE_LIMIT);
    uint8_t da[32], db[32];
    assert_int_equal(rvvm_state_digest(m2, da), RVVM_OK);
    uint64_t pc_a = rvvm_pc(m2), s1_a = rvvm_reg(m2, S1), s2_a = rvvm_reg(m2, S2);
    assert_int_equal(rvvm_restore(m2, cp), RVVM_OK);
    run(m2, 40, RVVM_STOP_CYCLE_LIMIT);
    assert_int_equal(rvvm_state_digest(m2, db), RVVM_OK);
    assert_memory_equal(da, db, 32);
    assert_int_equal(rvvm_pc(m2), pc_a);
    assert_int_equal(rvvm_reg(m2, S1), s1_a);
    assert_int_equal(rvvm_reg(m2, S2), s2_a);
    assert_int_equal(rvvm_restore(m2, cp), RVVM_OK);
    rvvm_machine *kid = NULL;
    assert_int_equal(rvvm_fork(m2, &kid), RVVM_OK);
    run(kid, 40, RVVM_STOP_CYCLE_LIMIT);
    assert_int_equal(rvvm_state_digest(kid, db), RVVM_OK);
    assert_memory_equal(da, db, 32);
    rvvm_destroy(kid);
    rvvm_destroy(m2);

    assert_int_equal(rvvm_set_thread_slice(NULL, 10), RVVM_ERR_INVALID_ARGUMENT);
    m = make(RVVM_OS_NONE);
    assert_int_equal(rvvm_set_thread_slice(m, 0), RVVM_ERR_INVALID_ARGUMENT);
    assert_int_equal(rvvm_set_thread_slice(m, 10), RVVM_ERR_STATE);
    rvvm_destroy(m);
}

/* One thread waits on a futex nobody can wake: a deadlock fault at its ecall. With a
 * timeout it wakes instead, and guest time jumps to the deadline. */
static void test_deadlock_and_timeout(void **state)
{
    (void)state;
    rva_buf b;
    rva_init(&b);
    emit_li(&b, S1, (int64_t)EB_DATA);
    emit32(&b, SW(ZERO, S1, 0));    /* *futex = 0 */
    emit32(&b, SD(ZERO, S1, 16));   /* timespec: 1 s, 5 ns */
    emit32(&b, ADDI(T0, ZERO, 1));
    emit32(&b, SD(T0, S1, 16));
    emit32(&b, ADDI(T0, ZERO, 5));
    emit32(&b, SD(T0, S1, 24));
    emit32(&b, ADDI(A0, S1, 0));
    emit32(&b, ADDI(A1, ZERO, 128)); /* FUTEX_WAIT | FUTEX_PRIVATE_FLAG */
    emit32(&b, ADDI(A2, ZERO, 0));
    emit32(&b, ADDI(A3, S1, 16));
    emit32(&b, ADDI(A7, ZERO, 98));
    emit32(&b, ECALL());
    emit32(&b, ADDI(S2, A0, 0));     /* -ETIMEDOUT */
    emit32(&b, ADDI(A0, ZERO, 1));   /* CLOCK_MONOTONIC */
    emit32(&b, ADDI(A1, S1, 32));
    emit32(&b, ADDI(A7, ZERO, 113)); /* clock_gettime */
    emit32(&b, ECALL());
    emit32(&b, LD(S3, S1, 32));
    emit32(&b, LD(S4, S1, 40));
    /* Now with no timeout. */
    emit32(&b, ADDI(A0, S1, 0));
    emit32(&b, ADDI(A1, ZERO, 0));
    emit32(&b, ADDI(A2, ZERO, 0));
    emit32(&b, ADDI(A3, ZERO, 0));
    emit32(&b, ADDI(A7, ZERO, 98));
    uint64_t second = EB_TEXT + b.len;
    emit32(&b, ECALL());
    emit32(&b, ADDI(A7, ZERO, 93));
    emit32(&b, ECALL());
    rvvm_machine *m = make(RVVM_OS_LINUX);
    load(m, &b);
    rvvm_run_result r;
    assert_int_equal(rvvm_run(m, RVVM_NO_LIMIT, &r), RVVM_OK);
    assert_int_equal(r.reason, RVVM_STOP_FAULT);
    assert_int_equal(r.fault.kind, RVVM_FAULT_DEADLOCK);
    assert_int_equal(r.fault.pc, second);
    assert_int_equal(r.fault.address, 1); /* tid 1 */
    assert_int_equal(rvvm_reg(m, S2), (uint64_t)-110);
    /* The futex ecall is the 13th instruction: it sees the time at cycle 12, so its deadline
     * is 1 s + 5 ns + 12 ns, the time at which the thread goes on after the ecall (cycle 13).
     * clock_gettime's ecall comes 4 cycles later. */
    assert_int_equal(rvvm_reg(m, S3), 1);
    assert_int_equal(rvvm_reg(m, S4), 5 + 12 + 4);
    assert_string_equal(rvvm_fault_kind_string(RVVM_FAULT_DEADLOCK),
                        "deadlock: every thread is blocked");
    assert_int_equal(rvvm_fault_signal(RVVM_FAULT_DEADLOCK), 14);
    rvvm_destroy(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_turns),
        cmocka_unit_test(test_deadlock_and_timeout),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
