/* Tiny freestanding runtime for rvvm guest programs. */
#include "rt.h"

/* GCC turns byte loops into memset/memcpy calls at -O2; inside the
 * implementations of those very functions that would recurse forever. */
#define RT_NO_LIBCALLS __attribute__((optimize("no-tree-loop-distribute-patterns")))

long rt_syscall(long nr, long a0, long a1, long a2, long a3, long a4, long a5)
{
#if defined(__riscv)
    register long r_a0 __asm__("a0") = a0;
    register long r_a1 __asm__("a1") = a1;
    register long r_a2 __asm__("a2") = a2;
    register long r_a3 __asm__("a3") = a3;
    register long r_a4 __asm__("a4") = a4;
    register long r_a5 __asm__("a5") = a5;
    register long r_a7 __asm__("a7") = nr;
    __asm__ volatile("ecall"
                     : "+r"(r_a0)
                     : "r"(r_a1), "r"(r_a2), "r"(r_a3), "r"(r_a4), "r"(r_a5), "r"(r_a7)
                     : "memory");
    return r_a0;
#elif defined(__x86_64__)
    register long r10 __asm__("r10") = a3;
    register long r8 __asm__("r8") = a4;
    register long r9 __asm__("r9") = a5;
    long ret;
    __asm__ volatile("syscall"
                     : "=a"(ret)
                     : "a"(nr), "D"(a0), "S"(a1), "d"(a2), "r"(r10), "r"(r8), "r"(r9)
                     : "rcx", "r11", "memory");
    return ret;
#endif
}

long sys_read(int fd, void *buf, size_t len)
{
    return rt_syscall(SYS_read, fd, (long)buf, (long)len, 0, 0, 0);
}

long sys_write(int fd, const void *buf, size_t len)
{
    return rt_syscall(SYS_write, fd, (long)buf, (long)len, 0, 0, 0);
}

_Noreturn void sys_exit(int status)
{
    for (;;)
        rt_syscall(SYS_exit, status, 0, 0, 0, 0, 0);
}

_Noreturn void sys_exit_group(int status)
{
    for (;;)
        rt_syscall(SYS_exit_group, status, 0, 0, 0, 0, 0);
}

/* Called from _start with the initial stack pointer:
 * sp[0] = argc, sp[1..argc] = argv, NULL, envp..., NULL, auxv. */
_Noreturn void rt_start_c(long *sp);
_Noreturn void rt_start_c(long *sp)
{
    int argc = (int)sp[0];
    char **argv = (char **)(sp + 1);
    char **envp = argv + argc + 1;
    sys_exit_group(main(argc, argv, envp));
}

RT_NO_LIBCALLS void *memcpy(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;
    while (n--)
        *d++ = *s++;
    return dst;
}

RT_NO_LIBCALLS void *memmove(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;
    if (d < s) {
        while (n--)
            *d++ = *s++;
    } else {
        while (n--)
            d[n] = s[n];
    }
    return dst;
}

RT_NO_LIBCALLS void *memset(void *dst, int c, size_t n)
{
    unsigned char *d = dst;
    while (n--)
        *d++ = (unsigned char)c;
    return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *x = a, *y = b;
    for (size_t i = 0; i < n; i++) {
        if (x[i] != y[i])
            return x[i] < y[i] ? -1 : 1;
    }
    return 0;
}

