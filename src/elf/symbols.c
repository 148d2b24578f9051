/* The kept ELF symbol table (see symbols.h) and rvvm_symbol. */
#include "../core/cpu.h"
#include "loader.h"

#include <stdatomic.h>
#include <elf.h>
#include <stdlib.h>
#include <string.h>

/* A byte range of the image, or false if it does not lie inside it. */
static bool in_image(size_t size, uint64_t off, uint64_t len)
{
    return off <= size && len <= size - off;
}

static bool wanted(const Elf64_Sym *s)
{
    unsigned type = ELF64_ST_TYPE(s->st_info), bind = ELF64_ST_BIND(s->st_info);
    return (type == STT_NOTYPE || type == STT_OBJECT || type == STT_FUNC) &&
           (bind == STB_LOCAL || bind == STB_GLOBAL || bind == STB_WEAK) &&
           s->st_shndx != SHN_UNDEF && s->st_name != 0;
}

/* Finds the symbol table and its string table; false if there is none usable. */
static bool locate(const uint8_t *image, size_t size, Elf64_Shdr *symtab, Elf64_Shdr *strtab)
{
    Elf64_Ehdr eh;
    memcpy(&eh, image, sizeof eh);
    if (eh.e_shoff == 0 || eh.e_shentsize != sizeof(Elf64_Shdr) ||
        !in_image(size, eh.e_shoff, sizeof(Elf64_Shdr)))
        return false;
    uint64_t shnum = eh.e_shnum;
    if (shnum == 0) { /* extended numbering: the count is in section 0's sh_size */
        Elf64_Shdr s0;
        memcpy(&s0, image + eh.e_shoff, sizeof s0);
        shnum = s0.sh_size;
    }
    if (shnum == 0 || shnum > (size - eh.e_shoff) / sizeof(Elf64_Shdr))
        return false;
    /* The gABI allows one SHT_SYMTAB; only the first is read. */
    for (uint64_t i = 1; i < shnum; i++) {
        memcpy(symtab, image + eh.e_shoff + i * sizeof(Elf64_Shdr), sizeof *symtab);
        if (symtab->sh_type != SHT_SYMTAB)
            continue;
        if (symtab->sh_entsize != sizeof(Elf64_Sym) ||
            !in_image(size, symtab->sh_offset, symtab->sh_size) || symtab->sh_link == 0 ||
            symtab->sh_link >= shnum)
            return false;
        memcpy(strtab, image + eh.e_shoff + symtab->sh_link * (uint64_t)sizeof(Elf64_Shdr),
               sizeof *strtab);
        return strtab->sh_type == SHT_STRTAB && in_image(size, strtab->sh_offset, strtab->sh_size);
    }
    return false;
}

/* The pool used by the comparators (qsort has no context argument in C11). */
typedef struct name_key {
    const char *name;
    uint64_t addr;
    uint32_t index;
    uint8_t bind;
} name_key;

static int bind_rank(uint8_t bind) { return bind == STB_LOCAL; } /* global and weak first */

static int type_rank(uint8_t type) { return type == STT_NOTYPE; } /* functions, objects first */

static int cmp_addr(const void *a, const void *b)
{
    const rv_symbol *x = a, *y = b;
    if (x->addr != y->addr)
        return x->addr < y->addr ? -1 : 1;
    if (type_rank(x->type) != type_rank(y->type))
        return type_rank(x->type) - type_rank(y->type);
    if (bind_rank(x->bind) != bind_rank(y->bind))
        return bind_rank(x->bind) - bind_rank(y->bind);
    return x->name < y->name ? -1 : x->name > y->name;
}

static int cmp_name(const void *a, const void *b)
{
    const name_key *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    if (c)
        return c;
    if (bind_rank(x->bind) != bind_rank(y->bind))
        return bind_rank(x->bind) - bind_rank(y->bind);
    if (x->addr != y->addr)
        return x->addr < y->addr ? -1 : 1;
    return x->index < y->index ? -1 : x->index > y->index;
}

/* Length of the name at off, or -1 if it is out of range, unterminated or too long. */
static long name_len(const uint8_t *strtab, uint64_t strsize, uint32_t off)
{
    if (off >= strsize)
        return -1;
    uint64_t room = strsize - off;
    size_t max = room < RV_SYMBOL_NAME_MAX + 1 ? (size_t)room : RV_SYMBOL_NAME_MAX + 1;
    const void *nul = memchr(strtab + off, '\0', max);
    return nul ? (long)((const uint8_t *)nul - (strtab + off)) : -1;
}

