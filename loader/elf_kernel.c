/* An ELF32 or ELF64 executable with a Multiboot1 or Multiboot2 header (such
 * as Xen): every PT_LOAD segment copied to its physical address, modules in
 * the way moved first, and a fresh Multiboot information structure. */
#include "elf_image.h"
#include "kernel_load.h"
#include "multiboot1.h"
#include "multiboot2.h"
#include "platform.h"
#include "rstring.h"

#define MB1_SEARCH 8192u
#define MB2_SEARCH 32768u
#define MB1_FLAGS_UNKNOWN 0x0000fff8u /* required (low 16) flag bits Rensa does not know */

/* Information tags mbi_build() can produce, for the MB2 information request. */
#define MB2_PROVIDED                                                                                        \
    ((1u << MB2_TAG_END) | (1u << MB2_TAG_CMDLINE) | (1u << MB2_TAG_BOOT_LOADER_NAME) | (1u << MB2_TAG_MODULE) | \
     (1u << MB2_TAG_BASIC_MEMINFO) | (1u << MB2_TAG_MMAP) | (1u << MB2_TAG_FRAMEBUFFER) | (1u << MB2_TAG_EFI64) | \
     (1u << MB2_TAG_ACPI_OLD) | (1u << MB2_TAG_ACPI_NEW) | (1u << MB2_TAG_EFI_MMAP))

struct mb2_htag { /* a Multiboot2 header tag */
    uint16_t type;
    uint16_t flags;
    uint32_t size;
};
_Static_assert(sizeof(struct mb2_htag) == 8, "Multiboot2 header tag is 8 bytes");

struct elf_file {
    paddr_t size;
    bool is64;
    uint64_t entry, phoff;
    unsigned phnum, phentsize;
};

struct segment {
    uint32_t type;
    uint64_t offset, vaddr, paddr, filesz, memsz;
};

struct mb_found {
    bool mb1, mb2;
    uint32_t mb1_flags;
    uint32_t mb2_off, mb2_len;
    bool has_entry, wants_efi; /* from the MB2 header tags */
    uint32_t entry;
};

static const char seg_what[] = "ELF kernel segment";

static enum rensa_err parse_ehdr(const uint8_t *img, paddr_t size, struct elf_file *ef, struct diag *d)
{
    if (size < sizeof(struct elf32_ehdr))
        return diag_set(d, E_KERNEL_TRUNCATED, "ELF kernel is %llu bytes, shorter than an ELF header",
                        (unsigned long long)size);
    if (img[ELF_EI_CLASS] != ELF_CLASS32 && img[ELF_EI_CLASS] != ELF_CLASS64)
        return diag_set(d, E_KERNEL_FORMAT, "ELF class %u is neither 32- nor 64-bit", img[ELF_EI_CLASS]);
    if (img[ELF_EI_DATA] != ELF_DATA_LSB || img[ELF_EI_VERSION] != 1)
        return diag_set(d, E_KERNEL_FORMAT, "ELF data encoding %u / version %u: not a little-endian ELF version 1",
                        img[ELF_EI_DATA], img[ELF_EI_VERSION]);
    uint16_t type, machine;
    ef->size = size;
    ef->is64 = img[ELF_EI_CLASS] == ELF_CLASS64;
    if (ef->is64) {
        struct elf64_ehdr h;
        if (size < sizeof(h))
            return diag_set(d, E_KERNEL_TRUNCATED, "ELF64 kernel is %llu bytes, shorter than an ELF64 header",
                            (unsigned long long)size);
        memcpy(&h, img, sizeof(h));
        type = h.e_type;
        machine = h.e_machine;
        ef->entry = h.e_entry;
        ef->phoff = h.e_phoff;
        ef->phnum = h.e_phnum;
        ef->phentsize = h.e_phentsize;
    } else {
        struct elf32_ehdr h;
        memcpy(&h, img, sizeof(h));
        type = h.e_type;
        machine = h.e_machine;
        ef->entry = h.e_entry;
        ef->phoff = h.e_phoff;
        ef->phnum = h.e_phnum;
        ef->phentsize = h.e_phentsize;
    }
    size_t phsize = ef->is64 ? sizeof(struct elf64_phdr) : sizeof(struct elf32_phdr);
    if (type != ELF_ET_EXEC)
        return diag_set(d, E_KERNEL_FORMAT, "ELF type %u is not an executable (ET_EXEC)", type);
    if (machine != ELF_EM_386 && machine != ELF_EM_X86_64)
        return diag_set(d, E_KERNEL_FORMAT, "ELF machine %u is not x86 (EM_386 or EM_X86_64)", machine);
    if (ef->phentsize < phsize)
        return diag_set(d, E_KERNEL_FORMAT, "ELF program header size %u is smaller than %zu", ef->phentsize, phsize);
    if (ef->phnum == 0)
        return diag_set(d, E_KERNEL_FORMAT, "ELF kernel has no program headers");
    uint64_t table = (uint64_t)ef->phnum * ef->phentsize;
    if (ef->phoff > size || table > size - ef->phoff)
        return diag_set(d, E_KERNEL_TRUNCATED,
                        "ELF program headers at 0x%llx (%u x %u bytes) run past the end of the %llu-byte file",
                        (unsigned long long)ef->phoff, ef->phnum, ef->phentsize, (unsigned long long)size);
    return E_OK;
}

