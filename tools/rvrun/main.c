/* rvrun: run a RISC-V program under rvvm. Argument parsing and printing only. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gdb.h"
#include "inspect.h"
#include "periodic.h"
#include "profile.h"
#include "rvvm/guest.h"
#include "trace.h"
#include "rvvm/rvvm.h"
#include "rvvm/snapshot.h"

enum {
    EXIT_CYCLE_LIMIT = 124,
    EXIT_RVRUN_ERROR = 125,
    EXIT_CHECKPOINTED = 85, /* HTCondor's convention for "checkpointed, requeue me" */
};

/* Cycles between looks at the checkpoint signal: a few milliseconds of guest time. */
#define SIGNAL_SLICE 4000000ull

#define MAX_ENV 1024
#define MAX_DIRS 64

typedef struct options {
    uint64_t max_cycles;
    bool have_max_cycles;
    const char *report_path;
    const char *snapshot_path;
    const char *resume_path;
    const char *program_path;
    const char *inspect_path;
    const char *snapshot_parent; /* --snapshot-parent: write a diff against it */
    const char *merge_out;       /* --snapshot-merge OUT FILE */
    bool json;
    const char *trace_path; /* --trace */
    FILE *trace_file;
    uint64_t trace_from;
    bool have_trace_from;
    bool compress;
    bool config_given; /* an option that a snapshot's own configuration overrides */
    const char *env[MAX_ENV + 1];
    size_t envc;
    const char *dirs[MAX_DIRS]; /* --dir arguments, HOST[:GUEST][:rw] */
    size_t ndirs;
    bool real_time;
    const char *sysroot;   /* --sysroot, else RVVM_SYSROOT: for dynamically linked programs */
    bool trace_syscalls;
    uint64_t thread_slice; /* 0: the default */
    uint64_t max_write_bytes; /* --max-write-bytes */
    bool have_max_write_bytes;
    const char *request_pattern; /* --snapshot-on-request */
    bool exit_on_request;
    int checkpoint_signal;       /* 0: none */
    int checkpoint_exit_code;
    const char *resume_or_start;
    uint64_t checkpoint_every; /* --checkpoint-every; 0: none */
    unsigned keep;             /* --keep */
    const char *failure_dir;   /* --failure-dir */
    const char *checkpoint_dir; /* --checkpoint-dir */
    rvrun_periodic *periodic;
    long gdb_port;              /* --gdb: -1 none */
    const char *profile_path;   /* --profile */
    rvvm_config config;
} options;

