/*
 * rvvm_step: one instruction at a time on the interpreter's metering. A
 * hand-assembled program is stepped under the weighted cost model; each
 * step's cycles, register write and memory access are checked against values
 * worked out by hand, and the end state against a fast run of the same
 * program. Also: a budget too small for the next instruction runs nothing,
 * a fused pair is stepped one instruction at a time, steps and fast runs mix,
 * and a faulting instruction is reported and not charged.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "elfbuild.h"
#include "rvasm.h"

#define FMV_D_X_FA0_A3 0xf2068553u /* fmv.d.x fa0,a3: funct7 0x79, rs1 13, rd 10 */

typedef struct expect {
    uint32_t enc;
    unsigned len;
    rvvm_cost_class cls;
    char reg_file; /* 0: none */
    unsigned reg;
    uint64_t value;
    rvvm_step_access access;
    uint64_t addr;
    unsigned size;
    uint64_t mem;
} expect;

static size_t program(expect *e, rva_buf *b)
{
    size_t n = 0;
#define X(enc_, len_, cls_, rf_, reg_, val_, acc_, addr_, size_, mem_)                             \
    e[n++] = (expect){(enc_), (len_), RVVM_COST_##cls_, (rf_), (reg_), (val_), RVVM_ACCESS_##acc_, \
                      (addr_), (size_), (mem_)}
    X(LUI(T0, EB_DATA >> 12), 4, ALU, 'x', T0, EB_DATA, NONE, 0, 0, 0);
    X(ADDI(A1, ZERO, 7), 4, ALU, 'x', A1, 7, NONE, 0, 0, 0);
    X(SD(A1, T0, 8), 4, STORE, 0, 0, 0, STORE, EB_DATA + 8, 8, 7);
    X(LW(A2, T0, 8), 4, LOAD, 'x', A2, 7, LOAD, EB_DATA + 8, 4, 7); /* lw + addi: fused */
    X(ADDI(A3, A2, 1), 4, ALU, 'x', A3, 8, NONE, 0, 0, 0);
    X(C_ADDI(A3, 1), 2, ALU, 'x', A3, 9, NONE, 0, 0, 0);
    X(FMV_D_X_FA0_A3, 4, FP, 'f', 10, 9, NONE, 0, 0, 0);
    X(AMO_W(AMO_ADD, A4, A1, T0), 4, ATOMIC, 'x', A4, 0, STORE, EB_DATA, 4, 7);
    X(ADDI(A0, ZERO, 3), 4, ALU, 'x', A0, 3, NONE, 0, 0, 0);
    X(ADDI(A7, ZERO, 93), 4, ALU, 'x', A7, 93, NONE, 0, 0, 0);
    X(ECALL(), 4, ECALL, 0, 0, 0, NONE, 0, 0, 0); /* exit(3) */
#undef X
    rva_init(b);
    for (size_t i = 0; i < n; i++) {
        if (e[i].len == 2)
            emit16(b, e[i].enc);
        else
            emit32(b, e[i].enc);
    }
    return n;
}

static rvvm_machine *machine(const rva_buf *b)
{
    static const uint8_t data[16] = {0};
    eb_program p = {.code = b->bytes, .code_len = b->len, .data = data, .data_len = sizeof data};
    rvvm_machine *m = eb_machine("weighted", 0);
    assert_non_null(m);
    assert_int_equal(eb_load(m, &p), RVVM_OK);
    return m;
}

