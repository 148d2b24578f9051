// FP loads and stores: FLW, FSW, FLD, FSD, and the RV64C forms C.FLD, C.FSD,
// C.FLDSP, C.FSDSP (RV64 has no C.FLW/C.FSW: those encodings are C.LD/C.SD).
// Loads and stores are transfers: "FLW and FSW are only guaranteed to execute
// atomically if the effective address is naturally aligned ... [they] do not
// modify the bits being transferred; in particular, the payloads of
// non-canonical NaNs are preserved." They raise no FP exception flags.
// NaN boxing: "A narrower n-bit transfer, n<FLEN, into the f registers will
// create a valid NaN-boxed value. A narrower n-bit transfer out of the
// floating-point registers will transfer the lower n bits of the register
// ignoring the upper FLEN-n bits." So flw sets bits 63:32 to all ones, and fsw
// stores bits 31:0 whatever the upper half holds.
// c.fld/c.fsd: offset 0..248 (x8), registers x8-x15 / f8-f15;
// c.fldsp/c.fsdsp: offset 0..504 (x8), any f register.
// Misaligned FP accesses (cases 30-33) must work under Linux like integer ones.

#include "test_macros.h"

.option norvc

RVTEST_CODE_BEGIN

    // FLW: bits loaded unchanged, NaN-boxed, no flags (even for a signaling NaN)
    TEST_BEGIN(1)
    la a1, fp_src
    fsflags x0
    flw fa0, 0(a1)
    fmv.x.d a4, fa0
    CHECK(a4, 0xffffffff3f800000)
    fmv.x.w a4, fa0
    CHECK(a4, 0x3f800000)
    CHECK_FFLAGS(0)

    TEST_BEGIN(2)
    la a1, fp_src
    flw ft11, 4(a1)
    fmv.x.w a4, ft11
    CHECK(a4, 0xffffffffbf800000)   // -1.0 (fmv.x.w sign-extends)
    fmv.x.d a4, ft11
    CHECK(a4, 0xffffffffbf800000)

    TEST_BEGIN(3)
    la a1, fp_src
    fsflags x0
    flw fs5, 8(a1)                  // signaling NaN 0x7f800001
    fmv.x.d a4, fs5
    CHECK(a4, 0xffffffff7f800001)
    flw fs6, 12(a1)                 // quiet NaN with payload
    fmv.x.d a4, fs6
    CHECK(a4, 0xffffffff7fc12345)
    CHECK_FFLAGS(0)

    TEST_BEGIN(4)                   // negative offset, upper half of the old value replaced
    li t0, 0x123456789abcdef0
    fmv.d.x fa1, t0
    la a1, fp_src + 16
    flw fa1, -12(a1)
    fmv.x.d a4, fa1
    CHECK(a4, 0xffffffffbf800000)

    TEST_BEGIN(5)                   // a loaded single is usable as an operand
    la a1, fp_src
    flw fa0, 0(a1)
    flw fa1, 4(a1)
    fsflags x0
    fsub.s fa2, fa0, fa1, rne
    fmv.x.w a4, fa2
    CHECK(a4, 0x40000000)           // 1 - (-1) = 2
    CHECK_FFLAGS(0)

    // FLD
    TEST_BEGIN(6)
    la a1, fp_src
    fsflags x0
    fld fa0, 16(a1)
    fmv.x.d a4, fa0
    CHECK(a4, 0x400921fb54442d18)
    fld ft0, 24(a1)                 // signaling NaN with payload, sign set
    fmv.x.d a4, ft0
    CHECK(a4, 0xfff0000000000001)
    fld fs11, 32(a1)                // a NaN-boxed single in memory: just 64 bits
    fmv.x.d a4, fs11
    CHECK(a4, 0xffffffff7fc00000)
    CHECK_FFLAGS(0)

    TEST_BEGIN(7)
    la a1, fp_src + 40
    fld fa5, -16(a1)
    fmv.x.d a4, fa5
    CHECK(a4, 0xfff0000000000001)

    // FSW: writes 4 bytes only; stores the low 32 bits even if not NaN-boxed
    TEST_BEGIN(8)
    la a1, fp_buf
    li a2, 0x5555555555555555
    sd a2, 0(a1)
    sd a2, 8(a1)
    li t0, 0xc0490fdb
    fmv.w.x fa0, t0
    fsflags x0
    fsw fa0, 4(a1)
    ld a4, 0(a1)
    CHECK(a4, 0xc0490fdb55555555)
    ld a4, 8(a1)
    CHECK(a4, 0x5555555555555555)
    CHECK_FFLAGS(0)

    TEST_BEGIN(9)
    la a1, fp_buf + 16
    li a2, 0x5555555555555555
    sd a2, -16(a1)
    sd a2, -8(a1)
    li t0, 0x123456789abcdef0       // not a NaN-boxed single
    fmv.d.x ft7, t0
    fsw ft7, -8(a1)
    ld a4, -16(a1)
    CHECK(a4, 0x5555555555555555)
    ld a4, -8(a1)
    CHECK(a4, 0x555555559abcdef0)

    TEST_BEGIN(10)                  // signaling NaN stored unchanged, no flags
    la a1, fp_buf
    li t0, 0xff800001
    fmv.w.x fs0, t0
    fsflags x0
    fsw fs0, 0(a1)
    lwu a4, 0(a1)
    CHECK(a4, 0xff800001)
    CHECK_FFLAGS(0)

    TEST_BEGIN(11)                  // flw / fsw round trip
    la a1, fp_src
    la a2, fp_buf
    flw fa3, 12(a1)
    fsw fa3, 12(a2)
    lwu a4, 12(a2)
    CHECK(a4, 0x7fc12345)

    // FSD: writes 8 bytes only
    TEST_BEGIN(12)
    la a1, fp_buf
    li a2, 0x5555555555555555
    sd a2, 0(a1)
    sd a2, 8(a1)
    sd a2, 16(a1)
    li t0, 0x7ff4000000000abc
    fmv.d.x fa0, t0
    fsflags x0
    fsd fa0, 8(a1)
    ld a4, 0(a1)
    CHECK(a4, 0x5555555555555555)
    ld a4, 8(a1)
    CHECK(a4, 0x7ff4000000000abc)
    ld a4, 16(a1)
    CHECK(a4, 0x5555555555555555)
    CHECK_FFLAGS(0)

    TEST_BEGIN(13)                  // a NaN-boxed single is stored as 64 bits
    la a1, fp_buf + 24
    li t0, 0x3f800000
    fmv.w.x ft3, t0
    fsd ft3, -24(a1)
    ld a4, -24(a1)
    CHECK(a4, 0xffffffff3f800000)

    TEST_BEGIN(14)                  // fld / fsd round trip through every 8th f register
    la a1, fp_src
    la a2, fp_buf
    fld f0, 16(a1)
    fld f8, 24(a1)
    fld f16, 16(a1)
    fld f31, 24(a1)
    fsd f0, 0(a2)
    fsd f8, 8(a2)
    fsd f16, 16(a2)
    fsd f31, 24(a2)
    ld a4, 0(a2)
    CHECK(a4, 0x400921fb54442d18)
    ld a4, 8(a2)
    CHECK(a4, 0xfff0000000000001)
    ld a4, 16(a2)
    CHECK(a4, 0x400921fb54442d18)
    ld a4, 24(a2)
    CHECK(a4, 0xfff0000000000001)

    // C.FLD / C.FSD (rd', rs1', rs2' in x8-x15 / f8-f15)
