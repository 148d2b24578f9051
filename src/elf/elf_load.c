/*
 * Loading static ELF64 RISC-V executables, and building the
 * Linux initial stack (argc, argv, envp, auxv) at the top of guest memory.
 */
#include "../core/cpu.h"
#include "loader.h"
#include "../linux/sandbox.h"

#include <errno.h>
#include <stdatomic.h>
#include <fcntl.h>
#include <elf.h>
#include <limits.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef EM_RISCV
#define EM_RISCV 243
#endif

/* The stack takes the top of guest memory: 8 MiB, or a quarter of a small memory. */
#define RV_STACK_MAX (8ull << 20)

/* The AT_* auxiliary vector keys and ELF64 structures come from <elf.h>. */

static uint64_t page_up(uint64_t v) { return (v + RV_PAGE_MASK) & ~RV_PAGE_MASK; }

/* Deterministic AT_RANDOM bytes from the seed (SplitMix64; not for secrecy). */
static uint64_t splitmix64(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

typedef struct stack_builder {
    rvvm_machine *m;
    uint64_t sp;
    uint64_t low;
    bool overflow;
} stack_builder;

static uint64_t push_bytes(stack_builder *sb, const void *data, size_t len)
{
    if (sb->overflow || len > sb->sp - sb->low) {
        sb->overflow = true;
        return 0;
    }
    sb->sp -= len;
    memcpy(sb->m->mem.base + sb->sp, data, len);
    return sb->sp;
}

static void put_u64(rvvm_machine *m, uint64_t addr, uint64_t v)
{
    rv_store_le(m->mem.base + addr, v, 8);
}

static size_t count_strings(const char *const *v)
{
    size_t n = 0;
    while (v && v[n])
        n++;
    return n;
}

static rvvm_status build_stack(rvvm_machine *m, const char *const *argv, const char *const *envp,
                               uint64_t entry, uint64_t phdr_addr, uint64_t phnum, uint64_t at_base)
{
    size_t argc = count_strings(argv), envc = count_strings(envp);
    stack_builder sb = {.m = m, .sp = m->mem.size, .low = m->layout.stack_low};
    uint64_t *argv_addr = calloc(argc + 1, sizeof *argv_addr);
    uint64_t *envp_addr = calloc(envc + 1, sizeof *envp_addr);
    if (!argv_addr || !envp_addr) {
        free(argv_addr);
        free(envp_addr);
        return rv_fail(m, RVVM_ERR_NO_MEMORY, "out of memory building the initial stack");
    }
    /* Strings first, at the very top, as Linux lays them out. */
    for (size_t i = envc; i-- > 0;)
        envp_addr[i] = push_bytes(&sb, envp[i], strlen(envp[i]) + 1);
    for (size_t i = argc; i-- > 0;)
        argv_addr[i] = push_bytes(&sb, argv[i], strlen(argv[i]) + 1);
    uint64_t execfn = argc ? argv_addr[0] : 0;
    uint8_t random[16];
    uint64_t seed = m->config.seed;
    for (int i = 0; i < 2; i++) {
        uint64_t r = splitmix64(&seed);
        for (int b = 0; b < 8; b++)
            random[i * 8 + b] = (uint8_t)(r >> (8 * b));
    }
    uint64_t random_addr = push_bytes(&sb, random, sizeof random);

    uint64_t hwcap = 1u << ('i' - 'a');
    if (m->config.isa & RVVM_ISA_M) hwcap |= 1u << ('m' - 'a');
    if (m->config.isa & RVVM_ISA_A) hwcap |= 1u << ('a' - 'a');
    if (m->config.isa & RVVM_ISA_F) hwcap |= 1u << ('f' - 'a');
    if (m->config.isa & RVVM_ISA_D) hwcap |= 1u << ('d' - 'a');
    if (m->config.isa & RVVM_ISA_C) hwcap |= 1u << ('c' - 'a');
    const uint64_t auxv[][2] = {
        {AT_PHDR, phdr_addr}, {AT_PHENT, 56},       {AT_PHNUM, phnum},    {AT_PAGESZ, RV_PAGE_SIZE},
        {AT_BASE, at_base},   {AT_FLAGS, 0},        {AT_ENTRY, entry},    {AT_UID, 0},
        {AT_EUID, 0},         {AT_GID, 0},          {AT_EGID, 0},         {AT_HWCAP, hwcap},
        {AT_CLKTCK, 100},     {AT_SECURE, 0},       {AT_RANDOM, random_addr},
        {AT_EXECFN, execfn},  {AT_NULL, 0},
    };
    size_t auxc = sizeof auxv / sizeof auxv[0];
    size_t words = 1 + (argc + 1) + (envc + 1) + 2 * auxc;
    uint64_t sp = (sb.sp - words * 8) & ~(uint64_t)15;
    if (sb.overflow || sp < sb.low || sb.sp < words * 8) {
        free(argv_addr);
        free(envp_addr);
        return rv_fail(m, RVVM_ERR_NO_MEMORY, "arguments and environment do not fit on the stack");
    }
    uint64_t p = sp;
    put_u64(m, p, argc), p += 8;
    for (size_t i = 0; i < argc; i++)
        put_u64(m, p, argv_addr[i]), p += 8;
    put_u64(m, p, 0), p += 8;
    for (size_t i = 0; i < envc; i++)
        put_u64(m, p, envp_addr[i]), p += 8;
    put_u64(m, p, 0), p += 8;
    for (size_t i = 0; i < auxc; i++) {
        put_u64(m, p, auxv[i][0]);
        put_u64(m, p + 8, auxv[i][1]);
        p += 16;
    }
    free(argv_addr);
    free(envp_addr);
    m->x[2] = sp;
    /* These pages depend on the arguments, not the program: snapshots keep them. */
    for (uint64_t pg = sp >> RV_PAGE_SHIFT; pg < m->mem.page_count; pg++)
        m->mem.flags[pg] |= RV_PAGE_TOUCHED | RV_PAGE_ARGS;
    return RVVM_OK;
}

/* ---- bare-metal images: load addresses, RAM below __stack, memory size ---- */

static uint64_t sat_add(uint64_t a, uint64_t b) { return a > UINT64_MAX - b ? UINT64_MAX : a + b; }

static uint64_t stack_size_for(uint64_t mem_size)
{
    return mem_size / 4 < RV_STACK_MAX ? mem_size / 4 : RV_STACK_MAX;
}

/* The end of the address range segments may use in a memory of mem_size bytes. */
static uint64_t usable_end_for(uint64_t mem_size)
{
    return mem_size - stack_size_for(mem_size) - RV_PAGE_SIZE;
}

/*
 * A segment whose load address (LMA, p_paddr) differs from its address
 * (VMA, p_vaddr) is loaded as hardware would hold it: its file bytes at the
 * LMA (in "flash"), zeros at the VMA (in "RAM"), where the program's start-up
 * code copies them. Linux executables have p_paddr == p_vaddr.
 */
static bool has_lma(const Elf64_Phdr *p)
{
    return p->p_type == PT_LOAD && p->p_paddr != p->p_vaddr && p->p_filesz > 0;
}

/*
 * Guest memory grows to the smallest power of two whose usable part holds
 * [0, need) when the configured size does not: images linked at high
 * addresses (picolibc's default RAM at 0x20000000) still load. Only before
 * anything is loaded; the config then reports the size used.
 */
static rvvm_status fit_memory(rvvm_machine *m, uint64_t need)
{
    if (need <= usable_end_for(m->mem.size))
        return RVVM_OK;
    uint64_t size = RVVM_MIN_MEMORY_SIZE;
    while (size < RVVM_MAX_MEMORY_SIZE && (size < m->mem.size || usable_end_for(size) < need))
        size <<= 1;
    if (usable_end_for(size) < need)
        return RVVM_OK; /* too high for any memory: the range checks report it */
    rv_memory mem;
    if (rv_memory_init(&mem, size) != 0)
        return rv_fail(m, RVVM_ERR_NO_MEMORY, "cannot reserve %llu bytes of guest memory",
                       (unsigned long long)size);
    rv_slot **code = rv_code_table_alloc(mem.page_count);
    if (!code) {
        rv_memory_free(&mem);
        return rv_fail(m, RVVM_ERR_NO_MEMORY, "out of memory");
    }
    rv_code_free_all(m);
    memcpy(mem.regs, m->mem.regs, RV_REG_COUNT * sizeof *mem.regs);
    rv_memory_free(&m->mem);
    m->mem = mem;
    m->x = mem.regs;
    m->code = code;
    m->config.memory_size = size;
    return RVVM_OK;
}

static bool overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
    return alen && blen && a < b + blen && b < a + alen;
}

