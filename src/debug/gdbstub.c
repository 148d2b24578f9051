/*
 * GDB remote serial protocol server with reverse execution (gdbstub.h).
 *
 * Forward execution goes one instruction at a time through rvvm_step, so
 * breakpoints never touch guest memory (the stub stops before executing an
 * instruction whose pc has one) and watchpoints come from the access
 * rvvm_step reports. Metering is rvvm_step's, which is rvvm_run's: the
 * budget stop comes at the same instruction as without a debugger.
 *
 * Reverse execution: an in-place checkpoint every `interval` instructions,
 * and deterministic replay from the nearest one before the wanted
 * instruction count. Console I/O is recorded per (instruction, call) and fed
 * back on replay: reads return the recorded bytes, writes are suppressed.
 */
#include "gdbstub.h"

#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "rvvm/snapshot.h"

#define PKT_MAX 16384            /* largest packet we accept (PacketSize) */
#define MEM_MAX (PKT_MAX / 2)    /* largest m/M/X transfer */
#define DEFAULT_INTERVAL 65536u  /* instructions between history checkpoints */
#define MAX_POINTS 256           /* breakpoints plus watchpoints */
#define MAX_MARKS 256            /* `monitor checkpoint` marks */
#define POLL_EVERY 8192          /* steps between Ctrl-C polls */
#define MAX_HISTORY 1024         /* checkpoints kept before thinning to every other one */

/* GDB's own signal numbers (gdb/signals.def), which the protocol uses. */
enum { GSIG_INT = 2, GSIG_ILL = 4, GSIG_TRAP = 5, GSIG_BUS = 10, GSIG_SEGV = 11, GSIG_SYS = 12,
       GSIG_XCPU = 24 };

typedef struct point {
    int type; /* 0 sw break, 1 hw break, 2 write watch, 3 read watch, 4 access watch */
    uint64_t addr, len;
} point;

typedef struct io_rec {
    uint64_t instret;
    uint32_t sub;
    int64_t result;
    size_t off, len; /* recorded read bytes in the pool */
} io_rec;

typedef struct history_ck {
    rvvm_checkpoint_id id;
    uint64_t instret;
} history_ck;

typedef struct buf {
    char *p;
    size_t len, cap;
    bool oom;
} buf;

struct rv_gdb {
    rvvm_machine *m;
    rv_gdb_options o;
    uint64_t interval;
    uint64_t start_cycles;
    /* Program state as the debugger last saw it. */
    bool ended, budget_stop;
    rvvm_run_result res;
    char last_stop[96];
    point pts[MAX_POINTS];
    size_t npts;
    /* History. */
    history_ck *ck;
    size_t nck, capck;
    uint64_t begin;             /* earliest instruction count we can go back to */
    io_rec *io;
    size_t nio, capio;
    uint8_t *pool;
    size_t pool_len, pool_cap;
    uint64_t io_instret;
    uint32_t io_sub;
    bool io_failed;
    uint64_t marks[MAX_MARKS];
    size_t nmarks;
    /* Wire state. */
    int rx;           /* 0 idle, 1 in packet, 2 checksum digit 1, 3 digit 2 */
    char pkt[PKT_MAX + 1];
    size_t pkt_len;
    bool pkt_overflow;
    uint8_t csum, got_csum;
    bool noack;
    buf reply;
    buf last_sent;
    rv_gdb_state state;
    unsigned poll_count;
};

/* ---- small helpers ---------------------------------------------------- */

