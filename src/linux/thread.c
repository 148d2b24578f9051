/*
 * Deterministic guest threads, futexes and pipes (docs/threads.md).
 *
 * Every guest thread runs on the one host thread that calls rvvm_run. The
 * running thread's context lives in the machine; the others' in the thread
 * table. The scheduler is round-robin in creation order: a thread runs until
 * its slice of slice_len cycles is used up (counted in absolute cycles, so a
 * run split by budgets switches where an unsplit run does), or until it
 * blocks (futex wait, a read of an empty pipe, a write to a full one, ppoll,
 * nanosleep), yields (sched_yield) or exits. At a switch, threads whose wait
 * can end (a pipe that can go on, a poll with a ready descriptor, a passed
 * deadline) become runnable; the next runnable thread after the current one
 * in table order runs; if none can run but one waits with a deadline, guest
 * time jumps to the earliest deadline; if none waits with a deadline, every
 * thread is blocked for good and the run ends with RVVM_FAULT_DEADLOCK.
 *
 * The LR reservation is cleared at every switch, as Linux does on RISC-V
 * (the ISA manual lets a context switch invalidate a reservation), so an SC
 * never pairs with another thread's LR.
 */
#include "../core/cpu.h"
#include "os.h"
#include "sysno.h"
#include "../snapshot/codec.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum {
    G_CLONE_VM = 0x100, G_CLONE_FS = 0x200, G_CLONE_FILES = 0x400, G_CLONE_SIGHAND = 0x800,
    G_CLONE_PIDFD = 0x1000, G_CLONE_VFORK = 0x4000, G_CLONE_PARENT = 0x8000, G_CLONE_THREAD = 0x10000,
    G_CLONE_SYSVSEM = 0x40000, G_CLONE_SETTLS = 0x80000, G_CLONE_PARENT_SETTID = 0x100000,
    G_CLONE_CHILD_CLEARTID = 0x200000, G_CLONE_DETACHED = 0x400000,
    G_CLONE_CHILD_SETTID = 0x1000000,
};

enum { POLLIN = 1, POLLOUT = 4, POLLERR = 8, POLLHUP = 16, POLLNVAL = 32, PIPE_BUF = 4096 };

static rv_thread *running(rv_os *os) { return &os->threads[os->current]; }

bool rv_thread_init(rv_os *os)
{
    os->threads = calloc(4, sizeof *os->threads);
    if (!os->threads)
        return false;
    os->thread_cap = 4;
    os->thread_count = 1;
    os->current = 0;
    os->threads[0].tid = 1;
    os->threads[0].deadline = UINT64_MAX;
    os->next_tid = 2;
    os->leader_status = -1;
    os->slice_len = RV_THREAD_SLICE;
    return true;
}

static void pipe_free(rv_pipe *p)
{
    if (p->os)
        p->os->pipes[p->id] = NULL;
    free(p->buf);
    free(p);
}

void rv_thread_free(rv_os *os)
{
    free(os->threads);
    os->threads = NULL;
    for (uint32_t i = 0; i < os->pipe_top; i++)
        if (os->pipes[i])
            pipe_free(os->pipes[i]);
}

uint32_t rv_thread_tid(const rv_os *os) { return os->threads[os->current].tid; }

bool rv_thread_exists(const rv_os *os, uint64_t tid)
{
    for (uint32_t i = 0; i < os->thread_count; i++)
        if (os->threads[i].tid == tid)
            return true;
    return false;
}

/* The running thread stops here; the scheduler picks the next at once. */
static void ask_switch(rvvm_machine *m)
{
    RV_OS(m)->switch_asked = true;
    rv_request_switch(m);
}

/* Blocks the running thread in a call that runs again when it can go on. */
static int64_t block_restart(rvvm_machine *m, uint8_t wait, uint64_t addr, uint32_t bits,
                             uint64_t deadline)
{
    rv_thread *t = running(RV_OS(m));
    t->wait = wait;
    t->wait_addr = addr;
    t->wait_bitset = bits;
    t->deadline = deadline;
    t->restart = true;
    ask_switch(m);
    return RV_RESTART;
}

static uint64_t add_sat(uint64_t a, uint64_t b) { return a > UINT64_MAX - b ? UINT64_MAX : a + b; }

/* A guest timespec; relative: a duration, else an absolute time. 0 or -errno. */
static int read_ts(rvvm_machine *m, uint64_t addr, uint64_t *ns)
{
    uint8_t b[16];
    int r = rv_os_copy_in(m, b, addr, 16);
    if (r)
        return r;
    int64_t sec = (int64_t)rv_load_le(b, 8), nsec = (int64_t)rv_load_le(b + 8, 8);
    if (sec < 0 || nsec < 0 || nsec >= 1000000000)
        return -EINVAL;
    *ns = (uint64_t)sec > UINT64_MAX / 1000000000ull
              ? UINT64_MAX
              : add_sat((uint64_t)sec * 1000000000ull, (uint64_t)nsec);
    return 0;
}

/* ---- futexes --------------------------------------------------------------- */

/* The futex waiter on uaddr matching bitset that waited first, or -1. */
static int64_t first_waiter(rv_os *os, uint64_t uaddr, uint32_t bitset, uint64_t after_seq)
{
    int64_t best = -1;
    for (uint32_t i = 0; i < os->thread_count; i++) {
        rv_thread *t = &os->threads[i];
        if (t->wait == RV_WAIT_FUTEX && t->wait_addr == uaddr && (t->wait_bitset & bitset) &&
            t->wait_seq >= after_seq && (best < 0 || t->wait_seq < os->threads[best].wait_seq))
            best = i;
    }
    return best;
}

static void wake(rv_thread *t, int64_t result)
{
    t->wait = RV_WAIT_NONE;
    t->deadline = UINT64_MAX;
    t->x[10] = (uint64_t)result;
}

/* Wakes waiters in FIFO order: one, then more while ++woken < n (Linux's count). */
static int64_t futex_wake(rv_os *os, uint64_t uaddr, int32_t n, uint32_t bitset)
{
    int64_t woken = 0;
    for (;;) {
        int64_t i = first_waiter(os, uaddr, bitset, 0);
        if (i < 0)
            break;
        wake(&os->threads[i], 0);
        if (++woken >= n)
            break;
    }
    return woken;
}

static int load_u32(rvvm_machine *m, uint64_t uaddr, uint32_t *v)
{
    uint8_t b[4];
    if (uaddr & 3)
        return -EINVAL;
    int r = rv_os_copy_in(m, b, uaddr, 4);
    *v = (uint32_t)rv_load_le(b, 4);
    return r;
}

