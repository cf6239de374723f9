/* A fresh Multiboot1 or Multiboot2 information structure for the ELF
 * kernel, built from boot_info and the hand-off map in memory that Rensa
 * allocates and reserves. Each builder runs twice: once without memory to
 * measure, once to write. */
#include "kernel_load.h"
#include "multiboot1.h"
#include "multiboot2.h"
#include "platform.h"
#include "fmt.h"
#include "rstring.h"
#include "version.h"

/* The boot loader name handed on keeps the original loader's name: kernels
 * such as Xen read it to learn the command-line convention (GRUB 2 leaves
 * the image name out; older loaders put it first). */
static size_t loader_name(const struct rensa_ctx *ctx, char *buf, size_t size)
{
    const char *orig = ctx->bi.loader_name[0] ? ctx->bi.loader_name : "an unnamed loader";
    return (size_t)fmt_snprintf(buf, size, "Rensa %s (from %s)", RENSA_VERSION, orig) + 1;
}

struct writer {
    uint8_t *p; /* NULL: only measure */
    paddr_t base;
    size_t off;
};

/* Append n bytes; returns their physical address. */
static uint32_t put(struct writer *w, const void *data, size_t n)
{
    paddr_t at = w->base + w->off;
    if (w->p && n)
        memcpy(w->p + w->off, data, n);
    w->off += n;
    return (uint32_t)at;
}

static uint32_t put_cmdline(struct writer *w, const struct rensa_ctx *ctx)
{
    paddr_t at = w->base + w->off;
    const char *ml = ctx->bi.mods[ctx->kernel_mod].cmdline;
    w->off += kernel_cmdline(ml, ctx->kernel_cmdline_extra, w->p ? (char *)w->p + w->off : NULL) + 1;
    return (uint32_t)at;
}

static bool handed_on(const struct rensa_ctx *ctx, unsigned i)
{
    return i > ctx->kernel_mod && !ctx->mod_dropped[i];
}

static bool fb_usable(const struct boot_framebuffer *fb)
{
    return fb->present && (fb->type == 1 || fb->type == 2); /* no palette for indexed colour */
}

static uint32_t mem_lower(const struct rensa_ctx *ctx)
{
    uint32_t kib = memmap_contig_kib(&ctx->handoff, 0);
    return kib > 640 ? 640 : kib;
}

static void mb1_fill(const struct rensa_ctx *ctx, struct writer *w, unsigned nmap)
{
    const struct boot_info *bi = &ctx->bi;
    struct mb1_info info;
    memset(&info, 0, sizeof(info));
    put(w, &info, sizeof(info)); /* written last */
    info.flags = MB1_INFO_MEMORY | MB1_INFO_CMDLINE | MB1_INFO_MODS | MB1_INFO_MEM_MAP | MB1_INFO_BOOT_LOADER_NAME;
    info.mem_lower = mem_lower(ctx);
    info.mem_upper = memmap_contig_kib(&ctx->handoff, MiB(1));
    info.cmdline = put_cmdline(w, ctx);
    char name[160];
    info.boot_loader_name = put(w, name, loader_name(ctx, name, sizeof(name)));

    uint32_t str[BOOT_MODS_MAX];
    for (unsigned i = 0; i < bi->mod_count; i++)
        if (handed_on(ctx, i))
            str[i] = put(w, bi->mods[i].cmdline, strlen(bi->mods[i].cmdline) + 1);
    w->off = ALIGN_UP(w->off, 8);
    info.mods_addr = (uint32_t)(w->base + w->off);
    for (unsigned i = 0; i < bi->mod_count; i++) {
        if (!handed_on(ctx, i))
            continue;
        struct mb1_module m = {(uint32_t)bi->mods[i].start, (uint32_t)bi->mods[i].end, str[i], 0};
        put(w, &m, sizeof(m));
        info.mods_count++;
    }
    info.mmap_addr = (uint32_t)(w->base + w->off);
    info.mmap_length = nmap * (uint32_t)sizeof(struct mb1_mmap_entry);
    for (unsigned i = 0; i < nmap; i++) {
        struct mb1_mmap_entry e = {20, 0, 0, 0};
        if (i < ctx->handoff.n) {
            e.addr = ctx->handoff.r[i].base;
            e.len = ctx->handoff.r[i].len;
            e.type = ctx->handoff.r[i].type;
        }
        put(w, &e, sizeof(e));
    }
    if (fb_usable(&bi->fb)) {
        info.flags |= MB1_INFO_FRAMEBUFFER_INFO;
        info.framebuffer_addr = bi->fb.addr;
        info.framebuffer_pitch = bi->fb.pitch;
        info.framebuffer_width = bi->fb.width;
        info.framebuffer_height = bi->fb.height;
        info.framebuffer_bpp = bi->fb.bpp;
        info.framebuffer_type = bi->fb.type;
        if (bi->fb.type == 1)
            fb_rgb_layout(bi->fb.bpp, info.color_info);
    }
    if (w->p)
        memcpy(w->p, &info, sizeof(info));
}