/* RISC-V has no write-only pages (a PTE with W and not R is reserved), so Linux maps W as R+W. */
static unsigned perms_of(uint32_t p_flags)
{
    return ((p_flags & (PF_R | PF_W)) ? RV_PAGE_R : 0) | ((p_flags & PF_W) ? RV_PAGE_W : 0) |
           ((p_flags & PF_X) ? RV_PAGE_X : 0);
}

/* Linux refuses a program header table larger than 64 KiB (load_elf_phdrs): 1170 entries. */
#define RV_PHDR_TABLE_MAX 65536u

/* An address range a segment occupies, for the overlap check. */
typedef struct span {
    uint64_t start, end;
    size_t seg;
} span;

static int cmp_span(const void *a, const void *b)
{
    const span *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    return x->seg < y->seg ? -1 : x->seg > y->seg;
}

static void add_range(rv_elf_info *info, uint64_t addr, uint64_t len)
{
    if (len == 0)
        return;
    info->ranges[info->range_count++] =
        (rv_page_range){addr >> RV_PAGE_SHIFT, page_up(addr + len) >> RV_PAGE_SHIFT};
}

/*
 * An ET_DYN program (PIE, static-pie) is moved so that its first page is at
 * RV_DYN_BASE: every segment address, the entry and the symbols get the same
 * bias, as Linux's ELF loader does with its (here fixed) load address.
 */
