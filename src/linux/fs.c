/*
 * File descriptors and the file system calls. Guest descriptors name open
 * file descriptions (rv_file): the console (through the machine's I/O
 * hooks), regular files and directories inside granted directories, O_PATH
 * handles and semihosting's feature file. The file position lives in the
 * description, not in the host descriptor, so snapshots can record it.
 *
 * What the guest sees is deterministic: inode numbers are hashes of guest
 * paths, device numbers the grant's index, owners 0, timestamps 0 (host
 * timestamps only with real time), directory listings sorted by name. The
 * console descriptors look like pipes and ioctl always says ENOTTY: no
 * descriptor is a terminal.
 */
#include "../core/cpu.h"
#include "os.h"
#include "sandbox.h"
#include "sysno.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* Longest single read or write: bounds host work per call. */
#define RV_IO_CHUNK_MAX (1u << 20)
#define RV_IOV_MAX 1024

/* The bytes of semihosting's ":semihosting-features": magic, then
 * SH_EXT_EXIT_EXTENDED | SH_EXT_STDOUT_STDERR. */
static const uint8_t features_file[5] = {'S', 'H', 'F', 'B', 0x03};


/* ---- devices ------------------------------------------------------------------ */

static const char *const dev_names[RV_DEV_COUNT] = {"",       "null",  "zero",   "random",
                                                     "urandom", "stdin", "stdout", "stderr"};
/* The /dev listing after "." and "..", sorted by name. */
static const uint8_t dev_listing[RV_DEV_COUNT - 1] = {
    RV_DEV_NULL, RV_DEV_RANDOM, RV_DEV_STDERR, RV_DEV_STDIN, RV_DEV_STDOUT, RV_DEV_URANDOM,
    RV_DEV_ZERO};

const char *rv_dev_name(int dev)
{
    return dev > 0 && dev < RV_DEV_COUNT ? dev_names[dev] : NULL;
}

/* /dev/stdin, /dev/stdout, /dev/stderr: links to /proc/self/fd/0..2. */
static bool dev_is_link(int dev)
{
    return dev >= RV_DEV_STDIN && dev <= RV_DEV_STDERR;
}

/* Linux's device numbers as stat encodes them (1:3, 1:5, 1:8, 1:9). */
static uint64_t dev_rdev(int dev)
{
    switch (dev) {
    case RV_DEV_NULL: return 0x103;
    case RV_DEV_ZERO: return 0x105;
    case RV_DEV_RANDOM: return 0x108;
    case RV_DEV_URANDOM: return 0x109;
    default: return 0;
    }
}

/* SplitMix64, the generator getrandom uses (src/linux/syscall.c): the same stream. */
static void random_fill(rv_os *os, uint8_t *p, uint64_t len)
{
    for (uint64_t i = 0; i < len; i += 8) {
        uint64_t z = (os->rng_state += 0x9e3779b97f4a7c15ull);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
        z ^= z >> 31;
        for (uint64_t j = 0; j < 8 && i + j < len; j++)
            p[i + j] = (uint8_t)(z >> (8 * j));
    }
}

/* ---- descriptors ------------------------------------------------------------- */

rv_file *rv_os_file(rvvm_machine *m, uint64_t fd)
{
    rv_os *os = RV_OS(m);
    return fd < os->fd_cap ? os->fds[fd].file : NULL;
}

bool rv_os_fd_reserve(rv_os *os, uint64_t fd)
{
    if (fd < os->fd_cap)
        return true;
    if (fd >= RV_OS_MAX_FDS)
        return false;
    uint64_t cap = os->fd_cap ? os->fd_cap : 8;
    while (cap <= fd)
        cap *= 2;
    if (cap > RV_OS_MAX_FDS)
        cap = RV_OS_MAX_FDS;
    rv_fd *v = realloc(os->fds, cap * sizeof *v);
    if (!v)
        return false;
    memset(v + os->fd_cap, 0, (cap - os->fd_cap) * sizeof *v);
    os->fds = v;
    os->fd_cap = (uint32_t)cap;
    return true;
}

int rv_os_install(rvvm_machine *m, rv_file *f, bool cloexec, int lowest)
{
    for (int fd = lowest < 0 ? 0 : lowest; fd < RV_OS_MAX_FDS; fd++) {
        if (!rv_os_file(m, (uint64_t)fd)) {
            if (!rv_os_fd_reserve(RV_OS(m), (uint64_t)fd))
                return -ENOMEM;
            RV_OS(m)->fds[fd].file = f;
            RV_OS(m)->fds[fd].cloexec = cloexec;
            return fd;
        }
    }
    return -EMFILE;
}

static void free_listing(rv_file *f)
{
    for (size_t i = 0; i < f->dir_count; i++)
        free(f->dir[i].name);
    free(f->dir);
    f->dir = NULL;
    f->dir_count = 0;
    f->dir_loaded = false;
}

void rv_os_file_unref(rv_file *f)
{
    if (!f || --f->refs > 0)
        return;
    if (rv_share_release(&f->fd_share) && f->host_fd >= 0)
        close(f->host_fd);
    rv_pipe_end_closed(f);
    free_listing(f);
    free(f->path);
    free(f);
}

int rv_os_close(rvvm_machine *m, uint64_t fd)
{
    rv_file *f = rv_os_file(m, fd);
    if (!f)
        return -EBADF;
    RV_OS(m)->fds[fd].file = NULL;
    RV_OS(m)->fds[fd].cloexec = false;
    rv_os_file_unref(f);
    return 0;
}

/* ---- opening ------------------------------------------------------------------- */

static int host_access_flags(uint32_t g)
{
    int h;
    switch (g & G_O_ACCMODE) {
    case G_O_WRONLY: h = O_WRONLY; break;
    case G_O_RDWR: h = O_RDWR; break;
    default: h = O_RDONLY; break;
    }
    if (g & G_O_DIRECTORY)
        h |= O_DIRECTORY;
    if (g & G_O_DSYNC)
        h |= O_DSYNC;
    if ((g & G_O_SYNC) == G_O_SYNC)
        h |= O_SYNC;
    return h;
}

/* Host flags to reopen a description (for snapshots): never creates or truncates. */
int rv_os_reopen_flags(uint32_t g)
{
    if (g & G_O_PATH)
        return O_PATH | ((g & G_O_DIRECTORY) ? O_DIRECTORY : 0);
    return host_access_flags(g);
}

static rv_file *new_file(uint8_t kind, uint32_t grant, const char *rel, uint32_t flags, int fd,
                         int *err)
{
    rv_file *f = calloc(1, sizeof *f);
    char *p = strdup(rel);
    if (!f || !p) {
        free(f);
        free(p);
        *err = -ENOMEM;
        return NULL;
    }
    f->refs = 1;
    f->kind = kind;
    f->grant = grant;
    f->path = p;
    f->flags = flags & ~(uint32_t)(G_O_CREAT | G_O_EXCL | G_O_TRUNC | G_O_CLOEXEC | G_O_NOCTTY);
    f->host_fd = fd;
    return f;
}

/* Sets a created file's mode exactly, whatever the host's umask. */
static void set_created_mode(int fd, uint32_t mode)
{
    /* On failure the file keeps what the host gave it: it exists either way. */
    int r = fchmod(fd, (mode_t)mode);
    (void)r;
}

/* Opens what descriptor 0, 1 or 2 holds, as opening /proc/self/fd/N does. */
static rv_file *open_std(rvvm_machine *m, int which, uint32_t flags, uint32_t mode, int *err)
{
    rv_file *t = rv_os_file(m, (uint64_t)which);
    if (!t) {
        *err = -ENOENT;
        return NULL;
    }
    if (t->kind == RV_FILE_CONSOLE) {
        if ((flags & (G_O_CREAT | G_O_EXCL)) == (G_O_CREAT | G_O_EXCL)) {
            *err = -EEXIST;
            return NULL;
        }
        rv_file *f = new_file(RV_FILE_CONSOLE, 0, "", flags & ~(uint32_t)G_O_PATH, -1, err);
        if (f)
            f->console = t->console;
        return f;
    }
    if (t->kind == RV_FILE_DEVICE && !(t->flags & G_O_PATH)) {
        char p[32];
        snprintf(p, sizeof p, "/dev/%s", dev_names[t->device]);
        return rv_os_open_path(m, G_AT_FDCWD, p, flags, mode, err);
    }
    if ((t->kind == RV_FILE_REGULAR || t->kind == RV_FILE_DIR) && !t->ghost) {
        const rv_grant *g = &RV_OS(m)->grants[t->grant];
        char p[RV_OS_PATH_MAX * 2 + 2];
        snprintf(p, sizeof p, "%s%s%s", g->guest, strcmp(g->guest, "/") && t->path[0] ? "/" : "",
                 t->path);
        if (strlen(p) >= RV_OS_PATH_MAX) {
            *err = -ENAMETOOLONG;
            return NULL;
        }
        return rv_os_open_path(m, G_AT_FDCWD, p, flags, mode, err);
    }
    /* Anything else (a file without a name, a pipe): the same description. */
    t->refs++;
    return t;
}

