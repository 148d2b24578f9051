/* bytecode: a small stack-machine interpreter (switch dispatch, 64-bit
 * values, local variables and one data array) running two loop programs
 * written in its bytecode: Collatz chain lengths over a range of starting
 * values, and a sieve of Eratosthenes that counts primes. */
#include "bench.h"

enum op {
    OP_HALT,
    OP_PUSH,  /* push arg */
    OP_LOAD,  /* push local[arg] */
    OP_STORE, /* local[arg] = pop */
    OP_INC,   /* local[arg & 0xff] += arg >> 8 */
    OP_ADD,
    OP_SUB,
    OP_MUL,
    OP_AND,
    OP_XOR,
    OP_SHL,
    OP_SHR,
    OP_LT,  /* a b -> (a < b) */
    OP_NE,  /* a b -> (a != b) */
    OP_JMP, /* pc = arg */
    OP_JZ,  /* if pop == 0: pc = arg */
    OP_JNZ, /* if pop != 0: pc = arg */
    OP_DUP,
    OP_DROP,
    OP_ALOAD,  /* i -> mem[i] */
    OP_ASTORE, /* i v -> ; mem[i] = v */
};

typedef struct insn {
    int32_t op;
    int32_t arg;
} insn;

#define MAX_CODE 256
#define MEM_WORDS 65536
#define STACK_DEPTH 64
#define NLOCALS 16

typedef struct vm {
    int64_t local[NLOCALS];
    int64_t mem[MEM_WORDS];
    uint64_t steps;
} vm;

static vm machine;

/* Returns 0 on HALT, -1 on a malformed program (stack or memory out of
 * range), which the programs below never produce. */
static int run(vm *m, const insn *code)
{
    int64_t stack[STACK_DEPTH];
    int sp = 0;
    int pc = 0;
    uint64_t steps = 0;
    for (;;) {
        const insn *i = &code[pc++];
        steps++;
        switch (i->op) {
        case OP_HALT:
            m->steps += steps;
            return 0;
        case OP_PUSH:
            if (sp >= STACK_DEPTH)
                return -1;
            stack[sp++] = i->arg;
            break;
        case OP_LOAD:
            if (sp >= STACK_DEPTH)
                return -1;
            stack[sp++] = m->local[i->arg];
            break;
        case OP_STORE:
            m->local[i->arg] = stack[--sp];
            break;
        case OP_INC:
            m->local[i->arg & 0xff] += i->arg >> 8;
            break;
        case OP_ADD:
            sp--;
            stack[sp - 1] = (int64_t)((uint64_t)stack[sp - 1] + (uint64_t)stack[sp]);
            break;
        case OP_SUB:
            sp--;
            stack[sp - 1] = (int64_t)((uint64_t)stack[sp - 1] - (uint64_t)stack[sp]);
            break;
        case OP_MUL:
            sp--;
            stack[sp - 1] = (int64_t)((uint64_t)stack[sp - 1] * (uint64_t)stack[sp]);
            break;
        case OP_AND:
            sp--;
            stack[sp - 1] &= stack[sp];
            break;
        case OP_XOR:
            sp--;
            stack[sp - 1] ^= stack[sp];
            break;
        case OP_SHL:
            sp--;
            stack[sp - 1] = (int64_t)((uint64_t)stack[sp - 1] << (stack[sp] & 63));
            break;
        case OP_SHR:
            sp--;
            stack[sp - 1] = (int64_t)((uint64_t)stack[sp - 1] >> (stack[sp] & 63));
            break;
        case OP_LT:
            sp--;
            stack[sp - 1] = stack[sp - 1] < stack[sp];
            break;
        case OP_NE:
            sp--;
            stack[sp - 1] = stack[sp - 1] != stack[sp];
            break;
        case OP_JMP:
            pc = i->arg;
            break;
        case OP_JZ:
            if (stack[--sp] == 0)
                pc = i->arg;
            break;
        case OP_JNZ:
            if (stack[--sp] != 0)
                pc = i->arg;
            break;
        case OP_DUP:
            if (sp >= STACK_DEPTH)
                return -1;
            stack[sp] = stack[sp - 1];
            sp++;
            break;
        case OP_DROP:
            sp--;
            break;
        case OP_ALOAD: {
            uint64_t a = (uint64_t)stack[sp - 1];
            if (a >= MEM_WORDS)
                return -1;
            stack[sp - 1] = m->mem[a];
            break;
        }
        case OP_ASTORE: {
            uint64_t a = (uint64_t)stack[sp - 2];
            if (a >= MEM_WORDS)
                return -1;
            m->mem[a] = stack[sp - 1];
            sp -= 2;
            break;
        }
        default:
            return -1;
        }
        if (sp < 0)
            return -1;
    }
}

