/*
 * Host calls, gas for host work, guest calls and resume from program bytes
 * (rvvm.h: "Host calls", "Guest calls"; snapshot.h: rvvm_resume). Programs
 * are hand-assembled (rvasm.h, checked against GNU as), and every expected
 * count below is worked out by hand from the listing beside it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "elfbuild.h"
#include "rvasm.h"
#include "rvvm/rvvm.h"
#include "rvvm/snapshot.h"

enum { NR_ADD = 1000, NR_STOP = 1001, NR_PEEK = 1002, NR_EXIT = 93 };

/* ---- the host --------------------------------------------------------------- */

typedef struct host {
    uint64_t sum;        /* the host's own state, changed by NR_ADD */
    unsigned adds;       /* NR_ADD calls that took effect */
    unsigned refused;    /* NR_ADD calls refused for lack of gas */
    rvvm_status peek;    /* what rvvm_guest_read said in NR_PEEK */
    rvvm_status nested_run, nested_call, nested_set_pc;
    rvvm_checkpoint_id cp; /* a checkpoint taken before the run, or 0 */
    rvvm_status nested_checkpoint, nested_restore, nested_fork;
} host;

/*
 * NR_ADD(value a0, gas a1): charge a1 cycles, then add a0 to the host's sum
 * and return the sum. NR_STOP(code a0): stop the run. NR_PEEK(addr a0): read
 * 8 bytes of guest memory, return them or -EFAULT. Others go to the OS.
 */
static rvvm_ecall_action handler(rvvm_machine *m, void *user, uint64_t *code)
{
    host *h = user;
    switch (rvvm_reg(m, 17)) {
    case NR_ADD:
        if (rvvm_charge(m, rvvm_reg(m, 11)) != RVVM_OK) {
            h->refused++;
            return RVVM_ECALL_HANDLED; /* ignored: the run stops before the ecall */
        }
        h->sum += rvvm_reg(m, 10);
        h->adds++;
        rvvm_set_reg(m, 10, h->sum);
        return RVVM_ECALL_HANDLED;
    case NR_STOP:
        *code = rvvm_reg(m, 10);
        return RVVM_ECALL_STOP;
    case NR_PEEK: {
        uint64_t v = 0;
        h->peek = rvvm_guest_read(m, rvvm_reg(m, 10), &v, sizeof v);
        rvvm_run_result r;
        uint64_t ret;
        h->nested_run = rvvm_run(m, 10, &r);
        h->nested_call = rvvm_call(m, 0x10000, NULL, 0, 10, &r, &ret);
        h->nested_set_pc = rvvm_set_pc(m, 0x10000);
        rvvm_checkpoint_id cp;
        rvvm_machine *child = NULL;
        h->nested_checkpoint = rvvm_checkpoint(m, &cp);
        h->nested_restore = rvvm_restore(m, h->cp);
        rvvm_checkpoint_free(m, h->cp); /* refused: h->cp stays valid */
        h->nested_fork = rvvm_fork(m, &child);
        rvvm_destroy(child);
        rvvm_set_reg(m, 10, h->peek == RVVM_OK ? v : (uint64_t)-14 /* -EFAULT */);
        return RVVM_ECALL_HANDLED;
    }
    default:
        return RVVM_ECALL_PASS;
    }
}

static rvvm_machine *machine(const rva_buf *code, rvvm_os os, host *h)
{
    rvvm_config c;
    rvvm_config_init(&c);
    c.memory_size = 4ull << 20;
    c.os = os;
    rvvm_machine *m = NULL;
    assert_int_equal(rvvm_create(&c, &m), RVVM_OK);
    eb_program p = {.code = code->bytes, .code_len = code->len, .data_memsz = 0x1000};
    assert_int_equal(eb_load(m, &p), RVVM_OK);
    if (h)
        rvvm_set_ecall_handler(m, handler, h);
    return m;
}

/*
 * The gas program (unit costs):
 *     li s0, 5
 *   loop:                          7 instructions + 3 charged = 10 cycles
 *     li a0, 7; li a1, 3; li a7, NR_ADD; ecall
 *     add s1, s1, a0; addi s0, s0, -1; bnez s0, loop
 *     li a0, 42; li a7, NR_STOP; ecall
 *     mv a0, s1; li a7, 93; ecall          exit(s1)
 * s1 = 7 + 14 + 21 + 28 + 35 = 105. Instructions: 1 + 5*7 + 3 + 3 = 42;
 * cycles: 42 + 5*3 = 57.
 */
static void gas_program(rva_buf *b)
{
    rva_init(b);
    emit32(b, ADDI(S0, ZERO, 5));
    size_t loop = b->len;
    emit32(b, ADDI(A0, ZERO, 7));
    emit32(b, ADDI(A1, ZERO, 3));
    emit32(b, ADDI(A7, ZERO, NR_ADD));
    emit32(b, ECALL());
    emit32(b, ADD(S1, S1, A0));
    emit32(b, ADDI(S0, S0, -1));
    emit32(b, BNE(S0, ZERO, (int32_t)loop - (int32_t)b->len));
    emit32(b, ADDI(A0, ZERO, 42));
    emit32(b, ADDI(A7, ZERO, NR_STOP));
    emit32(b, ECALL());
    emit32(b, ADD(A0, S1, ZERO));
    emit32(b, ADDI(A7, ZERO, NR_EXIT));
    emit32(b, ECALL());
}

