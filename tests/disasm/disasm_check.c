/*
 * Compares rvvm_disassemble with GNU objdump (binutils 2.40), text for text.
 *
 * Usage: disasm_check TOOLPREFIX TMPDIR ELF...
 *   TOOLPREFIX  e.g. "riscv64-unknown-elf-": its objdump, readelf, as and ld are used
 *   TMPDIR      a scratch directory for the generated encodings
 *
 * For each ELF, `objdump -d` is read and every instruction line
 * ("addr:\tencoding\tmnemonic\toperands") is disassembled again from its
 * encoding and address, with the extensions of the ELF's Tag_RISCV_arch
 * attribute or, from a "$x<arch>" mapping symbol on, of that arch (objdump
 * decodes only those), plus C and Zicond (see below). Then the
 * same for generated encodings: all 49152 16-bit ones, and 32-bit ones from
 * every major opcode with every funct3 and funct7, fixed-seed random fields.
 *
 * objdump's text is normalised in the documented ways only (docs/tracing.md):
 * - the tab between mnemonic and operands becomes one space;
 * - " <symbol+offset>" after an address is dropped;
 * - a trailing " # ..." comment is dropped.
 * Lines objdump shows as data (.word, .short, .byte: mapping symbols) are
 * skipped. Exceptions: binutils 2.40 has no Zicond mnemonics, so where objdump prints
 * ".4byte 0x..." our "czero.eqz" / "czero.nez" is accepted; lines of
 * encodings longer than 32 bits (low bits 11111) are skipped, since rvvm
 * treats them as 4-byte illegal instructions. Any other difference is a
 * failure. Exits 0 if all lines matched, 1 otherwise.
 */
#include "rvvm/rvvm.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct counts {
    unsigned long checked, failed, zicond, skipped, data;
} counts;

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

/* Extension bits from an arch attribute such as "rv64i2p1_m2p0_c2p0_zicsr2p0". */
static uint32_t arch_isa(const char *arch)
{
    uint32_t isa = 0;
    static const struct {
        const char *name;
        uint32_t bit;
    } z[] = {{"zicsr", RVVM_ISA_ZICSR}, {"zifencei", RVVM_ISA_ZIFENCEI}, {"zba", RVVM_ISA_ZBA},
             {"zbb", RVVM_ISA_ZBB},     {"zbc", RVVM_ISA_ZBC},           {"zbs", RVVM_ISA_ZBS},
             {"zicond", RVVM_ISA_ZICOND}};
    if (strncmp(arch, "rv64", 4) != 0)
        return RVVM_ISA_ALL;
    const char *p = arch + 4;
    while (*p) {
        char tok[64];
        size_t n = 0;
        while (*p && *p != '_' && n + 1 < sizeof tok)
            tok[n++] = *p++;
        tok[n] = '\0';
        if (*p == '_')
            p++;
        if (tok[0] == 'z') {
            size_t k = 0;
            while (tok[k] && !(tok[k] >= '0' && tok[k] <= '9'))
                k++;
            tok[k] = '\0';
            for (size_t i = 0; i < sizeof z / sizeof z[0]; i++)
                if (strcmp(tok, z[i].name) == 0)
                    isa |= z[i].bit;
            continue;
        }
        for (const char *c = tok; *c; c++) {
            switch (*c) {
            case 'm': isa |= RVVM_ISA_M; break;
            case 'a': isa |= RVVM_ISA_A; break;
            case 'f': isa |= RVVM_ISA_F; break;
            case 'd': isa |= RVVM_ISA_D; break;
            case 'c': isa |= RVVM_ISA_C; break;
            case 'g':
                isa |= RVVM_ISA_M | RVVM_ISA_A | RVVM_ISA_F | RVVM_ISA_D | RVVM_ISA_ZICSR |
                       RVVM_ISA_ZIFENCEI;
                break;
            default: break; /* i, e, version digits and 'p' */
            }
        }
    }
    return isa;
}