static int64_t futex_wait(rvvm_machine *m, uint64_t uaddr, uint32_t val, uint32_t bitset,
                          uint64_t deadline)
{
    rv_os *os = RV_OS(m);
    uint32_t v;
    int r = load_u32(m, uaddr, &v);
    if (r)
        return r;
    if (v != val)
        return -EAGAIN;
    if (deadline <= rv_os_monotonic_ns(m))
        return -ETIMEDOUT;
    rv_thread *t = running(os);
    t->wait = RV_WAIT_FUTEX;
    t->wait_addr = uaddr;
    t->wait_bitset = bitset;
    t->wait_seq = os->wait_seq++;
    t->deadline = deadline;
    t->restart = false;
    ask_switch(m);
    return 0; /* a0 when woken; a timeout puts -ETIMEDOUT there */
}

static int64_t futex_requeue(rvvm_machine *m, uint64_t uaddr, int64_t nr_wake, int64_t nr_requeue,
                             uint64_t uaddr2, bool cmp, uint32_t val3)
{
    rv_os *os = RV_OS(m);
    if (nr_wake < 0 || nr_requeue < 0 || (uaddr2 & 3))
        return -EINVAL;
    uint32_t v;
    int r = load_u32(m, uaddr, &v);
    if (r)
        return r;
    if (cmp && v != val3)
        return -EAGAIN;
    int64_t count = 0, requeued = 0;
    uint64_t seq = 0;
    for (;;) {
        int64_t i = first_waiter(os, uaddr, UINT32_MAX, seq);
        if (i < 0)
            break;
        rv_thread *t = &os->threads[i];
        seq = t->wait_seq + 1;
        if (++count <= nr_wake) {
            wake(t, 0);
            continue;
        }
        if (++requeued > nr_requeue)
            break;
        t->wait_addr = uaddr2;
    }
    return count > nr_wake + nr_requeue ? nr_wake + nr_requeue : count;
}

static int64_t futex_wake_op(rvvm_machine *m, uint64_t uaddr, int32_t n, int32_t n2,
                             uint64_t uaddr2, uint32_t val3)
{
    rv_os *os = RV_OS(m);
    unsigned op = (val3 >> 28) & 15, cmp = (val3 >> 24) & 15;
    int32_t oparg = (int32_t)(val3 << 8) >> 20, cmparg = (int32_t)(val3 << 20) >> 20;
    if (op & 8)
        oparg = (int32_t)(1u << (oparg & 31));
    op &= 7;
    uint32_t old;
    int r = load_u32(m, uaddr2, &old);
    if (r)
        return r;
    uint32_t nv;
    switch (op) {
    case 0: nv = (uint32_t)oparg; break;
    case 1: nv = old + (uint32_t)oparg; break;
    case 2: nv = old | (uint32_t)oparg; break;
    case 3: nv = old & ~(uint32_t)oparg; break;
    case 4: nv = old ^ (uint32_t)oparg; break;
    default: return -ENOSYS;
    }
    uint8_t b[4];
    rv_store_le(b, nv, 4);
    if ((r = rv_os_copy_out(m, uaddr2, b, 4)) != 0)
        return r;
    bool hit;
    int32_t o = (int32_t)old;
    switch (cmp) {
    case 0: hit = o == cmparg; break;
    case 1: hit = o != cmparg; break;
    case 2: hit = o < cmparg; break;
    case 3: hit = o <= cmparg; break;
    case 4: hit = o > cmparg; break;
    case 5: hit = o >= cmparg; break;
    default: return -ENOSYS;
    }
    int64_t woken = futex_wake(os, uaddr, n, UINT32_MAX);
    if (hit)
        woken += futex_wake(os, uaddr2, n2, UINT32_MAX);
    return woken;
}

static int64_t sys_futex(rvvm_machine *m, const uint64_t *a)
{
    uint64_t uaddr = a[0];
    unsigned cmd = (unsigned)(a[1] & ~(uint64_t)(128 | 256)); /* PRIVATE, CLOCK_REALTIME */
    bool realtime = a[1] & 256;
    uint32_t val = (uint32_t)a[2];
    if (realtime && cmd != 0 && cmd != 9)
        return -ENOSYS;
    switch (cmd) {
    case 0:   /* FUTEX_WAIT: relative timeout */
    case 9: { /* FUTEX_WAIT_BITSET: absolute timeout */
        uint32_t bitset = cmd == 9 ? (uint32_t)a[5] : UINT32_MAX;
        if (bitset == 0)
            return -EINVAL;
        uint64_t deadline = UINT64_MAX;
        if (a[3]) {
            uint64_t ns;
            int r = read_ts(m, a[3], &ns);
            if (r)
                return r;
            uint64_t mono = rv_os_monotonic_ns(m);
            if (cmd == 0)
                deadline = add_sat(mono, ns);
            else if (realtime) {
                uint64_t rt = rv_os_realtime_ns(m);
                deadline = ns <= rt ? 0 : add_sat(mono, ns - rt);
            } else
                deadline = ns;
        }
        return futex_wait(m, uaddr, val, bitset, deadline);
    }
    case 1:  /* FUTEX_WAKE */
    case 10: /* FUTEX_WAKE_BITSET */ {
        uint32_t bitset = cmd == 10 ? (uint32_t)a[5] : UINT32_MAX;
        if (bitset == 0 || (uaddr & 3))
            return -EINVAL;
        return futex_wake(RV_OS(m), uaddr, (int32_t)val, bitset);
    }
    case 3: /* FUTEX_REQUEUE */
    case 4: /* FUTEX_CMP_REQUEUE */
        return futex_requeue(m, uaddr, (int32_t)val, (int32_t)a[3], a[4], cmd == 4,
                             (uint32_t)a[5]);
    case 5: /* FUTEX_WAKE_OP */
        return futex_wake_op(m, uaddr, (int32_t)val, (int32_t)a[3], a[4], (uint32_t)a[5]);
    default: /* priority inheritance and the rest */
        return -ENOSYS;
    }
}

/* ---- robust futex lists (set_robust_list) ---------------------------------- */