typedef struct outcome {
    int exit_code;
    uint64_t cycles, instret, host_stops;
    host h;
    uint8_t digest[32];
} outcome;

/* Runs m to its exit, continuing after host stops, with budgets of `step` (0: none). */
static void run_to_exit(rvvm_machine *m, host *h, uint64_t step, outcome *o)
{
    memset(o, 0, sizeof *o);
    for (int guard = 0; guard < 10000; guard++) {
        rvvm_run_result r;
        assert_int_equal(rvvm_run(m, step ? step : RVVM_NO_LIMIT, &r), RVVM_OK);
        if (r.reason == RVVM_STOP_HOST) {
            assert_int_equal(r.host_code, 42);
            o->host_stops++;
            continue;
        }
        if (r.reason == RVVM_STOP_CYCLE_LIMIT)
            continue;
        assert_int_equal(r.reason, RVVM_STOP_EXITED);
        o->exit_code = r.exit_code;
        o->cycles = rvvm_cycles(m);
        o->instret = rvvm_instructions(m);
        o->h = *h;
        assert_int_equal(rvvm_state_digest(m, o->digest), RVVM_OK);
        return;
    }
    fail_msg("the program did not finish");
}

/* The gas program's end, worked out by hand above its listing. */
static void expect_gas_program_end(const outcome *o)
{
    assert_int_equal(o->exit_code, 105);
    assert_int_equal(o->instret, 42);
    assert_int_equal(o->cycles, 57);
    assert_int_equal(o->h.adds, 5);
    assert_int_equal(o->h.sum, 35);
}

static void test_gas_whole_run(void **state)
{
    (void)state;
    rva_buf b;
    gas_program(&b);
    host h = {0};
    rvvm_machine *m = machine(&b, RVVM_OS_LINUX, &h);
    outcome o;
    run_to_exit(m, &h, 0, &o);
    expect_gas_program_end(&o);
    assert_int_equal(o.host_stops, 1);
    assert_int_equal(h.refused, 0);
    rvvm_destroy(m);
}

/*
 * Every budget from 1 to the total: the first run stops within it, and
 * continuing gives the same exit, counters, digest and host effects as the
 * whole run -- no host call lost or repeated however the run is cut.
 */
static void test_gas_every_budget(void **state)
{
    (void)state;
    rva_buf b;
    gas_program(&b);
    host h0 = {0};
    rvvm_machine *m0 = machine(&b, RVVM_OS_LINUX, &h0);
    outcome whole;
    run_to_exit(m0, &h0, 0, &whole);
    rvvm_destroy(m0);
    for (uint64_t budget = 1; budget <= whole.cycles; budget++) {
        host h = {0};
        rvvm_machine *m = machine(&b, RVVM_OS_LINUX, &h);
        rvvm_run_result r;
        assert_int_equal(rvvm_run(m, budget, &r), RVVM_OK);
        assert_true(rvvm_cycles(m) <= budget);
        if (r.reason == RVVM_STOP_CYCLE_LIMIT) {
            /* Exact: the longest prefix that fits. The next instruction costs 1,
             * or 1 + 3 for an NR_ADD ecall, and does not fit. */
            uint32_t next = 0;
            assert_int_equal(rvvm_read_memory(m, rvvm_pc(m), &next, 4), RVVM_OK);
            uint64_t cost = next == ECALL() && rvvm_reg(m, 17) == NR_ADD ? 4 : 1;
            assert_true(rvvm_cycles(m) + cost > budget);
        }
        outcome split;
        if (r.reason == RVVM_STOP_CYCLE_LIMIT || r.reason == RVVM_STOP_HOST) {
            uint64_t stops = r.reason == RVVM_STOP_HOST;
            run_to_exit(m, &h, 0, &split);
            split.host_stops += stops;
        } else {
            fail_msg("budget %llu: unexpected stop %d", (unsigned long long)budget, r.reason);
        }
        assert_int_equal(split.exit_code, whole.exit_code);
        assert_int_equal(split.cycles, whole.cycles);
        assert_int_equal(split.instret, whole.instret);
        assert_int_equal(split.host_stops, whole.host_stops);
        assert_int_equal(split.h.sum, whole.h.sum);
        assert_int_equal(split.h.adds, whole.h.adds);
        assert_memory_equal(split.digest, whole.digest, 32);
        rvvm_destroy(m);
    }
}

/* Budgets of every size, run after run: a many-way split of the same program. */
static void test_gas_small_steps(void **state)
{
    (void)state;
    rva_buf b;
    gas_program(&b);
    /* From 4 on: a budget must pay an NR_ADD ecall and its charge in one run. */
    for (uint64_t step = 4; step <= 12; step++) {
        host h = {0};
        rvvm_machine *m = machine(&b, RVVM_OS_LINUX, &h);
        outcome o;
        run_to_exit(m, &h, step, &o);
        expect_gas_program_end(&o);
        rvvm_destroy(m);
    }
}