static FILE *run(const char *cmd)
{
    FILE *f = popen(cmd, "r");
    if (!f)
        fprintf(stderr, "disasm_check: cannot run %s\n", cmd);
    return f;
}

/*
 * The extensions objdump decodes at each address: the ELF's Tag_RISCV_arch,
 * then from each "$x<arch>" mapping symbol on, that arch (a plain "$x" keeps
 * the current one).
 */
typedef struct region {
    uint64_t addr;
    uint32_t isa;
} region;

typedef struct elf_arch {
    uint32_t base;
    region *r;
    size_t n;
} elf_arch;

static int by_addr(const void *a, const void *b)
{
    const region *x = a, *y = b;
    return x->addr < y->addr ? -1 : x->addr > y->addr;
}

static void elf_arch_read(const char *prefix, const char *elf, elf_arch *ea)
{
    char cmd[4096], line[1024];
    ea->base = RVVM_ISA_M | RVVM_ISA_A | RVVM_ISA_F | RVVM_ISA_D | RVVM_ISA_C | RVVM_ISA_ZICSR |
               RVVM_ISA_ZIFENCEI; /* objdump's default, rv64gc */
    ea->r = NULL;
    ea->n = 0;
    snprintf(cmd, sizeof cmd, "%sreadelf -A -sW '%s'", prefix, elf);
    FILE *f = run(cmd);
    if (!f)
        return;
    size_t cap = 0;
    while (fgets(line, sizeof line, f)) {
        char *a = strstr(line, "Tag_RISCV_arch: \"");
        if (a) {
            a += strlen("Tag_RISCV_arch: \"");
            char *q = strchr(a, '"');
            if (q)
                *q = '\0';
            ea->base = arch_isa(a);
            continue;
        }
        char *x = strstr(line, " $xrv");
        char *colon = strchr(line, ':');
        if (!x || !colon)
            continue;
        char *nl = strchr(x, '\n');
        if (nl)
            *nl = '\0';
        if (ea->n == cap) {
            cap = cap ? 2 * cap : 64;
            region *r = realloc(ea->r, cap * sizeof *r);
            if (!r)
                break;
            ea->r = r;
        }
        ea->r[ea->n].addr = strtoull(colon + 1, NULL, 16);
        ea->r[ea->n].isa = arch_isa(x + 3);
        ea->n++;
    }
    pclose(f);
    qsort(ea->r, ea->n, sizeof *ea->r, by_addr);
}

static uint32_t isa_at(const elf_arch *ea, uint64_t addr)
{
    uint32_t isa = ea->base;
    for (size_t i = 0; i < ea->n && ea->r[i].addr <= addr; i++)
        isa = ea->r[i].isa;
    return isa;
}

static int compare(const char *prefix, const char *elf, const elf_arch *ea, uint32_t extra,
                   counts *c)
{
    char cmd[4096], line[1024];
    snprintf(cmd, sizeof cmd, "%sobjdump -d '%s'", prefix, elf);
    FILE *f = run(cmd);
    if (!f)
        return -1;
    unsigned long before = c->checked;
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
            c->data++; /* bytes a mapping symbol marks as data */
            continue;
        }
        if ((raw & 0x1f) == 0x1f) {
            c->skipped++; /* a 48-bit or longer encoding */
            continue;
        }
        char want[512], got[512];
        normalise(p, want, sizeof want);
        uint32_t isa = (ea ? isa_at(ea, addr) : RVVM_ISA_ALL) | extra;
        size_t len = rvvm_disassemble(raw, addr, isa, got, sizeof got);
        c->checked++;
        if (len != digits / 2) {
            printf("%s: %" PRIx64 ": %0*" PRIx32 ": length %zu, objdump %zu\n", elf, addr,
                   (int)digits, raw, len, digits / 2);
            c->failed++;
            continue;
        }
        if (strcmp(want, got) == 0)
            continue;
        if (strncmp(want, ".4byte", 6) == 0 &&
            (strncmp(got, "czero.eqz ", 10) == 0 || strncmp(got, "czero.nez ", 10) == 0)) {
            c->zicond++;
            continue;
        }
        if (c->failed < 100)
            printf("%s: %" PRIx64 ": %0*" PRIx32 ": got '%s', objdump '%s'\n", elf, addr,
                   (int)digits, raw, got, want);
        c->failed++;
    }
    int st = pclose(f);
    if (st != 0 || c->checked == before) {
        printf("%s: objdump failed or showed no instructions\n", elf);
        return -1;
    }
    return 0;
}

