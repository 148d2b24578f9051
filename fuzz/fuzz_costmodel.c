/*
 * Fuzz target: the cost-file parser, rvvm_cost_model_parse.
 *
 * Beyond "no crash": a failure gives a non-empty one-line reason; a success
 * gives costs in [1, RVVM_COST_MAX] that a machine accepts, equal to what a
 * plain reading of the documented syntax ("class = cycles" lines, '#'
 * comments, blank lines, unnamed classes cost 1) gives; and the model
 * written back out as a cost file parses to the same model.
 */
#include "fuzz.h"

#include <ctype.h>
#include <string.h>

#include "rvvm/rvvm.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    return 0;
}

/*
 * The documented syntax, read simply: for each line, drop a '#' comment and
 * surrounding blanks; a non-empty rest must be "name = digits". Returns 1
 * with the costs if every line is of that form (values not range-checked:
 * the caller only uses this on texts the library accepted, and checks
 * ranges separately), 0 otherwise.
 */
static int oracle(const char *text, size_t len, uint32_t cost[RVVM_COST_CLASS_COUNT])
{
    for (int i = 0; i < RVVM_COST_CLASS_COUNT; i++)
        cost[i] = 1;
    size_t pos = 0;
    while (pos < len) {
        size_t end = pos;
        while (end < len && text[end] != '\n')
            end++;
        size_t stop = end;
        for (size_t k = pos; k < end; k++)
            if (text[k] == '#') {
                stop = k;
                break;
            }
        size_t a = pos;
        while (a < stop && isspace((unsigned char)text[a]))
            a++;
        size_t ks = a;
        while (a < stop && !isspace((unsigned char)text[a]) && text[a] != '=')
            a++;
        size_t ke = a;
        while (a < stop && isspace((unsigned char)text[a]))
            a++;
        if (ks == stop) {
            pos = end + 1;
            continue; /* blank or comment only */
        }
        if (a >= stop || text[a] != '=' || ke == ks)
            return 0;
        a++;
        while (a < stop && isspace((unsigned char)text[a]))
            a++;
        uint64_t v = 0;
        size_t ds = a;
        while (a < stop && isdigit((unsigned char)text[a])) {
            if (v < 100000000ull)
                v = v * 10 + (uint64_t)(text[a] - '0');
            a++;
        }
        if (a == ds)
            return 0;
        while (a < stop && isspace((unsigned char)text[a]))
            a++;
        if (a != stop)
            return 0;
        int cls = -1;
        for (int i = 0; i < RVVM_COST_CLASS_COUNT; i++) {
            const char *name = rvvm_cost_class_name((rvvm_cost_class)i);
            if (strlen(name) == ke - ks && memcmp(name, text + ks, ke - ks) == 0)
                cls = i;
        }
        if (cls < 0)
            return 0;
        cost[cls] = (uint32_t)(v > 0xffffffffu ? 0xffffffffu : v);
        pos = end + 1;
    }
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    rvvm_cost_model cm, again;
    memset(&cm, 0xa5, sizeof cm);
    char err[128];
    err[0] = '\0';
    rvvm_status st = rvvm_cost_model_parse(text, size, &cm, err, sizeof err);
    if (st != RVVM_OK) {
        FUZZ_CHECK(st == RVVM_ERR_INVALID_ARGUMENT, "status %d", (int)st);
        FUZZ_CHECK(err[0] != '\0', "failure without a reason");
        FUZZ_CHECK(strchr(err, '\n') == NULL, "reason is not one line: %s", err);
        return 0;
    }
    for (int i = 0; i < RVVM_COST_CLASS_COUNT; i++)
        FUZZ_CHECK(cm.cost[i] >= 1 && cm.cost[i] <= RVVM_COST_MAX, "class %d cost %u", i,
                   cm.cost[i]);
    FUZZ_CHECK(memchr(cm.name, '\0', sizeof cm.name) != NULL, "name not terminated");

    uint32_t expect[RVVM_COST_CLASS_COUNT];
    FUZZ_CHECK(oracle(text, size, expect), "accepted a text outside the documented syntax");
    for (int i = 0; i < RVVM_COST_CLASS_COUNT; i++)
        FUZZ_CHECK(cm.cost[i] == expect[i], "class %s: parsed %u, the text says %u",
                   rvvm_cost_class_name((rvvm_cost_class)i), cm.cost[i], expect[i]);

    /* Written back out, the model reads the same. */
    char out[RVVM_COST_CLASS_COUNT * 32];
    size_t n = 0;
    for (int i = 0; i < RVVM_COST_CLASS_COUNT; i++)
        n += (size_t)snprintf(out + n, sizeof out - n, "%s = %u\n",
                              rvvm_cost_class_name((rvvm_cost_class)i), cm.cost[i]);
    FUZZ_CHECK(rvvm_cost_model_parse(out, n, &again, err, sizeof err) == RVVM_OK,
               "written-back model refused: %s", err);
    FUZZ_CHECK(memcmp(again.cost, cm.cost, sizeof cm.cost) == 0, "round trip changed costs");

    /* And a machine takes it. */
    rvvm_config cfg;
    rvvm_config_init(&cfg);
    cfg.memory_size = RVVM_MIN_MEMORY_SIZE;
    cfg.cost_model = cm;
    rvvm_machine *m = NULL;
    FUZZ_CHECK(rvvm_create(&cfg, &m) == RVVM_OK, "a parsed model is refused by rvvm_create");
    rvvm_destroy(m);
    return 0;
}
