/*
 * A minimal ELF64 writer for the unit tests, plus helpers that load a
 * hand-assembled program into a fresh machine. Images are laid out the way
 * a linker would: ELF header, program headers, then each segment's bytes at
 * a file offset congruent to its address modulo the page size.
 */
#ifndef RVVM_TEST_ELFBUILD_H
#define RVVM_TEST_ELFBUILD_H

#include <elf.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rvvm/rvvm.h"

#ifndef EM_RISCV
#define EM_RISCV 243
#endif

#define EB_MAX_SEGS 8

typedef struct eb_segment {
    uint32_t type;     /* PT_LOAD, PT_PHDR, PT_NOTE, ... */
    uint32_t flags;    /* PF_R | PF_W | PF_X */
    uint64_t vaddr;
    const void *data;  /* filesz bytes, or NULL for zeros */
    uint64_t filesz;
    uint64_t memsz;
    /*
     * The segment's file image starts at offset 0 and holds the ELF header
     * and program headers, followed by `data`: the data's address is then
     * vaddr + eb_headers_size(). p_filesz and p_memsz grow by that size.
     */
    bool with_headers;
} eb_segment;

typedef struct eb_elf {
    uint8_t ei_class;  /* ELFCLASS64 */
    uint8_t ei_data;   /* ELFDATA2LSB */
    uint16_t type;     /* ET_EXEC */
    uint16_t machine;  /* EM_RISCV */
    uint64_t entry;
    size_t nseg;
    eb_segment seg[EB_MAX_SEGS];
} eb_elf;

/* A static RV64 executable with no segments yet. */
void eb_init(eb_elf *e, uint64_t entry);

/* Appends a segment and returns it (for tweaks), or NULL if full. */
eb_segment *eb_add(eb_elf *e, uint32_t type, uint32_t flags, uint64_t vaddr, const void *data,
                   uint64_t filesz, uint64_t memsz);

/* Bytes taken by the ELF header and the program header table. */
uint64_t eb_headers_size(const eb_elf *e);

/* File offset of program header i, and of segment i's data (after headers if any). */
uint64_t eb_phdr_offset(size_t i);
uint64_t eb_data_offset(const eb_elf *e, size_t i);

/* The file image, malloc'd; *size gets its length. NULL only if out of memory. */
uint8_t *eb_build(const eb_elf *e, size_t *size);

/* Access to fields of a built image, for corrupting it. */
Elf64_Ehdr *eb_ehdr(uint8_t *image);
Elf64_Phdr *eb_phdr(uint8_t *image, size_t i);

/* ---- Programs ----------------------------------------------------------- */

/* Where eb_program puts things. */
#define EB_TEXT 0x10000ull
#define EB_DATA 0x20000ull

typedef struct eb_program {
    const void *code;     /* loaded at EB_TEXT, R|X; entry is EB_TEXT */
    size_t code_len;
    const void *data;     /* loaded at EB_DATA, R|W (may be NULL) */
    size_t data_len;
    uint64_t data_memsz;  /* >= data_len; 0 means no data segment unless data_len */
} eb_program;

/* Builds the two-segment image for a program; caller frees. */
uint8_t *eb_build_program(const eb_program *p, size_t *size);

/* A fresh machine with `mem` bytes (0: 4 MiB) and the named built-in cost model. */
rvvm_machine *eb_machine(const char *cost_model, uint64_t mem);

/* The same with a full configuration. */
rvvm_machine *eb_machine_config(const rvvm_config *config);

/* Builds and loads a program into m. */
rvvm_status eb_load(rvvm_machine *m, const eb_program *p);

/* A fresh machine (unit costs, 4 MiB) with code loaded; NULL on any failure. */
rvvm_machine *eb_machine_with_code(const void *code, size_t code_len);

/* I/O hooks that capture guest output and supply no input. */
typedef struct eb_capture {
    char out[4096];
    size_t out_len;
    int writes;
} eb_capture;
void eb_capture_io(rvvm_machine *m, eb_capture *cap);

#endif
