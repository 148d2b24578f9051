/* Sorts pseudo-random data three ways (quicksort on signed 64-bit,
 * merge sort on unsigned 32-bit, insertion sort on strings) and checks
 * the results. Exits 1 if any result is not sorted. */
#include "rt.h"

#define N 4000

static uint64_t rng_state = 88172645463325252ull;

static uint64_t rng(void)
{
    uint64_t x = rng_state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return rng_state = x;
}

static int64_t a64[N];
static uint32_t a32[N], tmp32[N];

static void quicksort(int64_t *v, long lo, long hi)
{
    while (lo < hi) {
        int64_t pivot = v[lo + (hi - lo) / 2];
        long i = lo, j = hi;
        while (i <= j) {
            while (v[i] < pivot)
                i++;
            while (v[j] > pivot)
                j--;
            if (i <= j) {
                int64_t t = v[i];
                v[i++] = v[j];
                v[j--] = t;
            }
        }
        /* recurse into the smaller half to bound stack depth */
        if (j - lo < hi - i) {
            quicksort(v, lo, j);
            lo = i;
        } else {
            quicksort(v, i, hi);
            hi = j;
        }
    }
}

static void merge_sort(uint32_t *v, uint32_t *tmp, size_t n)
{
    if (n < 2)
        return;
    size_t mid = n / 2;
    merge_sort(v, tmp, mid);
    merge_sort(v + mid, tmp, n - mid);
    size_t i = 0, j = mid, k = 0;
    while (i < mid && j < n)
        tmp[k++] = v[i] <= v[j] ? v[i++] : v[j++];
    while (i < mid)
        tmp[k++] = v[i++];
    while (j < n)
        tmp[k++] = v[j++];
    memcpy(v, tmp, n * sizeof *v);
}

static const char *words[] = {
    "risc", "five", "interpreter", "hart", "ecall", "fence", "amoswap", "lr",
    "sc", "compressed", "jalr", "auipc", "lui", "branch", "zicsr", "ebreak",
    "snapshot", "resume", "cycle", "Zebra", "apple", "Apple", "a", "",
};
#define NWORDS ((int)(sizeof words / sizeof words[0]))

int main(int argc, char **argv, char **envp)
{
    (void)argc;
    (void)argv;
    (void)envp;
    int ok = 1;

    for (int i = 0; i < N; i++)
        a64[i] = (int64_t)rng() >> (i % 40); /* mixed magnitudes and signs */
    quicksort(a64, 0, N - 1);
    uint64_t h = 0;
    for (int i = 0; i < N; i++) {
        if (i > 0 && a64[i - 1] > a64[i])
            ok = 0;
        h = h * 1000003u + (uint64_t)a64[i];
    }
    rt_printf("i64: min=%ld median=%ld max=%ld hash=%lx\n", (long)a64[0], (long)a64[N / 2],
              (long)a64[N - 1], (unsigned long)h);

    for (int i = 0; i < N; i++)
        a32[i] = (uint32_t)(rng() >> 32) % 100000u; /* plenty of duplicates */
    merge_sort(a32, tmp32, N);
    h = 0;
    for (int i = 0; i < N; i++) {
        if (i > 0 && a32[i - 1] > a32[i])
            ok = 0;
        h = h * 1000003u + a32[i];
    }
    rt_printf("u32: min=%u median=%u max=%u hash=%lx\n", a32[0], a32[N / 2], a32[N - 1],
              (unsigned long)h);

    const char *w[NWORDS];
    for (int i = 0; i < NWORDS; i++) {
        const char *key = words[i];
        int j = i;
        while (j > 0 && strcmp(w[j - 1], key) > 0) {
            w[j] = w[j - 1];
            j--;
        }
        w[j] = key;
    }
    put_str("words:");
    for (int i = 0; i < NWORDS; i++) {
        rt_printf(" [%s]", w[i]);
        if (i > 0 && strcmp(w[i - 1], w[i]) > 0)
            ok = 0;
    }
    put_str("\n");
    put_str(ok ? "sorted: yes\n" : "sorted: NO\n");
    return ok ? 0 : 1;
}