/* The bytes of the program file, keying --jit-cache's file (NULL if unreadable: an empty key). */
static char *read_key_file(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t n = 0, cap = 0;
    *size = 0;
    if (!f)
        return NULL;
    for (;;) {
        if (n == cap) {
            char *grown = cap < ((size_t)1 << 30) ? realloc(buf, cap ? 2 * cap : 65536) : NULL;
            if (!grown) {
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = grown;
            cap = cap ? 2 * cap : 65536;
        }
        size_t r = fread(buf + n, 1, cap - n, f);
        n += r;
        if (r == 0)
            break;
    }
    fclose(f);
    *size = n;
    return buf;
}

static void usage(FILE *out)
{
    fprintf(out,
            "usage: rvrun [options] prog.elf [args...]\n"
            "\n"
            "Runs a static RV64 Linux program under the rvvm interpreter, metered in cycles.\n"
            "\n"
            "options:\n"
            "  --max-cycles N        stop before the instruction that would exceed N cycles\n"
            "                        (exit status 124)\n"
            "  --memory SIZE         guest memory, e.g. 64M, 1G (default 256M; K, M, G suffixes)\n"
            "  --cost-model NAME|FILE\n"
            "                        'unit' (default: 1 per instruction), 'weighted', or a cost\n"
            "                        file of 'class = cycles' lines (see docs/metering.md)\n"
            "  --isa STRING          restrict the instruction set, e.g. rv64imac_zicsr_zifencei\n"
            "  --strict              unknown system calls fault (exit 159) instead of -ENOSYS\n"
            "  --env NAME=VALUE      add a guest environment variable (repeatable; default none)\n"
            "  --seed N              seed for the AT_RANDOM bytes and getrandom (default 0)\n"
            "  --engine interp|jit|auto\n"
            "                        run guest code interpreted, or translate hot runs to host\n"
            "                        code (docs/jit.md); auto (default): jit where this build\n"
            "                        has it, else interp, and interp with --trace, --gdb and\n"
            "                        --profile. Same cycles, stops, output, snapshots\n"
            "  --jit-threshold N     with --engine jit: executions before a run is queued for\n"
            "                        translation (default: rvvm_config_init's; 1: at once)\n"
            "  --jit-sync            with --engine jit: wait for each translation instead of\n"
            "                        interpreting meanwhile (for tests; same results)\n"
            "  --jit-stats           with --engine jit: print the runs translated to stderr\n"
            "  --jit-cache DIR       with the tier (jit, or auto where it uses it): keep\n"
            "                        translated code in DIR (an existing\n"
            "                        directory) for the next run of the same program, which\n"
            "                        then compiles nothing it finds there (docs/jit.md); a\n"
            "                        stale or damaged file there is ignored and rewritten\n"
            "                        (also RVVM_JIT_CACHE=DIR, used with --engine jit only)\n"
            "  --sysroot DIR         run dynamically linked programs: the interpreter and\n"
            "                        libraries come from DIR, read-only (like qemu's -L; also\n"
            "                        RVVM_SYSROOT); give it again with --resume\n"
            "  --dir HOST[:GUEST][:rw]\n"
            "                        let the guest use host directory HOST, seen at GUEST\n"
            "                        (default: HOST's path made absolute, e.g. data -> /data;\n"
            "                        the guest starts in /); read-only unless ':rw'. The guest\n"
            "                        has no other files and cannot leave granted directories.\n"
            "                        Repeatable. With --resume, only these are granted: each\n"
            "                        directory the snapshot used must be given again at its\n"
            "                        guest path (see --inspect), and decides the access\n"
            "  --real-time           guest clocks and file times from the host, sleeps wait\n"
            "                        (default: 1 cycle = 1 ns from 2024-01-01T00:00:00Z)\n"
            "  --max-write-bytes N   the guest may write at most N bytes (K, M, G suffixes, or\n"
            "                        'none') to files in granted directories, each new name\n"
            "                        counting 4096; past it writes fail with EDQUOT\n"
            "                        (default 1G; the count so far is kept in snapshots, the\n"
            "                        bound is given again with --resume)\n"
            "  --thread-slice N      guest threads take turns every N cycles (default 100000;\n"
            "                        see docs/threads.md); also allowed with --resume\n"
            "  --trace-syscalls      log every system call on stderr (also when the\n"
            "                        environment variable RVVM_TRACE_SYSCALLS is set, not 0)\n"
            "  --report FILE         write a JSON report: status, exit_code, cycles,\n"
            "                        instructions, pc, fault, state_digest\n"
            "  --trace FILE          write one line per instruction: cycle, pc, encoding,\n"
            "                        disassembly, register written, memory accessed\n"
            "                        (docs/tracing.md); also with --resume\n"
            "  --trace-from CYCLE    with --trace: run fast up to CYCLE, then trace\n"
            "  --snapshot FILE       when the cycle budget runs out, save the state to FILE\n"
            "                        (atomically; nothing is written if the program ends)\n"
            "  --snapshot-compress   zstd-compress the page data of saved snapshots\n"
            "  --snapshot-parent BASE\n"
            "                        with --snapshot: write only what changed since BASE, the\n"
            "                        snapshot this run resumed from (same directory); resuming\n"
            "                        the diff follows the chain back to a full snapshot\n"
            "  --snapshot-merge OUT FILE\n"
            "                        fold the chain ending at FILE into one full snapshot OUT\n"
            "  --resume FILE         continue from a snapshot instead of loading a program (an\n"
            "                        untrusted input: it grants nothing, see --dir);\n"
            "                        --max-cycles then counts cycles from the resume point\n"
            "  --program PATH        with --resume: the program moved to PATH (hash-checked)\n"
            "  --resume-or-start FILE\n"
            "                        resume from FILE if it exists, else start the program;\n"
            "                        snapshots go to FILE unless --snapshot says otherwise\n"
            "  --snapshot-on-request PATTERN\n"
            "                        when the guest asks (rvvm_guest_checkpoint in\n"
            "                        rvvm/guest.h), save a snapshot to PATTERN just after the\n"
            "                        request and continue; %%n = sequence number, %%t = tag\n"
            "  --exit-on-request     with --snapshot-on-request: exit 124 after saving\n"
            "  --checkpoint-signal SIG\n"
            "                        on signal SIG (TERM, USR1, ...), stop at the next\n"
            "                        instruction boundary, save --snapshot and exit with the\n"
            "                        checkpoint exit code\n"
            "  --checkpoint-exit-code N\n"
            "                        exit status after a signal checkpoint (default 85)\n"
            "  --checkpoint-every CYCLES\n"
            "                        keep in-memory checkpoints every CYCLES cycles (each\n"
            "                        costs only the pages written since the one before)\n"
            "  --keep K              with --checkpoint-every: keep the last K (default 2)\n"
            "  --failure-dir DIR     with --checkpoint-every: on a guest fault, a non-zero\n"
            "                        exit or SIGINT, write the oldest kept checkpoint\n"
            "                        (DIR/checkpoint.snap), a --trace of the replayed window\n"
            "                        up to the failure (DIR/trace.txt), the guest's stdin\n"
            "                        since the checkpoint (DIR/stdin) and DIR/failure.json\n"
            "                        (docs/checkpoints.md)\n"
            "  --checkpoint-dir DIR  with --checkpoint-every: also write each checkpoint to\n"
            "                        DIR as a snapshot chain (ckpt-000000.snap full, then\n"
            "                        diffs holding only what changed); resume the last one\n"
            "  --gdb PORT            serve a GDB remote session on 127.0.0.1:PORT (0: any free\n"
            "                        port, printed on stderr) before running; with reverse\n"
            "                        execution (docs/debugging.md); also with --resume\n"
            "  --profile FILE        write cycles by function as folded stacks to FILE and a\n"
            "                        flat summary to FILE.txt (docs/debugging.md)\n"
            "  --inspect FILE        verify a snapshot and print a summary: what resuming needs\n"
            "                        (program and SHA-256, --dir guest paths and access, open\n"
            "                        files, parent of a diff), registers, mappings, pages\n"
            "  --json                with --inspect: print the summary as JSON\n"
            "  --version             print the version and exit\n"
            "  --help                print this help and exit\n"
            "\n"
            "exit status: the guest's own; 124 at the cycle limit; 125 for rvrun errors\n"
            "(usage, unreadable or invalid input); 128+signal for guest faults (132 illegal\n"
            "instruction, 133 ebreak, 135 misaligned fetch or atomic, 139 access fault).\n"
            "\n"
            "examples:\n"
            "  rvrun --max-cycles 1000000 --report run.json hello.elf world\n"
            "  rvrun --max-cycles 5000 --snapshot a.snap prog.elf   # exits 124 at the budget\n"
            "  rvrun --inspect a.snap\n"
            "  rvrun --resume a.snap --max-cycles 5000 --snapshot b.snap\n");
}

static int die(const char *fmt, const char *arg)
{
    fprintf(stderr, "rvrun: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n");
    return EXIT_RVRUN_ERROR;
}

static bool parse_u64(const char *s, uint64_t *out)
{
    if (!s || !*s || *s == '-' || *s == '+')
        return false;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 0);
    if (errno || *end)
        return false;
    *out = v;
    return true;
}

static bool parse_size(const char *s, uint64_t *out)
{
    if (!s || !*s || *s == '-' || *s == '+')
        return false;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || end == s)
        return false;
    unsigned shift = 0;
    if (*end == 'K' || *end == 'k') shift = 10, end++;
    else if (*end == 'M' || *end == 'm') shift = 20, end++;
    else if (*end == 'G' || *end == 'g') shift = 30, end++;
    if (*end == 'i' && shift) end++;
    if (*end == 'B' && shift) end++;
    if (*end || v > (UINT64_MAX >> shift))
        return false;
    *out = (uint64_t)v << shift;
    return true;
}

static int load_cost_model(const char *arg, rvvm_cost_model *out)
{
    if (rvvm_cost_model_builtin(arg, out) == RVVM_OK)
        return 0;
    FILE *f = fopen(arg, "rb");
    if (!f)
        return die("cannot open cost model '%s': not a built-in model (unit, weighted) "
                   "and not a readable file", arg);
    char text[65536];
    size_t n = fread(text, 1, sizeof text, f);
    bool too_big = n == sizeof text;
    fclose(f);
    if (too_big)
        return die("cost model file '%s' is too large", arg);
    char err[200];
    if (rvvm_cost_model_parse(text, n, out, err, sizeof err) != RVVM_OK) {
        fprintf(stderr, "rvrun: cost model '%s': %s\n", arg, err);
        return EXIT_RVRUN_ERROR;
    }
    return 0;
}

/* --dir HOST[:GUEST][:rw] and --real-time, applied to a loaded or resumed machine. */
static void trace_to_stderr(void *user, const char *line)
{
    (void)user;
    fprintf(stderr, "[rvvm] %s\n", line);
}

