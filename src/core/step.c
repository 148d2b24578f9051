/*
 * Single-stepping on the interpreter's own metering: a run whose budget is
 * the next instruction's cost stops right after that instruction (a budget
 * of N runs the longest prefix costing at most N, and every instruction costs
 * at least 1). So a step charges, counts and does exactly what a fast run
 * does, ecall included (its cost class plus what an ecall handler charges
 * with rvvm_charge), and a sequence of steps leaves the machine in the state a
 * fast run over the same cycles leaves it in. What the instruction did --
 * the register it wrote, the memory it read or wrote -- is worked out from
 * its decoded form (the table's shape column) and the state around it.
 */
#include "cpu.h"
#include "disasm.h"

static const unsigned char op_shape[RV_OP_COUNT] = {
#define RV_OP_SHAPE(name, ext, cls, flags, shape) RV_SHAPE_##shape,
    RV_INSN_LIST(RV_OP_SHAPE)
#undef RV_OP_SHAPE
};

/* Reads the instruction at pc from executable memory; false if it cannot be fetched. */
static bool fetch(const rvvm_machine *m, uint64_t pc, uint32_t *raw)
{
    const uint8_t *lo = rv_memory_translate(&m->mem, pc, 2, RV_PAGE_X);
    if (!lo)
        return false;
    *raw = (uint32_t)rv_load_le(lo, 2);
    if ((*raw & 3) != 3)
        return true;
    const uint8_t *hi = rv_memory_translate(&m->mem, pc + 2, 2, RV_PAGE_X);
    if (!hi)
        return false;
    *raw |= (uint32_t)rv_load_le(hi, 2) << 16;
    return true;
}

/* Bytes a load or store moves, from its op. */
static unsigned access_size(unsigned op, uint32_t raw)
{
    switch (op) {
    case RV_OP_lb: case RV_OP_lbu: case RV_OP_sb: return 1;
    case RV_OP_lh: case RV_OP_lhu: case RV_OP_sh: return 2;
    case RV_OP_lw: case RV_OP_lwu: case RV_OP_sw: case RV_OP_flw: case RV_OP_fsw: return 4;
    case RV_OP_ld: case RV_OP_sd: case RV_OP_fld: case RV_OP_fsd: return 8;
    default: return raw & 0x1000 ? 8 : 4; /* LR, SC, AMO: funct3 2 is .w, 3 is .d */
    }
}

static bool writes_x(rv_shape s)
{
    switch (s) {
    case RV_SHAPE_U: case RV_SHAPE_J: case RV_SHAPE_JALR: case RV_SHAPE_LOAD: case RV_SHAPE_I:
    case RV_SHAPE_SHIFT: case RV_SHAPE_R: case RV_SHAPE_R1: case RV_SHAPE_CSR: case RV_SHAPE_CSRI:
    case RV_SHAPE_LR: case RV_SHAPE_AMO: case RV_SHAPE_XF_RM: case RV_SHAPE_XF: case RV_SHAPE_XFF:
        return true;
    default:
        return false;
    }
}

static bool writes_f(rv_shape s)
{
    switch (s) {
    case RV_SHAPE_FLOAD: case RV_SHAPE_FR4: case RV_SHAPE_FR_RM: case RV_SHAPE_FR:
    case RV_SHAPE_F1_RM: case RV_SHAPE_FX_RM: case RV_SHAPE_FX:
        return true;
    default:
        return false;
    }
}

/*
 * Guest threads: while the running thread's turn ends before its next
 * instruction (and the budget could pay that instruction), the OS layer
 * switches threads, as rvvm_run would. False if the machine faulted (deadlock).
 */
static bool settle_turn(rvvm_machine *m, uint64_t max_cycles)
{
    const rv_provider *os = m->os;
    if (!os || !os->slice)
        return true;
    for (;;) {
        uint64_t slice = os->slice(m, m->os_state);
        if (slice == UINT64_MAX)
            return true;
        const uint8_t *p = rv_memory_translate(&m->mem, m->pc, 2, RV_PAGE_X);
        const uint8_t *q = rv_memory_translate(&m->mem, m->pc + 2, 2, RV_PAGE_X);
        if (!p)
            return true; /* the step reports the fetch fault */
        uint32_t raw = (uint32_t)rv_load_le(p, 2);
        if ((raw & 3) == 3 && !q)
            return true;
        if ((raw & 3) == 3)
            raw |= (uint32_t)rv_load_le(q, 2) << 16;
        rv_insn in;
        rv_decode(raw, m->config.isa, &m->config.cost_model, &in);
        if (in.cost <= slice || in.cost > max_cycles)
            return true;
        if (!os->switch_thread(m, m->os_state))
            return false;
    }
}

