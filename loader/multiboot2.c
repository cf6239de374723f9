/* Multiboot2 information parsing (Multiboot2 Specification 2.0, section 3.6). */
#include "boot_info.h"
#include "multiboot2.h"
#include "platform.h"
#include "rstring.h"

#define MB2_INFO_MAX (1024u * 1024u)

/* EFI memory types (UEFI 2.x, 7.2) mapped to e820 types the way Linux does. */
static uint32_t efi_to_e820(uint32_t efi_type)
{
    switch (efi_type) {
    case 1: /* EfiLoaderCode */
    case 2: /* EfiLoaderData */
    case 3: /* EfiBootServicesCode */
    case 4: /* EfiBootServicesData */
    case 7: /* EfiConventionalMemory */
        return E820_RAM;
    case 9: /* EfiACPIReclaimMemory */
        return E820_ACPI;
    case 10: /* EfiACPIMemoryNVS */
        return E820_NVS;
    case 8: /* EfiUnusableMemory */
        return E820_UNUSABLE;
    case 14: /* EfiPersistentMemory */
        return E820_PMEM;
    default:
        return E820_RESERVED;
    }
}

static enum rensa_err parse_string_tag(struct boot_info *bi, const struct mb2_tag *t, const char *what,
                                       size_t off, const char **out, struct diag *d)
{
    const char *s = (const char *)t + off;
    size_t max = t->size - off;
    size_t n = r_strnlen(s, max);
    if (n == max)
        return diag_set(d, E_MBI_MALFORMED, "Multiboot2 %s tag is not NUL-terminated", what);
    return boot_info_strdup(bi, s, n, what, out, d);
}

static enum rensa_err parse_mmap(struct boot_info *bi, const struct mb2_tag *t, struct diag *d)
{
    struct mb2_tag_mmap h;
    if (t->size < sizeof(h))
        return diag_set(d, E_MBI_MALFORMED, "Multiboot2 mmap tag of size %u is truncated", t->size);
    memcpy(&h, t, sizeof(h));
    if (h.entry_size < sizeof(struct mb2_mmap_entry) || h.entry_size % 8)
        return diag_set(d, E_MBI_MALFORMED, "Multiboot2 mmap entry_size %u is invalid", h.entry_size);
    const uint8_t *p = (const uint8_t *)t + sizeof(h);
    uint32_t n = (t->size - (uint32_t)sizeof(h)) / h.entry_size;
    for (uint32_t i = 0; i < n; i++) {
        struct mb2_mmap_entry e;
        memcpy(&e, p + (size_t)i * h.entry_size, sizeof(e));
        enum rensa_err err = memmap_add(&bi->mmap, e.addr, e.len, e.type, d);
        if (err)
            return err;
    }
    return E_OK;
}

static enum rensa_err parse_efi_mmap(struct boot_info *bi, const struct mb2_tag *t, struct diag *d)
{
    struct mb2_tag_efi_mmap h;
    if (t->size < sizeof(h))
        return diag_set(d, E_MBI_MALFORMED, "Multiboot2 EFI mmap tag of size %u is truncated", t->size);
    memcpy(&h, t, sizeof(h));
    if (h.descr_size < sizeof(struct efi_mem_desc) || h.descr_size % 8)
        return diag_set(d, E_MBI_MALFORMED, "Multiboot2 EFI mmap descriptor size %u is invalid", h.descr_size);
    uint32_t len = t->size - (uint32_t)sizeof(h);
    len -= len % h.descr_size;
    if (len > BOOT_EFI_MMAP_MAX)
        return diag_set(d, E_MBI_TOO_MANY, "EFI memory map of %u bytes exceeds %u", len, BOOT_EFI_MMAP_MAX);
    memcpy(bi->efi_mmap, (const uint8_t *)t + sizeof(h), len);
    bi->efi_mmap_len = len;
    bi->efi_desc_size = h.descr_size;
    bi->efi_desc_version = h.descr_vers;
    return E_OK;
}

