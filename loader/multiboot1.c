/* Multiboot1 information parsing (Multiboot Specification 0.6.96, section 3.3). */
#include "boot_info.h"
#include "multiboot1.h"
#include "platform.h"
#include "rstring.h"

static enum rensa_err parse_mmap(const struct mb1_info *mi, struct boot_info *bi, struct diag *d)
{
    if (mi->mmap_length > 64 * 1024)
        return diag_set(d, E_MBI_MALFORMED, "Multiboot1 mmap_length %u is implausibly large", mi->mmap_length);
    const uint8_t *p = phys_ptr(mi->mmap_addr, mi->mmap_length);
    if (!p)
        return diag_set(d, E_MBI_MALFORMED, "Multiboot1 memory map 0x%x+0x%x is not addressable", mi->mmap_addr,
                        mi->mmap_length);
    uint32_t off = 0;
    while (off < mi->mmap_length) {
        if (mi->mmap_length - off < sizeof(struct mb1_mmap_entry))
            return diag_set(d, E_MBI_MALFORMED, "Multiboot1 memory map entry at offset %u is truncated", off);
        struct mb1_mmap_entry ent;
        memcpy(&ent, p + off, sizeof(ent));
        if (ent.size < 20 || ent.size > mi->mmap_length - off - 4)
            return diag_set(d, E_MBI_MALFORMED, "Multiboot1 memory map entry at offset %u has bad size %u", off,
                            ent.size);
        enum rensa_err e = memmap_add(&bi->mmap, ent.addr, ent.len, ent.type, d);
        if (e)
            return e;
        off += ent.size + 4;
    }
    return E_OK;
}

static enum rensa_err parse_mods(const struct mb1_info *mi, struct boot_info *bi, struct diag *d)
{
    if (mi->mods_count > BOOT_MODS_MAX)
        return diag_set(d, E_MBI_TOO_MANY, "%u modules given; Rensa accepts at most %u", mi->mods_count,
                        BOOT_MODS_MAX);
    const struct mb1_module *mods = phys_ptr(mi->mods_addr, (uint64_t)mi->mods_count * sizeof(*mods));
    if (mi->mods_count && !mods)
        return diag_set(d, E_MBI_MALFORMED, "Multiboot1 module list at 0x%x is not addressable", mi->mods_addr);
    for (uint32_t i = 0; i < mi->mods_count; i++) {
        struct mb1_module m;
        memcpy(&m, &mods[i], sizeof(m));
        if (m.mod_end < m.mod_start)
            return diag_set(d, E_MBI_MALFORMED, "module %u ends (0x%x) before it starts (0x%x)", i, m.mod_end,
                            m.mod_start);
        struct boot_module *bm = &bi->mods[i];
        bm->start = m.mod_start;
        bm->end = m.mod_end;
        enum rensa_err e = boot_info_string(bi, m.string, "module command line", &bm->cmdline, d);
        if (e)
            return e;
    }
    bi->mod_count = mi->mods_count;
    return E_OK;
}

enum rensa_err mb1_parse(paddr_t info, struct boot_info *bi, struct diag *d)
{
    /* The fixed part is 116 bytes only when the framebuffer flag is set;
     * older loaders may end it after boot_loader_name/apm/vbe. Require the
     * part the flags say is present. */
    const struct mb1_info *head = phys_ptr(info, 4);
    if (!head)
        return diag_set(d, E_MBI_MALFORMED, "Multiboot1 information at 0x%llx is not addressable",
                        (unsigned long long)info);
    uint32_t flags = head->flags;
    size_t need = (flags & MB1_INFO_FRAMEBUFFER_INFO) ? sizeof(struct mb1_info) : 88;
    const struct mb1_info *src = phys_ptr(info, need);
    if (!src)
        return diag_set(d, E_MBI_MALFORMED, "Multiboot1 information at 0x%llx is not addressable",
                        (unsigned long long)info);
    struct mb1_info mi;
    memset(&mi, 0, sizeof(mi));
    memcpy(&mi, src, need);
    bi->mb_version = 1;
    bi->info_base = info;
    bi->info_size = need;

    enum rensa_err e;
    if (flags & MB1_INFO_MEMORY) {
        bi->has_meminfo = true;
        bi->mem_lower_kb = mi.mem_lower;
        bi->mem_upper_kb = mi.mem_upper;
    }
    if (flags & MB1_INFO_CMDLINE) {
        e = boot_info_string(bi, mi.cmdline, "Rensa's command line", &bi->cmdline, d);
        if (e)
            return e;
    }
    if (flags & MB1_INFO_BOOT_LOADER_NAME) {
        e = boot_info_string(bi, mi.boot_loader_name, "boot loader name", &bi->loader_name, d);
        if (e)
            return e;
    }
    if (flags & MB1_INFO_MODS) {
        e = parse_mods(&mi, bi, d);
        if (e)
            return e;
    }
    if (flags & MB1_INFO_MEM_MAP) {
        e = parse_mmap(&mi, bi, d);
        if (e)
            return e;
    } else if (flags & MB1_INFO_MEMORY) {
        /* No e820 map: synthesise one from mem_lower/mem_upper. */
        e = memmap_add(&bi->mmap, 0, (paddr_t)mi.mem_lower * 1024, E820_RAM, d);
        if (!e)
            e = memmap_add(&bi->mmap, MiB(1), (paddr_t)mi.mem_upper * 1024, E820_RAM, d);
        if (e)
            return e;
    }
    if (flags & MB1_INFO_FRAMEBUFFER_INFO) {
        bi->fb.present = true;
        bi->fb.addr = mi.framebuffer_addr;
        bi->fb.pitch = mi.framebuffer_pitch;
        bi->fb.width = mi.framebuffer_width;
        bi->fb.height = mi.framebuffer_height;
        bi->fb.bpp = mi.framebuffer_bpp;
        bi->fb.type = mi.framebuffer_type;
    }
    /* Multiboot1 carries no RSDP: the kernel finds it itself. */
    return E_OK;
}