static void mb2_tag(struct writer *w, uint32_t type, size_t size)
{
    w->off = ALIGN_UP(w->off, MB2_TAG_ALIGN); /* the memory is zeroed: padding stays 0 */
    struct mb2_tag t = {type, (uint32_t)size};
    put(w, &t, sizeof(t));
}

static void mb2_fill(const struct rensa_ctx *ctx, struct writer *w, unsigned nmap, bool efi_tags)
{
    const struct boot_info *bi = &ctx->bi;
    struct mb2_info_header ih = {0, 0};
    put(w, &ih, sizeof(ih)); /* total_size is written last */

    const char *ml = bi->mods[ctx->kernel_mod].cmdline;
    mb2_tag(w, MB2_TAG_CMDLINE, sizeof(struct mb2_tag) + kernel_cmdline(ml, ctx->kernel_cmdline_extra, NULL) + 1);
    put_cmdline(w, ctx);
    char name[160];
    size_t nlen = loader_name(ctx, name, sizeof(name));
    mb2_tag(w, MB2_TAG_BOOT_LOADER_NAME, sizeof(struct mb2_tag) + nlen);
    put(w, name, nlen);

    w->off = ALIGN_UP(w->off, MB2_TAG_ALIGN);
    struct mb2_tag_basic_meminfo mi = {MB2_TAG_BASIC_MEMINFO, sizeof(mi), mem_lower(ctx),
                                       memmap_contig_kib(&ctx->handoff, MiB(1))};
    put(w, &mi, sizeof(mi));

    struct mb2_tag_mmap mm = {MB2_TAG_MMAP, (uint32_t)(sizeof(mm) + nmap * sizeof(struct mb2_mmap_entry)),
                              sizeof(struct mb2_mmap_entry), 0};
    put(w, &mm, sizeof(mm));
    for (unsigned i = 0; i < nmap; i++) {
        struct mb2_mmap_entry e = {0, 0, 0, 0};
        if (i < ctx->handoff.n)
            e = (struct mb2_mmap_entry){ctx->handoff.r[i].base, ctx->handoff.r[i].len, ctx->handoff.r[i].type, 0};
        put(w, &e, sizeof(e));
    }

    for (unsigned i = 0; i < bi->mod_count; i++) {
        if (!handed_on(ctx, i))
            continue;
        size_t sl = strlen(bi->mods[i].cmdline) + 1;
        w->off = ALIGN_UP(w->off, MB2_TAG_ALIGN);
        struct mb2_tag_module m = {MB2_TAG_MODULE, (uint32_t)(sizeof(m) + sl), (uint32_t)bi->mods[i].start,
                                   (uint32_t)bi->mods[i].end};
        put(w, &m, sizeof(m));
        put(w, bi->mods[i].cmdline, sl);
    }

    if (bi->rsdp_len == 20 || bi->rsdp_len == 36) {
        mb2_tag(w, bi->rsdp_len == 36 ? MB2_TAG_ACPI_NEW : MB2_TAG_ACPI_OLD, sizeof(struct mb2_tag) + bi->rsdp_len);
        put(w, bi->rsdp, bi->rsdp_len);
    }

    if (fb_usable(&bi->fb)) {
        uint8_t colour[6];
        size_t ncolour = bi->fb.type == 1 ? sizeof(colour) : 0;
        struct mb2_tag_framebuffer f = {MB2_TAG_FRAMEBUFFER, (uint32_t)(sizeof(f) + ncolour), bi->fb.addr,
                                        bi->fb.pitch, bi->fb.width, bi->fb.height, bi->fb.bpp, bi->fb.type, 0};
        fb_rgb_layout(bi->fb.bpp, colour);
        w->off = ALIGN_UP(w->off, MB2_TAG_ALIGN);
        put(w, &f, sizeof(f));
        put(w, colour, ncolour);
    }

    if (efi_tags) {
        struct mb2_tag_efi64 s = {MB2_TAG_EFI64, sizeof(s), bi->efi_systab};
        w->off = ALIGN_UP(w->off, MB2_TAG_ALIGN);
        put(w, &s, sizeof(s));
        if (bi->efi_mmap_len) {
            struct mb2_tag_efi_mmap em = {MB2_TAG_EFI_MMAP, (uint32_t)sizeof(em) + bi->efi_mmap_len,
                                          bi->efi_desc_size, bi->efi_desc_version};
            w->off = ALIGN_UP(w->off, MB2_TAG_ALIGN);
            put(w, &em, sizeof(em));
            put(w, bi->efi_mmap, bi->efi_mmap_len);
        }
    }

    mb2_tag(w, MB2_TAG_END, sizeof(struct mb2_tag));
    ih.total_size = (uint32_t)w->off;
    if (w->p)
        memcpy(w->p, &ih, sizeof(ih));
}