static void buf_add(buf *b, const char *s, size_t n)
{
    if (b->oom)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *p = realloc(b->p, cap);
        if (!p) {
            b->oom = true;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

static void buf_str(buf *b, const char *s) { buf_add(b, s, strlen(s)); }

static void buf_fmt(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void buf_fmt(buf *b, const char *fmt, ...)
{
    char tmp[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n > 0)
        buf_add(b, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

static const char hexd[] = "0123456789abcdef";

static void buf_hex(buf *b, const uint8_t *d, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char h[2] = {hexd[d[i] >> 4], hexd[d[i] & 15]};
        buf_add(b, h, 2);
    }
}

static void buf_le(buf *b, uint64_t v, unsigned bytes)
{
    uint8_t d[8];
    for (unsigned i = 0; i < bytes; i++)
        d[i] = (uint8_t)(v >> (8 * i));
    buf_hex(b, d, bytes);
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Parses a hex number at *p (up to 16 digits), advancing it; false if none or too long. */
static bool parse_hex(const char **p, const char *end, uint64_t *out)
{
    uint64_t v = 0;
    int n = 0;
    while (*p < end && hexval(**p) >= 0) {
        if (++n > 16)
            return false;
        v = v << 4 | (uint64_t)hexval(**p);
        (*p)++;
    }
    *out = v;
    return n > 0;
}

static bool expect(const char **p, const char *end, char c)
{
    if (*p < end && **p == c) {
        (*p)++;
        return true;
    }
    return false;
}

/* Decodes 2*n hex digits; false unless exactly that many. */
static bool parse_bytes(const char *p, const char *end, uint8_t *out, size_t n)
{
    if ((size_t)(end - p) != 2 * n)
        return false;
    for (size_t i = 0; i < n; i++) {
        int a = hexval(p[2 * i]), b = hexval(p[2 * i + 1]);
        if (a < 0 || b < 0)
            return false;
        out[i] = (uint8_t)(a << 4 | b);
    }
    return true;
}

static uint64_t le_value(const uint8_t *d, unsigned bytes)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < bytes; i++)
        v |= (uint64_t)d[i] << (8 * i);
    return v;
}

/* ---- console record and replay --------------------------------------- */

static io_rec *io_find(rv_gdb *g, uint64_t instret, uint32_t sub)
{
    size_t lo = 0, hi = g->nio;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        const io_rec *r = &g->io[mid];
        if (r->instret < instret || (r->instret == instret && r->sub < sub))
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < g->nio && g->io[lo].instret == instret && g->io[lo].sub == sub)
        return &g->io[lo];
    return NULL;
}

/* Forgets the recorded I/O at and after instruction count `from` (the future changed). */
static void io_truncate(rv_gdb *g, uint64_t from)
{
    while (g->nio && g->io[g->nio - 1].instret >= from) {
        g->nio--;
        g->pool_len = g->io[g->nio].off;
    }
}

static void io_record(rv_gdb *g, uint64_t instret, uint32_t sub, int64_t result,
                      const void *data, size_t len)
{
    if (g->nio && (g->io[g->nio - 1].instret > instret ||
                   (g->io[g->nio - 1].instret == instret && g->io[g->nio - 1].sub >= sub)))
        io_truncate(g, instret);
    if (g->nio == g->capio) {
        size_t cap = g->capio ? g->capio * 2 : 64;
        io_rec *p = realloc(g->io, cap * sizeof *p);
        if (!p) {
            g->io_failed = true;
            return;
        }
        g->io = p;
        g->capio = cap;
    }
    if (g->pool_len + len > g->pool_cap) {
        size_t cap = g->pool_cap ? g->pool_cap : 4096;
        while (cap < g->pool_len + len)
            cap *= 2;
        uint8_t *p = realloc(g->pool, cap);
        if (!p) {
            g->io_failed = true;
            return;
        }
        g->pool = p;
        g->pool_cap = cap;
    }
    if (len)
        memcpy(g->pool + g->pool_len, data, len);
    g->io[g->nio++] = (io_rec){instret, sub, result, g->pool_len, len};
    g->pool_len += len;
}

static uint32_t io_next_sub(rv_gdb *g)
{
    uint64_t now = rvvm_instructions(g->m);
    if (now != g->io_instret) {
        g->io_instret = now;
        g->io_sub = 0;
    }
    return g->io_sub++;
}

static int64_t hook_read(void *user, int fd, void *data, size_t len)
{
    rv_gdb *g = user;
    uint64_t now = rvvm_instructions(g->m);
    uint32_t sub = io_next_sub(g);
    const io_rec *r = io_find(g, now, sub);
    if (r) {
        size_t n = r->len < len ? r->len : len;
        if (n)
            memcpy(data, g->pool + r->off, n);
        return r->result;
    }
    int64_t result = 0;
    if (g->o.console) {
        ssize_t n;
        do
            n = read(fd, data, len);
        while (n < 0 && errno == EINTR);
        result = n < 0 ? -(int64_t)errno : (int64_t)n;
    }
    io_record(g, now, sub, result, data, result > 0 ? (size_t)result : 0);
    return result;
}

static int64_t hook_write(void *user, int fd, const void *data, size_t len)
{
    rv_gdb *g = user;
    uint64_t now = rvvm_instructions(g->m);
    uint32_t sub = io_next_sub(g);
    const io_rec *r = io_find(g, now, sub);
    if (r)
        return r->result; /* replay: already written once */
    int64_t result = (int64_t)len;
    if (g->o.console) {
        size_t done = 0;
        while (done < len) {
            ssize_t n = write(fd, (const char *)data + done, len - done);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0) {
                result = done ? (int64_t)done : -(int64_t)errno;
                break;
            }
            done += (size_t)n;
        }
    }
    io_record(g, now, sub, result, NULL, 0);
    return result;
}

/* ---- history ---------------------------------------------------------- */

static void history_clear(rv_gdb *g)
{
    for (size_t i = 0; i < g->nck; i++)
        rvvm_checkpoint_free(g->m, g->ck[i].id);
    g->nck = 0;
    g->begin = rvvm_instructions(g->m);
    io_truncate(g, g->begin);
    g->nmarks = 0;
}

static void maybe_checkpoint(rv_gdb *g)
{
    uint64_t now = rvvm_instructions(g->m);
    if (g->nck && now < g->ck[g->nck - 1].instret + g->interval)
        return;
    if (g->nck == g->capck) {
        size_t cap = g->capck ? g->capck * 2 : 64;
        history_ck *p = realloc(g->ck, cap * sizeof *p);
        if (!p)
            return;
        g->ck = p;
        g->capck = cap;
    }
    if (g->nck >= MAX_HISTORY) {
        /* A long session: keep every other checkpoint (the first always) and double the
         * interval, so history memory stays bounded and going back costs at most twice
         * as much replay. */
        size_t k = 1;
        for (size_t i = 1; i < g->nck; i++) {
            if (i % 2)
                rvvm_checkpoint_free(g->m, g->ck[i].id);
            else
                g->ck[k++] = g->ck[i];
        }
        g->nck = k;
        g->interval *= 2;
    }
    rvvm_checkpoint_id id;
    if (rvvm_checkpoint(g->m, &id) == RVVM_OK)
        g->ck[g->nck++] = (history_ck){id, now};
}

static uint64_t budget_left(const rv_gdb *g)
{
    if (g->o.max_cycles == RVVM_NO_LIMIT)
        return RVVM_NO_LIMIT;
    uint64_t spent = rvvm_cycles(g->m) - g->start_cycles;
    return spent >= g->o.max_cycles ? 0 : g->o.max_cycles - spent;
}

uint64_t rv_gdb_budget_left(const rv_gdb *g) { return budget_left(g); }

enum { STEP_OK, STEP_EXITED, STEP_FAULT, STEP_BUDGET, STEP_ERROR };

/* One instruction forward, metered. */
static int forward(rv_gdb *g, rvvm_step_info *info)
{
    maybe_checkpoint(g);
    g->io_instret = UINT64_MAX;
    rvvm_run_result res;
    if (rvvm_step(g->m, budget_left(g), info, &res) != RVVM_OK)
        return STEP_ERROR;
    switch (res.reason) {
    case RVVM_STOP_EXITED:
        g->ended = true;
        g->res = res;
        return STEP_EXITED;
    case RVVM_STOP_FAULT:
        g->ended = true;
        g->res = res;
        return STEP_FAULT;
    default:
        if (!info->retired) {
            g->budget_stop = true;
            return STEP_BUDGET;
        }
        return STEP_OK;
    }
}

/* Puts the machine at instruction count `target` (>= begin) by restore and replay. */
static bool go_to(rv_gdb *g, uint64_t target)
{
    if (target < g->begin)
        return false;
    uint64_t now = rvvm_instructions(g->m);
    if (target < now || g->ended || (target == now && g->budget_stop)) {
        size_t i = g->nck;
        while (i > 0 && g->ck[i - 1].instret > target)
            i--;
        if (i == 0)
            return false;
        if (rvvm_restore(g->m, g->ck[i - 1].id) != RVVM_OK)
            return false;
        g->nck = i; /* later checkpoints were discarded by the restore */
        g->ended = false;
        g->budget_stop = false;
        memset(&g->res, 0, sizeof g->res);
        g->res.reason = RVVM_STOP_CYCLE_LIMIT;
    }
    while (rvvm_instructions(g->m) < target) {
        rvvm_step_info info;
        if (forward(g, &info) != STEP_OK)
            return false;
    }
    return true;
}

/* ---- stop replies ----------------------------------------------------- */

static int fault_gdb_signal(rvvm_fault_kind k)
{
    switch (k) {
    case RVVM_FAULT_ILLEGAL_INSTRUCTION: return GSIG_ILL;
    case RVVM_FAULT_BREAKPOINT: return GSIG_TRAP;
    case RVVM_FAULT_FETCH_MISALIGNED:
    case RVVM_FAULT_MISALIGNED_ATOMIC: return GSIG_BUS;
    case RVVM_FAULT_BAD_SYSCALL: return GSIG_SYS;
    default: return GSIG_SEGV;
    }
}

static void stop_reply(rv_gdb *g, buf *r, int sig, const char *extra)
{
    snprintf(g->last_stop, sizeof g->last_stop, "T%02xthread:1;%s", sig, extra ? extra : "");
    buf_str(r, g->last_stop);
}

static void ended_reply(rv_gdb *g, buf *r)
{
    if (g->res.reason == RVVM_STOP_EXITED)
        snprintf(g->last_stop, sizeof g->last_stop, "W%02x", g->res.exit_code & 0xff);
    else
        snprintf(g->last_stop, sizeof g->last_stop, "X%02x", fault_gdb_signal(g->res.fault.kind));
    buf_str(r, g->last_stop);
}

static bool bp_at(const rv_gdb *g, uint64_t pc, int *type)
{
    for (size_t i = 0; i < g->npts; i++)
        if (g->pts[i].type <= 1 && g->pts[i].addr == pc) {
            *type = g->pts[i].type;
            return true;
        }
    return false;
}

/* The watchpoint an access hits: its kind name and the address to report. */
static const char *watch_hit(const rv_gdb *g, const rvvm_step_info *info, uint64_t *addr)
{
    if (info->access == RVVM_ACCESS_NONE || !info->retired)
        return NULL;
    uint64_t a = info->mem_addr, e = info->mem_addr + info->mem_size;
    for (size_t i = 0; i < g->npts; i++) {
        const point *p = &g->pts[i];
        if (p->type < 2)
            continue;
        if (a >= p->addr + p->len || p->addr >= e)
            continue;
        bool store = info->access == RVVM_ACCESS_STORE;
        if ((p->type == 2 && !store) || (p->type == 3 && store))
            continue;
        *addr = a > p->addr ? a : p->addr;
        return p->type == 2 ? "watch" : p->type == 3 ? "rwatch" : "awatch";
    }
    return NULL;
}

static bool poll_interrupt(rv_gdb *g)
{
    if (!g->o.interrupted || ++g->poll_count < POLL_EVERY)
        return false;
    g->poll_count = 0;
    return g->o.interrupted(g->o.user);
}

/* After a step that was not STEP_OK, the matching reply. */
static void end_reply(rv_gdb *g, buf *r, int st)
{
    if (st == STEP_EXITED)
        ended_reply(g, r);
    else if (st == STEP_FAULT)
        stop_reply(g, r, fault_gdb_signal(g->res.fault.kind), NULL);
    else if (st == STEP_BUDGET)
        stop_reply(g, r, GSIG_XCPU, NULL);
    else
        buf_str(r, "E01");
}

static void resume_forward(rv_gdb *g, buf *r, bool single)
{
    if (g->ended) {
        /* A faulted program dies of its signal when resumed, as a native one would. */
        ended_reply(g, r);
        return;
    }
    char extra[64];
    g->poll_count = POLL_EVERY - 2; /* look for Ctrl-C early in every resume, then rarely */
    for (bool first = true;; first = false) {
        int type;
        if (!first && !single && bp_at(g, rvvm_pc(g->m), &type)) {
            stop_reply(g, r, GSIG_TRAP, type ? "hwbreak:;" : "swbreak:;");
            return;
        }
        if (!first && poll_interrupt(g)) {
            stop_reply(g, r, GSIG_INT, NULL);
            return;
        }
        rvvm_step_info info;
        int st = forward(g, &info);
        if (st != STEP_OK) {
            end_reply(g, r, st);
            return;
        }
        uint64_t addr;
        const char *kind = watch_hit(g, &info, &addr);
        if (kind) {
            /* gdb treats RISC-V watchpoints as firing before the access (it then steps
             * over the instruction itself): go back to just before it. */
            if (!go_to(g, info.instret)) {
                buf_str(r, "E02");
                return;
            }
            snprintf(extra, sizeof extra, "%s:%" PRIx64 ";", kind, addr);
            stop_reply(g, r, GSIG_TRAP, extra);
            return;
        }
        if (single) {
            stop_reply(g, r, GSIG_TRAP, NULL);
            return;
        }
    }
}

/* Current position: a faulted machine counts its faulting instruction as done. */
static uint64_t position(const rv_gdb *g)
{
    return rvvm_instructions(g->m) + (g->ended && g->res.reason == RVVM_STOP_FAULT ? 1 : 0);
}

static void reverse_step(rv_gdb *g, buf *r)
{
    uint64_t now = position(g);
    if (now <= g->begin || !go_to(g, now - 1)) {
        if (now > g->begin)
            buf_str(r, "E02");
        else
            stop_reply(g, r, GSIG_TRAP, "replaylog:begin;");
        return;
    }
    stop_reply(g, r, GSIG_TRAP, NULL);
}

/* Scans [from checkpoint i, upper) for the last breakpoint or watchpoint hit. */
static bool scan_interval(rv_gdb *g, size_t i, uint64_t upper, uint64_t *hit, char *extra,
                          size_t extra_size)
{
    if (rvvm_restore(g->m, g->ck[i].id) != RVVM_OK)
        return false;
    g->nck = i + 1;
    g->ended = g->budget_stop = false;
    bool found = false;
    while (rvvm_instructions(g->m) < upper) {
        uint64_t n = rvvm_instructions(g->m);
        int type;
        if (bp_at(g, rvvm_pc(g->m), &type)) {
            *hit = n;
            snprintf(extra, extra_size, "%s", type ? "hwbreak:;" : "swbreak:;");
            found = true;
        }
        rvvm_step_info info;
        int st = forward(g, &info);
        uint64_t addr;
        const char *kind = watch_hit(g, &info, &addr);
        if (kind) {
            /* Reported after the access: gdb steps back over it itself, as it steps
             * forward over an access for RISC-V's before-the-access watchpoints. */
            *hit = n + 1;
            snprintf(extra, extra_size, "%s:%" PRIx64 ";", kind, addr);
            found = true;
        }
        if (st != STEP_OK)
            break;
    }
    return found;
}

static void reverse_continue(rv_gdb *g, buf *r)
{
    uint64_t upper = position(g);
    char extra[64];
    uint64_t hit = 0;
    size_t i = g->nck;
    while (i > 0 && g->ck[i - 1].instret >= upper)
        i--;
    while (i > 0) {
        i--;
        uint64_t from = g->ck[i].instret;
        if (scan_interval(g, i, upper, &hit, extra, sizeof extra)) {
            if (!go_to(g, hit)) {
                buf_str(r, "E02");
                return;
            }
            stop_reply(g, r, GSIG_TRAP, extra);
            return;
        }
        upper = from;
    }
    if (!go_to(g, g->begin)) {
        buf_str(r, "E02");
        return;
    }
    stop_reply(g, r, GSIG_TRAP, "replaylog:begin;");
}

/* ---- target description ----------------------------------------------- */

static const char *const xnames[32] = {
    "zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "fp", "s1", "a0", "a1", "a2", "a3", "a4", "a5",
    "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
};
static const char *const fnames[32] = {
    "ft0", "ft1", "ft2", "ft3", "ft4", "ft5", "ft6", "ft7", "fs0", "fs1", "fa0", "fa1", "fa2",
    "fa3", "fa4", "fa5", "fa6", "fa7", "fs2", "fs3", "fs4", "fs5", "fs6", "fs7", "fs8", "fs9",
    "fs10", "fs11", "ft8", "ft9", "ft10", "ft11",
};

/* Remote register numbers: x0-x31 0-31, pc 32, f0-f31 33-64, fflags 65, frm 66, fcsr 67. */
#define NREGS 68

static void target_xml(buf *b)
{
    buf_str(b, "<?xml version=\"1.0\"?>\n<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n"
               "<target version=\"1.0\">\n<architecture>riscv:rv64</architecture>\n"
               "<feature name=\"org.gnu.gdb.riscv.cpu\">\n");
    for (int i = 0; i < 32; i++)
        buf_fmt(b, "<reg name=\"%s\" bitsize=\"64\" type=\"%s\" regnum=\"%d\"/>\n", xnames[i],
                i == 1 ? "code_ptr" : (i == 2 || i == 8) ? "data_ptr" : "int", i);
    buf_str(b, "<reg name=\"pc\" bitsize=\"64\" type=\"code_ptr\" regnum=\"32\"/>\n</feature>\n"
               "<feature name=\"org.gnu.gdb.riscv.fpu\">\n"
               "<union id=\"riscv_double\"><field name=\"float\" type=\"ieee_single\"/>"
               "<field name=\"double\" type=\"ieee_double\"/></union>\n");
    for (int i = 0; i < 32; i++)
        buf_fmt(b, "<reg name=\"%s\" bitsize=\"64\" type=\"riscv_double\" regnum=\"%d\"/>\n",
                fnames[i], 33 + i);
    buf_str(b, "<reg name=\"fflags\" bitsize=\"32\" type=\"int\" regnum=\"65\"/>\n"
               "<reg name=\"frm\" bitsize=\"32\" type=\"int\" regnum=\"66\"/>\n"
               "<reg name=\"fcsr\" bitsize=\"32\" type=\"int\" regnum=\"67\"/>\n"
               "</feature>\n</target>\n");
}

static unsigned reg_bytes(unsigned n) { return n < 65 ? 8 : 4; }

static uint64_t reg_get(rv_gdb *g, unsigned n)
{
    if (n < 32) return rvvm_reg(g->m, n);
    if (n == 32) return rvvm_pc(g->m);
    if (n < 65) return rvvm_freg(g->m, n - 33);
    uint32_t fcsr = rvvm_fcsr(g->m);
    if (n == 65) return fcsr & 0x1f;
    if (n == 66) return (fcsr >> 5) & 7;
    return fcsr;
}

static bool reg_set(rv_gdb *g, unsigned n, uint64_t v)
{
    rvvm_status st;
    uint32_t fcsr = rvvm_fcsr(g->m);
    if (n < 32) st = rvvm_set_reg(g->m, n, v);
    else if (n == 32) st = rvvm_set_pc(g->m, v);
    else if (n < 65) st = rvvm_set_freg(g->m, n - 33, v);
    else if (n == 65) st = v > 0x1f ? RVVM_ERR_INVALID_ARGUMENT : rvvm_set_fcsr(g->m, (fcsr & ~0x1fu) | (uint32_t)v);
    else if (n == 66) st = v > 7 ? RVVM_ERR_INVALID_ARGUMENT : rvvm_set_fcsr(g->m, (fcsr & 0x1fu) | (uint32_t)v << 5);
    else st = rvvm_set_fcsr(g->m, (uint32_t)v);
    return st == RVVM_OK;
}

/* The debugger changed the machine: the recorded future no longer holds. */
static void state_changed(rv_gdb *g)
{
    history_clear(g);
    g->budget_stop = false;
}

/* ---- qXfer ------------------------------------------------------------ */

/* Escapes binary data for a reply ($, #, } and * are escaped with '}'). */
static void buf_binary(buf *b, const char *d, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char c = d[i];
        if (c == '$' || c == '#' || c == '}' || c == '*') {
            char e[2] = {'}', (char)(c ^ 0x20)};
            buf_add(b, e, 2);
        } else {
            buf_add(b, &c, 1);
        }
    }
}

