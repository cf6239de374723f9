/* Shared set-up for the kernel hand-off tests (see kernel_fixture.h). */
#include <stdlib.h>
#include <string.h>
#include "elf_image.h"
#include "kernel_fixture.h"
#include "linux_boot.h"
#include "multiboot1.h"
#include "multiboot2.h"
#include "sim.h"

struct rensa_ctx *fx_ctx(unsigned mb_version)
{
    struct rensa_ctx *ctx = calloc(1, sizeof(*ctx));
    if (!ctx)
        abort();
    sim_reset(); /* a fresh machine: earlier contexts in the same test are gone */
    sim_map(0, FX_LOW_END);
    sim_map(FX_RAM_BASE, FX_RAM_END - FX_RAM_BASE);
    struct memmap *m = &ctx->bi.mmap;
    memmap_add(m, 0, FX_LOW_END, E820_RAM, NULL);
    memmap_add(m, FX_LOW_END, 0xa0000 - FX_LOW_END, E820_RESERVED, NULL);
    memmap_add(m, 0xf0000, 0x10000, E820_RESERVED, NULL);
    memmap_add(m, FX_RAM_BASE, FX_RAM_END - FX_RAM_BASE, E820_RAM, NULL);
    memmap_add(m, 0xfffc0000u, 0x40000, E820_RESERVED, NULL);
    memmap_normalize(m);
    ctx->handoff = *m;
    ctx->alloc.ram = m;
    ctx->image_base = FX_RENSA_BASE;
    ctx->image_end = FX_RENSA_END;
    alloc_mark_busy(&ctx->alloc, FX_RENSA_BASE, FX_RENSA_END - FX_RENSA_BASE, "Rensa", NULL);
    ctx->bi.mb_version = mb_version;
    ctx->bi.cmdline = "";
    ctx->bi.loader_name = "GRUB";
    return ctx;
}

void fx_module(struct rensa_ctx *ctx, paddr_t paddr, const void *data, size_t len, const char *cmdline,
               bool own_region)
{
    uint8_t *p = own_region ? sim_map(paddr, len) : sim_at(paddr);
    memcpy(p, data, len);
    struct boot_module *bm = &ctx->bi.mods[ctx->bi.mod_count++];
    bm->start = paddr;
    bm->end = paddr + len;
    bm->cmdline = cmdline;
    alloc_mark_busy(&ctx->alloc, paddr, len, "module", NULL);
}

bool fx_overlaps_other(const struct rensa_ctx *ctx, paddr_t base, paddr_t len)
{
    for (unsigned i = 0; i < ctx->alloc.nbusy; i++) {
        const struct busy_range *b = &ctx->alloc.busy[i];
        if (b->base != base && b->len && base < b->base + b->len && b->base < base + len)
            return true;
    }
    return false;
}

void fx_bz_default(struct bz_opts *o)
{
    memset(o, 0, sizeof(*o));
    o->setup_sects = 27;
    o->version = 0x020f;
    o->payload = 0x10000;
    o->init_size = 0x300000;
    o->align = 0x200000;
    o->pref = 0x1000000;
    o->reloc = true;
    o->cmdline_size = 2047;
    o->initrd_max = 0x7fffffff;
}

uint8_t fx_payload_byte(size_t i)
{
    return (uint8_t)(i * 7 + 3);
}

uint8_t *fx_bzimage(const struct bz_opts *o, size_t *len)
{
    size_t setup = ((o->setup_sects ? o->setup_sects : 4) + 1) * 512u;
    *len = setup + o->payload;
    uint8_t *img = calloc(1, *len);
    if (!img)
        abort();
    struct setup_header h;
    memset(&h, 0, sizeof(h));
    h.setup_sects = (uint8_t)o->setup_sects;
    h.syssize = o->syssize ? o->syssize : (o->payload + 15) / 16;
    h.boot_flag = LINUX_BOOT_FLAG;
    memcpy(&h.header, "HdrS", 4);
    h.version = o->version;
    h.loadflags = LINUX_LOADED_HIGH;
    h.code32_start = 0x100000;
    h.initrd_addr_max = o->initrd_max;
    h.kernel_alignment = o->align;
    h.relocatable_kernel = o->reloc;
    h.cmdline_size = o->cmdline_size;
    h.pref_address = o->pref;
    h.init_size = o->init_size;
    memcpy(img + 0x1f1, &h, sizeof(h));
    /* The header's length follows from the version (boot.rst): 2.10+ reach
     * kernel_info_offset, 2.06 ends after cmdline_size. */
    size_t end = o->version >= 0x020a ? 0x26c : 0x23c;
    img[0x200] = 0xeb;
    img[0x201] = (uint8_t)(end - 0x202);
    for (size_t i = 0; i < o->payload; i++)
        img[setup + i] = fx_payload_byte(i);
    return img;
}

