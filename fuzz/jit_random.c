/*
 * The jit fuzz target (fuzz_jit.c) without libFuzzer: COUNT pseudo-random
 * inputs from a fixed SEED (splitmix64), each run through the same
 * three-machine comparison, so the normal suite checks the translation tier
 * against the interpreter on random instruction streams on every run.
 *
 *   jit_random COUNT SEED [--write DIR | --file]
 *
 * --file: the inputs run twice, first with a cache in a new directory, whose
 * file is then saved, then with a cache that loaded that file, so that the
 * second pass compares the file's code (compiled otherwise: -O2, larger
 * regions, registers written back at the exits) with the interpreter.
 *
 * Fails (abort) on any difference; fails (exit 1) if nothing at all was
 * translated (the tier was not really on); exits 77 (skipped) when the tier
 * is not available. --write DIR also saves the inputs (seed corpus).
 */
#include "fuzz.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rvvm/rvvm.h"

extern uint64_t fuzz_jit_inputs, fuzz_jit_translated, fuzz_jit_translated_inputs,
    fuzz_jit_stops[8];

static uint64_t splitmix(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

void fuzz_jit_use_cache(rvvm_jit_cache *cache);

static rvvm_jit_cache *file_cache(const char *dir)
{
    char err[256];
    rvvm_jit_cache *c = rvvm_jit_cache_create_persistent(dir, "jit_random", 10, RVVM_JIT_SYNC, err, sizeof err);
    if (!c || err[0]) {
        fprintf(stderr, "jit_random: cache in %s: %s\n", dir, err);
        exit(1);
    }
    return c;
}

int main(int argc, char **argv)
{
    bool file = argc == 4 && strcmp(argv[3], "--file") == 0;
    if (argc != 3 && !file && !(argc == 5 && strcmp(argv[3], "--write") == 0)) {
        fprintf(stderr, "usage: %s COUNT SEED [--write DIR | --file]\n", argv[0]);
        return 2;
    }
    if (!rvvm_jit_available()) {
        fprintf(stderr, "jit_random: the translation tier is not available: skipped\n");
        return 77;
    }
    long count = strtol(argv[1], NULL, 10);
    uint64_t seed = strtoull(argv[2], NULL, 0), s = seed;
    LLVMFuzzerInitialize(&argc, &argv);
    char dir[] = "/tmp/rvvm-jit-random-XXXXXX";
    rvvm_jit_cache *cache = NULL;
    if (file) {
        if (!mkdtemp(dir)) {
            fprintf(stderr, "jit_random: cannot make a directory\n");
            return 1;
        }
        fuzz_jit_use_cache(cache = file_cache(dir));
    }
    static uint8_t buf[23 + 5 * 1600];
    for (long i = 0; i < count; i++) {
        if (file && i == count / 2 && cache) {
            /* Halfway: the second pass, from the file (the same inputs again). */
            char err[256];
            if (rvvm_jit_cache_save(cache, err, sizeof err) != RVVM_OK) {
                fprintf(stderr, "jit_random: save: %s\n", err);
                return 1;
            }
            fuzz_jit_use_cache(cache = file_cache(dir));
            s = seed;
        }
        /* Mostly short bodies (quick to compile), some up to two pages and more. */
        uint64_t r = splitmix(&s);
        size_t body = (r & 7) == 0 ? 64 + (r >> 8) % 1400 : 4 + (r >> 8) % 120;
        size_t len = 23 + 5 * body;
        for (size_t k = 0; k < len; k += 8) {
            uint64_t v = splitmix(&s);
            for (size_t j = 0; j < 8 && k + j < len; j++)
                buf[k + j] = (uint8_t)(v >> (8 * j));
        }
        /* Budgets: a third of the inputs in small slices (scale 1), the rest scaled. */
        if (i % 3 == 0)
            buf[0] &= 7;
        if (argc == 5) {
            char path[4096];
            snprintf(path, sizeof path, "%s/random-%03ld", argv[4], i);
            FILE *f = fopen(path, "wb");
            if (!f || fwrite(buf, 1, len, f) != len || fclose(f) != 0) {
                fprintf(stderr, "jit_random: cannot write %s\n", path);
                return 1;
            }
        }
        LLVMFuzzerTestOneInput(buf, len);
    }
    printf("jit_random: %llu inputs, %llu with translated code, %llu runs translated; stops: "
           "%llu exited, %llu at the cycle cap, %llu faulted\n",
           (unsigned long long)fuzz_jit_inputs, (unsigned long long)fuzz_jit_translated_inputs,
           (unsigned long long)fuzz_jit_translated, (unsigned long long)fuzz_jit_stops[0],
           (unsigned long long)fuzz_jit_stops[1], (unsigned long long)fuzz_jit_stops[2]);
    if (file) {
        rvvm_jit_cache_stats st;
        rvvm_jit_cache_get_stats(cache, &st);
        printf("jit_random: second pass: %llu slots loaded from the file\n", (unsigned long long)st.loaded);
        fuzz_jit_use_cache(NULL);
        char cmd[64];
        snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
        if (st.loaded == 0 || system(cmd) != 0)
            return 1;
    }
    if (fuzz_jit_translated_inputs * 2 < fuzz_jit_inputs) {
        printf("jit_random: fewer than half the inputs ran translated code\n");
        return 1;
    }
    return 0;
}
