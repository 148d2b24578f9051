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
} rv_elf_info;

/* The loaded page ranges of m's program; 0 (and *out NULL) if nothing is loaded. */
size_t rv_elf_loaded_ranges(const rvvm_machine *m, const rv_page_range **out);

/* Drops m's reference to m->elf, freeing it with the last one (safe if NULL). */
void rv_elf_free(rvvm_machine *m);

/* Gives a fork child the template's program information (immutable once loaded). */
void rv_elf_share(rvvm_machine *child, const rvvm_machine *template_machine);

#endif
