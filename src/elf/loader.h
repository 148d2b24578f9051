/*
 * What the loader keeps about a loaded program (m->elf): its symbols and the
 * page ranges the load gave permissions or contents, so that work after
 * loading (recording the loaded state, the mapping list, undoing a failed
 * load) is proportional to the program, not to guest memory.
 */
#ifndef RVVM_ELF_LOADER_H
#define RVVM_ELF_LOADER_H

#include "symbols.h"

/* Pages [first, end). */
typedef struct rv_page_range {
    uint64_t first, end;
} rv_page_range;

typedef struct rv_elf_info {
    _Atomic unsigned refs;  /* machines sharing it: a fork template and its children */
    rv_symtab symbols;
    rv_page_range *ranges;  /* may overlap and come in any order */
    size_t range_count;
    /* ET_DYN programs: what was added to every address (RV_DYN_BASE - first page); else 0. */
    uint64_t load_bias;
    /*
     * PT_INTERP: the interpreter's guest path (NULL for a static program),
     * the SHA-256 and size of the file loaded from the sysroot, and the
     * guest pages [interp_base, interp_end) it occupies.
     */
    char *interp;
    uint8_t interp_sha256[32];
    uint64_t interp_size;
    uint64_t interp_base, interp_end;
} rv_elf_info;

/*
 * Fixed load addresses (docs/dynamic-linking.md): an ET_DYN program's first
 * page goes to RV_DYN_BASE; its interpreter takes the highest pages below the
 * stack's guard page, where the first mapping would otherwise go.
 */
#define RV_DYN_BASE 0x10000ull
/* Largest interpreter file read (glibc's ld.so is about 120 KiB). */
#define RV_INTERP_MAX (64ull << 20)

/* The loaded page ranges of m's program; 0 (and *out NULL) if nothing is loaded. */
size_t rv_elf_loaded_ranges(const rvvm_machine *m, const rv_page_range **out);

/* Drops m's reference to m->elf, freeing it with the last one (safe if NULL). */
void rv_elf_free(rvvm_machine *m);

/* Gives a fork child the template's program information (immutable once loaded). */
void rv_elf_share(rvvm_machine *child, const rvvm_machine *template_machine);

#endif