/*
 * The robust futex ABI (the kernel's Documentation/locking/robust-futex-ABI):
 * a thread registers a list head {next, futex_offset, list_op_pending}; the
 * list is circular through the head, bit 0 of a pointer marks a PI futex,
 * and each lock's futex word lies futex_offset bytes from its entry. When
 * the thread dies, every lock whose word holds its tid gets FUTEX_OWNER_DIED
 * (keeping FUTEX_WAITERS), and one waiter wakes, so the next locker sees
 * EOWNERDEAD. A list that cannot be read ends the walk silently.
 * Misaligned or unreadable words end it too; so does the 2048th entry,
 * after which only the pending lock is handled.
 */
enum {
    FUTEX_WAITERS = (int)0x80000000u,
    FUTEX_OWNER_DIED = 0x40000000,
    FUTEX_TID_MASK = 0x3fffffff,
    ROBUST_LIST_LIMIT = 2048, /* most entries walked: a looping list cannot hang the exit */
};

static int load_ptr(rvvm_machine *m, uint64_t addr, uint64_t *v)
{
    uint8_t b[8];
    int r = rv_os_copy_in(m, b, addr, 8);
    *v = r ? 0 : rv_load_le(b, 8);
    return r;
}

/*
 * One lock of a dying thread (the kernel's handle_futex_death): -1 if its
 * word cannot be read or written (or is misaligned), which ends the walk.
 */
static int futex_owner_died(rvvm_machine *m, uint64_t uaddr, uint32_t tid, bool pi, bool pending)
{
    rv_os *os = RV_OS(m);
    uint32_t v;
    if (load_u32(m, uaddr, &v))
        return -1;
    uint32_t owner = v & FUTEX_TID_MASK;
    /* Died between announcing an unlock or lock (the pending slot) and the word
     * saying so: a waiter may be left asleep, so one is woken to try again. */
    if (pending && !pi && owner == 0) {
        futex_wake(os, uaddr, 1, UINT32_MAX);
        return 0;
    }
    if (owner != tid)
        return 0;
    uint8_t b[4];
    rv_store_le(b, (v & (uint32_t)FUTEX_WAITERS) | FUTEX_OWNER_DIED, 4);
    if (rv_os_copy_out(m, uaddr, b, 4))
        return -1;
    if (!pi && (v & (uint32_t)FUTEX_WAITERS))
        futex_wake(os, uaddr, 1, UINT32_MAX);
    return 0;
}

static void robust_list_walk(rvvm_machine *m, const rv_thread *t)
{
    uint64_t head = t->robust_head, next, offset, pending;
    if (!head || load_ptr(m, head, &next) || load_ptr(m, head + 8, &offset) ||
        load_ptr(m, head + 16, &pending))
        return;
    bool pi = next & 1, pending_pi = pending & 1;
    uint64_t entry = next & ~1ull;
    pending &= ~1ull;
    for (unsigned limit = ROBUST_LIST_LIMIT; entry != head;) {
        int bad = load_ptr(m, entry, &next);
        /* A lock being taken may already be listed: it is handled once, below.
         * As in Linux, a word or link that cannot be used ends everything, the
         * pending lock too. */
        if (entry != pending && futex_owner_died(m, entry + offset, t->tid, pi, false))
            return;
        if (bad)
            return;
        if (--limit == 0)
            break;
        pi = next & 1;
        entry = next & ~1ull;
    }
    if (pending)
        futex_owner_died(m, pending + offset, t->tid, pending_pi, true);
}

/* ---- clone and exit -------------------------------------------------------- */

static int64_t sys_clone(rvvm_machine *m, uint64_t flags, uint64_t newsp, uint64_t ptid,
                         uint64_t tls, uint64_t ctid)
{
    rv_os *os = RV_OS(m);
    const uint64_t thread = G_CLONE_VM | G_CLONE_FS | G_CLONE_FILES | G_CLONE_SIGHAND | G_CLONE_THREAD;
    const uint64_t extra = G_CLONE_SYSVSEM | G_CLONE_SETTLS | G_CLONE_PARENT_SETTID |
                           G_CLONE_CHILD_CLEARTID | G_CLONE_DETACHED | G_CLONE_CHILD_SETTID;
    flags &= ~(uint64_t)0xff; /* the exit signal: threads send none */
    if ((flags & G_CLONE_THREAD) && !(flags & G_CLONE_SIGHAND))
        return -EINVAL;
    if ((flags & G_CLONE_SIGHAND) && !(flags & G_CLONE_VM))
        return -EINVAL;
    /* New processes (fork, vfork, posix_spawn) are not offered. */
    if ((flags & thread) != thread || (flags & (G_CLONE_VFORK | G_CLONE_PARENT)))
        return -ENOSYS;
    if (flags & ~(thread | extra))
        return -EINVAL;
    if (os->thread_count >= RV_OS_MAX_THREADS)
        return -EAGAIN;
    if (os->thread_count == os->thread_cap) {
        rv_thread *nt = realloc(os->threads, 2 * os->thread_cap * sizeof *nt);
        if (!nt)
            return -EAGAIN;
        os->threads = nt;
        os->thread_cap *= 2;
    }
    uint32_t tid = os->next_tid;
    uint8_t b[4];
    rv_store_le(b, tid, 4);
    if ((flags & G_CLONE_PARENT_SETTID) && rv_os_copy_out(m, ptid, b, 4))
        return -EFAULT;
    if ((flags & G_CLONE_CHILD_SETTID) && rv_os_copy_out(m, ctid, b, 4))
        return -EFAULT;
    rv_thread *t = &os->threads[os->thread_count];
    memset(t, 0, sizeof *t);
    t->tid = tid;
    t->deadline = UINT64_MAX;
    t->clear_tid = (flags & G_CLONE_CHILD_CLEARTID) ? ctid : 0;
    t->sigmask = os->sigmask;
    memcpy(t->x, m->x, sizeof t->x);
    t->x[0] = 0;
    t->x[10] = 0; /* clone returns 0 in the child */
    if (newsp)
        t->x[2] = newsp;
    if (flags & G_CLONE_SETTLS)
        t->x[4] = tls;
    memcpy(t->f, m->f, sizeof t->f);
    t->fcsr = m->fcsr;
    t->pc = m->pc + 4; /* after the ecall */
    os->next_tid++;
    if (os->thread_count++ == 1) {
        /* From one thread to two: the running one's first slice starts now. */
        os->slice_start = m->cycles;
        os->slice_end = add_sat(m->cycles, os->slice_len);
        /* Leave the interpreter, so rvvm_run starts metering the slice. */
        os->keep_running = true;
        rv_request_switch(m);
    }
    os->threaded = true;
    return tid;
}

/* exit: the thread ends; the last one ends the process (with the first thread's status if it
 * left before, as Linux reports a process whose leader exited first). */
