/* Kernel hand-off: classify the kernel module and dispatch, plus helpers
 * shared by the Linux and ELF paths. */
#include "kernel_load.h"
#include "elf_image.h"
#include "linux_boot.h"
#include "platform.h"
#include "rstring.h"

enum rensa_err kernel_alloc(struct rensa_ctx *ctx, paddr_t size, paddr_t align, paddr_t lo, paddr_t hi,
                            unsigned flags, bool reserve, const char *what, paddr_t *out, struct diag *d)
{
    enum rensa_err e = ctx_alloc(ctx, size, align, lo, hi, flags, reserve, what, out);
    if (e && d && d != &ctx->diag)
        *d = ctx->diag;
    return e;
}

size_t kernel_cmdline(const char *modline, const char *extra, char *dst)
{
    /* GRUB passes a module's arguments without its file name, so the module
     * command line is the kernel's command line as it stands. */
    const char *s = modline;
    size_t n = strlen(s), x = strlen(extra);
    size_t sep = (n && x) ? 1 : 0;
    if (dst) {
        memcpy(dst, s, n);
        if (sep)
            dst[n] = ' ';
        memcpy(dst + n + sep, extra, x);
        dst[n + sep + x] = '\0';
    }
    return n + sep + x;
}

uint32_t memmap_contig_kib(const struct memmap *m, paddr_t from)
{
    paddr_t at = from;
    for (unsigned i = 0; i < m->n; i++) {
        const struct mem_range *r = &m->r[i];
        if (r->type == E820_RAM && r->base <= at && at < r->base + r->len)
            at = r->base + r->len;
    }
    paddr_t kib = (at - from) >> 10;
    return kib > UINT32_MAX ? UINT32_MAX : (uint32_t)kib;
}

void fb_rgb_layout(uint8_t bpp, uint8_t pos_size[6])
{
    static const uint8_t rgb888[6] = {16, 8, 8, 8, 0, 8};
    static const uint8_t rgb565[6] = {11, 5, 5, 6, 0, 5};
    static const uint8_t rgb555[6] = {10, 5, 5, 5, 0, 5};
    const uint8_t *l = bpp >= 24 ? rgb888 : bpp == 16 ? rgb565 : bpp == 15 ? rgb555 : NULL;
    if (l)
        memcpy(pos_size, l, 6);
    else
        memset(pos_size, 0, 6);
}

static const char *describe(const uint8_t *p, paddr_t len)
{
    if (len == 0)
        return "an empty file";
    if (len >= 2 && p[0] == 0x1f && p[1] == 0x8b)
        return "gzip data (GRUB did not decompress it)";
    if (len >= 2 && p[0] == 'M' && p[1] == 'Z')
        return "a PE/COFF image without a Linux setup header";
    return "no known signature";
}

enum rensa_err kernel_prepare(struct rensa_ctx *ctx, struct kernel_entry *ke, struct diag *d)
{
    memset(ke, 0, sizeof(*ke));
    if (ctx->kernel_mod >= ctx->bi.mod_count)
        return diag_set(d, E_NO_KERNEL, "kernel module %u requested but %u modules were given", ctx->kernel_mod,
                        ctx->bi.mod_count);
    const struct boot_module *km = &ctx->bi.mods[ctx->kernel_mod];
    paddr_t len = km->end - km->start;
    const uint8_t *p = phys_ptr(km->start, len);
    if (!p)
        return diag_set(d, E_MODULE_RANGE, "kernel module 0x%llx+0x%llx is not addressable",
                        (unsigned long long)km->start, (unsigned long long)len);

    uint16_t boot_flag = 0;
    if (len >= 0x206)
        memcpy(&boot_flag, p + 0x1fe, 2);
    if (len >= 0x206 && boot_flag == LINUX_BOOT_FLAG && memcmp(p + 0x202, LINUX_HDRS_MAGIC, 4) == 0)
        return linux_prepare(ctx, ke, d);
    if (len >= 4 && memcmp(p, ELF_MAGIC, 4) == 0)
        return elf_kernel_prepare(ctx, ke, d);

    uint8_t head[4] = {0};
    memcpy(head, p, len < 4 ? (size_t)len : 4);
    return diag_set(d, E_KERNEL_FORMAT,
                    "kernel module (%llu bytes, starting %02x %02x %02x %02x) is %s, not a bzImage or ELF",
                    (unsigned long long)len, head[0], head[1], head[2], head[3], describe(p, len));
}