/* Opens a path under /dev (r->dev is not RV_DEV_NONE; e is what resolving said). */
static rv_file *open_device(rvvm_machine *m, const rv_resolved *r, int e, uint32_t flags,
                            uint32_t mode, int *err)
{
    bool excl = (flags & (G_O_CREAT | G_O_EXCL)) == (G_O_CREAT | G_O_EXCL);
    uint32_t acc = flags & G_O_ACCMODE;
    bool want_write = acc != G_O_RDONLY || (flags & G_O_TRUNC);
    if (r->dev == RV_DEV_MISSING) {
        /* New names cannot be made in /dev: it is read-only. */
        *err = e == -ENOENT && (flags & G_O_CREAT) && !(flags & G_O_PATH) ? -EROFS : e;
        return NULL;
    }
    if (flags & G_O_TMPFILE) {
        *err = r->dev == RV_DEV_DIR ? -EROFS : -ENOTDIR;
        return NULL;
    }
    if (excl) {
        *err = -EEXIST;
        return NULL;
    }
    if (r->dev == RV_DEV_DIR) {
        if (!(flags & G_O_PATH) && (want_write || (flags & G_O_CREAT))) {
            *err = -EISDIR;
            return NULL;
        }
        rv_file *f = new_file(RV_FILE_DEVDIR, 0, "",
                              (flags & G_O_PATH ? G_O_PATH : flags) | G_O_DIRECTORY, -1, err);
        return f;
    }
    if (dev_is_link(r->dev)) {
        if (flags & G_O_NOFOLLOW) {
            if (!(flags & G_O_PATH)) {
                *err = -ELOOP;
                return NULL;
            }
            rv_file *f = new_file(RV_FILE_DEVICE, 0, "", G_O_PATH | G_O_NOFOLLOW, -1, err);
            if (f)
                f->device = (uint8_t)r->dev;
            return f;
        }
        return open_std(m, r->dev - RV_DEV_STDIN, flags, mode, err);
    }
    if (r->must_be_dir || (flags & G_O_DIRECTORY)) {
        *err = -ENOTDIR;
        return NULL;
    }
    rv_file *f = new_file(RV_FILE_DEVICE, 0, "", flags & G_O_PATH ? G_O_PATH : flags, -1, err);
    if (f)
        f->device = (uint8_t)r->dev;
    return f;
}

static int name_room(const rvvm_machine *m);

/* O_TMPFILE: an unnamed regular file in a granted directory. */
static rv_file *open_tmpfile(rvvm_machine *m, const rv_resolved *r, uint32_t flags, uint32_t mode,
                             int *err)
{
    /* Linux: exactly O_TMPFILE (with O_DIRECTORY, without O_CREAT), opened for writing. */
    if ((flags & (G_O_TMPFILE | G_O_DIRECTORY | G_O_CREAT)) != (G_O_TMPFILE | G_O_DIRECTORY) ||
        (flags & G_O_ACCMODE) == G_O_RDONLY || (flags & G_O_PATH)) {
        *err = -EINVAL;
        return NULL;
    }
    const rv_grant *g = &RV_OS(m)->grants[r->grant];
    int probe = rv_beneath_open(g->dirfd, r->rel, O_PATH | O_DIRECTORY, 0, true, false);
    if (probe < 0) {
        *err = probe;
        return NULL;
    }
    close(probe);
    if (!g->writable) {
        *err = -EROFS;
        return NULL;
    }
    if ((*err = name_room(m)) != 0)
        return NULL;
    uint32_t cmode = mode & 07777 & ~RV_OS(m)->umask;
    int host = ((flags & G_O_ACCMODE) == G_O_WRONLY ? O_WRONLY : O_RDWR) | O_TMPFILE;
    int fd = rv_beneath_open(g->dirfd, r->rel, host, cmode, true, false);
    if (fd < 0) {
        *err = fd;
        return NULL;
    }
    set_created_mode(fd, cmode);
    rv_os_write_charge(m, RVVM_WRITE_NAME_COST);
    rv_file *f = new_file(RV_FILE_REGULAR, r->grant, r->rel,
                          flags & ~(uint32_t)(G_O_TMPFILE | G_O_DIRECTORY), fd, err);
    if (!f) {
        close(fd);
        return NULL;
    }
    f->ghost = true;
    f->linkable = !(flags & G_O_EXCL);
    return f;
}

rv_file *rv_os_open_path(rvvm_machine *m, int64_t dirfd, const char *path, uint32_t flags,
                         uint32_t mode, int *err)
{
    rv_resolved r;
    if ((flags & G_O_ACCMODE) == 3 && !(flags & G_O_PATH)) {
        *err = -EINVAL;
        return NULL;
    }
    int e = rv_resolve(m, dirfd, path, &r);
    if (r.dev != RV_DEV_NONE && (e == 0 || r.dev == RV_DEV_MISSING))
        return open_device(m, &r, e, flags, mode, err);
    if (e) {
        *err = e;
        return NULL;
    }
    if (flags & G_O_TMPFILE)
        return open_tmpfile(m, &r, flags, mode, err);
    const rv_grant *g = &RV_OS(m)->grants[r.grant];
    bool follow = !(flags & G_O_NOFOLLOW);
    bool must_dir = r.must_be_dir || (flags & G_O_DIRECTORY);
    int probe = rv_beneath_open(g->dirfd, r.rel, O_PATH | (must_dir ? O_DIRECTORY : 0), 0, follow,
                                false);
    struct stat st;
    if (probe >= 0 && fstat(probe, &st) != 0) {
        *err = -errno;
        close(probe);
        return NULL;
    }
    if (flags & G_O_PATH) {
        if (probe < 0) {
            *err = probe;
            return NULL;
        }
        rv_file *f = new_file(RV_FILE_PATH, r.grant, r.rel,
                              G_O_PATH | (S_ISDIR(st.st_mode) ? G_O_DIRECTORY : 0), probe, err);
        if (!f)
            close(probe);
        return f;
    }
    uint32_t acc = flags & G_O_ACCMODE;
    bool want_write = acc != G_O_RDONLY || (flags & G_O_TRUNC);
    int host = host_access_flags(flags);
    int fd;
    if (probe < 0) {
        if (probe != -ENOENT || !(flags & G_O_CREAT)) {
            *err = probe;
            return NULL;
        }
        if (r.must_be_dir) {
            *err = -EISDIR;
            return NULL;
        }
        if (!g->writable) {
            *err = -EROFS;
            return NULL;
        }
        if ((*err = name_room(m)) != 0)
            return NULL;
        uint32_t cmode = mode & 07777 & ~RV_OS(m)->umask;
        fd = rv_beneath_open(g->dirfd, r.rel, (host & ~O_DIRECTORY) | O_CREAT | O_EXCL, cmode,
                             follow, false);
        if (fd < 0) {
            *err = fd;
            return NULL;
        }
        set_created_mode(fd, cmode);
        rv_os_write_charge(m, RVVM_WRITE_NAME_COST);
        if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
            close(fd);
            *err = -EACCES;
            return NULL;
        }
    } else {
        int bad = 0;
        if (S_ISLNK(st.st_mode))
            bad = -ELOOP;
        else if ((flags & G_O_CREAT) && (flags & G_O_EXCL))
            bad = -EEXIST;
        else if (S_ISDIR(st.st_mode) && (want_write || (flags & G_O_CREAT)))
            bad = -EISDIR;
        else if (!S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode))
            bad = -EACCES; /* devices, FIFOs, sockets: never opened */
        else if (must_dir && !S_ISDIR(st.st_mode))
            bad = -ENOTDIR;
        else if (want_write && !g->writable)
            bad = -EROFS;
        if (bad) {
            close(probe);
            *err = bad;
            return NULL;
        }
        fd = rv_beneath_open(g->dirfd, r.rel, host | ((flags & G_O_TRUNC) ? O_TRUNC : 0), 0,
                             follow, false);
        struct stat st2;
        if (fd >= 0 && (fstat(fd, &st2) != 0 || st2.st_dev != st.st_dev ||
                        st2.st_ino != st.st_ino)) {
            close(fd);
            fd = -EAGAIN; /* replaced between the checks and the open */
        }
        close(probe);
        if (fd < 0) {
            *err = fd;
            return NULL;
        }
    }
    rv_file *f = new_file(S_ISDIR(st.st_mode) ? RV_FILE_DIR : RV_FILE_REGULAR, r.grant, r.rel,
                          flags | (S_ISDIR(st.st_mode) ? G_O_DIRECTORY : 0), fd, err);
    if (!f)
        close(fd);
    return f;
}

/* ---- reading and writing -------------------------------------------------------- */

int64_t rv_os_file_size(rv_file *f)
{
    if (f->kind == RV_FILE_FEATURES)
        return sizeof features_file;
    if (f->kind != RV_FILE_REGULAR)
        return -EINVAL;
    struct stat st;
    if (fstat(f->host_fd, &st) != 0)
        return -errno;
    return st.st_size;
}

/* ---- the write bound (config.max_write_bytes) -------------------------------------- */

uint64_t rv_os_write_room(const rvvm_machine *m, uint64_t want)
{
    const rv_os *os = RV_OS(m);
    uint64_t max = m->config.max_write_bytes;
    if (max == RVVM_NO_LIMIT)
        return want;
    uint64_t left = os->write_used >= max ? 0 : max - os->write_used;
    return want < left ? want : left;
}

void rv_os_write_charge(rvvm_machine *m, uint64_t bytes)
{
    rv_os *os = RV_OS(m);
    os->write_used = bytes > UINT64_MAX - os->write_used ? UINT64_MAX : os->write_used + bytes;
}

/* A new name (file, directory, link) fits in the bound: 0 or -EDQUOT. */
static int name_room(const rvvm_machine *m)
{
    return rv_os_write_room(m, RVVM_WRITE_NAME_COST) == RVVM_WRITE_NAME_COST ? 0 : -EDQUOT;
}