.option push
.option rvc
    TEST_BEGIN(20)
    la s0, fp_src
    fsflags x0
    c.fld fa0, 16(s0)
    fmv.x.d a4, fa0
    CHECK(a4, 0x400921fb54442d18)
    la a5, fp_src - 232
    c.fld fs1, 248(a5)              // largest offset: fp_src + 16
    fmv.x.d a4, fs1
    CHECK(a4, 0x400921fb54442d18)
    la a2, fp_src + 24
    c.fld fa5, 0(a2)
    fmv.x.d a4, fa5
    CHECK(a4, 0xfff0000000000001)
    CHECK_FFLAGS(0)

    TEST_BEGIN(21)
    la s1, fp_buf
    li a2, 0x5555555555555555
    sd a2, 0(s1)
    sd a2, 8(s1)
    sd a2, 16(s1)
    li t0, 0x8000000000000001
    fmv.d.x fs0, t0
    c.fsd fs0, 8(s1)
    ld a4, 0(s1)
    CHECK(a4, 0x5555555555555555)
    ld a4, 8(s1)
    CHECK(a4, 0x8000000000000001)
    ld a4, 16(s1)
    CHECK(a4, 0x5555555555555555)
    la a0, fp_buf - 248
    li t0, 0x0123456789abcdef
    fmv.d.x fa4, t0
    c.fsd fa4, 248(a0)              // largest offset: fp_buf + 0
    ld a4, 0(s1)
    CHECK(a4, 0x0123456789abcdef)

    // C.FLDSP / C.FSDSP (any f register)
    TEST_BEGIN(22)
    mv s11, sp
    la sp, fp_src
    c.fldsp ft0, 16(sp)
    c.fldsp f31, 24(sp)
    la sp, fp_src - 488
    c.fldsp fs7, 504(sp)            // largest offset: fp_src + 16
    mv sp, s11
    fmv.x.d a4, ft0
    CHECK(a4, 0x400921fb54442d18)
    fmv.x.d a4, f31
    CHECK(a4, 0xfff0000000000001)
    fmv.x.d a4, fs7
    CHECK(a4, 0x400921fb54442d18)

    TEST_BEGIN(23)
    la a1, fp_buf
    sd x0, 0(a1)
    sd x0, 8(a1)
    sd x0, 16(a1)
    li t0, 0x7ff0000000000002
    fmv.d.x ft9, t0
    li t0, -1
    fmv.d.x fs2, t0
    mv s11, sp
    la sp, fp_buf
    c.fsdsp ft9, 8(sp)
    la sp, fp_buf - 504
    c.fsdsp fs2, 504(sp)            // largest offset: fp_buf + 0
    mv sp, s11
    ld a4, 0(a1)
    CHECK(a4, -1)
    ld a4, 8(a1)
    CHECK(a4, 0x7ff0000000000002)
    ld a4, 16(a1)
    CHECK(a4, 0)

    TEST_BEGIN(24)                  // round trip through the real stack
    c.addi16sp sp, -32
    li t0, 0x4005bf0a8b145769
    fmv.d.x fa2, t0
    c.fsdsp fa2, 24(sp)
    c.fldsp ft4, 24(sp)
    c.addi16sp sp, 32
    fmv.x.d a4, ft4
    CHECK(a4, 0x4005bf0a8b145769)
