/* Tiny freestanding runtime for rvvm guest programs (no libc).
 * The only architecture-specific code is the ecall wrapper; the x86-64
 * branch exists so the same programs can be built natively to cross-check
 * expected outputs (see tests/integration/check_host.sh). */
#ifndef RVVM_GUEST_RT_H
#define RVVM_GUEST_RT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#if defined(__riscv)
enum {
    SYS_read = 63,
    SYS_write = 64,
    SYS_exit = 93,
    SYS_exit_group = 94,
};
#elif defined(__x86_64__)
enum {
    SYS_read = 0,
    SYS_write = 1,
    SYS_exit = 60,
    SYS_exit_group = 231,
};
#else
#error "unsupported architecture"
#endif

#define RT_ENOSYS 38

/* Raw syscall: returns the kernel result (negative errno on error). */
long rt_syscall(long nr, long a0, long a1, long a2, long a3, long a4, long a5);

long sys_read(int fd, void *buf, size_t len);
long sys_write(int fd, const void *buf, size_t len);
_Noreturn void sys_exit(int status);       /* exit (93) */
_Noreturn void sys_exit_group(int status); /* exit_group (94) */

/* Every guest defines main with this exact signature. */
int main(int argc, char **argv, char **envp);

/* Compiler-visible helpers: gcc may emit calls to these. */
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);

/* Output helpers; every call is a single write() syscall. */
void write_all(int fd, const void *buf, size_t len);
void put_str(const char *s);
void put_char(char c);
void put_u64(uint64_t v);
void put_i64(int64_t v);
void put_hex(uint64_t v); /* "0x" + 16 hex digits */
void eput_str(const char *s); /* to stderr */

/* printf subset: %d %i %u %x %X %s %c %p %%, length modifiers l/ll/z,
 * flags '-' and '0', and a decimal width. Output is formatted into a
 * bounded buffer and emitted with one write(); longer output is cut. */
int rt_vdprintf(int fd, const char *fmt, va_list ap);
int rt_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int rt_eprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int rt_snprintf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int rt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

/* Parse an unsigned decimal number; returns -1 on empty/invalid input. */
long parse_ulong(const char *s);

const char *path_basename(const char *path);

#endif