/* name_room for `name` in directory pfd: a name that exists is EEXIST first, as in Linux. */
static int name_room_at(const rvvm_machine *m, int pfd, const char *name)
{
    struct stat st;
    if (name_room(m) == 0)
        return 0;
    return fstatat(pfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 ? -EEXIST : -EDQUOT;
}

rvvm_status rvvm_set_max_write_bytes(rvvm_machine *m, uint64_t max_bytes)
{
    if (!m)
        return RVVM_ERR_INVALID_ARGUMENT;
    if (!RV_OS(m))
        return rv_fail(m, RVVM_ERR_STATE, "the machine has no Linux OS layer (no files)");
    m->config.max_write_bytes = max_bytes;
    return RVVM_OK;
}

uint64_t rvvm_write_bytes_used(const rvvm_machine *m)
{
    const rv_os *os = m ? RV_OS(m) : NULL;
    return os ? os->write_used : 0;
}

int64_t rv_os_file_read(rvvm_machine *m, rv_file *f, uint64_t addr, uint64_t len, bool pos_given,
                        uint64_t pos)
{
    if (f->kind == RV_FILE_PATH || (f->flags & G_O_PATH) || (f->flags & G_O_ACCMODE) == G_O_WRONLY)
        return -EBADF;
    if (f->kind == RV_FILE_DIR || f->kind == RV_FILE_DEVDIR)
        return -EISDIR;
    if (pos_given && (f->kind == RV_FILE_CONSOLE || f->kind == RV_FILE_PIPE))
        return -ESPIPE;
    if (pos_given && pos > INT64_MAX)
        return -EINVAL;
    if (len > RV_IO_CHUNK_MAX)
        len = RV_IO_CHUNK_MAX;
    if (f->kind == RV_FILE_DEVICE && f->device == RV_DEV_NULL)
        return 0; /* end of file, the buffer untouched */
    if (f->kind == RV_FILE_PIPE)
        return rv_pipe_read(m, f, addr, len);
    if (!rv_memory_range_ok(&m->mem, addr, len, RV_PAGE_W))
        return -EFAULT;
    if (len == 0)
        return 0;
    if (f->kind == RV_FILE_DEVICE) {
        /* /dev/zero, and /dev/random and /dev/urandom from the getrandom generator. */
        if (f->device == RV_DEV_ZERO)
            memset(m->mem.base + addr, 0, (size_t)len);
        else
            random_fill(RV_OS(m), m->mem.base + addr, len);
        rv_guest_written(m, addr, len);
        return (int64_t)len;
    }
    uint8_t *dst = m->mem.base + addr;
    uint64_t off = pos_given ? pos : f->offset;
    int64_t n;
    switch (f->kind) {
    case RV_FILE_CONSOLE:
        n = m->read_fn(m->io_user, f->console, dst, (size_t)len);
        if (n > (int64_t)len)
            n = (int64_t)len; /* a misbehaving host hook must not overstate */
        break;
    case RV_FILE_FEATURES:
        n = off >= sizeof features_file ? 0 : (int64_t)(sizeof features_file - off);
        if (n > (int64_t)len)
            n = (int64_t)len;
        if (n > 0)
            memcpy(dst, features_file + off, (size_t)n);
        break;
    default: {
        if (off > INT64_MAX - len)
            len = INT64_MAX - off;
        ssize_t r;
        do
            r = pread(f->host_fd, dst, (size_t)len, (off_t)off);
        while (r < 0 && errno == EINTR);
        n = r < 0 ? -errno : r;
        break;
    }
    }
    if (n > 0) {
        rv_guest_written(m, addr, (uint64_t)n);
        if (!pos_given && f->kind != RV_FILE_CONSOLE)
            f->offset = off + (uint64_t)n;
    }
    return n;
}

int64_t rv_os_file_write(rvvm_machine *m, rv_file *f, uint64_t addr, uint64_t len,
                         bool pos_given, uint64_t pos)
{
    if (f->kind == RV_FILE_PATH || f->kind == RV_FILE_FEATURES || (f->flags & G_O_PATH) ||
        (f->flags & G_O_ACCMODE) == G_O_RDONLY)
        return -EBADF;
    if (f->kind == RV_FILE_DIR || f->kind == RV_FILE_DEVDIR)
        return -EISDIR;
    if (pos_given && (f->kind == RV_FILE_CONSOLE || f->kind == RV_FILE_PIPE))
        return -ESPIPE;
    if (pos_given && pos > INT64_MAX)
        return -EINVAL;
    if (f->kind == RV_FILE_DEVICE && (f->device == RV_DEV_NULL || f->device == RV_DEV_ZERO))
        return (int64_t)(len > RV_RW_COUNT_MAX ? RV_RW_COUNT_MAX : len); /* discarded, unread */
    if (f->kind == RV_FILE_PIPE)
        return rv_pipe_write(m, f, addr, len); /* whole, however long (at most 64 KiB a turn) */
    if (len > RV_IO_CHUNK_MAX)
        len = RV_IO_CHUNK_MAX;
    if (!rv_memory_range_ok(&m->mem, addr, len, RV_PAGE_R))
        return -EFAULT;
    if (len == 0)
        return 0;
    const uint8_t *src = m->mem.base + addr;
    if (f->kind == RV_FILE_DEVICE)
        return (int64_t)len; /* /dev/random, /dev/urandom: read, but never change the stream */
    if (f->kind == RV_FILE_CONSOLE) {
        int64_t n = m->write_fn(m->io_user, f->console, src, (size_t)len);
        return n > (int64_t)len ? (int64_t)len : n;
    }
    uint64_t off = pos_given ? pos : f->offset;
    if (!pos_given && (f->flags & G_O_APPEND)) {
        int64_t size = rv_os_file_size(f);
        if (size < 0)
            return size;
        off = (uint64_t)size;
    }
    if (off > INT64_MAX - len)
        return -EFBIG;
    /* What still fits in the write bound; nothing: a quota error, as Linux gives. */
    len = rv_os_write_room(m, len);
    if (len == 0)
        return -EDQUOT;
    size_t done = 0;
    while (done < len) {
        ssize_t r = pwrite(f->host_fd, src + done, (size_t)len - done, (off_t)(off + done));
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            if (done == 0)
                return r < 0 ? -errno : -EIO;
            break;
        }
        done += (size_t)r;
    }
    rv_os_write_charge(m, done);
    if (!pos_given)
        f->offset = off + done;
    return (int64_t)done;
}

int64_t rv_os_file_lseek(rv_file *f, int64_t off, int whence)
{
    switch (f->kind) {
    case RV_FILE_CONSOLE: case RV_FILE_PIPE: return -ESPIPE;
    case RV_FILE_PATH: return -EBADF;
    case RV_FILE_DEVICE:
        /* Linux: /dev/null and /dev/zero always say 0, the random devices keep position 0. */
        return (f->flags & G_O_PATH) ? -EBADF : 0;
    case RV_FILE_DEVDIR:
    case RV_FILE_DIR:
        /* Only rewinding or asking where we are: positions are listing indices. */
        if (whence == 0 && off >= 0) {
            if (off == 0 && f->kind == RV_FILE_DIR)
                free_listing(f);
            f->offset = (uint64_t)off;
            return off;
        }
        if (whence == 1 && off == 0)
            return (int64_t)f->offset;
        return -EINVAL;
    default: break;
    }
    int64_t base;
    switch (whence) {
    case 0: base = 0; break;
    case 1: base = (int64_t)f->offset; break;
    case 2:
        base = rv_os_file_size(f);
        if (base < 0)
            return base;
        break;
    default: return -EINVAL; /* SEEK_DATA and SEEK_HOLE are not offered */
    }
    if ((off > 0 && base > INT64_MAX - off) || base + off < 0)
        return -EINVAL;
    f->offset = (uint64_t)(base + off);
    return (int64_t)f->offset;
}

/* ---- stat ------------------------------------------------------------------------- */

static uint64_t path_ino(uint32_t grant, const char *rel)
{
    uint64_t h = 0xcbf29ce484222325ull; /* FNV-1a */
    h = (h ^ (grant & 0xff)) * 0x100000001b3ull;
    for (const char *p = rel; *p; p++)
        h = (h ^ (uint8_t)*p) * 0x100000001b3ull;
    return h ? h : 1;
}

/* The facts stat reports, whatever the layout. */
typedef struct rv_statinfo {
    uint64_t dev, ino, rdev, size, blocks;
    uint32_t mode, nlink, uid, gid, blksize;
    int64_t atime, mtime, ctime;
    uint32_t atime_ns, mtime_ns, ctime_ns;
} rv_statinfo;

static void info_from_host(const rvvm_machine *m, uint32_t grant, const char *rel,
                           const struct stat *st, rv_statinfo *si)
{
    memset(si, 0, sizeof *si);
    si->dev = grant == RV_OS_SYSROOT ? RV_OS_DEVFS_DEV + 1 : grant + 1;
    si->ino = path_ino(grant, rel);
    si->mode = (uint32_t)(st->st_mode & (S_IFMT | 07777));
    if (!RV_OS(m)->grants[grant].writable)
        si->mode &= ~0222u;
    si->nlink = (uint32_t)st->st_nlink;
    si->size = S_ISREG(st->st_mode) || S_ISLNK(st->st_mode) ? (uint64_t)st->st_size : 4096;
    si->blksize = 4096;
    si->blocks = (si->size + 511) / 512;
    if (RV_OS(m)->real_time) {
        si->atime = st->st_atim.tv_sec;
        si->atime_ns = (uint32_t)st->st_atim.tv_nsec;
        si->mtime = st->st_mtim.tv_sec;
        si->mtime_ns = (uint32_t)st->st_mtim.tv_nsec;
        si->ctime = st->st_ctim.tv_sec;
        si->ctime_ns = (uint32_t)st->st_ctim.tv_nsec;
    }
}

/* What stat says about /dev and its entries (links described, not followed). */
static void dev_info(int dev, rv_statinfo *si)
{
    memset(si, 0, sizeof *si);
    si->dev = RV_OS_DEVFS_DEV;
    si->ino = path_ino(RV_OS_MAX_GRANTS, dev == RV_DEV_DIR ? "" : dev_names[dev]);
    si->nlink = 1;
    si->blksize = 4096;
    if (dev == RV_DEV_DIR) {
        si->mode = S_IFDIR | 0755;
        si->nlink = 2;
        si->size = 4096;
        si->blocks = 8;
    } else if (dev_is_link(dev)) {
        si->mode = S_IFLNK | 0777;
        si->size = 15; /* "/proc/self/fd/N" */
    } else {
        si->mode = S_IFCHR | 0666;
        si->rdev = dev_rdev(dev);
    }
}

