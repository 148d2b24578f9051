/* The disassembler (disasm.c), generated from the instruction table's shape column. */
#ifndef RVVM_DISASM_H
#define RVVM_DISASM_H

#include "cpu.h"

/*
 * Writes objdump's text for the instruction whose bits start `raw` at `pc`
 * (see rvvm_disassemble); returns its length, 2 or 4.
 */
size_t rv_disassemble(uint32_t raw, uint64_t pc, uint32_t isa, char *buf, size_t size);

#endif