static int64_t sys_exit(rvvm_machine *m, uint64_t code, int *exited)
{
    rv_os *os = RV_OS(m);
    rv_thread *t = running(os);
    int status = (int)(code & 0xff);
    if (os->thread_count == 1) {
        m->exit_code = t->tid != 1 && os->leader_status >= 0 ? os->leader_status : status;
        *exited = 1;
        return 0;
    }
    if (t->tid == 1)
        os->leader_status = status;
    /* As Linux at a thread's exit: the robust list first, then the clear-tid word. */
    robust_list_walk(m, t);
    if (t->clear_tid) {
        uint8_t z[4] = {0};
        if (rv_os_copy_out(m, t->clear_tid, z, 4) == 0)
            futex_wake(os, t->clear_tid, 1, UINT32_MAX);
    }
    os->current_gone = true;
    ask_switch(m);
    return 0;
}

/* ---- pipes ---------------------------------------------------------------------- */

static bool pipe_reader(const rv_file *f) { return (f->flags & G_O_ACCMODE) == G_O_RDONLY; }

static rv_file *pipe_end(rv_pipe *p, uint32_t flags)
{
    rv_file *f = calloc(1, sizeof *f);
    if (!f)
        return NULL;
    f->refs = 1;
    f->kind = RV_FILE_PIPE;
    f->flags = flags;
    f->host_fd = -1;
    f->pipe = p;
    f->grant = p->id; /* how snapshots name the pipe */
    if (pipe_reader(f))
        p->readers++;
    else
        p->writers++;
    return f;
}

static rv_pipe *pipe_new(rv_os *os, uint32_t id)
{
    rv_pipe *p = calloc(1, sizeof *p);
    if (p)
        p->buf = malloc(RV_PIPE_CAPACITY);
    if (!p || !p->buf) {
        free(p);
        return NULL;
    }
    p->id = id;
    p->os = os;
    os->pipes[id] = p;
    if (id >= os->pipe_top)
        os->pipe_top = id + 1;
    return p;
}

void rv_pipe_end_closed(rv_file *f)
{
    rv_pipe *p = f->pipe;
    if (!p)
        return;
    f->pipe = NULL;
    if (pipe_reader(f))
        p->readers--;
    else
        p->writers--;
    if (p->readers == 0 && p->writers == 0)
        pipe_free(p);
}

void rv_pipe_attach(rv_os *os, rv_file *f, uint32_t id)
{
    f->pipe = os->pipes[id];
    if (pipe_reader(f))
        f->pipe->readers++;
    else
        f->pipe->writers++;
}

static int64_t sys_pipe2(rvvm_machine *m, uint64_t addr, uint64_t flags)
{
    rv_os *os = RV_OS(m);
    if (flags & ~(uint64_t)(G_O_CLOEXEC | G_O_NONBLOCK))
        return -EINVAL;
    uint32_t id = 0;
    while (id < RV_OS_MAX_PIPES && os->pipes[id])
        id++;
    if (id == RV_OS_MAX_PIPES)
        return -ENFILE;
    rv_pipe *p = pipe_new(os, id);
    if (!p)
        return -ENOMEM;
    uint32_t nb = (uint32_t)(flags & G_O_NONBLOCK);
    rv_file *r = pipe_end(p, G_O_RDONLY | nb), *w = pipe_end(p, G_O_WRONLY | nb);
    if (!r || !w) {
        if (r)
            rv_os_file_unref(r);
        if (w)
            rv_os_file_unref(w);
        else if (p->readers == 0)
            pipe_free(p);
        return -ENOMEM;
    }
    bool cloexec = flags & G_O_CLOEXEC;
    int fr = rv_os_install(m, r, cloexec, 0);
    int fw = fr < 0 ? fr : rv_os_install(m, w, cloexec, 0);
    uint8_t b[8];
    rv_store_le(b, (uint32_t)fr, 4);
    rv_store_le(b + 4, (uint32_t)fw, 4);
    int e = fw < 0 ? fw : rv_os_copy_out(m, addr, b, 8);
    if (e) {
        if (fr >= 0)
            rv_os_close(m, (uint64_t)fr);
        else
            rv_os_file_unref(r);
        if (fw >= 0)
            rv_os_close(m, (uint64_t)fw);
        else
            rv_os_file_unref(w);
        return e;
    }
    return 0;
}

int64_t rv_pipe_read(rvvm_machine *m, rv_file *f, uint64_t addr, uint64_t len)
{
    rv_pipe *p = f->pipe;
    if (!rv_memory_range_ok(&m->mem, addr, len, RV_PAGE_W))
        return -EFAULT;
    if (len == 0)
        return 0;
    if (p->len == 0) {
        if (p->writers == 0)
            return 0;
        if (f->flags & G_O_NONBLOCK)
            return -EAGAIN;
        return block_restart(m, RV_WAIT_PIPE, p->id, 0, UINT64_MAX);
    }
    uint32_t n = len < p->len ? (uint32_t)len : p->len;
    uint32_t first = RV_PIPE_CAPACITY - p->head < n ? RV_PIPE_CAPACITY - p->head : n;
    memcpy(m->mem.base + addr, p->buf + p->head, first);
    memcpy(m->mem.base + addr + first, p->buf, n - first);
    rv_guest_written(m, addr, n);
    p->head = (p->head + n) % RV_PIPE_CAPACITY;
    p->len -= n;
    if (p->len == 0)
        p->head = 0;
    return n;
}

/*
 * Copies n bytes at offset `from` of the guest buffers iov[0..cnt) (16-byte
 * guest iovecs) to the pipe, all or nothing: false (nothing copied) if a
 * byte of them is not readable. Only what is copied is checked, so a long
 * write costs the host work of what each turn moves, however long it is.
 */