static int info_of_file(const rvvm_machine *m, const rv_file *f, rv_statinfo *si)
{
    memset(si, 0, sizeof *si);
    if (f->kind == RV_FILE_DEVICE || f->kind == RV_FILE_DEVDIR) {
        dev_info(f->kind == RV_FILE_DEVDIR ? RV_DEV_DIR : f->device, si);
        return 0;
    }
    if (f->kind == RV_FILE_CONSOLE) {
        /* A pipe, whatever the host has: never a terminal, so C libraries
         * buffer the same way on every host (and ioctl says ENOTTY). */
        si->mode = S_IFIFO | 0600;
        si->nlink = 1;
        si->ino = 1 + f->console;
        si->blksize = 4096;
        return 0;
    }
    if (f->kind == RV_FILE_PIPE) {
        si->mode = S_IFIFO | 0600;
        si->nlink = 1;
        si->ino = 0x100 + f->pipe->id; /* synthetic, like the console's */
        si->blksize = 4096;
        return 0;
    }
    if (f->kind == RV_FILE_FEATURES) {
        si->mode = S_IFREG | 0444;
        si->nlink = 1;
        si->ino = 2;
        si->size = sizeof features_file;
        si->blksize = 4096;
        si->blocks = 1;
        return 0;
    }
    struct stat st;
    if ((f->kind == RV_FILE_DIR || f->kind == RV_FILE_PATH) && f->host_fd < 0) {
        /* Removed while open, recreated from a snapshot: what the host said before. */
        memset(&st, 0, sizeof st);
        st.st_mode = (mode_t)f->ghost_mode | (f->kind == RV_FILE_DIR ? S_IFDIR : 0);
        st.st_size = (off_t)f->ghost_size;
        info_from_host(m, f->grant, f->path, &st, si);
        return 0;
    }
    if (fstat(f->host_fd, &st) != 0)
        return -errno;
    info_from_host(m, f->grant, f->path, &st, si);
    return 0;
}

static int put_stat(rvvm_machine *m, uint64_t addr, const rv_statinfo *si)
{
    /* struct stat of asm-generic (riscv64): 128 bytes. */
    uint8_t b[128];
    memset(b, 0, sizeof b);
    rv_store_le(b + 0, si->dev, 8);
    rv_store_le(b + 8, si->ino, 8);
    rv_store_le(b + 16, si->mode, 4);
    rv_store_le(b + 20, si->nlink, 4);
    rv_store_le(b + 24, si->uid, 4);
    rv_store_le(b + 28, si->gid, 4);
    rv_store_le(b + 32, si->rdev, 8);
    rv_store_le(b + 48, si->size, 8);
    rv_store_le(b + 56, si->blksize, 4);
    rv_store_le(b + 64, si->blocks, 8);
    rv_store_le(b + 72, (uint64_t)si->atime, 8);
    rv_store_le(b + 80, si->atime_ns, 8);
    rv_store_le(b + 88, (uint64_t)si->mtime, 8);
    rv_store_le(b + 96, si->mtime_ns, 8);
    rv_store_le(b + 104, (uint64_t)si->ctime, 8);
    rv_store_le(b + 112, si->ctime_ns, 8);
    return rv_os_copy_out(m, addr, b, sizeof b);
}

static int put_statx(rvvm_machine *m, uint64_t addr, const rv_statinfo *si)
{
    /* struct statx: 256 bytes. */
    uint8_t b[256];
    memset(b, 0, sizeof b);
    rv_store_le(b + 0, 0x7ff, 4); /* STATX_BASIC_STATS */
    rv_store_le(b + 4, si->blksize, 4);
    rv_store_le(b + 16, si->nlink, 4);
    rv_store_le(b + 20, si->uid, 4);
    rv_store_le(b + 24, si->gid, 4);
    rv_store_le(b + 28, si->mode, 2);
    rv_store_le(b + 32, si->ino, 8);
    rv_store_le(b + 40, si->size, 8);
    rv_store_le(b + 48, si->blocks, 8);
    rv_store_le(b + 64, (uint64_t)si->atime, 8);
    rv_store_le(b + 72, si->atime_ns, 4);
    rv_store_le(b + 96, (uint64_t)si->ctime, 8);
    rv_store_le(b + 104, si->ctime_ns, 4);
    rv_store_le(b + 112, (uint64_t)si->mtime, 8);
    rv_store_le(b + 120, si->mtime_ns, 4);
    rv_store_le(b + 128, si->rdev >> 8, 4);
    rv_store_le(b + 132, si->rdev & 0xff, 4);
    rv_store_le(b + 136, 0, 4);
    rv_store_le(b + 140, si->dev, 4);
    return rv_os_copy_out(m, addr, b, sizeof b);
}

/* stat of a path (dirfd-relative), or of dirfd itself with AT_EMPTY_PATH and "". */
static int stat_at(rvvm_machine *m, int64_t dirfd, uint64_t path_addr, uint64_t flags,
                   uint64_t allowed, rv_statinfo *si)
{
    if (flags & ~allowed)
        return -EINVAL;
    char path[RV_OS_PATH_MAX];
    int r = rv_os_read_path(m, path_addr, path);
    if (r)
        return r;
    if (path[0] == '\0') {
        if (!(flags & G_AT_EMPTY_PATH))
            return -ENOENT;
        if (dirfd != G_AT_FDCWD) {
            rv_file *f = rv_os_file(m, (uint64_t)dirfd);
            return f ? info_of_file(m, f, si) : -EBADF;
        }
        snprintf(path, sizeof path, ".");
    }
    rv_resolved res;
    if ((r = rv_resolve(m, dirfd, path, &res)) != 0)
        return r;
    if (res.dev != RV_DEV_NONE) {
        if (dev_is_link(res.dev) && !(flags & G_AT_SYMLINK_NOFOLLOW)) {
            rv_file *t = rv_os_file(m, (uint64_t)(res.dev - RV_DEV_STDIN));
            if (!t)
                return -ENOENT;
            if ((r = info_of_file(m, t, si)) != 0)
                return r;
        } else {
            dev_info(res.dev, si);
        }
        return res.must_be_dir && !S_ISDIR(si->mode) ? -ENOTDIR : 0;
    }
    const rv_grant *g = &RV_OS(m)->grants[res.grant];
    int fd = rv_beneath_open(g->dirfd, res.rel, O_PATH | (res.must_be_dir ? O_DIRECTORY : 0), 0,
                             !(flags & G_AT_SYMLINK_NOFOLLOW), false);
    if (fd < 0)
        return fd;
    struct stat st;
    r = fstat(fd, &st) == 0 ? 0 : -errno;
    close(fd);
    if (r == 0)
        info_from_host(m, res.grant, res.rel, &st, si);
    return r;
}

/* ---- directories ------------------------------------------------------------------- */

static int cmp_dirent(const void *a, const void *b)
{
    return strcmp(((const rv_dirent *)a)->name, ((const rv_dirent *)b)->name);
}

static uint8_t dtype_of(mode_t mode)
{
    if (S_ISREG(mode)) return DT_REG;
    if (S_ISDIR(mode)) return DT_DIR;
    if (S_ISLNK(mode)) return DT_LNK;
    if (S_ISCHR(mode)) return DT_CHR;
    if (S_ISBLK(mode)) return DT_BLK;
    if (S_ISFIFO(mode)) return DT_FIFO;
    if (S_ISSOCK(mode)) return DT_SOCK;
    return DT_UNKNOWN;
}

/* Reads the whole listing, sorted by name, "." and ".." first. */
static int load_listing(rv_file *f)
{
    free_listing(f);
    struct stat st;
    if (f->host_fd < 0 || (fstat(f->host_fd, &st) == 0 && st.st_nlink == 0))
        return -ENOENT; /* a removed directory, as Linux says for one */
    int fd = openat(f->host_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return -errno;
    DIR *d = fdopendir(fd);
    if (!d) {
        int e = errno;
        close(fd);
        return -e;
    }
    size_t cap = 16, n = 2;
    rv_dirent *v = calloc(cap, sizeof *v);
    int err = v ? 0 : -ENOMEM;
    if (v) {
        v[0].name = strdup(".");
        v[1].name = strdup("..");
        v[0].type = v[1].type = DT_DIR;
        if (!v[0].name || !v[1].name)
            err = -ENOMEM;
    }
    struct dirent *de;
    while (!err && (de = readdir(d)) != NULL) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
            continue;
        if (n == cap) {
            rv_dirent *nv = realloc(v, 2 * cap * sizeof *v);
            if (!nv) {
                err = -ENOMEM;
                break;
            }
            v = nv;
            cap *= 2;
        }
        struct stat st;
        v[n].type = fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0
                        ? dtype_of(st.st_mode)
                        : DT_UNKNOWN;
        v[n].name = strdup(de->d_name);
        if (!v[n].name) {
            err = -ENOMEM;
            break;
        }
        n++;
    }
    closedir(d);
    if (err) {
        if (v)
            for (size_t i = 0; i < n && i < cap; i++)
                free(v[i].name);
        free(v);
        return err;
    }
    qsort(v + 2, n - 2, sizeof *v, cmp_dirent);
    f->dir = v;
    f->dir_count = n;
    f->dir_loaded = true;
    return 0;
}

static int64_t sys_getdents64(rvvm_machine *m, uint64_t fd, uint64_t buf, uint64_t count)
{
    rv_file *f = rv_os_file(m, fd);
    if (!f)
        return -EBADF;
    if (f->flags & G_O_PATH)
        return -EBADF;
    if (f->kind != RV_FILE_DIR && f->kind != RV_FILE_DEVDIR)
        return -ENOTDIR;
    if (count > RV_IO_CHUNK_MAX)
        count = RV_IO_CHUNK_MAX;
    if (!rv_memory_range_ok(&m->mem, buf, count, RV_PAGE_W))
        return -EFAULT;
    bool devdir = f->kind == RV_FILE_DEVDIR;
    if (!devdir && !f->dir_loaded) {
        int r = load_listing(f);
        if (r)
            return r;
    }
    uint64_t entries = devdir ? RV_DEV_COUNT + 1 : f->dir_count;
    uint8_t *out = m->mem.base + buf;
    uint64_t pos = 0, idx = f->offset;
    while (idx < entries) {
        const char *name;
        uint8_t type;
        uint64_t ino;
        if (devdir) {
            int d = idx < 2 ? RV_DEV_DIR : dev_listing[idx - 2];
            name = idx == 0 ? "." : idx == 1 ? ".." : dev_names[d];
            type = idx < 2 ? DT_DIR : dev_is_link(d) ? DT_LNK : DT_CHR;
            ino = idx == 1 ? path_ino(0xff, "") : path_ino(RV_OS_MAX_GRANTS, idx ? name : "");
        } else {
            const rv_dirent *e = &f->dir[idx];
            char full[RV_OS_PATH_MAX * 2];
            snprintf(full, sizeof full, "%s%s%s", f->path, f->path[0] ? "/" : "", e->name);
            name = e->name;
            type = e->type;
            ino = path_ino(f->grant, full);
        }
        size_t nlen = strlen(name);
        uint64_t reclen = (19 + nlen + 1 + 7) & ~(uint64_t)7;
        if (pos + reclen > count)
            break;
        uint8_t *p = out + pos;
        memset(p, 0, (size_t)reclen);
        rv_store_le(p, ino, 8);
        rv_store_le(p + 8, idx + 1, 8);
        rv_store_le(p + 16, reclen, 2);
        p[18] = type;
        memcpy(p + 19, name, nlen);
        pos += reclen;
        idx++;
    }
    if (pos == 0 && idx < entries)
        return -EINVAL;
    f->offset = idx;
    if (pos)
        rv_guest_written(m, buf, pos);
    return (int64_t)pos;
}

