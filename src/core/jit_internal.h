/*
 * What the translation tier's two halves share: jit.c (the cache, its compile
 * thread, installing code) and jit_gen.c (building functions with libgccjit).
 */
#ifndef RVVM_JIT_INTERNAL_H
#define RVVM_JIT_INTERNAL_H

#include "cpu.h"
#include "jit.h"

/* Translated code is entered through the threaded interpreter's handler labels
 * (execute.c), so the switch-dispatch build is interpreter-only. */
#if !defined(__GNUC__) || defined(RVVM_NO_COMPUTED_GOTO)
#undef RVVM_HAVE_GCCJIT
#endif

#ifdef RVVM_HAVE_GCCJIT

#include <libgccjit.h>

/* libgccjit's entry points, loaded by jit.c on first use. */
#define RV_GCCJIT_FUNCTIONS(X)                                                                     \
    X(context_acquire) X(context_release) X(context_set_int_option) X(context_get_type)            \
    X(type_get_pointer) X(context_new_rvalue_from_long) X(context_new_rvalue_from_int)             \
    X(context_new_array_access) X(lvalue_as_rvalue) X(context_new_cast) X(context_new_binary_op)   \
    X(context_new_comparison) X(context_new_unary_op) X(block_add_assignment)                      \
    X(function_new_block) X(block_end_with_return) X(lvalue_get_address) X(rvalue_dereference)     \
    X(block_end_with_conditional) X(block_end_with_jump) X(function_new_local) X(context_new_param)                       \
    X(context_new_function) X(param_as_rvalue) X(context_compile) X(context_compile_to_file) X(result_get_code) X(context_get_first_error)               \
    X(result_release)                                                                              \
    X(context_new_case) X(block_end_with_switch) X(context_get_builtin_function) X(context_new_call) X(context_add_command_line_option) X(context_set_bool_option) \
    X(context_add_driver_option)

typedef struct rv_gccjit {
#define RV_GCCJIT_MEMBER(name) __typeof__(gcc_jit_##name) *name;
    RV_GCCJIT_FUNCTIONS(RV_GCCJIT_MEMBER)
#undef RV_GCCJIT_MEMBER
} rv_gccjit;

enum { SLOT_NONE, SLOT_QUEUED, SLOT_COMPILING, SLOT_DONE };

typedef struct rv_jit_entry {
    struct rv_jit_entry *next;       /* in its hash bucket */
    struct rv_jit_entry *next_queued;
    bool queued;
    uint64_t page_base;
    uint32_t isa;
    rvvm_cost_model costs;           /* only its costs count (translated code charges runs) */
    uint64_t hash;
    uint8_t bytes[RV_PAGE_SIZE];
    uint8_t state[RV_INSNS_PER_PAGE]; /* SLOT_*; DONE with a NULL fn: not translated */
    uint8_t hot[RV_INSNS_PER_PAGE];   /* 1: this slot's own count queued it (others came along) */
    uint8_t in_file[RV_INSNS_PER_PAGE]; /* 1: DONE as one of the cache's files has it (jit_aot.c) */
    rv_jit_fn fn[RV_INSNS_PER_PAGE];
} rv_jit_entry;

/* The generated code's version: ahead-of-time cache files (jit_aot.c) made by
 * another one are ignored. Bump it whenever what rv_jit_compile generates for
 * the same page can differ in meaning (calling convention, state layout, ...). */
#define RV_JIT_GEN_VERSION 4

/* One hot slot of an entry's page, to be compiled. */
typedef struct job {
    rv_jit_entry *e;
    uint16_t slot;
    bool made;
    rv_jit_fn fn;
    uint32_t group; /* its function's name is rv_jit_fn_name(group) */
    bool hot;       /* its count queued the page: its region is laid out first */
    bool no_room;   /* its run did not fit in its function's region (another function takes it) */
} job;

/*
 * Builds one function per page for jobs[0..k) (grouped by entry) and compiles
 * them all in one libgccjit compilation (its fixed cost, a few milliseconds,
 * dominates). Sets each job's made, group and fn (NULL: not translated) and
 * *made. Returns the result holding the code, or NULL.
 */
gcc_jit_result *rv_jit_compile(const rv_gccjit *api, job *jobs, size_t k, size_t *made);

/* The same, written to a shared object at path (fn is not set; the code's
 * names are rv_jit_fn_name of each job's group). False if nothing was written. */
bool rv_jit_compile_to_file(const rv_gccjit *api, job *jobs, size_t k, size_t *made, const char *path);

/* The exported name of a compilation's function for a group of jobs. */
void rv_jit_fn_name(char *name, size_t size, uint32_t group);

#endif
#endif