/*
 * The charge decides exactly: with the budget ending right after the first
 * ecall's own cost plus 2 of its 3 charged cycles, the run stops before that
 * ecall (4 instructions, 4 cycles: li s0; li a0; li a1; li a7), and the
 * handler's refused attempt left no effect.
 */
static void test_gas_stop_before_ecall(void **state)
{
    (void)state;
    rva_buf b;
    gas_program(&b);
    host h = {0};
    rvvm_machine *m = machine(&b, RVVM_OS_LINUX, &h);
    rvvm_run_result r;
    assert_int_equal(rvvm_run(m, 4 + 1 + 2, &r), RVVM_OK);
    assert_int_equal(r.reason, RVVM_STOP_CYCLE_LIMIT);
    assert_int_equal(rvvm_instructions(m), 4);
    assert_int_equal(rvvm_cycles(m), 4);
    assert_int_equal(rvvm_pc(m), EB_TEXT + 16);
    assert_int_equal(h.adds, 0);
    assert_int_equal(h.refused, 1);
    assert_int_equal(rvvm_reg(m, 10), 7);
    /* One more cycle pays it: the ecall and nothing after it. */
    assert_int_equal(rvvm_run(m, 4, &r), RVVM_OK);
    assert_int_equal(r.reason, RVVM_STOP_CYCLE_LIMIT);
    assert_int_equal(rvvm_instructions(m), 5);
    assert_int_equal(rvvm_cycles(m), 8);
    assert_int_equal(h.adds, 1);
    assert_int_equal(rvvm_reg(m, 10), 7);
    /* Outside a handler, charging is refused. */
    assert_int_equal(rvvm_charge(m, 1), RVVM_ERR_STATE);
    rvvm_destroy(m);
}

static void test_host_stop_and_resume(void **state)
{
    (void)state;
    rva_buf b;
    gas_program(&b);
    host h = {0};
    rvvm_machine *m = machine(&b, RVVM_OS_LINUX, &h);
    rvvm_run_result r;
    assert_int_equal(rvvm_run(m, RVVM_NO_LIMIT, &r), RVVM_OK);
    assert_int_equal(r.reason, RVVM_STOP_HOST);
    assert_int_equal(r.host_code, 42);
    /* Stopped after the ecall: 1 + 35 + 3 instructions, 39 + 15 cycles. */
    assert_int_equal(rvvm_instructions(m), 39);
    assert_int_equal(rvvm_cycles(m), 54);
    assert_int_equal(rvvm_pc(m), EB_TEXT + 4 * 11); /* the 12th word of the listing */
    /* The host answers asynchronously: it sets s1 (x9) before continuing. */
    assert_int_equal(rvvm_set_reg(m, 9, 200), RVVM_OK);
    assert_int_equal(rvvm_run(m, RVVM_NO_LIMIT, &r), RVVM_OK);
    assert_int_equal(r.reason, RVVM_STOP_EXITED);
    assert_int_equal(r.exit_code, 200);
    rvvm_destroy(m);
}

/* li a7, nr; ecall; then exit(a0) through the OS layer. */
static void call_then_exit(rva_buf *b, int32_t nr, int32_t a0)
{
    rva_init(b);
    emit32(b, ADDI(A0, ZERO, a0));
    emit32(b, ADDI(A7, ZERO, nr));
    emit32(b, ECALL());
    emit32(b, ADDI(A7, ZERO, NR_EXIT));
    emit32(b, ECALL());
}

static rvvm_ecall_action exit_handler(rvvm_machine *m, void *user, uint64_t *code)
{
    (void)user;
    if (rvvm_reg(m, 17) == 7) {
        *code = 300;
        return RVVM_ECALL_EXIT;
    }
    if (rvvm_reg(m, 17) == 8)
        return RVVM_ECALL_FAULT;
    return RVVM_ECALL_PASS;
}