/* ---- system calls ------------------------------------------------------------------ */

static int64_t sys_openat(rvvm_machine *m, int64_t dirfd, uint64_t path_addr, uint64_t flags,
                          uint64_t mode)
{
    char path[RV_OS_PATH_MAX];
    int r = rv_os_read_path(m, path_addr, path);
    if (r)
        return r;
    int err = 0;
    rv_file *f = rv_os_open_path(m, dirfd, path, (uint32_t)flags, (uint32_t)mode, &err);
    if (!f)
        return err;
    int fd = rv_os_install(m, f, (flags & G_O_CLOEXEC) != 0, 0);
    if (fd < 0)
        rv_os_file_unref(f);
    return fd;
}

static int64_t rw_fd(rvvm_machine *m, uint64_t fd, uint64_t buf, uint64_t len, bool write,
                     bool pos_given, uint64_t pos)
{
    rv_file *f = rv_os_file(m, fd);
    if (!f)
        return -EBADF;
    if (pos_given && (int64_t)pos < 0)
        return -EINVAL;
    return write ? rv_os_file_write(m, f, buf, len, pos_given, pos)
                 : rv_os_file_read(m, f, buf, len, pos_given, pos);
}

static int64_t rw_iov(rvvm_machine *m, uint64_t fd, uint64_t iov, uint64_t cnt, bool write,
                      bool pos_given, uint64_t pos)
{
    rv_file *f = rv_os_file(m, fd);
    if (!f)
        return -EBADF;
    if (cnt > RV_IOV_MAX || (pos_given && (int64_t)pos < 0))
        return -EINVAL;
    if (cnt == 0)
        return 0;
    uint8_t vec[RV_IOV_MAX * 16];
    int r = rv_os_copy_in(m, vec, iov, cnt * 16);
    if (r)
        return r;
    uint64_t sum = 0;
    for (uint64_t i = 0; i < cnt; i++) {
        uint64_t l = rv_load_le(vec + 16 * i + 8, 8);
        if (l > INT64_MAX - sum)
            return -EINVAL;
        sum += l;
    }
    if (write && f->kind == RV_FILE_PIPE && !(f->flags & G_O_PATH) &&
        (f->flags & G_O_ACCMODE) != G_O_RDONLY)
        return pos_given ? -ESPIPE : rv_pipe_writev(m, f, vec, cnt); /* all buffers as one write */
    int64_t total = 0;
    for (uint64_t i = 0; i < cnt; i++) {
        uint64_t base = rv_load_le(vec + 16 * i, 8), l = rv_load_le(vec + 16 * i + 8, 8);
        if (l == 0)
            continue;
        int64_t n = write ? rv_os_file_write(m, f, base, l, pos_given, pos + (uint64_t)total)
                          : rv_os_file_read(m, f, base, l, pos_given, pos + (uint64_t)total);
        if (n < 0)
            return total ? total : n;
        total += n;
        if ((uint64_t)n < l || total >= (int64_t)RV_IO_CHUNK_MAX)
            break;
    }
    return total;
}

static int64_t sys_fcntl(rvvm_machine *m, uint64_t fd, uint64_t cmd, uint64_t arg)
{
    rv_file *f = rv_os_file(m, fd);
    if (!f)
        return -EBADF;
    switch (cmd) {
    case 0:    /* F_DUPFD */
    case 1030: /* F_DUPFD_CLOEXEC */
        if (arg >= RV_OS_MAX_FDS)
            return -EINVAL;
        {
            int nfd = rv_os_install(m, f, cmd == 1030, (int)arg);
            if (nfd >= 0)
                f->refs++;
            return nfd;
        }
    case 1: return RV_OS(m)->fds[fd].cloexec ? 1 : 0; /* F_GETFD */
    case 2: RV_OS(m)->fds[fd].cloexec = arg & 1; return 0; /* F_SETFD */
    case 3: return f->flags | (f->kind == RV_FILE_CONSOLE ? 0 : G_O_LARGEFILE); /* F_GETFL */
    case 4: { /* F_SETFL: only O_APPEND and O_NONBLOCK change */
        uint32_t ch = G_O_APPEND | G_O_NONBLOCK;
        f->flags = (f->flags & ~ch) | ((uint32_t)arg & ch);
        return 0;
    }
    case 5: case 36: { /* F_GETLK, F_OFD_GETLK: nobody else holds locks */
        uint8_t t[2] = {2, 0}; /* F_UNLCK */
        return rv_os_copy_out(m, arg + 0, t, 2);
    }
    case 6: case 7: case 37: case 38: /* F_SETLK, F_SETLKW, F_OFD_SETLK(W) */
        return 0;
    default:
        return -EINVAL;
    }
}

static int64_t sys_dup3(rvvm_machine *m, uint64_t oldfd, uint64_t newfd, uint64_t flags)
{
    if (flags & ~(uint64_t)G_O_CLOEXEC)
        return -EINVAL;
    rv_file *f = rv_os_file(m, oldfd);
    if (!f)
        return -EBADF;
    if (oldfd == newfd)
        return -EINVAL;
    if (newfd >= RV_OS_MAX_FDS)
        return -EBADF;
    if (!rv_os_fd_reserve(RV_OS(m), newfd))
        return -ENOMEM;
    f->refs++;
    if (RV_OS(m)->fds[newfd].file)
        rv_os_close(m, newfd);
    RV_OS(m)->fds[newfd].file = f;
    RV_OS(m)->fds[newfd].cloexec = (flags & G_O_CLOEXEC) != 0;
    return (int64_t)newfd;
}

static int64_t sys_getcwd(rvvm_machine *m, uint64_t buf, uint64_t size)
{
    size_t len = strlen(RV_OS(m)->cwd) + 1;
    if (size < len)
        return -ERANGE;
    int r = rv_os_copy_out(m, buf, RV_OS(m)->cwd, len);
    return r ? r : (int64_t)len;
}

static int set_cwd(rvvm_machine *m, const char *abs)
{
    char *c = strdup(abs);
    if (!c)
        return -ENOMEM;
    free(RV_OS(m)->cwd);
    RV_OS(m)->cwd = c;
    return 0;
}

static int64_t sys_chdir(rvvm_machine *m, uint64_t path_addr)
{
    char path[RV_OS_PATH_MAX];
    int r = rv_os_read_path(m, path_addr, path);
    if (r)
        return r;
    rv_resolved res;
    r = rv_resolve(m, G_AT_FDCWD, path, &res);
    if (r == -ENOENT && path[0] && strcmp(res.abs, "/") == 0)
        return set_cwd(m, "/"); /* the root always exists, granted or not */
    if (r)
        return r;
    if (res.dev != RV_DEV_NONE) {
        if (res.dev == RV_DEV_DIR)
            return set_cwd(m, "/dev");
        if (dev_is_link(res.dev))
            return rv_os_file(m, (uint64_t)(res.dev - RV_DEV_STDIN)) ? -ENOTDIR : -ENOENT;
        return -ENOTDIR;
    }
    const rv_grant *g = &RV_OS(m)->grants[res.grant];
    int fd = rv_beneath_open(g->dirfd, res.rel, O_PATH | O_DIRECTORY, 0, true, false);
    if (fd < 0)
        return fd;
    close(fd);
    return set_cwd(m, res.abs);
}

static int64_t sys_fchdir(rvvm_machine *m, uint64_t fd)
{
    rv_file *f = rv_os_file(m, fd);
    if (!f)
        return -EBADF;
    if (!(f->flags & G_O_DIRECTORY))
        return -ENOTDIR;
    char abs[RV_OS_PATH_MAX];
    int r = rv_file_guest_path(RV_OS(m), f, abs);
    return r ? r : set_cwd(m, abs);
}

static int64_t sys_readlinkat(rvvm_machine *m, int64_t dirfd, uint64_t path_addr, uint64_t buf,
                              uint64_t size)
{
    if ((int64_t)size <= 0)
        return -EINVAL;
    char path[RV_OS_PATH_MAX];
    int r = rv_os_read_path(m, path_addr, path);
    if (r)
        return r;
    rv_resolved res;
    char target[RV_OS_PATH_MAX];
    if ((r = rv_resolve(m, dirfd, path, &res)) != 0)
        return r;
    if (res.dev != RV_DEV_NONE) {
        if (!dev_is_link(res.dev))
            return -EINVAL;
        int n = snprintf(target, sizeof target, "/proc/self/fd/%d", res.dev - RV_DEV_STDIN);
        if ((uint64_t)n > size)
            n = (int)size;
        r = rv_os_copy_out(m, buf, target, (uint64_t)n);
        return r ? r : n;
    }
    const rv_grant *g = &RV_OS(m)->grants[res.grant];
    int fd = rv_beneath_open(g->dirfd, res.rel, O_PATH, 0, false, false);
    if (fd < 0)
        return fd;
    struct stat st;
    ssize_t n = -1;
    if (fstat(fd, &st) != 0)
        r = -errno;
    else if (!S_ISLNK(st.st_mode))
        r = -EINVAL;
    else if ((n = readlinkat(fd, "", target, sizeof target)) < 0)
        r = -errno;
    close(fd);
    if (r)
        return r;
    if ((uint64_t)n > size)
        n = (ssize_t)size;
    r = rv_os_copy_out(m, buf, target, (uint64_t)n);
    return r ? r : n;
}

