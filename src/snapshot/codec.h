/*
 * Little-endian byte encoding for snapshot sections: a growable writer that
 * remembers allocation failure, and a bounds-checked reader that remembers
 * running short. Shared by the snapshot core and the OS section.
 */
#ifndef RVVM_SNAPSHOT_CODEC_H
#define RVVM_SNAPSHOT_CODEC_H

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- a growable little-endian writer ------------------------------------ */

typedef struct writer {
    uint8_t *buf;
    size_t len, cap;
    bool failed;
} writer;

static inline uint8_t *w_reserve(writer *w, size_t n)
{
    if (w->failed)
        return NULL;
    if (n > SIZE_MAX - w->len) {
        w->failed = true;
        return NULL;
    }
    if (w->len + n > w->cap) {
        size_t cap = w->cap ? w->cap : 4096;
        while (cap < w->len + n)
            cap = cap > SIZE_MAX / 2 ? w->len + n : cap * 2;
        uint8_t *nb = realloc(w->buf, cap);
        if (!nb) {
            w->failed = true;
            return NULL;
        }
        w->buf = nb;
        w->cap = cap;
    }
    uint8_t *p = w->buf + w->len;
    w->len += n;
    return p;
}

static inline void w_bytes(writer *w, const void *src, size_t n)
{
    uint8_t *p = w_reserve(w, n);
    if (p && n)
        memcpy(p, src, n);
}

static inline void w_le(writer *w, uint64_t v, unsigned size)
{
    uint8_t *p = w_reserve(w, size);
    if (p)
        for (unsigned i = 0; i < size; i++)
            p[i] = (uint8_t)(v >> (8 * i));
}
static inline void w_u8(writer *w, uint64_t v) { w_le(w, v, 1); }
static inline void w_u16(writer *w, uint64_t v) { w_le(w, v, 2); }
static inline void w_u32(writer *w, uint64_t v) { w_le(w, v, 4); }
static inline void w_u64(writer *w, uint64_t v) { w_le(w, v, 8); }

static inline void put_le_at(uint8_t *p, uint64_t v, unsigned size)
{
    for (unsigned i = 0; i < size; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

/* Starts a section; returns the offset of its length field, patched by end_section. */
static inline size_t begin_section(writer *w, uint32_t type)
{
    w_u32(w, type);
    w_u32(w, 0);
    size_t at = w->len;
    w_u64(w, 0);
    return at;
}

static inline void end_section(writer *w, size_t at)
{
    if (!w->failed)
        put_le_at(w->buf + at, w->len - at - 8, 8);
}

/* ---- a bounds-checked reader --------------------------------------------- */

typedef struct reader {
    const uint8_t *p;
    size_t len, pos;
    bool failed;
} reader;

static inline const uint8_t *r_take(reader *r, size_t n)
{
    if (r->failed || n > r->len - r->pos) {
        r->failed = true;
        return NULL;
    }
    const uint8_t *p = r->p + r->pos;
    r->pos += n;
    return p;
}

static inline uint64_t r_le(reader *r, unsigned size)
{
    const uint8_t *p = r_take(r, size);
    uint64_t v = 0;
    if (p)
        for (unsigned i = 0; i < size; i++)
            v |= (uint64_t)p[i] << (8 * i);
    return v;
}
static inline uint64_t r_u8(reader *r) { return r_le(r, 1); }
static inline uint64_t r_u16(reader *r) { return r_le(r, 2); }
static inline uint64_t r_u32(reader *r) { return r_le(r, 4); }
static inline uint64_t r_u64(reader *r) { return r_le(r, 8); }

#endif
