#include "elfbuild.h"

#include <stdlib.h>
#include <string.h>

#define EB_PAGE 4096u

void eb_init(eb_elf *e, uint64_t entry)
{
    memset(e, 0, sizeof *e);
    e->ei_class = ELFCLASS64;
    e->ei_data = ELFDATA2LSB;
    e->type = ET_EXEC;
    e->machine = EM_RISCV;
    e->entry = entry;
}

eb_segment *eb_add(eb_elf *e, uint32_t type, uint32_t flags, uint64_t vaddr, const void *data,
                   uint64_t filesz, uint64_t memsz)
{
    if (e->nseg >= EB_MAX_SEGS)
        return NULL;
    eb_segment *s = &e->seg[e->nseg++];
    memset(s, 0, sizeof *s);
    s->type = type;
    s->flags = flags;
    s->vaddr = vaddr;
    s->data = data;
    s->filesz = filesz;
    s->memsz = memsz;
    return s;
}

uint64_t eb_headers_size(const eb_elf *e)
{
    return sizeof(Elf64_Ehdr) + e->nseg * sizeof(Elf64_Phdr);
}

uint64_t eb_phdr_offset(size_t i) { return sizeof(Elf64_Ehdr) + i * sizeof(Elf64_Phdr); }

static uint64_t file_bytes(const eb_segment *s)
{
    /* Absurd file sizes (for malformed-file tests) are written to the header only. */
    return s->filesz < (1u << 20) ? s->filesz : 0;
}

/* Segment i's p_offset; data follows the headers for a with_headers segment. */
static uint64_t seg_offset(const eb_elf *e, size_t i)
{
    uint64_t cur = eb_headers_size(e);
    for (size_t j = 0; j <= i; j++) {
        const eb_segment *s = &e->seg[j];
        uint64_t off;
        if (s->with_headers) {
            off = 0;
            if (eb_headers_size(e) + file_bytes(s) > cur)
                cur = eb_headers_size(e) + file_bytes(s);
        } else {
            /* Next page boundary, then the address's offset within its page. */
            off = ((cur + EB_PAGE - 1) & ~(uint64_t)(EB_PAGE - 1)) + (s->vaddr & (EB_PAGE - 1));
            cur = off + file_bytes(s);
        }
        if (j == i)
            return off;
    }
    return 0;
}

uint64_t eb_data_offset(const eb_elf *e, size_t i)
{
    return e->seg[i].with_headers ? eb_headers_size(e) : seg_offset(e, i);
}

uint8_t *eb_build(const eb_elf *e, size_t *size)
{
    uint64_t total = eb_headers_size(e);
    for (size_t i = 0; i < e->nseg; i++) {
        uint64_t end = eb_data_offset(e, i) + file_bytes(&e->seg[i]);
        if (end > total)
            total = end;
    }
    uint8_t *img = calloc(1, (size_t)total);
    if (!img)
        return NULL;

    Elf64_Ehdr eh;
    memset(&eh, 0, sizeof eh);
    memcpy(eh.e_ident, ELFMAG, SELFMAG);
    eh.e_ident[EI_CLASS] = e->ei_class;
    eh.e_ident[EI_DATA] = e->ei_data;
    eh.e_ident[EI_VERSION] = EV_CURRENT;
    eh.e_ident[EI_OSABI] = ELFOSABI_NONE;
    eh.e_type = e->type;
    eh.e_machine = e->machine;
    eh.e_version = EV_CURRENT;
    eh.e_entry = e->entry;
    eh.e_phoff = e->nseg ? sizeof(Elf64_Ehdr) : 0;
    eh.e_shoff = 0;
    eh.e_flags = 0x5; /* EF_RISCV_RVC | EF_RISCV_FLOAT_ABI_DOUBLE, as gcc emits */
    eh.e_ehsize = sizeof(Elf64_Ehdr);
    eh.e_phentsize = sizeof(Elf64_Phdr);
    eh.e_phnum = (Elf64_Half)e->nseg;
    eh.e_shentsize = sizeof(Elf64_Shdr);
    eh.e_shnum = 0;
    eh.e_shstrndx = SHN_UNDEF;
    memcpy(img, &eh, sizeof eh);

    uint64_t hdr = eb_headers_size(e);
    for (size_t i = 0; i < e->nseg; i++) {
        const eb_segment *s = &e->seg[i];
        Elf64_Phdr ph;
        memset(&ph, 0, sizeof ph);
        ph.p_type = s->type;
        ph.p_flags = s->flags;
        ph.p_offset = seg_offset(e, i);
        ph.p_vaddr = s->vaddr;
        ph.p_paddr = s->vaddr;
        ph.p_filesz = s->filesz + (s->with_headers ? hdr : 0);
        ph.p_memsz = s->memsz + (s->with_headers ? hdr : 0);
        ph.p_align = EB_PAGE;
        memcpy(img + eb_phdr_offset(i), &ph, sizeof ph);
        if (s->data && file_bytes(s))
            memcpy(img + eb_data_offset(e, i), s->data, (size_t)file_bytes(s));
    }
    *size = (size_t)total;
    return img;
}