static int64_t sys_faccessat(rvvm_machine *m, int64_t dirfd, uint64_t path_addr, uint64_t mode,
                             uint64_t flags)
{
    if (mode & ~7ull || flags & ~(uint64_t)(G_AT_EACCESS | G_AT_SYMLINK_NOFOLLOW | G_AT_EMPTY_PATH))
        return -EINVAL;
    rv_statinfo si;
    int r = stat_at(m, dirfd, path_addr, flags & ~(uint64_t)G_AT_EACCESS,
                    G_AT_SYMLINK_NOFOLLOW | G_AT_EMPTY_PATH, &si);
    if (r)
        return r;
    if ((mode & 2) && !(si.mode & 0222)) /* W_OK: only writable grants */
        return -EROFS;
    if ((mode & 1) && !(si.mode & 0111)) /* X_OK: root still needs one x bit */
        return -EACCES;
    return 0;
}

/* Resolves a path for creation or removal: its parent directory and last name. */
static int parent_of(rvvm_machine *m, int64_t dirfd, uint64_t path_addr, rv_resolved *res,
                     int *pfd, const char **name)
{
    char path[RV_OS_PATH_MAX];
    int r = rv_os_read_path(m, path_addr, path);
    if (r)
        return r;
    r = rv_resolve(m, dirfd, path, res);
    if (res->dev != RV_DEV_NONE && (r == 0 || r == -ENOENT))
        return -EROFS; /* /dev is read-only (mkdirat says EEXIST for what exists) */
    if (r)
        return r;
    if (res->rel[0] == '\0')
        return -EBUSY; /* a grant's root itself */
    const rv_grant *g = &RV_OS(m)->grants[res->grant];
    if (!g->writable)
        return -EROFS;
    char *slash = strrchr(res->rel, '/');
    const char *parent = "";
    if (slash) {
        *slash = '\0';
        parent = res->rel;
        *name = slash + 1;
    } else {
        *name = res->rel;
    }
    int fd = rv_beneath_open(g->dirfd, parent, O_PATH | O_DIRECTORY, 0, true, false);
    if (fd < 0)
        return fd;
    *pfd = fd;
    return 0;
}

/* ---- metadata, links and names ------------------------------------------------- */

#ifndef SYS_fchmodat2
#define SYS_fchmodat2 452
#endif
#define RV_NR_fchmodat2 452
#define G_UTIME_NOW 0x3fffffff
#define G_UTIME_OMIT 0x3ffffffe

/* What a metadata call (chmod, chown, utimensat) acts on. */
typedef struct meta_target {
    int fd;        /* host descriptor (possibly O_PATH); -1 when there is no host file */
    bool own;      /* fd is to be closed */
    bool writable; /* in a writable grant */
    bool is_link;  /* a symbolic link itself */
} meta_target;

static void meta_close(meta_target *t)
{
    if (t->own && t->fd >= 0)
        close(t->fd);
    t->fd = -1;
}

/* An open description: granted files act on their host file, the console on nothing. */
static int meta_of_file(rvvm_machine *m, const rv_file *f, meta_target *t)
{
    memset(t, 0, sizeof *t);
    t->fd = -1;
    switch (f->kind) {
    case RV_FILE_REGULAR:
    case RV_FILE_DIR:
    case RV_FILE_PATH: {
        t->fd = f->host_fd;
        t->writable = RV_OS(m)->grants[f->grant].writable;
        struct stat st;
        t->is_link = fstat(f->host_fd, &st) == 0 && S_ISLNK(st.st_mode);
        return 0;
    }
    case RV_FILE_DEVICE:
    case RV_FILE_DEVDIR: return -EROFS; /* /dev is read-only */
    default: return 0;
    }
}

/*
 * The file dirfd + path names (path_addr 0: dirfd itself, when allow_null),
 * following a final symbolic link when follow.
 */
static int meta_at(rvvm_machine *m, int64_t dirfd, uint64_t path_addr, uint64_t flags, bool follow,
                   bool allow_null, meta_target *t)
{
    memset(t, 0, sizeof *t);
    t->fd = -1; /* also when failing early: meta_close is always safe */
    rv_file *f;
    if (path_addr == 0 && allow_null) {
        if (dirfd == G_AT_FDCWD)
            return -EFAULT;
        if (!(f = rv_os_file(m, (uint64_t)dirfd)) || (f->flags & G_O_PATH))
            return -EBADF;
        return meta_of_file(m, f, t);
    }
    char path[RV_OS_PATH_MAX];
    int r = rv_os_read_path(m, path_addr, path);
    if (r)
        return r;
    if (path[0] == '\0') {
        if (!(flags & G_AT_EMPTY_PATH))
            return -ENOENT;
        if (dirfd != G_AT_FDCWD) {
            if (!(f = rv_os_file(m, (uint64_t)dirfd)))
                return -EBADF;
            return meta_of_file(m, f, t);
        }
        snprintf(path, sizeof path, ".");
    }
    rv_resolved res;
    r = rv_resolve(m, dirfd, path, &res);
    if (r)
        return r;
    if (res.dev != RV_DEV_NONE) {
        if (dev_is_link(res.dev) && follow) {
            if (!(f = rv_os_file(m, (uint64_t)(res.dev - RV_DEV_STDIN))))
                return -ENOENT;
            return meta_of_file(m, f, t);
        }
        return -EROFS;
    }
    const rv_grant *g = &RV_OS(m)->grants[res.grant];
    int fd = rv_beneath_open(g->dirfd, res.rel, O_PATH | (res.must_be_dir ? O_DIRECTORY : 0), 0,
                             follow, false);
    if (fd < 0)
        return fd;
    struct stat st;
    t->fd = fd;
    t->own = true;
    t->writable = g->writable;
    t->is_link = fstat(fd, &st) == 0 && S_ISLNK(st.st_mode);
    return 0;
}

static int chmod_fd(int fd, mode_t mode)
{
    if (syscall(SYS_fchmodat2, fd, "", mode, AT_EMPTY_PATH) == 0)
        return 0;
    if (errno != ENOSYS && errno != EINVAL && errno != EPERM)
        return -errno;
    char p[64];
    snprintf(p, sizeof p, "/proc/self/fd/%d", fd);
    return chmod(p, mode) == 0 ? 0 : -errno;
}

/* The target of fchmod/fchown (a descriptor) or their -at forms (a path). */
static int meta_target_of(rvvm_machine *m, int64_t dirfd, uint64_t path_addr, uint64_t flags,
                          bool at, meta_target *t)
{
    *t = (meta_target){.fd = -1}; /* meta_close is safe after an early error */
    if (at) {
        if (flags & ~(uint64_t)(G_AT_SYMLINK_NOFOLLOW | G_AT_EMPTY_PATH))
            return -EINVAL;
        return meta_at(m, dirfd, path_addr, flags, !(flags & G_AT_SYMLINK_NOFOLLOW), false, t);
    }
    rv_file *f = rv_os_file(m, (uint64_t)dirfd);
    if (!f || (f->flags & G_O_PATH))
        return -EBADF;
    return meta_of_file(m, f, t);
}

static int64_t sys_chmod(rvvm_machine *m, int64_t dirfd, uint64_t path_addr, uint64_t mode,
                         uint64_t flags, bool at)
{
    meta_target t;
    int r = meta_target_of(m, dirfd, path_addr, flags, at, &t);
    if (r == 0 && t.fd >= 0) {
        if (!t.writable)
            r = -EROFS;
        else if (t.is_link)
            r = -EOPNOTSUPP; /* Linux: links have no mode of their own */
        else
            r = chmod_fd(t.fd, (mode_t)(mode & 07777));
    }
    meta_close(&t);
    return r;
}

/*
 * The guest is uid 0 in a user namespace that maps only uid 0 and gid 0:
 * changing an owner to 0 (or -1, unchanged) succeeds and changes nothing, any
 * other id fails with EINVAL, as in such a Linux namespace.
 */
static int64_t sys_chown(rvvm_machine *m, int64_t dirfd, uint64_t path_addr, uint64_t uid,
                         uint64_t gid, uint64_t flags, bool at)
{
    meta_target t;
    int r = meta_target_of(m, dirfd, path_addr, flags, at, &t);
    if (r == 0 && t.fd >= 0 && !t.writable)
        r = -EROFS;
    uint32_t u = (uint32_t)uid, g = (uint32_t)gid;
    if (r == 0 && ((u != 0 && u != UINT32_MAX) || (g != 0 && g != UINT32_MAX)))
        r = -EINVAL;
    meta_close(&t);
    return r;
}

static int64_t sys_utimensat(rvvm_machine *m, int64_t dirfd, uint64_t path_addr, uint64_t times,
                             uint64_t flags)
{
    struct timespec ts[2];
    if (times) {
        uint8_t b[32];
        int r = rv_os_copy_in(m, b, times, sizeof b);
        if (r)
            return r;
        for (int i = 0; i < 2; i++) {
            int64_t sec = (int64_t)rv_load_le(b + 16 * i, 8);
            int64_t ns = (int64_t)rv_load_le(b + 16 * i + 8, 8);
            if (ns != G_UTIME_NOW && ns != G_UTIME_OMIT && (ns < 0 || ns > 999999999))
                return -EINVAL;
            ts[i].tv_sec = (time_t)sec;
            ts[i].tv_nsec = ns == G_UTIME_NOW ? UTIME_NOW : ns == G_UTIME_OMIT ? UTIME_OMIT : ns;
        }
    } else {
        ts[0].tv_sec = ts[1].tv_sec = 0;
        ts[0].tv_nsec = ts[1].tv_nsec = UTIME_NOW;
    }
    if (flags & ~(uint64_t)(G_AT_SYMLINK_NOFOLLOW | G_AT_EMPTY_PATH))
        return -EINVAL;
    if (path_addr == 0 && dirfd != G_AT_FDCWD && flags)
        return -EINVAL;
    meta_target t;
    int r = meta_at(m, dirfd, path_addr, flags, !(flags & G_AT_SYMLINK_NOFOLLOW), true, &t);
    if (r == 0 && t.fd >= 0) {
        if (!t.writable) {
            r = -EROFS;
        } else {
            /* "Now" is the guest's clock unless the machine runs on real time. */
            uint64_t now = rv_os_realtime_ns(m);
            for (int i = 0; i < 2 && !RV_OS(m)->real_time; i++) {
                if (ts[i].tv_nsec == UTIME_NOW) {
                    ts[i].tv_sec = (time_t)(now / 1000000000ull);
                    ts[i].tv_nsec = (long)(now % 1000000000ull);
                }
            }
            if (utimensat(t.fd, "", ts, AT_EMPTY_PATH | (t.is_link ? AT_SYMLINK_NOFOLLOW : 0)) != 0) {
                r = -errno;
                if (r == -EINVAL || r == -ENOSYS) {
                    char p[64];
                    snprintf(p, sizeof p, "/proc/self/fd/%d", t.fd);
                    r = utimensat(AT_FDCWD, p, ts, 0) == 0 ? 0 : -errno;
                }
            }
        }
    }
    meta_close(&t);
    return r;
}