static void test_handler_exit_fault_pass(void **state)
{
    (void)state;
    rva_buf b;
    rvvm_run_result r;
    /* EXIT: status 300 keeps its low 8 bits, like a Linux exit status. */
    call_then_exit(&b, 7, 0);
    rvvm_machine *m = machine(&b, RVVM_OS_LINUX, NULL);
    rvvm_set_ecall_handler(m, exit_handler, NULL);
    assert_int_equal(rvvm_run(m, RVVM_NO_LIMIT, &r), RVVM_OK);
    assert_int_equal(r.reason, RVVM_STOP_EXITED);
    assert_int_equal(r.exit_code, 300 & 0xff);
    assert_int_equal(rvvm_instructions(m), 3);
    rvvm_destroy(m);
    /* FAULT: not retired, reported at the ecall with the call number. */
    call_then_exit(&b, 8, 0);
    m = machine(&b, RVVM_OS_LINUX, NULL);
    rvvm_set_ecall_handler(m, exit_handler, NULL);
    assert_int_equal(rvvm_run(m, RVVM_NO_LIMIT, &r), RVVM_OK);
    assert_int_equal(r.reason, RVVM_STOP_FAULT);
    assert_int_equal(r.fault.kind, RVVM_FAULT_BAD_SYSCALL);
    assert_int_equal(r.fault.pc, EB_TEXT + 8);
    assert_int_equal(r.fault.address, 8);
    assert_int_equal(rvvm_instructions(m), 2);
    assert_int_equal(rvvm_cycles(m), 2);
    rvvm_destroy(m);
    /* PASS: the Linux layer answers getpid (172) with pid 1; exit(1). */
    call_then_exit(&b, 172, 0);
    m = machine(&b, RVVM_OS_LINUX, NULL);
    rvvm_set_ecall_handler(m, exit_handler, NULL);
    assert_int_equal(rvvm_run(m, RVVM_NO_LIMIT, &r), RVVM_OK);
    assert_int_equal(r.reason, RVVM_STOP_EXITED);
    assert_int_equal(r.exit_code, 1);
    rvvm_destroy(m);
    /* No OS layer: a passed ecall faults, even Linux's exit. */
    call_then_exit(&b, NR_EXIT, 5);
    m = machine(&b, RVVM_OS_NONE, NULL);
    rvvm_set_ecall_handler(m, exit_handler, NULL);
    assert_int_equal(rvvm_run(m, RVVM_NO_LIMIT, &r), RVVM_OK);
    assert_int_equal(r.reason, RVVM_STOP_FAULT);
    assert_int_equal(r.fault.kind, RVVM_FAULT_BAD_SYSCALL);
    assert_int_equal(r.fault.address, NR_EXIT);
    /* ...and the Linux-only calls say so. */
    assert_int_equal(rvvm_grant_dir(m, ".", "/x", false), RVVM_ERR_STATE);
    assert_int_equal(rvvm_set_real_time(m, true), RVVM_ERR_STATE);
    rvvm_destroy(m);
}

/* A handler given wild guest pointers answers -EFAULT and the host is unharmed. */
static void test_wild_pointers(void **state)
{
    (void)state;
    static const int64_t addrs[] = {
        0x40000,             /* inside guest memory, never mapped */
        (int64_t)4 << 20,    /* just past guest memory */
        -8,                  /* wraps around */
        EB_DATA + 0x1000 - 4 /* straddles the end of the data segment */
    };
    for (size_t i = 0; i < sizeof addrs / sizeof addrs[0]; i++) {
        rva_buf b;
        rva_init(&b);
        emit_li(&b, A0, addrs[i]);
        emit32(&b, ADDI(A7, ZERO, NR_PEEK));
        emit32(&b, ECALL());
        emit32(&b, ADDI(A7, ZERO, NR_EXIT));
        emit32(&b, ECALL());
        host h = {0};
        rvvm_machine *m = machine(&b, RVVM_OS_LINUX, &h);
        assert_int_equal(rvvm_checkpoint(m, &h.cp), RVVM_OK);
        rvvm_run_result r;
        assert_int_equal(rvvm_run(m, RVVM_NO_LIMIT, &r), RVVM_OK);
        assert_int_equal(h.peek, RVVM_ERR_FAULT);
        assert_int_equal(r.reason, RVVM_STOP_EXITED);
        assert_int_equal(r.exit_code, (uint8_t)-14);
        /* Calls not valid inside a handler were refused there. */
        assert_int_equal(h.nested_run, RVVM_ERR_STATE);
        assert_int_equal(h.nested_call, RVVM_ERR_STATE);
        assert_int_equal(h.nested_set_pc, RVVM_ERR_STATE);
        assert_int_equal(h.nested_checkpoint, RVVM_ERR_STATE);
        assert_int_equal(h.nested_restore, RVVM_ERR_STATE);
        assert_int_equal(h.nested_fork, RVVM_ERR_STATE);
        /* The checkpoint the handler tried to free is still there: back to before the run. */
        assert_int_equal(rvvm_restore(m, h.cp), RVVM_OK);
        assert_int_equal(rvvm_run(m, RVVM_NO_LIMIT, &r), RVVM_OK);
        assert_int_equal(r.reason, RVVM_STOP_EXITED);
        rvvm_destroy(m);
    }
    /* Writes honour permissions too: the text page is not writable. */
    rva_buf b;
    call_then_exit(&b, 172, 0);
    rvvm_machine *m = machine(&b, RVVM_OS_LINUX, NULL);
    uint32_t word = 0;
    assert_int_equal(rvvm_guest_write(m, EB_TEXT, &word, 4), RVVM_ERR_FAULT);
    assert_int_equal(rvvm_guest_read(m, EB_TEXT, &word, 4), RVVM_OK);
    assert_int_equal(word, ADDI(A0, ZERO, 0));
    assert_int_equal(rvvm_guest_write(m, EB_DATA, &word, 4), RVVM_OK);
    char s[8];
    assert_int_equal(rvvm_guest_write(m, EB_DATA, "hostcall", 8), RVVM_OK);
    assert_int_equal(rvvm_guest_string(m, EB_DATA, s, sizeof s), RVVM_ERR_INVALID_ARGUMENT);
    assert_string_equal(s, "hostcal");
    rvvm_destroy(m);
}

