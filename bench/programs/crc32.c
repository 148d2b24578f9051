/* crc32: table-driven CRC-32 (the reflected IEEE 802.3 polynomial
 * 0xEDB88320) over a generated 256 KiB buffer, one byte per step. The
 * buffer changes a little between repetitions. Exits 1 if the published
 * check value CRC-32("123456789") = 0xCBF43926 does not come out. */
#include "bench.h"

#define BUF_SIZE (256 * 1024)

static uint32_t table[256];
static uint8_t buf[BUF_SIZE];

static void make_table(void)
{
    for (uint32_t n = 0; n < 256; n++) {
        uint32_t c = n;
        for (int k = 0; k < 8; k++)
            c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
        table[n] = c;
    }
}

static uint32_t crc32(const uint8_t *p, size_t n)
{
    uint32_t c = 0xffffffffu;
    for (size_t i = 0; i < n; i++)
        c = table[(c ^ p[i]) & 0xff] ^ (c >> 8);
    return c ^ 0xffffffffu;
}

int main(int argc, char **argv, char **envp)
{
    (void)envp;
    long reps = bench_reps(argc, argv, 90);
    make_table();
    uint32_t check = crc32((const uint8_t *)"123456789", 9);
    if (check != 0xcbf43926u) {
        rt_printf("crc32: check value %08x, expected cbf43926\n", check);
        return 1;
    }

    bench_rng rng = {0x5eed0002};
    for (size_t i = 0; i < BUF_SIZE; i += 8) {
        uint64_t v = rng_next(&rng);
        for (int k = 0; k < 8; k++)
            buf[i + (size_t)k] = (uint8_t)(v >> (8 * k));
    }

    uint64_t sum = 0;
    for (long r = 0; r < reps; r++) {
        uint32_t c = crc32(buf, BUF_SIZE);
        sum = mix64(sum, c);
        buf[(size_t)(r * 7919) % BUF_SIZE] ^= (uint8_t)c;
    }
    return bench_done("crc32", reps, sum);
}
