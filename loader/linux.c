/* A Linux bzImage through the 32-bit boot protocol
 * (Documentation/arch/x86/boot.rst): protected-mode kernel, zero page,
 * command line and initrd, each placed by the allocator. */
#include "kernel_load.h"
#include "linux_boot.h"
#include "platform.h"
#include "rstring.h"

#define LINUX_MIN_VERSION 0x0206u /* cmdline_size appears in 2.06 */
#define LINUX_DEFAULT_START MiB(16) /* lowest load address without pref_address */
#define LINUX_FIXED_BASE 0x100000u /* the protocol's address for non-relocatable kernels */

static enum rensa_err place_kernel(struct rensa_ctx *ctx, const struct setup_header *h, paddr_t size,
                                   paddr_t *out, struct diag *d)
{
    if (!h->relocatable_kernel) {
        const struct busy_range *b = alloc_overlap(&ctx->alloc, LINUX_FIXED_BASE, size);
        if (b)
            return diag_set(d, E_KERNEL_PLACEMENT,
                            "non-relocatable Linux kernel needs 0x%x+0x%llx, but %s is at 0x%llx+0x%llx",
                            LINUX_FIXED_BASE, (unsigned long long)size, b->what, (unsigned long long)b->base,
                            (unsigned long long)b->len);
        if (!memmap_covers(ctx->alloc.ram, LINUX_FIXED_BASE, size, E820_RAM))
            return diag_set(d, E_KERNEL_PLACEMENT, "non-relocatable Linux kernel needs 0x%x+0x%llx, which is not all RAM",
                            LINUX_FIXED_BASE, (unsigned long long)size);
        *out = LINUX_FIXED_BASE;
        return alloc_mark_busy(&ctx->alloc, LINUX_FIXED_BASE, size, "Linux kernel", d);
    }
    uint32_t align = h->kernel_alignment;
    if (align == 0 || (align & (align - 1)) != 0)
        return diag_set(d, E_KERNEL_FORMAT, "Linux kernel_alignment 0x%x is not a power of two", align);
    paddr_t lo = (h->version >= 0x020a && h->pref_address) ? h->pref_address : LINUX_DEFAULT_START;
    return kernel_alloc(ctx, size, align, lo, GiB(4), ALLOC_BOTTOM_UP, false, "Linux kernel", out, d);
}

/* Every module after the kernel that is handed on, as one initrd. */
static enum rensa_err place_initrd(struct rensa_ctx *ctx, const struct setup_header *h, struct boot_params *bp,
                                   struct diag *d)
{
    const struct boot_info *bi = &ctx->bi;
    unsigned count = 0, last = 0;
    paddr_t total = 0;
    for (unsigned i = ctx->kernel_mod + 1; i < bi->mod_count; i++) {
        if (ctx->mod_dropped[i])
            continue;
        total = ALIGN_UP(total, 4) + (bi->mods[i].end - bi->mods[i].start);
        count++;
        last = i;
    }
    if (total == 0)
        return E_OK;
    paddr_t limit = (paddr_t)h->initrd_addr_max + 1; /* at most 4 GiB: the field is 32 bits */
    if (count == 1 && bi->mods[last].end <= limit && bi->mods[last].start % KiB(4) == 0) {
        bp->hdr.ramdisk_image = (uint32_t)bi->mods[last].start;
        bp->hdr.ramdisk_size = (uint32_t)total;
        return E_OK;
    }
    paddr_t at;
    enum rensa_err e = kernel_alloc(ctx, total, KiB(4), 0, limit, ALLOC_TOP_DOWN, false, "initrd", &at, d);
    if (e)
        return e;
    uint8_t *dst = phys_ptr(at, total);
    if (!dst)
        return diag_set(d, E_KERNEL_PLACEMENT, "initrd at 0x%llx is not addressable", (unsigned long long)at);
    paddr_t off = 0;
    for (unsigned i = ctx->kernel_mod + 1; i < bi->mod_count; i++) {
        if (ctx->mod_dropped[i])
            continue;
        paddr_t start = ALIGN_UP(off, 4), len = bi->mods[i].end - bi->mods[i].start;
        const uint8_t *src = phys_ptr(bi->mods[i].start, len);
        if (!src)
            return diag_set(d, E_MODULE_RANGE, "module %u at 0x%llx is not addressable", i,
                            (unsigned long long)bi->mods[i].start);
        memset(dst + off, 0, (size_t)(start - off));
        memcpy(dst + start, src, (size_t)len);
        off = start + len;
    }
    bp->hdr.ramdisk_image = (uint32_t)at;
    bp->hdr.ramdisk_size = (uint32_t)total;
    return E_OK;
}