static void read_seg(const uint8_t *img, const struct elf_file *ef, unsigned i, struct segment *s)
{
    const uint8_t *p = img + ef->phoff + (size_t)i * ef->phentsize;
    if (ef->is64) {
        struct elf64_phdr ph;
        memcpy(&ph, p, sizeof(ph));
        *s = (struct segment){ph.p_type, ph.p_offset, ph.p_vaddr, ph.p_paddr, ph.p_filesz, ph.p_memsz};
    } else {
        struct elf32_phdr ph;
        memcpy(&ph, p, sizeof(ph));
        *s = (struct segment){ph.p_type, ph.p_offset, ph.p_vaddr, ph.p_paddr, ph.p_filesz, ph.p_memsz};
    }
}

/* Check every PT_LOAD against the file and 4 GiB; translate the entry point
 * from a virtual to a physical address through the segment holding it. */
static enum rensa_err check_segs(const uint8_t *img, const struct elf_file *ef, uint64_t *entry, struct diag *d)
{
    unsigned loads = 0;
    bool translated = false;
    *entry = ef->entry;
    for (unsigned i = 0; i < ef->phnum; i++) {
        struct segment s;
        read_seg(img, ef, i, &s);
        if (s.type != ELF_PT_LOAD)
            continue;
        if (s.filesz > s.memsz)
            return diag_set(d, E_KERNEL_FORMAT, "ELF segment %u: p_filesz 0x%llx exceeds p_memsz 0x%llx", i,
                            (unsigned long long)s.filesz, (unsigned long long)s.memsz);
        if (s.offset > ef->size || s.filesz > ef->size - s.offset)
            return diag_set(d, E_KERNEL_TRUNCATED,
                            "ELF segment %u: file bytes 0x%llx+0x%llx run past the end of the %llu-byte file", i,
                            (unsigned long long)s.offset, (unsigned long long)s.filesz,
                            (unsigned long long)ef->size);
        if (s.paddr >= GiB(4) || s.memsz > GiB(4) - s.paddr)
            return diag_set(d, E_KERNEL_PLACEMENT, "ELF segment %u at 0x%llx+0x%llx is not below 4 GiB", i,
                            (unsigned long long)s.paddr, (unsigned long long)s.memsz);
        if (s.memsz == 0)
            continue;
        if (!translated && ef->entry >= s.vaddr && ef->entry - s.vaddr < s.memsz) {
            *entry = ef->entry - s.vaddr + s.paddr;
            translated = true;
        }
        loads++;
    }
    if (loads == 0)
        return diag_set(d, E_KERNEL_FORMAT, "ELF kernel has no loadable segment");
    return E_OK;
}

