/*
 * The program's ELF symbol table, kept after loading: a compact array of
 * symbols sorted by address, an index sorted by name, and one string pool.
 * Built from the image's SHT_SYMTAB in one pass plus two sorts, with caps on
 * the number of symbols, the length of a name and the pool, so a hostile file
 * costs time and memory in proportion to its size at most.
 */
#ifndef RVVM_ELF_SYMBOLS_H
#define RVVM_ELF_SYMBOLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rvvm/rvvm.h"

/* Caps: symbols beyond them are not kept (loading still succeeds). */
#define RV_SYMBOLS_MAX (1u << 20)
#define RV_SYMBOL_NAME_MAX 1024u         /* longer names are skipped */
#define RV_SYMBOL_POOL_MAX (16u << 20)   /* bytes of names, NULs included */

typedef struct rv_symbol {
    uint64_t addr;
    uint64_t size;
    uint32_t name;  /* offset in the pool */
    uint8_t type;   /* STT_NOTYPE, STT_OBJECT or STT_FUNC */
    uint8_t bind;   /* STB_LOCAL, STB_GLOBAL or STB_WEAK */
} rv_symbol;

typedef struct rv_symtab {
    rv_symbol *by_addr;  /* sorted by address; among equal ones the preferred first */
    uint32_t *by_name;   /* indexes into by_addr, sorted by name */
    char *pool;
    size_t count;
    size_t pool_size;
    size_t scanned;      /* symbol table entries examined (a work counter for tests) */
} rv_symtab;

/*
 * Reads the symbol table of an ELF64 little-endian image whose header was
 * already checked. Keeps FUNC, OBJECT and NOTYPE symbols of any binding that
 * are defined (st_shndx not SHN_UNDEF) and named. A missing or malformed
 * section table gives an empty table, never an error: Linux ignores sections
 * when it runs a program. Returns false only when out of memory.
 */
bool rv_symtab_build(rv_symtab *t, const uint8_t *image, size_t size);
void rv_symtab_free(rv_symtab *t);

/* The address of a symbol by name: a global or weak one before a local one, then the lowest. */
bool rv_symtab_find(const rv_symtab *t, const char *name, uint64_t *addr);

/*
 * The symbol an address belongs to: the highest symbol at or below addr
 * (preferring FUNC and OBJECT, then global, among symbols at one address).
 * A symbol with a size covers [addr, addr + size); one of size 0 (an
 * assembler label) covers everything up to the next symbol. *name points into
 * the table and stays valid until the machine is destroyed.
 */
bool rv_symtab_at(const rv_symtab *t, uint64_t addr, const char **name, uint64_t *offset);

/* The same for a machine's loaded program; false if none or no symbol covers addr. */
bool rv_symbol_at(const rvvm_machine *m, uint64_t addr, const char **name, uint64_t *offset);

#endif