static bool pipe_put(rvvm_machine *m, rv_pipe *p, const uint8_t *iov, uint64_t cnt, uint64_t from,
                     uint32_t n)
{
    uint64_t skip = from;
    uint32_t left = n;
    for (uint64_t i = 0; i < cnt && left; i++) {
        uint64_t base = rv_load_le(iov + 16 * i, 8), len = rv_load_le(iov + 16 * i + 8, 8);
        if (skip >= len) {
            skip -= len;
            continue;
        }
        uint32_t k = len - skip < left ? (uint32_t)(len - skip) : left;
        if (base + skip < base || !rv_memory_range_ok(&m->mem, base + skip, k, RV_PAGE_R))
            return false;
        left -= k;
        skip = 0;
    }
    for (uint64_t i = 0; i < cnt && n; i++) {
        uint64_t base = rv_load_le(iov + 16 * i, 8), len = rv_load_le(iov + 16 * i + 8, 8);
        if (from >= len) {
            from -= len;
            continue;
        }
        uint32_t k = len - from < n ? (uint32_t)(len - from) : n;
        uint32_t tail = (p->head + p->len) % RV_PIPE_CAPACITY;
        uint32_t first = RV_PIPE_CAPACITY - tail < k ? RV_PIPE_CAPACITY - tail : k;
        memcpy(p->buf + tail, m->mem.base + base + from, first);
        memcpy(p->buf, m->mem.base + base + from + first, k - first);
        p->len += k;
        n -= k;
        from = 0;
    }
    return true;
}

/*
 * write and writev on a pipe, as Linux does them: up to PIPE_BUF bytes go in
 * whole or not at all; more go in as space allows, and a blocking writer
 * waits until every byte is in (other writers' bytes may come between), so
 * it never returns a short count while readers remain. While it waits, the
 * bytes already written are kept in the thread's wait_seq (unused by a pipe
 * wait; part of snapshots), and the restarted call goes on from there.
 */
int64_t rv_pipe_writev(rvvm_machine *m, rv_file *f, const uint8_t *iov, uint64_t cnt)
{
    rv_os *os = RV_OS(m);
    rv_pipe *p = f->pipe;
    rv_thread *t = running(os);
    uint64_t total = 0;
    for (uint64_t i = 0; i < cnt; i++)
        total += rv_load_le(iov + 16 * i + 8, 8); /* the caller checked that the sum fits */
    if (total > RV_RW_COUNT_MAX)
        total = RV_RW_COUNT_MAX; /* Linux's MAX_RW_COUNT */
    /* A restarted call: what this call wrote before it waited. */
    uint64_t done = 0;
    if (t->restart && t->wait_addr == p->id && t->wait_bitset == 1 && t->wait_seq < total)
        done = t->wait_seq;
    if (p->readers == 0) {
        /* SIGPIPE: its default action ends the process, unless blocked, ignored or handled
         * (handlers never run here: the write just fails). */
        if (os->sigpipe_action == 0 && !(os->sigmask & (1ull << (13 - 1)))) {
            m->exit_code = 128 + 13;
            os->sigpipe_kill = true; /* rv_syscall ends the process */
        }
        return done ? (int64_t)done : -EPIPE;
    }
    if (total == 0)
        return 0;
    if (f->flags & G_O_NONBLOCK) {
        if (done)
            return (int64_t)done; /* made non-blocking while this call waited */
        /* Buffer by buffer: each of up to PIPE_BUF bytes whole or not at all, a longer
         * one what fits; the first that cannot go on ends the call. */
        uint64_t from = 0;
        for (uint64_t i = 0; i < cnt && from < total; i++) {
            uint64_t len = rv_load_le(iov + 16 * i + 8, 8);
            if (len > total - from)
                len = total - from;
            uint32_t space = RV_PIPE_CAPACITY - p->len;
            uint32_t n = len <= PIPE_BUF ? (space >= len ? (uint32_t)len : 0)
                                         : (len < space ? (uint32_t)len : space);
            if (!pipe_put(m, p, iov, cnt, from, n))
                return done ? (int64_t)done : -EFAULT;
            done += n;
            from += len;
            if (n < len)
                break;
        }
        return done ? (int64_t)done : -EAGAIN;
    }
    uint32_t space = RV_PIPE_CAPACITY - p->len;
    if (total <= PIPE_BUF ? space >= total : space > 0) {
        uint32_t n = total - done < space ? (uint32_t)(total - done) : space;
        if (!pipe_put(m, p, iov, cnt, done, n))
            return done ? (int64_t)done : -EFAULT;
        done += n;
        if (done == total)
            return (int64_t)done;
    }
    int64_t r = block_restart(m, RV_WAIT_PIPE, p->id, 1, UINT64_MAX);
    t->wait_seq = done;
    return r;
}

int64_t rv_pipe_write(rvvm_machine *m, rv_file *f, uint64_t addr, uint64_t len)
{
    uint8_t iov[16];
    rv_store_le(iov, addr, 8);
    rv_store_le(iov + 8, len, 8);
    return rv_pipe_writev(m, f, iov, 1);
}

/* poll events of one descriptor. */
static unsigned poll_events(rvvm_machine *m, int32_t fd, unsigned events)
{
    if (fd < 0)
        return 0;
    rv_file *f = rv_os_file(m, (uint64_t)fd);
    if (!f)
        return POLLNVAL;
    unsigned ev;
    if (f->kind != RV_FILE_PIPE)
        ev = POLLIN | POLLOUT; /* files and the console never make a thread wait */
    else if (pipe_reader(f))
        ev = (f->pipe->len ? POLLIN : 0) | (f->pipe->writers ? 0 : POLLHUP);
    else
        ev = (RV_PIPE_CAPACITY - f->pipe->len >= PIPE_BUF ? POLLOUT : 0) |
             (f->pipe->readers ? 0 : POLLERR);
    return ev & (events | POLLERR | POLLHUP | POLLNVAL);
}

/* Fills revents of the guest's pollfd array; the number of ready entries or -errno. */
static int64_t poll_scan(rvvm_machine *m, uint64_t fds, uint64_t nfds, bool store)
{
    int64_t ready = 0;
    for (uint64_t i = 0; i < nfds; i++) {
        uint8_t b[8];
        int r = rv_os_copy_in(m, b, fds + 8 * i, 8);
        if (r)
            return r;
        unsigned ev = poll_events(m, (int32_t)rv_load_le(b, 4), (unsigned)rv_load_le(b + 4, 2));
        if (ev)
            ready++;
        if (store) {
            rv_store_le(b + 6, ev, 2);
            if ((r = rv_os_copy_out(m, fds + 8 * i + 6, b + 6, 2)) != 0)
                return r;
        }
    }
    return ready;
}

static int64_t sys_ppoll(rvvm_machine *m, uint64_t fds, uint64_t nfds, uint64_t tmo)
{
    rv_thread *t = running(RV_OS(m));
    if (nfds > RV_OS_MAX_FDS)
        return -EINVAL;
    int64_t ready = poll_scan(m, fds, nfds, true);
    if (ready != 0 || (t->restart && t->timed_out))
        return ready;
    uint64_t deadline = UINT64_MAX;
    if (t->restart)
        deadline = t->deadline; /* the first call's deadline stands */
    else if (tmo) {
        uint64_t ns;
        int r = read_ts(m, tmo, &ns);
        if (r)
            return r;
        deadline = add_sat(rv_os_monotonic_ns(m), ns);
    }
    if (deadline <= rv_os_monotonic_ns(m))
        return 0;
    return block_restart(m, RV_WAIT_POLL, fds, (uint32_t)nfds, deadline);
}

