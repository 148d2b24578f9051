/* Cycle profiles by function with a shadow call stack (profile.h). */
#include "profile.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "../elf/symbols.h"

#define MAX_DEPTH 4096
#define RETURN_SEARCH 16 /* frames searched for a return address */

typedef struct node {
    uint64_t func;   /* the function's start address */
    uint32_t parent; /* UINT32_MAX for a root */
    uint32_t next;   /* hash chain */
    uint64_t self;   /* cycles spent with this exact stack */
} node;

typedef struct frame {
    uint32_t node;
    uint64_t ret; /* where the call returns */
} frame;

struct rv_profile {
    rvvm_machine *m;
    node *nodes;
    size_t nnodes, capnodes;
    uint32_t *hash;
    size_t hash_size;
    frame stack[MAX_DEPTH];
    size_t depth;
    bool oom;
};

static uint64_t func_of(const rv_profile *p, uint64_t pc)
{
    const char *name;
    uint64_t off;
    if (rv_symbol_at(p->m, pc, &name, &off))
        return pc - off;
    return pc;
}

static size_t hash_of(uint32_t parent, uint64_t func, size_t size)
{
    uint64_t h = (func * 0x9e3779b97f4a7c15ull) ^ ((uint64_t)parent * 0xc2b2ae3d27d4eb4full);
    return (size_t)(h >> 20) & (size - 1);
}

static bool rehash(rv_profile *p, size_t size)
{
    uint32_t *h = malloc(size * sizeof *h);
    if (!h)
        return false;
    for (size_t i = 0; i < size; i++)
        h[i] = UINT32_MAX;
    for (size_t i = 0; i < p->nnodes; i++) {
        size_t b = hash_of(p->nodes[i].parent, p->nodes[i].func, size);
        p->nodes[i].next = h[b];
        h[b] = (uint32_t)i;
    }
    free(p->hash);
    p->hash = h;
    p->hash_size = size;
    return true;
}

/* The node for `func` called with stack `parent`; UINT32_MAX when out of memory. */
static uint32_t child(rv_profile *p, uint32_t parent, uint64_t func)
{
    size_t b = hash_of(parent, func, p->hash_size);
    for (uint32_t i = p->hash[b]; i != UINT32_MAX; i = p->nodes[i].next)
        if (p->nodes[i].parent == parent && p->nodes[i].func == func)
            return i;
    if (p->nnodes == p->capnodes) {
        size_t cap = p->capnodes * 2;
        node *n = realloc(p->nodes, cap * sizeof *n);
        if (!n || p->nnodes >= UINT32_MAX - 1)
            return UINT32_MAX;
        p->nodes = n;
        p->capnodes = cap;
    }
    uint32_t idx = (uint32_t)p->nnodes++;
    p->nodes[idx] = (node){func, parent, p->hash[b], 0};
    p->hash[b] = idx;
    if (p->nnodes * 2 > p->hash_size && !rehash(p, p->hash_size * 2))
        return UINT32_MAX;
    return idx;
}

rv_profile *rv_profile_create(rvvm_machine *m)
{
    rv_profile *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->m = m;
    p->capnodes = 256;
    p->nodes = malloc(p->capnodes * sizeof *p->nodes);
    if (!p->nodes || !rehash(p, 1024)) {
        rv_profile_destroy(p);
        return NULL;
    }
    uint32_t root = child(p, UINT32_MAX, func_of(p, rvvm_pc(m)));
    p->stack[0] = (frame){root, 0};
    p->depth = 1;
    return p;
}

void rv_profile_destroy(rv_profile *p)
{
    if (!p)
        return;
    free(p->nodes);
    free(p->hash);
    free(p);
}

static void account(rv_profile *p, const rvvm_step_info *info)
{
    frame *top = &p->stack[p->depth - 1];
    uint64_t cost = rvvm_cycles(p->m) - info->cycles;
    p->nodes[top->node].self += cost;
    if (!info->retired)
        return;
    uint64_t next = info->pc + info->length, pc = rvvm_pc(p->m);
    if (pc == next)
        return; /* no control transfer */
    bool links = info->reg_file == 'x' && (info->reg == 1 || info->reg == 5) &&
                 info->reg_value == next;
    if (links) {
        /* A call: jal/jalr/c.jalr that leaves the return address in ra (or t0). */
        if (p->depth == MAX_DEPTH)
            return;
        uint32_t n = child(p, top->node, func_of(p, pc));
        if (n == UINT32_MAX) {
            p->oom = true;
            return;
        }
        p->stack[p->depth++] = (frame){n, next};
        return;
    }
    /* A return: a jump to the return address of a frame near the top. */
    for (size_t k = p->depth, seen = 0; k > 1 && seen < RETURN_SEARCH; k--, seen++)
        if (p->stack[k - 1].ret == pc) {
            p->depth = k - 1;
            return;
        }
}