static enum rensa_err efi_mmap_to_e820(struct boot_info *bi, struct diag *d)
{
    for (uint32_t off = 0; off + bi->efi_desc_size <= bi->efi_mmap_len; off += bi->efi_desc_size) {
        struct efi_mem_desc e;
        memcpy(&e, bi->efi_mmap + off, sizeof(e));
        if (e.num_pages > (UINT64_MAX >> 12))
            return diag_set(d, E_MBI_MALFORMED, "EFI memory descriptor at 0x%llx has %llu pages",
                            (unsigned long long)e.phys_start, (unsigned long long)e.num_pages);
        enum rensa_err err = memmap_add(&bi->mmap, e.phys_start, e.num_pages << 12, efi_to_e820(e.type), d);
        if (err)
            return err;
    }
    bi->mmap_from_efi = true;
    return E_OK;
}

static enum rensa_err parse_tag(struct boot_info *bi, const struct mb2_tag *t, struct diag *d)
{
    enum rensa_err e = E_OK;
    switch (t->type) {
    case MB2_TAG_CMDLINE:
        e = parse_string_tag(bi, t, "command line", sizeof(*t), &bi->cmdline, d);
        break;
    case MB2_TAG_BOOT_LOADER_NAME:
        e = parse_string_tag(bi, t, "boot loader name", sizeof(*t), &bi->loader_name, d);
        break;
    case MB2_TAG_MODULE: {
        struct mb2_tag_module m;
        if (t->size < sizeof(m) + 1)
            return diag_set(d, E_MBI_MALFORMED, "Multiboot2 module tag of size %u is truncated", t->size);
        memcpy(&m, t, sizeof(m));
        if (bi->mod_count >= BOOT_MODS_MAX)
            return diag_set(d, E_MBI_TOO_MANY, "more than %u modules given", BOOT_MODS_MAX);
        if (m.mod_end < m.mod_start)
            return diag_set(d, E_MBI_MALFORMED, "module %u ends (0x%x) before it starts (0x%x)", bi->mod_count,
                            m.mod_end, m.mod_start);
        struct boot_module *bm = &bi->mods[bi->mod_count];
        bm->start = m.mod_start;
        bm->end = m.mod_end;
        e = parse_string_tag(bi, t, "module command line", sizeof(m), &bm->cmdline, d);
        if (!e)
            bi->mod_count++;
        break;
    }
    case MB2_TAG_BASIC_MEMINFO: {
        struct mb2_tag_basic_meminfo mi;
        if (t->size < sizeof(mi))
            return diag_set(d, E_MBI_MALFORMED, "Multiboot2 meminfo tag of size %u is truncated", t->size);
        memcpy(&mi, t, sizeof(mi));
        bi->has_meminfo = true;
        bi->mem_lower_kb = mi.mem_lower;
        bi->mem_upper_kb = mi.mem_upper;
        break;
    }
    case MB2_TAG_MMAP:
        e = parse_mmap(bi, t, d);
        break;
    case MB2_TAG_EFI_MMAP:
        e = parse_efi_mmap(bi, t, d);
        break;
    case MB2_TAG_FRAMEBUFFER: {
        struct mb2_tag_framebuffer fb;
        if (t->size < sizeof(fb))
            return diag_set(d, E_MBI_MALFORMED, "Multiboot2 framebuffer tag of size %u is truncated", t->size);
        memcpy(&fb, t, sizeof(fb));
        bi->fb.present = true;
        bi->fb.addr = fb.framebuffer_addr;
        bi->fb.pitch = fb.framebuffer_pitch;
        bi->fb.width = fb.framebuffer_width;
        bi->fb.height = fb.framebuffer_height;
        bi->fb.bpp = fb.framebuffer_bpp;
        bi->fb.type = fb.framebuffer_type;
        break;
    }
    case MB2_TAG_ACPI_OLD:
    case MB2_TAG_ACPI_NEW: {
        uint32_t len = t->size - (uint32_t)sizeof(*t);
        uint32_t want = t->type == MB2_TAG_ACPI_OLD ? 20 : 36;
        if (len < want)
            return diag_set(d, E_MBI_MALFORMED, "Multiboot2 ACPI RSDP tag holds %u bytes, needs %u", len, want);
        /* Prefer the ACPI 2.0+ RSDP when both are given. */
        if (t->type == MB2_TAG_ACPI_NEW || bi->rsdp_len == 0) {
            memcpy(bi->rsdp, (const uint8_t *)t + sizeof(*t), want);
            bi->rsdp_len = want;
        }
        break;
    }
    case MB2_TAG_EFI32: {
        struct mb2_tag_efi32 s;
        if (t->size < sizeof(s))
            return diag_set(d, E_MBI_MALFORMED, "Multiboot2 EFI32 tag of size %u is truncated", t->size);
        memcpy(&s, t, sizeof(s));
        bi->efi = true;
        bi->efi_systab = s.pointer;
        break;
    }
    case MB2_TAG_EFI64: {
        struct mb2_tag_efi64 s;
        if (t->size < sizeof(s))
            return diag_set(d, E_MBI_MALFORMED, "Multiboot2 EFI64 tag of size %u is truncated", t->size);
        memcpy(&s, t, sizeof(s));
        bi->efi = true;
        bi->efi_systab = s.pointer;
        break;
    }
    case MB2_TAG_EFI_BS:
        bi->efi_bs_active = true;
        break;
    default:
        break; /* other tags are not needed and are passed over */
    }
    return e;
}