bool rv_thread_sleep(rvvm_machine *m, uint64_t ns)
{
    rv_os *os = RV_OS(m);
    if (os->thread_count < 2)
        return false;
    rv_thread *t = running(os);
    t->wait = RV_WAIT_SLEEP;
    t->deadline = add_sat(rv_os_monotonic_ns(m), ns);
    t->restart = false;
    ask_switch(m);
    return true;
}

/* ---- system calls ------------------------------------------------------------- */

int64_t rv_thread_syscall(rvvm_machine *m, uint64_t nr, const uint64_t *a, bool *handled,
                          int *exited)
{
    rv_os *os = RV_OS(m);
    switch (nr) {
    case RV_NR_clone: return sys_clone(m, a[0], a[1], a[2], a[3], a[4]);
    case RV_NR_clone3: return -ENOSYS; /* glibc 2.36 on riscv64 calls clone */
    case RV_NR_exit: return sys_exit(m, a[0], exited);
    case RV_NR_futex: return sys_futex(m, a);
    case RV_NR_gettid: return rv_thread_tid(os);
    case RV_NR_set_tid_address:
        running(os)->clear_tid = a[0];
        return rv_thread_tid(os);
    case RV_NR_set_robust_list:
        if (a[1] != 24)
            return -EINVAL;
        running(os)->robust_head = a[0];
        running(os)->robust_len = a[1];
        return 0;
    case RV_NR_sched_yield:
        if (os->thread_count > 1)
            ask_switch(m);
        return 0;
    case RV_NR_pipe2: return sys_pipe2(m, a[0], a[1]);
    case RV_NR_ppoll: return sys_ppoll(m, a[0], a[1], a[2]);
    default:
        *handled = false;
        return -ENOSYS;
    }
}

/* ---- the scheduler --------------------------------------------------------------- */

rvvm_status rvvm_set_thread_slice(rvvm_machine *m, uint64_t cycles)
{
    if (!m || cycles == 0)
        return RVVM_ERR_INVALID_ARGUMENT;
    rv_os *os = RV_OS(m);
    if (!os)
        return rv_fail(m, RVVM_ERR_STATE, "the machine has no Linux OS layer (no threads)");
    os->slice_len = cycles;
    return RVVM_OK;
}

uint64_t rv_thread_slice(rvvm_machine *m)
{
    rv_os *os = RV_OS(m);
    if (os->thread_count < 2)
        return UINT64_MAX;
    return os->slice_end > m->cycles ? os->slice_end - m->cycles : 0;
}

static void save_context(rvvm_machine *m, rv_thread *t)
{
    memcpy(t->x, m->x, sizeof t->x);
    t->x[0] = 0;
    memcpy(t->f, m->f, sizeof t->f);
    t->fcsr = m->fcsr;
    t->pc = m->pc;
    if (t->wait != RV_WAIT_NONE && t->restart)
        t->pc -= 4; /* run the ecall again */
    t->sigmask = RV_OS(m)->sigmask;
}

static void load_context(rvvm_machine *m, const rv_thread *t)
{
    memcpy(m->x + 1, t->x + 1, 31 * sizeof *m->x);
    memcpy(m->f, t->f, sizeof m->f);
    m->fcsr = t->fcsr;
    m->pc = t->pc;
    RV_OS(m)->sigmask = t->sigmask;
}

/* Whether a blocked thread's wait can end now (deadlines aside). */
static bool can_go_on(rvvm_machine *m, rv_thread *t)
{
    rv_os *os = RV_OS(m);
    switch (t->wait) {
    case RV_WAIT_PIPE: {
        rv_pipe *p = t->wait_addr < RV_OS_MAX_PIPES ? os->pipes[t->wait_addr] : NULL;
        if (!p)
            return true;
        if (t->wait_bitset == 0)
            return p->len > 0 || p->writers == 0;
        return p->readers == 0 || RV_PIPE_CAPACITY - p->len >= PIPE_BUF;
    }
    case RV_WAIT_POLL: {
        /* The scan reads the other thread's array in guest memory, as the kernel would. */
        return poll_scan(m, t->wait_addr, t->wait_bitset, false) != 0;
    }
    default:
        return false;
    }
}

/* Makes runnable every blocked thread whose wait can end at guest time now. */
static void wake_ready(rvvm_machine *m, uint64_t now)
{
    rv_os *os = RV_OS(m);
    for (uint32_t i = 0; i < os->thread_count; i++) {
        rv_thread *t = &os->threads[i];
        if (t->wait == RV_WAIT_NONE)
            continue;
        if (can_go_on(m, t)) {
            t->wait = RV_WAIT_NONE; /* a restarted call keeps its deadline */
        } else if (t->deadline <= now) {
            if (t->wait == RV_WAIT_FUTEX || !t->restart)
                wake(t, t->wait == RV_WAIT_FUTEX ? -ETIMEDOUT : 0);
            else {
                t->wait = RV_WAIT_NONE; /* a0 still holds the call's argument */
                t->timed_out = true;
            }
        }
    }
}

void rv_thread_call_done(rvvm_machine *m, int64_t ret)
{
    rv_os *os = RV_OS(m);
    rv_thread *t = running(os);
    if (ret == RV_RESTART)
        return;
    if (t->wait != RV_WAIT_NONE && t->restart) {
        /* A readv or writev moved bytes before a later buffer would have blocked:
         * the call returns what it moved, and the thread goes on. */
        t->wait = RV_WAIT_NONE;
        os->switch_asked = false;
        m->switch_pending = false;
    }
    if (t->restart) {
        t->restart = false;
        t->timed_out = false;
        t->deadline = UINT64_MAX;
    }
}