size_t strlen(const char *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

int strcmp(const char *a, const char *b)
{
    while (*a && *a == *b) {
        a++;
        b++;
    }
    return (unsigned char)*a - (unsigned char)*b;
}

void write_all(int fd, const void *buf, size_t len)
{
    const char *p = buf;
    while (len > 0) {
        long n = sys_write(fd, p, len);
        if (n <= 0)
            sys_exit_group(120); /* output is broken; nothing sane left to do */
        p += n;
        len -= (size_t)n;
    }
}

void put_str(const char *s)
{
    write_all(1, s, strlen(s));
}

void eput_str(const char *s)
{
    write_all(2, s, strlen(s));
}

void put_char(char c)
{
    write_all(1, &c, 1);
}

/* Writes the decimal digits of v ending just before end; returns start. */
static char *fmt_u64(char *end, uint64_t v)
{
    do {
        *--end = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    return end;
}

void put_u64(uint64_t v)
{
    char buf[24];
    char *p = fmt_u64(buf + sizeof buf, v);
    write_all(1, p, (size_t)(buf + sizeof buf - p));
}

void put_i64(int64_t v)
{
    char buf[24];
    /* Negate in unsigned arithmetic so INT64_MIN works. */
    uint64_t mag = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    char *p = fmt_u64(buf + sizeof buf, mag);
    if (v < 0)
        *--p = '-';
    write_all(1, p, (size_t)(buf + sizeof buf - p));
}

void put_hex(uint64_t v)
{
    char buf[18];
    buf[0] = '0';
    buf[1] = 'x';
    for (int i = 0; i < 16; i++)
        buf[2 + i] = "0123456789abcdef"[(v >> (60 - 4 * i)) & 0xf];
    write_all(1, buf, sizeof buf);
}

struct outbuf {
    char *buf;
    size_t size; /* capacity including the terminating NUL */
    size_t len;  /* characters that would have been written */
};

static void ob_putc(struct outbuf *ob, char c)
{
    if (ob->len + 1 < ob->size)
        ob->buf[ob->len] = c;
    ob->len++;
}

static void ob_pad(struct outbuf *ob, char c, int n)
{
    while (n-- > 0)
        ob_putc(ob, c);
}

int rt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct outbuf ob = { buf, size, 0 };
    for (const char *f = fmt; *f; f++) {
        if (*f != '%') {
            ob_putc(&ob, *f);
            continue;
        }
        f++;
        int left = 0, zero = 0, width = 0, lng = 0;
        for (;; f++) {
            if (*f == '-')
                left = 1;
            else if (*f == '0')
                zero = 1;
            else
                break;
        }
        while (*f >= '0' && *f <= '9')
            width = width * 10 + (*f++ - '0');
        while (*f == 'l' || *f == 'z') {
            lng = 1;
            f++;
        }

        char tmp[24];
        char *end = tmp + sizeof tmp, *p = end;
        const char *s = NULL;
        size_t slen;
        int neg = 0;
        switch (*f) {
        case 'd':
        case 'i': {
            int64_t v = lng ? va_arg(ap, long) : va_arg(ap, int);
            neg = v < 0;
            p = fmt_u64(end, neg ? 0 - (uint64_t)v : (uint64_t)v);
            break;
        }
        case 'u':
            p = fmt_u64(end, lng ? va_arg(ap, unsigned long) : va_arg(ap, unsigned));
            break;
        case 'x':
        case 'X':
        case 'p': {
            const char *digits = *f == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
            uint64_t v;
            if (*f == 'p')
                v = (uintptr_t)va_arg(ap, void *);
            else
                v = lng ? va_arg(ap, unsigned long) : va_arg(ap, unsigned);
            do {
                *--p = digits[v & 0xf];
                v >>= 4;
            } while (v);
            if (*f == 'p') {
                *--p = 'x';
                *--p = '0';
            }
            break;
        }
        case 'c':
            *--p = (char)va_arg(ap, int);
            break;
        case 's':
            s = va_arg(ap, const char *);
            if (!s)
                s = "(null)";
            break;
        case '%':
            *--p = '%';
            break;
        case '\0':
            f--; /* lone '%' at the end: stop at the terminator */
            continue;
        default:
            *--p = *f; /* unknown conversion: print it literally */
            break;
        }
        if (!s)
            s = p;
        slen = s == p ? (size_t)(end - p) : strlen(s);
        int pad = width - (int)slen - neg;
        if (!left && !zero)
            ob_pad(&ob, ' ', pad);
        if (neg)
            ob_putc(&ob, '-');
        if (!left && zero)
            ob_pad(&ob, '0', pad);
        for (size_t i = 0; i < slen; i++)
            ob_putc(&ob, s[i]);
        if (left)
            ob_pad(&ob, ' ', pad);
    }
    if (size > 0)
        buf[ob.len < size ? ob.len : size - 1] = '\0';
    return (int)ob.len;
}

int rt_snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = rt_vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

int rt_vdprintf(int fd, const char *fmt, va_list ap)
{
    char buf[512];
    int n = rt_vsnprintf(buf, sizeof buf, fmt, ap);
    size_t len = (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1;
    write_all(fd, buf, len);
    return (int)len;
}

int rt_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = rt_vdprintf(1, fmt, ap);
    va_end(ap);
    return n;
}

int rt_eprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = rt_vdprintf(2, fmt, ap);
    va_end(ap);
    return n;
}

long parse_ulong(const char *s)
{
    long v = 0;
    if (!s || !*s)
        return -1;
    for (; *s; s++) {
        if (*s < '0' || *s > '9' || v > 100000000L)
            return -1;
        v = v * 10 + (*s - '0');
    }
    return v;
}

const char *path_basename(const char *path)
{
    const char *base = path;
    for (const char *p = path; *p; p++) {
        if (*p == '/')
            base = p + 1;
    }
    return base;
}
