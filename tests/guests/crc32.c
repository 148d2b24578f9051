/* Bitwise (table-free) CRC-32 and CRC-32C. The "123456789" check values
 * are the published ones for these CRCs; the program exits 1 if they do
 * not come out right. */
#include "rt.h"

static uint32_t crc_bitwise(uint32_t poly, const uint8_t *p, size_t n)
{
    uint32_t crc = 0xffffffffu;
    for (size_t i = 0; i < n; i++) {
        crc ^= p[i];
        for (int b = 0; b < 8; b++)
            crc = (crc >> 1) ^ (poly & (0u - (crc & 1)));
    }
    return ~crc;
}

#define POLY_CRC32 0xedb88320u  /* reflected 0x04c11db7 */
#define POLY_CRC32C 0x82f63b78u /* reflected 0x1edc6f41 */

static uint8_t buf[16384];

int main(int argc, char **argv, char **envp)
{
    (void)argc;
    (void)argv;
    (void)envp;
    static const char check[] = "123456789";
    uint32_t c1 = crc_bitwise(POLY_CRC32, (const uint8_t *)check, 9);
    uint32_t c2 = crc_bitwise(POLY_CRC32C, (const uint8_t *)check, 9);
    rt_printf("crc32(\"123456789\")=%08x crc32c(\"123456789\")=%08x\n", c1, c2);

    uint32_t x = 1;
    for (size_t i = 0; i < sizeof buf; i++) {
        x = x * 1664525u + 1013904223u;
        buf[i] = (uint8_t)(x >> 24);
    }
    rt_printf("crc32(buf[%u])=%08x\n", (unsigned)sizeof buf, crc_bitwise(POLY_CRC32, buf, sizeof buf));
    rt_printf("crc32c(buf[0..1000])=%08x\n", crc_bitwise(POLY_CRC32C, buf, 1000));
    rt_printf("crc32(empty)=%08x\n", crc_bitwise(POLY_CRC32, buf, 0));
    return c1 == 0xcbf43926u && c2 == 0xe3069283u ? 0 : 1;
}
