/*
 * The translation tier (docs/jit.md): hot straight-line runs of guest code
 * become host functions, built with libgccjit. The interpreter stays the
 * reference: it counts, charges every run at entry exactly as without the
 * tier, and takes over at any instruction translated code does not handle.
 *
 * A translated function runs the rest of a run from the slot it was made
 * for, with the run already paid for. It returns the next guest pc:
 *  - an even pc: the run ended; a new run starts there (enter and charge it);
 *    other runs of the page may be paid and run inside it first;
 *  - pc | 1: the instruction at pc (on the same page, within the run, not
 *    yet executed) is left to the interpreter, which runs its slot without
 *    charging again (loads and stores off their fast path, anything not
 *    translated, any instruction that could fault).
 * Translated code never calls out, so it cannot be running when code is dropped.
 *
 * Translation happens on the compile thread of a translation cache
 * (rvvm_jit_cache: config.jit_cache, shared by machines, or the machine's
 * own); its code is installed by the machine's thread at run entry.
 */
#ifndef RVVM_JIT_H
#define RVVM_JIT_H

#include <stdbool.h>
#include <stdint.h>

struct rvvm_machine;
struct rv_slot;

/* rvvm_config_init's jit_threshold (docs/jit.md: where compiling starts to pay). */
#define RV_JIT_DEFAULT_THRESHOLD 100000
/*
 * With a threshold of at least RV_JIT_SAMPLE_FROM, one counted-slot entry in
 * RV_JIT_SAMPLE is counted (as RV_JIT_SAMPLE entries): the rest cost the
 * interpreter one decrement. A prime, so that loop heads visited in turn are
 * all sampled. Lower thresholds count every entry (exact, for tests).
 */
#define RV_JIT_SAMPLE 127
#define RV_JIT_SAMPLE_FROM 4096

/*
 * x: the register file (x[RV_REG_INSTRET]: the instruction count);
 * *budget: cycles left; pc: the slot's (one function serves every hot slot of
 * its page that a compilation had: it starts at pc). The code may go on into other runs of its page
 * (a region), paying each at its entry exactly as the interpreter's run
 * entry would (cost <= *budget), or returning its pc (even) for the
 * interpreter to enter and charge.
 */
typedef uint64_t (*rv_jit_fn)(uint64_t *x, uint8_t *membase, uint64_t *budget, uint64_t pc);

/* True if this build has the tier (libgccjit's header was found when it was built). */
bool rv_jit_built(void);

/* True if it has, and libgccjit can be loaded now (a dlopen: costs about a millisecond). */
bool rv_jit_available(void);

/* Takes a reference to a translation cache (NULL: nothing); rvvm_jit_cache_release drops one. */
void rv_jit_cache_ref(struct rvvm_jit_cache *cache);

/*
 * Counts the executions of a marked slot since the last count (m->jit_tick
 * reached 0; it is reset here). Returns the translated function
 * for it once it is hot and translated, or NULL (keep interpreting; if the
 * slot cannot be translated, *give_up is set and it should not be counted again).
 */
rv_jit_fn rv_jit_hot(struct rvvm_machine *m, const struct rv_slot *in, bool *give_up);
#ifdef RVVM_JIT_TIMING
/* Tuning build only: counts a call into translated code by entry pc and result (jit.c prints them). */
void rv_jit_note_call(uint64_t pc, uint64_t result);
#endif

/* The translated function of a slot whose handler is the jit's, or NULL. */
rv_jit_fn rv_jit_fn_of(struct rvvm_machine *m, const struct rv_slot *in);

/* Drops the translated code and counters of one page, or of every page. */
void rv_jit_drop_page(struct rvvm_machine *m, uint64_t page);
void rv_jit_free(struct rvvm_machine *m);

/* Runs translated and compilations made since the machine's tier state was made. */
void rv_jit_stats(const struct rvvm_machine *m, uint64_t *translations, uint64_t *compilations);

#endif