static void xfer_reply(buf *r, const char *doc, size_t doc_len, const char *args, const char *end)
{
    uint64_t off, len;
    const char *p = args;
    if (!parse_hex(&p, end, &off) || !expect(&p, end, ',') || !parse_hex(&p, end, &len) ||
        p != end) {
        buf_str(r, "E00");
        return;
    }
    if (off >= doc_len) {
        buf_str(r, "l");
        return;
    }
    size_t n = doc_len - off;
    if (len < n)
        n = (size_t)len;
    if (n > PKT_MAX / 2)
        n = PKT_MAX / 2;
    buf_str(r, off + n < doc_len ? "m" : "l");
    buf_binary(r, doc + off, n);
}

/* ---- monitor commands ------------------------------------------------- */

static void monitor(rv_gdb *g, const char *cmd, buf *out)
{
    if (!strcmp(cmd, "cycles")) {
        buf_fmt(out, "%" PRIu64 "\n", rvvm_cycles(g->m));
    } else if (!strcmp(cmd, "instret")) {
        buf_fmt(out, "%" PRIu64 "\n", rvvm_instructions(g->m));
    } else if (!strcmp(cmd, "info")) {
        buf_fmt(out, "process 1\nexe = '%s'\ncycles %" PRIu64 "\ninstret %" PRIu64
                     "\nbudget left %s%" PRIu64 "\nhistory from instret %" PRIu64
                     " (%zu checkpoints)\n",
                g->o.exec_path ? g->o.exec_path : "?", rvvm_cycles(g->m),
                rvvm_instructions(g->m), budget_left(g) == RVVM_NO_LIMIT ? "unlimited " : "",
                budget_left(g) == RVVM_NO_LIMIT ? (uint64_t)0 : budget_left(g), g->begin, g->nck);
    } else if (!strncmp(cmd, "snapshot ", 9) && cmd[9]) {
        if (g->ended)
            buf_str(out, "error: the program has ended; nothing to snapshot\n");
        else if (rvvm_snapshot_save_file(g->m, cmd + 9, g->o.snapshot_flags) != RVVM_OK)
            buf_fmt(out, "error: %s\n", rvvm_last_error(g->m));
        else
            buf_fmt(out, "snapshot written to %s at instret %" PRIu64 "\n", cmd + 9,
                    rvvm_instructions(g->m));
    } else if (!strcmp(cmd, "checkpoint")) {
        if (g->nmarks == MAX_MARKS) {
            buf_str(out, "error: too many checkpoints\n");
        } else {
            g->marks[g->nmarks] = rvvm_instructions(g->m);
            buf_fmt(out, "checkpoint %zu at instret %" PRIu64 "\n", g->nmarks,
                    g->marks[g->nmarks]);
            g->nmarks++;
        }
    } else if (!strncmp(cmd, "restore ", 8)) {
        char *end;
        unsigned long n = strtoul(cmd + 8, &end, 10);
        if (*end || end == cmd + 8 || n >= g->nmarks)
            buf_fmt(out, "error: no checkpoint '%s'\n", cmd + 8);
        else if (!go_to(g, g->marks[n]))
            buf_str(out, "error: cannot go back there\n");
        else
            buf_fmt(out, "restored checkpoint %lu: instret %" PRIu64 ", pc 0x%" PRIx64 "\n", n,
                    rvvm_instructions(g->m), rvvm_pc(g->m));
    } else {
        buf_fmt(out, "unknown monitor command '%s'; try: cycles, instret, info, snapshot FILE, "
                     "checkpoint, restore N\n", cmd);
    }
}