uint8_t fx_seg_byte(unsigned seg, size_t i)
{
    return (uint8_t)(i * 13 + seg * 7 + 1);
}

static void put32(uint8_t *p, uint32_t v)
{
    memcpy(p, &v, 4);
}

uint8_t *fx_elf(const struct elf_opts *o, size_t *len)
{
    size_t data = FX_ELF_DATA_OFF;
    for (unsigned i = 0; i < o->nseg; i++)
        data += o->seg[i].filesz;
    *len = data;
    uint8_t *img = calloc(1, *len);
    if (!img)
        abort();
    memcpy(img, ELF_MAGIC, 4);
    img[ELF_EI_CLASS] = o->is64 ? ELF_CLASS64 : ELF_CLASS32;
    img[ELF_EI_DATA] = ELF_DATA_LSB;
    img[ELF_EI_VERSION] = 1;
    size_t off = FX_ELF_DATA_OFF;
    if (o->is64) {
        struct elf64_ehdr h;
        memcpy(&h, img, sizeof(h));
        h.e_type = ELF_ET_EXEC;
        h.e_machine = ELF_EM_X86_64;
        h.e_version = 1;
        h.e_entry = o->entry;
        h.e_phoff = FX_ELF_PHOFF;
        h.e_ehsize = sizeof(h);
        h.e_phentsize = sizeof(struct elf64_phdr);
        h.e_phnum = (uint16_t)o->nseg;
        memcpy(img, &h, sizeof(h));
        for (unsigned i = 0; i < o->nseg; i++) {
            struct elf64_phdr p = {ELF_PT_LOAD, 7, off, o->seg[i].vaddr, o->seg[i].paddr, o->seg[i].filesz,
                                   o->seg[i].memsz, 0x1000};
            memcpy(img + FX_ELF_PHOFF + i * sizeof(p), &p, sizeof(p));
            off += o->seg[i].filesz;
        }
    } else {
        struct elf32_ehdr h;
        memcpy(&h, img, sizeof(h));
        h.e_type = ELF_ET_EXEC;
        h.e_machine = ELF_EM_386;
        h.e_version = 1;
        h.e_entry = (uint32_t)o->entry;
        h.e_phoff = FX_ELF_PHOFF;
        h.e_ehsize = sizeof(h);
        h.e_phentsize = sizeof(struct elf32_phdr);
        h.e_phnum = (uint16_t)o->nseg;
        memcpy(img, &h, sizeof(h));
        for (unsigned i = 0; i < o->nseg; i++) {
            struct elf32_phdr p = {ELF_PT_LOAD, (uint32_t)off, (uint32_t)o->seg[i].vaddr,
                                   (uint32_t)o->seg[i].paddr, o->seg[i].filesz, o->seg[i].memsz, 7, 0x1000};
            memcpy(img + FX_ELF_PHOFF + i * sizeof(p), &p, sizeof(p));
            off += o->seg[i].filesz;
        }
    }
    off = FX_ELF_DATA_OFF;
    for (unsigned i = 0; i < o->nseg; i++)
        for (uint32_t k = 0; k < o->seg[i].filesz; k++)
            img[off++] = fx_seg_byte(i, k);
    if (o->mb1) {
        uint8_t *m = img + FX_ELF_MB1_OFF;
        put32(m, MB1_HEADER_MAGIC);
        put32(m + 4, MB1_HDR_PAGE_ALIGN | MB1_HDR_MEMORY_INFO);
        put32(m + 8, -(MB1_HEADER_MAGIC + (MB1_HDR_PAGE_ALIGN | MB1_HDR_MEMORY_INFO)));
    }
    if (o->mb2) {
        uint8_t *m = img + FX_ELF_MB2_OFF;
        uint32_t at = 16;
        if (o->mb2_request) { /* information request: one tag type */
            put32(m + at, MB2_HTAG_INFO_REQUEST | (o->request_optional ? MB2_HTAG_OPTIONAL << 16 : 0));
            put32(m + at + 4, 12);
            put32(m + at + 8, o->mb2_request);
            at += 16;
        }
        if (o->mb2_entry_tag) {
            put32(m + at, MB2_HTAG_ENTRY);
            put32(m + at + 4, 12);
            put32(m + at + 8, o->mb2_entry);
            at += 16;
        }
        put32(m + at, MB2_HTAG_RELOCATABLE | (MB2_HTAG_OPTIONAL << 16)); /* ignored, as Xen's */
        put32(m + at + 4, 24);
        at += 24;
        put32(m + at, MB2_HTAG_END);
        put32(m + at + 4, 8);
        at += 8;
        put32(m, MB2_HEADER_MAGIC);
        put32(m + 4, MB2_ARCH_I386);
        put32(m + 8, at);
        put32(m + 12, -(MB2_HEADER_MAGIC + MB2_ARCH_I386 + at));
    }
    return img;
}
