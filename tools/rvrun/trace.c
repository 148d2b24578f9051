/*
 * rvrun --trace FILE [--trace-from CYCLE]: the run goes through rvvm_step,
 * which meters exactly as rvvm_run does, so a traced run ends in the same
 * state, at the same cycle, as a fast one. Line format: docs/tracing.md.
 */
#include "trace.h"

#include <inttypes.h>

static void trace_line(FILE *f, const rvvm_step_info *in, const rvvm_run_result *res, uint32_t isa)
{
    char text[96];
    fprintf(f, "%" PRIu64 "\t0x%" PRIx64 "\t", in->cycles, in->pc);
    if (in->length) {
        rvvm_disassemble(in->encoding, in->pc, isa, text, sizeof text);
        fprintf(f, "%0*" PRIx32 "\t%s\t", in->length == 4 ? 8 : 4, in->encoding, text);
    } else {
        fprintf(f, "-\t-\t"); /* could not be fetched */
    }
    if (in->reg_file)
        fprintf(f, "%s=0x%016" PRIx64 "\t", rvvm_register_name(in->reg_file, in->reg & 31),
                in->reg_value);
    else
        fprintf(f, "-\t");
    if (in->access != RVVM_ACCESS_NONE)
        fprintf(f, "%s [0x%" PRIx64 "]=0x%0*" PRIx64, in->access == RVVM_ACCESS_LOAD ? "load" : "store",
                in->mem_addr, 2 * in->mem_size, in->mem_value);
    else
        fprintf(f, "-");
    if (res->reason == RVVM_STOP_FAULT)
        fprintf(f, "\tfault: %s at 0x%" PRIx64, rvvm_fault_kind_string(res->fault.kind),
                res->fault.address);
    fprintf(f, "\n");
}

rvvm_status rvrun_trace(rvvm_machine *m, FILE *f, uint64_t from, uint64_t max_cycles,
                        rvvm_run_result *res)
{
    uint64_t start = rvvm_cycles(m);
    uint32_t isa = rvvm_get_config(m)->isa;
    rvvm_status st;
    if (from > start) {
        uint64_t fast = from - start < max_cycles ? from - start : max_cycles;
        st = rvvm_run(m, fast, res);
        if (st != RVVM_OK || res->reason != RVVM_STOP_CYCLE_LIMIT)
            return st;
    }
    for (;;) {
        uint64_t spent = rvvm_cycles(m) - start;
        uint64_t left = max_cycles == RVVM_NO_LIMIT ? RVVM_NO_LIMIT : max_cycles - spent;
        rvvm_step_info info;
        st = rvvm_step(m, left, &info, res);
        if (st != RVVM_OK)
            return st;
        if (info.retired || res->reason == RVVM_STOP_FAULT)
            trace_line(f, &info, res, isa);
        if (res->reason != RVVM_STOP_CYCLE_LIMIT || !info.retired)
            return RVVM_OK;
    }
}