/* ---- packets ---------------------------------------------------------- */

static bool point_add(rv_gdb *g, int type, uint64_t addr, uint64_t len)
{
    for (size_t i = 0; i < g->npts; i++)
        if (g->pts[i].type == type && g->pts[i].addr == addr && g->pts[i].len == len)
            return true;
    if (g->npts == MAX_POINTS)
        return false;
    g->pts[g->npts++] = (point){type, addr, len};
    return true;
}

static void point_remove(rv_gdb *g, int type, uint64_t addr, uint64_t len)
{
    for (size_t i = 0; i < g->npts; i++)
        if (g->pts[i].type == type && g->pts[i].addr == addr && (type < 2 || g->pts[i].len == len)) {
            g->pts[i] = g->pts[--g->npts];
            return;
        }
}

/* Unescapes X packet data in place ('}' x -> x ^ 0x20); false if it ends in '}'. */
static bool unescape(const char *p, const char *end, uint8_t *out, size_t *n)
{
    size_t k = 0;
    while (p < end) {
        char c = *p++;
        if (c == '}') {
            if (p == end)
                return false;
            c = (char)(*p++ ^ 0x20);
        }
        out[k++] = (uint8_t)c;
    }
    *n = k;
    return true;
}

static void handle_packet(rv_gdb *g, const char *pkt, size_t len, buf *r)
{
    const char *end = pkt + len, *p = pkt + 1;
    if (len == 0)
        return;
    switch (pkt[0]) {
    case '?':
        buf_str(r, g->last_stop);
        return;
    case 'g':
        if (len != 1)
            break;
        for (unsigned n = 0; n < NREGS; n++)
            buf_le(r, reg_get(g, n), reg_bytes(n));
        return;
    case 'G': {
        size_t off = 0;
        uint64_t vals[NREGS];
        for (unsigned n = 0; n < NREGS; n++) {
            uint8_t d[8];
            unsigned bytes = reg_bytes(n);
            if ((size_t)(end - p) < off + 2 * bytes || !parse_bytes(p + off, p + off + 2 * bytes, d, bytes)) {
                buf_str(r, "E00");
                return;
            }
            vals[n] = le_value(d, bytes);
            off += 2 * bytes;
        }
        if (p + off != end) {
            buf_str(r, "E00");
            return;
        }
        bool ok = true;
        for (unsigned n = 0; n < 65; n++)
            if (reg_get(g, n) != vals[n])
                ok = reg_set(g, n, vals[n]) && ok;
        if (reg_get(g, 67) != vals[67])
            ok = reg_set(g, 67, vals[67]) && ok;
        state_changed(g);
        buf_str(r, ok ? "OK" : "E01");
        return;
    }
    case 'p': {
        uint64_t n;
        if (!parse_hex(&p, end, &n) || p != end || n >= NREGS) {
            buf_str(r, "E00");
            return;
        }
        buf_le(r, reg_get(g, (unsigned)n), reg_bytes((unsigned)n));
        return;
    }
    case 'P': {
        uint64_t n;
        uint8_t d[8];
        if (!parse_hex(&p, end, &n) || !expect(&p, end, '=') || n >= NREGS ||
            !parse_bytes(p, end, d, reg_bytes((unsigned)n))) {
            buf_str(r, "E00");
            return;
        }
        bool ok = reg_set(g, (unsigned)n, le_value(d, reg_bytes((unsigned)n)));
        state_changed(g);
        buf_str(r, ok ? "OK" : "E01");
        return;
    }
    case 'm': {
        uint64_t addr, n;
        if (!parse_hex(&p, end, &addr) || !expect(&p, end, ',') || !parse_hex(&p, end, &n) ||
            p != end || n > MEM_MAX) {
            buf_str(r, "E00");
            return;
        }
        uint8_t d[MEM_MAX];
        if (n && rvvm_read_memory(g->m, addr, d, (size_t)n) != RVVM_OK) {
            buf_str(r, "E14");
            return;
        }
        buf_hex(r, d, (size_t)n);
        return;
    }
    case 'M':
    case 'X': {
        uint64_t addr, n;
        if (!parse_hex(&p, end, &addr) || !expect(&p, end, ',') || !parse_hex(&p, end, &n) ||
            !expect(&p, end, ':') || n > MEM_MAX) {
            buf_str(r, "E00");
            return;
        }
        uint8_t d[MEM_MAX];
        size_t got = 0;
        bool ok = pkt[0] == 'M' ? parse_bytes(p, end, d, (size_t)n) && (got = (size_t)n, true)
                                : unescape(p, end, d, &got) && got == n;
        if (!ok) {
            buf_str(r, "E00");
            return;
        }
        if (n && rvvm_write_memory(g->m, addr, d, (size_t)n) != RVVM_OK) {
            buf_str(r, "E14");
            return;
        }
        if (n)
            state_changed(g);
        buf_str(r, "OK");
        return;
    }
    case 'c':
    case 's': {
        if (p != end) { /* resume at an address: set pc first */
            uint64_t addr;
            if (!parse_hex(&p, end, &addr) || p != end || !reg_set(g, 32, addr)) {
                buf_str(r, "E00");
                return;
            }
            state_changed(g);
        }
        resume_forward(g, r, pkt[0] == 's');
        return;
    }
    case 'b':
        if (len == 2 && (pkt[1] == 's' || pkt[1] == 'c')) {
            if (pkt[1] == 's')
                reverse_step(g, r);
            else
                reverse_continue(g, r);
            return;
        }
        break;
    case 'Z':
    case 'z': {
        uint64_t type, addr, kind;
        if (!parse_hex(&p, end, &type) || !expect(&p, end, ',') || !parse_hex(&p, end, &addr) ||
            !expect(&p, end, ',') || !parse_hex(&p, end, &kind) || type > 4) {
            buf_str(r, "E00");
            return;
        }
        if (p != end && *p != ';') { /* conditions after ';' are ignored (gdb evaluates them) */
            buf_str(r, "E00");
            return;
        }
        if (type >= 2 && (kind == 0 || kind > 4096 || addr + kind < addr)) {
            buf_str(r, "E00");
            return;
        }
        if (pkt[0] == 'Z') {
            buf_str(r, point_add(g, (int)type, addr, kind) ? "OK" : "E01");
        } else {
            point_remove(g, (int)type, addr, kind);
            buf_str(r, "OK");
        }
        return;
    }
    case 'H': /* Hg/Hc THREAD, T THREAD: one thread, any id is it */
    case 'T':
        buf_str(r, len >= (pkt[0] == 'H' ? 3u : 2u) ? "OK" : "E00");
        return;
    case 'D':
        buf_str(r, "OK");
        g->state = RV_GDB_DETACHED;
        return;
    case 'k':
        g->state = RV_GDB_KILLED;
        return;
    case 'v':
        if (len == 6 && !memcmp(pkt, "vCont?", 6)) {
            buf_str(r, "vCont;c;C;s;S");
            return;
        }
        if (len >= 6 && !memcmp(pkt, "vCont;", 6)) {
            char a = pkt[6];
            if (a == 'c' || a == 'C' || a == 's' || a == 'S') {
                /* One thread: the first action applies; signals are not delivered. */
                resume_forward(g, r, a == 's' || a == 'S');
                return;
            }
            if (a == 't') {
                stop_reply(g, r, 0, NULL);
                return;
            }
            buf_str(r, "E00");
            return;
        }
        if (len == 5 && !memcmp(pkt, "vKill", 5)) {
            buf_str(r, "OK");
            g->state = RV_GDB_KILLED;
            return;
        }
        return; /* vMustReplyEmpty and unknown v packets: empty */
    case 'q':
    case 'Q': {
#define IS(s) (len >= sizeof(s) - 1 && !memcmp(pkt, s, sizeof(s) - 1))
        if (IS("qSupported")) {
            buf_fmt(r, "PacketSize=%x;qXfer:features:read+;qXfer:exec-file:read+;swbreak+;"
                       "hwbreak+;ReverseStep+;ReverseContinue+;QStartNoAckMode+;vContSupported+",
                    PKT_MAX);
        } else if (IS("QStartNoAckMode") && len == 15) {
            buf_str(r, "OK");
            g->noack = true;
        } else if (IS("qAttached")) {
            buf_str(r, "1");
        } else if (IS("qC") && len == 2) {
            buf_str(r, "QC1");
        } else if (IS("qfThreadInfo")) {
            buf_str(r, "m1");
        } else if (IS("qsThreadInfo")) {
            buf_str(r, "l");
        } else if (IS("qSymbol")) {
            buf_str(r, "OK");
        } else if (IS("qXfer:features:read:target.xml:")) {
            buf b = {0};
            target_xml(&b);
            if (b.oom)
                buf_str(r, "E01");
            else
                xfer_reply(r, b.p, b.len, pkt + 31, end);
            free(b.p);
        } else if (IS("qXfer:exec-file:read:")) {
            const char *q = pkt + 21;
            while (q < end && *q != ':')
                q++;
            if (q == end || !g->o.exec_path)
                buf_str(r, "E00");
            else
                xfer_reply(r, g->o.exec_path, strlen(g->o.exec_path), q + 1, end);
        } else if (IS("qRcmd,")) {
            size_t n = (len - 6) / 2;
            char cmd[256];
            if ((len - 6) % 2 || n >= sizeof cmd ||
                !parse_bytes(pkt + 6, end, (uint8_t *)cmd, n) || memchr(cmd, 0, n)) {
                buf_str(r, "E00");
                return;
            }
            cmd[n] = '\0';
            buf out = {0};
            monitor(g, cmd, &out);
            if (out.oom)
                buf_str(r, "E01");
            else
                buf_hex(r, (const uint8_t *)out.p, out.len);
            free(out.p);
        }
        return; /* unknown query: empty reply */
#undef IS
    }
    default:
        break;
    }
    /* Unknown packets get the empty reply, as the protocol asks; malformed known ones E00. */
    if (strchr("gb", pkt[0]))
        buf_str(r, "E00");
}

