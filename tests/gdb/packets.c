/*
 * The GDB stub's packet engine without a socket (src/debug/gdbstub.c): known
 * packets against known answers, then hostile and random input, which must
 * get an error or empty reply and never crash (run it under ASan/UBSan:
 * scripts/sanitize.sh). With -DFUZZ_MAIN it is also a libFuzzer target:
 * LLVMFuzzerTestOneInput feeds arbitrary bytes to a fresh session.
 *
 * usage: test_gdb_packets TARGET_ELF [LONGER_ELF]
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "debug/gdbstub.h"
#include "rvvm/rvvm.h"

typedef struct out {
    char data[65536];
    size_t len;
} out;

static void collect(void *user, const char *d, size_t n)
{
    out *o = user;
    if (o->len + n > sizeof o->data - 1)
        n = sizeof o->data - 1 - o->len;
    memcpy(o->data + o->len, d, n);
    o->len += n;
    o->data[o->len] = '\0';
}

static int failures;

/* Frames payload, feeds it, returns the reply payload (without $, #xx). */
static const char *ask(rv_gdb *g, out *o, const char *payload, size_t len)
{
    static char frame[40000];
    static char reply[65536];
    uint8_t sum = 0;
    for (size_t i = 0; i < len; i++)
        sum = (uint8_t)(sum + (uint8_t)payload[i]);
    frame[0] = '$';
    memcpy(frame + 1, payload, len);
    snprintf(frame + 1 + len, 4, "#%02x", sum);
    o->len = 0;
    o->data[0] = '\0';
    rv_gdb_feed(g, (const uint8_t *)frame, len + 4);
    const char *d = strchr(o->data, '$'), *h = d ? strrchr(d, '#') : NULL;
    if (!d || !h) {
        reply[0] = '\0';
        return o->len ? "<noframe>" : "<none>";
    }
    snprintf(reply, sizeof reply, "%.*s", (int)(h - d - 1), d + 1);
    return reply;
}

__attribute__((unused)) static void expect_eq(rv_gdb *g, out *o, const char *pkt, const char *want)
{
    const char *got = ask(g, o, pkt, strlen(pkt));
    if (strcmp(got, want) != 0) {
        printf("FAIL: %s -> '%.80s', want '%s'\n", pkt, got, want);
        failures++;
    }
}

/* A hostile packet: the reply must be an error (E..) or empty. */
__attribute__((unused)) static void expect_err(rv_gdb *g, out *o, const char *pkt, size_t len)
{
    const char *got = ask(g, o, pkt, len);
    if (!(got[0] == 'E' || got[0] == '\0')) {
        printf("FAIL: hostile packet '%.40s' -> '%.80s'\n", pkt, got);
        failures++;
    }
}

__attribute__((unused)) static bool always(void *user)
{
    (void)user;
    return true;
}

static rvvm_machine *load(const char *path)
{
    rvvm_config c;
    rvvm_config_init(&c);
    c.memory_size = 16u << 20;
    rvvm_machine *m;
    if (rvvm_create(&c, &m) != RVVM_OK)
        return NULL;
    const char *argv[] = {"target", NULL};
    if (rvvm_load_elf_file(m, path, argv, NULL) != RVVM_OK) {
        rvvm_destroy(m);
        return NULL;
    }
    return m;
}

