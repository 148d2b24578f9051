/* branchy: data-dependent control flow. A lexer state machine classifies
 * characters of pseudo-random source-like text (identifiers, numbers,
 * operators, strings, comments, whitespace), and a binary search looks up
 * pseudo-random keys in a sorted table (about half of them present). */
#include "bench.h"

#define TEXT_SIZE (64 * 1024)
#define TABLE_SIZE 65536
#define LOOKUPS 200000

static char text[TEXT_SIZE + 1];
static uint32_t sorted[TABLE_SIZE];

enum tok { T_IDENT, T_NUMBER, T_OP, T_STRING, T_COMMENT, T_NEWLINE, T_COUNT };

/* Character mix chosen so every lexer state is visited often. */
static void make_text(bench_rng *rng)
{
    static const char ops[] = "+-*/=<>!&|(){};,";
    for (size_t i = 0; i < TEXT_SIZE; i++) {
        uint64_t r = rng_next(rng);
        unsigned kind = (unsigned)(r & 63);
        r >>= 6;
        char c;
        if (kind < 22)
            c = (char)('a' + r % 26);
        else if (kind < 30)
            c = (char)('0' + r % 10);
        else if (kind < 42)
            c = ' ';
        else if (kind < 52)
            c = ops[r % 16];
        else if (kind < 55)
            c = '"';
        else if (kind < 58)
            c = '\n';
        else if (kind < 60)
            c = '_';
        else if (kind < 62)
            c = '#';
        else
            c = (char)('A' + r % 26);
        text[i] = c;
    }
    text[TEXT_SIZE] = '\0';
}

static int is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Counts tokens per kind and folds the token lengths into a hash. */
static uint64_t lex(const char *s, long counts[T_COUNT])
{
    enum { S_START, S_IDENT, S_NUMBER, S_STRING, S_COMMENT } state = S_START;
    uint64_t h = 0;
    long start = 0;
    for (long i = 0;; i++) {
        char c = s[i];
        switch (state) {
        case S_START:
            if (c == '\0')
                return h;
            start = i;
            if (is_alpha(c)) {
                state = S_IDENT;
            } else if (is_digit(c)) {
                state = S_NUMBER;
            } else if (c == '"') {
                state = S_STRING;
            } else if (c == '#') {
                state = S_COMMENT;
            } else if (c == '\n') {
                counts[T_NEWLINE]++;
            } else if (c == ' ') {
                /* skip */
            } else {
                /* two-character operators */
                char d = s[i + 1];
                if ((c == '=' || c == '<' || c == '>' || c == '!') && d == '=')
                    i++;
                else if ((c == '&' && d == '&') || (c == '|' && d == '|'))
                    i++;
                counts[T_OP]++;
                h = h * 3 + (uint64_t)(i - start + 1);
            }
            break;
        case S_IDENT:
            if (!is_alpha(c) && !is_digit(c)) {
                counts[T_IDENT]++;
                h = h * 5 + (uint64_t)(i - start);
                state = S_START;
                i--;
            }
            break;
        case S_NUMBER:
            if (!is_digit(c)) {
                counts[T_NUMBER]++;
                h = h * 7 + (uint64_t)(i - start);
                state = S_START;
                i--;
            }
            break;
        case S_STRING:
            if (c == '"' || c == '\n' || c == '\0') {
                counts[T_STRING]++;
                h = h * 11 + (uint64_t)(i - start);
                state = S_START;
                if (c != '"')
                    i--;
            }
            break;
        case S_COMMENT:
            if (c == '\n' || c == '\0') {
                counts[T_COMMENT]++;
                h = h * 13 + (uint64_t)(i - start);
                state = S_START;
                i--;
            }
            break;
        }
    }
}

static long binary_search(const uint32_t *v, long n, uint32_t key)
{
    long lo = 0, hi = n - 1;
    while (lo <= hi) {
        long mid = lo + (hi - lo) / 2;
        if (v[mid] < key)
            lo = mid + 1;
        else if (v[mid] > key)
            hi = mid - 1;
        else
            return mid;
    }
    return -1;
}

int main(int argc, char **argv, char **envp)
{
    (void)envp;
    long reps = bench_reps(argc, argv, 8);
    bench_rng rng = {0x5eed0008};

    /* strictly increasing keys with random gaps of 1 or 2 */
    uint32_t k = 0;
    for (long i = 0; i < TABLE_SIZE; i++) {
        k += 1 + (uint32_t)(rng_next(&rng) & 1);
        sorted[i] = k;
    }

    uint64_t sum = 0;
    for (long r = 0; r < reps; r++) {
        make_text(&rng);
        long counts[T_COUNT] = {0};
        sum = mix64(sum, lex(text, counts));
        for (int t = 0; t < T_COUNT; t++)
            sum = mix64(sum, (uint64_t)counts[t]);

        long found = 0;
        uint64_t where = 0;
        for (long i = 0; i < LOOKUPS; i++) {
            uint32_t key = (uint32_t)rng_below(&rng, (uint64_t)k + 2);
            long at = binary_search(sorted, TABLE_SIZE, key);
            if (at >= 0) {
                found++;
                where += (uint64_t)at;
            }
        }
        sum = mix64(sum, (uint64_t)found);
        sum = mix64(sum, where);
    }
    return bench_done("branchy", reps, sum);
}
