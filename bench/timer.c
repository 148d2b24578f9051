/* timer: runs one command and prints its wall time, exit status and peak
 * resident memory, for bench/run_bench.py.
 *
 *   timer [-o FILE] [-t SECONDS] -- prog [args...]
 *   -> "<wall seconds> <status> <max RSS KiB> <user + system CPU seconds>\n"
 *
 * stdin is /dev/null; the child's stdout goes to FILE (default /dev/null),
 * its stderr is inherited. status is the exit code, or 128 + signal.
 * The clock runs from just before fork to just after wait4. ru_maxrss keeps
 * the largest RSS the process had, including before its execve, so the
 * child is forked from this small program rather than from Python (whose
 * own ~16 MiB would otherwise be the floor of every measurement). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile pid_t child;

static void on_alarm(int sig)
{
    (void)sig;
    if (child > 0)
        kill(child, SIGKILL);
}

static void usage(void)
{
    fprintf(stderr, "usage: timer [-o FILE] [-t SECONDS] -- prog [args...]\n");
    exit(2);
}

int main(int argc, char **argv)
{
    const char *out = "/dev/null";
    unsigned timeout = 0;
    int opt;
    while ((opt = getopt(argc, argv, "+o:t:")) != -1) {
        switch (opt) {
        case 'o':
            out = optarg;
            break;
        case 't':
            timeout = (unsigned)strtoul(optarg, NULL, 10);
            break;
        default:
            usage();
        }
    }
    if (optind >= argc)
        usage();

    int in_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    int out_fd = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (in_fd < 0 || out_fd < 0) {
        fprintf(stderr, "timer: cannot open %s: %s\n", in_fd < 0 ? "/dev/null" : out,
                strerror(errno));
        return 2;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sigaction(SIGALRM, &sa, NULL);

    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    pid_t pid = fork();
    if (pid < 0) {
        perror("timer: fork");
        return 2;
    }
    if (pid == 0) {
        if (dup2(in_fd, 0) < 0 || dup2(out_fd, 1) < 0)
            _exit(126);
        execvp(argv[optind], argv + optind);
        fprintf(stderr, "timer: cannot run %s: %s\n", argv[optind], strerror(errno));
        _exit(127);
    }
    child = pid;
    if (timeout)
        alarm(timeout);
    int status;
    struct rusage ru;
    while (wait4(pid, &status, 0, &ru) < 0) {
        if (errno != EINTR) {
            perror("timer: wait4");
            return 2;
        }
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    alarm(0);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9;
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    double cpu = (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
                 (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1e-6;
    printf("%.9f %d %ld %.6f\n", secs, code, ru.ru_maxrss, cpu);
    return 0;
}