static void set_screen(struct screen_info *si, const struct boot_framebuffer *fb)
{
    if (fb->present && fb->type == 1) { /* direct-colour linear framebuffer */
        uint8_t l[6];
        fb_rgb_layout(fb->bpp, l);
        si->orig_video_isVGA = VIDEO_TYPE_VLFB;
        si->lfb_width = (uint16_t)fb->width;
        si->lfb_height = (uint16_t)fb->height;
        si->lfb_depth = fb->bpp;
        si->lfb_linelength = (uint16_t)fb->pitch;
        si->lfb_base = (uint32_t)fb->addr;
        si->ext_lfb_base = (uint32_t)(fb->addr >> 32);
        if (si->ext_lfb_base)
            si->capabilities = VIDEO_CAPABILITY_64BIT_BASE;
        si->lfb_size = (uint32_t)(ALIGN_UP((uint64_t)fb->pitch * fb->height, KiB(64)) >> 16);
        si->red_pos = l[0];
        si->red_size = l[1];
        si->green_pos = l[2];
        si->green_size = l[3];
        si->blue_pos = l[4];
        si->blue_size = l[5];
        if (fb->bpp == 32) {
            si->rsvd_pos = 24;
            si->rsvd_size = 8;
        }
        return;
    }
    bool text = fb->present && fb->type == 2;
    si->orig_video_mode = 3;
    si->orig_video_cols = text ? (uint8_t)fb->width : 80;
    si->orig_video_lines = text ? (uint8_t)fb->height : 25;
    si->orig_video_isVGA = 1;
    si->orig_video_points = 16;
}

enum rensa_err linux_prepare(struct rensa_ctx *ctx, struct kernel_entry *ke, struct diag *d)
{
    const struct boot_module *km = &ctx->bi.mods[ctx->kernel_mod];
    paddr_t fsize = km->end - km->start;
    const uint8_t *img = phys_ptr(km->start, fsize); /* kernel_prepare checked it and 0x206 bytes */
    unsigned sects = img[0x1f1] ? img[0x1f1] : 4;
    paddr_t setup = (paddr_t)(sects + 1) * 512;
    if (fsize < setup)
        return diag_set(d, E_KERNEL_TRUNCATED, "bzImage is %llu bytes, shorter than its %u setup sectors (%llu bytes)",
                        (unsigned long long)fsize, sects + 1, (unsigned long long)setup);

    /* The header ends at 0x202 + the byte at 0x201; later bytes are code. */
    size_t hdr_end = 0x202u + img[0x201];
    if (hdr_end > LINUX_HDR_END_MAX)
        hdr_end = LINUX_HDR_END_MAX;
    struct setup_header h;
    memset(&h, 0, sizeof(h));
    memcpy(&h, img + LINUX_HDR_OFFSET,
           (hdr_end < 0x26c ? hdr_end : 0x26c) - LINUX_HDR_OFFSET);
    if (h.version < LINUX_MIN_VERSION)
        return diag_set(d, E_KERNEL_UNSUPPORTED, "bzImage uses boot protocol %u.%02u; Rensa needs 2.06 or later",
                        h.version >> 8, h.version & 0xff);
    if (!(h.loadflags & LINUX_LOADED_HIGH))
        return diag_set(d, E_KERNEL_UNSUPPORTED, "kernel is a zImage (not loaded high); only bzImage is supported");
    paddr_t pm = fsize - setup, sys = (paddr_t)h.syssize * 16;
    if (pm < sys)
        return diag_set(d, E_KERNEL_TRUNCATED, "bzImage is %llu bytes; setup (%llu) + syssize*16 (%llu) need %llu",
                        (unsigned long long)fsize, (unsigned long long)setup, (unsigned long long)sys,
                        (unsigned long long)(setup + sys));