.option pop

    // Misaligned FP loads and stores
    TEST_BEGIN(30)
    la a1, fp_mis
    flw fa0, 1(a1)
    fmv.x.d a4, fa0
    CHECK(a4, 0xffffffff44332211)
    TEST_BEGIN(31)
    la a1, fp_mis
    fld fa0, 3(a1)
    fmv.x.d a4, fa0
    CHECK(a4, 0xaa99887766554433)
    TEST_BEGIN(32)
    la a1, fp_buf
    sd x0, 0(a1)
    sd x0, 8(a1)
    li t0, 0xa1b2c3d4
    fmv.w.x fa0, t0
    fsw fa0, 3(a1)
    ld a4, 0(a1)
    CHECK(a4, 0x00a1b2c3d4000000)
    TEST_BEGIN(33)
    la a1, fp_buf
    sd x0, 0(a1)
    sd x0, 8(a1)
    li t0, 0x1122334455667788
    fmv.d.x fa0, t0
    fsd fa0, 5(a1)
    ld a4, 0(a1)
    CHECK(a4, 0x6677880000000000)
    ld a4, 8(a1)
    CHECK(a4, 0x0000001122334455)

RVTEST_CODE_END

RVTEST_DATA_BEGIN
    .balign 8
fp_src:
    .word 0x3f800000                // 0: 1.0f
    .word 0xbf800000                // 4: -1.0f
    .word 0x7f800001                // 8: signaling NaN
    .word 0x7fc12345                // 12: quiet NaN with payload
    .dword 0x400921fb54442d18       // 16: pi
    .dword 0xfff0000000000001       // 24: -sNaN
    .dword 0xffffffff7fc00000       // 32: boxed canonical single NaN
fp_mis:
    .byte 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb
    .balign 8
fp_buf:
    .zero 64
RVTEST_DATA_END
