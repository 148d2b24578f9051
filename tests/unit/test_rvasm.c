/*
 * Checks the test assembler (rvasm.h) against GNU as: every other test
 * builds its programs with these encoders, so they must match an
 * independent assembler bit for bit. The reference words come from
 * riscv64-unknown-elf-as (see gen_rvasm_ref.py).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include "rvasm.h"
#include "rvasm_ref.h"

static void test_encoders_match_gnu_as(void **state)
{
    (void)state;
    const struct rvasm_ref rvasm_refs[] = RVASM_REFS;
    size_t n = sizeof rvasm_refs / sizeof rvasm_refs[0];
    size_t bad = 0;
    for (size_t i = 0; i < n; i++) {
        if (rvasm_refs[i].ours != rvasm_refs[i].gnu) {
            print_error("%-32s ours 0x%08x, GNU as 0x%08x\n", rvasm_refs[i].text,
                        (unsigned)rvasm_refs[i].ours, (unsigned)rvasm_refs[i].gnu);
            bad++;
        }
    }
    assert_int_equal(bad, 0);
    assert_true(n > 300);
}

/* A few words quoted straight from the ISA manual and common disassemblies. */
static void test_known_words(void **state)
{
    (void)state;
    assert_int_equal(ADDI(A0, ZERO, 42), 0x02a00513);
    assert_int_equal(ADDI(A7, ZERO, 93), 0x05d00893);
    assert_int_equal(ECALL(), 0x00000073);
    assert_int_equal(ADDI(ZERO, ZERO, 0), 0x00000013); /* canonical nop */
    assert_int_equal(JALR(ZERO, RA, 0), 0x00008067);   /* ret */
    assert_int_equal(C_NOP(), 0x0001);
    assert_int_equal(C_JR(RA), 0x8082);                /* c.ret */
    assert_int_equal(C_EBREAK(), 0x9002);
}

static void test_emit(void **state)
{
    (void)state;
    rva_buf b;
    rva_init(&b);
    emit32(&b, 0x11223344u);
    emit16(&b, 0xaabbu);
    assert_int_equal(b.len, 6);
    const uint8_t want[6] = {0x44, 0x33, 0x22, 0x11, 0xbb, 0xaa};
    assert_memory_equal(b.bytes, want, 6);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_encoders_match_gnu_as),
        cmocka_unit_test(test_known_words),
        cmocka_unit_test(test_emit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
