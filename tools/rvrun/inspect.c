#include "inspect.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rvvm/snapshot.h"

static const char *kind_name(uint8_t kind)
{
    switch (kind) {
    case RVVM_PAGE_ZERO: return "zero";
    case RVVM_PAGE_DATA: return "data";
    default: return "as-loaded";
    }
}

static void perms_string(uint8_t perms, char out[4])
{
    out[0] = (perms & 1) ? 'r' : '-';
    out[1] = (perms & 2) ? 'w' : '-';
    out[2] = (perms & 4) ? 'x' : '-';
    out[3] = '\0';
}

static void isa_string(uint32_t isa, char *out, size_t size)
{
    static const struct { uint32_t bit; const char *name; } exts[] = {
        {RVVM_ISA_M, "m"},          {RVVM_ISA_A, "a"},          {RVVM_ISA_F, "f"},
        {RVVM_ISA_D, "d"},          {RVVM_ISA_C, "c"},
        {RVVM_ISA_ZICSR, "_zicsr"}, {RVVM_ISA_ZIFENCEI, "_zifencei"}, {RVVM_ISA_ZBA, "_zba"},
        {RVVM_ISA_ZBB, "_zbb"},     {RVVM_ISA_ZBC, "_zbc"},     {RVVM_ISA_ZBS, "_zbs"},
        {RVVM_ISA_ZICOND, "_zicond"},
    };
    size_t n = (size_t)snprintf(out, size, "rv64i");
    for (size_t i = 0; i < sizeof exts / sizeof exts[0] && n < size; i++)
        if (isa & exts[i].bit)
            n += (size_t)snprintf(out + n, size - n, "%s", exts[i].name);
}

/* JSON string: the path is the only free text, escape what JSON requires. */
static void json_string(const char *s)
{
    putchar('"');
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            printf("\\%c", c);
        else if (c < 0x20)
            printf("\\u%04x", c);
        else
            putchar(c);
    }
    putchar('"');
}

static void hex(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        printf("%02x", p[i]);
}

static const char *file_kind(uint8_t k)
{
    return k == 1 ? "file" : k == 2 ? "directory" : "path";
}

/* What resuming needs: the parent, directories to grant, files, mappings. */
static void print_needs_text(const rvvm_snapshot_info *in)
{
    printf("checksum:     ");
    hex(in->checksum, 16);
    printf("\n");
    if (in->has_parent) {
        printf("parent:       %s (diff, chain depth %" PRIu32 "), checksum ", in->parent_name,
               in->chain_depth);
        hex(in->parent_checksum, 16);
        printf(", %" PRIu64 " bytes\n", in->parent_size);
    } else {
        printf("parent:       none (full snapshot)\n");
    }
    printf("needs --dir:  %zu\n", in->grant_count);
    for (size_t i = 0; i < in->grant_count; i++)
        printf("  --dir HOST:%s%s   (recorded host '%s', %s)\n", in->grants[i].guest,
               in->grants[i].needs_write ? ":rw" : "", in->grants[i].host,
               in->grants[i].writable ? "rw" : "ro");
    printf("open files:   %zu\n", in->file_count);
    for (size_t i = 0; i < in->file_count; i++) {
        printf("  %s %s%s", file_kind(in->files[i].kind), in->files[i].guest_path,
               in->files[i].writing ? " (writing)" : "");
        if (in->files[i].kind == 1) {
            printf(" %" PRIu64 " bytes sha256 ", in->files[i].size);
            hex(in->files[i].sha256, 32);
        }
        printf("\n");
    }
    printf("mappings:     %zu\n", in->mapping_count);
    for (size_t i = 0; i < in->mapping_count; i++)
        printf("  0x%016" PRIx64 "-0x%016" PRIx64 "\n", in->mappings[i][0], in->mappings[i][1]);
    printf("needs --sysroot: %s\n", in->needs_sysroot ? "yes" : "no");
    printf("mapped files: %zu\n", in->mapped_file_count);
    for (size_t i = 0; i < in->mapped_file_count; i++) {
        const struct rvvm_snapshot_mapped_file *f = &in->mapped_files[i];
        printf("  %s%s (%s) %" PRIu64 " bytes sha256 ", f->guest_path,
               f->interpreter ? " [interpreter]" : "", f->sysroot ? "sysroot" : "granted", f->size);
        hex(f->sha256, 32);
        printf(", %" PRIu64 " pages mapped\n", f->mapped_pages);
    }
}

