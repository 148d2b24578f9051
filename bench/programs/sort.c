/* sort: quicksort of pseudo-random signed 64-bit keys and bottom-up merge
 * sort of pseudo-random unsigned 32-bit keys, both checked afterwards.
 * Exercises compares, loads/stores, short loops and (bounded) recursion. */
#include "bench.h"

#define N 65536
#define SMALL 16

static int64_t keys64[N];
static uint32_t keys32[N], scratch32[N];

static void insertion_sort64(int64_t *v, long lo, long hi)
{
    for (long i = lo + 1; i <= hi; i++) {
        int64_t x = v[i];
        long j = i - 1;
        while (j >= lo && v[j] > x) {
            v[j + 1] = v[j];
            j--;
        }
        v[j + 1] = x;
    }
}

static int64_t median3(int64_t a, int64_t b, int64_t c)
{
    if (a < b)
        return b < c ? b : (a < c ? c : a);
    return a < c ? a : (b < c ? c : b);
}

/* Hoare partitioning around a median-of-three pivot; recurses into the
 * smaller side and loops on the larger, so the depth stays O(log n). */
static void quicksort64(int64_t *v, long lo, long hi)
{
    while (hi - lo >= SMALL) {
        int64_t pivot = median3(v[lo], v[lo + (hi - lo) / 2], v[hi]);
        long i = lo, j = hi;
        for (;;) {
            while (v[i] < pivot)
                i++;
            while (v[j] > pivot)
                j--;
            if (i >= j)
                break;
            int64_t t = v[i];
            v[i] = v[j];
            v[j] = t;
            i++;
            j--;
        }
        if (j - lo < hi - j) {
            quicksort64(v, lo, j);
            lo = j + 1;
        } else {
            quicksort64(v, j + 1, hi);
            hi = j;
        }
    }
    insertion_sort64(v, lo, hi);
}

/* Bottom-up merge sort, ping-ponging between v and tmp; returns the array
 * holding the sorted result. */
static uint32_t *mergesort32(uint32_t *v, uint32_t *tmp, long n)
{
    uint32_t *src = v, *dst = tmp;
    for (long width = 1; width < n; width *= 2) {
        for (long lo = 0; lo < n; lo += 2 * width) {
            long mid = lo + width < n ? lo + width : n;
            long hi = lo + 2 * width < n ? lo + 2 * width : n;
            long i = lo, j = mid, k = lo;
            while (i < mid && j < hi)
                dst[k++] = src[i] <= src[j] ? src[i++] : src[j++];
            while (i < mid)
                dst[k++] = src[i++];
            while (j < hi)
                dst[k++] = src[j++];
        }
        uint32_t *t = src;
        src = dst;
        dst = t;
    }
    return src;
}

int main(int argc, char **argv, char **envp)
{
    (void)envp;
    long reps = bench_reps(argc, argv, 10);
    bench_rng rng = {0x5eed0001};
    uint64_t sum = 0;

    for (long r = 0; r < reps; r++) {
        for (long i = 0; i < N; i++)
            keys64[i] = (int64_t)rng_next(&rng);
        quicksort64(keys64, 0, N - 1);
        for (long i = 1; i < N; i++) {
            if (keys64[i - 1] > keys64[i]) {
                rt_printf("sort: quicksort result not sorted at %ld\n", i);
                return 1;
            }
        }
        sum = mix64(sum, (uint64_t)keys64[0]);
        sum = mix64(sum, (uint64_t)keys64[N / 2]);
        sum = mix64(sum, (uint64_t)keys64[N - 1]);

        for (long i = 0; i < N; i++)
            keys32[i] = (uint32_t)(rng_next(&rng) >> 40); /* 24-bit keys: many duplicates */
        uint32_t *s = mergesort32(keys32, scratch32, N);
        uint64_t acc = 0;
        for (long i = 0; i < N; i++) {
            if (i > 0 && s[i - 1] > s[i]) {
                rt_printf("sort: merge sort result not sorted at %ld\n", i);
                return 1;
            }
            acc = acc * 31 + s[i];
        }
        sum = mix64(sum, acc);
    }
    return bench_done("sort", reps, sum);
}
