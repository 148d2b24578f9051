/* Cost models and ISA strings. */
#include "cpu.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

static const char *const class_names[RVVM_COST_CLASS_COUNT] = {
    [RVVM_COST_ALU] = "alu",       [RVVM_COST_BRANCH] = "branch", [RVVM_COST_JUMP] = "jump",
    [RVVM_COST_LOAD] = "load",     [RVVM_COST_STORE] = "store",   [RVVM_COST_MUL] = "mul",
    [RVVM_COST_DIV] = "div",       [RVVM_COST_ATOMIC] = "atomic", [RVVM_COST_CSR] = "csr",
    [RVVM_COST_FENCE] = "fence",   [RVVM_COST_ECALL] = "ecall",   [RVVM_COST_EBREAK] = "ebreak",
    [RVVM_COST_FP] = "fp",         [RVVM_COST_FPDIV] = "fpdiv",
};

/* The weighted model: rough in-order core latencies, with a system call
 * priced like a trip through a kernel. Documented in docs/metering.md. */
static const uint32_t weighted[RVVM_COST_CLASS_COUNT] = {
    [RVVM_COST_ALU] = 1,    [RVVM_COST_BRANCH] = 3, [RVVM_COST_JUMP] = 3,
    [RVVM_COST_LOAD] = 2,   [RVVM_COST_STORE] = 3,  [RVVM_COST_MUL] = 5,
    [RVVM_COST_DIV] = 32,   [RVVM_COST_ATOMIC] = 5, [RVVM_COST_CSR] = 2,
    [RVVM_COST_FENCE] = 2,  [RVVM_COST_ECALL] = 500, [RVVM_COST_EBREAK] = 1,
    [RVVM_COST_FP] = 4,     [RVVM_COST_FPDIV] = 20,
};

const char *rvvm_cost_class_name(rvvm_cost_class cls)
{
    return (unsigned)cls < RVVM_COST_CLASS_COUNT ? class_names[cls] : NULL;
}

static void unit_model(rvvm_cost_model *out, const char *name)
{
    memset(out, 0, sizeof *out);
    snprintf(out->name, sizeof out->name, "%s", name);
    for (int i = 0; i < RVVM_COST_CLASS_COUNT; i++)
        out->cost[i] = 1;
}

rvvm_status rvvm_cost_model_builtin(const char *name, rvvm_cost_model *out)
{
    if (!name || !out)
        return RVVM_ERR_INVALID_ARGUMENT;
    if (strcmp(name, "unit") == 0) {
        unit_model(out, "unit");
        return RVVM_OK;
    }
    if (strcmp(name, "weighted") == 0) {
        unit_model(out, "weighted");
        memcpy(out->cost, weighted, sizeof weighted);
        return RVVM_OK;
    }
    return RVVM_ERR_INVALID_ARGUMENT;
}

static rvvm_status parse_error(char *err, size_t err_size, unsigned line, const char *msg,
                               const char *word)
{
    if (err && err_size)
        snprintf(err, err_size, "line %u: %s%s%s%s", line, msg, word ? " '" : "",
                 word ? word : "", word ? "'" : "");
    return RVVM_ERR_INVALID_ARGUMENT;
}

