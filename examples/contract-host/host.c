/*
 * contract-host: a small but complete smart-contract host on librvvm.
 *
 * The contract (contract/ledger.c) is a bare RISC-V program run without an
 * OS layer (RVVM_OS_NONE): every ecall it makes is one of the host calls of
 * include/rvvm/guest.h, answered by on_ecall below. The host keeps the
 * ledger's storage (a key-value map) itself; the machine keeps the
 * contract's own globals. One transaction is one rvvm_call of an exported
 * function, metered: the gas limit is the call's cycle budget, and every
 * host call charges gas per byte it moves (rvvm_charge). A transaction that
 * reverts (returns non-zero), faults or runs out of gas is rolled back in
 * place to a checkpoint taken before it: guest memory, registers and
 * counters come back exactly (the host checks the state digest), and the
 * host drops the storage writes it held back for the transaction.
 *
 *   contract-host run CONTRACT.elf TXFILE
 *       runs every transaction and prints the ledger's final state.
 *   contract-host run CONTRACT.elf TXFILE --pause K:CYCLES PREFIX
 *       runs transactions 0..K-1, then gives transaction K only CYCLES
 *       cycles; when it stops there (paused, not finished), writes
 *       PREFIX.snap (the machine inside the call), PREFIX.base.snap (the
 *       machine before the transaction, its rollback point) and
 *       PREFIX.ledger (the host's storage, the transaction's pending writes,
 *       logs and receipts so far, with the SHA-256 of everything) and exits.
 *   contract-host resume CONTRACT.elf TXFILE PREFIX
 *       in a fresh process: resumes PREFIX.snap from bytes (rvvm_resume
 *       with program_image: the library reads no file), finishes
 *       transaction K, runs the rest and prints the same final state as an
 *       uninterrupted run.
 *
 * Transaction file: one per line, "mint TO AMOUNT", "transfer FROM TO
 * AMOUNT", "memo ACCOUNT BYTES", "spin N", "crash", "badptr"; '#' comments.
 * Exit status: 0 on success, 1 on any error (a one-line message on stderr).
 */
#include <errno.h>
#include <inttypes.h>
#include <openssl/evp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rvvm/guest.h"
#include "rvvm/rvvm.h"
#include "rvvm/snapshot.h"

/* ---- The host's economics ------------------------------------------------ */

#define GAS_LIMIT 50000u      /* cycles per transaction */
#define GAS_PER_CALL 20u      /* every host call, on top of the ecall's own cost */
#define GAS_PER_BYTE 8u       /* every byte a host call moves in or out */
#define SETUP_BUDGET 1000000u /* cycles for the contract's start-up code */
#define MAX_KEY 64u
#define MAX_VALUE 8192u
#define MAX_LOG 256u
#define MAX_RETURN 256u
#define TX_MAX_INPUT 64u
#define GUEST_MEMORY (1ull << 20)

enum { TX_OK, TX_REVERT, TX_FAULT, TX_OUT_OF_GAS, TX_KINDS };
static const char *const tx_kind_name[TX_KINDS] = {"committed", "reverted", "faulted",
                                                   "out_of_gas"};

/* ---- Small utilities ------------------------------------------------------ */

_Noreturn static void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("contract-host: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(1);
}

static void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        die("out of memory");
    return p;
}

static void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p)
        die("out of memory");
    return p;
}

static uint8_t *read_file(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        die("cannot open '%s': %s", path, strerror(errno));
    size_t cap = 1 << 16, n = 0;
    uint8_t *buf = xmalloc(cap);
    for (;;) {
        if (n == cap)
            buf = xrealloc(buf, cap *= 2);
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
    }
    if (ferror(f))
        die("cannot read '%s'", path);
    fclose(f);
    *size = n;
    return buf;
}

/* Written to PATH.tmp, then renamed: a reader never sees half a file. */
static void write_file(const char *path, const void *data, size_t size)
{
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "wb");
    if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0)
        die("cannot write '%s'", tmp);
    if (rename(tmp, path) != 0)
        die("cannot rename '%s' to '%s': %s", tmp, path, strerror(errno));
}

static void sha256(const void *data, size_t len, uint8_t out[32])
{
    unsigned int n = 32;
    if (!EVP_Digest(data, len, out, &n, EVP_sha256(), NULL))
        die("SHA-256 failed");
}

static void hex(const uint8_t *p, size_t n, char *out)
{
    for (size_t i = 0; i < n; i++)
        sprintf(out + 2 * i, "%02x", p[i]);
    out[2 * n] = '\0';
}

/* A growable byte buffer. */
typedef struct bytes {
    uint8_t *p;
    size_t n, cap;
} bytes;

static void b_put(bytes *b, const void *data, size_t n)
{
    if (b->n + n > b->cap) {
        b->cap = (b->n + n) * 2 + 64;
        b->p = xrealloc(b->p, b->cap);
    }
    if (n)
        memcpy(b->p + b->n, data, n);
    b->n += n;
}