bool rv_symtab_build(rv_symtab *t, const uint8_t *image, size_t size)
{
    memset(t, 0, sizeof *t);
    Elf64_Shdr sh, str;
    if (size < sizeof(Elf64_Ehdr) || !locate(image, size, &sh, &str))
        return true;
    const uint8_t *syms = image + sh.sh_offset, *strtab = image + str.sh_offset;
    uint64_t n = sh.sh_size / sizeof(Elf64_Sym);

    /* Pass 1: how many symbols and name bytes fit the caps. */
    size_t count = 0, pool = 0;
    uint64_t i = 1; /* entry 0 is the null symbol */
    for (; i < n && count < RV_SYMBOLS_MAX; i++) {
        Elf64_Sym s;
        memcpy(&s, syms + i * sizeof s, sizeof s);
        if (!wanted(&s))
            continue;
        long len = name_len(strtab, str.sh_size, s.st_name);
        if (len < 0)
            continue;
        if (pool + (size_t)len + 1 > RV_SYMBOL_POOL_MAX)
            break;
        pool += (size_t)len + 1;
        count++;
    }
    uint64_t last = i;
    t->scanned = (size_t)(last > 0 ? last - 1 : 0);
    if (count == 0)
        return true;

    t->by_addr = malloc(count * sizeof *t->by_addr);
    t->by_name = malloc(count * sizeof *t->by_name);
    t->pool = malloc(pool);
    name_key *keys = malloc(count * sizeof *keys);
    if (!t->by_addr || !t->by_name || !t->pool || !keys) {
        free(keys);
        rv_symtab_free(t);
        return false;
    }
    /* Pass 2: the same entries again, copied. */
    size_t k = 0, at = 0;
    for (uint64_t j = 1; j < last && k < count; j++) {
        Elf64_Sym s;
        memcpy(&s, syms + j * sizeof s, sizeof s);
        if (!wanted(&s))
            continue;
        long len = name_len(strtab, str.sh_size, s.st_name);
        if (len < 0)
            continue;
        memcpy(t->pool + at, strtab + s.st_name, (size_t)len + 1);
        t->by_addr[k] = (rv_symbol){.addr = s.st_value, .size = s.st_size, .name = (uint32_t)at,
                                    .type = (uint8_t)ELF64_ST_TYPE(s.st_info),
                                    .bind = (uint8_t)ELF64_ST_BIND(s.st_info)};
        at += (size_t)len + 1;
        k++;
    }
    t->count = k;
    t->pool_size = at;
    qsort(t->by_addr, t->count, sizeof *t->by_addr, cmp_addr);
    for (size_t j = 0; j < t->count; j++)
        keys[j] = (name_key){t->pool + t->by_addr[j].name, t->by_addr[j].addr, (uint32_t)j,
                             t->by_addr[j].bind};
    qsort(keys, t->count, sizeof *keys, cmp_name);
    for (size_t j = 0; j < t->count; j++)
        t->by_name[j] = keys[j].index;
    free(keys);
    return true;
}

void rv_symtab_free(rv_symtab *t)
{
    free(t->by_addr);
    free(t->by_name);
    free(t->pool);
    memset(t, 0, sizeof *t);
}

bool rv_symtab_find(const rv_symtab *t, const char *name, uint64_t *addr)
{
    size_t lo = 0, hi = t->count;
    while (lo < hi) { /* the first entry not below name: the preferred one */
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(t->pool + t->by_addr[t->by_name[mid]].name, name) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == t->count || strcmp(t->pool + t->by_addr[t->by_name[lo]].name, name) != 0)
        return false;
    *addr = t->by_addr[t->by_name[lo]].addr;
    return true;
}

bool rv_symtab_at(const rv_symtab *t, uint64_t addr, const char **name, uint64_t *offset)
{
    size_t lo = 0, hi = t->count;
    while (lo < hi) { /* the first symbol above addr */
        size_t mid = lo + (hi - lo) / 2;
        if (t->by_addr[mid].addr <= addr)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0)
        return false;
    size_t i = lo - 1;
    while (i > 0 && t->by_addr[i - 1].addr == t->by_addr[i].addr)
        i--; /* the preferred one of those at that address */
    const rv_symbol *s = &t->by_addr[i];
    if (s->size && addr - s->addr >= s->size)
        return false;
    *name = t->pool + s->name;
    *offset = addr - s->addr;
    return true;
}

bool rv_symbol_at(const rvvm_machine *m, uint64_t addr, const char **name, uint64_t *offset)
{
    return m && m->elf && name && offset && rv_symtab_at(&m->elf->symbols, addr, name, offset);
}

rvvm_status rvvm_symbol(rvvm_machine *m, const char *name, uint64_t *addr)
{
    if (!m || !name || !addr)
        return RVVM_ERR_INVALID_ARGUMENT;
    if (!m->elf)
        return rv_fail(m, RVVM_ERR_STATE, "no program loaded");
    if (!rv_symtab_find(&m->elf->symbols, name, addr))
        return rv_fail(m, RVVM_ERR_NOT_FOUND, "no symbol '%.64s' in the program", name);
    m->error[0] = '\0';
    return RVVM_OK;
}

size_t rv_elf_loaded_ranges(const rvvm_machine *m, const rv_page_range **out)
{
    *out = m->elf ? m->elf->ranges : NULL;
    return m->elf ? m->elf->range_count : 0;
}

void rv_elf_free(rvvm_machine *m)
{
    if (!m->elf)
        return;
    if (atomic_fetch_sub(&m->elf->refs, 1) == 1) {
        rv_symtab_free(&m->elf->symbols);
        free(m->elf->ranges);
        free(m->elf->interp);
        free(m->elf);
    }
    m->elf = NULL;
}

void rv_elf_share(rvvm_machine *child, const rvvm_machine *template_machine)
{
    child->elf = template_machine->elf;
    if (child->elf)
        atomic_fetch_add(&child->elf->refs, 1);
}