/* ---- framing ---------------------------------------------------------- */

static void send_frame(rv_gdb *g, const char *payload, size_t n)
{
    buf *s = &g->last_sent;
    s->len = 0;
    s->oom = false;
    uint8_t sum = 0;
    buf_add(s, "$", 1);
    for (size_t i = 0; i < n; i++)
        sum = (uint8_t)(sum + (uint8_t)payload[i]);
    buf_add(s, payload, n);
    char tail[3] = {'#', hexd[sum >> 4], hexd[sum & 15]};
    buf_add(s, tail, 3);
    if (!s->oom)
        g->o.send(g->o.user, s->p, s->len);
}

static void packet_done(rv_gdb *g)
{
    bool good = !g->pkt_overflow && g->csum == g->got_csum;
    if (!g->noack)
        g->o.send(g->o.user, good ? "+" : "-", 1);
    if (!good) {
        if (g->noack && g->pkt_overflow)
            send_frame(g, "E01", 3);
        return;
    }
    g->pkt[g->pkt_len] = '\0';
    g->reply.len = 0;
    g->reply.oom = false;
    buf_add(&g->reply, "", 0);
    rv_gdb_state before = g->state;
    handle_packet(g, g->pkt, g->pkt_len, &g->reply);
    if (g->state == RV_GDB_KILLED && before != RV_GDB_KILLED && g->pkt[0] == 'k')
        return; /* 'k' has no reply */
    if (g->reply.oom)
        send_frame(g, "E01", 3);
    else
        send_frame(g, g->reply.p ? g->reply.p : "", g->reply.len);
}