static void b_u32(bytes *b, uint32_t v)
{
    uint8_t le[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
    b_put(b, le, 4);
}

static void b_printf(bytes *b, const char *fmt, ...)
{
    char line[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof line)
        die("internal: line too long");
    b_put(b, line, (size_t)n);
}

static void b_hexline(bytes *b, const char *tag, const uint8_t *p, size_t n)
{
    b_printf(b, "%s ", tag);
    for (size_t i = 0; i < n; i++)
        b_printf(b, "%02x", p[i]);
    b_put(b, "\n", 1);
}

/* ---- Storage: the host's own state --------------------------------------- */

typedef struct kv {
    uint8_t *key, *val;
    size_t klen, vlen;
} kv;

/* Sorted by key (committed storage) or in write order (a transaction's pending writes). */
typedef struct kvlist {
    kv *items;
    size_t n, cap;
} kvlist;

static int key_cmp(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
    int c = memcmp(a, b, alen < blen ? alen : blen);
    return c ? c : (alen > blen) - (alen < blen);
}

static kv kv_make(const void *key, size_t klen, const void *val, size_t vlen)
{
    kv e = {xmalloc(klen), xmalloc(vlen), klen, vlen};
    memcpy(e.key, key, klen);
    if (vlen)
        memcpy(e.val, val, vlen);
    return e;
}

static void kvlist_append(kvlist *l, kv e)
{
    if (l->n == l->cap)
        l->items = xrealloc(l->items, (l->cap = l->cap * 2 + 16) * sizeof *l->items);
    l->items[l->n++] = e;
}

static void kvlist_clear(kvlist *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->items[i].key);
        free(l->items[i].val);
    }
    l->n = 0;
}