/*
 * rvvm_guest_string, which reads a page at a time: strings ending on the last
 * byte of a page, running into an unmapped page, crossing from one readable
 * page to the next, at the size limit, and at wrapping addresses.
 */
static void test_guest_string(void **state)
{
    (void)state;
    rva_buf b;
    call_then_exit(&b, 172, 0);
    rvvm_machine *m = machine(&b, RVVM_OS_LINUX, NULL);
    static char page[0x1000];
    memset(page, 'a', sizeof page);
    page[0xfff] = '\0';
    assert_int_equal(rvvm_guest_write(m, EB_DATA, page, sizeof page), RVVM_OK);
    static char s[0x3000];
    /* The NUL is the page's last byte: the next page (unmapped) is never touched. */
    assert_int_equal(rvvm_guest_string(m, EB_DATA + 0x10, s, sizeof s), RVVM_OK);
    assert_int_equal(strlen(s), 0xfff - 0x10);
    assert_int_equal(rvvm_guest_string(m, EB_DATA + 0xfff, s, sizeof s), RVVM_OK);
    assert_string_equal(s, "");
    /* Exactly size - 1 bytes fit; one more does not. */
    assert_int_equal(rvvm_guest_string(m, EB_DATA + 0xff0, s, 16), RVVM_OK);
    assert_string_equal(s, "aaaaaaaaaaaaaaa");
    assert_int_equal(rvvm_guest_string(m, EB_DATA + 0xfef, s, 16), RVVM_ERR_INVALID_ARGUMENT);
    assert_string_equal(s, "aaaaaaaaaaaaaaa");
    /* No NUL before the unmapped page: a fault, buf holds the readable bytes. */
    char last = 'z';
    assert_int_equal(rvvm_guest_write(m, EB_DATA + 0xfff, &last, 1), RVVM_OK);
    memset(s, 'x', sizeof s);
    assert_int_equal(rvvm_guest_string(m, EB_DATA + 0xff8, s, sizeof s), RVVM_ERR_FAULT);
    assert_string_equal(s, "aaaaaaaz");
    /* ... but a limit reached first is the limit (the unmapped page is not read); with
     * room for all 8 bytes, the 9th must be read to find the NUL, and it faults. */
    assert_int_equal(rvvm_guest_string(m, EB_DATA + 0xff8, s, 8), RVVM_ERR_INVALID_ARGUMENT);
    assert_string_equal(s, "aaaaaaa");
    assert_int_equal(rvvm_guest_string(m, EB_DATA + 0xff8, s, 9), RVVM_ERR_FAULT);
    assert_string_equal(s, "aaaaaaaz");
    /* Unreadable at once, and wrapping around the address space. */
    assert_int_equal(rvvm_guest_string(m, EB_DATA + 0x1000, s, sizeof s), RVVM_ERR_FAULT);
    assert_string_equal(s, "");
    assert_int_equal(rvvm_guest_string(m, (uint64_t)-8, s, sizeof s), RVVM_ERR_FAULT);
    assert_string_equal(s, "");
    assert_int_equal(rvvm_guest_string(m, EB_TEXT, s, 0), RVVM_ERR_INVALID_ARGUMENT);
    /* Across three stack pages: 9000 bytes from 100 bytes before a page boundary. */
    uint64_t sp = rvvm_reg(m, 2) & ~0xfffull;
    uint64_t at = sp - 0x3000 + 0x1000 - 100;
    static char text[9001];
    for (int i = 0; i < 9000; i++)
        text[i] = (char)('A' + i % 26);
    text[9000] = '\0';
    assert_int_equal(rvvm_guest_write(m, at, text, sizeof text), RVVM_OK);
    assert_int_equal(rvvm_guest_string(m, at, s, sizeof s), RVVM_OK);
    assert_string_equal(s, text);
    assert_int_equal(rvvm_guest_string(m, at, s, 9001), RVVM_OK);
    assert_int_equal(rvvm_guest_string(m, at, s, 9000), RVVM_ERR_INVALID_ARGUMENT);
    assert_int_equal(strlen(s), 8999);
    assert_memory_equal(s, text, 8999);
    rvvm_destroy(m);
}

/* ---- guest calls ---------------------------------------------------------------- */

typedef struct callee {
    rva_buf code;
    uint64_t weighted, spin, forge, store; /* function addresses */
} callee;

/*
 * main: exit(0).
 * weighted(a0..a7) = a0 + 2 a1 + 3 a2 + ... + 8 a7.
 * spin(n): n iterations of a 2-instruction loop, returns 77.
 * forge: moves sp and jumps to the call-return address.
 * store(addr, v): *addr = v; returns *addr.
 */
