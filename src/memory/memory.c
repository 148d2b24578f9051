#include "memory.h"

#include <fcntl.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

void *rv_alloc_zeroed(size_t size)
{
    void *p = mmap(NULL, size ? size : 1, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    return p == MAP_FAILED ? NULL : p;
}

void rv_free_zeroed(void *p, size_t size)
{
    if (p)
        munmap(p, size ? size : 1);
}

struct rv_share {
    atomic_uint children; /* live forks */
    atomic_uint refs;     /* the template and its forks */
    int fd;               /* the memory file behind the reservation */
};

static void share_unref(rv_share *s)
{
    if (s && atomic_fetch_sub(&s->refs, 1) == 1) {
        close(s->fd);
        free(s);
    }
}

/* Bytes before the register page: initial_perms, rounded to pages. */
static size_t perms_area(uint64_t page_count)
{
    return (size_t)((page_count + RV_PAGE_MASK) & ~RV_PAGE_MASK);
}

/* Points the fields into a reservation at `region`. */
static void lay_out(rv_memory *mem, uint8_t *region, uint64_t size)
{
    mem->region = region;
    mem->size = size;
    mem->page_count = size >> RV_PAGE_SHIFT;
    mem->region_size = perms_area(mem->page_count) + size + RV_REGS_OFFSET;
    mem->initial_perms = region;
    mem->regs = (uint64_t *)(region + perms_area(mem->page_count));
    mem->flags = (uint8_t *)mem->regs + RV_PAGE_SIZE;
    mem->dirty = mem->flags + (RV_FLAGS_OFFSET - RV_DIRTY_OFFSET);
    mem->base = (uint8_t *)mem->regs + RV_REGS_OFFSET;
}

/* Bytes of `owned`, rounded to pages so that what follows it is page aligned. */
static size_t owned_area(uint64_t page_count)
{
    return (size_t)((page_count + RV_PAGE_MASK) & ~RV_PAGE_MASK);
}

static int init_in(rv_memory *mem, uint64_t size, bool shared, size_t front, void **front_out,
                   uint8_t *mapping)
{
    memset(mem, 0, sizeof *mem);
    if (front_out)
        *front_out = NULL;
    if (size == 0 || (size & RV_PAGE_MASK) || size > RV_MAX_PAGES << RV_PAGE_SHIFT ||
        (front & RV_PAGE_MASK))
        return -1;
    /*
     * One reservation: [initial perms][registers][flags][dirty][guest memory].
     * Flags and dirty bytes cover the largest possible guest memory, so the
     * interpreter's bounds check is a constant (pages past `size` read as
     * unmapped), and all of it sits at fixed offsets below guest address 0,
     * so one base register reaches registers, flags, dirty bytes and memory.
     * Untouched parts are never committed. Being one mapping, a fork maps it
     * copy-on-write in one call (rv_memory_init_fork).
     *
     * The caller's front part and `owned` (this machine's, never a fork's)
     * come before it; without a memory file all three are one mapping.
     */
    uint64_t pages = size >> RV_PAGE_SHIFT;
    size_t region_size = perms_area(pages) + size + RV_REGS_OFFSET;
    size_t lead = front + owned_area(pages);
    rv_share *s = NULL;
    int fd = -1;
    uint8_t *region;
    uint8_t *head = mapping ? mapping : rv_alloc_zeroed(lead + (shared ? 0 : region_size));
    if (!head)
        return -1;
    if (shared) {
        s = malloc(sizeof *s);
        fd = s ? memfd_create("rvvm-guest", MFD_CLOEXEC) : -1;
        region = MAP_FAILED;
        if (fd >= 0 && ftruncate(fd, (off_t)region_size) == 0)
            region = mmap(NULL, region_size, PROT_READ | PROT_WRITE,
                          MAP_SHARED | MAP_NORESERVE, fd, 0);
        if (region == MAP_FAILED) {
            if (fd >= 0)
                close(fd);
            free(s);
            rv_free_zeroed(head, lead);
            return -1;
        }
        atomic_init(&s->children, 0);
        atomic_init(&s->refs, 1);
        s->fd = fd;
        mem->share = s;
    } else {
        region = head + lead;
        mem->joined = true;
    }
    lay_out(mem, region, size);
    mem->front = front ? head : NULL;
    mem->front_size = front;
    mem->owned = head + front;
    if (front_out)
        *front_out = mem->front;
    return 0;
}

int rv_memory_init_with(rv_memory *mem, uint64_t size, bool shared, size_t front,
                        void **front_out)
{
    return init_in(mem, size, shared, front, front_out, NULL);
}

size_t rv_memory_mapping_size(uint64_t size, size_t front)
{
    uint64_t pages = size >> RV_PAGE_SHIFT;
    return front + owned_area(pages) + perms_area(pages) + (size_t)size + RV_REGS_OFFSET;
}

int rv_memory_init_in(rv_memory *mem, uint64_t size, size_t front, void *mapping, void **front_out)
{
    return init_in(mem, size, false, front, front_out, mapping);
}

/* True if the 4 KiB at p hold a non-zero byte. */
static bool host_page_nonzero(const uint8_t *p)
{
    const uint64_t *w = (const uint64_t *)p;
    for (size_t i = 0; i < RV_PAGE_SIZE / 8; i += 8) {
        uint64_t acc = 0;
        for (size_t j = 0; j < 8; j++)
            acc |= w[i + j];
        if (acc)
            return true;
    }
    return false;
}

#define CLEAN_CHUNK ((size_t)RV_PAGE_SIZE * RV_PAGE_SIZE) /* one mincore vector of a page */

/*
 * Zeroes the non-zero host pages of [p, p + len) (page aligned) among those
 * the host has committed (mincore), each costing one of *budget; false if
 * the budget runs out or mincore fails (the range is then not all zero).
 * If `chunks` is given, its byte i is set for each CLEAN_CHUNK-sized piece
 * i that has a resident page.
 */
static bool clean_range(uint8_t *p, size_t len, size_t *budget, unsigned char *chunks)
{
    unsigned char vec[RV_PAGE_SIZE];
    for (size_t at = 0; at < len; at += CLEAN_CHUNK) {
        size_t n = len - at < CLEAN_CHUNK ? len - at : CLEAN_CHUNK;
        size_t pages = (n + RV_PAGE_MASK) >> RV_PAGE_SHIFT;
        if (mincore(p + at, n, vec) != 0)
            return false;
        bool any = false;
        for (size_t i = 0; i < pages; i++) {
            if (!(i & 7) && i + 8 <= pages) {
                uint64_t w;
                memcpy(&w, vec + i, 8);
                if (!(w & 0x0101010101010101ull)) {
                    i += 7;
                    continue;
                }
            }
            if (!(vec[i] & 1))
                continue;
            any = true;
            uint8_t *page = p + at + (i << RV_PAGE_SHIFT);
            if (host_page_nonzero(page)) {
                if (!*budget)
                    return false;
                --*budget;
                memset(page, 0, RV_PAGE_SIZE);
            }
        }
        if (chunks)
            chunks[at / CLEAN_CHUNK] = any;
    }
    return true;
}

/* Zeroes the host page at p if it holds a non-zero byte, within *budget pages. */
static bool clean_page(uint8_t *p, size_t *budget)
{
    if (!host_page_nonzero(p))
        return true;
    if (!*budget)
        return false;
    --*budget;
    memset(p, 0, RV_PAGE_SIZE);
    return true;
}

void *rv_memory_take_clean(rv_memory *mem, size_t front_used, size_t max_pages, size_t *len)
{
    /* Only a machine's own single mapping (no memory file, no fork's, and
     * the front still attached) can be handed on. */
    if (!mem->joined || mem->share || mem->parent || !mem->owned || !mem->front ||
        front_used > mem->front_size)
        return NULL;
    size_t budget = max_pages;
    size_t n = (size_t)mem->page_count;
    size_t table = (n * sizeof(void *) + RV_PAGE_MASK) & ~(size_t)RV_PAGE_MASK;
    if (front_used < table)
        return NULL; /* the front does not start with the code table (see rv_code_front_used) */
    /*
     * The per-page arrays (flags, dirty, owned, initial permissions) are
     * only written for pages of the pieces marked in mem->pieces (a host
     * page of each array covers one piece). Only there can guest memory and
     * the code table hold anything: a guest page with data has its owned,
     * dirty or content flag set, and a page with decoded code its flags.
     */
    size_t pieces = (n + RV_PIECE_PAGES - 1) / RV_PIECE_PAGES;
    uint8_t *arrays[4] = {mem->flags, mem->dirty, mem->owned, mem->initial_perms};
    bool ok = true;
    for (size_t i = 0; ok && i < pieces; i++) {
        if (!(mem->pieces[i / 64] >> (i % 64) & 1))
            continue;
        uint64_t end = (uint64_t)(i + 1) << RV_PAGE_SHIFT;
        if (end > n)
            end = n;
        for (uint64_t p = (uint64_t)i << RV_PAGE_SHIFT; ok && p < end; p++) {
            /* Eight pages' bytes at a time: most are all zero. */
            if (!(p & 7) && p + 8 <= end) {
                uint64_t f, d, o;
                memcpy(&f, mem->flags + p, 8);
                memcpy(&d, mem->dirty + p, 8);
                memcpy(&o, mem->owned + p, 8);
                if (!((f & 0x0101010101010101ull * RV_PAGE_CONTENT) | d | o)) {
                    p += 7;
                    continue;
                }
            }
            if ((mem->flags[p] & RV_PAGE_CONTENT) || mem->dirty[p] || mem->owned[p])
                ok = clean_page(mem->base + (p << RV_PAGE_SHIFT), &budget);
        }
        /* The piece's slot pointers in the code table. */
        size_t t_at = i * RV_PAGE_SIZE * sizeof(void *);
        size_t t_len = (size_t)(end - ((uint64_t)i << RV_PAGE_SHIFT)) * sizeof(void *);
        t_len = (t_len + RV_PAGE_MASK) & ~(size_t)RV_PAGE_MASK;
        ok = ok && clean_range(mem->front + t_at, t_len, &budget, NULL);
    }
    /* The arrays' host pages for those pieces, and the registers. */
    for (size_t i = 0; ok && i < pieces; i++)
        if (mem->pieces[i / 64] >> (i % 64) & 1)
            for (int k = 0; k < 4 && ok; k++)
                ok = clean_page(arrays[k] + (i << RV_PAGE_SHIFT), &budget);
    /* The decode arena's used part (after the table). */
    ok = ok && clean_page((uint8_t *)mem->regs, &budget) &&
         clean_range(mem->front + table, front_used - table, &budget, NULL);
    if (!ok)
        return NULL;
    uint8_t *head = mem->front;
    *len = rv_memory_mapping_size(mem->size, mem->front_size);
    /* The mapping is the caller's now: rv_memory_free frees the rest. */
    mem->front = NULL;
    mem->front_size = 0;
    mem->owned = NULL;
    mem->region = NULL;
    mem->joined = false;
    return head;
}

int rv_memory_init(rv_memory *mem, uint64_t size)
{
    return rv_memory_init_with(mem, size, false, 0, NULL);
}

int rv_memory_init_shared(rv_memory *mem, uint64_t size)
{
    return rv_memory_init_with(mem, size, true, 0, NULL);
}

void rv_memory_detach_front(rv_memory *mem)
{
    mem->front = NULL;
    mem->front_size = 0;
}

void rv_memory_discard(rv_memory *mem, uint64_t addr, uint64_t len)
{
    if (!len)
        return;
    if (mem->share) {
        /* A shared file keeps its pages through MADV_DONTNEED: punch them out. */
        fallocate(mem->share->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
                  (off_t)(mem->base - mem->region + addr), (off_t)len);
    } else {
        madvise(mem->base + addr, len, MADV_DONTNEED);
    }
}

void rv_memory_free(rv_memory *mem)
{
    /* [front][owned][region], as far as they are one mapping: one munmap. */
    uint8_t *start = mem->front ? mem->front : mem->owned;
    size_t len = mem->front_size + (mem->owned ? owned_area(mem->page_count) : 0);
    if (mem->joined)
        len += mem->region_size;
    else if (mem->region)
        rv_free_zeroed(mem->region, mem->region_size);
    if (start)
        rv_free_zeroed(start, len);
    free(mem->epoch);
    if (mem->parent)
        atomic_fetch_sub(&mem->parent->children, 1);
    share_unref(mem->parent);
    share_unref(mem->share);
    memset(mem, 0, sizeof *mem);
}

bool rv_memory_frozen(const rv_memory *mem)
{
    return mem->share && atomic_load(&mem->share->children) > 0;
}

void rv_share_add_child(rv_share *s)
{
    atomic_fetch_add(&s->refs, 1);
    atomic_fetch_add(&s->children, 1);
}

/*
 * Copies the page-sized chunks of src (page aligned) that hold a non-zero
 * byte: the others read as zero in the file already, and copying them would
 * commit them. `resident` (from mincore, or NULL) skips chunks the host never
 * committed without reading them.
 */
static void copy_nonzero(uint8_t *dst, const uint8_t *src, size_t len, const unsigned char *resident)
{
    for (size_t at = 0; at < len; at += RV_PAGE_SIZE) {
        if (resident && !(resident[at >> RV_PAGE_SHIFT] & 1))
            continue;
        size_t n = len - at < RV_PAGE_SIZE ? len - at : RV_PAGE_SIZE;
        const uint64_t *w = (const uint64_t *)(src + at);
        uint64_t acc = 0;
        for (size_t i = 0; i < n / 8; i++)
            acc |= w[i];
        for (size_t i = n & ~(size_t)7; i < n; i++)
            acc |= src[at + i];
        if (acc)
            memcpy(dst + at, src + at, n);
    }
}

rv_share *rv_memory_share(rv_memory *mem)
{
    if (mem->share)
        return mem->share;
    rv_share *s = malloc(sizeof *s);
    if (!s)
        return NULL;
    int fd = memfd_create("rvvm-guest", MFD_CLOEXEC);
    if (fd < 0) {
        free(s);
        return NULL;
    }
    uint8_t *tmp = MAP_FAILED;
    if (ftruncate(fd, (off_t)mem->region_size) == 0)
        tmp = mmap(NULL, mem->region_size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_NORESERVE,
                   fd, 0);
    if (tmp == MAP_FAILED) {
        close(fd);
        free(s);
        return NULL;
    }
    /* Copy what is in use: the per-page arrays, the registers, and the pages
     * that are not zero (loaded bss is "touched" but usually still zero).
     * The rest of the file reads as zero. */
    /* Which host pages were ever committed (mincore): the rest are zero and
     * are not even read, so the cost follows the pages in use. */
    size_t arrays = (size_t)((mem->page_count + RV_PAGE_MASK) & ~RV_PAGE_MASK);
    size_t chunks = arrays >> RV_PAGE_SHIFT;
    unsigned char *res = malloc(3 * chunks + (size_t)mem->page_count);
    unsigned char *res_perms = res, *res_flags = res ? res + chunks : NULL;
    unsigned char *res_dirty = res ? res + 2 * chunks : NULL, *res_mem = res ? res + 3 * chunks : NULL;
    if (!res || mincore(mem->initial_perms, arrays, res_perms) != 0 ||
        mincore(mem->flags, arrays, res_flags) != 0 || mincore(mem->dirty, arrays, res_dirty) != 0 ||
        mincore(mem->base, (size_t)mem->size, res_mem) != 0) {
        free(res);
        res = res_perms = res_flags = res_dirty = res_mem = NULL;
    }
    size_t regs_at = (size_t)((uint8_t *)mem->regs - mem->region);
    copy_nonzero(tmp, mem->initial_perms, (size_t)mem->page_count, res_perms);
    memcpy(tmp + regs_at, mem->regs, RV_PAGE_SIZE);
    copy_nonzero(tmp + (mem->flags - mem->region), mem->flags, (size_t)mem->page_count, res_flags);
    copy_nonzero(tmp + (mem->dirty - mem->region), mem->dirty, (size_t)mem->page_count, res_dirty);
    size_t base_at = (size_t)(mem->base - mem->region);
    const uint64_t per_chunk = RV_PAGE_SIZE; /* flag bytes, so pages, per array page */
    for (uint64_t p = 0; p < mem->page_count; p++) {
        if (res && !(res_flags[p / per_chunk] & 1) && !(res_dirty[p / per_chunk] & 1)) {
            p |= per_chunk - 1; /* no flags and no dirty bytes there: all zero */
            continue;
        }
        if (rv_memory_page_maybe_nonzero(mem, p) && (!res || (res_mem[p] & 1)))
            copy_nonzero(tmp + base_at + (p << RV_PAGE_SHIFT), mem->base + (p << RV_PAGE_SHIFT),
                         RV_PAGE_SIZE, NULL);
    }
    free(res);
    /* The file replaces the anonymous reservation at the same address. */
    void *at = mmap(mem->region, mem->region_size, PROT_READ | PROT_WRITE,
                    MAP_SHARED | MAP_FIXED | MAP_NORESERVE, fd, 0);
    munmap(tmp, mem->region_size);
    if (at != mem->region) {
        /* MAP_FIXED failing leaves the old mapping in place. */
        close(fd);
        free(s);
        return NULL;
    }
    atomic_init(&s->children, 0);
    atomic_init(&s->refs, 1);
    s->fd = fd;
    mem->share = s;
    return s;
}

int rv_memory_init_fork(rv_memory *mem, const rv_memory *tmpl, size_t extra, void **extra_out)
{
    memset(mem, 0, sizeof *mem);
    if (!tmpl->share)
        return -1;
    uint8_t *region = mmap(NULL, tmpl->region_size, PROT_READ | PROT_WRITE,
                           MAP_PRIVATE | MAP_NORESERVE, tmpl->share->fd, 0);
    if (region == MAP_FAILED)
        return -1;
    lay_out(mem, region, tmpl->size);
    /* One mapping for the caller's part and `owned`: the caller's part is
     * this memory's front (see rv_memory_init_with). */
    size_t extra_pages = (extra + RV_PAGE_MASK) & ~(size_t)RV_PAGE_MASK;
    uint8_t *both = rv_alloc_zeroed(extra_pages + owned_area(mem->page_count));
    if (!both) {
        rv_memory_free(mem);
        return -1;
    }
    mem->owned = both + extra_pages;
    mem->front = extra_pages ? both : NULL;
    mem->front_size = extra_pages;
    *extra_out = extra ? both : NULL;
    mem->host_limit = tmpl->host_limit;
    mem->parent = tmpl->share;
    rv_share_add_child(mem->parent);
    return 0;
}

static bool page_span(const rv_memory *mem, uint64_t addr, uint64_t len, uint64_t *first,
                      uint64_t *end)
{
    if (len == 0 || addr >= mem->size || len > mem->size - addr)
        return false;
    *first = addr >> RV_PAGE_SHIFT;
    *end = (addr + len + RV_PAGE_MASK) >> RV_PAGE_SHIFT;
    return true;
}

/*
 * Stores skip all bookkeeping only on writable pages that hold no decoded
 * code, that were written in this epoch (saved for the newest checkpoint)
 * and whose host memory is counted.
 */
static uint8_t flags_for(const rv_memory *mem, uint64_t page, uint8_t old, unsigned perms)
{
    uint8_t f = (uint8_t)((old & RV_PAGE_CONTENT) | (perms & RV_PAGE_PERMS));
    if ((perms & RV_PAGE_W) && !(f & RV_PAGE_CODE) && (f & RV_PAGE_EPOCH) && mem->owned[page])
        f |= RV_PAGE_STORE_FAST;
    return f;
}

void rv_memory_set_code(rv_memory *mem, uint64_t page, bool code)
{
    rv_memory_mark_pieces(mem, page, page + 1);
    uint8_t f = mem->flags[page];
    f = (uint8_t)(code ? f | RV_PAGE_CODE : f & ~RV_PAGE_CODE);
    mem->flags[page] = flags_for(mem, page, f, f & RV_PAGE_PERMS);
}

/* How a page is about to change. */
typedef enum {
    PREP_FLAGS, /* only its flags */
    PREP_DATA,  /* its contents, by the guest or the host: within the limit */
    PREP_FORCE, /* its contents, by the OS layer's own bookkeeping: must not fail */
} prep_kind;

static bool limit_allows(const rv_memory *mem, uint64_t bytes)
{
    return !mem->host_limit || (mem->host_used <= mem->host_limit &&
                                bytes <= mem->host_limit - mem->host_used);
}

static bool save_push(rv_memory *mem, rv_page_save *save, uint64_t p, bool copy, prep_kind kind)
{
    if (kind == PREP_DATA && !limit_allows(mem, RV_SAVED_PAGE_COST(copy)))
        return false;
    if (save->n == save->cap) {
        size_t cap = save->cap ? 2 * save->cap : 16;
        rv_saved_page *v = realloc(save->v, cap * sizeof *v);
        if (!v)
            goto lost;
        save->v = v;
        save->cap = cap;
    }
    uint8_t *data = NULL;
    if (copy) {
        data = malloc(RV_PAGE_SIZE);
        if (!data)
            goto lost;
        memcpy(data, mem->base + (p << RV_PAGE_SHIFT), RV_PAGE_SIZE);
    }
    save->v[save->n++] = (rv_saved_page){
        .page = (uint32_t)p,
        .flags = (uint8_t)(mem->flags[p] & ~(RV_PAGE_EPOCH | RV_PAGE_STORE_FAST)),
        .dirty = mem->dirty[p], .data = data};
    mem->host_used += RV_SAVED_PAGE_COST(copy);
    return true;
lost:
    if (kind == PREP_DATA)
        return false;
    save->lost = true; /* restoring this checkpoint now reports it */
    return true;
}

static bool own(rv_memory *mem, uint64_t p, prep_kind kind)
{
    rv_memory_mark_pieces(mem, p, p + 1);
    if (mem->owned[p])
        return true;
    if (kind == PREP_DATA && !limit_allows(mem, RV_PAGE_SIZE))
        return false;
    mem->owned[p] = 1;
    mem->host_used += RV_PAGE_SIZE;
    return true;
}

static bool prepare_page(rv_memory *mem, uint64_t p, prep_kind kind)
{
    rv_memory_mark_pieces(mem, p, p + 1);
    uint8_t f = mem->flags[p];
    if (!(f & RV_PAGE_EPOCH)) {
        bool nonzero = rv_memory_page_maybe_nonzero(mem, p);
        if (kind == PREP_FLAGS && !nonzero && !mem->owned[p]) {
            /* Never committed: record the flags, and leave the page out of
             * the epoch so that its first store still counts it. It may be
             * recorded again; restoring goes newest first, so the oldest wins. */
            return !mem->save || save_push(mem, mem->save, p, false, kind);
        }
        if (mem->save && !save_push(mem, mem->save, p, nonzero, kind))
            return false;
        if (mem->epoch_n == mem->epoch_cap) {
            size_t cap = mem->epoch_cap ? 2 * mem->epoch_cap : 64;
            uint32_t *v = realloc(mem->epoch, cap * sizeof *v);
            if (v) {
                mem->epoch = v;
                mem->epoch_cap = cap;
            }
        }
        /* Off the list (the host is out of memory) the page just stays slow. */
        if (mem->epoch_n < mem->epoch_cap) {
            mem->epoch[mem->epoch_n++] = (uint32_t)p;
            f |= RV_PAGE_EPOCH;
        }
    }
    if (kind != PREP_FLAGS && !own(mem, p, kind)) {
        mem->flags[p] = f;
        return false;
    }
    mem->flags[p] = flags_for(mem, p, f, f & RV_PAGE_PERMS);
    return true;
}

int rv_memory_prepare_write(rv_memory *mem, uint64_t addr, uint64_t len)
{
    uint64_t first, end;
    if (!page_span(mem, addr, len, &first, &end))
        return 0;
    if (rv_memory_frozen(mem))
        return RV_WRITE_FROZEN;
    for (uint64_t p = first; p < end; p++) {
        /* The usual case: written already in this epoch and counted. */
        if ((mem->flags[p] & RV_PAGE_EPOCH) && mem->owned[p])
            continue;
        if (!prepare_page(mem, p, PREP_DATA))
            return RV_WRITE_LIMIT;
    }
    return 0;
}

void rv_memory_new_epoch(rv_memory *mem)
{
    for (size_t i = 0; i < mem->epoch_n; i++)
        mem->flags[mem->epoch[i]] &= (uint8_t)~(RV_PAGE_EPOCH | RV_PAGE_STORE_FAST);
    mem->epoch_n = 0;
}

void rv_memory_restore_page(rv_memory *mem, const rv_saved_page *s)
{
    rv_memory_mark_pieces(mem, s->page, (uint64_t)s->page + 1);
    uint8_t *dst = mem->base + ((uint64_t)s->page << RV_PAGE_SHIFT);
    if (s->data)
        memcpy(dst, s->data, RV_PAGE_SIZE);
    else if (rv_memory_page_maybe_nonzero(mem, s->page))
        memset(dst, 0, RV_PAGE_SIZE);
    mem->flags[s->page] = s->flags;
    mem->dirty[s->page] = s->dirty;
}

void rv_memory_save_clear(rv_memory *mem, rv_page_save *save)
{
    for (size_t i = 0; i < save->n; i++) {
        mem->host_used -= RV_SAVED_PAGE_COST(save->v[i].data != NULL);
        free(save->v[i].data);
    }
    save->n = 0;
    save->lost = false;
}

int rv_memory_protect(rv_memory *mem, uint64_t addr, uint64_t len, unsigned perms)
{
    uint64_t first, end;
    if (!page_span(mem, addr, len, &first, &end))
        return -1;
    rv_memory_mark_pieces(mem, first, end);
    if (!mem->save) {
        /* No checkpoint needs the old flags: the same result as the loop
         * below (flags_for), without the call and the compare per page
         * (loading sets the stack's 2048 pages). owned[] is read only where
         * flags_for reads it, so no host page of it is touched for nothing. */
        uint8_t *restrict fl = mem->flags;
        const uint8_t *restrict ow = mem->owned;
        const uint8_t pp = (uint8_t)(perms & RV_PAGE_PERMS);
        for (uint64_t p = first; p < end;) {
            uint64_t stop = (p | RV_PAGE_MASK) + 1;
            if (stop > end)
                stop = end;
            uint8_t zero = 0; /* see below: one write fault per host page of flags */
            __atomic_compare_exchange_n(&fl[p], &zero, 0, false, __ATOMIC_RELAXED,
                                        __ATOMIC_RELAXED);
            for (; p < stop; p++) {
                uint8_t f = (uint8_t)((fl[p] & RV_PAGE_CONTENT) | pp);
                if ((pp & RV_PAGE_W) && (f & (RV_PAGE_CODE | RV_PAGE_EPOCH)) == RV_PAGE_EPOCH &&
                    ow[p])
                    f |= RV_PAGE_STORE_FAST;
                fl[p] = f;
            }
        }
        return 0;
    }
    for (uint64_t p = first; p < end; p++) {
        /* Reading a never-touched host page of flags maps the zero page, and
         * the write after it faults a second time: a compare-and-swap of 0
         * for 0 (an access for writing, which the compiler keeps) first
         * takes one fault for each such page (loading a small program is
         * mostly page faults). */
        if (p == first || (p & RV_PAGE_MASK) == 0) {
            uint8_t zero = 0;
            __atomic_compare_exchange_n(&mem->flags[p], &zero, 0, false, __ATOMIC_RELAXED,
                                        __ATOMIC_RELAXED);
        }
        uint8_t f = flags_for(mem, p, mem->flags[p], perms);
        if (f == mem->flags[p])
            continue;
        if (mem->save) { /* only a checkpoint needs the old flags */
            prepare_page(mem, p, PREP_FLAGS);
            f = flags_for(mem, p, mem->flags[p], perms);
        }
        mem->flags[p] = f;
    }
    return 0;
}

int rv_memory_unmap(rv_memory *mem, uint64_t addr, uint64_t len)
{
    uint64_t first, end;
    if (!page_span(mem, addr, len, &first, &end))
        return -1;
    rv_memory_mark_pieces(mem, first, end);
    for (uint64_t p = first; p < end; p++) {
        if (rv_memory_page_maybe_nonzero(mem, p)) {
            prepare_page(mem, p, PREP_FORCE);
            memset(mem->base + (p << RV_PAGE_SHIFT), 0, RV_PAGE_SIZE);
            /* The page's contents changed, so a snapshot must carry it. */
            mem->dirty[p] = 1;
        } else if (mem->save && (mem->flags[p] & ~RV_PAGE_EPOCH)) {
            prepare_page(mem, p, PREP_FLAGS);
        }
        mem->flags[p] &= RV_PAGE_CONTENT;
    }
    return 0;
}

void rv_memory_mark_loaded(rv_memory *mem)
{
    rv_memory_mark_pieces(mem, 0, mem->page_count);
    const uint8_t *restrict flags = mem->flags;
    uint8_t *restrict initial = mem->initial_perms;
    for (uint64_t p = 0; p < mem->page_count; p++)
        initial[p] = flags[p] & RV_PAGE_PERMS;
    memset(mem->dirty, 0, mem->page_count);
}

void rv_memory_mark_loaded_range(rv_memory *mem, uint64_t first, uint64_t end)
{
    if (end > mem->page_count)
        end = mem->page_count;
    if (first >= end)
        return;
    rv_memory_mark_pieces(mem, first, end);
    const uint8_t *restrict flags = mem->flags;
    uint8_t *restrict initial = mem->initial_perms;
    uint8_t *restrict dirty = mem->dirty;
    /* Eight pages at a time. Clear only dirty bytes that are set: on a fresh
     * machine they are zero, and writing zeros would commit their host page
     * for nothing. */
    const uint64_t perms8 = 0x0101010101010101ull * RV_PAGE_PERMS;
    uint64_t p = first;
    for (; p < end && (p & 7); p++) {
        initial[p] = flags[p] & RV_PAGE_PERMS;
        if (dirty[p])
            dirty[p] = 0;
    }
    for (; p + 8 <= end; p += 8) {
        uint64_t f, d;
        memcpy(&f, flags + p, 8);
        f &= perms8;
        memcpy(initial + p, &f, 8);
        memcpy(&d, dirty + p, 8);
        if (d)
            memset(dirty + p, 0, 8);
    }
    for (; p < end; p++) {
        initial[p] = flags[p] & RV_PAGE_PERMS;
        if (dirty[p])
            dirty[p] = 0;
    }
}

bool rv_memory_range_ok(rv_memory *mem, uint64_t addr, uint64_t len, unsigned need)
{
    if (len == 0)
        return addr <= mem->size;
    uint64_t first, end;
    if (!page_span(mem, addr, len, &first, &end))
        return false;
    for (uint64_t p = first; p < end; p++)
        if ((mem->flags[p] & need) != need)
            return false;
    return !(need & RV_PAGE_W) || rv_memory_prepare_write(mem, addr, len) == 0;
}

void rv_memory_mark_written(rv_memory *mem, uint64_t addr, uint64_t len)
{
    uint64_t first, end;
    if (!page_span(mem, addr, len, &first, &end))
        return;
    rv_memory_mark_pieces(mem, first, end);
    for (uint64_t p = first; p < end; p++) {
        mem->dirty[p] = 1;
        own(mem, p, PREP_FORCE);
    }
}

bool rv_memory_page_is_zero(const rv_memory *mem, uint64_t page)
{
    if (!rv_memory_page_maybe_nonzero(mem, page))
        return true;
    const uint64_t *w = (const uint64_t *)(mem->base + (page << RV_PAGE_SHIFT));
    /* A cache line at a time, so a page with data is told apart at once. */
    for (size_t i = 0; i < RV_PAGE_SIZE / 8; i += 8) {
        uint64_t acc = 0;
        for (size_t j = 0; j < 8; j++)
            acc |= w[i + j];
        if (acc)
            return false;
    }
    return true;
}