static void fill(const struct rensa_ctx *ctx, unsigned version, bool efi_tags, struct writer *w, unsigned nmap)
{
    if (version == 2)
        mb2_fill(ctx, w, nmap, efi_tags);
    else
        mb1_fill(ctx, w, nmap);
}

enum rensa_err mbi_build(struct rensa_ctx *ctx, unsigned version, bool efi_tags, struct kernel_entry *ke,
                         struct diag *d)
{
    /* Reserving the structure itself can split one RAM range in three. */
    unsigned nmap = ctx->handoff.n + 2;
    struct writer w = {NULL, 0, 0};
    fill(ctx, version, efi_tags, &w, nmap);
    size_t size = w.off;

    paddr_t at;
    enum rensa_err e = kernel_alloc(ctx, size, MB2_TAG_ALIGN, 0, GiB(4), ALLOC_TOP_DOWN, true,
                                    "Multiboot information", &at, d);
    if (e)
        return e;
    memmap_normalize(&ctx->handoff);
    if (ctx->handoff.n > nmap)
        return diag_set(d, E_MEMMAP_FULL, "hand-off map grew to %u entries, more than the %u planned",
                        ctx->handoff.n, nmap);
    uint8_t *p = phys_ptr(at, size);
    if (!p)
        return diag_set(d, E_KERNEL_PLACEMENT, "Multiboot information at 0x%llx is not addressable",
                        (unsigned long long)at);
    memset(p, 0, size);
    w = (struct writer){p, at, 0};
    fill(ctx, version, efi_tags, &w, ctx->handoff.n);

    ke->eax = version == 2 ? MB2_BOOTLOADER_MAGIC : MB1_BOOTLOADER_MAGIC;
    ke->ebx = (uint32_t)at;
    return E_OK;
}