static void callee_program(callee *c)
{
    rva_buf *b = &c->code;
    rva_init(b);
    emit32(b, ADDI(A0, ZERO, 0));
    emit32(b, ADDI(A7, ZERO, NR_EXIT));
    emit32(b, ECALL());
    c->weighted = EB_TEXT + b->len;
    emit32(b, ADD(T0, A0, ZERO));
    for (uint32_t k = 1; k < 8; k++) {
        emit32(b, ADDI(T1, ZERO, (int32_t)k + 1));
        emit32(b, MUL(T2, A0 + k, T1));
        emit32(b, ADD(T0, T0, T2));
    }
    emit32(b, ADD(A0, T0, ZERO));
    emit32(b, JALR(ZERO, RA, 0));
    c->spin = EB_TEXT + b->len;
    emit32(b, ADDI(A0, A0, -1));
    emit32(b, BNE(A0, ZERO, -4));
    emit32(b, ADDI(A0, ZERO, 77));
    emit32(b, JALR(ZERO, RA, 0));
    c->forge = EB_TEXT + b->len;
    emit32(b, ADDI(SP, SP, -16));
    emit32(b, LUI(T0, 0xfffff)); /* 0xfffffffffffff000 */
    emit32(b, JALR(ZERO, T0, 0));
    c->store = EB_TEXT + b->len;
    emit32(b, SD(A1, A0, 0));
    emit32(b, LD(A0, A0, 0));
    emit32(b, JALR(ZERO, RA, 0));
}

static void test_call_arguments(void **state)
{
    (void)state;
    callee c;
    callee_program(&c);
    rvvm_machine *m = machine(&c.code, RVVM_OS_LINUX, NULL);
    /* Before main has run: the loader's stack. */
    uint64_t sp = rvvm_reg(m, 2), pc = rvvm_pc(m);
    uint64_t args[8] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000};
    rvvm_run_result r;
    uint64_t ret = 0;
    assert_int_equal(rvvm_call(m, c.weighted, args, 8, RVVM_NO_LIMIT, &r, &ret), RVVM_OK);
    assert_int_equal(r.reason, RVVM_STOP_RETURNED);
    assert_int_equal(ret, 1 + 20 + 300 + 4000 + 50000 + 600000 + 7000000 + 80000000);
    assert_int_equal(r.return_value, ret);
    /* 1 + 7 * 3 + 2 instructions; the call is invisible to the machine's own thread. */
    assert_int_equal(rvvm_instructions(m), 24);
    assert_int_equal(rvvm_reg(m, 2), sp);
    assert_int_equal(rvvm_pc(m), pc);
    assert_int_equal(rvvm_reg(m, 5), 0); /* t0 put back */
    /* Fewer arguments: the rest are 0. */
    assert_int_equal(rvvm_call(m, c.weighted, args, 2, RVVM_NO_LIMIT, &r, &ret), RVVM_OK);
    assert_int_equal(ret, 21);
    /* main runs to its exit; calls work on the exited machine too, many times. */
    assert_int_equal(rvvm_run(m, RVVM_NO_LIMIT, &r), RVVM_OK);
    assert_int_equal(r.reason, RVVM_STOP_EXITED);
    for (uint64_t i = 0; i < 100; i++) {
        uint64_t sa[2] = {EB_DATA + 8 * (i % 16), i * 3};
        assert_int_equal(rvvm_call(m, c.store, sa, 2, RVVM_NO_LIMIT, &r, &ret), RVVM_OK);
        assert_int_equal(r.reason, RVVM_STOP_RETURNED);
        assert_int_equal(ret, i * 3);
    }
    uint64_t v;
    assert_int_equal(rvvm_read_memory(m, EB_DATA + 8 * (99 % 16), &v, 8), RVVM_OK);
    assert_int_equal(v, 99 * 3); /* memory written by calls stays */
    /* Still exited afterwards: running it is refused. */
    assert_int_equal(rvvm_run(m, RVVM_NO_LIMIT, &r), RVVM_ERR_STATE);
    /* Bad calls. */
    assert_int_equal(rvvm_call(m, c.weighted, args, 9, 10, &r, &ret), RVVM_ERR_INVALID_ARGUMENT);
    assert_int_equal(rvvm_call(m, c.weighted + 1, args, 1, 10, &r, &ret),
                     RVVM_ERR_INVALID_ARGUMENT);
    rvvm_destroy(m);
}