rvvm_status rvvm_cost_model_parse(const char *text, size_t len, rvvm_cost_model *out,
                                  char *err, size_t err_size)
{
    if (!text || !out)
        return RVVM_ERR_INVALID_ARGUMENT;
    rvvm_cost_model cm;
    unit_model(&cm, "custom");
    size_t pos = 0;
    unsigned line = 0;
    while (pos < len) {
        line++;
        size_t end = pos;
        while (end < len && text[end] != '\n')
            end++;
        char buf[256];
        size_t n = end - pos;
        if (n >= sizeof buf)
            return parse_error(err, err_size, line, "line too long", NULL);
        memcpy(buf, text + pos, n);
        buf[n] = '\0';
        pos = end + 1;
        if (memchr(buf, '\0', n))
            return parse_error(err, err_size, line, "NUL byte", NULL);
        char *hash = strchr(buf, '#');
        if (hash)
            *hash = '\0';
        char key[64], extra[8];
        unsigned long long value;
        char *p = buf;
        while (isspace((unsigned char)*p))
            p++;
        if (*p == '\0')
            continue;
        char *eq = strchr(p, '=');
        if (!eq)
            return parse_error(err, err_size, line, "expected 'class = cycles'", NULL);
        *eq = '\0';
        if (sscanf(p, "%63s %7s", key, extra) != 1)
            return parse_error(err, err_size, line, "expected one class name before '='", NULL);
        char *v = eq + 1;
        while (isspace((unsigned char)*v))
            v++;
        if (!isdigit((unsigned char)*v))
            return parse_error(err, err_size, line, "expected a whole number of cycles", NULL);
        char *vend;
        errno = 0;
        value = strtoull(v, &vend, 10);
        while (isspace((unsigned char)*vend))
            vend++;
        if (*vend != '\0' || errno)
            return parse_error(err, err_size, line, "expected a whole number of cycles", NULL);
        if (value < 1 || value > RVVM_COST_MAX)
            return parse_error(err, err_size, line, "cost out of range 1..1000000 for", key);
        if (strcmp(key, "name") == 0)
            return parse_error(err, err_size, line, "unknown class", key);
        int cls = -1;
        for (int i = 0; i < RVVM_COST_CLASS_COUNT; i++)
            if (strcmp(key, class_names[i]) == 0)
                cls = i;
        if (cls < 0)
            return parse_error(err, err_size, line, "unknown class", key);
        cm.cost[cls] = (uint32_t)value;
    }
    *out = cm;
    return RVVM_OK;
}

rvvm_status rvvm_isa_parse(const char *text, uint32_t *isa_out)
{
    if (!text || !isa_out)
        return RVVM_ERR_INVALID_ARGUMENT;
    char buf[128];
    size_t n = strlen(text);
    if (n >= sizeof buf || n < 5)
        return RVVM_ERR_INVALID_ARGUMENT;
    for (size_t i = 0; i <= n; i++)
        buf[i] = (char)tolower((unsigned char)text[i]);
    if (strncmp(buf, "rv64", 4) != 0)
        return RVVM_ERR_INVALID_ARGUMENT;
    uint32_t isa = 0;
    char *p = buf + 4;
    /* Single-letter extensions, in any order, up to the first underscore. */
    if (*p != 'i' && *p != 'g')
        return RVVM_ERR_INVALID_ARGUMENT;
    for (; *p && *p != '_'; p++) {
        switch (*p) {
        case 'i': break;
        case 'm': isa |= RVVM_ISA_M; break;
        case 'a': isa |= RVVM_ISA_A; break;
        case 'c': isa |= RVVM_ISA_C; break;
        case 'f': isa |= RVVM_ISA_F; break;
        case 'd': isa |= RVVM_ISA_D; break;
        case 'g':
            isa |= RVVM_ISA_M | RVVM_ISA_A | RVVM_ISA_F | RVVM_ISA_D | RVVM_ISA_ZICSR |
                   RVVM_ISA_ZIFENCEI;
            break;
        case 'b': isa |= RVVM_ISA_B; break;
        default: return RVVM_ERR_INVALID_ARGUMENT;
        }
    }
    while (*p == '_') {
        char *name = ++p;
        while (*p && *p != '_')
            p++;
        size_t len = (size_t)(p - name);
        if (len == 5 && strncmp(name, "zicsr", 5) == 0)
            isa |= RVVM_ISA_ZICSR;
        else if (len == 8 && strncmp(name, "zifencei", 8) == 0)
            isa |= RVVM_ISA_ZIFENCEI;
        else if (len == 3 && strncmp(name, "zba", 3) == 0)
            isa |= RVVM_ISA_ZBA;
        else if (len == 3 && strncmp(name, "zbb", 3) == 0)
            isa |= RVVM_ISA_ZBB;
        else if (len == 3 && strncmp(name, "zbc", 3) == 0)
            isa |= RVVM_ISA_ZBC;
        else if (len == 3 && strncmp(name, "zbs", 3) == 0)
            isa |= RVVM_ISA_ZBS;
        else if (len == 6 && strncmp(name, "zicond", 6) == 0)
            isa |= RVVM_ISA_ZICOND;
        else
            return RVVM_ERR_INVALID_ARGUMENT;
    }
    if ((isa & RVVM_ISA_D) && !(isa & RVVM_ISA_F))
        return RVVM_ERR_INVALID_ARGUMENT; /* D depends on F */
    *isa_out = isa;
    return RVVM_OK;
}