static rvvm_status relocate(rvvm_machine *m, Elf64_Ehdr *eh, Elf64_Phdr *ph, size_t phnum,
                            rv_elf_info *info)
{
    uint64_t lowest = UINT64_MAX;
    for (size_t i = 0; i < phnum; i++) {
        if (ph[i].p_type != PT_LOAD || ph[i].p_memsz == 0)
            continue;
        if (ph[i].p_vaddr > RVVM_MAX_MEMORY_SIZE || ph[i].p_memsz > RVVM_MAX_MEMORY_SIZE ||
            (has_lma(&ph[i]) && ph[i].p_paddr > RVVM_MAX_MEMORY_SIZE))
            return rv_fail(m, RVVM_ERR_ELF,
                           "segment %zu [0x%llx, +0x%llx) lies outside guest memory", i,
                           (unsigned long long)ph[i].p_vaddr, (unsigned long long)ph[i].p_memsz);
        if (ph[i].p_vaddr < lowest)
            lowest = ph[i].p_vaddr;
    }
    if (lowest == UINT64_MAX)
        return rv_fail(m, RVVM_ERR_ELF, "no loadable segments");
    uint64_t bias = RV_DYN_BASE - (lowest & ~RV_PAGE_MASK);
    for (size_t i = 0; i < phnum; i++) {
        if (ph[i].p_vaddr <= RVVM_MAX_MEMORY_SIZE)
            ph[i].p_vaddr += bias;
        if (ph[i].p_paddr <= RVVM_MAX_MEMORY_SIZE)
            ph[i].p_paddr += bias;
    }
    if (eh->e_entry <= RVVM_MAX_MEMORY_SIZE)
        eh->e_entry += bias;
    for (size_t i = 0; i < info->symbols.count; i++)
        info->symbols.by_addr[i].addr += bias;
    info->load_bias = bias;
    return RVVM_OK;
}

/* PT_INTERP's string: an absolute path, NUL-terminated inside the segment. */
static rvvm_status interp_path(rvvm_machine *m, const uint8_t *image, size_t size,
                               const Elf64_Phdr *p, char **out)
{
    if (*out)
        return rv_fail(m, RVVM_ERR_ELF, "more than one PT_INTERP");
    if (p->p_offset > size || p->p_filesz > size - p->p_offset || p->p_filesz < 2 ||
        p->p_filesz > RV_OS_PATH_MAX)
        return rv_fail(m, RVVM_ERR_ELF, "bad PT_INTERP: not a path inside the file");
    const char *s = (const char *)image + p->p_offset;
    size_t n = strnlen(s, (size_t)p->p_filesz);
    if (n == (size_t)p->p_filesz || s[0] != '/')
        return rv_fail(m, RVVM_ERR_ELF, "bad PT_INTERP: not a NUL-terminated absolute path");
    *out = strndup(s, n);
    return *out ? RVVM_OK : rv_fail(m, RVVM_ERR_NO_MEMORY, "out of memory");
}

static rvvm_status sha256(rvvm_machine *m, const void *data, size_t len, uint8_t out[32]);

