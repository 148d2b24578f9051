/* matmul: 200x200 matrix multiply on 32-bit integers (wrapping unsigned
 * arithmetic, i-k-j loop order so the inner loop streams rows). Each
 * repetition feeds part of the product back into the left operand. */
#include "bench.h"

#define N 200

static uint32_t A[N][N], B[N][N], C[N][N];

static void multiply(void)
{
    for (int i = 0; i < N; i++) {
        uint32_t *c = C[i];
        for (int j = 0; j < N; j++)
            c[j] = 0;
        for (int k = 0; k < N; k++) {
            uint32_t a = A[i][k];
            const uint32_t *b = B[k];
            for (int j = 0; j < N; j++)
                c[j] += a * b[j];
        }
    }
}

int main(int argc, char **argv, char **envp)
{
    (void)envp;
    long reps = bench_reps(argc, argv, 4);
    bench_rng rng = {0x5eed0005};
    for (int i = 0; i < N; i++) {
        for (int j = 0; j < N; j++) {
            A[i][j] = (uint32_t)rng_below(&rng, 2001) - 1000u;
            B[i][j] = (uint32_t)rng_below(&rng, 2001) - 1000u;
        }
    }

    uint64_t sum = 0;
    for (long r = 0; r < reps; r++) {
        multiply();
        uint64_t acc = 0;
        for (int i = 0; i < N; i++)
            for (int j = 0; j < N; j++)
                acc = acc * 0x100000001b3ull + C[i][j];
        sum = mix64(sum, acc);
        /* keep entries small: take a few low bits of the product, centred on 0 */
        for (int i = 0; i < N; i++)
            for (int j = 0; j < N; j++)
                A[i][j] = (C[i][j] & 1023u) - 512u;
    }
    return bench_done("matmul", reps, sum);
}