static uint64_t rng = 0x9e3779b97f4a7c15u;
static uint32_t next_random(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng >> 16);
}

/* Writes the generated encodings as .insn lines and builds an ELF of them. */
static int generate(const char *prefix, const char *dir, char *elf, size_t elf_size)
{
    char src[1024], obj[1024], cmd[8192];
    if (strlen(dir) > 900 || strlen(prefix) > 900) {
        fprintf(stderr, "disasm_check: path too long\n");
        return -1;
    }
    snprintf(src, sizeof src, "%s/gen.s", dir);
    snprintf(obj, sizeof obj, "%s/gen.o", dir);
    snprintf(elf, elf_size, "%s/gen.elf", dir);
    FILE *f = fopen(src, "w");
    if (!f) {
        fprintf(stderr, "disasm_check: cannot write %s\n", src);
        return -1;
    }
    fprintf(f, ".text\n.globl _start\n_start:\n");
    for (uint32_t v = 0; v < 0x10000; v++)
        if ((v & 3) != 3)
            fprintf(f, ".insn 2, 0x%04x\n", v);
    for (uint32_t op = 3; op < 128; op += 4) {
        if ((op & 0x1c) == 0x1c)
            continue; /* longer encodings */
        for (uint32_t f3 = 0; f3 < 8; f3++) {
            for (uint32_t f7 = 0; f7 < 128; f7++) {
                for (int k = 0; k < 3; k++) {
                    uint32_t r = next_random();
                    uint32_t rd = r & 31, rs1 = (r >> 5) & 31, rs2 = (r >> 10) & 31;
                    if (k == 1)
                        rs2 = (r >> 10) & 3; /* small rs2: selects unary and FP forms */
                    if (k == 2)
                        rs1 = rd = 0;
                    uint32_t v = op | rd << 7 | f3 << 12 | rs1 << 15 | rs2 << 20 | f7 << 25;
                    if (op == 0x73 && (f3 == 0 || f3 == 4))
                        v = (r & 1) ? 0x00100073 : 0x00000073; /* no privileged instructions */
                    fprintf(f, ".insn 4, 0x%08" PRIx32 "\n", v);
                }
            }
        }
    }
    if (fclose(f) != 0)
        return -1;
    snprintf(cmd, sizeof cmd,
             "%sas -march=rv64gc_zifencei_zba_zbb_zbc_zbs -o '%s' '%s' && %sld -Ttext=0x10000 -o "
             "'%s' '%s'",
             prefix, obj, src, prefix, elf, obj);
    if (system(cmd) != 0) {
        fprintf(stderr, "disasm_check: cannot assemble %s\n", src);
        return -1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: disasm_check TOOLPREFIX TMPDIR ELF...\n");
        return 1;
    }
    const char *prefix = argv[1];
    counts c = {0};
    int bad = 0;
    for (int a = 3; a < argc; a++) {
        elf_arch ea;
        elf_arch_read(prefix, argv[a], &ea);
        if (compare(prefix, argv[a], &ea, RVVM_ISA_C | RVVM_ISA_ZICOND, &c) != 0)
            bad = 1;
        free(ea.r);
    }
    char gen[1024];
    if (generate(prefix, argv[2], gen, sizeof gen) != 0 ||
        compare(prefix, gen, NULL, 0, &c) != 0)
        bad = 1;
    printf("disasm_check: %lu instructions compared, %lu differ, %lu Zicond accepted, %lu long "
           "encodings and %lu data lines skipped\n",
           c.checked, c.failed, c.zicond, c.skipped, c.data);
    return bad || c.failed ? 1 : 0;
}