static void find_mb(const uint8_t *img, paddr_t size, struct mb_found *f)
{
    paddr_t lim = size < MB1_SEARCH ? size : MB1_SEARCH;
    for (uint32_t off = 0; off + 12 <= lim; off += 4) {
        uint32_t h[3];
        memcpy(h, img + off, sizeof(h));
        if (h[0] == MB1_HEADER_MAGIC && h[0] + h[1] + h[2] == 0) {
            f->mb1 = true;
            f->mb1_flags = h[1];
            break;
        }
    }
    lim = size < MB2_SEARCH ? size : MB2_SEARCH;
    for (uint32_t off = 0; off + sizeof(struct mb2_header) <= lim; off += 8) {
        struct mb2_header h;
        memcpy(&h, img + off, sizeof(h));
        if (h.magic == MB2_HEADER_MAGIC && h.architecture == MB2_ARCH_I386 &&
            h.magic + h.architecture + h.header_length + h.checksum == 0) {
            f->mb2 = true;
            f->mb2_off = off;
            f->mb2_len = h.header_length;
            break;
        }
    }
}

static enum rensa_err parse_mb2_tags(const uint8_t *img, paddr_t size, struct mb_found *f, struct diag *d)
{
    paddr_t lim = size < MB2_SEARCH ? size : MB2_SEARCH;
    uint32_t len = f->mb2_len;
    if (len < sizeof(struct mb2_header) + sizeof(struct mb2_htag) || len > lim - f->mb2_off)
        return diag_set(d, E_KERNEL_FORMAT, "Multiboot2 header at 0x%x has length %u, outside the first %llu bytes",
                        f->mb2_off, len, (unsigned long long)lim);
    const uint8_t *h = img + f->mb2_off;
    for (uint32_t at = sizeof(struct mb2_header);; ) {
        struct mb2_htag t;
        if (at > len || len - at < sizeof(t))
            return diag_set(d, E_KERNEL_FORMAT, "Multiboot2 header has no end tag within its %u bytes", len);
        memcpy(&t, h + at, sizeof(t));
        if (t.size < sizeof(t) || t.size > len - at)
            return diag_set(d, E_KERNEL_FORMAT, "Multiboot2 header tag %u at offset %u has size %u past the header (%u bytes)",
                            t.type, at, t.size, len);
        bool optional = t.flags & MB2_HTAG_OPTIONAL;
        switch (t.type) {
        case MB2_HTAG_END:
            return E_OK;
        case MB2_HTAG_INFO_REQUEST:
            for (uint32_t k = sizeof(t); k + 4 <= t.size; k += 4) {
                uint32_t want;
                memcpy(&want, h + at + k, 4);
                if (want == MB2_TAG_EFI64 || want == MB2_TAG_EFI_MMAP)
                    f->wants_efi = true;
                if (!optional && (want >= 32 || !(MB2_PROVIDED & (1u << want))))
                    return diag_set(d, E_KERNEL_UNSUPPORTED,
                                    "kernel requires Multiboot2 information tag %u, which Rensa does not provide", want);
            }
            break;
        case MB2_HTAG_ENTRY:
            if (t.size < sizeof(t) + 4)
                return diag_set(d, E_KERNEL_FORMAT, "Multiboot2 entry address tag has size %u", t.size);
            memcpy(&f->entry, h + at + sizeof(t), 4);
            f->has_entry = true;
            break;
        case MB2_HTAG_ADDRESS: /* the ELF program headers say the same */
        case MB2_HTAG_CONSOLE_FLAGS:
        case MB2_HTAG_FRAMEBUFFER:
        case MB2_HTAG_MODULE_ALIGN: /* modules stay page-aligned */
        case MB2_HTAG_RELOCATABLE: /* loaded at its link address */
            break;
        default:
            if (!optional)
                return diag_set(d, E_KERNEL_UNSUPPORTED, "kernel requires Multiboot2 header tag %u, which Rensa does not support",
                                t.type);
            break;
        }
        at += (uint32_t)ALIGN_UP(t.size, MB2_TAG_ALIGN);
    }
}