/* Splits --dir HOST[:GUEST][:rw|:ro] in place (spec is a copy). */
static int parse_dir(const char *arg, char *spec, size_t size, const char **host,
                     const char **guest, bool *writable)
{
    if (snprintf(spec, size, "%s", arg) >= (int)size)
        return die("--dir argument too long: '%s'", arg);
    *writable = false;
    char *colon = strrchr(spec, ':');
    if (colon && (!strcmp(colon, ":rw") || !strcmp(colon, ":ro"))) {
        *writable = strcmp(colon, ":rw") == 0;
        *colon = '\0';
        colon = strrchr(spec, ':');
    }
    *guest = NULL;
    if (colon && colon[1] == '/') {
        *colon = '\0';
        *guest = colon + 1;
    }
    if (!spec[0])
        return die("--dir needs a host directory: '%s'", arg);
    *host = spec;
    return 0;
}

static int grant_dirs(rvvm_machine *m, const options *o, bool resumed)
{
    /* On resume the grants were given to rvvm_resume_from_file. */
    for (size_t i = 0; i < o->ndirs && !resumed; i++) {
        char spec[4096];
        const char *host = NULL, *guest = NULL;
        bool writable = false;
        int rc = parse_dir(o->dirs[i], spec, sizeof spec, &host, &guest, &writable);
        if (rc)
            return rc;
        if (rvvm_grant_dir(m, host, guest, writable) != RVVM_OK) {
            fprintf(stderr, "rvrun: --dir %s: %s\n", o->dirs[i], rvvm_last_error(m));
            return EXIT_RVRUN_ERROR;
        }
    }
    if (o->real_time)
        rvvm_set_real_time(m, true);
    if (o->have_max_write_bytes && rvvm_set_max_write_bytes(m, o->max_write_bytes) != RVVM_OK)
        return die("--max-write-bytes: %s", rvvm_last_error(m));
    if (o->thread_slice && rvvm_set_thread_slice(m, o->thread_slice) != RVVM_OK)
        return die("--thread-slice: %s", rvvm_last_error(m));
    const char *env_trace = getenv("RVVM_TRACE_SYSCALLS");
    if (o->trace_syscalls || (env_trace && *env_trace && strcmp(env_trace, "0") != 0))
        rvvm_set_trace(m, trace_to_stderr, NULL);
    return 0;
}

/*
 * Resumes from a snapshot (following a diff's chain): only the directories
 * given with --dir are granted, at the guest paths the snapshot recorded.
 */
static int resume_machine(const options *o, rvvm_machine **m)
{
    static char specs[MAX_DIRS][4096];
    rvvm_resume_grant grants[MAX_DIRS];
    for (size_t i = 0; i < o->ndirs; i++) {
        int rc = parse_dir(o->dirs[i], specs[i], sizeof specs[i], &grants[i].host,
                           &grants[i].guest, &grants[i].writable);
        if (rc)
            return rc;
    }
    rvvm_resume_options ro;
    rvvm_resume_options_init(&ro);
    ro.program_path = o->program_path;
    ro.grants = grants;
    ro.grant_count = o->ndirs;
    ro.sysroot = o->sysroot;
    char err[600];
    if (rvvm_resume_from_file(o->resume_path, &ro, m, err, sizeof err) != RVVM_OK) {
        fprintf(stderr, "rvrun: %s\n", err);
        return EXIT_RVRUN_ERROR;
    }
    return 0;
}

static const char *status_name(rvvm_stop_reason r)
{
    switch (r) {
    case RVVM_STOP_EXITED: return "exited";
    case RVVM_STOP_CYCLE_LIMIT: return "cycle_limit";
    case RVVM_STOP_FAULT: return "fault";
    case RVVM_STOP_HOST: return "host_stop";
    case RVVM_STOP_RETURNED: return "returned";
    }
    return "error";
}

static int write_report(const char *path, rvvm_machine *m, const rvvm_run_result *res,
                        int exit_status)
{
    uint8_t digest[32];
    if (rvvm_state_digest(m, digest) != RVVM_OK)
        return die("cannot compute the state digest%s", "");
    FILE *f = fopen(path, "w");
    if (!f)
        return die("cannot write report '%s'", path);
    fprintf(f, "{\n  \"status\": \"%s\",\n", status_name(res->reason));
    if (res->reason == RVVM_STOP_EXITED)
        fprintf(f, "  \"exit_code\": %d,\n", res->exit_code);
    else
        fprintf(f, "  \"exit_code\": %d,\n", exit_status);
    fprintf(f, "  \"cycles\": %" PRIu64 ",\n", rvvm_cycles(m));
    fprintf(f, "  \"instructions\": %" PRIu64 ",\n", rvvm_instructions(m));
    fprintf(f, "  \"pc\": \"0x%016" PRIx64 "\",\n", rvvm_pc(m));
    if (res->reason == RVVM_STOP_FAULT) {
        fprintf(f,
                "  \"fault\": {\"cause\": \"%s\", \"pc\": \"0x%016" PRIx64
                "\", \"address\": \"0x%016" PRIx64 "\", \"encoding\": \"0x%08" PRIx32 "\"},\n",
                rvvm_fault_kind_string(res->fault.kind), res->fault.pc, res->fault.address,
                res->fault.encoding);
    }
    fprintf(f, "  \"state_digest\": \"");
    for (int i = 0; i < 32; i++)
        fprintf(f, "%02x", digest[i]);
    fprintf(f, "\"\n}\n");
    if (fclose(f) != 0)
        return die("cannot write report '%s'", path);
    return 0;
}