/* Reads the interpreter from the sysroot, beneath it (never leaving it). */
static rvvm_status read_interp(rvvm_machine *m, const char *path, uint8_t **data, size_t *size)
{
    if (!m->sysroot)
        return rv_fail(m, RVVM_ERR_ELF,
                       "dynamically linked program (PT_INTERP %s) needs a sysroot: give one "
                       "with --sysroot DIR (or RVVM_SYSROOT; rvvm_set_sysroot in the library)",
                       path);
    char norm[RV_OS_PATH_MAX];
    if (rv_path_normalize("/", path, norm, NULL) != 0)
        return rv_fail(m, RVVM_ERR_ELF, "bad PT_INTERP path '%s'", path);
    int fd = rv_beneath_open(m->sysroot_fd, norm + 1, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC,
                             0, true, false);
    if (fd < 0)
        return rv_fail(m, RVVM_ERR_ELF, "cannot open interpreter %s in sysroot %s: %s", path,
                       m->sysroot, strerror(-fd));
    struct stat stt;
    const char *why = NULL;
    if (fstat(fd, &stt) != 0 || !S_ISREG(stt.st_mode))
        why = "not a regular file";
    else if ((uint64_t)stt.st_size > RV_INTERP_MAX)
        why = "file too large";
    size_t len = why ? 0 : (size_t)stt.st_size, got = 0;
    uint8_t *buf = why ? NULL : malloc(len ? len : 1);
    if (!why && !buf)
        why = "out of memory";
    while (!why && got < len) {
        ssize_t n = read(fd, buf + got, len - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            why = n < 0 ? strerror(errno) : "file shrank while reading";
        else
            got += (size_t)n;
    }
    close(fd);
    if (why) {
        free(buf);
        return rv_fail(m, RVVM_ERR_ELF, "cannot read interpreter %s in sysroot %s: %s", path,
                       m->sysroot, why);
    }
    *data = buf;
    *size = len;
    return RVVM_OK;
}

/*
 * Loads the interpreter (an ET_DYN ELF file) from the sysroot at the highest
 * pages below the stack guard, at or above `floor` (the program's break).
 * Its pages are loaded pages like the program's: not dirty, not in
 * snapshots (the snapshot records the file's SHA-256 instead).
 */
static rvvm_status load_interp(rvvm_machine *m, uint64_t floor, uint64_t usable_end,
                               rv_elf_info *info, uint64_t *entry)
{
    const char *path = info->interp;
    uint8_t *img = NULL;
    size_t size = 0;
    rvvm_status st = read_interp(m, path, &img, &size);
    if (st != RVVM_OK)
        return st;
    Elf64_Ehdr eh;
    Elf64_Phdr *ph = NULL;
    const char *why = NULL;
    if (size < sizeof eh || memcmp(img, ELFMAG, SELFMAG) != 0 || img[EI_CLASS] != ELFCLASS64 ||
        img[EI_DATA] != ELFDATA2LSB)
        why = "not a 64-bit little-endian ELF file";
    if (!why) {
        memcpy(&eh, img, sizeof eh);
        if (eh.e_machine != EM_RISCV)
            why = "not RISC-V";
        else if (eh.e_type != ET_DYN)
            why = "not ET_DYN";
        else if (eh.e_phentsize != sizeof(Elf64_Phdr) || eh.e_phnum == 0 ||
                 eh.e_phnum * sizeof(Elf64_Phdr) > RV_PHDR_TABLE_MAX || eh.e_phoff > size ||
                 eh.e_phnum > (size - eh.e_phoff) / sizeof(Elf64_Phdr))
            why = "bad program headers";
    }
    size_t phnum = why ? 0 : eh.e_phnum;
    if (!why && !(ph = malloc(phnum * sizeof *ph)))
        why = "out of memory";
    uint64_t lo = UINT64_MAX, hi = 0;
    if (!why) {
        memcpy(ph, img + eh.e_phoff, phnum * sizeof *ph);
        for (size_t i = 0; i < phnum && !why; i++) {
            const Elf64_Phdr *p = &ph[i];
            if (p->p_type == PT_INTERP)
                why = "it has a PT_INTERP itself";
            if (p->p_type != PT_LOAD || p->p_memsz == 0)
                continue;
            if (p->p_filesz > p->p_memsz || p->p_offset > size ||
                p->p_filesz > size - p->p_offset || p->p_vaddr > RVVM_MAX_MEMORY_SIZE ||
                p->p_memsz > RVVM_MAX_MEMORY_SIZE ||
                (p->p_filesz && ((p->p_offset ^ p->p_vaddr) & RV_PAGE_MASK)))
                why = "a bad segment";
            else {
                if (p->p_vaddr < lo)
                    lo = p->p_vaddr & ~RV_PAGE_MASK;
                if (page_up(p->p_vaddr + p->p_memsz) > hi)
                    hi = page_up(p->p_vaddr + p->p_memsz);
            }
        }
        if (!why && hi == 0)
            why = "no loadable segments";
    }
    uint64_t base = 0;
    if (!why) {
        uint64_t span = hi - lo;
        if (span > usable_end || usable_end - span < floor)
            why = "it does not fit in guest memory (try a larger --memory)";
        else
            base = (usable_end - span) & ~RV_PAGE_MASK;
    }
    rv_page_range *grown = NULL;
    if (!why && !(grown = realloc(info->ranges, (info->range_count + phnum) * sizeof *grown)))
        why = "out of memory";
    if (grown)
        info->ranges = grown;
    if (!why) {
        uint64_t bias = base - lo;
        size_t first = info->range_count;
        for (size_t i = 0; i < phnum; i++) {
            const Elf64_Phdr *p = &ph[i];
            if (p->p_type != PT_LOAD || p->p_memsz == 0)
                continue;
            rv_memory_protect(&m->mem, bias + p->p_vaddr, p->p_memsz, perms_of(p->p_flags));
            add_range(info, bias + p->p_vaddr, p->p_memsz);
            memcpy(m->mem.base + bias + p->p_vaddr, img + p->p_offset, p->p_filesz);
        }
        for (size_t r = first; r < info->range_count; r++)
            for (uint64_t pg = info->ranges[r].first; pg < info->ranges[r].end; pg++)
                m->mem.flags[pg] |= RV_PAGE_TOUCHED;
        uint64_t e = eh.e_entry - lo; /* wraps for an entry below the first page: caught */
        if (e >= hi - lo || !(m->mem.flags[(base + e) >> RV_PAGE_SHIFT] & RV_PAGE_X) ||
            ((base + e) & ((m->config.isa & RVVM_ISA_C) ? 1 : 3)))
            why = "its entry point is not in an executable segment";
        *entry = base + e;
        info->interp_base = base;
        info->interp_end = hi - lo + base;
        info->interp_size = size;
    }
    if (!why && sha256(m, img, size, info->interp_sha256) != RVVM_OK)
        why = "SHA-256 failed";
    free(ph);
    free(img);
    if (why)
        return rv_fail(m, RVVM_ERR_ELF, "cannot load interpreter %s from sysroot %s: %s", path,
                       m->sysroot, why);
    return RVVM_OK;
}

rvvm_status rvvm_set_sysroot(rvvm_machine *m, const char *dir)
{
    if (!m || !dir)
        return RVVM_ERR_INVALID_ARGUMENT;
    if (m->state != RV_STATE_EMPTY)
        return rv_fail(m, RVVM_ERR_STATE, "set the sysroot before loading a program");
    int fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return rv_fail(m, RVVM_ERR_IO, "cannot open sysroot '%s': %s", dir, strerror(errno));
    char *abs = realpath(dir, NULL);
    if (!abs) {
        close(fd);
        return rv_fail(m, RVVM_ERR_IO, "cannot open sysroot '%s': %s", dir, strerror(errno));
    }
    if (m->sysroot)
        close(m->sysroot_fd);
    free(m->sysroot);
    m->sysroot = abs;
    m->sysroot_fd = fd;
    return RVVM_OK;
}

static rvvm_status load_image(rvvm_machine *m, const uint8_t *image, size_t size,
                              bool with_stack, const char *const *argv, const char *const *envp,
                              rv_elf_info *info)
{
    if (size < EI_NIDENT || memcmp(image, ELFMAG, SELFMAG) != 0)
        return rv_fail(m, RVVM_ERR_ELF, "not an ELF file");
    if (image[EI_CLASS] != ELFCLASS64)
        return rv_fail(m, RVVM_ERR_ELF, "wrong ELF class: not a 64-bit ELF file");
    if (image[EI_DATA] != ELFDATA2LSB)
        return rv_fail(m, RVVM_ERR_ELF, "wrong ELF data encoding: not little-endian");
    if (size < sizeof(Elf64_Ehdr))
        return rv_fail(m, RVVM_ERR_ELF, "truncated ELF file: incomplete header");
    /* Fields are read straight from the bytes: the host is little-endian (memory.h). */
    Elf64_Ehdr eh;
    memcpy(&eh, image, sizeof eh);
    if (eh.e_machine != EM_RISCV)
        return rv_fail(m, RVVM_ERR_ELF, "wrong machine: ELF e_machine %u is not RISC-V (243)",
                       (unsigned)eh.e_machine);
    if (eh.e_type != ET_EXEC && eh.e_type != ET_DYN)
        return rv_fail(m, RVVM_ERR_ELF,
                       "not an executable: ELF type %u (need ET_EXEC or ET_DYN)",
                       (unsigned)eh.e_type);
    if (eh.e_phentsize != sizeof(Elf64_Phdr))
        return rv_fail(m, RVVM_ERR_ELF, "bad program header size %u (ELF64 needs %zu)",
                       (unsigned)eh.e_phentsize, sizeof(Elf64_Phdr));
    size_t phnum = eh.e_phnum;
    if (phnum == 0)
        return rv_fail(m, RVVM_ERR_ELF, "no program headers");
    if (phnum * sizeof(Elf64_Phdr) > RV_PHDR_TABLE_MAX)
        return rv_fail(m, RVVM_ERR_ELF,
                       "%zu program headers: the table exceeds Linux's limit of %u bytes (%zu "
                       "entries)",
                       phnum, RV_PHDR_TABLE_MAX, RV_PHDR_TABLE_MAX / sizeof(Elf64_Phdr));
    if (eh.e_phoff > size || phnum > (size - eh.e_phoff) / sizeof(Elf64_Phdr))
        return rv_fail(m, RVVM_ERR_ELF, "truncated ELF file: program headers past end of file");

    rvvm_status st = RVVM_OK;
    char *interp = NULL;
    Elf64_Phdr *ph = malloc(phnum * sizeof *ph);
    span *spans = malloc(2 * phnum * sizeof *spans);
    info->ranges = malloc((2 * phnum + 2) * sizeof *info->ranges);
    if (!ph || !spans || !info->ranges) {
        st = rv_fail(m, RVVM_ERR_NO_MEMORY, "out of memory reading program headers");
        goto out;
    }
    memcpy(ph, image + eh.e_phoff, phnum * sizeof *ph);
    if (!rv_symtab_build(&info->symbols, image, size)) {
        st = rv_fail(m, RVVM_ERR_NO_MEMORY, "out of memory reading the symbol table");
        goto out;
    }
    if (eh.e_type == ET_DYN) {
        st = relocate(m, &eh, ph, phnum, info);
        if (st != RVVM_OK)
            goto out;
    }

    /* Everything the image occupies, to size guest memory before the checks. */
    uint64_t need = 0, stack_sym = 0;
    bool have_stack_sym = rv_symtab_find(&info->symbols, "__stack", &stack_sym);
    bool exec_stack = false;
    for (size_t i = 0; i < phnum; i++) {
        if (ph[i].p_type == PT_INTERP) {
            st = interp_path(m, image, size, &ph[i], &interp);
            if (st != RVVM_OK)
                goto out;
            continue;
        }
        /* Linux: an executable stack only if PT_GNU_STACK asks for one (RISC-V's default). */
        if (ph[i].p_type == PT_GNU_STACK)
            exec_stack = (ph[i].p_flags & PF_X) != 0;
        if (ph[i].p_type != PT_LOAD || ph[i].p_memsz == 0)
            continue;
        uint64_t end = sat_add(ph[i].p_vaddr, ph[i].p_memsz);
        if (has_lma(&ph[i]) && sat_add(ph[i].p_paddr, ph[i].p_filesz) > end)
            end = sat_add(ph[i].p_paddr, ph[i].p_filesz);
        if (end > need)
            need = end;
    }
    if (have_stack_sym && page_up(stack_sym) > need && stack_sym <= RVVM_MAX_MEMORY_SIZE)
        need = page_up(stack_sym);
    st = fit_memory(m, need);
    if (st != RVVM_OK)
        goto out;

    uint64_t stack_size = stack_size_for(m->mem.size);
    m->layout.stack_low = m->mem.size - stack_size;
    /* A guard page below the stack keeps the heap and mappings from running into it. */
    uint64_t usable_end = m->layout.stack_low - RV_PAGE_SIZE;
    uint64_t highest = 0, phdr_addr = 0;
    size_t loads = 0, nspans = 0;

    /* Checks, each segment once; nothing is written to guest memory yet. */
    for (size_t i = 0; i < phnum; i++) {
        Elf64_Phdr *p = &ph[i];
        if (p->p_type != PT_LOAD)
            continue;
        if (p->p_filesz > p->p_memsz) {
            st = rv_fail(m, RVVM_ERR_ELF, "segment %zu: file size exceeds memory size", i);
            goto out;
        }
        /* An empty segment (some linker scripts emit one for an empty section) maps nothing. */
        if (p->p_memsz == 0)
            continue;
        loads++;
        if (p->p_offset > size || p->p_filesz > size - p->p_offset) {
            st = rv_fail(m, RVVM_ERR_ELF, "truncated ELF file: segment %zu extends past end of file",
                         i);
            goto out;
        }
        if (p->p_vaddr < RV_PAGE_SIZE || p->p_vaddr >= usable_end ||
            p->p_memsz > usable_end - p->p_vaddr) {
            st = rv_fail(m, RVVM_ERR_ELF,
                         "segment %zu [0x%llx, +0x%llx) lies outside guest memory "
                         "[0x1000, 0x%llx)",
                         i, (unsigned long long)p->p_vaddr, (unsigned long long)p->p_memsz,
                         (unsigned long long)usable_end);
            goto out;
        }
        uint64_t plma = has_lma(p) ? p->p_filesz : 0;
        if (plma && (p->p_paddr < RV_PAGE_SIZE || p->p_paddr >= usable_end ||
                     p->p_filesz > usable_end - p->p_paddr)) {
            st = rv_fail(m, RVVM_ERR_ELF,
                         "segment %zu's load address [0x%llx, +0x%llx) lies outside guest memory "
                         "[0x1000, 0x%llx)",
                         i, (unsigned long long)p->p_paddr, (unsigned long long)p->p_filesz,
                         (unsigned long long)usable_end);
            goto out;
        }
        /* Linux maps file pages (mmap needs the offset and address congruent). */
        if (!plma && p->p_filesz && ((p->p_offset ^ p->p_vaddr) & RV_PAGE_MASK)) {
            st = rv_fail(m, RVVM_ERR_ELF,
                         "segment %zu: file offset 0x%llx and address 0x%llx differ modulo the "
                         "page size (4096)",
                         i, (unsigned long long)p->p_offset, (unsigned long long)p->p_vaddr);
            goto out;
        }
        if (overlaps(p->p_paddr, plma, p->p_vaddr, p->p_memsz)) {
            st = rv_fail(m, RVVM_ERR_ELF, "segment %zu's load address overlaps its address", i);
            goto out;
        }
        spans[nspans++] = (span){p->p_vaddr, p->p_vaddr + p->p_memsz, i};
        if (plma)
            spans[nspans++] = (span){p->p_paddr, p->p_paddr + plma, i};
        if (eh.e_phoff >= p->p_offset && eh.e_phoff - p->p_offset < p->p_filesz)
            phdr_addr = p->p_vaddr + (eh.e_phoff - p->p_offset);
        if (p->p_vaddr + p->p_memsz > highest)
            highest = p->p_vaddr + p->p_memsz;
        if (plma && p->p_paddr + plma > highest)
            highest = p->p_paddr + plma;
    }
    if (loads == 0) {
        st = rv_fail(m, RVVM_ERR_ELF, "no loadable segments");
        goto out;
    }
    /*
     * Addresses and load addresses of all segments must be disjoint (they may
     * share a page): sorted by start, each range must begin at or after the
     * furthest end seen so far.
     */
    qsort(spans, nspans, sizeof *spans, cmp_span);
    for (size_t i = 1, far = 0; i < nspans; i++) {
        if (spans[i].start < spans[far].end) {
            size_t a = spans[far].seg, b = spans[i].seg;
            st = rv_fail(m, RVVM_ERR_ELF, "overlapping segments %zu and %zu", a < b ? a : b,
                         a < b ? b : a);
            goto out;
        }
        if (spans[i].end > spans[far].end)
            far = i;
    }

    /*
     * The entry must be an instruction address (2-byte aligned, 4 without C:
     * the hardware cannot fetch from anywhere else), inside a segment, on a
     * page that ends up executable (the last segment to cover a page sets its
     * permissions, as Linux's MAP_FIXED mappings do).
     */
    uint64_t ialign = (m->config.isa & RVVM_ISA_C) ? 2 : 4;
    if (eh.e_entry & (ialign - 1)) {
        st = rv_fail(m, RVVM_ERR_ELF, "entry point 0x%llx is not %llu-byte aligned%s",
                     (unsigned long long)eh.e_entry, (unsigned long long)ialign,
                     ialign == 4 ? " (the C extension is disabled)" : "");
        goto out;
    }
    bool entry_in = false;
    unsigned entry_perms = 0;
    for (size_t i = 0; i < phnum; i++) {
        const Elf64_Phdr *p = &ph[i];
        if (p->p_type != PT_LOAD || p->p_memsz == 0)
            continue;
        if (eh.e_entry >= p->p_vaddr && eh.e_entry - p->p_vaddr < p->p_memsz)
            entry_in = true;
        if ((eh.e_entry >> RV_PAGE_SHIFT) >= (p->p_vaddr >> RV_PAGE_SHIFT) &&
            (eh.e_entry >> RV_PAGE_SHIFT) < (page_up(p->p_vaddr + p->p_memsz) >> RV_PAGE_SHIFT))
            entry_perms = perms_of(p->p_flags);
    }
    if (!entry_in || !(entry_perms & RV_PAGE_X)) {
        st = rv_fail(m, RVVM_ERR_ELF, "entry point 0x%llx is not in an executable segment",
                     (unsigned long long)eh.e_entry);
        goto out;
    }
    for (size_t i = 0; i < phnum; i++)
        if (ph[i].p_type == PT_PHDR)
            phdr_addr = ph[i].p_vaddr;

    /*
     * Segments in header order: each page gets the permissions of the last
     * segment covering it, and each segment's file bytes; the rest is zero.
     * Load addresses come after, readable, adding to what a page has.
     */
    for (size_t i = 0; i < phnum; i++) {
        Elf64_Phdr *p = &ph[i];
        if (p->p_type != PT_LOAD || p->p_memsz == 0)
            continue;
        rv_memory_protect(&m->mem, p->p_vaddr, p->p_memsz, perms_of(p->p_flags));
        add_range(info, p->p_vaddr, p->p_memsz);
        if (!has_lma(p))
            memcpy(m->mem.base + p->p_vaddr, image + p->p_offset, p->p_filesz);
    }
    for (size_t i = 0; i < phnum; i++) {
        Elf64_Phdr *p = &ph[i];
        if (!has_lma(p) || p->p_memsz == 0)
            continue;
        uint64_t lfirst = p->p_paddr >> RV_PAGE_SHIFT;
        uint64_t lend = page_up(p->p_paddr + p->p_filesz) >> RV_PAGE_SHIFT;
        for (uint64_t pg = lfirst; pg < lend; pg++) {
            unsigned perms = (m->mem.flags[pg] & RV_PAGE_PERMS) | RV_PAGE_R;
            rv_memory_protect(&m->mem, pg << RV_PAGE_SHIFT, RV_PAGE_SIZE, perms);
        }
        add_range(info, p->p_paddr, p->p_filesz);
        memcpy(m->mem.base + p->p_paddr, image + p->p_offset, p->p_filesz);
    }
    for (size_t r = 0; r < info->range_count; r++)
        for (uint64_t pg = info->ranges[r].first; pg < info->ranges[r].end; pg++)
            m->mem.flags[pg] |= RV_PAGE_TOUCHED;

    /*
     * Bare-metal RAM: a program that sets its own stack pointer to __stack
     * (picolibc, newlib) expects RAM below it, holding its stack and heap,
     * that no segment describes. The pages from the end of the highest
     * segment below __stack up to __stack become readable and writable.
     */
    uint64_t ram_top = page_up(stack_sym);
    if (have_stack_sym && ram_top > RV_PAGE_SIZE && ram_top <= usable_end) {
        bool covered = false;
        uint64_t ram_low = 0;
        for (size_t i = 0; i < nspans; i++) {
            if (overlaps(spans[i].start, spans[i].end - spans[i].start, ram_top - 1, 1))
                covered = true;
            else if (spans[i].end <= ram_top && page_up(spans[i].end) > ram_low)
                ram_low = page_up(spans[i].end);
        }
        if (!ram_low)
            ram_low = ram_top > (1ull << 20) + RV_PAGE_SIZE ? ram_top - (1ull << 20) : RV_PAGE_SIZE;
        for (uint64_t a = ram_low; !covered && a < ram_top; a += RV_PAGE_SIZE)
            if (!(m->mem.flags[a >> RV_PAGE_SHIFT] & RV_PAGE_PERMS))
                rv_memory_protect(&m->mem, a, RV_PAGE_SIZE, RV_PAGE_R | RV_PAGE_W);
        if (!covered) {
            add_range(info, ram_low, ram_top - ram_low);
            if (ram_top > highest)
                highest = ram_top;
        }
    }

    m->layout.brk_start = page_up(highest);
    m->layout.brk = m->layout.brk_start;
    m->layout.mmap_low = usable_end;
    uint64_t entry = eh.e_entry, at_base = 0;
    if (interp) {
        info->interp = interp;
        interp = NULL;
        st = load_interp(m, m->layout.brk_start, usable_end, info, &entry);
        if (st != RVVM_OK)
            goto out;
        at_base = info->interp_base;
    }
    rv_memory_protect(&m->mem, m->layout.stack_low, stack_size,
                      RV_PAGE_R | RV_PAGE_W | (exec_stack ? RV_PAGE_X : 0));
    add_range(info, m->layout.stack_low, stack_size);
    st = with_stack ? build_stack(m, argv, envp, eh.e_entry, phdr_addr, phnum, at_base) : RVVM_OK;
    if (st == RVVM_OK) {
        m->pc = entry;
        for (size_t r = 0; r < info->range_count; r++)
            rv_memory_mark_loaded_range(&m->mem, info->ranges[r].first, info->ranges[r].end);
    }
out:
    free(interp);
    free(spans);
    free(ph);
    return st;
}

rvvm_status rv_program_sha256(rvvm_machine *m, const uint8_t **digest)
{
    if (!m->program_hashed) {
        if (!m->program_image)
            return rv_fail(m, RVVM_ERR_STATE, "no program loaded");
        rvvm_status st = sha256(m, m->program_image, m->program_size, m->program_sha256);
        if (st != RVVM_OK)
            return st;
        free(m->program_image);
        m->program_image = NULL;
        m->program_hashed = true;
    }
    *digest = m->program_sha256;
    return RVVM_OK;
}

static rvvm_status sha256(rvvm_machine *m, const void *data, size_t len, uint8_t out[32])
{
    unsigned n = 0;
    if (EVP_Digest(data, len, out, &n, EVP_sha256(), NULL) != 1 || n != 32)
        return rv_fail(m, RVVM_ERR_NO_MEMORY, "SHA-256 failed");
    return RVVM_OK;
}

/*
 * Resets a machine whose load failed halfway, so it can be loaded again:
 * only the pages the load gave permissions or contents.
 */
static void reset_after_failed_load(rvvm_machine *m, const rv_elf_info *info)
{
    for (size_t r = 0; r < info->range_count; r++) {
        uint64_t first = info->ranges[r].first, n = info->ranges[r].end - first;
        memset(m->mem.flags + first, 0, n);
        memset(m->mem.dirty + first, 0, n);
        memset(m->mem.initial_perms + first, 0, n);
        rv_memory_discard(&m->mem, first << RV_PAGE_SHIFT, n << RV_PAGE_SHIFT);
    }
    memset(m->x, 0, RV_REG_COUNT * sizeof *m->x);
    memset(&m->layout, 0, sizeof m->layout);
}

rvvm_status rv_load_image(rvvm_machine *m, const void *image, size_t size, const char *name,
                          bool with_stack, const char *const *argv, const char *const *envp)
{
    if (!m || (!image && size))
        return RVVM_ERR_INVALID_ARGUMENT;
    if (m->state != RV_STATE_EMPTY)
        return rv_fail(m, RVVM_ERR_STATE, "a program is already loaded");
    m->error[0] = '\0';
    rv_elf_info *info = calloc(1, sizeof *info);
    if (!info)
        return rv_fail(m, RVVM_ERR_NO_MEMORY, "out of memory");
    atomic_init(&info->refs, 1);
    rvvm_status st = load_image(m, image, size, with_stack, argv, envp, info);
    if (st != RVVM_OK) {
        reset_after_failed_load(m, info);
        rv_symtab_free(&info->symbols);
        free(info->ranges);
        free(info->interp);
        free(info);
        return st;
    }
    rv_elf_free(m);
    m->elf = info;
    free(m->program_path);
    m->program_path = name ? strdup(name) : NULL;
    if (name && !m->program_path)
        return rv_fail(m, RVVM_ERR_NO_MEMORY, "out of memory");
    /* Keep the bytes: the identity hash is taken only if a snapshot needs it. */
    free(m->program_image);
    m->program_image = malloc(size ? size : 1);
    if (!m->program_image)
        return rv_fail(m, RVVM_ERR_NO_MEMORY, "out of memory");
    memcpy(m->program_image, image, size);
    m->program_size = size;
    m->program_hashed = false;
    if (m->os && m->os->program_loaded) {
        st = m->os->program_loaded(m, m->os_state, with_stack ? argv : NULL);
        if (st != RVVM_OK)
            return st;
    }
    m->state = RV_STATE_READY;
    return RVVM_OK;
}

rvvm_status rvvm_load_elf_memory(rvvm_machine *m, const void *image, size_t size,
                                 const char *name, const char *const *argv,
                                 const char *const *envp)
{
    return rv_load_image(m, image, size, name, true, argv, envp);
}

static rvvm_status read_error(char *err, size_t err_size, rvvm_status st, const char *path,
                              const char *why)
{
    snprintf(err, err_size, "cannot read '%s': %s", path, why);
    return st;
}

rvvm_status rv_read_file(const char *path, uint64_t max, uint8_t **data, size_t *size, char *err,
                         size_t err_size)
{
    /* O_NONBLOCK: a FIFO or device named as a program must not block; only
     * a regular file is read (checked below). */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd < 0)
        return read_error(err, err_size, RVVM_ERR_IO, path, strerror(errno));
    struct stat stt;
    if (fstat(fd, &stt) != 0 || !S_ISREG(stt.st_mode)) {
        close(fd);
        return read_error(err, err_size, RVVM_ERR_IO, path, "not a regular file");
    }
    if ((uint64_t)stt.st_size > max) {
        close(fd);
        return read_error(err, err_size, RVVM_ERR_IO, path, "file too large");
    }
    size_t len = (size_t)stt.st_size;
    uint8_t *buf = malloc(len ? len : 1);
    if (!buf) {
        close(fd);
        return read_error(err, err_size, RVVM_ERR_NO_MEMORY, path, "out of memory");
    }
    size_t got = 0;
    while (got < len) {
        ssize_t n = read(fd, buf + got, len - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            const char *why = n < 0 ? strerror(errno) : "file shrank while reading";
            free(buf);
            close(fd);
            return read_error(err, err_size, RVVM_ERR_IO, path, why);
        }
        got += (size_t)n;
    }
    close(fd);
    *data = buf;
    *size = len;
    return RVVM_OK;
}

rvvm_status rvvm_load_elf_file(rvvm_machine *m, const char *path, const char *const *argv,
                               const char *const *envp)
{
    if (!m || !path)
        return RVVM_ERR_INVALID_ARGUMENT;
    if (m->state != RV_STATE_EMPTY)
        return rv_fail(m, RVVM_ERR_STATE, "a program is already loaded");
    uint8_t *data;
    size_t size;
    rvvm_status st = rv_read_file(path, m->mem.size, &data, &size, m->error, sizeof m->error);
    if (st != RVVM_OK)
        return st;
    char *abs = realpath(path, NULL);
    st = rvvm_load_elf_memory(m, data, size, abs ? abs : path, argv, envp);
    free(abs);
    free(data);
    return st;
}