enum rensa_err mb2_parse(paddr_t info, struct boot_info *bi, struct diag *d)
{
    if (info % MB2_TAG_ALIGN)
        return diag_set(d, E_MBI_MALFORMED, "Multiboot2 information at 0x%llx is not 8-byte aligned",
                        (unsigned long long)info);
    const struct mb2_info_header *h = phys_ptr(info, sizeof(*h));
    if (!h)
        return diag_set(d, E_MBI_MALFORMED, "Multiboot2 information at 0x%llx is not addressable",
                        (unsigned long long)info);
    uint32_t total = h->total_size;
    if (total < sizeof(*h) + sizeof(struct mb2_tag) || total > MB2_INFO_MAX)
        return diag_set(d, E_MBI_MALFORMED, "Multiboot2 total_size %u is out of range", total);
    const uint8_t *base = phys_ptr(info, total);
    if (!base)
        return diag_set(d, E_MBI_MALFORMED, "Multiboot2 information 0x%llx+0x%x is not addressable",
                        (unsigned long long)info, total);
    bi->mb_version = 2;
    bi->info_base = info;
    bi->info_size = total;

    uint32_t off = sizeof(*h);
    bool ended = false;
    while (off + sizeof(struct mb2_tag) <= total) {
        struct mb2_tag t;
        memcpy(&t, base + off, sizeof(t));
        if (t.size < sizeof(t) || t.size > total - off)
            return diag_set(d, E_MBI_MALFORMED, "Multiboot2 tag type %u at offset %u has size %u past the end (%u)",
                            t.type, off, t.size, total);
        if (t.type == MB2_TAG_END) {
            ended = true;
            break;
        }
        enum rensa_err e = parse_tag(bi, (const struct mb2_tag *)(base + off), d);
        if (e)
            return e;
        off += (uint32_t)ALIGN_UP(t.size, MB2_TAG_ALIGN);
    }
    if (!ended)
        return diag_set(d, E_MBI_MALFORMED, "Multiboot2 information has no end tag within %u bytes", total);
    if (bi->mmap.n == 0 && bi->efi_mmap_len)
        return efi_mmap_to_e820(bi, d);
    return E_OK;
}