static void test_call_budget_and_snapshot(void **state)
{
    (void)state;
    callee c;
    callee_program(&c);
    /* Uninterrupted: spin(1000) = 2000 + 2 instructions. */
    rvvm_machine *whole = machine(&c.code, RVVM_OS_LINUX, NULL);
    rvvm_run_result r;
    assert_int_equal(rvvm_run(whole, RVVM_NO_LIMIT, &r), RVVM_OK);
    uint64_t n = 1000, ret = 0;
    assert_int_equal(rvvm_call(whole, c.spin, &n, 1, RVVM_NO_LIMIT, &r, &ret), RVVM_OK);
    assert_int_equal(ret, 77);
    assert_int_equal(rvvm_instructions(whole), 3 + 2002);
    uint8_t want[32];
    assert_int_equal(rvvm_state_digest(whole, want), RVVM_OK);

    /* The same call stopped by its budget, saved, resumed from bytes elsewhere. */
    rvvm_machine *m = machine(&c.code, RVVM_OS_LINUX, NULL);
    assert_int_equal(rvvm_run(m, RVVM_NO_LIMIT, &r), RVVM_OK);
    assert_int_equal(rvvm_call(m, c.spin, &n, 1, 500, &r, &ret), RVVM_OK);
    assert_int_equal(r.reason, RVVM_STOP_CYCLE_LIMIT);
    assert_int_equal(rvvm_instructions(m), 3 + 500);
    /* Another call while one is in progress is refused. */
    assert_int_equal(rvvm_call(m, c.spin, &n, 1, 10, &r, &ret), RVVM_ERR_STATE);
    uint8_t *snap;
    size_t snap_size;
    assert_int_equal(rvvm_snapshot_save_buffer(m, 0, &snap, &snap_size), RVVM_OK);
    rvvm_destroy(m);

    size_t image_size;
    eb_program p = {.code = c.code.bytes, .code_len = c.code.len, .data_memsz = 0x1000};
    uint8_t *image = eb_build_program(&p, &image_size);
    assert_non_null(image);
    rvvm_resume_options opt;
    rvvm_resume_options_init(&opt);
    opt.program_image = image;
    opt.program_size = image_size;
    char err[256];
    rvvm_machine *back = NULL;
    assert_int_equal(rvvm_resume(snap, snap_size, &opt, &back, err, sizeof err), RVVM_OK);
    rvvm_snapshot_info *info = NULL;
    assert_int_equal(rvvm_snapshot_inspect(snap, snap_size, &info, err, sizeof err), RVVM_OK);
    assert_true(info->call_active);
    rvvm_snapshot_info_free(info);
    assert_int_equal(rvvm_run(back, RVVM_NO_LIMIT, &r), RVVM_OK);
    assert_int_equal(r.reason, RVVM_STOP_RETURNED);
    assert_int_equal(r.return_value, 77);
    assert_int_equal(rvvm_instructions(back), 3 + 2002);
    uint8_t got[32];
    assert_int_equal(rvvm_state_digest(back, got), RVVM_OK);
    assert_memory_equal(got, want, 32);
    /* Back to the state before the call: exited. */
    assert_int_equal(rvvm_run(back, 1, &r), RVVM_ERR_STATE);
    rvvm_destroy(back);

    /* Other bytes than the program's are refused. */
    image[image_size - 1] ^= 1;
    assert_int_equal(rvvm_resume(snap, snap_size, &opt, &back, err, sizeof err),
                     RVVM_ERR_PROGRAM_MISMATCH);
    assert_null(back);
    opt.program_path = "/nonexistent";
    assert_int_equal(rvvm_resume(snap, snap_size, &opt, &back, err, sizeof err),
                     RVVM_ERR_INVALID_ARGUMENT);
    free(image);
    rvvm_buffer_free(snap);
    rvvm_destroy(whole);
}

static void test_call_forged_return(void **state)
{
    (void)state;
    callee c;
    callee_program(&c);
    rvvm_machine *m = machine(&c.code, RVVM_OS_LINUX, NULL);
    rvvm_run_result r;
    uint64_t ret = 0;
    assert_int_equal(rvvm_call(m, c.forge, NULL, 0, RVVM_NO_LIMIT, &r, &ret), RVVM_OK);
    assert_int_equal(r.reason, RVVM_STOP_FAULT);
    assert_int_equal(r.fault.kind, RVVM_FAULT_FETCH_ACCESS);
    assert_int_equal(r.fault.pc, RVVM_CALL_RETURN_ADDRESS);
    /* A faulted machine takes no more calls. */
    assert_int_equal(rvvm_call(m, c.weighted, NULL, 0, 10, &r, &ret), RVVM_ERR_STATE);
    rvvm_destroy(m);

    /* Without a call in progress, the address is just unmapped memory. */
    rva_buf b;
    rva_init(&b);
    emit32(&b, LUI(T0, 0xfffff));
    emit32(&b, JALR(ZERO, T0, 0));
    m = machine(&b, RVVM_OS_LINUX, NULL);
    assert_int_equal(rvvm_run(m, RVVM_NO_LIMIT, &r), RVVM_OK);
    assert_int_equal(r.reason, RVVM_STOP_FAULT);
    assert_int_equal(r.fault.kind, RVVM_FAULT_FETCH_ACCESS);
    rvvm_destroy(m);
}