/* A tiny assembler: emit instructions, with forward labels patched later. */
typedef struct asm_buf {
    insn code[MAX_CODE];
    int n;
    int label[32];
    int fix_at[64], fix_label[64], nfix;
} asm_buf;

static void emit(asm_buf *a, int op, int arg)
{
    a->code[a->n].op = op;
    a->code[a->n].arg = arg;
    a->n++;
}

static void jump(asm_buf *a, int op, int label)
{
    a->fix_at[a->nfix] = a->n;
    a->fix_label[a->nfix++] = label;
    emit(a, op, 0);
}

static void here(asm_buf *a, int label)
{
    a->label[label] = a->n;
}

static void link(asm_buf *a)
{
    for (int i = 0; i < a->nfix; i++)
        a->code[a->fix_at[i]].arg = a->label[a->fix_label[i]];
}

#define INC(var, by) ((var) | ((by) << 8))

/* locals */
enum { V_N, V_END, V_X, V_STEPS, V_TOTAL, V_I, V_J, V_LIMIT, V_COUNT };

/* for n in [local N, local END): walk the Collatz chain of n, count the
 * steps, total = total * 31 + steps */
static void assemble_collatz(asm_buf *a)
{
    enum { OUTER, INNER, EVEN, NEXT, DONE, END };
    here(a, OUTER);
    emit(a, OP_LOAD, V_N);
    emit(a, OP_LOAD, V_END);
    emit(a, OP_LT, 0);
    jump(a, OP_JZ, END);
    emit(a, OP_LOAD, V_N);
    emit(a, OP_STORE, V_X);
    emit(a, OP_PUSH, 0);
    emit(a, OP_STORE, V_STEPS);
    here(a, INNER);
    emit(a, OP_LOAD, V_X);
    emit(a, OP_PUSH, 1);
    emit(a, OP_NE, 0);
    jump(a, OP_JZ, DONE);
    emit(a, OP_LOAD, V_X);
    emit(a, OP_PUSH, 1);
    emit(a, OP_AND, 0);
    jump(a, OP_JZ, EVEN);
    emit(a, OP_LOAD, V_X);
    emit(a, OP_DUP, 0);
    emit(a, OP_PUSH, 1);
    emit(a, OP_SHL, 0);
    emit(a, OP_ADD, 0);
    emit(a, OP_PUSH, 1);
    emit(a, OP_ADD, 0);
    emit(a, OP_STORE, V_X);
    jump(a, OP_JMP, NEXT);
    here(a, EVEN);
    emit(a, OP_LOAD, V_X);
    emit(a, OP_PUSH, 1);
    emit(a, OP_SHR, 0);
    emit(a, OP_STORE, V_X);
    here(a, NEXT);
    emit(a, OP_INC, INC(V_STEPS, 1));
    jump(a, OP_JMP, INNER);
    here(a, DONE);
    emit(a, OP_LOAD, V_TOTAL);
    emit(a, OP_PUSH, 31);
    emit(a, OP_MUL, 0);
    emit(a, OP_LOAD, V_STEPS);
    emit(a, OP_ADD, 0);
    emit(a, OP_STORE, V_TOTAL);
    emit(a, OP_INC, INC(V_N, 1));
    jump(a, OP_JMP, OUTER);
    here(a, END);
    emit(a, OP_HALT, 0);
    link(a);
}

/* mem[0..LIMIT) = 1; for i = 2; i*i < LIMIT: if mem[i], clear multiples
 * from i*i; then count = sum of mem[2..LIMIT) */