/* The instruction at pc as objdump shows it, read from guest memory; false if unreadable. */
static bool fault_insn_text(rvvm_machine *m, uint64_t pc, char *text, size_t size)
{
    uint8_t b[4];
    if (rvvm_read_memory(m, pc, b, 2) != RVVM_OK)
        return false;
    uint32_t raw = (uint32_t)b[0] | (uint32_t)b[1] << 8;
    if ((raw & 3) == 3) {
        if (rvvm_read_memory(m, pc + 2, b + 2, 2) != RVVM_OK)
            return false;
        raw |= (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
    }
    rvvm_disassemble(raw, pc, rvvm_get_config(m)->isa, text, size);
    return true;
}

static void print_fault(rvvm_machine *m, const rvvm_fault *f)
{
    char text[96];
    switch (f->kind) {
    case RVVM_FAULT_ILLEGAL_INSTRUCTION: {
        uint32_t raw = f->encoding;
        rvvm_disassemble(raw, f->pc, rvvm_get_config(m)->isa, text, sizeof text);
        fprintf(stderr, "rvrun: illegal instruction 0x%0*" PRIx32 " (%s) at pc 0x%" PRIx64 "\n",
                (raw & 3) == 3 ? 8 : 4, raw, text, f->pc);
        break;
    }
    case RVVM_FAULT_BREAKPOINT:
        fprintf(stderr, "rvrun: breakpoint (ebreak) at pc 0x%" PRIx64 "\n", f->pc);
        break;
    case RVVM_FAULT_BAD_SYSCALL:
        fprintf(stderr, "rvrun: unknown system call %" PRIu64 " at pc 0x%" PRIx64 "\n",
                f->address, f->pc);
        break;
    case RVVM_FAULT_DEADLOCK:
        fprintf(stderr, "rvrun: deadlock: every thread is blocked (thread %" PRIu64
                " at pc 0x%" PRIx64 ")\n", f->address, f->pc);
        break;
    case RVVM_FAULT_FETCH_ACCESS: /* nothing to show at pc */
        fprintf(stderr, "rvrun: %s at address 0x%" PRIx64 " (pc 0x%" PRIx64 ")\n",
                rvvm_fault_kind_string(f->kind), f->address, f->pc);
        break;
    default:
        if (fault_insn_text(m, f->pc, text, sizeof text))
            fprintf(stderr, "rvrun: %s at address 0x%" PRIx64 " (pc 0x%" PRIx64 ": %s)\n",
                    rvvm_fault_kind_string(f->kind), f->address, f->pc, text);
        else
            fprintf(stderr, "rvrun: %s at address 0x%" PRIx64 " (pc 0x%" PRIx64 ")\n",
                    rvvm_fault_kind_string(f->kind), f->address, f->pc);
        break;
    }
}

static volatile sig_atomic_t checkpoint_requested;
static volatile sig_atomic_t interrupted; /* SIGINT with --failure-dir */

static void on_checkpoint_signal(int sig)
{
    (void)sig;
    checkpoint_requested = 1;
}

static void on_interrupt(int sig)
{
    (void)sig;
    interrupted = 1;
}

static int parse_signal(const char *s)
{
    static const struct { const char *name; int sig; } names[] = {
        {"HUP", SIGHUP}, {"INT", SIGINT}, {"QUIT", SIGQUIT}, {"USR1", SIGUSR1},
        {"USR2", SIGUSR2}, {"ALRM", SIGALRM}, {"TERM", SIGTERM}, {"CONT", SIGCONT},
        {"XCPU", SIGXCPU}, {"PWR", SIGPWR},
    };
    if (strncmp(s, "SIG", 3) == 0)
        s += 3;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(s, names[i].name) == 0)
            return names[i].sig;
    uint64_t v;
    if (parse_u64(s, &v) && v >= 1 && v < 32 && v != SIGKILL && v != SIGSTOP)
        return (int)v;
    return 0;
}

/* The guest's checkpoint request: answered 0, then the run stops just after it. */
static rvvm_ecall_action on_guest_request(rvvm_machine *m, void *user, uint64_t *code)
{
    (void)user;
    if (rvvm_reg(m, 17) != RVVM_HOSTCALL_CHECKPOINT)
        return RVVM_ECALL_PASS;
    *code = rvvm_reg(m, 10);
    rvvm_set_reg(m, 10, 0);
    return RVVM_ECALL_STOP;
}

/* PATTERN with %n (sequence number), %t (tag) and %% expanded. */
static bool expand_pattern(const char *pattern, uint64_t n, uint64_t tag, char *out, size_t size)
{
    size_t at = 0;
    for (const char *p = pattern; *p; p++) {
        char piece[32];
        const char *add = piece;
        if (p[0] == '%' && p[1] == 'n')
            snprintf(piece, sizeof piece, "%" PRIu64, n), p++;
        else if (p[0] == '%' && p[1] == 't')
            snprintf(piece, sizeof piece, "%" PRIu64, tag), p++;
        else if (p[0] == '%' && p[1] == '%')
            piece[0] = '%', piece[1] = '\0', p++;
        else
            piece[0] = *p, piece[1] = '\0';
        size_t len = strlen(add);
        if (at + len >= size)
            return false;
        memcpy(out + at, add, len);
        at += len;
    }
    out[at] = '\0';
    return true;
}

static int save_snapshot(rvvm_machine *m, const options *o, const char *path)
{
    uint32_t flags = o->compress ? RVVM_SNAPSHOT_COMPRESS : 0;
    /* --snapshot-parent: the --snapshot file is a diff against it. */
    bool diff = o->snapshot_parent && path == o->snapshot_path;
    if ((diff ? rvvm_snapshot_save_diff_file(m, path, o->snapshot_parent, flags)
              : rvvm_snapshot_save_file(m, path, flags)) != RVVM_OK) {
        fprintf(stderr, "rvrun: %s\n", rvvm_last_error(m));
        return EXIT_RVRUN_ERROR;
    }
    return 0;
}

/*
 * Runs to the end, the budget, a fault or a checkpoint. The budget is spent
 * in slices when a checkpoint signal is watched: a slice boundary is an
 * instruction boundary, and metering makes the slices invisible.
 */
static int run(rvvm_machine *m, const options *o, rvvm_run_result *res)
{
    uint64_t left = o->have_max_cycles ? o->max_cycles : RVVM_NO_LIMIT;
    uint64_t requests = 0;
    bool whole = false; /* the next slice gets the whole budget */
    bool watch = o->checkpoint_signal || o->failure_dir;
    uint64_t next_checkpoint = rvvm_cycles(m) + o->checkpoint_every;
    for (;;) {
        uint64_t slice = left;
        if (watch && !whole && slice > SIGNAL_SLICE)
            slice = SIGNAL_SLICE;
        whole = false;
        bool at_checkpoint = false; /* the slice ends at the next periodic checkpoint */
        if (o->periodic && next_checkpoint - rvvm_cycles(m) <= slice) {
            slice = next_checkpoint - rvvm_cycles(m);
            at_checkpoint = true;
        }
        uint64_t before = rvvm_cycles(m), insns = rvvm_instructions(m);
        rvvm_status st = o->trace_file ? rvrun_trace(m, o->trace_file, o->trace_from, slice, res)
                                       : rvvm_run(m, slice, res);
        if (st != RVVM_OK) {
            fprintf(stderr, "rvrun: %s\n", rvvm_last_error(m));
            return EXIT_RVRUN_ERROR;
        }
        uint64_t spent = rvvm_cycles(m) - before;
        if (left != RVVM_NO_LIMIT)
            left -= spent;
        switch (res->reason) {
        case RVVM_STOP_EXITED:
            return res->exit_code;
        case RVVM_STOP_HOST: {
            char path[4096];
            if (!expand_pattern(o->request_pattern, requests, res->host_code, path, sizeof path))
                return die("--snapshot-on-request: pattern too long: '%s'", o->request_pattern);
            requests++;
            int rc = save_snapshot(m, o, path);
            if (rc)
                return rc;
            if (o->exit_on_request) {
                res->reason = RVVM_STOP_CYCLE_LIMIT;
                return EXIT_CYCLE_LIMIT;
            }
            continue;
        }
        case RVVM_STOP_CYCLE_LIMIT:
            if (checkpoint_requested) {
                int rc = save_snapshot(m, o, o->snapshot_path);
                return rc ? rc : o->checkpoint_exit_code;
            }
            if (interrupted) {
                fprintf(stderr, "rvrun: interrupted at cycle %" PRIu64 "\n", rvvm_cycles(m));
                return 128 + SIGINT;
            }
            if (at_checkpoint) {
                /* Reached, or stopped just before an instruction dearer than
                 * what was left of the interval: checkpoint here. */
                int rc = rvrun_periodic_take(o->periodic);
                if (rc)
                    return rc;
                next_checkpoint = rvvm_cycles(m) + o->checkpoint_every;
                if (slice < left)
                    continue;
            }
            if (slice < left) {
                /* A slice that made no progress stopped before an instruction
                 * dearer than the slice: the next one gets the whole budget. */
                whole = spent == 0 && rvvm_instructions(m) == insns;
                continue;
            }
            if (o->snapshot_path) {
                int rc = save_snapshot(m, o, o->snapshot_path);
                if (rc)
                    return rc;
            }
            return EXIT_CYCLE_LIMIT;
        case RVVM_STOP_RETURNED:
        case RVVM_STOP_FAULT:
            break;
        }
        print_fault(m, &res->fault);
        return 128 + rvvm_fault_signal(res->fault.kind);
    }
}

