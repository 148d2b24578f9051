/* Clocks: monotonic, realtime, gettimeofday, time, nanosleep, clock_getres. */
#include <stdio.h>
#include <sys/time.h>
#include <time.h>

static long long ns(struct timespec t) { return t.tv_sec * 1000000000LL + t.tv_nsec; }

int main(void)
{
    struct timespec a, b, r, z;
    clock_gettime(CLOCK_MONOTONIC, &a);
    volatile unsigned x = 0;
    for (int i = 0; i < 100000; i++)
        x += (unsigned)i;
    clock_gettime(CLOCK_MONOTONIC, &b);
    printf("monotonic advances: %s\n", ns(b) > ns(a) ? "yes" : "no");
    clock_gettime(CLOCK_REALTIME, &r);
    printf("realtime after 2024: %s\n", r.tv_sec >= 1704067200 ? "yes" : "no");
    struct timeval tv;
    gettimeofday(&tv, NULL);
    printf("gettimeofday agrees: %s\n", tv.tv_sec >= r.tv_sec && tv.tv_sec - r.tv_sec < 5 ? "yes" : "no");
    time_t t = time(NULL);
    printf("time agrees: %s\n", t >= r.tv_sec && t - r.tv_sec < 5 ? "yes" : "no");
    struct timespec req = {0, 20000000}, before, after;
    clock_gettime(CLOCK_MONOTONIC, &before);
    nanosleep(&req, NULL);
    clock_gettime(CLOCK_MONOTONIC, &after);
    printf("nanosleep 20 ms advances the clock: %s\n", ns(after) - ns(before) >= 20000000 ? "yes" : "no");
    clock_getres(CLOCK_MONOTONIC, &z);
    printf("resolution at most 1 ms: %s\n", ns(z) > 0 && ns(z) <= 1000000 ? "yes" : "no");
    struct timespec c;
    printf("process cpu clock works: %s\n",
           clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c) == 0 ? "yes" : "no");
    printf("bad clock id fails: %s\n", clock_gettime((clockid_t)99, &c) != 0 ? "yes" : "no");
    return 0;
}
