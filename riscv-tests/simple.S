// Minimal sanity test: the exit protocol itself (ecall exit(0)).

#include "test_macros.h"

.option norvc

RVTEST_CODE_BEGIN
    TEST_CASE(1, a4, 3, li a4, 1; addi a4, a4, 2)
RVTEST_CODE_END