static void test_step_program(void **state)
{
    (void)state;
    expect e[16];
    rva_buf b;
    size_t n = program(e, &b);
    rvvm_cost_model w;
    assert_int_equal(rvvm_cost_model_builtin("weighted", &w), RVVM_OK);

    rvvm_machine *m = machine(&b);
    uint64_t pc = EB_TEXT, cycles = 0;
    for (size_t i = 0; i < n; i++) {
        rvvm_step_info in;
        rvvm_run_result r;
        /* One cycle short of its cost: nothing runs. */
        assert_int_equal(rvvm_step(m, w.cost[e[i].cls] - 1, &in, &r), RVVM_OK);
        assert_int_equal(r.reason, RVVM_STOP_CYCLE_LIMIT);
        assert_false(in.retired);
        assert_int_equal(rvvm_cycles(m), cycles);
        assert_int_equal(rvvm_pc(m), pc);

        assert_int_equal(rvvm_step(m, RVVM_NO_LIMIT, &in, &r), RVVM_OK);
        if (!in.retired)
            print_error("step %zu: reason %d kind %d addr %llx, cycles %llu, instret %llu\n", i, (int)r.reason, (int)r.fault.kind, (unsigned long long)r.fault.address,
                        (unsigned long long)rvvm_cycles(m), (unsigned long long)rvvm_instructions(m));
        assert_true(in.retired);
        assert_int_equal(in.pc, pc);
        assert_int_equal(in.encoding, e[i].enc);
        assert_int_equal(in.length, e[i].len);
        assert_int_equal(in.cycles, cycles);
        assert_int_equal(in.instret, i);
        assert_int_equal(in.reg_file, e[i].reg_file);
        if (e[i].reg_file) {
            assert_int_equal(in.reg, e[i].reg);
            assert_int_equal(in.reg_value, e[i].value); /* fmv.d.x: the integer's bits */
        }
        assert_int_equal(in.access, e[i].access);
        if (e[i].access != RVVM_ACCESS_NONE) {
            assert_int_equal(in.mem_addr, e[i].addr);
            assert_int_equal(in.mem_size, e[i].size);
            assert_int_equal(in.mem_value, e[i].mem);
        }
        cycles += w.cost[e[i].cls];
        pc += e[i].len;
        assert_int_equal(rvvm_cycles(m), cycles);
        assert_int_equal(rvvm_instructions(m), i + 1);
        assert_int_equal(r.reason, i + 1 == n ? RVVM_STOP_EXITED : RVVM_STOP_CYCLE_LIMIT);
    }
    rvvm_run_result r;

    /* The same end state as a fast run. */
    rvvm_machine *f = machine(&b);
    assert_int_equal(rvvm_run(f, RVVM_NO_LIMIT, &r), RVVM_OK);
    assert_int_equal(r.reason, RVVM_STOP_EXITED);
    assert_int_equal(r.exit_code, 3);
    assert_int_equal(rvvm_cycles(f), cycles);
    uint8_t d1[32], d2[32];
    assert_int_equal(rvvm_state_digest(m, d1), RVVM_OK);
    assert_int_equal(rvvm_state_digest(f, d2), RVVM_OK);
    assert_memory_equal(d1, d2, 32);

    /* An exited machine cannot step. */
    rvvm_step_info in;
    assert_int_equal(rvvm_step(m, RVVM_NO_LIMIT, &in, &r), RVVM_ERR_STATE);
    rvvm_destroy(m);
    rvvm_destroy(f);
}

/* Steps and fast runs mix: k steps, then a fast run, at every k. */
static void test_step_then_run(void **state)
{
    (void)state;
    expect e[16];
    rva_buf b;
    size_t n = program(e, &b);
    rvvm_machine *f = machine(&b);
    rvvm_run_result r;
    assert_int_equal(rvvm_run(f, RVVM_NO_LIMIT, &r), RVVM_OK);
    uint8_t want[32];
    assert_int_equal(rvvm_state_digest(f, want), RVVM_OK);
    for (size_t k = 0; k < n; k++) {
        rvvm_machine *m = machine(&b);
        /* A fast run first, so the code is decoded and fused before stepping. */
        assert_int_equal(rvvm_run(m, 0, &r), RVVM_OK);
        for (size_t i = 0; i < k; i++) {
            rvvm_step_info in;
            assert_int_equal(rvvm_step(m, RVVM_NO_LIMIT, &in, &r), RVVM_OK);
            assert_true(in.retired);
        }
        assert_int_equal(rvvm_instructions(m), k);
        assert_int_equal(rvvm_run(m, RVVM_NO_LIMIT, &r), RVVM_OK);
        assert_int_equal(r.reason, RVVM_STOP_EXITED);
        assert_int_equal(rvvm_cycles(m), rvvm_cycles(f));
        uint8_t got[32];
        assert_int_equal(rvvm_state_digest(m, got), RVVM_OK);
        assert_memory_equal(got, want, 32);
        rvvm_destroy(m);
    }
    rvvm_destroy(f);
}

static void test_step_fault(void **state)
{
    (void)state;
    rva_buf b;
    rva_init(&b);
    emit32(&b, ADDI(A0, ZERO, 1));
    emit32(&b, LD(A1, ZERO, 16)); /* page 0 is never mapped */
    rvvm_machine *m = machine(&b);
    rvvm_step_info in;
    rvvm_run_result r;
    assert_int_equal(rvvm_step(m, RVVM_NO_LIMIT, &in, &r), RVVM_OK);
    assert_true(in.retired);
    assert_int_equal(rvvm_step(m, RVVM_NO_LIMIT, &in, &r), RVVM_OK);
    assert_false(in.retired);
    assert_int_equal(r.reason, RVVM_STOP_FAULT);
    assert_int_equal(r.fault.kind, RVVM_FAULT_LOAD_ACCESS);
    assert_int_equal(r.fault.address, 16);
    assert_int_equal(r.fault.pc, EB_TEXT + 4);
    assert_int_equal(in.pc, EB_TEXT + 4);
    assert_int_equal(rvvm_cycles(m), 1); /* the faulting load is not charged */
    assert_int_equal(rvvm_instructions(m), 1);
    rvvm_destroy(m);
}

