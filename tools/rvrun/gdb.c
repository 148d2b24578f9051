/* rvrun --gdb: socket set-up around the protocol engine in src/debug/gdbstub.c. */
#include "gdb.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../../src/debug/gdbstub.h"

static void no_send(void *user, const char *data, size_t len)
{
    (void)user, (void)data, (void)len;
}

int rvrun_gdb(rvvm_machine *m, unsigned port, const char *exec_path, uint64_t max_cycles,
              uint32_t snapshot_flags, rvvm_run_result *res, uint64_t *budget_left)
{
    int ls = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (ls < 0) {
        fprintf(stderr, "rvrun: gdb: socket: %s\n", strerror(errno));
        return -1;
    }
    int one = 1;
    setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t alen = sizeof a;
    if (bind(ls, (struct sockaddr *)&a, sizeof a) != 0 || listen(ls, 1) != 0 ||
        getsockname(ls, (struct sockaddr *)&a, &alen) != 0) {
        fprintf(stderr, "rvrun: gdb: cannot listen on 127.0.0.1:%u: %s\n", port, strerror(errno));
        close(ls);
        return -1;
    }
    fprintf(stderr, "rvrun: gdb: listening on 127.0.0.1:%u\n", (unsigned)ntohs(a.sin_port));
    fflush(stderr);
    int fd;
    do
        fd = accept4(ls, NULL, NULL, SOCK_CLOEXEC);
    while (fd < 0 && errno == EINTR);
    close(ls);
    if (fd < 0) {
        fprintf(stderr, "rvrun: gdb: accept: %s\n", strerror(errno));
        return -1;
    }
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    rv_gdb_options o = {
        .max_cycles = max_cycles,
        .exec_path = exec_path,
        .snapshot_flags = snapshot_flags,
        .console = true,
        .send = no_send,
    };
    rv_gdb *g = rv_gdb_create(m, &o);
    if (!g) {
        close(fd);
        fprintf(stderr, "rvrun: gdb: out of memory\n");
        return -1;
    }
    rv_gdb_state st = rv_gdb_serve(g, fd);
    close(fd);
    bool ended, budget_stop;
    rv_gdb_status(g, res, &ended, &budget_stop);
    *budget_left = rv_gdb_budget_left(g);
    rv_gdb_destroy(g);
    if (st == RV_GDB_KILLED)
        return 1;
    return ended || budget_stop ? 0 : 2;
}