rv_gdb_state rv_gdb_feed(rv_gdb *g, const uint8_t *data, size_t len)
{
    for (size_t i = 0; i < len && g->state == RV_GDB_ACTIVE; i++) {
        uint8_t c = data[i];
        switch (g->rx) {
        case 0:
            if (c == '$') {
                g->rx = 1;
                g->pkt_len = 0;
                g->csum = 0;
                g->pkt_overflow = false;
            } else if (c == 0x03) {
                /* Ctrl-C while stopped: it crossed our stop reply; nothing to interrupt. */
            } else if (c == '-' && !g->noack && g->last_sent.len) {
                g->o.send(g->o.user, g->last_sent.p, g->last_sent.len);
            }
            break; /* '+' and noise are ignored */
        case 1:
            if (c == '#') {
                g->rx = 2;
            } else {
                g->csum = (uint8_t)(g->csum + c);
                if (g->pkt_len < PKT_MAX)
                    g->pkt[g->pkt_len++] = (char)c;
                else
                    g->pkt_overflow = true;
            }
            break;
        case 2:
        case 3: {
            int v = hexval((char)c);
            if (v < 0) {
                g->got_csum = (uint8_t)~g->csum; /* force a mismatch */
                g->rx = 3;
                v = 0;
            }
            if (g->rx == 2) {
                g->got_csum = (uint8_t)(v << 4);
                g->rx = 3;
            } else {
                g->got_csum = (uint8_t)(g->got_csum | v);
                g->rx = 0;
                packet_done(g);
            }
            break;
        }
        }
    }
    return g->state;
}