bool rv_thread_switch(rvvm_machine *m)
{
    rv_os *os = RV_OS(m);
    bool asked = os->switch_asked;
    os->switch_asked = false;
    if (os->keep_running) {
        os->keep_running = false;
        return true;
    }
    uint32_t n = os->thread_count;
    if (os->current_gone) {
        memmove(&os->threads[os->current], &os->threads[os->current + 1],
                (n - os->current - 1) * sizeof *os->threads);
        n = --os->thread_count;
        os->current_gone = false;
        if (os->current == n)
            os->current = 0;
        /* The next thread in order is now at `current`: scan from it. */
        os->current = (os->current + n - 1) % n;
    } else {
        rv_thread *t = running(os);
        if (!asked && t->wait == RV_WAIT_NONE && m->cycles == os->slice_start) {
            /* Not one instruction fitted in the slice: lengthen it, so every thread
             * makes progress whatever its next instruction costs. */
            os->slice_end = add_sat(os->slice_end, os->slice_len);
            return true;
        }
        save_context(m, t);
    }
    m->resv_valid = false;
    for (;;) {
        uint64_t now = rv_os_monotonic_ns(m);
        wake_ready(m, now);
        for (uint32_t k = 1; k <= n; k++) {
            uint32_t i = (os->current + k) % n;
            if (os->threads[i].wait == RV_WAIT_NONE) {
                os->current = i;
                load_context(m, &os->threads[i]);
                os->slice_start = m->cycles;
                os->slice_end = add_sat(m->cycles, os->slice_len);
                if (rv_tracing(m))
                    rv_trace(m, "thread %u runs at cycle %llu", os->threads[i].tid,
                             (unsigned long long)m->cycles);
                return true;
            }
        }
        /* Nobody can run: the earliest deadline, or a deadlock. */
        uint64_t soonest = UINT64_MAX;
        for (uint32_t i = 0; i < n; i++)
            if (os->threads[i].deadline < soonest)
                soonest = os->threads[i].deadline;
        if (soonest == UINT64_MAX) {
            rv_thread *t = running(os);
            load_context(m, t);
            /* The fault names the running thread's blocking ecall. */
            uint64_t at = t->wait != RV_WAIT_NONE && !t->restart ? m->pc - 4 : m->pc;
            m->fault = (rvvm_fault){.kind = RVVM_FAULT_DEADLOCK, .pc = at, .address = t->tid};
            m->state = RV_STATE_FAULTED;
            return false;
        }
        if (os->real_time) {
            uint64_t d = soonest - now;
            struct timespec ts = {.tv_sec = (time_t)(d / 1000000000ull),
                                  .tv_nsec = (long)(d % 1000000000ull)};
            while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
                ;
        } else {
            os->sleep_ns = add_sat(os->sleep_ns, soonest - now);
        }
    }
}

/* ---- snapshots and the digest ---------------------------------------------------- */

void rv_threads_save(const rvvm_machine *m, writer *w)
{
    rv_os *os = RV_OS(m);
    w_u32(w, os->thread_count);
    w_u32(w, os->current);
    w_u32(w, os->next_tid);
    w_u8(w, os->threaded);
    w_u8(w, 0);
    w_u16(w, 0);
    w_u32(w, (uint32_t)os->leader_status);
    w_u32(w, 0);
    w_u64(w, os->slice_len);
    w_u64(w, os->slice_start);
    w_u64(w, os->slice_end);
    w_u64(w, os->wait_seq);
    w_u64(w, os->sigpipe_action);
    for (uint32_t i = 0; i < os->thread_count; i++) {
        const rv_thread *t = &os->threads[i];
        bool run = i == os->current;
        w_u32(w, t->tid);
        w_u8(w, t->wait);
        w_u8(w, t->restart);
        w_u8(w, t->timed_out);
        w_u8(w, 0);
        w_u64(w, t->deadline);
        w_u64(w, t->wait_addr);
        w_u32(w, t->wait_bitset);
        w_u32(w, run ? 0 : t->fcsr);
        w_u64(w, t->wait_seq);
        w_u64(w, t->clear_tid);
        w_u64(w, t->robust_head);
        w_u64(w, t->robust_len);
        w_u64(w, run ? 0 : t->sigmask);
        w_u64(w, run ? 0 : t->pc);
        for (int r = 1; r < 32; r++)
            w_u64(w, run ? 0 : t->x[r]);
        for (int r = 0; r < 32; r++)
            w_u64(w, run ? 0 : t->f[r]);
    }
    uint32_t np = 0;
    for (uint32_t i = 0; i < RV_OS_MAX_PIPES; i++)
        np += os->pipes[i] != NULL;
    w_u32(w, np);
    for (uint32_t i = 0; i < RV_OS_MAX_PIPES; i++) {
        const rv_pipe *p = os->pipes[i];
        if (!p)
            continue;
        w_u32(w, p->id);
        w_u32(w, p->len);
        uint32_t first = RV_PIPE_CAPACITY - p->head < p->len ? RV_PIPE_CAPACITY - p->head : p->len;
        w_bytes(w, p->buf + p->head, first);
        w_bytes(w, p->buf, p->len - first);
    }
}

bool rv_thread_digest(rvvm_machine *m, bool (*add)(void *, const void *, size_t), void *ctx)
{
    rv_os *os = RV_OS(m);
    bool any_pipe = false;
    for (uint32_t i = 0; i < RV_OS_MAX_PIPES && !any_pipe; i++)
        any_pipe = os->pipes[i] != NULL;
    if (!os->threaded && !any_pipe)
        return true; /* a one-thread program's digest is the machine's alone */
    writer w = {0};
    static const char tag[16] = "rvvm-threads-v1";
    w_bytes(&w, tag, sizeof tag);
    rv_threads_save(m, &w);
    bool ok = !w.failed && add(ctx, w.buf, w.len);
    free(w.buf);
    return ok;
}

typedef struct saved_pipe {
    uint32_t id, len;
    uint8_t *bytes;
} saved_pipe;

struct rv_threads_saved {
    uint32_t count, current, next_tid;
    bool threaded;
    int32_t leader_status;
    uint64_t slice_len, slice_start, slice_end, wait_seq, sigpipe_action;
    rv_thread *threads;
    uint32_t pipe_count;
    saved_pipe *pipes;
};

void rv_threads_saved_free(rv_threads_saved *s)
{
    if (!s)
        return;
    for (uint32_t i = 0; s->pipes && i < s->pipe_count; i++)
        free(s->pipes[i].bytes);
    free(s->pipes);
    free(s->threads);
    free(s);
}

bool rv_threads_has_pipe(const rv_threads_saved *s, uint32_t id)
{
    for (uint32_t i = 0; i < s->pipe_count; i++)
        if (s->pipes[i].id == id)
            return true;
    return false;
}