/* --gdb and --profile (tools/rvrun/gdb.c, profile.c); then as run() would end. */
static int run_debug(rvvm_machine *m, options *o, rvvm_run_result *res, const char *prog)
{
    if (o->checkpoint_every)
        return die("--checkpoint-every goes without --gdb and --profile%s", "");
    if (o->gdb_port >= 0 && (o->trace_path || o->profile_path || o->request_pattern ||
                             o->checkpoint_signal))
        return die("--gdb goes without --trace, --profile, --snapshot-on-request and "
                   "--checkpoint-signal%s", "");
    if (o->profile_path && (o->trace_path || o->request_pattern || o->checkpoint_signal))
        return die("--profile goes without --trace, --snapshot-on-request and "
                   "--checkpoint-signal%s", "");
    uint64_t budget = o->have_max_cycles ? o->max_cycles : RVVM_NO_LIMIT;
    int rc;
    if (o->profile_path) {
        if (rvrun_profile(m, o->profile_path, budget, res) != 0)
            return EXIT_RVRUN_ERROR;
        rc = 0;
    } else {
        char abs[4096];
        const char *exec = prog && realpath(prog, abs) ? abs : prog;
        rc = rvrun_gdb(m, (unsigned)o->gdb_port, exec, budget,
                       o->compress ? RVVM_SNAPSHOT_COMPRESS : 0, res, &budget);
    }
    if (rc < 0)
        return EXIT_RVRUN_ERROR;
    if (rc == 1) {
        memset(res, 0, sizeof *res);
        res->reason = RVVM_STOP_FAULT;
        return 128 + 9; /* killed from the debugger */
    }
    if (rc == 2 || res->reason == RVVM_STOP_CYCLE_LIMIT) {
        /* Detached (runs on with the rest of the budget), or at the budget (run() saves
         * --snapshot and returns 124 at once). */
        o->max_cycles = rc == 2 ? budget : 0;
        o->have_max_cycles = rc != 2 || budget != RVVM_NO_LIMIT;
        return run(m, o, res);
    }
    if (res->reason == RVVM_STOP_EXITED)
        return res->exit_code;
    print_fault(m, &res->fault);
    return 128 + rvvm_fault_signal(res->fault.kind);
}