static void assemble_sieve(asm_buf *a)
{
    enum { FILL, FILL_END, OUTER, SKIP, INNER, INNER_END, COUNT, COUNT_LOOP, COUNT_END };
    emit(a, OP_PUSH, 0);
    emit(a, OP_STORE, V_I);
    here(a, FILL);
    emit(a, OP_LOAD, V_I);
    emit(a, OP_LOAD, V_LIMIT);
    emit(a, OP_LT, 0);
    jump(a, OP_JZ, FILL_END);
    emit(a, OP_LOAD, V_I);
    emit(a, OP_PUSH, 1);
    emit(a, OP_ASTORE, 0);
    emit(a, OP_INC, INC(V_I, 1));
    jump(a, OP_JMP, FILL);
    here(a, FILL_END);

    emit(a, OP_PUSH, 2);
    emit(a, OP_STORE, V_I);
    here(a, OUTER);
    emit(a, OP_LOAD, V_I);
    emit(a, OP_DUP, 0);
    emit(a, OP_MUL, 0);
    emit(a, OP_LOAD, V_LIMIT);
    emit(a, OP_LT, 0);
    jump(a, OP_JZ, COUNT);
    emit(a, OP_LOAD, V_I);
    emit(a, OP_ALOAD, 0);
    jump(a, OP_JZ, SKIP);
    emit(a, OP_LOAD, V_I);
    emit(a, OP_DUP, 0);
    emit(a, OP_MUL, 0);
    emit(a, OP_STORE, V_J);
    here(a, INNER);
    emit(a, OP_LOAD, V_J);
    emit(a, OP_LOAD, V_LIMIT);
    emit(a, OP_LT, 0);
    jump(a, OP_JZ, INNER_END);
    emit(a, OP_LOAD, V_J);
    emit(a, OP_PUSH, 0);
    emit(a, OP_ASTORE, 0);
    emit(a, OP_LOAD, V_J);
    emit(a, OP_LOAD, V_I);
    emit(a, OP_ADD, 0);
    emit(a, OP_STORE, V_J);
    jump(a, OP_JMP, INNER);
    here(a, INNER_END);
    here(a, SKIP);
    emit(a, OP_INC, INC(V_I, 1));
    jump(a, OP_JMP, OUTER);

    here(a, COUNT);
    emit(a, OP_PUSH, 0);
    emit(a, OP_STORE, V_COUNT);
    emit(a, OP_PUSH, 2);
    emit(a, OP_STORE, V_I);
    here(a, COUNT_LOOP);
    emit(a, OP_LOAD, V_I);
    emit(a, OP_LOAD, V_LIMIT);
    emit(a, OP_LT, 0);
    jump(a, OP_JZ, COUNT_END);
    emit(a, OP_LOAD, V_COUNT);
    emit(a, OP_LOAD, V_I);
    emit(a, OP_ALOAD, 0);
    emit(a, OP_ADD, 0);
    emit(a, OP_STORE, V_COUNT);
    emit(a, OP_INC, INC(V_I, 1));
    jump(a, OP_JMP, COUNT_LOOP);
    here(a, COUNT_END);
    emit(a, OP_HALT, 0);
    link(a);
}

int main(int argc, char **argv, char **envp)
{
    (void)envp;
    long reps = bench_reps(argc, argv, 3);
    static asm_buf collatz, sieve;
    assemble_collatz(&collatz);
    assemble_sieve(&sieve);
    uint64_t sum = 0;
    vm *m = &machine;
    for (long r = 0; r < reps; r++) {
        for (int i = 0; i < NLOCALS; i++)
            m->local[i] = 0;
        m->local[V_N] = 1 + r * 1000;
        m->local[V_END] = 1 + (r + 1) * 1000;
        if (run(m, collatz.code) != 0)
            return 1;
        sum = mix64(sum, (uint64_t)m->local[V_TOTAL]);

        m->local[V_LIMIT] = MEM_WORDS - (int64_t)(r * 97 % 1000);
        if (run(m, sieve.code) != 0)
            return 1;
        if (r == 0 && m->local[V_COUNT] != 6542) { /* pi(65536) */
            rt_printf("bytecode: sieve counted %ld primes below 65536, expected 6542\n",
                      (long)m->local[V_COUNT]);
            return 1;
        }
        sum = mix64(sum, (uint64_t)m->local[V_COUNT]);
    }
    rt_printf("bytecode: %lu VM instructions\n", (unsigned long)m->steps);
    return bench_done("bytecode", reps, sum);
}