rvvm_status rv_profile_run(rv_profile *p, uint64_t max_cycles, rvvm_run_result *res)
{
    uint64_t start = rvvm_cycles(p->m);
    for (;;) {
        uint64_t spent = rvvm_cycles(p->m) - start;
        uint64_t left = max_cycles == RVVM_NO_LIMIT ? RVVM_NO_LIMIT
                        : spent >= max_cycles        ? 0
                                                     : max_cycles - spent;
        rvvm_step_info info;
        rvvm_status st = rvvm_step(p->m, left, &info, res);
        if (st != RVVM_OK)
            return st;
        account(p, &info);
        if (p->oom)
            return RVVM_ERR_NO_MEMORY;
        if (res->reason != RVVM_STOP_CYCLE_LIMIT && res->reason != RVVM_STOP_HOST)
            return RVVM_OK;
        if (res->reason == RVVM_STOP_HOST)
            return RVVM_OK;
        if (!info.retired)
            return RVVM_OK; /* the budget cannot pay the next instruction */
    }
}

static void put_name(const rv_profile *p, uint64_t func, FILE *f)
{
    const char *name;
    uint64_t off;
    if (rv_symbol_at(p->m, func, &name, &off) && off == 0)
        fputs(name, f);
    else
        fprintf(f, "0x%" PRIx64, func);
}

static void put_path(const rv_profile *p, uint32_t n, FILE *f)
{
    if (p->nodes[n].parent != UINT32_MAX) {
        put_path(p, p->nodes[n].parent, f);
        fputc(';', f);
    }
    put_name(p, p->nodes[n].func, f);
}

typedef struct fstat {
    uint64_t func, self, total;
} fstat;

static int by_self(const void *a, const void *b)
{
    const fstat *x = a, *y = b;
    if (x->self != y->self)
        return x->self < y->self ? 1 : -1;
    if (x->total != y->total)
        return x->total < y->total ? 1 : -1;
    return x->func < y->func ? -1 : x->func > y->func;
}

static fstat *stat_for(fstat *s, size_t *n, uint64_t func)
{
    for (size_t i = 0; i < *n; i++)
        if (s[i].func == func)
            return &s[i];
    s[*n] = (fstat){func, 0, 0};
    return &s[(*n)++];
}

bool rv_profile_write(const rv_profile *p, FILE *folded, FILE *flat)
{
    uint64_t all = 0;
    for (size_t i = 0; i < p->nnodes; i++) {
        if (!p->nodes[i].self)
            continue;
        all += p->nodes[i].self;
        put_path(p, (uint32_t)i, folded);
        fprintf(folded, " %" PRIu64 "\n", p->nodes[i].self);
    }
    if (flat) {
        fstat *s = calloc(p->nnodes ? p->nnodes : 1, sizeof *s);
        uint64_t *seen = calloc(MAX_DEPTH + 1, sizeof *seen);
        if (!s || !seen) {
            free(s);
            free(seen);
            return false;
        }
        size_t ns = 0;
        for (size_t i = 0; i < p->nnodes; i++) {
            uint64_t c = p->nodes[i].self;
            if (!c)
                continue;
            stat_for(s, &ns, p->nodes[i].func)->self += c;
            /* total: once per distinct function on the stack (recursion counts once) */
            size_t nseen = 0;
            for (uint32_t k = (uint32_t)i; k != UINT32_MAX && nseen <= MAX_DEPTH;
                 k = p->nodes[k].parent) {
                uint64_t f = p->nodes[k].func;
                bool dup = false;
                for (size_t j = 0; j < nseen; j++)
                    dup |= seen[j] == f;
                if (dup)
                    continue;
                seen[nseen++] = f;
                stat_for(s, &ns, f)->total += c;
            }
        }
        qsort(s, ns, sizeof *s, by_self);
        fprintf(flat, "# cycles by function: %" PRIu64 " cycles in all\n", all);
        fprintf(flat, "%14s %7s %14s %7s  %s\n", "self", "self%", "total", "total%", "function");
        for (size_t i = 0; i < ns; i++) {
            fprintf(flat, "%14" PRIu64 " %6.2f%% %14" PRIu64 " %6.2f%%  ", s[i].self,
                    all ? 100.0 * (double)s[i].self / (double)all : 0.0, s[i].total,
                    all ? 100.0 * (double)s[i].total / (double)all : 0.0);
            put_name(p, s[i].func, flat);
            fputc('\n', flat);
        }
        free(s);
        free(seen);
    }
    return !ferror(folded) && (!flat || !ferror(flat));
}
