/*
 * Compares rvvm_disassemble with GNU objdump, text for text.
 *
 * Usage: disasm_check FILE...   (each FILE holds `objdump -d` output)
 *
 * Every instruction line ("addr:\tencoding\tmnemonic\toperands") is
 * disassembled again from its encoding and address. objdump's text is
 * normalised first, in the documented ways only (docs/tracing.md):
 * - the tab between mnemonic and operands becomes one space;
 * - " <symbol+offset>" after an address is dropped;
 * - a trailing " # ..." comment is dropped.
 * One exception: binutils 2.40 has no Zicond mnemonics, so where objdump
 * prints ".4byte 0x..." our "czero.eqz" / "czero.nez" text is accepted.
 * Any other difference is a failure. Exits 0 if all lines matched and there
 * was at least one, 1 otherwise.
 */
#include "rvvm/rvvm.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void normalise(const char *in, char *out, size_t size)
{
    size_t n = 0;
    bool first_tab = true;
    for (const char *p = in; *p && n + 1 < size; p++) {
        if (*p == '\n')
            break;
        if (*p == ' ' && p[1] == '#' && p[2] == ' ')
            break; /* comment */
        if (*p == ' ' && p[1] == '<') {
            const char *e = strchr(p, '>');
            if (e) {
                p = e;
                continue;
            }
        }
        if (*p == '\t' && first_tab) {
            first_tab = false;
            out[n++] = ' ';
            continue;
        }
        out[n++] = *p;
    }
    while (n > 0 && (out[n - 1] == ' ' || out[n - 1] == '\t'))
        n--;
    out[n] = '\0';
}

int main(int argc, char **argv)
{
    unsigned long checked = 0, failed = 0, skipped = 0, zicond = 0;
    for (int a = 1; a < argc; a++) {
        FILE *f = fopen(argv[a], "r");
        if (!f) {
            fprintf(stderr, "disasm_check: cannot open %s\n", argv[a]);
            return 1;
        }
        char line[1024];
        while (fgets(line, sizeof line, f)) {
            char *p = line, *e;
            while (*p == ' ')
                p++;
            uint64_t addr = strtoull(p, &e, 16);
            if (e == p || e[0] != ':' || e[1] != '\t')
                continue;
            p = e + 2;
            uint32_t raw = (uint32_t)strtoul(p, &e, 16);
            size_t digits = (size_t)(e - p);
            if (digits != 4 && digits != 8)
                continue;
            p = e;
            while (*p == ' ')
                p++;
            if (*p != '\t')
                continue;
            p++;
            if (strncmp(p, ".word", 5) == 0 || strncmp(p, ".short", 6) == 0 ||
                strncmp(p, ".byte", 5) == 0) {
                skipped++; /* data objdump knows is data */
                continue;
            }
            char want[512], got[512];
            normalise(p, want, sizeof want);
            size_t len = rvvm_disassemble(raw, addr, RVVM_ISA_ALL, got, sizeof got);
            checked++;
            if (len != digits / 2) {
                printf("%s: %" PRIx64 ": %0*" PRIx32 ": length %zu, want %zu\n", argv[a], addr,
                       (int)digits, raw, len, digits / 2);
                failed++;
                continue;
            }
            if (strcmp(want, got) == 0)
                continue;
            if (strncmp(want, ".4byte", 6) == 0 &&
                (strncmp(got, "czero.eqz ", 10) == 0 || strncmp(got, "czero.nez ", 10) == 0)) {
                zicond++;
                continue;
            }
            if (failed < 200)
                printf("%s: %" PRIx64 ": %0*" PRIx32 ": got '%s', objdump '%s'\n", argv[a], addr,
                       (int)digits, raw, got, want);
            failed++;
        }
        fclose(f);
    }
    printf("disasm_check: %lu instructions compared, %lu differ, %lu Zicond accepted, %lu data "
           "lines skipped\n",
           checked, failed, zicond, skipped);
    return failed == 0 && checked > 0 ? 0 : 1;
}