/* Descriptions of a file or directory whose last name just went have no name. */
static void mark_unlinked(rvvm_machine *m, uint32_t grant, const char *rel)
{
    for (uint32_t fd = 0; fd < RV_OS(m)->fd_cap; fd++) {
        rv_file *f = RV_OS(m)->fds[fd].file;
        struct stat st;
        if (f && (f->kind == RV_FILE_REGULAR || f->kind == RV_FILE_DIR) && !f->ghost &&
            f->host_fd >= 0 && f->grant == grant &&
            strcmp(f->path, rel) == 0 && fstat(f->host_fd, &st) == 0 && st.st_nlink == 0)
            f->ghost = true;
    }
}

/* "a" with b's prefix replaced: rel equals from or lies below it. */
static bool moved_path(const char *rel, const char *from, const char *to, char *out, size_t size)
{
    size_t n = strlen(from);
    if (strncmp(rel, from, n) != 0 || (rel[n] != '\0' && rel[n] != '/') || n == 0)
        return false;
    int w = snprintf(out, size, "%s%s", to, rel + n);
    return w >= 0 && (size_t)w < size;
}

/*
 * After a rename in a grant, open descriptions (and the working directory)
 * follow their files to the new names; with exchange, both ways.
 */
static void follow_rename(rvvm_machine *m, uint32_t grant, const char *from, const char *to,
                          bool exchange)
{
    rv_os *os = RV_OS(m);
    rv_file *done[RV_OS_MAX_FDS];
    size_t ndone = 0;
    char np[RV_OS_PATH_MAX];
    for (uint32_t fd = 0; fd < os->fd_cap; fd++) {
        rv_file *f = os->fds[fd].file;
        if (!f || f->grant != grant || f->ghost ||
            (f->kind != RV_FILE_REGULAR && f->kind != RV_FILE_DIR && f->kind != RV_FILE_PATH))
            continue;
        bool seen = false;
        for (size_t i = 0; i < ndone && !seen; i++)
            seen = done[i] == f;
        if (seen)
            continue;
        done[ndone++] = f;
        if (!moved_path(f->path, from, to, np, sizeof np) &&
            !(exchange && moved_path(f->path, to, from, np, sizeof np)))
            continue;
        char *c = strdup(np);
        if (c) {
            free(f->path);
            f->path = c;
        }
    }
    /* The working directory, a guest path. */
    const char *gg = os->grants[grant].guest;
    char fa[RV_OS_PATH_MAX * 2], ta[RV_OS_PATH_MAX * 2];
    if (strcmp(gg, "/") == 0) {
        snprintf(fa, sizeof fa, "/%s", from);
        snprintf(ta, sizeof ta, "/%s", to);
    } else {
        snprintf(fa, sizeof fa, "%s/%s", gg, from);
        snprintf(ta, sizeof ta, "%s/%s", gg, to);
    }
    if (moved_path(os->cwd, fa, ta, np, sizeof np) ||
        (exchange && moved_path(os->cwd, ta, fa, np, sizeof np))) {
        char *c = strdup(np);
        if (c) {
            free(os->cwd);
            os->cwd = c;
        }
    }
}

/* The full relative path of the name parent_of split off. */
static void joined(const rv_resolved *res, const char *name, char *out)
{
    /* Never longer than the path parent_of split (one NUL became the slash again). */
    size_t pl = name == res->rel ? 0 : strlen(res->rel), nl = strlen(name);
    if (pl + 1 + nl >= RV_OS_PATH_MAX) {
        out[0] = '\0';
        return;
    }
    if (pl) {
        memcpy(out, res->rel, pl);
        out[pl++] = '/';
    }
    memcpy(out + pl, name, nl + 1);
}

static int64_t sys_symlinkat(rvvm_machine *m, uint64_t target_addr, int64_t dirfd,
                             uint64_t path_addr)
{
    char target[RV_OS_PATH_MAX];
    int r = rv_os_read_path(m, target_addr, target);
    if (r)
        return r;
    if (!target[0])
        return -ENOENT;
    rv_resolved res;
    const char *name;
    int pfd;
    r = parent_of(m, dirfd, path_addr, &res, &pfd, &name);
    if (r == -EROFS && res.dev != RV_DEV_NONE && res.dev != RV_DEV_MISSING)
        return -EEXIST;
    if (r)
        return r == -EBUSY ? -EEXIST : r;
    /* The target is stored as given; it is checked whenever the link is followed. */
    r = name_room_at(m, pfd, name);
    if (r == 0)
        r = symlinkat(target, pfd, name) == 0 ? 0 : -errno;
    if (r == 0)
        rv_os_write_charge(m, RVVM_WRITE_NAME_COST);
    close(pfd);
    return r;
}

static int64_t sys_linkat(rvvm_machine *m, int64_t olddir, uint64_t oldpath, int64_t newdir,
                          uint64_t newpath, uint64_t flags)
{
    if (flags & ~(uint64_t)(G_AT_SYMLINK_FOLLOW | G_AT_EMPTY_PATH))
        return -EINVAL;
    char path[RV_OS_PATH_MAX];
    int r = rv_os_read_path(m, oldpath, path);
    if (r)
        return r;
    rv_file *src = NULL;
    int sfd = -1;
    bool own = false;
    uint32_t sgrant;
    if (path[0] == '\0' && (flags & G_AT_EMPTY_PATH) && olddir != G_AT_FDCWD) {
        src = rv_os_file(m, (uint64_t)olddir);
        if (!src)
            return -EBADF;
        if (src->kind == RV_FILE_DIR || src->kind == RV_FILE_DEVDIR)
            return -EPERM;
        if (src->kind != RV_FILE_REGULAR && src->kind != RV_FILE_PATH)
            return -EXDEV;
        if (src->ghost && !src->linkable)
            return -ENOENT; /* Linux: an unlinked file cannot get a name again */
        sfd = src->host_fd;
        sgrant = src->grant;
    } else {
        if (path[0] == '\0' && !(flags & G_AT_EMPTY_PATH))
            return -ENOENT;
        rv_resolved a;
        r = rv_resolve(m, olddir, path[0] ? path : ".", &a);
        if (r)
            return r;
        if (a.dev != RV_DEV_NONE)
            return a.dev == RV_DEV_DIR ? -EPERM : -EXDEV;
        const rv_grant *g = &RV_OS(m)->grants[a.grant];
        sfd = rv_beneath_open(g->dirfd, a.rel, O_PATH | (a.must_be_dir ? O_DIRECTORY : 0), 0,
                              (flags & G_AT_SYMLINK_FOLLOW) != 0, false);
        if (sfd < 0)
            return sfd;
        own = true;
        sgrant = a.grant;
    }
    rv_resolved b;
    const char *name;
    int pfd;
    r = parent_of(m, newdir, newpath, &b, &pfd, &name);
    if (r == -EROFS && b.dev != RV_DEV_NONE && b.dev != RV_DEV_MISSING)
        r = -EEXIST;
    else if (r == -EBUSY)
        r = -EEXIST;
    if (r == 0) {
        if (b.grant != sgrant) {
            r = -EXDEV;
        } else if ((r = name_room_at(m, pfd, name)) != 0) {
            /* no room for another name */
        } else if (linkat(sfd, "", pfd, name, AT_EMPTY_PATH) != 0) {
            r = -errno;
            if (r == -ENOENT || r == -EPERM || r == -EINVAL) {
                /* Older kernels want CAP_DAC_READ_SEARCH for AT_EMPTY_PATH. */
                char p[64];
                snprintf(p, sizeof p, "/proc/self/fd/%d", sfd);
                r = linkat(AT_FDCWD, p, pfd, name, AT_SYMLINK_FOLLOW) == 0 ? 0 : -errno;
            }
        }
        if (r == 0)
            rv_os_write_charge(m, RVVM_WRITE_NAME_COST);
        if (r == 0 && src && src->kind == RV_FILE_REGULAR && src->ghost) {
            /* An unnamed file (O_TMPFILE) got a name: snapshots find it there now. */
            char full[RV_OS_PATH_MAX];
            joined(&b, name, full);
            char *c = strdup(full);
            if (c) {
                free(src->path);
                src->path = c;
                src->ghost = false;
                src->linkable = false;
            }
        }
        close(pfd);
    }
    if (own)
        close(sfd);
    return r;
}