static bool overlaps(paddr_t a, paddr_t alen, paddr_t b, paddr_t blen)
{
    return alen && blen && a < b + blen && b < a + alen;
}

/* The module whose busy entry b is, or -1. */
static int module_of(const struct rensa_ctx *ctx, const struct busy_range *b)
{
    for (unsigned i = 0; i < ctx->bi.mod_count; i++)
        if (ctx->bi.mods[i].start == b->base && ctx->bi.mods[i].end - ctx->bi.mods[i].start == b->len)
            return (int)i;
    return -1;
}

/* Check a segment's target and claim it (busy, not reserved: the kernel owns it). */
static enum rensa_err claim_segment(struct rensa_ctx *ctx, unsigned i, const struct segment *s, struct diag *d)
{
    unsigned long long base = s->paddr, len = s->memsz;
    if (!memmap_covers(&ctx->bi.mmap, s->paddr, s->memsz, E820_RAM))
        return diag_set(d, E_KERNEL_PLACEMENT, "ELF segment %u (0x%llx+0x%llx) is not all usable RAM", i, base, len);
    if (overlaps(s->paddr, s->memsz, ctx->image_base, ctx->image_end - ctx->image_base))
        return diag_set(d, E_KERNEL_PLACEMENT, "ELF segment %u (0x%llx+0x%llx) overlaps Rensa (0x%llx-0x%llx)", i, base,
                        len, (unsigned long long)ctx->image_base, (unsigned long long)ctx->image_end);
    for (unsigned k = 0; k < ctx->alloc.nbusy; k++) {
        const struct busy_range *b = &ctx->alloc.busy[k];
        if (!overlaps(s->paddr, s->memsz, b->base, b->len) || module_of(ctx, b) >= 0)
            continue; /* modules are moved once every segment is claimed */
        return diag_set(d, b->what == seg_what ? E_KERNEL_FORMAT : E_KERNEL_PLACEMENT,
                        "ELF segment %u (0x%llx+0x%llx) overlaps %s at 0x%llx+0x%llx", i, base, len, b->what,
                        (unsigned long long)b->base, (unsigned long long)b->len);
    }
    return alloc_mark_busy(&ctx->alloc, s->paddr, s->memsz, seg_what, d);
}

/* Move module m (which overlaps a claimed segment) to free memory. */
static enum rensa_err move_module(struct rensa_ctx *ctx, unsigned m, struct diag *d)
{
    struct boot_module *bm = &ctx->bi.mods[m];
    paddr_t len = bm->end - bm->start, to;
    const char *what = "module";
    int k = -1;
    for (unsigned j = 0; j < ctx->alloc.nbusy; j++) {
        const struct busy_range *b = &ctx->alloc.busy[j];
        if (b->what != seg_what && b->base == bm->start && b->len == len) {
            k = (int)j;
            what = b->what;
            break;
        }
    }
    enum rensa_err e = kernel_alloc(ctx, len, KiB(4), 0, GiB(4), ALLOC_TOP_DOWN, false, what, &to, d);
    if (e)
        return e;
    void *dst = phys_ptr(to, len);
    const void *src = phys_ptr(bm->start, len);
    if (!dst || !src)
        return diag_set(d, E_MODULE_RANGE, "module %u cannot be moved from 0x%llx to 0x%llx", m,
                        (unsigned long long)bm->start, (unsigned long long)to);
    memmove(dst, src, (size_t)len);
    /* Drop the old busy entry by index: alloc_unmark() matches the base
     * only, and a claimed segment may start at the same address. */
    if (k >= 0)
        ctx->alloc.busy[k] = ctx->alloc.busy[--ctx->alloc.nbusy];
    bm->start = to;
    bm->end = to + len;
    return E_OK;
}