static void print_text(const rvvm_snapshot_info *in)
{
    char isa[128];
    isa_string(in->config.isa, isa, sizeof isa);
    uint64_t counts[3] = {0, 0, 0};
    for (size_t i = 0; i < in->page_count; i++)
        counts[in->pages[i].kind]++;
    printf("rvvm snapshot, format version %" PRIu32 ", %" PRIu64 " bytes, checksum OK\n",
           in->format_version, in->file_size);
    printf("program:      %s\n", in->program_path);
    printf("sha256:       ");
    for (int i = 0; i < 32; i++)
        printf("%02x", in->program_sha256[i]);
    printf("\nconfig:       memory %" PRIu64 " MiB, isa %s, cost model %s, %s syscalls, seed %" PRIu64
           "\n",
           in->config.memory_size >> 20, isa, in->config.cost_model.name,
           in->config.strict_syscalls ? "strict" : "lenient", in->config.seed);
    printf("pc:           0x%016" PRIx64 "\n", in->pc);
    printf("cycles:       %" PRIu64 "\ninstructions: %" PRIu64 "\n", in->cycles, in->instructions);
    if (in->reservation_valid)
        printf("reservation:  valid, %u bytes at 0x%016" PRIx64 "\n", in->reservation_size,
               in->reservation_address);
    else
        printf("reservation:  none\n");
    printf("fcsr:         0x%02" PRIx32 "\n", in->fcsr);
    printf("brk:          0x%" PRIx64 " (start 0x%" PRIx64 ")\n", in->brk, in->brk_start);
    printf("registers:\n");
    for (int i = 0; i < 32; i++)
        printf("  x%-2d %-4s 0x%016" PRIx64 "%s", i, rvvm_register_name('x', (unsigned)i), in->x[i], i % 2 ? "\n" : "  ");
    printf("fp registers:\n");
    for (int i = 0; i < 32; i++)
        printf("  f%-2d      0x%016" PRIx64 "%s", i, in->f[i], i % 2 ? "\n" : "  ");
    print_needs_text(in);
    printf("pages:        %zu (%" PRIu64 " data, %" PRIu64 " zero, %" PRIu64
           " as-loaded), %" PRIu64 " bytes of page data stored%s\n",
           in->page_count, counts[RVVM_PAGE_DATA], counts[RVVM_PAGE_ZERO],
           counts[RVVM_PAGE_AS_LOADED], in->page_data_stored,
           in->compressed ? " (zstd)" : "");
    for (size_t i = 0; i < in->page_count; i++) {
        char perms[4];
        perms_string(in->pages[i].perms, perms);
        printf("  0x%016" PRIx64 " %s %-9s %s\n", in->pages[i].address, perms,
               kind_name(in->pages[i].kind),
               in->pages[i].kind == RVVM_PAGE_DATA ? "4096 bytes" : "0 bytes");
    }
}