Elf64_Ehdr *eb_ehdr(uint8_t *image) { return (Elf64_Ehdr *)(void *)image; }

Elf64_Phdr *eb_phdr(uint8_t *image, size_t i)
{
    return (Elf64_Phdr *)(void *)(image + eb_phdr_offset(i));
}

uint8_t *eb_build_program(const eb_program *p, size_t *size)
{
    eb_elf e;
    eb_init(&e, EB_TEXT);
    eb_add(&e, PT_LOAD, PF_R | PF_X, EB_TEXT, p->code, p->code_len, p->code_len);
    uint64_t memsz = p->data_memsz > p->data_len ? p->data_memsz : p->data_len;
    if (memsz)
        eb_add(&e, PT_LOAD, PF_R | PF_W, EB_DATA, p->data, p->data_len, memsz);
    return eb_build(&e, size);
}

rvvm_machine *eb_machine_config(const rvvm_config *config)
{
    rvvm_machine *m = NULL;
    if (rvvm_create(config, &m) != RVVM_OK)
        return NULL;
    return m;
}

rvvm_machine *eb_machine(const char *cost_model, uint64_t mem)
{
    rvvm_config c;
    rvvm_config_init(&c);
    c.memory_size = mem ? mem : (4ull << 20);
    if (rvvm_cost_model_builtin(cost_model ? cost_model : "unit", &c.cost_model) != RVVM_OK)
        return NULL;
    return eb_machine_config(&c);
}

rvvm_status eb_load(rvvm_machine *m, const eb_program *p)
{
    size_t size = 0;
    uint8_t *img = eb_build_program(p, &size);
    if (!img)
        return RVVM_ERR_NO_MEMORY;
    static const char *const argv[] = {"prog", NULL};
    rvvm_status st = rvvm_load_elf_memory(m, img, size, "prog", argv, NULL);
    free(img);
    return st;
}

rvvm_machine *eb_machine_with_code(const void *code, size_t code_len)
{
    rvvm_machine *m = eb_machine("unit", 0);
    if (!m)
        return NULL;
    eb_program p = {.code = code, .code_len = code_len};
    if (eb_load(m, &p) != RVVM_OK) {
        rvvm_destroy(m);
        return NULL;
    }
    return m;
}

static int64_t capture_write(void *user, int fd, const void *buf, size_t len)
{
    eb_capture *cap = user;
    (void)fd;
    cap->writes++;
    size_t room = sizeof cap->out - cap->out_len;
    size_t n = len < room ? len : room;
    memcpy(cap->out + cap->out_len, buf, n);
    cap->out_len += n;
    return (int64_t)len;
}

static int64_t capture_read(void *user, int fd, void *buf, size_t len)
{
    (void)user;
    (void)fd;
    (void)buf;
    (void)len;
    return 0;
}

void eb_capture_io(rvvm_machine *m, eb_capture *cap)
{
    memset(cap, 0, sizeof *cap);
    rvvm_set_io(m, capture_read, capture_write, cap);
}
