// Zicsr: CSRRW, CSRRS, CSRRC, CSRRWI, CSRRSI, CSRRCI
// User CSRs: fflags (0x001, 5 bits), frm (0x002, 3 bits),
// fcsr (0x003) = frm << 5 | fflags; cycle/time/instret are read-only.
// "CSRRW ... atomically swaps values in the CSRs and integer registers.
// CSRRW reads the old value of the CSR, zero-extends the value to XLEN bits,
// then writes it to integer register rd. The initial value in rs1 is written
// to the CSR. If rd=x0, then the instruction shall not read the CSR."
// "For both CSRRS and CSRRC, if rs1=x0, then the instruction will not write
// to the CSR at all". For the immediate forms the uimm field is a 5-bit
// zero-extended immediate; "if the uimm[4:0] field is zero, then these
// instructions will not write to the CSR".
// "Bits 31-8 of the fcsr are reserved for other standard extensions. If these
// extensions are not present, implementations shall ignore writes to these
// bits and supply a zero value when read."

#include "test_macros.h"

.option norvc

RVTEST_CODE_BEGIN

    // CSRRW: swap, old value returned
    TEST_BEGIN(1)
    csrrwi x0, CSR_FCSR, 0
    li a1, 0x1f
    csrrw a4, CSR_FCSR, a1
    CHECK(a4, 0)
    csrrw a4, CSR_FCSR, x0
    CHECK(a4, 0x1f)
    csrrs a4, CSR_FCSR, x0
    CHECK(a4, 0)

    // fcsr = frm << 5 | fflags
    TEST_BEGIN(2)
    li a1, 0xff
    csrrw x0, CSR_FCSR, a1
    csrrs a4, CSR_FRM, x0
    CHECK(a4, 7)
    csrrs a4, CSR_FFLAGS, x0
    CHECK(a4, 0x1f)
    li a1, 0xa5                 // frm = 5, fflags = 5
    csrrw x0, CSR_FCSR, a1
    csrrs a4, CSR_FRM, x0
    CHECK(a4, 5)
    csrrs a4, CSR_FFLAGS, x0
    CHECK(a4, 5)

    // Writes to fflags / frm update fcsr; other field untouched
    TEST_BEGIN(3)
    li a1, 0x60                 // frm = 3, fflags = 0
    csrrw x0, CSR_FCSR, a1
    li a1, 0x11
    csrrw a4, CSR_FFLAGS, a1
    CHECK(a4, 0)
    csrrs a4, CSR_FCSR, x0
    CHECK(a4, 0x71)
    li a1, 6
    csrrw a4, CSR_FRM, a1
    CHECK(a4, 3)
    csrrs a4, CSR_FCSR, x0
    CHECK(a4, 0xd1)
    csrrs a4, CSR_FFLAGS, x0
    CHECK(a4, 0x11)

    // Field widths: extra bits are dropped
    TEST_BEGIN(4)
    csrrw x0, CSR_FCSR, x0
    li a1, -1
    csrrw x0, CSR_FFLAGS, a1
    csrrs a4, CSR_FFLAGS, x0
    CHECK(a4, 0x1f)
    csrrs a4, CSR_FCSR, x0
    CHECK(a4, 0x1f)
    csrrw x0, CSR_FRM, a1
    csrrs a4, CSR_FRM, x0
    CHECK(a4, 7)
    csrrs a4, CSR_FCSR, x0
    CHECK(a4, 0xff)
    li a1, 0xffffffffffffff00   // only reserved bits of fcsr set
    csrrw a4, CSR_FCSR, a1
    CHECK(a4, 0xff)
    csrrs a4, CSR_FCSR, x0
    CHECK(a4, 0)
    li a1, 0xffffffff
    csrrw x0, CSR_FCSR, a1
    csrrs a4, CSR_FCSR, x0
    CHECK(a4, 0xff)

    // CSRRS: set bits, returns old value
    TEST_BEGIN(5)
    csrrw x0, CSR_FCSR, x0
    li a1, 0x03
    csrrs a4, CSR_FFLAGS, a1
    CHECK(a4, 0)
    li a1, 0x10
    csrrs a4, CSR_FFLAGS, a1
    CHECK(a4, 0x03)
    csrrs a4, CSR_FFLAGS, x0
    CHECK(a4, 0x13)
    li a1, 0x20                 // fcsr bit 5 = frm bit 0
    csrrs a4, CSR_FCSR, a1
    CHECK(a4, 0x13)
    csrrs a4, CSR_FRM, x0
    CHECK(a4, 1)

    // CSRRC: clear bits, returns old value
    TEST_BEGIN(6)
    li a1, 0xff
    csrrw x0, CSR_FCSR, a1
    li a1, 0x0f
    csrrc a4, CSR_FFLAGS, a1
    CHECK(a4, 0x1f)
    csrrs a4, CSR_FCSR, x0
    CHECK(a4, 0xf0)
    li a1, 0x5
    csrrc a4, CSR_FRM, a1
    CHECK(a4, 7)
    csrrs a4, CSR_FCSR, x0
    CHECK(a4, 0x50)
    csrrc a4, CSR_FCSR, x0      // rs1 = x0: pure read
    CHECK(a4, 0x50)
    csrrs a4, CSR_FCSR, x0
    CHECK(a4, 0x50)

    // CSRRWI / CSRRSI / CSRRCI: 5-bit zero-extended immediate
    TEST_BEGIN(7)
    csrrwi a4, CSR_FCSR, 0x1f
    CHECK(a4, 0x50)
    csrrwi a4, CSR_FRM, 2
    CHECK(a4, 0)
    csrrs a4, CSR_FCSR, x0
    CHECK(a4, 0x5f)
    csrrci a4, CSR_FFLAGS, 0x15
    CHECK(a4, 0x1f)
    csrrs a4, CSR_FFLAGS, x0
    CHECK(a4, 0x0a)
    csrrsi a4, CSR_FFLAGS, 0x11
    CHECK(a4, 0x0a)
    csrrs a4, CSR_FCSR, x0
    CHECK(a4, 0x5b)
    csrrsi a4, CSR_FCSR, 0      // uimm = 0: pure read
    CHECK(a4, 0x5b)
    csrrci a4, CSR_FCSR, 0
    CHECK(a4, 0x5b)
    csrrwi a4, CSR_FCSR, 0      // csrrwi with 0 does write
    CHECK(a4, 0x5b)
    csrrs a4, CSR_FCSR, x0
    CHECK(a4, 0)
    csrrsi a4, CSR_FRM, 0x1f    // uimm wider than frm
    CHECK(a4, 0)
    csrrs a4, CSR_FRM, x0
    CHECK(a4, 7)
    csrrci a4, CSR_FRM, 0x1f
    CHECK(a4, 7)
    csrrs a4, CSR_FCSR, x0
    CHECK(a4, 0)

    // rd == rs1: old CSR value to rd, old rs1 value to the CSR
    TEST_BEGIN(8)
    csrrwi x0, CSR_FCSR, 0x0c
    li a1, 0x33
    csrrw a1, CSR_FCSR, a1
    CHECK(a1, 0x0c)
    csrrs a4, CSR_FCSR, x0
    CHECK(a4, 0x33)
    li a1, 0x0c
    csrrs a1, CSR_FCSR, a1
    CHECK(a1, 0x33)
    csrrs a4, CSR_FCSR, x0
    CHECK(a4, 0x3f)
    li a1, 0x3
    csrrc a1, CSR_FCSR, a1
    CHECK(a1, 0x3f)
    csrrs a4, CSR_FCSR, x0
    CHECK(a4, 0x3c)

    // rd = x0 forms write without reading
    TEST_BEGIN(9)
    li a1, 0x81
    csrrw x0, CSR_FCSR, a1
    li a1, 0x02
    csrrs x0, CSR_FCSR, a1
    li a1, 0x80
    csrrc x0, CSR_FCSR, a1
    csrrsi x0, CSR_FCSR, 0x10
    csrrci x0, CSR_FCSR, 0x01
    csrrs a4, CSR_FCSR, x0
    CHECK(a4, 0x12)
    CHECK(x0, 0)

    // High registers and pseudo-instructions (csrr/csrw/csrs/csrc/...)
    TEST_BEGIN(10)
    li t6, 0xe7
    csrw CSR_FCSR, t6
    csrr s11, CSR_FCSR
    CHECK(s11, 0xe7)
    csrc CSR_FCSR, t6
    csrr ra, CSR_FCSR
    CHECK(ra, 0)
    csrsi CSR_FFLAGS, 4
    csrwi CSR_FRM, 1
    csrci CSR_FFLAGS, 0
    csrr tp, CSR_FCSR
    CHECK(tp, 0x24)
    csrs CSR_FCSR, t6
    csrr tp, CSR_FCSR
    CHECK(tp, 0xe7)

    // Result is zero-extended: no sign extension from bit 7 / bit 31
    TEST_BEGIN(11)
    li a1, 0x80
    csrw CSR_FCSR, a1
    csrr a4, CSR_FCSR
    CHECK(a4, 0x80)
    csrw CSR_FCSR, x0

    // Counters: reads with rs1 = x0 / uimm = 0 are legal and do not write
    TEST_BEGIN(20)
    csrrs a1, CSR_CYCLE, x0
    csrrc a2, CSR_CYCLE, x0
    csrrsi a3, CSR_CYCLE, 0
    csrrci a4, CSR_CYCLE, 0
    bltu a2, a1, fail           // non-decreasing sequence
    bltu a3, a2, fail
    bltu a4, a3, fail

    // instret strictly increases: the csrrs and the loop retired in between
    TEST_BEGIN(21)
    rdinstret a1
    li a5, 100