rvvm_status rvvm_step(rvvm_machine *m, uint64_t max_cycles, rvvm_step_info *info,
                      rvvm_run_result *out)
{
    if (!m || !info || !out)
        return RVVM_ERR_INVALID_ARGUMENT;
    memset(info, 0, sizeof *info);
    memset(out, 0, sizeof *out);
    if (m->state != RV_STATE_READY)
        return rvvm_run(m, 0, out); /* the same RVVM_ERR_STATE and message */
    /* Guest threads: if the running thread's turn ends before its next instruction, the
     * step is the next thread's (docs/threads.md); switch first, as a run would. */
    if (!settle_turn(m, max_cycles)) {
        out->reason = RVVM_STOP_FAULT;
        out->fault = m->fault;
        return RVVM_OK;
    }
    info->pc = m->pc;
    info->cycles = m->cycles;
    info->instret = m->instret;

    uint32_t raw = 0;
    if (!fetch(m, m->pc, &raw))
        return rvvm_run(m, 0, out); /* nothing is charged for a fetch fault */
    rv_insn in;
    rv_decode(raw, m->config.isa, &m->config.cost_model, &in);
    info->encoding = in.raw;
    info->length = in.len;
    if (in.cost > max_cycles) {
        out->reason = RVVM_STOP_CYCLE_LIMIT; /* the budget cannot pay it: nothing runs */
        return RVVM_OK;
    }

    /* Where it will access memory, from the registers before it. */
    rv_shape shape = in.op < RV_OP_COUNT ? (rv_shape)op_shape[in.op] : RV_SHAPE_X;
    uint64_t addr = 0;
    rvvm_step_access access = RVVM_ACCESS_NONE;
    switch (shape) {
    case RV_SHAPE_LOAD: case RV_SHAPE_FLOAD:
        addr = m->x[in.rs1] + (uint64_t)in.imm;
        access = RVVM_ACCESS_LOAD;
        break;
    case RV_SHAPE_STORE: case RV_SHAPE_FSTORE:
        addr = m->x[in.rs1] + (uint64_t)in.imm;
        access = RVVM_ACCESS_STORE;
        break;
    case RV_SHAPE_LR:
        addr = m->x[in.rs1];
        access = RVVM_ACCESS_LOAD;
        break;
    case RV_SHAPE_AMO:
        addr = m->x[in.rs1];
        if (in.op == RV_OP_sc_w || in.op == RV_OP_sc_d) {
            /* SC stores only while the reservation holds (as execute.c decides). */
            unsigned size = access_size(in.op, in.raw);
            if (m->resv_valid && m->resv_addr == addr && m->resv_size == size)
                access = RVVM_ACCESS_STORE;
        } else {
            access = RVVM_ACCESS_STORE;
        }
        break;
    default:
        break;
    }

    uint64_t asked = 0;
    rvvm_status st = rvvm_run(m, in.cost, out);
    /* An ecall whose handler charged more (rvvm_charge) than the budget paid
     * did nothing and stopped before itself: run it again with the budget it
     * asked for, as a fast run with enough budget would have paid it. */
    while (st == RVVM_OK && out->reason == RVVM_STOP_CYCLE_LIMIT && m->instret == info->instret &&
           (in.op == RV_OP_ecall || in.op == RV_OP_ebreak) && m->handler_wanted > 0) {
        uint64_t want = m->handler_wanted;
        if (want <= asked)
            break; /* no progress: not a charge that more budget pays */
        asked = want;
        if (want > max_cycles - in.cost)
            return RVVM_OK; /* the caller's budget cannot pay it: nothing ran */
        m->handler_wanted = 0;
        st = rvvm_run(m, in.cost + want, out);
    }
    if (st != RVVM_OK)
        return st;
    info->retired = m->instret == info->instret + 1;
    if (!info->retired)
        return RVVM_OK;
    if (writes_x(shape) && in.rd != RV_SINK_REG && in.rd != 0) {
        info->reg_file = 'x';
        info->reg = in.rd;
        info->reg_value = m->x[in.rd];
    } else if (writes_f(shape)) {
        info->reg_file = 'f';
        info->reg = in.rd;
        info->reg_value = m->f[in.rd & 31];
    } else if (in.op == RV_OP_ecall && out->reason != RVVM_STOP_EXITED) {
        info->reg_file = 'x'; /* the system call's result */
        info->reg = 10;
        info->reg_value = m->x[10];
    }
    if (access != RVVM_ACCESS_NONE) {
        unsigned size = access_size(in.op, in.raw);
        info->access = access;
        info->mem_addr = addr;
        info->mem_size = (uint8_t)size;
        /* Loaded or stored, the bytes are in memory now. */
        if (addr < m->mem.size && size <= m->mem.size - addr)
            info->mem_value = rv_load_le(m->mem.base + addr, size);
    }
    return RVVM_OK;
}