/* Binary search in sorted storage: the index of key, or where it would go. */
static size_t storage_find(const kvlist *s, const uint8_t *key, size_t klen, bool *found)
{
    size_t lo = 0, hi = s->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = key_cmp(s->items[mid].key, s->items[mid].klen, key, klen);
        if (c == 0) {
            *found = true;
            return mid;
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    *found = false;
    return lo;
}

static void storage_set(kvlist *s, kv e)
{
    bool found;
    size_t i = storage_find(s, e.key, e.klen, &found);
    if (found) {
        free(s->items[i].key);
        free(s->items[i].val);
        s->items[i] = e;
        return;
    }
    kvlist_append(s, e); /* grows the array; then shift into place */
    memmove(s->items + i + 1, s->items + i, (s->n - 1 - i) * sizeof *s->items);
    s->items[i] = e;
}

/* SHA-256 over the sorted entries: u32 klen, key, u32 vlen, value, each. */
static void storage_digest(const kvlist *s, uint8_t out[32])
{
    bytes b = {0};
    for (size_t i = 0; i < s->n; i++) {
        b_u32(&b, (uint32_t)s->items[i].klen);
        b_put(&b, s->items[i].key, s->items[i].klen);
        b_u32(&b, (uint32_t)s->items[i].vlen);
        b_put(&b, s->items[i].val, s->items[i].vlen);
    }
    sha256(b.p, b.n, out);
    free(b.p);
}

/* ---- Transactions ----------------------------------------------------------- */

typedef struct tx {
    char func[16];
    uint8_t input[TX_MAX_INPUT];
    size_t input_len;
} tx;

static void le_put(uint8_t *p, uint64_t v, int n)
{
    for (int i = 0; i < n; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static tx *parse_txs(const char *path, size_t *count)
{
    size_t size;
    char *text = (char *)read_file(path, &size);
    text = xrealloc(text, size + 1);
    text[size] = '\0';
    tx *txs = NULL;
    size_t n = 0, cap = 0, lineno = 0;
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        lineno++;
        char *hash = strchr(line, '#');
        if (hash)
            *hash = '\0';
        char name[16];
        unsigned long long a = 0, b = 0, c = 0;
        int got = sscanf(line, "%15s %llu %llu %llu", name, &a, &b, &c);
        if (got < 1)
            continue;
        if (n == cap)
            txs = xrealloc(txs, (cap = cap * 2 + 64) * sizeof *txs);
        tx *t = &txs[n++];
        memset(t, 0, sizeof *t);
        snprintf(t->func, sizeof t->func, "%s", name);
        int want = 0;
        if (!strcmp(name, "mint")) { /* u32 to, u32 0, u64 amount */
            want = 3;
            le_put(t->input, a, 4);
            le_put(t->input + 8, b, 8);
            t->input_len = 16;
        } else if (!strcmp(name, "transfer")) { /* u32 from, u32 to, u64 amount */
            want = 4;
            le_put(t->input, a, 4);
            le_put(t->input + 4, b, 4);
            le_put(t->input + 8, c, 8);
            t->input_len = 16;
        } else if (!strcmp(name, "memo")) { /* u32 account, u32 bytes */
            want = 3;
            le_put(t->input, a, 4);
            le_put(t->input + 4, b, 4);
            t->input_len = 8;
        } else if (!strcmp(name, "spin")) { /* u64 rounds */
            want = 2;
            le_put(t->input, a, 8);
            t->input_len = 8;
        } else if (!strcmp(name, "crash") || !strcmp(name, "badptr")) {
            want = 1;
        } else {
            die("%s:%zu: unknown transaction '%s'", path, lineno, name);
        }
        if (got != want)
            die("%s:%zu: '%s' takes %d numbers", path, lineno, name, want - 1);
    }
    free(text);
    *count = n;
    return txs;
}

/* ---- The host ---------------------------------------------------------------- */

typedef struct host {
    rvvm_machine *m;
    const uint8_t *elf; /* the contract's bytes: machines are loaded and resumed from them */
    size_t elf_size;

    kvlist storage; /* committed, sorted */
    kvlist pending; /* the running transaction's writes, in order */
    bytes logs;     /* the running transaction's logs: u32 length, bytes */
    uint32_t nlogs;
    uint8_t ret[MAX_RETURN];
    size_t ret_len;
    const tx *cur; /* the running transaction (its input) */

    uint8_t chain[32];       /* receipts: chain = SHA-256(chain || receipt) */
    uint64_t count[TX_KINDS];
    uint64_t gas_billed;     /* cycles of every transaction, committed or not */
    uint64_t rollbacks_verified;
} host;

static void host_free(host *h)
{
    rvvm_destroy(h->m);
    h->m = NULL;
    kvlist_clear(&h->storage);
    free(h->storage.items);
    kvlist_clear(&h->pending);
    free(h->pending.items);
    free(h->logs.p);
}

/* Charges for a host call moving `bytes`; false if the budget cannot pay, and
 * the handler must then return at once, having changed nothing. */
static bool charge(rvvm_machine *m, uint64_t bytes)
{
    return rvvm_charge(m, GAS_PER_CALL + GAS_PER_BYTE * bytes) == RVVM_OK;
}

/* The latest value of a key, as the running transaction sees it. */
static const kv *lookup(const host *h, const uint8_t *key, size_t klen)
{
    for (size_t i = h->pending.n; i-- > 0;)
        if (!key_cmp(h->pending.items[i].key, h->pending.items[i].klen, key, klen))
            return &h->pending.items[i];
    bool found;
    size_t i = storage_find(&h->storage, key, klen, &found);
    return found ? &h->storage.items[i] : NULL;
}

/*
 * Every ecall of the contract. Arguments are in a0..a3, the call number in
 * a7, the result goes to a0. Each call checks its arguments, reads what it
 * needs from the guest, and only then charges: a charge the budget cannot
 * pay (rvvm_charge returning RVVM_ERR_BUDGET) returns before any effect --
 * no register, guest memory or host state changes -- and the run stops
 * before the ecall, which runs again if the transaction is resumed.
 */
static rvvm_ecall_action on_ecall(rvvm_machine *m, void *user, uint64_t *code)
{
    host *h = user;
    uint64_t a0 = rvvm_reg(m, 10), a1 = rvvm_reg(m, 11), a2 = rvvm_reg(m, 12),
             a3 = rvvm_reg(m, 13);
    int64_t result = 0;
    static uint8_t buf[MAX_VALUE]; /* a host-side copy; nothing here outlives the call */
    uint8_t key[MAX_KEY];

    switch (rvvm_reg(m, 17)) {
    case RVVM_HOSTCALL_INPUT_SIZE:
        if (!charge(m, 0))
            return RVVM_ECALL_HANDLED;
        result = (int64_t)h->cur->input_len;
        break;

    case RVVM_HOSTCALL_INPUT_READ: { /* (buf, len) */
        size_t n = a1 < h->cur->input_len ? (size_t)a1 : h->cur->input_len;
        if (!charge(m, n))
            return RVVM_ECALL_HANDLED;
        result = rvvm_guest_write(m, a0, h->cur->input, n) == RVVM_OK ? (int64_t)n
                                                                        : RVVM_HOSTCALL_EFAULT;
        break;
    }

    case RVVM_HOSTCALL_STORAGE_GET: { /* (key, klen, buf, len) */
        if (a1 > MAX_KEY) {
            result = RVVM_HOSTCALL_EINVAL;
            break;
        }
        if (rvvm_guest_read(m, a0, key, a1) != RVVM_OK) {
            result = RVVM_HOSTCALL_EFAULT;
            break;
        }
        const kv *e = lookup(h, key, a1);
        size_t n = !e ? 0 : a3 < e->vlen ? (size_t)a3 : e->vlen;
        if (!charge(m, a1 + n))
            return RVVM_ECALL_HANDLED;
        if (!e)
            result = -1;
        else if (rvvm_guest_write(m, a2, e->val, n) != RVVM_OK)
            result = RVVM_HOSTCALL_EFAULT;
        else
            result = (int64_t)e->vlen;
        break;
    }

    case RVVM_HOSTCALL_STORAGE_PUT: { /* (key, klen, val, vlen) */
        if (a1 > MAX_KEY || a3 > MAX_VALUE) {
            result = RVVM_HOSTCALL_EINVAL;
            break;
        }
        if (rvvm_guest_read(m, a0, key, a1) != RVVM_OK ||
            rvvm_guest_read(m, a2, buf, a3) != RVVM_OK) {
            result = RVVM_HOSTCALL_EFAULT;
            break;
        }
        if (!charge(m, a1 + a3))
            return RVVM_ECALL_HANDLED;
        /* Held back until the transaction commits. */
        kvlist_append(&h->pending, kv_make(key, a1, buf, a3));
        break;
    }

    case RVVM_HOSTCALL_LOG: /* (msg, len) */
    case RVVM_HOSTCALL_RETURN: { /* (data, len) */
        bool is_log = rvvm_reg(m, 17) == RVVM_HOSTCALL_LOG;
        if (a1 > (is_log ? MAX_LOG : MAX_RETURN)) {
            result = RVVM_HOSTCALL_EINVAL;
            break;
        }
        if (rvvm_guest_read(m, a0, buf, a1) != RVVM_OK) {
            result = RVVM_HOSTCALL_EFAULT;
            break;
        }
        if (!charge(m, a1))
            return RVVM_ECALL_HANDLED;
        if (is_log) {
            b_u32(&h->logs, (uint32_t)a1);
            b_put(&h->logs, buf, a1);
            h->nlogs++;
        } else {
            memcpy(h->ret, buf, a1);
            h->ret_len = a1;
        }
        break;
    }

    case RVVM_HOSTCALL_YIELD: /* (code): the run stops with RVVM_STOP_HOST */
        *code = a0;
        rvvm_set_reg(m, 10, 0);
        return RVVM_ECALL_STOP;

    default:
        /* Not a call of this host: the transaction faults (RVVM_FAULT_BAD_SYSCALL). */
        return RVVM_ECALL_FAULT;
    }
    rvvm_set_reg(m, 10, (uint64_t)result);
    return RVVM_ECALL_HANDLED;
}

/* ---- Machines ------------------------------------------------------------------- */

static rvvm_config contract_config(void)
{
    rvvm_config cfg;
    rvvm_config_init(&cfg); /* the only way to fill it: it may grow */
    cfg.memory_size = GUEST_MEMORY;
    cfg.isa = RVVM_ISA_M | RVVM_ISA_A | RVVM_ISA_C;
    cfg.os = RVVM_OS_NONE; /* a bare contract VM: every ecall is the host's */
    /* Guest pages, decoded code and checkpoint copies together: a contract that
     * tries for more faults (RVVM_FAULT_MEMORY_LIMIT) instead of growing the host. */
    cfg.max_host_memory = 32ull << 20;
    return cfg;
}

/* A fresh machine: the contract loaded from bytes and its setup run to its yield. */
static rvvm_machine *new_machine(host *h)
{
    rvvm_config cfg = contract_config();
    rvvm_machine *m;
    if (rvvm_create(&cfg, &m) != RVVM_OK)
        die("rvvm_create failed");
    const char *const argv[] = {"contract", NULL};
    if (rvvm_load_elf_memory(m, h->elf, h->elf_size, "contract", argv, NULL) != RVVM_OK)
        die("cannot load the contract: %s", rvvm_last_error(m));
    rvvm_set_ecall_handler(m, on_ecall, h);
    rvvm_run_result r;
    if (rvvm_run(m, SETUP_BUDGET, &r) != RVVM_OK || r.reason != RVVM_STOP_HOST || r.host_code != 0)
        die("the contract's setup did not end in a yield (stop reason %d)", (int)r.reason);
    return m;
}

/* A machine from a snapshot's bytes, with the contract's bytes as its program. */
static rvvm_machine *resume_machine(host *h, const uint8_t *snap, size_t size)
{
    rvvm_resume_options opt;
    rvvm_resume_options_init(&opt);
    opt.program_image = h->elf; /* checked against the snapshot's program hash */
    opt.program_size = h->elf_size;
    rvvm_machine *m;
    char err[256];
    if (rvvm_resume(snap, size, &opt, &m, err, sizeof err) != RVVM_OK)
        die("cannot resume: %s", err);
    /* Handlers are host code: they are not in snapshots, the host installs them again. */
    rvvm_set_ecall_handler(m, on_ecall, h);
    return m;
}

/* An exported function's address, from the program's ELF symbol table, which
 * the machine keeps (also after resuming). */
static uint64_t function(host *h, const char *name)
{
    uint64_t addr;
    if (rvvm_symbol(h->m, name, &addr) != RVVM_OK)
        die("the contract exports no function '%s': %s", name, rvvm_last_error(h->m));
    return addr;
}

/* ---- Rollback points ----------------------------------------------------------- */

/* In-place checkpoints: taking one copies nothing; restoring one costs the
 * pages written since. */
static rvvm_checkpoint_id rollback_take(host *h)
{
    rvvm_checkpoint_id cp;
    if (rvvm_checkpoint(h->m, &cp) != RVVM_OK)
        die("rvvm_checkpoint: %s", rvvm_last_error(h->m));
    return cp;
}

static void rollback_to(host *h, rvvm_checkpoint_id cp)
{
    if (rvvm_restore(h->m, cp) != RVVM_OK)
        die("rvvm_restore: %s", rvvm_last_error(h->m));
    rvvm_checkpoint_free(h->m, cp);
}

static void rollback_drop(host *h, rvvm_checkpoint_id cp) { rvvm_checkpoint_free(h->m, cp); }

/* ---- Running transactions -------------------------------------------------------- */

static void begin_tx(host *h, const tx *t)
{
    h->cur = t;
    kvlist_clear(&h->pending);
    h->logs.n = 0;
    h->nlogs = 0;
    h->ret_len = 0;
}

static int classify(const rvvm_run_result *r)
{
    switch (r->reason) {
    case RVVM_STOP_RETURNED: return r->return_value == 0 ? TX_OK : TX_REVERT;
    case RVVM_STOP_CYCLE_LIMIT: return TX_OUT_OF_GAS;
    default: return TX_FAULT; /* a fault, an exit or a yield inside a transaction */
    }
}

/* Records the outcome: commits the pending writes or drops them, and extends
 * the receipt chain with (index, status, return data, logs). */
static void settle(host *h, uint32_t index, int status, uint64_t used)
{
    h->count[status]++;
    h->gas_billed += used;
    bytes r = {0};
    b_put(&r, h->chain, 32);
    b_u32(&r, index);
    b_u32(&r, (uint32_t)status);
    if (status == TX_OK) {
        for (size_t i = 0; i < h->pending.n; i++) {
            storage_set(&h->storage, h->pending.items[i]);
            h->pending.items[i] = (kv){0};
        }
        h->pending.n = 0;
        b_u32(&r, (uint32_t)h->ret_len);
        b_put(&r, h->ret, h->ret_len);
        b_u32(&r, h->nlogs);
        b_put(&r, h->logs.p, h->logs.n);
    } else {
        kvlist_clear(&h->pending);
        b_u32(&r, 0);
        b_u32(&r, 0);
    }
    sha256(r.p, r.n, h->chain);
    free(r.p);
}

static void check_rolled_back(host *h, const uint8_t before[32])
{
    uint8_t after[32];
    if (rvvm_state_digest(h->m, after) != RVVM_OK || memcmp(before, after, 32) != 0)
        die("rollback did not restore the machine's state digest");
    h->rollbacks_verified++;
}

/* Runs transaction `index`, with `slice` cycles at most (GAS_LIMIT: all of
 * its gas). Returns false if it was paused by the slice (then *paused holds
 * the rollback point and the call is still in progress). */
static bool run_tx(host *h, uint32_t index, const tx *t, uint64_t slice, rvvm_checkpoint_id *paused,
                   uint64_t *start_out)
{
    begin_tx(h, t);
    uint8_t before[32];
    rvvm_checkpoint_id cp = rollback_take(h);
    if (rvvm_state_digest(h->m, before) != RVVM_OK)
        die("rvvm_state_digest failed");
    uint64_t start = rvvm_cycles(h->m);
    rvvm_run_result r;
    if (rvvm_call(h->m, function(h, t->func), NULL, 0, slice, &r, NULL) != RVVM_OK)
        die("rvvm_call: %s", rvvm_last_error(h->m));
    if (r.reason == RVVM_STOP_CYCLE_LIMIT && slice < GAS_LIMIT) {
        *paused = cp;
        *start_out = start;
        return false;
    }
    int status = classify(&r);
    uint64_t used = rvvm_cycles(h->m) - start;
    if (status == TX_OK) {
        rollback_drop(h, cp);
    } else {
        rollback_to(h, cp);
        check_rolled_back(h, before);
    }
    settle(h, index, status, used);
    return true;
}

/*
 * A view: tx_count(), run on a fork of the ledger's machine. The child shares
 * the machine's memory copy-on-write and is thrown away after the call, so a
 * query never changes the ledger (the host checks the digest and counters),
 * and many could run at once, each on its own child and thread.
 */
static uint64_t view_tx_count(host *h)
{
    uint8_t before[32], after[32];
    uint64_t cycles = rvvm_cycles(h->m);
    if (rvvm_state_digest(h->m, before) != RVVM_OK)
        die("rvvm_state_digest failed");
    rvvm_machine *child;
    if (rvvm_fork(h->m, &child) != RVVM_OK)
        die("rvvm_fork: %s", rvvm_last_error(h->m));
    static const tx none = {"tx_count", {0}, 0};
    begin_tx(h, &none); /* the child has the ledger's handler and user pointer */
    uint64_t addr, v;
    rvvm_run_result r;
    if (rvvm_symbol(child, "tx_count", &addr) != RVVM_OK ||
        rvvm_call(child, addr, NULL, 0, GAS_LIMIT, &r, &v) != RVVM_OK ||
        r.reason != RVVM_STOP_RETURNED)
        die("tx_count() did not return: %s", rvvm_last_error(child));
    rvvm_destroy(child);
    if (rvvm_state_digest(h->m, after) != RVVM_OK || memcmp(before, after, 32) ||
        rvvm_cycles(h->m) != cycles)
        die("a view changed the ledger's machine");
    return v;
}

static void print_result(host *h, size_t ntx)
{
    printf("transactions %zu\n", ntx);
    for (int k = 0; k < TX_KINDS; k++)
        printf("%s %" PRIu64 "\n", tx_kind_name[k], h->count[k]);
    for (size_t i = 0; i < h->storage.n; i++) {
        const kv *e = &h->storage.items[i];
        if (e->klen > 4 && !memcmp(e->key, "bal:", 4) && e->vlen == 8) {
            uint64_t v = 0;
            for (int b = 7; b >= 0; b--)
                v = v << 8 | e->val[b];
            printf("balance %.*s %" PRIu64 "\n", (int)(e->klen - 4), (const char *)e->key + 4, v);
        }
    }
    uint8_t d[32];
    char x[65];
    storage_digest(&h->storage, d);
    hex(d, 32, x);
    printf("storage_sha256 %s\n", x);
    hex(h->chain, 32, x);
    printf("receipts_sha256 %s\n", x);
    printf("rollbacks_verified %" PRIu64 "\n", h->rollbacks_verified);
    printf("tx_count %" PRIu64 "\n", view_tx_count(h));
    printf("gas_billed %" PRIu64 "\n", h->gas_billed);
    printf("machine_cycles %" PRIu64 "\n", rvvm_cycles(h->m));
    if (rvvm_state_digest(h->m, d) != RVVM_OK)
        die("rvvm_state_digest failed");
    hex(d, 32, x);
    printf("state_digest %s\n", x);
}

/* ---- Moving a paused transaction: the host's file next to the snapshots ------------ */

static void hexline_kv(bytes *b, const char *tag, const kv *e)
{
    b_printf(b, "%s ", tag);
    for (size_t i = 0; i < e->klen; i++)
        b_printf(b, "%02x", e->key[i]);
    b_put(b, " ", 1);
    for (size_t i = 0; i < e->vlen; i++)
        b_printf(b, "%02x", e->val[i]);
    b_put(b, "\n", 1);
}

static void save_paused(host *h, const char *prefix, uint32_t index, uint64_t start,
                        rvvm_checkpoint_id cp)
{
    char path[4096];
    uint8_t *snap, *base;
    size_t snap_size, base_size;
    uint8_t d[32];

    /* The machine inside the call, then its state before the transaction. */
    if (rvvm_snapshot_save_buffer(h->m, RVVM_SNAPSHOT_COMPRESS, &snap, &snap_size) != RVVM_OK)
        die("rvvm_snapshot_save_buffer: %s", rvvm_last_error(h->m));
    rollback_to(h, cp);
    if (rvvm_snapshot_save_buffer(h->m, RVVM_SNAPSHOT_COMPRESS, &base, &base_size) != RVVM_OK)
        die("rvvm_snapshot_save_buffer: %s", rvvm_last_error(h->m));

    bytes b = {0};
    b_printf(&b, "contract-host-ledger 1\n");
    b_printf(&b, "tx %" PRIu32 " %s\n", index, h->cur->func);
    b_hexline(&b, "input", h->cur->input, h->cur->input_len);
    b_printf(&b, "start_cycles %" PRIu64 "\n", start);
    b_printf(&b, "counts");
    for (int k = 0; k < TX_KINDS; k++)
        b_printf(&b, " %" PRIu64, h->count[k]);
    b_printf(&b, "\ngas_billed %" PRIu64 "\nrollbacks_verified %" PRIu64 "\n", h->gas_billed,
             h->rollbacks_verified);
    b_hexline(&b, "chain", h->chain, 32);
    for (size_t i = 0; i < h->storage.n; i++)
        hexline_kv(&b, "kv", &h->storage.items[i]);
    for (size_t i = 0; i < h->pending.n; i++)
        hexline_kv(&b, "pending", &h->pending.items[i]);
    b_hexline(&b, "logs", h->logs.p, h->logs.n);
    b_printf(&b, "nlogs %" PRIu32 "\n", h->nlogs);
    b_hexline(&b, "return", h->ret, h->ret_len);
    if (rvvm_state_digest(h->m, d) != RVVM_OK)
        die("rvvm_state_digest failed");
    b_hexline(&b, "base_digest", d, 32);
    sha256(snap, snap_size, d);
    b_hexline(&b, "snap_sha256", d, 32);
    sha256(base, base_size, d);
    b_hexline(&b, "base_sha256", d, 32);
    sha256(b.p, b.n, d); /* the last line covers every line above it */
    b_hexline(&b, "sha256", d, 32);

    snprintf(path, sizeof path, "%s.snap", prefix);
    write_file(path, snap, snap_size);
    snprintf(path, sizeof path, "%s.base.snap", prefix);
    write_file(path, base, base_size);
    snprintf(path, sizeof path, "%s.ledger", prefix);
    write_file(path, b.p, b.n);
    rvvm_buffer_free(snap);
    rvvm_buffer_free(base);
    free(b.p);
}

static size_t unhex(const char *s, uint8_t *out, size_t max)
{
    size_t n = 0;
    while (s[0] && s[1] && s[0] != ' ' && s[0] != '\n') {
        unsigned v;
        if (n == max || sscanf(s, "%2x", &v) != 1)
            die("ledger file: bad hex");
        out[n++] = (uint8_t)v;
        s += 2;
    }
    return n;
}

typedef struct paused_tx {
    uint32_t index;
    tx t;
    uint64_t start;
    uint8_t base_digest[32], snap_sha[32], base_sha[32];
} paused_tx;

static void load_paused(host *h, const char *path, paused_tx *p)
{
    size_t size;
    char *text = (char *)read_file(path, &size);
    text = xrealloc(text, size + 1);
    text[size] = '\0';
    char *last = strstr(text, "\nsha256 ");
    uint8_t want[32], got[32];
    if (!last || unhex(last + 8, want, 32) != 32)
        die("%s: no checksum line", path);
    sha256(text, (size_t)(last + 1 - text), got);
    if (memcmp(want, got, 32))
        die("%s: checksum mismatch: the file was changed or damaged", path);
    *last = '\0';
    static uint8_t k[MAX_KEY], v[MAX_VALUE];
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        char *arg = strchr(line, ' ');
        arg = arg ? arg + 1 : line + strlen(line);
        if (!strncmp(line, "tx ", 3)) {
            if (sscanf(arg, "%" SCNu32 " %15s", &p->index, p->t.func) != 2)
                die("%s: bad tx line", path);
        } else if (!strncmp(line, "input ", 6)) {
            p->t.input_len = unhex(arg, p->t.input, sizeof p->t.input);
        } else if (!strncmp(line, "start_cycles ", 13)) {
            p->start = strtoull(arg, NULL, 10);
        } else if (!strncmp(line, "counts ", 7)) {
            char *e = arg;
            for (int i = 0; i < TX_KINDS; i++)
                h->count[i] = strtoull(e, &e, 10);
        } else if (!strncmp(line, "gas_billed ", 11)) {
            h->gas_billed = strtoull(arg, NULL, 10);
        } else if (!strncmp(line, "rollbacks_verified ", 19)) {
            h->rollbacks_verified = strtoull(arg, NULL, 10);
        } else if (!strncmp(line, "chain ", 6)) {
            unhex(arg, h->chain, 32);
        } else if (!strncmp(line, "kv ", 3) || !strncmp(line, "pending ", 8)) {
            size_t kl = unhex(arg, k, sizeof k);
            char *val = strchr(arg, ' ');
            size_t vl = val ? unhex(val + 1, v, sizeof v) : 0;
            kv e = kv_make(k, kl, v, vl);
            if (line[0] == 'k')
                storage_set(&h->storage, e);
            else
                kvlist_append(&h->pending, e);
        } else if (!strncmp(line, "logs ", 5)) {
            static uint8_t lb[1 << 16];
            size_t n = unhex(arg, lb, sizeof lb);
            b_put(&h->logs, lb, n);
        } else if (!strncmp(line, "nlogs ", 6)) {
            h->nlogs = (uint32_t)strtoul(arg, NULL, 10);
        } else if (!strncmp(line, "return ", 7)) {
            h->ret_len = unhex(arg, h->ret, sizeof h->ret);
        } else if (!strncmp(line, "base_digest ", 12)) {
            unhex(arg, p->base_digest, 32);
        } else if (!strncmp(line, "snap_sha256 ", 12)) {
            unhex(arg, p->snap_sha, 32);
        } else if (!strncmp(line, "base_sha256 ", 12)) {
            unhex(arg, p->base_sha, 32);
        }
    }
    free(text);
}

static uint8_t *read_checked(const char *path, const uint8_t sha[32], size_t *size)
{
    uint8_t *data = read_file(path, size), d[32];
    sha256(data, *size, d);
    if (memcmp(d, sha, 32))
        die("%s does not match the ledger file's hash of it", path);
    return data;
}

/* ---- main ------------------------------------------------------------------------- */

int main(int argc, char **argv)
{
    bool resume = argc == 5 && !strcmp(argv[1], "resume");
    bool pause = argc == 7 && !strcmp(argv[1], "run") && !strcmp(argv[4], "--pause");
    if (!resume && !pause && !(argc == 4 && !strcmp(argv[1], "run"))) {
        fprintf(stderr, "usage: contract-host run CONTRACT.elf TXFILE [--pause K:CYCLES PREFIX]\n"
                        "       contract-host resume CONTRACT.elf TXFILE PREFIX\n");
        return 1;
    }
    host h = {0};
    uint8_t *elf = read_file(argv[2], &h.elf_size);
    h.elf = elf;
    size_t ntx;
    tx *txs = parse_txs(argv[3], &ntx);
    char path[4096];

    uint32_t first = 0;
    if (resume) {
        /* A fresh process: the host's state from its own file, the machine
         * from the snapshot's bytes and the contract's bytes. */
        const char *prefix = argv[4];
        paused_tx p = {0};
        snprintf(path, sizeof path, "%s.ledger", prefix);
        load_paused(&h, path, &p);
        size_t snap_size;
        snprintf(path, sizeof path, "%s.snap", prefix);
        uint8_t *snap = read_checked(path, p.snap_sha, &snap_size);
        h.m = resume_machine(&h, snap, snap_size);
        free(snap);
        h.cur = &p.t;
        uint64_t used = rvvm_cycles(h.m) - p.start;
        rvvm_run_result r;
        /* rvvm_run continues the call; it returns RVVM_STOP_RETURNED when the function does. */
        if (rvvm_run(h.m, GAS_LIMIT - used, &r) != RVVM_OK)
            die("rvvm_run: %s", rvvm_last_error(h.m));
        int status = classify(&r);
        used = rvvm_cycles(h.m) - p.start;
        if (status != TX_OK) {
            /* The rollback point moved with the transaction, as a second snapshot. */
            rvvm_destroy(h.m);
            size_t base_size;
            snprintf(path, sizeof path, "%s.base.snap", prefix);
            uint8_t *base = read_checked(path, p.base_sha, &base_size);
            h.m = resume_machine(&h, base, base_size);
            free(base);
            check_rolled_back(&h, p.base_digest);
        }
        settle(&h, p.index, status, used);
        fprintf(stderr, "contract-host: resumed transaction %" PRIu32 " (%s) and finished it: %s\n",
                p.index, p.t.func, tx_kind_name[status]);
        first = p.index + 1;
    } else {
        h.m = new_machine(&h);
    }

    uint32_t pause_at = UINT32_MAX;
    uint64_t pause_cycles = 0;
    if (pause && (sscanf(argv[5], "%" SCNu32 ":%" SCNu64, &pause_at, &pause_cycles) != 2 ||
                  pause_cycles == 0 || pause_cycles >= GAS_LIMIT || pause_at >= ntx))
        die("--pause wants K:CYCLES with K < %zu and 0 < CYCLES < %u", ntx, GAS_LIMIT);

    for (uint32_t i = first; i < ntx; i++) {
        rvvm_checkpoint_id cp;
        uint64_t start;
        if (!run_tx(&h, i, &txs[i], i == pause_at ? pause_cycles : GAS_LIMIT, &cp, &start)) {
            uint64_t pc = rvvm_pc(h.m), cycles = rvvm_cycles(h.m) - start;
            /* Stopped at an ecall: its handler could not pay its gas from the slice. */
            uint32_t insn = 0;
            bool at_ecall = rvvm_read_memory(h.m, pc, &insn, 4) == RVVM_OK && insn == 0x00000073u;
            save_paused(&h, argv[6], i, start, cp);
            printf("paused transaction %" PRIu32 " (%s) after %" PRIu64
                   " cycles at pc 0x%" PRIx64 ", %zu pending writes%s\n",
                   i, txs[i].func, cycles, pc, h.pending.n,
                   at_ecall ? ", before a host call whose gas the slice could not pay" : "");
            host_free(&h);
            free(txs);
            free(elf);
            return 0;
        }
    }
    if (pause)
        die("transaction %" PRIu32 " finished within %" PRIu64 " cycles: nothing to move", pause_at,
            pause_cycles);
    print_result(&h, ntx);
    host_free(&h);
    free(txs);
    free(elf);
    return 0;
}
