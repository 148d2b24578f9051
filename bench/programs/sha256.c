/* sha256: SHA-256 as specified in FIPS 180-4, written for this benchmark.
 * Hashes a generated 64 KiB buffer repeatedly, feeding each digest back
 * into the start of the buffer. Checks SHA-256("abc") first and exits 1
 * if it is not the FIPS 180-4 example value ba7816bf...f20015ad. */
#include "bench.h"

#define BUF_SIZE (64 * 1024)

/* FIPS 180-4 section 4.2.2: the first 32 bits of the fractional parts of
 * the cube roots of the first 64 primes. */
static const uint32_t K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

/* Section 5.3.3: the first 32 bits of the fractional parts of the square
 * roots of the first 8 primes. */
static const uint32_t H_INIT[8] = {
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
};

typedef struct sha256_ctx {
    uint32_t h[8];
    uint8_t block[64];
    size_t used;      /* bytes waiting in block */
    uint64_t total;   /* message length in bytes */
} sha256_ctx;

static inline uint32_t rotr(uint32_t x, unsigned n)
{
    return (x >> n) | (x << (32 - n));
}

/* Section 4.1.2 functions. */
#define CH(x, y, z) (((x) & (y)) ^ (~(x) & (z)))
#define MAJ(x, y, z) (((x) & (y)) ^ ((x) & (z)) ^ ((y) & (z)))
#define BSIG0(x) (rotr(x, 2) ^ rotr(x, 13) ^ rotr(x, 22))
#define BSIG1(x) (rotr(x, 6) ^ rotr(x, 11) ^ rotr(x, 25))
#define SSIG0(x) (rotr(x, 7) ^ rotr(x, 18) ^ ((x) >> 3))
#define SSIG1(x) (rotr(x, 17) ^ rotr(x, 19) ^ ((x) >> 10))

/* Section 6.2.2: one 512-bit block. */
static void compress(uint32_t h[8], const uint8_t *p)
{
    uint32_t w[64];
    for (int t = 0; t < 16; t++)
        w[t] = (uint32_t)p[4 * t] << 24 | (uint32_t)p[4 * t + 1] << 16 |
               (uint32_t)p[4 * t + 2] << 8 | (uint32_t)p[4 * t + 3];
    for (int t = 16; t < 64; t++)
        w[t] = SSIG1(w[t - 2]) + w[t - 7] + SSIG0(w[t - 15]) + w[t - 16];

    uint32_t a = h[0], b = h[1], c = h[2], d = h[3];
    uint32_t e = h[4], f = h[5], g = h[6], hh = h[7];
    for (int t = 0; t < 64; t++) {
        uint32_t t1 = hh + BSIG1(e) + CH(e, f, g) + K[t] + w[t];
        uint32_t t2 = BSIG0(a) + MAJ(a, b, c);
        hh = g;
        g = f;
        f = e;
        e = d + t1;
        d = c;
        c = b;
        b = a;
        a = t1 + t2;
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
    h[4] += e;
    h[5] += f;
    h[6] += g;
    h[7] += hh;
}

static void sha256_init(sha256_ctx *c)
{
    for (int i = 0; i < 8; i++)
        c->h[i] = H_INIT[i];
    c->used = 0;
    c->total = 0;
}

static void sha256_update(sha256_ctx *c, const uint8_t *p, size_t n)
{
    c->total += n;
    if (c->used) {
        while (n && c->used < 64) {
            c->block[c->used++] = *p++;
            n--;
        }
        if (c->used < 64)
            return;
        compress(c->h, c->block);
        c->used = 0;
    }
    for (; n >= 64; n -= 64, p += 64)
        compress(c->h, p);
    while (n--)
        c->block[c->used++] = *p++;
}

/* Section 5.1.1 padding: a 1 bit, zeros, then the 64-bit big-endian length
 * in bits, so the padded message is a multiple of 512 bits. */
static void sha256_final(sha256_ctx *c, uint8_t out[32])
{
    uint64_t bits = c->total * 8;
    c->block[c->used++] = 0x80;
    if (c->used > 56) {
        while (c->used < 64)
            c->block[c->used++] = 0;
        compress(c->h, c->block);
        c->used = 0;
    }
    while (c->used < 56)
        c->block[c->used++] = 0;
    for (int i = 0; i < 8; i++)
        c->block[56 + i] = (uint8_t)(bits >> (56 - 8 * i));
    compress(c->h, c->block);
    for (int i = 0; i < 8; i++) {
        out[4 * i] = (uint8_t)(c->h[i] >> 24);
        out[4 * i + 1] = (uint8_t)(c->h[i] >> 16);
        out[4 * i + 2] = (uint8_t)(c->h[i] >> 8);
        out[4 * i + 3] = (uint8_t)c->h[i];
    }
}

static void sha256(const uint8_t *p, size_t n, uint8_t out[32])
{
    sha256_ctx c;
    sha256_init(&c);
    sha256_update(&c, p, n);
    sha256_final(&c, out);
}

static void hex(const uint8_t *d, size_t n, char *out)
{
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = "0123456789abcdef"[d[i] >> 4];
        out[2 * i + 1] = "0123456789abcdef"[d[i] & 15];
    }
    out[2 * n] = '\0';
}

static uint8_t buf[BUF_SIZE];

int main(int argc, char **argv, char **envp)
{
    (void)envp;
    long reps = bench_reps(argc, argv, 45);
    char text[65];
    uint8_t d[32];

    sha256((const uint8_t *)"abc", 3, d);
    hex(d, 32, text);
    if (strcmp(text, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad") != 0) {
        rt_printf("sha256: SHA-256(\"abc\") = %s, wrong\n", text);
        return 1;
    }

    bench_rng rng = {0x5eed0003};
    for (size_t i = 0; i < BUF_SIZE; i += 8) {
        uint64_t v = rng_next(&rng);
        for (int k = 0; k < 8; k++)
            buf[i + (size_t)k] = (uint8_t)(v >> (8 * k));
    }

    uint64_t sum = 0;
    for (long r = 0; r < reps; r++) {
        /* odd lengths exercise the buffered path of update and final */
        size_t len = BUF_SIZE - (size_t)(r % 61);
        sha256_ctx c;
        sha256_init(&c);
        sha256_update(&c, buf, 1000 + (size_t)(r % 7));
        sha256_update(&c, buf + 1000 + r % 7, len - 1000 - (size_t)(r % 7));
        sha256_final(&c, d);
        for (int i = 0; i < 32; i++)
            buf[i] = d[i];
        uint64_t v = 0;
        for (int i = 0; i < 8; i++)
            v = v << 8 | d[i];
        sum = mix64(sum, v);
    }
    hex(d, 32, text);
    rt_printf("sha256: last digest %s\n", text);
    return bench_done("sha256", reps, sum);
}