/* A host ecall handler that charges gas: a step pays it as a fast run does. */
static rvvm_ecall_action charging_handler(rvvm_machine *m, void *user, uint64_t *code)
{
    (void)user;
    (void)code;
    if (rvvm_reg(m, 17) != 500)
        return RVVM_ECALL_PASS;
    if (rvvm_charge(m, 40) != RVVM_OK || rvvm_charge(m, 2) != RVVM_OK)
        return RVVM_ECALL_HANDLED; /* over budget: no side effects */
    rvvm_set_reg(m, 10, rvvm_reg(m, 10) + 1000);
    return RVVM_ECALL_HANDLED;
}

static void test_step_charged_ecall(void **state)
{
    (void)state;
    rva_buf b;
    rva_init(&b);
    emit32(&b, ADDI(A0, ZERO, 5));
    emit32(&b, ADDI(A7, ZERO, 500));
    emit32(&b, ECALL());           /* a0 = 1005, 42 cycles of gas */
    emit32(&b, ADDI(A7, ZERO, 93));
    emit32(&b, ECALL());           /* exit(1005 & 0xff) */
    rvvm_cost_model w;
    assert_int_equal(rvvm_cost_model_builtin("weighted", &w), RVVM_OK);
    uint64_t ecall_cost = w.cost[RVVM_COST_ECALL], alu = w.cost[RVVM_COST_ALU];

    rvvm_machine *f = machine(&b);
    rvvm_set_ecall_handler(f, charging_handler, NULL);
    rvvm_run_result r;
    assert_int_equal(rvvm_run(f, RVVM_NO_LIMIT, &r), RVVM_OK);
    assert_int_equal(r.reason, RVVM_STOP_EXITED);
    assert_int_equal(r.exit_code, 1005 & 0xff);
    assert_int_equal(rvvm_cycles(f), 3 * alu + 2 * ecall_cost + 42);

    rvvm_machine *m = machine(&b);
    rvvm_set_ecall_handler(m, charging_handler, NULL);
    rvvm_step_info in;
    for (int i = 0; i < 2; i++) {
        assert_int_equal(rvvm_step(m, RVVM_NO_LIMIT, &in, &r), RVVM_OK);
        assert_true(in.retired);
    }
    /* A budget for the ecall but not its gas: nothing runs. */
    assert_int_equal(rvvm_step(m, ecall_cost + 41, &in, &r), RVVM_OK);
    assert_false(in.retired);
    assert_int_equal(r.reason, RVVM_STOP_CYCLE_LIMIT);
    assert_int_equal(rvvm_cycles(m), 2 * alu);
    assert_int_equal(rvvm_reg(m, 10), 5);
    /* Enough: exactly the ecall, with its gas. */
    assert_int_equal(rvvm_step(m, ecall_cost + 42 + alu, &in, &r), RVVM_OK);
    assert_true(in.retired);
    assert_int_equal(in.reg_file, 'x');
    assert_int_equal(in.reg, 10);
    assert_int_equal(in.reg_value, 1005);
    assert_int_equal(rvvm_cycles(m), 2 * alu + ecall_cost + 42);
    assert_int_equal(rvvm_instructions(m), 3);
    assert_int_equal(rvvm_pc(m), EB_TEXT + 12);
    while (r.reason == RVVM_STOP_CYCLE_LIMIT)
        assert_int_equal(rvvm_step(m, RVVM_NO_LIMIT, &in, &r), RVVM_OK);
    assert_int_equal(r.reason, RVVM_STOP_EXITED);
    assert_int_equal(rvvm_cycles(m), rvvm_cycles(f));
    uint8_t d1[32], d2[32];
    assert_int_equal(rvvm_state_digest(m, d1), RVVM_OK);
    assert_int_equal(rvvm_state_digest(f, d2), RVVM_OK);
    assert_memory_equal(d1, d2, 32);
    rvvm_destroy(m);
    rvvm_destroy(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_step_program),
        cmocka_unit_test(test_step_then_run),
        cmocka_unit_test(test_step_fault),
        cmocka_unit_test(test_step_charged_ecall),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