1:  addi a5, a5, -1
    bnez a5, 1b
    csrrs a2, CSR_INSTRET, x0
    bgeu a1, a2, fail
    sub a4, a2, a1
    li a5, 200                  // at least ~200 instructions retired
    bltu a4, a5, fail

    // instret: back-to-back reads still increase
    TEST_BEGIN(22)
    csrrs a1, CSR_INSTRET, x0
    csrrs a2, CSR_INSTRET, x0
    csrrsi a3, CSR_INSTRET, 0
    csrrci a4, CSR_INSTRET, 0
    bgeu a1, a2, fail
    bgeu a2, a3, fail
    bgeu a3, a4, fail

    // cycle strictly increases across a loop
    TEST_BEGIN(23)
    rdcycle a1
    li a5, 1000
1:  addi a5, a5, -1
    bnez a5, 1b
    csrrs a2, CSR_CYCLE, x0
    bgeu a1, a2, fail

    // time is monotonic (non-decreasing) and readable with every form
    TEST_BEGIN(24)
    rdtime a1
    li a5, 1000
1:  addi a5, a5, -1
    bnez a5, 1b
    csrrs a2, CSR_TIME, x0
    csrrc a3, CSR_TIME, x0
    csrrsi a4, CSR_TIME, 0
    csrrci a5, CSR_TIME, 0
    bltu a2, a1, fail
    bltu a3, a2, fail
    bltu a4, a3, fail
    bltu a5, a4, fail

    // Counter reads into x0 and high registers
    TEST_BEGIN(25)
    csrrs x0, CSR_CYCLE, x0
    csrrs x0, CSR_INSTRET, x0
    CHECK(x0, 0)
    rdinstret t6
    rdinstret s11
    bgeu t6, s11, fail

RVTEST_CODE_END