static rv_threads_saved *bad(rv_threads_saved *s, char *err, size_t err_size, const char *what)
{
    snprintf(err, err_size, "invalid snapshot: %s", what);
    rv_threads_saved_free(s);
    return NULL;
}

rv_threads_saved *rv_threads_parse(reader *in, char *err, size_t err_size)
{
    rv_threads_saved *s = calloc(1, sizeof *s);
    if (!s)
        return bad(s, err, err_size, "out of memory");
    s->count = (uint32_t)r_le(in, 4);
    s->current = (uint32_t)r_le(in, 4);
    s->next_tid = (uint32_t)r_le(in, 4);
    uint64_t threaded = r_le(in, 1), pad = r_le(in, 1) | r_le(in, 2);
    s->leader_status = (int32_t)(uint32_t)r_le(in, 4);
    pad |= r_le(in, 4);
    s->slice_len = r_le(in, 8);
    s->slice_start = r_le(in, 8);
    s->slice_end = r_le(in, 8);
    s->wait_seq = r_le(in, 8);
    s->sigpipe_action = r_le(in, 8);
    if (in->failed)
        return bad(s, err, err_size, "thread table truncated");
    if (s->count < 1 || s->count > RV_OS_MAX_THREADS || s->current >= s->count || threaded > 1 ||
        pad || s->slice_len == 0 || s->leader_status < -1 || s->leader_status > 255 ||
        s->next_tid < 2 || (s->count > 1 && !threaded))
        return bad(s, err, err_size, "thread table holds impossible values");
    s->threaded = threaded != 0;
    s->threads = calloc(s->count, sizeof *s->threads);
    if (!s->threads)
        return bad(s, err, err_size, "out of memory");
    for (uint32_t i = 0; i < s->count; i++) {
        rv_thread *t = &s->threads[i];
        t->tid = (uint32_t)r_le(in, 4);
        uint64_t wait = r_le(in, 1), restart = r_le(in, 1), timed = r_le(in, 1);
        uint64_t tpad = r_le(in, 1);
        t->deadline = r_le(in, 8);
        t->wait_addr = r_le(in, 8);
        t->wait_bitset = (uint32_t)r_le(in, 4);
        t->fcsr = (uint32_t)r_le(in, 4);
        t->wait_seq = r_le(in, 8);
        t->clear_tid = r_le(in, 8);
        t->robust_head = r_le(in, 8);
        t->robust_len = r_le(in, 8);
        t->sigmask = r_le(in, 8);
        t->pc = r_le(in, 8);
        for (int r = 1; r < 32; r++)
            t->x[r] = r_le(in, 8);
        for (int r = 0; r < 32; r++)
            t->f[r] = r_le(in, 8);
        if (in->failed)
            return bad(s, err, err_size, "thread table truncated");
        bool ok = wait <= RV_WAIT_SLEEP && restart <= 1 && timed <= 1 && !tpad &&
                  t->tid >= 1 && t->tid < s->next_tid && t->fcsr < 256 &&
                  (wait != RV_WAIT_FUTEX || (t->wait_addr & 3) == 0) &&
                  (wait != RV_WAIT_PIPE || (t->wait_addr < RV_OS_MAX_PIPES && t->wait_bitset <= 1)) &&
                  (wait != RV_WAIT_POLL || t->wait_bitset <= RV_OS_MAX_FDS);
        for (uint32_t j = 0; ok && j < i; j++)
            ok = s->threads[j].tid != t->tid;
        if (!ok)
            return bad(s, err, err_size, "a thread holds impossible values");
        t->wait = (uint8_t)wait;
        t->restart = restart != 0;
        t->timed_out = timed != 0;
    }
    s->pipe_count = (uint32_t)r_le(in, 4);
    if (in->failed || s->pipe_count > RV_OS_MAX_PIPES)
        return bad(s, err, err_size, "bad number of pipes");
    s->pipes = calloc(s->pipe_count ? s->pipe_count : 1, sizeof *s->pipes);
    if (!s->pipes)
        return bad(s, err, err_size, "out of memory");
    for (uint32_t i = 0; i < s->pipe_count; i++) {
        saved_pipe *p = &s->pipes[i];
        p->id = (uint32_t)r_le(in, 4);
        p->len = (uint32_t)r_le(in, 4);
        if (in->failed || p->id >= RV_OS_MAX_PIPES || p->len > RV_PIPE_CAPACITY ||
            (i > 0 && p->id <= s->pipes[i - 1].id))
            return bad(s, err, err_size, "a pipe is malformed");
        const uint8_t *b = r_take(in, p->len);
        p->bytes = malloc(p->len ? p->len : 1);
        if (!b || !p->bytes)
            return bad(s, err, err_size, b ? "out of memory" : "a pipe is truncated");
        memcpy(p->bytes, b, p->len);
    }
    /* A thread may wait on a pipe another thread has closed since: it goes on at the next
     * switch (and its read or write then fails). */
    return s;
}

rvvm_status rv_threads_restore(rvvm_machine *m, const rv_threads_saved *s, char *err,
                               size_t err_size)
{
    rv_os *os = RV_OS(m);
    rv_thread *t = malloc((s->count < 4 ? 4 : s->count) * sizeof *t);
    if (!t) {
        snprintf(err, err_size, "out of memory");
        return RVVM_ERR_NO_MEMORY;
    }
    memcpy(t, s->threads, s->count * sizeof *t);
    for (uint32_t i = 0; i < RV_OS_MAX_PIPES; i++)
        if (os->pipes[i])
            pipe_free(os->pipes[i]);
    for (uint32_t i = 0; i < s->pipe_count; i++) {
        rv_pipe *p = pipe_new(os, s->pipes[i].id);
        if (!p) {
            free(t);
            snprintf(err, err_size, "out of memory");
            return RVVM_ERR_NO_MEMORY;
        }
        memcpy(p->buf, s->pipes[i].bytes, s->pipes[i].len);
        p->len = s->pipes[i].len;
    }
    free(os->threads);
    os->threads = t;
    os->thread_cap = s->count < 4 ? 4 : s->count;
    os->thread_count = s->count;
    os->current = s->current;
    os->next_tid = s->next_tid;
    os->threaded = s->threaded;
    os->current_gone = false;
    os->switch_asked = false;
    os->keep_running = false;
    os->leader_status = s->leader_status;
    os->slice_len = s->slice_len;
    os->slice_start = s->slice_start;
    os->slice_end = s->slice_end;
    os->wait_seq = s->wait_seq;
    os->sigpipe_action = s->sigpipe_action;
    return RVVM_OK;
}
