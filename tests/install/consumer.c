/*
 * A program outside the rvvm tree, built against the installed library with
 * pkg-config only (tests/install/install_test.sh). It builds a tiny RV64
 * executable in memory, runs it on a bare machine whose host handler adds
 * two numbers and ends the program, snapshots it half-way and resumes it
 * from bytes. Exit status 0 when every check holds.
 */
#include <rvvm/guest.h>
#include <rvvm/rvvm.h>
#include <rvvm/snapshot.h>

#include <stdio.h>
#include <string.h>

#define TEXT 0x10000u
#define ADD_CALL (RVVM_HOSTCALL_BASE + 0x7f0u) /* this host's own call number */

static void put(unsigned char *p, unsigned long long v, int n)
{
    for (int i = 0; i < n; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static unsigned addi(unsigned rd, unsigned rs1, int imm)
{
    return ((unsigned)imm & 0xfffu) << 20 | rs1 << 15 | rd << 7 | 0x13u;
}

/* addi a0,x0,20; addi a1,x0,22; lui a7,hi; addiw a7,a7,lo; ecall; addi a7,x0,93; ecall */
static size_t build(unsigned char *img)
{
    const unsigned code[] = {
        addi(10, 0, 20), addi(11, 0, 22),
        (ADD_CALL & 0xfffff000u) | 17u << 7 | 0x37u,
        (ADD_CALL & 0xfffu) << 20 | 17u << 15 | 17u << 7 | 0x1bu,
        0x00000073u, addi(17, 0, 93), 0x00000073u,
    };
    size_t n = sizeof code / sizeof *code;
    memset(img, 0, 0x1000);
    memcpy(img, "\x7f" "ELF\x02\x01\x01", 7);
    put(img + 16, 2, 2);    /* ET_EXEC */
    put(img + 18, 243, 2);  /* EM_RISCV */
    put(img + 20, 1, 4);
    put(img + 24, TEXT, 8); /* entry */
    put(img + 32, 64, 8);   /* phoff */
    put(img + 52, 64, 2);
    put(img + 54, 56, 2);
    put(img + 56, 1, 2);    /* one program header */
    put(img + 58, 64, 2);
    unsigned char *ph = img + 64;
    put(ph, 1, 4);          /* PT_LOAD */
    put(ph + 4, 5, 4);      /* R+X */
    put(ph + 8, 0x1000, 8);
    put(ph + 16, TEXT, 8);
    put(ph + 24, TEXT, 8);
    put(ph + 32, 4 * n, 8);
    put(ph + 40, 4 * n, 8);
    put(ph + 48, 0x1000, 8);
    for (size_t i = 0; i < n; i++)
        put(img + 0x1000 + 4 * i, code[i], 4);
    return 0x1000 + 4 * n;
}

static rvvm_ecall_action on_ecall(rvvm_machine *m, void *user, uint64_t *code)
{
    int *calls = user;
    ++*calls;
    if (rvvm_reg(m, 17) == ADD_CALL) {
        if (rvvm_charge(m, 5) != RVVM_OK)
            return RVVM_ECALL_HANDLED;
        rvvm_set_reg(m, 10, rvvm_reg(m, 10) + rvvm_reg(m, 11));
        return RVVM_ECALL_HANDLED;
    }
    if (rvvm_reg(m, 17) == 93) {
        *code = rvvm_reg(m, 10);
        return RVVM_ECALL_EXIT;
    }
    return RVVM_ECALL_FAULT;
}

#define CHECK(c)                                                                   \
    do {                                                                           \
        if (!(c)) {                                                                \
            fprintf(stderr, "consumer: check failed: %s (line %d)\n", #c, __LINE__); \
            return 1;                                                              \
        }                                                                          \
    } while (0)

int main(void)
{
    static unsigned char img[0x2000];
    size_t size = build(img);
    rvvm_config cfg;
    rvvm_config_init(&cfg);
    CHECK(cfg.struct_size == sizeof cfg);
    cfg.memory_size = 1u << 20;
    cfg.os = RVVM_OS_NONE;
    rvvm_machine *m;
    CHECK(rvvm_create(&cfg, &m) == RVVM_OK);
    CHECK(rvvm_load_elf_memory(m, img, size, "consumer", NULL, NULL) == RVVM_OK);
    int calls = 0;
    rvvm_set_ecall_handler(m, on_ecall, &calls);

    /* Four instructions, then snapshot and resume from bytes in a new machine. */
    rvvm_run_result r;
    CHECK(rvvm_run(m, 4, &r) == RVVM_OK && r.reason == RVVM_STOP_CYCLE_LIMIT);
    unsigned char *snap;
    size_t snap_size;
    CHECK(rvvm_snapshot_save_buffer(m, 0, &snap, &snap_size) == RVVM_OK);
    rvvm_destroy(m);
    rvvm_resume_options opt;
    rvvm_resume_options_init(&opt);
    opt.program_image = img;
    opt.program_size = size;
    char err[200];
    CHECK(rvvm_resume(snap, snap_size, &opt, &m, err, sizeof err) == RVVM_OK);
    rvvm_buffer_free(snap);
    rvvm_set_ecall_handler(m, on_ecall, &calls);
    CHECK(rvvm_run(m, RVVM_NO_LIMIT, &r) == RVVM_OK);
    CHECK(r.reason == RVVM_STOP_EXITED && r.exit_code == 42);
    CHECK(calls == 2);
    /* 7 instructions at unit cost, plus the 5 cycles charged for the host call. */
    CHECK(rvvm_cycles(m) == 12 && rvvm_instructions(m) == 7);
    rvvm_destroy(m);
    printf("consumer: rvvm %s: exit 42 after 12 cycles, resumed from bytes\n", RVVM_VERSION_STRING);
    return 0;
}