static void print_json(const rvvm_snapshot_info *in)
{
    char isa[128];
    isa_string(in->config.isa, isa, sizeof isa);
    printf("{\n  \"format_version\": %" PRIu32 ",\n  \"file_size\": %" PRIu64
           ",\n  \"checksum\": \"ok\",\n  \"compressed\": %s,\n",
           in->format_version, in->file_size, in->compressed ? "true" : "false");
    printf("  \"program\": ");
    json_string(in->program_path);
    printf(",\n  \"program_sha256\": \"");
    for (int i = 0; i < 32; i++)
        printf("%02x", in->program_sha256[i]);
    printf("\",\n  \"config\": {\"memory_size\": %" PRIu64 ", \"isa\": \"%s\", \"cost_model\": ",
           in->config.memory_size, isa);
    json_string(in->config.cost_model.name);
    printf(", \"costs\": {");
    for (int i = 0; i < RVVM_COST_CLASS_COUNT; i++)
        printf("%s\"%s\": %" PRIu32, i ? ", " : "", rvvm_cost_class_name((rvvm_cost_class)i),
               in->config.cost_model.cost[i]);
    printf("}, \"strict_syscalls\": %s, \"seed\": %" PRIu64 "},\n",
           in->config.strict_syscalls ? "true" : "false", in->config.seed);
    printf("  \"pc\": \"0x%016" PRIx64 "\",\n  \"cycles\": %" PRIu64 ",\n  \"instructions\": %" PRIu64
           ",\n",
           in->pc, in->cycles, in->instructions);
    printf("  \"reservation\": {\"valid\": %s, \"size\": %u, \"address\": \"0x%016" PRIx64 "\"},\n",
           in->reservation_valid ? "true" : "false", in->reservation_size,
           in->reservation_address);
    printf("  \"fcsr\": %" PRIu32 ",\n  \"brk\": \"0x%" PRIx64 "\",\n  \"registers\": [", in->fcsr,
           in->brk);
    for (int i = 0; i < 32; i++)
        printf("%s\"0x%016" PRIx64 "\"", i ? ", " : "", in->x[i]);
    printf("],\n  \"fp_registers\": [");
    for (int i = 0; i < 32; i++)
        printf("%s\"0x%016" PRIx64 "\"", i ? ", " : "", in->f[i]);
    printf("],\n  \"checksum\": \"");
    hex(in->checksum, 16);
    printf("\",\n  \"parent\": ");
    if (in->has_parent) {
        printf("{\"name\": ");
        json_string(in->parent_name);
        printf(", \"checksum\": \"");
        hex(in->parent_checksum, 16);
        printf("\", \"size\": %" PRIu64 "}", in->parent_size);
    } else {
        printf("null");
    }
    printf(",\n  \"chain_depth\": %" PRIu32 ",\n", in->chain_depth);
    printf("  \"brk_start\": \"0x%" PRIx64 "\",\n  \"stack_low\": \"0x%" PRIx64
           "\",\n  \"mmap_low\": \"0x%" PRIx64 "\",\n",
           in->brk_start, in->stack_low, in->mmap_low);
    printf("  \"grants\": [");
    for (size_t i = 0; i < in->grant_count; i++) {
        printf("%s\n    {\"guest\": ", i ? "," : "");
        json_string(in->grants[i].guest);
        printf(", \"host\": ");
        json_string(in->grants[i].host);
        printf(", \"writable\": %s, \"needs_write\": %s}", in->grants[i].writable ? "true" : "false",
               in->grants[i].needs_write ? "true" : "false");
    }
    printf("%s],\n  \"files\": [", in->grant_count ? "\n  " : "");
    for (size_t i = 0; i < in->file_count; i++) {
        printf("%s\n    {\"path\": ", i ? "," : "");
        json_string(in->files[i].guest_path);
        printf(", \"kind\": \"%s\", \"writing\": %s, \"size\": %" PRIu64 ", \"sha256\": \"",
               file_kind(in->files[i].kind), in->files[i].writing ? "true" : "false",
               in->files[i].size);
        hex(in->files[i].sha256, 32);
        printf("\"}");
    }
    printf("%s],\n  \"mappings\": [", in->file_count ? "\n  " : "");
    for (size_t i = 0; i < in->mapping_count; i++)
        printf("%s[\"0x%" PRIx64 "\", \"0x%" PRIx64 "\"]", i ? ", " : "", in->mappings[i][0],
               in->mappings[i][1]);
    printf("],\n  \"needs_sysroot\": %s,\n  \"mapped_files\": [",
           in->needs_sysroot ? "true" : "false");
    for (size_t i = 0; i < in->mapped_file_count; i++) {
        const struct rvvm_snapshot_mapped_file *f = &in->mapped_files[i];
        printf("%s\n    {\"path\": ", i ? "," : "");
        json_string(f->guest_path);
        printf(", \"root\": \"%s\", \"interpreter\": %s, \"size\": %" PRIu64
               ", \"sha256\": \"",
               f->sysroot ? "sysroot" : "granted", f->interpreter ? "true" : "false", f->size);
        hex(f->sha256, 32);
        printf("\", \"mapped_pages\": %" PRIu64 "}", f->mapped_pages);
    }
    printf("%s],\n  \"call_active\": %s,\n  \"mtvec\": \"0x%016" PRIx64 "\",\n",
           in->mapped_file_count ? "\n  " : "", in->call_active ? "true" : "false", in->mtvec);
    printf("  \"page_data_stored\": %" PRIu64 ",\n  \"pages\": [", in->page_data_stored);
    for (size_t i = 0; i < in->page_count; i++) {
        char perms[4];
        perms_string(in->pages[i].perms, perms);
        printf("%s\n    {\"address\": \"0x%016" PRIx64 "\", \"perms\": \"%s\", \"kind\": \"%s\"}",
               i ? "," : "", in->pages[i].address, perms, kind_name(in->pages[i].kind));
    }
    printf("\n  ]\n}\n");
}

int inspect_snapshot(const char *path, bool json)
{
    rvvm_snapshot_info *info;
    char err[512];
    rvvm_status st = rvvm_snapshot_inspect_file(path, &info, err, sizeof err);
    if (st != RVVM_OK) {
        fprintf(stderr, "rvrun: %s: %s\n", path, err);
        return 125;
    }
    if (json)
        print_json(info);
    else
        print_text(info);
    rvvm_snapshot_info_free(info);
    return 0;
}
