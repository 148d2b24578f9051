/*
 * The translation tier's ahead-of-time cache file (docs/jit.md, "Ahead-of-time
 * cache"): what jit.c translated, compiled into one shared object, with a
 * manifest naming each function's page (address, ISA, cost model, every byte)
 * and slots, appended to it, and a trailer with the SHA-256 of both. Reading
 * validates everything before anything is dlopened; a file that fails is
 * ignored (and replaced at the next save), never trusted.
 */
#ifndef RVVM_JIT_AOT_H
#define RVVM_JIT_AOT_H

#include "jit_internal.h"

#ifdef RVVM_HAVE_GCCJIT

/* A slot's name index for "cannot be translated" (not compiled again). */
#define AOT_NO_CODE 0xffffffffu

/* A function name in the file is at most this long, with its NUL. */
#define RV_AOT_NAME 32

/* One page of a read file; the pointers are into its buffer. */
typedef struct rv_aot_page {
    uint64_t page_base;
    uint32_t isa;
    uint32_t slots;                          /* entries in slot_list */
    rvvm_cost_model costs;                   /* only cost[] is set */
    const uint8_t *bytes;                    /* RV_PAGE_SIZE bytes */
    const uint8_t *slot_list;                /* slots x (u16 slot, u16 0, u32 name index) */
} rv_aot_page;

typedef struct rv_aot_image {
    uint8_t *buf;        /* the whole file */
    size_t so_size;      /* the shared object: buf[0 .. so_size) */
    uint32_t page_count, name_count;
    rv_aot_page *pages;
    const char *names;   /* name_count x RV_AOT_NAME, each NUL-terminated */
} rv_aot_image;

/*
 * A save after a file was loaded writes only what the files lack, as a delta
 * file beside it (<hash>-<n>.rvjit, in the same format); past this many the
 * next save writes everything into the main file again and removes them.
 */
#define RV_AOT_MAX_DELTAS 8

/* The cache file's name in dir for a key's SHA-256 (delta 0: the main file,
 * else delta file n), into path; false if too long. */
bool rv_aot_path(char *path, size_t size, const char *dir, const uint8_t key_hash[32], unsigned delta);

/* SHA-256 of n bytes; false if libcrypto fails. */
bool rv_aot_sha256(const void *p, size_t n, uint8_t out[32]);

/*
 * Reads and validates a cache file made for key_hash on this host by this
 * build. False with a one-line reason in why (the file is then ignored);
 * ENOENT is "absent".
 */
bool rv_aot_read(const char *path, const uint8_t key_hash[32], rv_aot_image *img, char *why, size_t why_size);
void rv_aot_image_free(rv_aot_image *img);

/* dlopens the image's shared object (exactly the bytes validated); NULL on
 * failure. *keep_fd: a descriptor to close only after dlclose (or -1). */
void *rv_aot_dlopen(const rv_aot_image *img, const char *dir, int *keep_fd, char *why, size_t why_size);

/*
 * Compiles jobs[0..k) (grouped by entry) into one shared object and writes it
 * with its manifest as path, atomically (a temporary file in dir renamed into
 * place). *saved: the functions' slots written. False with a one-line reason.
 */
bool rv_aot_write(const rv_gccjit *api, const char *dir, const char *path, const uint8_t key_hash[32],
                  job *jobs, size_t k, size_t *saved, char *err, size_t err_size);

#endif
#endif
