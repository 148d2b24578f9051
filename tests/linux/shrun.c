/*
 * shrun: runs a bare-metal semihosting program (picolibc --oslib=semihost)
 * for the tests, like `rvrun [--dir SPEC]... prog.elf [args]`.
 *
 * Test scaffolding: when the interpreter stops at the semihosting sequence
 * (slli x0,x0,0x1f; ebreak; srai x0,x0,7) with a breakpoint fault, shrun
 * calls rv_semihost itself and continues after the ebreak; once the
 * interpreter dispatches semihosting on its own, that path is never taken.
 * Likewise it stands in for mtvec, the one machine-mode CSR picolibc's
 * crt0-semihost touches (it installs a trap handler), until the core has it.
 */
#include "core/cpu.h"
#include "linux/os.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint32_t word_at(rvvm_machine *m, uint64_t addr)
{
    uint8_t b[4];
    if (rvvm_read_memory(m, addr, b, 4) != RVVM_OK)
        return 0;
    return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

static int grant(rvvm_machine *m, const char *arg)
{
    char spec[4096];
    snprintf(spec, sizeof spec, "%s", arg);
    bool writable = false;
    char *colon = strrchr(spec, ':');
    if (colon && (!strcmp(colon, ":rw") || !strcmp(colon, ":ro"))) {
        writable = strcmp(colon, ":rw") == 0;
        *colon = '\0';
        colon = strrchr(spec, ':');
    }
    const char *guest = NULL;
    if (colon && colon[1] == '/') {
        *colon = '\0';
        guest = colon + 1;
    }
    if (rvvm_grant_dir(m, spec, guest, writable) != RVVM_OK) {
        fprintf(stderr, "shrun: --dir %s: %s\n", arg, rvvm_last_error(m));
        return 125;
    }
    return 0;
}

int main(int argc, char **argv)
{
    int i = 1;
    rvvm_machine *m;
    if (rvvm_create(NULL, &m) != RVVM_OK)
        return 125;
    const char *dirs[64];
    int ndirs = 0;
    for (; i < argc && strncmp(argv[i], "--", 2) == 0; i++) {
        if (!strncmp(argv[i], "--dir=", 6) && ndirs < 64)
            dirs[ndirs++] = argv[i] + 6;
        else if (!strcmp(argv[i], "--dir") && i + 1 < argc && ndirs < 64)
            dirs[ndirs++] = argv[++i];
        else {
            fprintf(stderr, "shrun: unknown option %s\n", argv[i]);
            return 125;
        }
    }
    if (i >= argc) {
        fprintf(stderr, "usage: shrun [--dir SPEC]... prog.elf [args...]\n");
        return 125;
    }
    if (rvvm_load_elf_file(m, argv[i], (const char *const *)&argv[i], NULL) != RVVM_OK) {
        fprintf(stderr, "shrun: %s: %s\n", argv[i], rvvm_last_error(m));
        return 125;
    }
    for (int d = 0; d < ndirs; d++) {
        int rc = grant(m, dirs[d]);
        if (rc)
            return rc;
    }
    uint64_t mtvec = 0;
    for (;;) {
        rvvm_run_result res;
        if (rvvm_run(m, RVVM_NO_LIMIT, &res) != RVVM_OK) {
            fprintf(stderr, "shrun: %s\n", rvvm_last_error(m));
            return 125;
        }
        if (res.reason == RVVM_STOP_EXITED) {
            rvvm_destroy(m);
            return res.exit_code;
        }
        uint64_t pc = res.fault.pc;
        if (res.reason == RVVM_STOP_FAULT && res.fault.kind == RVVM_FAULT_BREAKPOINT &&
            word_at(m, pc - 4) == 0x01f01013u && word_at(m, pc + 4) == 0x40705013u) {
            int r = rv_semihost(m);
            if (r > 0) {
                int code = m->exit_code;
                rvvm_destroy(m);
                return code;
            }
            if (r == 0) {
                m->state = RV_STATE_READY;
                m->fault = (rvvm_fault){0};
                m->pc = pc + 4;
                continue;
            }
        }
        uint32_t enc = res.fault.encoding;
        if (res.reason == RVVM_STOP_FAULT && res.fault.kind == RVVM_FAULT_ILLEGAL_INSTRUCTION &&
            (enc & 0x7f) == 0x73 && (enc >> 20) == 0x305 && ((enc >> 12) & 3) != 0) {
            unsigned f3 = (enc >> 12) & 7, rd = (enc >> 7) & 31, rs1 = (enc >> 15) & 31;
            uint64_t src = f3 >= 5 ? rs1 : m->x[rs1], old = mtvec;
            switch (f3 & 3) {
            case 1: mtvec = src; break;
            case 2: if (rs1) mtvec = old | src; break;
            default: if (rs1) mtvec = old & ~src; break;
            }
            if (rd)
                m->x[rd] = old;
            m->state = RV_STATE_READY;
            m->fault = (rvvm_fault){0};
            m->pc = pc + 4;
            continue;
        }
        fprintf(stderr, "shrun: %s at pc 0x%llx\n", rvvm_fault_kind_string(res.fault.kind),
                (unsigned long long)pc);
        rvvm_destroy(m);
        return 128 + rvvm_fault_signal(res.fault.kind);
    }
}
