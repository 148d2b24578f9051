/*
 * A key-value ledger contract. Storage (in the host): "bal:<account>" ->
 * 8-byte little-endian balance, "memo:<account>" -> bytes. Each exported
 * function is one kind of transaction: it reads its arguments from the
 * transaction input and returns 0 to commit or non-zero to revert.
 *
 *   mint      input u32 to, u32 0, u64 amount     return: to's new balance
 *   transfer  input u32 from, u32 to, u64 amount  return: from's new balance;
 *             reverts if from has less than amount
 *   memo      input u32 account, u32 n            stores n pattern bytes; return: n
 *   spin      input u64 n                         n rounds of an LCG; return: its value
 *   crash     stores, then writes through a null pointer (a guest fault)
 *   badptr    stores, then hands the host a pointer it may not read (reverts)
 *   tx_count  (a view) the number of committed transactions
 */
#include <stdint.h>

#include "rvvm/guest.h"

typedef unsigned long size_t;

/* Guest state that rollback must restore along with the host's storage. */
static uint64_t calls;          /* transactions that entered (and were not rolled back) */
static uint64_t setup_magic;    /* set once by contract_init */
static unsigned char memo_buf[8192];
/* Through a volatile pointer so the compiler cannot see (and reject) the wild store. */
static uint64_t *volatile wild = (uint64_t *)8;

void contract_init(void) { setup_magic = 0x6c6564676572ull; /* "ledger" */ }

static size_t put_dec(char *p, uint64_t v)
{
    char tmp[24];
    size_t n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    for (size_t i = 0; i < n; i++)
        p[i] = tmp[n - 1 - i];
    return n;
}

static size_t put_str(char *p, const char *s)
{
    size_t n = 0;
    while (s[n]) {
        p[n] = s[n];
        n++;
    }
    return n;
}

static size_t make_key(char *key, const char *prefix, uint32_t account)
{
    size_t n = put_str(key, prefix);
    return n + put_dec(key + n, account);
}

static uint64_t balance(uint32_t account)
{
    char key[32];
    size_t klen = make_key(key, "bal:", account);
    uint64_t v = 0;
    long r = rvvm_storage_get(key, klen, &v, sizeof v);
    return r == 8 ? v : 0;
}

static long set_balance(uint32_t account, uint64_t v)
{
    char key[32];
    size_t klen = make_key(key, "bal:", account);
    return rvvm_storage_put(key, klen, &v, sizeof v);
}

/* Reads exactly n bytes of input; -1 if the input has another size. */
static long input(void *buf, size_t n)
{
    if (rvvm_input_size() != (long)n)
        return -1;
    return rvvm_input_read(buf, n) == (long)n ? 0 : -1;
}

static void log3(const char *what, uint64_t a, const char *sep, uint64_t b, const char *sep2,
                 uint64_t c, int nvals)
{
    char msg[96];
    size_t n = put_str(msg, what);
    n += put_dec(msg + n, a);
    if (nvals > 1) {
        n += put_str(msg + n, sep);
        n += put_dec(msg + n, b);
    }
    if (nvals > 2) {
        n += put_str(msg + n, sep2);
        n += put_dec(msg + n, c);
    }
    rvvm_log(msg, n);
}

long mint(void)
{
    calls++;
    struct { uint32_t to, pad; uint64_t amount; } in;
    if (input(&in, sizeof in))
        return 1;
    uint64_t b = balance(in.to) + in.amount;
    if (set_balance(in.to, b))
        return 1;
    log3("mint ", in.to, ": ", in.amount, "", 0, 2);
    rvvm_return(&b, sizeof b);
    return 0;
}

long transfer(void)
{
    calls++;
    struct { uint32_t from, to; uint64_t amount; } in;
    if (input(&in, sizeof in))
        return 1;
    uint64_t bf = balance(in.from);
    if (bf < in.amount)
        return 1; /* revert: insufficient balance */
    bf -= in.amount;
    if (set_balance(in.from, bf))
        return 1;
    uint64_t bt = balance(in.to) + in.amount;
    if (set_balance(in.to, bt))
        return 1;
    log3("transfer ", in.from, " -> ", in.to, ": ", in.amount, 3);
    bf = balance(in.from);
    rvvm_return(&bf, sizeof bf);
    return 0;
}

long memo(void)
{
    calls++;
    struct { uint32_t account, n; } in;
    if (input(&in, sizeof in) || in.n > sizeof memo_buf)
        return 1;
    for (uint32_t i = 0; i < in.n; i++)
        memo_buf[i] = (unsigned char)(in.account + i * 7);
    char key[32];
    size_t klen = make_key(key, "memo:", in.account);
    if (rvvm_storage_put(key, klen, memo_buf, in.n))
        return 1;
    log3("memo ", in.account, ": ", in.n, "", 0, 2);
    uint64_t n = in.n;
    rvvm_return(&n, sizeof n);
    return 0;
}

long spin(void)
{
    calls++;
    uint64_t n;
    if (input(&n, sizeof n))
        return 1;
    uint64_t x = n;
    for (uint64_t i = 0; i < n; i++)
        x = x * 6364136223846793005ull + 1442695040888963407ull;
    log3("spin ", n, "", 0, "", 0, 1);
    rvvm_return(&x, sizeof x);
    return 0;
}

long crash(void)
{
    calls++;
    set_balance(1, 12345);
    *wild = 1; /* page 0 is never mapped */
    return 0;
}

long badptr(void)
{
    calls++;
    set_balance(0, 999999);
    /* Address 16 is unmapped: the host answers RVVM_HOSTCALL_EFAULT. */
    long r = rvvm_storage_put("bal:0", 5, (const void *)(uintptr_t)16, 8);
    return r == RVVM_HOSTCALL_EFAULT ? 2 : 0;
}

long tx_count(void) { return setup_magic == 0x6c6564676572ull ? (long)calls : -1; }