/* A program loaded from memory is snapshotted and resumed with no host file. */
static void test_resume_from_bytes(void **state)
{
    (void)state;
    rva_buf b;
    gas_program(&b);
    eb_program p = {.code = b.bytes, .code_len = b.len, .data_memsz = 0x1000};
    size_t size;
    uint8_t *image = eb_build_program(&p, &size);
    rvvm_machine *m = NULL;
    assert_int_equal(rvvm_create(NULL, &m), RVVM_OK);
    const char *argv[] = {"contract", NULL};
    assert_int_equal(rvvm_load_elf_memory(m, image, size, "mem:contract", argv, NULL), RVVM_OK);
    host h = {0};
    rvvm_set_ecall_handler(m, handler, &h);
    rvvm_run_result r;
    assert_int_equal(rvvm_run(m, 20, &r), RVVM_OK);
    assert_int_equal(r.reason, RVVM_STOP_CYCLE_LIMIT);
    uint8_t *snap;
    size_t snap_size;
    assert_int_equal(rvvm_snapshot_save_buffer(m, 0, &snap, &snap_size), RVVM_OK);
    char err[256];
    rvvm_machine *fail = NULL;
    /* By path, the name is no file. */
    assert_int_equal(rvvm_resume_buffer(snap, snap_size, NULL, &fail, err, sizeof err),
                     RVVM_ERR_PROGRAM_MISMATCH);
    rvvm_resume_options opt;
    rvvm_resume_options_init(&opt);
    opt.program_image = image;
    opt.program_size = size;
    rvvm_machine *back = NULL;
    assert_int_equal(rvvm_resume(snap, snap_size, &opt, &back, err, sizeof err), RVVM_OK);
    host h2 = h;
    rvvm_set_ecall_handler(back, handler, &h2);
    outcome a, z;
    run_to_exit(m, &h, 0, &a);
    run_to_exit(back, &h2, 0, &z);
    assert_int_equal(a.exit_code, 105);
    assert_int_equal(z.exit_code, 105);
    assert_int_equal(a.cycles, z.cycles);
    assert_int_equal(h2.sum, h.sum);
    assert_memory_equal(a.digest, z.digest, 32);
    rvvm_destroy(back);
    rvvm_destroy(m);
    rvvm_buffer_free(snap);
    free(image);
}

/* rvvm_config can grow: a caller that knows a shorter prefix keeps the defaults. */
static void test_config_growth(void **state)
{
    (void)state;
    rvvm_config c;
    rvvm_config_init(&c);
    assert_int_equal(c.struct_size, sizeof c);
    c.os = RVVM_OS_NONE;
    c.struct_size = (uint32_t)offsetof(rvvm_config, os); /* an older caller */
    rvvm_machine *m = NULL;
    assert_int_equal(rvvm_create(&c, &m), RVVM_OK);
    assert_int_equal(rvvm_get_config(m)->os, RVVM_OS_LINUX); /* the default, not garbage */
    rvvm_destroy(m);
    c.struct_size = 0; /* not filled by rvvm_config_init */
    assert_int_equal(rvvm_create(&c, &m), RVVM_ERR_INVALID_ARGUMENT);
    rvvm_config_init(&c);
    c.os = (rvvm_os)7;
    assert_int_equal(rvvm_create(&c, &m), RVVM_ERR_INVALID_ARGUMENT);
}

static void test_register_setters(void **state)
{
    (void)state;
    rva_buf b;
    call_then_exit(&b, 172, 0);
    rvvm_machine *m = machine(&b, RVVM_OS_LINUX, NULL);
    assert_int_equal(rvvm_set_reg(m, 0, 5), RVVM_OK);
    assert_int_equal(rvvm_reg(m, 0), 0);
    assert_int_equal(rvvm_set_reg(m, 32, 5), RVVM_ERR_INVALID_ARGUMENT);
    assert_int_equal(rvvm_set_freg(m, 31, 0x4000000000000000ull), RVVM_OK);
    assert_int_equal(rvvm_freg(m, 31), 0x4000000000000000ull);
    assert_int_equal(rvvm_set_fcsr(m, 0x100), RVVM_ERR_INVALID_ARGUMENT);
    assert_int_equal(rvvm_set_fcsr(m, 0xe1), RVVM_OK);
    assert_int_equal(rvvm_fcsr(m), 0xe1);
    assert_int_equal(rvvm_set_pc(m, EB_TEXT + 1), RVVM_ERR_INVALID_ARGUMENT);
    assert_int_equal(rvvm_set_pc(m, EB_TEXT + 12), RVVM_OK); /* skip to the exit */
    assert_int_equal(rvvm_set_reg(m, 10, 9), RVVM_OK);
    rvvm_run_result r;
    assert_int_equal(rvvm_run(m, RVVM_NO_LIMIT, &r), RVVM_OK);
    assert_int_equal(r.reason, RVVM_STOP_EXITED);
    assert_int_equal(r.exit_code, 9);
    rvvm_destroy(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gas_whole_run),
        cmocka_unit_test(test_gas_every_budget),
        cmocka_unit_test(test_gas_small_steps),
        cmocka_unit_test(test_gas_stop_before_ecall),
        cmocka_unit_test(test_host_stop_and_resume),
        cmocka_unit_test(test_handler_exit_fault_pass),
        cmocka_unit_test(test_wild_pointers),
        cmocka_unit_test(test_guest_string),
        cmocka_unit_test(test_call_arguments),
        cmocka_unit_test(test_call_budget_and_snapshot),
        cmocka_unit_test(test_call_forged_return),
        cmocka_unit_test(test_resume_from_bytes),
        cmocka_unit_test(test_config_growth),
        cmocka_unit_test(test_register_setters),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
