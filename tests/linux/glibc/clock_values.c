/* rvvm's deterministic clocks: realtime starts at 2024-01-01T00:00:00Z, 1 cycle = 1 ns. */
#include <stdio.h>
#include <time.h>

int main(void)
{
    struct timespec r, m;
    clock_gettime(CLOCK_REALTIME, &r);
    clock_gettime(CLOCK_MONOTONIC, &m);
    char buf[64];
    struct tm tm;
    gmtime_r(&r.tv_sec, &tm);
    strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
    printf("realtime %s UTC, seconds %lld\n", buf, (long long)r.tv_sec);
    printf("monotonic below 1 s: %s\n", m.tv_sec == 0 ? "yes" : "no");
    struct timespec req = {3, 0};
    nanosleep(&req, NULL);
    clock_gettime(CLOCK_REALTIME, &r);
    gmtime_r(&r.tv_sec, &tm);
    strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
    printf("after sleep(3): %s UTC\n", buf);
    return 0;
}