int main(int argc, char **argv)
{
    enum { OPT_MAX_CYCLES = 256, OPT_MEMORY, OPT_COST, OPT_ISA, OPT_STRICT, OPT_ENV, OPT_SEED,
           OPT_REPORT, OPT_VERSION, OPT_HELP, OPT_SNAPSHOT, OPT_COMPRESS, OPT_RESUME, OPT_PROGRAM,
           OPT_INSPECT, OPT_JSON, OPT_DIR, OPT_REAL_TIME, OPT_TRACE_SYSCALLS, OPT_ON_REQUEST,
           OPT_EXIT_ON_REQUEST, OPT_CKPT_SIGNAL, OPT_CKPT_EXIT, OPT_RESUME_OR_START,
           OPT_TRACE, OPT_TRACE_FROM, OPT_CKPT_EVERY, OPT_KEEP, OPT_FAILURE_DIR, OPT_CKPT_DIR,
           OPT_SNAPSHOT_PARENT, OPT_SNAPSHOT_MERGE, OPT_GDB, OPT_PROFILE, OPT_THREAD_SLICE,
           OPT_MAX_WRITE, OPT_SYSROOT,
           OPT_ENGINE, OPT_JIT_THRESHOLD, OPT_JIT_SYNC, OPT_JIT_STATS, OPT_JIT_CACHE };
    static const struct option longopts[] = {
        {"max-cycles", required_argument, NULL, OPT_MAX_CYCLES},
        {"memory", required_argument, NULL, OPT_MEMORY},
        {"cost-model", required_argument, NULL, OPT_COST},
        {"isa", required_argument, NULL, OPT_ISA},
        {"strict", no_argument, NULL, OPT_STRICT},
        {"env", required_argument, NULL, OPT_ENV},
        {"seed", required_argument, NULL, OPT_SEED},
        {"engine", required_argument, NULL, OPT_ENGINE},
        {"jit-threshold", required_argument, NULL, OPT_JIT_THRESHOLD},
        {"jit-sync", no_argument, NULL, OPT_JIT_SYNC},
        {"jit-stats", no_argument, NULL, OPT_JIT_STATS},
        {"jit-cache", required_argument, NULL, OPT_JIT_CACHE},
        {"dir", required_argument, NULL, OPT_DIR},
        {"sysroot", required_argument, NULL, OPT_SYSROOT},
        {"real-time", no_argument, NULL, OPT_REAL_TIME},
        {"trace-syscalls", no_argument, NULL, OPT_TRACE_SYSCALLS},
        {"thread-slice", required_argument, NULL, OPT_THREAD_SLICE},
        {"max-write-bytes", required_argument, NULL, OPT_MAX_WRITE},
        {"snapshot-on-request", required_argument, NULL, OPT_ON_REQUEST},
        {"exit-on-request", no_argument, NULL, OPT_EXIT_ON_REQUEST},
        {"checkpoint-signal", required_argument, NULL, OPT_CKPT_SIGNAL},
        {"checkpoint-exit-code", required_argument, NULL, OPT_CKPT_EXIT},
        {"resume-or-start", required_argument, NULL, OPT_RESUME_OR_START},
        {"report", required_argument, NULL, OPT_REPORT},
        {"snapshot", required_argument, NULL, OPT_SNAPSHOT},
        {"snapshot-compress", no_argument, NULL, OPT_COMPRESS},
        {"snapshot-parent", required_argument, NULL, OPT_SNAPSHOT_PARENT},
        {"snapshot-merge", required_argument, NULL, OPT_SNAPSHOT_MERGE},
        {"resume", required_argument, NULL, OPT_RESUME},
        {"program", required_argument, NULL, OPT_PROGRAM},
        {"inspect", required_argument, NULL, OPT_INSPECT},
        {"json", no_argument, NULL, OPT_JSON},
        {"version", no_argument, NULL, OPT_VERSION},
        {"help", no_argument, NULL, OPT_HELP},
        {"trace", required_argument, NULL, OPT_TRACE},
        {"trace-from", required_argument, NULL, OPT_TRACE_FROM},
        {"checkpoint-every", required_argument, NULL, OPT_CKPT_EVERY},
        {"keep", required_argument, NULL, OPT_KEEP},
        {"failure-dir", required_argument, NULL, OPT_FAILURE_DIR},
        {"checkpoint-dir", required_argument, NULL, OPT_CKPT_DIR},
        {"gdb", required_argument, NULL, OPT_GDB},
        {"profile", required_argument, NULL, OPT_PROFILE},
        {NULL, 0, NULL, 0},
    };
    options o;
    rvvm_engine engine = RVVM_ENGINE_AUTO; /* --engine */
    rvvm_config defaults;
    rvvm_config_init(&defaults);
    uint32_t jit_threshold = defaults.jit_threshold;
    bool jit_sync = false, jit_stats = false;
    const char *jit_cache_dir = NULL;
    memset(&o, 0, sizeof o);
    rvvm_config_init(&o.config);
    o.checkpoint_exit_code = EXIT_CHECKPOINTED;
    o.keep = 2;
    bool have_keep = false;
    o.gdb_port = -1;
    opterr = 0;
    int c, rc;
    /* '+' stops at the program name: everything after it belongs to the guest. */
    while ((c = getopt_long(argc, argv, "+", longopts, NULL)) != -1) {
        switch (c) {
        case OPT_MAX_CYCLES:
            if (!parse_u64(optarg, &o.max_cycles))
                return die("--max-cycles needs a whole number, not '%s'", optarg);
            o.have_max_cycles = true;
            break;
        case OPT_MEMORY:
            o.config_given = true;
            if (!parse_size(optarg, &o.config.memory_size) ||
                o.config.memory_size < RVVM_MIN_MEMORY_SIZE ||
                o.config.memory_size > RVVM_MAX_MEMORY_SIZE || (o.config.memory_size & 4095))
                return die("--memory needs a size of whole 4 KiB pages from 1M to 16G, not '%s'",
                           optarg);
            break;
        case OPT_COST:
            o.config_given = true;
            if ((rc = load_cost_model(optarg, &o.config.cost_model)) != 0)
                return rc;
            break;
        case OPT_ISA:
            o.config_given = true;
            if (rvvm_isa_parse(optarg, &o.config.isa) != RVVM_OK)
                return die("--isa: unsupported ISA string '%s' (try rv64imac_zicsr_zifencei)",
                           optarg);
            break;
        case OPT_STRICT:
            o.config_given = true;
            o.config.strict_syscalls = true;
            break;
        case OPT_ENV:
            if (!strchr(optarg, '='))
                return die("--env needs NAME=VALUE, not '%s'", optarg);
            if (o.envc == MAX_ENV)
                return die("too many --env options%s", "");
            o.env[o.envc++] = optarg;
            break;
        case OPT_SEED:
            o.config_given = true;
            if (!parse_u64(optarg, &o.config.seed))
                return die("--seed needs a whole number, not '%s'", optarg);
            break;
        case OPT_ENGINE:
            if (strcmp(optarg, "interp") == 0)
                engine = RVVM_ENGINE_INTERP;
            else if (strcmp(optarg, "jit") == 0)
                engine = RVVM_ENGINE_JIT;
            else if (strcmp(optarg, "auto") == 0)
                engine = RVVM_ENGINE_AUTO;
            else
                return die("--engine is 'interp', 'jit' or 'auto', not '%s'", optarg);
            break;
        case OPT_JIT_SYNC:
            jit_sync = true;
            break;
        case OPT_JIT_STATS:
            jit_stats = true;
            break;
        case OPT_JIT_CACHE:
            jit_cache_dir = optarg;
            break;
        case OPT_JIT_THRESHOLD: {
            uint64_t t;
            if (!parse_u64(optarg, &t) || t > UINT32_MAX)
                return die("--jit-threshold needs a whole number below 2^32, not '%s'", optarg);
            jit_threshold = (uint32_t)t;
            break;
        }
        case OPT_REPORT:
            o.report_path = optarg;
            break;
        case OPT_DIR:
            if (o.ndirs == MAX_DIRS)
                return die("too many --dir options%s", "");
            o.dirs[o.ndirs++] = optarg;
            break;
        case OPT_REAL_TIME: o.real_time = true; break;
        case OPT_SYSROOT: o.sysroot = optarg; break;
        case OPT_TRACE_SYSCALLS: o.trace_syscalls = true; break;
        case OPT_THREAD_SLICE:
            if (!parse_u64(optarg, &o.thread_slice) || o.thread_slice == 0)
                return die("--thread-slice needs a number of cycles above 0, not '%s'", optarg);
            break;
        case OPT_MAX_WRITE:
            if (!strcmp(optarg, "none"))
                o.max_write_bytes = RVVM_NO_LIMIT;
            else if (!parse_size(optarg, &o.max_write_bytes) || o.max_write_bytes == RVVM_NO_LIMIT)
                return die("--max-write-bytes needs a size (e.g. 4096, 64M, 1G) or 'none', not "
                           "'%s'", optarg);
            o.have_max_write_bytes = true;
            break;
        case OPT_ON_REQUEST: o.request_pattern = optarg; break;
        case OPT_EXIT_ON_REQUEST: o.exit_on_request = true; break;
        case OPT_CKPT_SIGNAL:
            if ((o.checkpoint_signal = parse_signal(optarg)) == 0)
                return die("--checkpoint-signal needs a signal such as TERM, USR1 or 10, not '%s'",
                           optarg);
            break;
        case OPT_CKPT_EXIT: {
            uint64_t v;
            if (!parse_u64(optarg, &v) || v > 255)
                return die("--checkpoint-exit-code needs a status from 0 to 255, not '%s'", optarg);
            o.checkpoint_exit_code = (int)v;
            break;
        }
        case OPT_RESUME_OR_START: o.resume_or_start = optarg; break;
        case OPT_SNAPSHOT: o.snapshot_path = optarg; break;
        case OPT_COMPRESS: o.compress = true; break;
        case OPT_SNAPSHOT_PARENT: o.snapshot_parent = optarg; break;
        case OPT_SNAPSHOT_MERGE: o.merge_out = optarg; break;
        case OPT_RESUME: o.resume_path = optarg; break;
        case OPT_PROGRAM: o.program_path = optarg; break;
        case OPT_INSPECT: o.inspect_path = optarg; break;
        case OPT_JSON: o.json = true; break;
        case OPT_TRACE: o.trace_path = optarg; break;
        case OPT_TRACE_FROM:
            if (!parse_u64(optarg, &o.trace_from))
                return die("--trace-from needs a whole number of cycles, not '%s'", optarg);
            o.have_trace_from = true;
            break;
        case OPT_CKPT_EVERY:
            if (!parse_u64(optarg, &o.checkpoint_every) || o.checkpoint_every == 0)
                return die("--checkpoint-every needs a positive number of cycles, not '%s'",
                           optarg);
            break;
        case OPT_KEEP: {
            uint64_t v;
            if (!parse_u64(optarg, &v) || v < 1 || v > 1000)
                return die("--keep needs a number of checkpoints from 1 to 1000, not '%s'", optarg);
            o.keep = (unsigned)v;
            have_keep = true;
            break;
        }
        case OPT_FAILURE_DIR: o.failure_dir = optarg; break;
        case OPT_CKPT_DIR: o.checkpoint_dir = optarg; break;
        case OPT_GDB: {
            uint64_t v;
            if (!parse_u64(optarg, &v) || v > 65535)
                return die("--gdb needs a TCP port from 0 to 65535, not '%s'", optarg);
            o.gdb_port = (long)v;
            break;
        }
        case OPT_PROFILE: o.profile_path = optarg; break;
        case OPT_VERSION:
            printf("rvrun (rvvm) %s\n", RVVM_VERSION_STRING);
            return 0;
        case OPT_HELP:
            usage(stdout);
            return 0;
        default:
            if (optopt)
                fprintf(stderr, "rvrun: option '%s' needs an argument or is unknown; see --help\n",
                        argv[optind - 1]);
            else
                fprintf(stderr, "rvrun: unknown option '%s'; see --help\n", argv[optind - 1]);
            return EXIT_RVRUN_ERROR;
        }
    }
    if (o.merge_out) {
        if (optind + 1 != argc || o.resume_path || o.snapshot_path || o.inspect_path)
            return die("usage: rvrun --snapshot-merge OUT FILE [--snapshot-compress]%s", "");
        char err[600];
        if (rvvm_snapshot_merge_file(o.merge_out, argv[optind],
                                     o.compress ? RVVM_SNAPSHOT_COMPRESS : 0, err,
                                     sizeof err) != RVVM_OK) {
            fprintf(stderr, "rvrun: %s\n", err);
            return EXIT_RVRUN_ERROR;
        }
        return 0;
    }
    if (o.snapshot_parent && !o.snapshot_path)
        return die("--snapshot-parent goes with --snapshot%s", "");
    if (o.inspect_path) {
        if (optind < argc || o.resume_path || o.snapshot_path)
            return die("--inspect takes only a snapshot file (and --json)%s", "");
        return inspect_snapshot(o.inspect_path, o.json);
    }
    if (o.json)
        return die("--json goes with --inspect%s", "");
    if (o.have_trace_from && !o.trace_path)
        return die("--trace-from goes with --trace%s", "");
    if (!o.sysroot) {
        const char *env_sysroot = getenv("RVVM_SYSROOT");
        if (env_sysroot && *env_sysroot)
            o.sysroot = env_sysroot;
    }
    if (o.resume_or_start) {
        if (o.resume_path)
            return die("--resume-or-start and --resume exclude each other%s", "");
        if (!o.snapshot_path)
            o.snapshot_path = o.resume_or_start;
        if (access(o.resume_or_start, F_OK) == 0) {
            /* Requeued: the snapshot holds the program, its arguments and configuration. */
            o.resume_path = o.resume_or_start;
            optind = argc;
            o.config_given = false;
            o.envc = 0;
        }
    }
    if (o.program_path && !o.resume_path)
        return die("--program goes with --resume%s", "");
    if (o.exit_on_request && !o.request_pattern)
        return die("--exit-on-request goes with --snapshot-on-request%s", "");
    if ((have_keep || o.failure_dir || o.checkpoint_dir) && !o.checkpoint_every)
        return die("--keep, --failure-dir and --checkpoint-dir go with --checkpoint-every%s", "");
    if (o.checkpoint_signal && !o.snapshot_path)
        return die("--checkpoint-signal needs --snapshot FILE (or --resume-or-start FILE)%s", "");

    rvvm_machine *m = NULL;
    rvvm_status st;
    if (o.resume_path) {
        if (optind < argc)
            return die("--resume takes no program or arguments: the snapshot holds them (got '%s')",
                       argv[optind]);
        if (o.config_given || o.envc)
            return die("--memory, --cost-model, --isa, --strict, --seed and --env cannot be "
                       "changed on resume: the snapshot keeps its configuration%s", "");
        if ((rc = resume_machine(&o, &m)) != 0)
            return rc;
    } else {
        if (optind >= argc) {
            fprintf(stderr, "rvrun: no program given; see --help\n");
            return EXIT_RVRUN_ERROR;
        }
        st = rvvm_create(&o.config, &m);
        if (st != RVVM_OK) {
            fprintf(stderr, "rvrun: cannot create the machine: %s\n", rvvm_status_string(st));
            return EXIT_RVRUN_ERROR;
        }
        const char *prog = argv[optind];
        if (o.sysroot && rvvm_set_sysroot(m, o.sysroot) != RVVM_OK) {
            fprintf(stderr, "rvrun: --sysroot: %s\n", rvvm_last_error(m));
            rvvm_destroy(m);
            return EXIT_RVRUN_ERROR;
        }
        st = rvvm_load_elf_file(m, prog, (const char *const *)&argv[optind], o.env);
        if (st != RVVM_OK) {
            fprintf(stderr, "rvrun: %s: %s\n", prog, rvvm_last_error(m));
            rvvm_destroy(m);
            return EXIT_RVRUN_ERROR;
        }
    }
    /* auto: tracing, debugging and profiling step one instruction at a time,
     * which the interpreter does (the tier would only compile in vain). And
     * libgccjit's compiler driver installs its own SIGINT, SIGHUP and SIGTERM
     * handlers in the process (they delete its temporary files and kill the
     * process with the signal), replacing rvrun's: with a checkpoint signal
     * or --failure-dir's SIGINT, the signal would kill rvrun instead. */
    bool gccjit_signals = o.failure_dir || o.checkpoint_signal == SIGINT ||
                          o.checkpoint_signal == SIGHUP || o.checkpoint_signal == SIGTERM;
    if (engine == RVVM_ENGINE_JIT && gccjit_signals) {
        fprintf(stderr, "rvrun: --engine jit goes without --failure-dir and --checkpoint-signal "
                        "INT, HUP or TERM (libgccjit replaces their handlers; docs/jit.md)\n");
        rvvm_destroy(m);
        return EXIT_RVRUN_ERROR;
    }
    rvvm_engine asked_engine = engine;
    if (engine == RVVM_ENGINE_AUTO &&
        (o.trace_path || o.gdb_port >= 0 || o.profile_path || gccjit_signals))
        engine = RVVM_ENGINE_INTERP;
    if (rvvm_set_engine(m, engine, jit_threshold) != RVVM_OK) {
        fprintf(stderr, "rvrun: --engine: %s\n", rvvm_last_error(m));
        rvvm_destroy(m);
        return EXIT_RVRUN_ERROR;
    }
    /* --jit-cache with the tier: --engine jit, or auto when it picked the tier
     * (auto without it ignores the option); RVVM_JIT_CACHE only with --engine jit. */
    rvvm_jit_cache *aot_cache = NULL; /* --jit-cache: saved when the run ends */
    if (!jit_cache_dir && engine == RVVM_ENGINE_JIT) {
        const char *env_cache = getenv("RVVM_JIT_CACHE"); /* only with --engine jit */
        if (env_cache && *env_cache)
            jit_cache_dir = env_cache;
    }
    if (jit_cache_dir && asked_engine == RVVM_ENGINE_INTERP) {
        rvvm_destroy(m);
        return die("--jit-cache needs the translation tier (--engine jit or auto)%s", "");
    }
    if (asked_engine == RVVM_ENGINE_AUTO && rvvm_get_config(m)->engine != RVVM_ENGINE_JIT)
        jit_cache_dir = NULL;
    if (jit_cache_dir) {
        /* The cache file is named by the program file's SHA-256. */
        const char *prog = o.resume_path ? o.program_path : argv[optind];
        size_t key_size = 0;
        char *key = prog ? read_key_file(prog, &key_size) : NULL;
        char err[512];
        aot_cache = rvvm_jit_cache_create_persistent(jit_cache_dir, key, key_size,
                                                     jit_sync ? RVVM_JIT_SYNC : 0, err, sizeof err);
        free(key);
        if (!aot_cache || rvvm_set_jit_cache(m, aot_cache) != RVVM_OK) {
            fprintf(stderr, "rvrun: --jit-cache: %s\n", aot_cache ? rvvm_last_error(m) : err);
            rvvm_jit_cache_release(aot_cache);
            rvvm_destroy(m);
            return EXIT_RVRUN_ERROR;
        }
        if (err[0] && jit_stats)
            fprintf(stderr, "rvrun: jit: %s\n", err);
    } else if (jit_sync && rvvm_get_config(m)->engine == RVVM_ENGINE_JIT) {
        rvvm_jit_cache *cache = rvvm_jit_cache_create(RVVM_JIT_SYNC);
        if (!cache || rvvm_set_jit_cache(m, cache) != RVVM_OK) {
            fprintf(stderr, "rvrun: cannot make a translation cache\n");
            rvvm_jit_cache_release(cache);
            rvvm_destroy(m);
            return EXIT_RVRUN_ERROR;
        }
        rvvm_jit_cache_release(cache); /* the machine holds its own reference */
    }
    if ((rc = grant_dirs(m, &o, o.resume_path != NULL)) != 0) {
        rvvm_destroy(m);
        return rc;
    }
    if (o.checkpoint_signal) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_checkpoint_signal;
        sa.sa_flags = SA_RESTART;
        sigemptyset(&sa.sa_mask);
        sigaction(o.checkpoint_signal, &sa, NULL);
    }
    if (o.request_pattern)
        rvvm_set_ecall_handler(m, on_guest_request, NULL);
    if (o.failure_dir && o.checkpoint_signal != SIGINT) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_interrupt;
        sa.sa_flags = SA_RESTART;
        sigemptyset(&sa.sa_mask);
        sigaction(SIGINT, &sa, NULL);
    }
    if (o.checkpoint_every && !(o.periodic = rvrun_periodic_create(m, o.keep, o.checkpoint_dir,
                                               o.compress ? RVVM_SNAPSHOT_COMPRESS : 0))) {
        rvvm_destroy(m);
        return EXIT_RVRUN_ERROR;
    }
    rvvm_run_result res;
    if (o.trace_path) {
        o.trace_file = fopen(o.trace_path, "w");
        if (!o.trace_file) {
            fprintf(stderr, "rvrun: cannot write trace '%s': %s\n", o.trace_path, strerror(errno));
            rvvm_destroy(m);
            return EXIT_RVRUN_ERROR;
        }
    }
    int status;
    if (o.gdb_port >= 0 || o.profile_path)
        status = run_debug(m, &o, &res, o.resume_path ? o.program_path : argv[optind]);
    else
        status = run(m, &o, &res);
    if (o.trace_file && fclose(o.trace_file) != 0) {
        fprintf(stderr, "rvrun: cannot write trace '%s'\n", o.trace_path);
        status = EXIT_RVRUN_ERROR;
    }
    if (o.report_path && (rc = write_report(o.report_path, m, &res, status)) != 0)
        status = rc;
    bool failed = res.reason == RVVM_STOP_FAULT ||
                  (res.reason == RVVM_STOP_EXITED && res.exit_code != 0) ||
                  (res.reason == RVVM_STOP_CYCLE_LIMIT && interrupted);
    if (o.failure_dir && failed && status != EXIT_RVRUN_ERROR &&
        (rc = rvrun_periodic_failure(o.periodic, o.failure_dir, &res,
                                     o.compress ? RVVM_SNAPSHOT_COMPRESS : 0)) != 0)
        status = rc;
    if (jit_stats)
        fprintf(stderr, "rvrun: jit: %llu runs translated\n", (unsigned long long)rvvm_jit_translated(m));
    rvvm_destroy(m);
    if (aot_cache) {
        /* Not saving is not the guest's failure: a one-line warning, same status. */
        char err[512];
        if (rvvm_jit_cache_save(aot_cache, err, sizeof err) != RVVM_OK)
            fprintf(stderr, "rvrun: warning: jit cache not saved: %s\n", err);
        if (jit_stats) {
            rvvm_jit_cache_stats cs;
            rvvm_jit_cache_get_stats(aot_cache, &cs);
            fprintf(stderr, "rvrun: jit cache: %llu compilations, %llu slots loaded, %llu slots saved\n",
                    (unsigned long long)cs.compilations, (unsigned long long)cs.loaded,
                    (unsigned long long)cs.saved);
        }
        rvvm_jit_cache_release(aot_cache);
    }
    rvrun_periodic_destroy(o.periodic);
    return status;
}

/*
 * In sanitizer builds (scripts/sanitize.sh): libgccjit keeps some of GCC's
 * allocations for the life of the process (docs/jit.md), which is not rvvm's
 * memory. The suppression lives here because tests that run rvrun with an
 * empty environment cannot pass LSAN_OPTIONS.
 */
#if defined(__SANITIZE_ADDRESS__)
#define RVRUN_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) /* clang's way of saying it */
#define RVRUN_ASAN 1
#endif
#endif
#ifdef RVRUN_ASAN
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void) { return "leak:libgccjit.so\n"; }
const char *__lsan_default_options(void);
const char *__lsan_default_options(void) { return "print_suppressions=0"; }
#endif
