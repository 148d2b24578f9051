/*
 * What rvvm does not offer fails the way Linux reports an unsupported
 * operation: fork and exec (ENOSYS), waiting (ECHILD: no child ever
 * exists), sockets (EAFNOSUPPORT; calls on descriptors that are not sockets
 * say ENOTSOCK). A handler can be installed but never runs: a signal the
 * program sends itself ends the run, as its default action would (here
 * SIGUSR1: status 138).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static void handler(int sig)
{
    printf("handler ran for %d\n", sig);
}

#define R(call) (errno = 0, printf("%-40s = %d %s\n", #call, (int)(call), errno ? strerror(errno) : ""))

int main(void)
{
    char *args[] = {"/bin/true", NULL};
    R(fork());
    R(execve("/bin/true", args, NULL));
    R(wait(NULL));
    R(waitpid(-1, NULL, WNOHANG));
    R(socket(AF_INET, SOCK_STREAM, 0));
    R(socket(AF_UNIX, SOCK_DGRAM, 0));
    int sv[2];
    R(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    R(connect(1, (struct sockaddr *)&sa, sizeof sa));
    R(connect(99, (struct sockaddr *)&sa, sizeof sa));
    R(send(2, "x", 1, 0));
    R(shutdown(0, SHUT_RDWR));
    struct sigaction act;
    memset(&act, 0, sizeof act);
    act.sa_handler = handler;
    R(sigaction(SIGUSR1, &act, NULL));
    fflush(stdout);
    raise(SIGUSR1);
    puts("not reached");
    return 0;
}