static bool hits_segment(const struct rensa_ctx *ctx, const struct boot_module *bm)
{
    for (unsigned k = 0; k < ctx->alloc.nbusy; k++)
        if (ctx->alloc.busy[k].what == seg_what &&
            overlaps(bm->start, bm->end - bm->start, ctx->alloc.busy[k].base, ctx->alloc.busy[k].len))
            return true;
    return false;
}

enum rensa_err elf_kernel_prepare(struct rensa_ctx *ctx, struct kernel_entry *ke, struct diag *d)
{
    struct boot_module *km = &ctx->bi.mods[ctx->kernel_mod];
    paddr_t size = km->end - km->start;
    const uint8_t *img = phys_ptr(km->start, size); /* kernel_prepare checked it */
    struct elf_file ef;
    uint64_t entry;
    enum rensa_err e = parse_ehdr(img, size, &ef, d);
    if (!e)
        e = check_segs(img, &ef, &entry, d);
    if (e)
        return e;

    struct mb_found mb;
    memset(&mb, 0, sizeof(mb));
    find_mb(img, size, &mb);
    if (!mb.mb1 && !mb.mb2)
        return diag_set(d, E_KERNEL_UNSUPPORTED, "ELF kernel has no Multiboot1 header in its first %u bytes and "
                        "no Multiboot2 header in its first %u bytes", MB1_SEARCH, MB2_SEARCH);
    unsigned ver = ctx->bi.mb_version == 2 ? (mb.mb2 ? 2 : 1) : (mb.mb1 ? 1 : 2);
    if (ver == 1 && (mb.mb1_flags & MB1_FLAGS_UNKNOWN))
        return diag_set(d, E_KERNEL_UNSUPPORTED, "Multiboot1 header flags 0x%x require features Rensa does not know",
                        mb.mb1_flags & MB1_FLAGS_UNKNOWN);
    if (ver == 2) {
        e = parse_mb2_tags(img, size, &mb, d);
        if (e)
            return e;
        if (mb.has_entry)
            entry = mb.entry;
    }
    if (entry >= GiB(4))
        return diag_set(d, E_KERNEL_UNSUPPORTED, "ELF entry point 0x%llx is not below 4 GiB",
                        (unsigned long long)entry);

    /* Claim every segment's target, then move modules out of them. */
    for (unsigned i = 0; i < ef.phnum; i++) {
        struct segment s;
        read_seg(img, &ef, i, &s);
        if (s.type == ELF_PT_LOAD && s.memsz && (e = claim_segment(ctx, i, &s, d)) != E_OK)
            return e;
    }
    for (unsigned m = 0; m < ctx->bi.mod_count; m++)
        if (hits_segment(ctx, &ctx->bi.mods[m]) && (e = move_module(ctx, m, d)) != E_OK)
            return e;

    img = phys_ptr(km->start, size); /* the kernel module may have moved */
    for (unsigned i = 0; i < ef.phnum; i++) {
        struct segment s;
        read_seg(img, &ef, i, &s);
        if (s.type != ELF_PT_LOAD || s.memsz == 0)
            continue;
        uint8_t *dst = phys_ptr(s.paddr, s.memsz);
        if (!dst)
            return diag_set(d, E_KERNEL_PLACEMENT, "ELF segment %u at 0x%llx is not addressable", i,
                            (unsigned long long)s.paddr);
        memmove(dst, img + s.offset, (size_t)s.filesz);
        memset(dst + s.filesz, 0, (size_t)(s.memsz - s.filesz));
    }

    e = mbi_build(ctx, ver, ver == 2 && mb.wants_efi && ctx->bi.efi, ke, d);
    if (e)
        return e;
    ke->kind = KERNEL_ELF;
    ke->eip = (uint32_t)entry;
    return E_OK;
}