/* ---- socket serving --------------------------------------------------- */

typedef struct sock_io {
    int fd;
    uint8_t pending[PKT_MAX];
    size_t npending;
    bool closed;
} sock_io;

static void sock_send(void *user, const char *data, size_t len)
{
    sock_io *s = user;
    while (len && !s->closed) {
        ssize_t n = send(s->fd, data, len, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            s->closed = true;
            return;
        }
        data += n;
        len -= (size_t)n;
    }
}

static bool sock_interrupted(void *user)
{
    sock_io *s = user;
    for (;;) {
        struct pollfd pf = {s->fd, POLLIN, 0};
        if (poll(&pf, 1, 0) <= 0)
            return false;
        uint8_t c;
        ssize_t n = recv(s->fd, &c, 1, 0);
        if (n <= 0) {
            s->closed = true;
            return true;
        }
        if (c == 0x03)
            return true;
        if (s->npending < sizeof s->pending)
            s->pending[s->npending++] = c;
    }
}

rv_gdb_state rv_gdb_serve(rv_gdb *g, int fd)
{
    sock_io s = {.fd = fd};
    void (*old_send)(void *, const char *, size_t) = g->o.send;
    bool (*old_int)(void *) = g->o.interrupted;
    void *old_user = g->o.user;
    g->o.send = sock_send;
    g->o.interrupted = sock_interrupted;
    g->o.user = &s;
    while (g->state == RV_GDB_ACTIVE && !s.closed) {
        if (s.npending) {
            uint8_t tmp[PKT_MAX];
            size_t n = s.npending;
            memcpy(tmp, s.pending, n);
            s.npending = 0;
            rv_gdb_feed(g, tmp, n);
            continue;
        }
        uint8_t data[4096];
        ssize_t n = recv(fd, data, sizeof data, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        rv_gdb_feed(g, data, (size_t)n);
    }
    g->o.send = old_send;
    g->o.interrupted = old_int;
    g->o.user = old_user;
    if (g->state == RV_GDB_ACTIVE)
        g->state = RV_GDB_DETACHED; /* the debugger went away */
    return g->state;
}

/* ---- lifetime --------------------------------------------------------- */

rv_gdb *rv_gdb_create(rvvm_machine *m, const rv_gdb_options *options)
{
    if (!m || !options || !options->send)
        return NULL;
    rv_gdb *g = calloc(1, sizeof *g);
    if (!g)
        return NULL;
    g->m = m;
    g->o = *options;
    g->interval = options->checkpoint_interval ? options->checkpoint_interval : DEFAULT_INTERVAL;
    g->start_cycles = rvvm_cycles(m);
    g->begin = rvvm_instructions(m);
    g->io_instret = UINT64_MAX;
    g->res.reason = RVVM_STOP_CYCLE_LIMIT;
    snprintf(g->last_stop, sizeof g->last_stop, "T%02xthread:1;", GSIG_TRAP);
    rvvm_set_io(m, hook_read, hook_write, g);
    return g;
}

void rv_gdb_status(const rv_gdb *g, rvvm_run_result *res, bool *ended, bool *budget_stop)
{
    *res = g->res;
    *ended = g->ended;
    *budget_stop = g->budget_stop;
}

void rv_gdb_destroy(rv_gdb *g)
{
    if (!g)
        return;
    for (size_t i = 0; i < g->nck; i++)
        rvvm_checkpoint_free(g->m, g->ck[i].id);
    rvvm_set_io(g->m, NULL, NULL, NULL);
    free(g->ck);
    free(g->io);
    free(g->pool);
    free(g->reply.p);
    free(g->last_sent.p);
    free(g);
}