static int64_t sys_mkdirat(rvvm_machine *m, int64_t dirfd, uint64_t path_addr, uint64_t mode)
{
    rv_resolved res;
    const char *name;
    int pfd;
    int r = parent_of(m, dirfd, path_addr, &res, &pfd, &name);
    if (r == -EROFS && res.dev != RV_DEV_NONE && res.dev != RV_DEV_MISSING)
        return -EEXIST;
    if (r)
        return r == -EBUSY ? -EEXIST : r;
    uint32_t dmode = (uint32_t)mode & 01777 & ~RV_OS(m)->umask;
    r = name_room_at(m, pfd, name);
    if (r == 0)
        r = mkdirat(pfd, name, (mode_t)dmode) == 0 ? 0 : -errno;
    if (r == 0) {
        rv_os_write_charge(m, RVVM_WRITE_NAME_COST);
        /* The mode exactly, whatever the host's umask. */
        int d = openat(pfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (d >= 0) {
            set_created_mode(d, dmode);
            close(d);
        }
    }
    close(pfd);
    return r;
}

static int64_t sys_unlinkat(rvvm_machine *m, int64_t dirfd, uint64_t path_addr, uint64_t flags)
{
    if (flags & ~(uint64_t)G_AT_REMOVEDIR)
        return -EINVAL;
    rv_resolved res;
    const char *name;
    int pfd;
    int r = parent_of(m, dirfd, path_addr, &res, &pfd, &name);
    if (r)
        return r;
    r = unlinkat(pfd, name, (flags & G_AT_REMOVEDIR) ? AT_REMOVEDIR : 0) == 0 ? 0 : -errno;
    close(pfd);
    if (r == 0) {
        char full[RV_OS_PATH_MAX];
        joined(&res, name, full);
        mark_unlinked(m, res.grant, full);
    }
    return r;
}

static int64_t sys_renameat2(rvvm_machine *m, int64_t olddir, uint64_t oldpath, int64_t newdir,
                             uint64_t newpath, uint64_t flags)
{
    /* RENAME_NOREPLACE 1, RENAME_EXCHANGE 2; RENAME_WHITEOUT (4) is not offered. */
    if ((flags & ~3ull) || flags == 3)
        return -EINVAL;
    rv_resolved a, b;
    const char *an, *bn;
    int afd, bfd;
    int r = parent_of(m, olddir, oldpath, &a, &afd, &an);
    if (r)
        return r;
    r = parent_of(m, newdir, newpath, &b, &bfd, &bn);
    if (r) {
        close(afd);
        return r;
    }
    if (a.grant != b.grant) {
        r = -EXDEV;
    } else if (flags) {
        r = syscall(SYS_renameat2, afd, an, bfd, bn, (unsigned)flags) == 0 ? 0 : -errno;
    } else {
        r = renameat(afd, an, bfd, bn) == 0 ? 0 : -errno;
    }
    close(afd);
    close(bfd);
    if (r == 0) {
        char from[RV_OS_PATH_MAX], to[RV_OS_PATH_MAX];
        joined(&a, an, from);
        joined(&b, bn, to);
        if (strcmp(from, to) != 0) {
            if (!(flags & 2))
                mark_unlinked(m, b.grant, to); /* a file the rename replaced */
            follow_rename(m, a.grant, from, to, (flags & 2) != 0);
        }
    }
    return r;
}


static int64_t sys_ftruncate(rvvm_machine *m, uint64_t fd, uint64_t len)
{
    rv_file *f = rv_os_file(m, fd);
    if (!f)
        return -EBADF;
    if (f->kind != RV_FILE_REGULAR || (f->flags & G_O_ACCMODE) == G_O_RDONLY)
        return -EINVAL;
    if ((int64_t)len < 0)
        return -EINVAL;
    /* Growth counts against the write bound, whole or not at all. */
    int64_t size = rv_os_file_size(f);
    if (size < 0)
        return size;
    uint64_t grow = len > (uint64_t)size ? len - (uint64_t)size : 0;
    if (grow && rv_os_write_room(m, grow) < grow)
        return -EDQUOT;
    if (ftruncate(f->host_fd, (off_t)len) != 0)
        return -errno;
    rv_os_write_charge(m, grow);
    return 0;
}

/*
 * Sockets are not offered: the guest sees a kernel with networking but no
 * address family, so socket() and socketpair() fail with EAFNOSUPPORT, and
 * the calls on sockets find none (EBADF or ENOTSOCK, as Linux says for
 * descriptors that are not sockets).
 */
static bool socket_call(uint64_t nr)
{
    return (nr >= 198 && nr <= 212) || nr == 242 || nr == 243 || nr == 269;
}

int64_t rv_fs_syscall(rvvm_machine *m, uint64_t nr, const uint64_t *a, bool *handled)
{
    if (socket_call(nr)) {
        if (nr == 198 || nr == 199) /* socket, socketpair */
            return -EAFNOSUPPORT;
        return rv_os_file(m, a[0]) ? -ENOTSOCK : -EBADF;
    }
    rv_statinfo si;
    int64_t r;
    switch (nr) {
    case RV_NR_openat: return sys_openat(m, (int64_t)a[0], a[1], a[2], a[3]);
    case RV_NR_close: return rv_os_close(m, a[0]);
    case RV_NR_read: return rw_fd(m, a[0], a[1], a[2], false, false, 0);
    case RV_NR_write: return rw_fd(m, a[0], a[1], a[2], true, false, 0);
    case RV_NR_pread64: return rw_fd(m, a[0], a[1], a[2], false, true, a[3]);
    case RV_NR_pwrite64: return rw_fd(m, a[0], a[1], a[2], true, true, a[3]);
    case RV_NR_readv: return rw_iov(m, a[0], a[1], a[2], false, false, 0);
    case RV_NR_writev: return rw_iov(m, a[0], a[1], a[2], true, false, 0);
    case RV_NR_preadv: return rw_iov(m, a[0], a[1], a[2], false, true, a[3]);
    case RV_NR_pwritev: return rw_iov(m, a[0], a[1], a[2], true, true, a[3]);
    case RV_NR_lseek: {
        rv_file *f = rv_os_file(m, a[0]);
        return f ? rv_os_file_lseek(f, (int64_t)a[1], (int)(a[2] > 4 ? 5 : a[2])) : -EBADF;
    }
    case RV_NR_fstat: {
        rv_file *f = rv_os_file(m, a[0]);
        if (!f)
            return -EBADF;
        if ((r = info_of_file(m, f, &si)) != 0)
            return r;
        return put_stat(m, a[1], &si);
    }
    case RV_NR_newfstatat:
        r = stat_at(m, (int64_t)a[0], a[1], a[3],
                    G_AT_SYMLINK_NOFOLLOW | G_AT_NO_AUTOMOUNT | G_AT_EMPTY_PATH, &si);
        return r ? r : put_stat(m, a[2], &si);
    case RV_NR_statx:
        r = stat_at(m, (int64_t)a[0], a[1], a[2],
                    G_AT_SYMLINK_NOFOLLOW | G_AT_NO_AUTOMOUNT | G_AT_EMPTY_PATH |
                        G_AT_STATX_SYNC_TYPE,
                    &si);
        return r ? r : put_statx(m, a[4], &si);
    case RV_NR_readlinkat: return sys_readlinkat(m, (int64_t)a[0], a[1], a[2], a[3]);
    case RV_NR_getcwd: return sys_getcwd(m, a[0], a[1]);
    case RV_NR_chdir: return sys_chdir(m, a[0]);
    case RV_NR_fchdir: return sys_fchdir(m, a[0]);
    case RV_NR_ioctl: return rv_os_file(m, a[0]) ? -ENOTTY : -EBADF;
    case RV_NR_fcntl: return sys_fcntl(m, a[0], a[1], a[2]);
    case RV_NR_dup: {
        rv_file *f = rv_os_file(m, a[0]);
        if (!f)
            return -EBADF;
        int fd = rv_os_install(m, f, false, 0);
        if (fd >= 0)
            f->refs++;
        return fd;
    }
    case RV_NR_dup3: return sys_dup3(m, a[0], a[1], a[2]);
    case RV_NR_getdents64: return sys_getdents64(m, a[0], a[1], a[2]);
    case RV_NR_faccessat: return sys_faccessat(m, (int64_t)a[0], a[1], a[2], 0);
    case RV_NR_faccessat2: return sys_faccessat(m, (int64_t)a[0], a[1], a[2], a[3]);
    case RV_NR_mkdirat: return sys_mkdirat(m, (int64_t)a[0], a[1], a[2]);
    case RV_NR_unlinkat: return sys_unlinkat(m, (int64_t)a[0], a[1], a[2]);
    case RV_NR_renameat: return sys_renameat2(m, (int64_t)a[0], a[1], (int64_t)a[2], a[3], 0);
    case RV_NR_renameat2: return sys_renameat2(m, (int64_t)a[0], a[1], (int64_t)a[2], a[3], a[4]);
    case RV_NR_ftruncate: return sys_ftruncate(m, a[0], a[1]);
    case RV_NR_fsync:
    case RV_NR_fdatasync: {
        rv_file *f = rv_os_file(m, a[0]);
        if (!f)
            return -EBADF;
        return f->kind == RV_FILE_REGULAR || f->kind == RV_FILE_DIR ? 0 : -EINVAL;
    }
    case RV_NR_sync: return 0;
    case RV_NR_fchmod: return sys_chmod(m, (int64_t)a[0], 0, a[1], 0, false);
    case RV_NR_fchmodat: return sys_chmod(m, (int64_t)a[0], a[1], a[2], 0, true);
    case RV_NR_fchmodat2: return sys_chmod(m, (int64_t)a[0], a[1], a[2], a[3], true);
    case RV_NR_fchown: return sys_chown(m, (int64_t)a[0], 0, a[1], a[2], 0, false);
    case RV_NR_fchownat: return sys_chown(m, (int64_t)a[0], a[1], a[2], a[3], a[4], true);
    case RV_NR_utimensat: return sys_utimensat(m, (int64_t)a[0], a[1], a[2], a[3]);
    case RV_NR_symlinkat: return sys_symlinkat(m, a[0], (int64_t)a[1], a[2]);
    case RV_NR_linkat: return sys_linkat(m, (int64_t)a[0], a[1], (int64_t)a[2], a[3], a[4]);
    case RV_NR_umask: {
        uint32_t old = RV_OS(m)->umask;
        RV_OS(m)->umask = (uint32_t)a[0] & 0777;
        return old;
    }
    case RV_NR_openat2: case RV_NR_sendfile:
        return -ENOSYS;
    default:
        *handled = false;
        return -ENOSYS;
    }
}