    /* Before 2.10 there is no init_size: allow three times the payload. */
    paddr_t size = h.init_size ? h.init_size : 3 * ALIGN_UP(pm, KiB(4));
    if (size < pm)
        size = pm;
    paddr_t kaddr, zp, cl;
    enum rensa_err e = place_kernel(ctx, &h, size, &kaddr, d);
    if (e)
        return e;
    uint8_t *kdst = phys_ptr(kaddr, size);
    if (!kdst)
        return diag_set(d, E_KERNEL_PLACEMENT, "Linux kernel at 0x%llx is not addressable", (unsigned long long)kaddr);
    memcpy(kdst, img + setup, (size_t)pm);

    e = kernel_alloc(ctx, sizeof(struct boot_params), KiB(4), 0, GiB(4), ALLOC_TOP_DOWN, false, "Linux zero page",
                     &zp, d);
    if (e)
        return e;
    struct boot_params *bp = phys_ptr(zp, sizeof(*bp));
    if (!bp)
        return diag_set(d, E_KERNEL_PLACEMENT, "zero page at 0x%llx is not addressable", (unsigned long long)zp);
    memset(bp, 0, sizeof(*bp));
    memcpy((uint8_t *)bp + LINUX_HDR_OFFSET, img + LINUX_HDR_OFFSET, hdr_end - LINUX_HDR_OFFSET);
    bp->hdr.type_of_loader = LINUX_TYPE_OF_LOADER_UNKNOWN;
    bp->hdr.code32_start = (uint32_t)kaddr;

    size_t n = kernel_cmdline(km->cmdline, ctx->kernel_cmdline_extra, NULL);
    if (n > h.cmdline_size)
        return diag_set(d, E_CMDLINE_TOO_LONG, "kernel command line is %zu bytes; this kernel accepts at most %u", n,
                        h.cmdline_size);
    e = kernel_alloc(ctx, n + 1, 16, 0, GiB(4), ALLOC_TOP_DOWN, false, "Linux command line", &cl, d);
    if (e)
        return e;
    char *cdst = phys_ptr(cl, n + 1);
    if (!cdst)
        return diag_set(d, E_KERNEL_PLACEMENT, "command line at 0x%llx is not addressable", (unsigned long long)cl);
    kernel_cmdline(km->cmdline, ctx->kernel_cmdline_extra, cdst);
    bp->hdr.cmd_line_ptr = (uint32_t)cl;

    /* After a measured launch: Linux finds the shutdown entry here. */
    bp->tboot_addr = (uint32_t)ctx->shared_page;
    if (h.version >= 0x020e && ctx->bi.rsdp_len) {
        paddr_t ra;
        e = kernel_alloc(ctx, ctx->bi.rsdp_len, 16, 0, GiB(4), ALLOC_TOP_DOWN, true, "ACPI RSDP copy", &ra, d);
        if (e)
            return e;
        void *rdst = phys_ptr(ra, ctx->bi.rsdp_len);
        if (!rdst)
            return diag_set(d, E_KERNEL_PLACEMENT, "RSDP copy at 0x%llx is not addressable", (unsigned long long)ra);
        memcpy(rdst, ctx->bi.rsdp, ctx->bi.rsdp_len);
        bp->acpi_rsdp_addr = ra;
    }
    e = place_initrd(ctx, &h, bp, d);
    if (e)
        return e;

    /* Last: every reservation above is now in the hand-off map. */
    memmap_normalize(&ctx->handoff);
    if (ctx->handoff.n > LINUX_E820_MAX)
        return diag_set(d, E_MEMMAP_FULL, "hand-off map has %u entries; the zero page holds %u", ctx->handoff.n,
                        LINUX_E820_MAX);
    for (unsigned i = 0; i < ctx->handoff.n; i++) {
        bp->e820_table[i].addr = ctx->handoff.r[i].base;
        bp->e820_table[i].size = ctx->handoff.r[i].len;
        bp->e820_table[i].type = ctx->handoff.r[i].type;
    }
    bp->e820_entries = (uint8_t)ctx->handoff.n;
    bp->alt_mem_k = memmap_contig_kib(&ctx->handoff, MiB(1));
    set_screen(&bp->screen_info, &ctx->bi.fb);

    ke->kind = KERNEL_LINUX;
    ke->eip = (uint32_t)kaddr;
    ke->esi = (uint32_t)zp;
    ke->eax = ke->ebx = 0;
    return E_OK;
}
