/* strings: C-string routines written here (length, compare, copy, find a
 * character, find a substring, tokenize) applied to generated text: the
 * text is split into words, the words are counted in a hash table
 * (FNV-1a, open addressing, compared with str_cmp), and a few needles are
 * counted with a naive substring search. */
#include "bench.h"

#define TEXT_MAX (96 * 1024)
#define TABLE_SIZE 32768 /* power of two, about twice the most distinct words per text */

static char text[TEXT_MAX + 64];
static char work[TEXT_MAX + 64];

typedef struct entry {
    const char *word;
    uint32_t hash;
    uint32_t count;
} entry;

static entry table[TABLE_SIZE];

static size_t str_len(const char *s)
{
    const char *p = s;
    while (*p)
        p++;
    return (size_t)(p - s);
}

static int str_cmp(const char *a, const char *b)
{
    while (*a && *a == *b) {
        a++;
        b++;
    }
    return (unsigned char)*a - (unsigned char)*b;
}

static char *str_cpy(char *dst, const char *src)
{
    char *d = dst;
    while ((*d++ = *src++) != '\0')
        ;
    return dst;
}

static const char *str_chr(const char *s, int c)
{
    for (;; s++) {
        if (*s == (char)c)
            return s;
        if (!*s)
            return NULL;
    }
}

static const char *str_str(const char *hay, const char *needle)
{
    if (!*needle)
        return hay;
    for (; *hay; hay++) {
        if (*hay != *needle)
            continue;
        const char *h = hay, *n = needle;
        while (*n && *h == *n) {
            h++;
            n++;
        }
        if (!*n)
            return hay;
    }
    return NULL;
}

/* strtok_r-like: skips leading delimiters, NUL-terminates the token. */
static char *str_tok(char *s, const char *delim, char **save)
{
    if (!s)
        s = *save;
    while (*s && str_chr(delim, *s))
        s++;
    if (!*s) {
        *save = s;
        return NULL;
    }
    char *tok = s;
    while (*s && !str_chr(delim, *s))
        s++;
    if (*s)
        *s++ = '\0';
    *save = s;
    return tok;
}

static uint32_t fnv1a(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 16777619u;
    }
    return h;
}

static const char *const syllables[16] = {
    "ka", "lo", "mi", "ten", "ra", "shu", "vel", "no",
    "qui", "ba", "ter", "do", "sa", "phi", "ex", "ul",
};

/* Words of 1-4 syllables; separators are mostly spaces, sometimes ", ",
 * ". " (next word capitalised) or a newline. */
static size_t generate(bench_rng *rng, char *out, size_t max)
{
    size_t n = 0;
    int capital = 1;
    while (n < max - 32) {
        uint64_t r = rng_next(rng);
        int nsyl = 1 + (int)(r & 3);
        r >>= 2;
        for (int s = 0; s < nsyl; s++) {
            const char *syl = syllables[r & 15];
            r >>= 4;
            for (const char *c = syl; *c; c++) {
                char ch = *c;
                if (capital) {
                    ch = (char)(ch - 'a' + 'A');
                    capital = 0;
                }
                out[n++] = ch;
            }
        }
        unsigned sep = (unsigned)(r & 31);
        if (sep < 3) {
            out[n++] = ',';
            out[n++] = ' ';
        } else if (sep < 5) {
            out[n++] = '.';
            out[n++] = ' ';
            capital = 1;
        } else if (sep < 7) {
            out[n++] = '\n';
        } else {
            out[n++] = ' ';
        }
    }
    out[n] = '\0';
    return n;
}

static long count_occurrences(const char *hay, const char *needle)
{
    long count = 0;
    for (const char *p = str_str(hay, needle); p; p = str_str(p + 1, needle))
        count++;
    return count;
}

int main(int argc, char **argv, char **envp)
{
    (void)envp;
    long reps = bench_reps(argc, argv, 28);
    static const char *const needles[] = {"kalo", "ten ra", "Quiba", "shu.", "mimi", "ul, ex"};
    bench_rng rng = {0x5eed0006};
    uint64_t sum = 0;

    for (long r = 0; r < reps; r++) {
        size_t made = generate(&rng, text, TEXT_MAX);
        size_t len = str_len(text);
        if (len != made) {
            rt_printf("strings: str_len %lu, generated %lu\n", (unsigned long)len,
                      (unsigned long)made);
            return 1;
        }
        str_cpy(work, text);
        if (str_cmp(work, text) != 0) {
            rt_printf("strings: copy differs\n");
            return 1;
        }

        for (size_t i = 0; i < TABLE_SIZE; i++)
            table[i].word = NULL;
        long tokens = 0, distinct = 0;
        char *save = NULL;
        for (char *tok = str_tok(work, " ,.\n", &save); tok; tok = str_tok(NULL, " ,.\n", &save)) {
            uint32_t h = fnv1a(tok);
            size_t slot = h & (TABLE_SIZE - 1);
            for (;;) {
                entry *e = &table[slot];
                if (!e->word) {
                    e->word = tok;
                    e->hash = h;
                    e->count = 1;
                    distinct++;
                    break;
                }
                if (e->hash == h && str_cmp(e->word, tok) == 0) {
                    e->count++;
                    break;
                }
                slot = (slot + 1) & (TABLE_SIZE - 1);
            }
            tokens++;
        }
        uint64_t acc = 0;
        for (size_t i = 0; i < TABLE_SIZE; i++) {
            if (table[i].word)
                acc = mix64(acc, (uint64_t)table[i].hash << 32 | table[i].count);
        }
        sum = mix64(sum, acc);
        sum = mix64(sum, (uint64_t)tokens << 32 | (uint64_t)distinct);
        for (size_t k = 0; k < sizeof needles / sizeof needles[0]; k++)
            sum = mix64(sum, (uint64_t)count_occurrences(text, needles[k]));
    }
    return bench_done("strings", reps, sum);
}