#ifdef FUZZ_MAIN
static const char *fuzz_elf;
int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    fuzz_elf = getenv("GDB_FUZZ_ELF");
    (void)argv;
    return 0;
}
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static rvvm_machine *m;
    if (!m && !(m = load(fuzz_elf ? fuzz_elf : "target.elf")))
        return 0;
    static out o;
    rv_gdb_options opt = {.max_cycles = 20000, .send = collect, .user = &o,
                          .checkpoint_interval = 64};
    rvvm_checkpoint_id cp;
    if (rvvm_checkpoint(m, &cp) != RVVM_OK)
        return 0;
    rv_gdb *g = rv_gdb_create(m, &opt);
    if (g) {
        o.len = 0;
        rv_gdb_feed(g, data, size);
        rv_gdb_destroy(g);
    }
    rvvm_restore(m, cp);
    rvvm_checkpoint_free(m, cp);
    return 0;
}
#else
int main(int argc, char **argv)
{
    if (argc != 2 && argc != 3) {
        fprintf(stderr, "usage: %s TARGET_ELF [LONGER_ELF]\n", argv[0]);
        return 2;
    }
    rvvm_machine *m = load(argv[1]);
    if (!m) {
        fprintf(stderr, "cannot load %s\n", argv[1]);
        return 1;
    }
    static out o;
    rv_gdb_options opt = {.max_cycles = 200000, .send = collect, .user = &o,
                          .checkpoint_interval = 16, .exec_path = "/x/target.elf"};
    rv_gdb *g = rv_gdb_create(m, &opt);

    /* Known answers. */
    expect_eq(g, &o, "QStartNoAckMode", "OK");
    char want[64];
    uint64_t pc = rvvm_pc(m);
    snprintf(want, sizeof want, "%016" PRIx64, __builtin_bswap64(pc));
    expect_eq(g, &o, "p20", want);                 /* pc, little-endian hex */
    expect_eq(g, &o, "p0", "0000000000000000");    /* x0 */
    expect_eq(g, &o, "qC", "QC1");
    expect_eq(g, &o, "qAttached", "1");
    expect_eq(g, &o, "vMustReplyEmpty", "");
    expect_eq(g, &o, "qXfer:exec-file:read:1:0,fff", "l/x/target.elf");
    expect_eq(g, &o, "qXfer:exec-file:read:1:3,4", "mtarg");
    expect_eq(g, &o, "P5=efbeadde00000000", "OK");  /* t0 = 0xdeadbeef */
    expect_eq(g, &o, "p5", "efbeadde00000000");
    expect_eq(g, &o, "P41=1f000000", "OK");         /* fflags = 0x1f */
    expect_eq(g, &o, "p43", "1f000000");            /* fcsr */
    expect_eq(g, &o, "P42=07000000", "OK");         /* frm = 7 */
    expect_eq(g, &o, "p43", "ff000000");
    uint64_t sp = rvvm_reg(m, 2);
    char pkt[128];
    snprintf(pkt, sizeof pkt, "M%" PRIx64 ",4:01020304", sp - 64);
    expect_eq(g, &o, pkt, "OK");
    snprintf(pkt, sizeof pkt, "m%" PRIx64 ",4", sp - 64);
    expect_eq(g, &o, pkt, "01020304");
    snprintf(pkt, sizeof pkt, "X%" PRIx64 ",2:}\x03}\x04", sp - 64); /* escaped '#' and '$' */
    expect_eq(g, &o, pkt, "OK");
    snprintf(pkt, sizeof pkt, "m%" PRIx64 ",2", sp - 64);
    expect_eq(g, &o, pkt, "2324");
    expect_eq(g, &o, "qRcmd,696e7374726574", "300a"); /* monitor instret: "0\n" */
    expect_eq(g, &o, "s", "T05thread:1;");
    expect_eq(g, &o, "qRcmd,696e7374726574", "310a"); /* "1\n" */
    expect_eq(g, &o, "bs", "T05thread:1;");
    expect_eq(g, &o, "qRcmd,696e7374726574", "300a");
    expect_eq(g, &o, "bs", "T05thread:1;replaylog:begin;");
    expect_eq(g, &o, "bc", "T05thread:1;replaylog:begin;");
    expect_eq(g, &o, "Z0,1234,2", "OK");
    expect_eq(g, &o, "z0,1234,2", "OK");

    /* Hostile packets. */
    static const char *const bad[] = {
        "m", "m,", "mzz,1", "m0,", "m0,100000", "m10000000000000000,1", "mffffffffffffffff,8",
        "M0,1:zz", "M0,4:00", "M0,1", "Mffffffffffffffff,2:0000", "X0,4:\x7d", "X0,2:abc",
        "p", "p44", "pffffffffffffffff", "p11111111111111111", "P20=00", "P20=0100000000000000",
        "P41=ff000000", "P42=09000000", "Pzz=00", "G", "G00", "Z9,0,0", "Z2,0,0", "Z2,ffffffffffffffff,8",
        "Z0", "Z0,", "Z0,1,1x", "qRcmd,6", "qRcmd,zz", "qRcmd,00", "qXfer:features:read:target.xml:zz",
        "qXfer:features:read:target.xml:0", "qXfer:exec-file:read:", "vCont;x", "vCont;",
        "b", "bx", "\x7f\xff", "H", "c12345678901234567", "sZZ",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        expect_err(g, &o, bad[i], strlen(bad[i]));
    /* Bad monitor commands: a message for the user, as hex text. */
    expect_eq(g, &o, "qRcmd,726573746f726520393939", /* "restore 999" */
              "6572726f723a206e6f20636865636b706f696e742027393939270a");
    if (strncmp(ask(g, &o, "qRcmd,7265", 10), "756e6b6e6f776e", 14) != 0) { /* "unknown" */
        printf("FAIL: unknown monitor command\n");
        failures++;
    }
    /* An overlong packet, a bad checksum, a lone '#', Ctrl-C while stopped. */
    static char big[20000]; /* more than the 16 KiB PacketSize */
    memset(big, 'm', sizeof big);
    o.len = 0;
    rv_gdb_feed(g, (const uint8_t *)"$", 1);
    rv_gdb_feed(g, (const uint8_t *)big, sizeof big);
    rv_gdb_feed(g, (const uint8_t *)"#00", 3);
    if (!strstr(o.data, "$E01#")) {
        printf("FAIL: overlong packet -> '%.40s'\n", o.data);
        failures++;
    }
    rv_gdb_feed(g, (const uint8_t *)"$g#zz#\x03", 7);

    /* Random packets from a fixed seed: any reply, no crash, the stub still answers. */
    uint64_t s = 0x9e3779b97f4a7c15ull;
    static const char alphabet[] = "mMXpPgGZzqQvbcs?HDT0123456789abcdef,:;=#$}*\x03";
    for (int n = 0; n < 20000; n++) {
        char p[64];
        size_t len = 1 + (size_t)(s >> 59);
        for (size_t i = 0; i < len; i++) {
            s = s * 6364136223846793005ull + 1442695040888963407ull;
            p[i] = (n & 1) ? alphabet[(s >> 33) % (sizeof alphabet - 1)] : (char)(s >> 40);
        }
        if (p[0] == 'k' || p[0] == 'D' || p[0] == 'v')
            p[0] = 'q'; /* keep the session alive */
        ask(g, &o, p, len);
        o.len = 0;
        /* Resynchronise: a stray '$' or '#' inside may leave a frame open. */
        rv_gdb_feed(g, (const uint8_t *)"#00", 3);
    }
    expect_eq(g, &o, "qC", "QC1");

    rv_gdb_destroy(g);
    rvvm_destroy(m);

    /* Ctrl-C: an interrupted continue stops with SIGINT (2), before the program ends. */
    m = load(argv[1]);
    opt.interrupted = always;
    g = rv_gdb_create(m, &opt);
    expect_eq(g, &o, "c", "T02thread:1;");
    expect_eq(g, &o, "vCont;c", "T02thread:1;");
    expect_eq(g, &o, "s", "T05thread:1;"); /* a single step is not interrupted */
    opt.interrupted = NULL;
    rv_gdb_destroy(g);
    /* Without Ctrl-C the same program runs to its exit: W and the exit status. */
    g = rv_gdb_create(m, &opt);
    expect_eq(g, &o, "c", "W6e"); /* reads EOF: s = 0 + 110, exit status 110 & 0x7f = 0x6e */
    rv_gdb_destroy(g);
    rvvm_destroy(m);
    /* History thinning: with a checkpoint every instruction, 30000 steps pass the 1024
     * checkpoints several times; going back must still land on the exact state, which a
     * fresh machine stepped to the same count gives independently. */
    if (argc > 2) {
        m = load(argv[2]);
        opt.checkpoint_interval = 1;
        opt.max_cycles = 30000;
        g = rv_gdb_create(m, &opt);
        expect_eq(g, &o, "c", "T18thread:1;"); /* SIGXCPU at the budget */
        for (int i = 0; i < 3; i++)
            expect_eq(g, &o, "bs", "T05thread:1;");
        rvvm_machine *ref = load(argv[2]);
        rvvm_run_result res;
        rvvm_run(ref, 30000 - 3, &res); /* unit costs: 29997 instructions */
        char want_regs[2048] = "", pkt2[16];
        for (unsigned r = 0; r < 33; r++) {
            uint64_t v = r < 32 ? rvvm_reg(ref, r) : rvvm_pc(ref);
            snprintf(want_regs, sizeof want_regs, "%016" PRIx64, __builtin_bswap64(v));
            snprintf(pkt2, sizeof pkt2, "p%x", r);
            expect_eq(g, &o, pkt2, want_regs);
        }
        expect_eq(g, &o, "qRcmd,696e7374726574", "32393939370a"); /* "29997\n" */
        rv_gdb_destroy(g);
        rvvm_destroy(ref);
        rvvm_destroy(m);
    }
    if (failures) {
        printf("%d failures\n", failures);
        return 1;
    }
    printf("gdb packets: all checks passed\n");
    return 0;
}
#endif
