/* Linux bzImage hand-off: placement, zero page, command line, initrd and
 * every error path (loader/linux.c, loader/kernel.c). */
#include <stdlib.h>
#include "kernel_fixture.h"
#include "linux_boot.h"
#include "platform.h"
#include "sim.h"
#include "unit.h"

#define KMOD_AT (FX_OUTSIDE)
#define INITRD_AT (FX_OUTSIDE + 0x1000000u)

static struct rensa_ctx *linux_ctx(const struct bz_opts *o, const char *cmdline)
{
    struct rensa_ctx *ctx = fx_ctx(2);
    size_t len;
    uint8_t *img = fx_bzimage(o, &len);
    fx_module(ctx, KMOD_AT, img, len, cmdline, true);
    free(img);
    return ctx;
}

static struct boot_params *zero_page(const struct kernel_entry *ke)
{
    return phys_ptr(ke->esi, sizeof(struct boot_params));
}

TEST(linux_basic_placement_and_zero_page)
{
    struct bz_opts o;
    fx_bz_default(&o);
    struct rensa_ctx *ctx = linux_ctx(&o, "root=/dev/sda console=ttyS0");
    strcpy(ctx->kernel_cmdline_extra, "rensa.log=0x1000,0x8018");
    static const uint8_t initrd[8192] = {1, 2, 3};
    fx_module(ctx, INITRD_AT, initrd, sizeof(initrd), "/initrd.img", true);
    static const uint8_t rsdp[36] = {'R', 'S', 'D', ' ', 'P', 'T', 'R', ' '};
    memcpy(ctx->bi.rsdp, rsdp, sizeof(rsdp));
    ctx->bi.rsdp_len = 36;

    struct kernel_entry ke;
    struct diag d = {0};
    CHECK_EQ(kernel_prepare(ctx, &ke, &d), E_OK);
    if (d.code)
        fprintf(stderr, "  %s\n", d.msg);
    CHECK_EQ(ke.kind, KERNEL_LINUX);
    CHECK_EQ(ke.eax, 0);
    CHECK_EQ(ke.ebx, 0);
    /* Bottom-up from pref_address, aligned, clear of everything busy. */
    CHECK_EQ(ke.eip, 0x1000000);
    CHECK_EQ(ke.eip % o.align, 0);
    CHECK(!fx_overlaps_other(ctx, ke.eip, o.init_size));
    const uint8_t *k = phys_ptr(ke.eip, o.payload);
    CHECK(k && k[0] == fx_payload_byte(0) && k[o.payload - 1] == fx_payload_byte(o.payload - 1));

    struct boot_params *bp = zero_page(&ke);
    CHECK(bp != NULL);
    if (!bp)
        return;
    CHECK_EQ(ke.esi % 4096, 0);
    CHECK((uint64_t)ke.esi + 4096 <= GiB(4));
    CHECK(!fx_overlaps_other(ctx, ke.esi, 4096));
    CHECK_EQ(bp->hdr.setup_sects, 27);
    CHECK(memcmp(&bp->hdr.header, "HdrS", 4) == 0);
    CHECK_EQ(bp->hdr.version, 0x020f);
    CHECK_EQ(bp->hdr.type_of_loader, 0xff);
    CHECK_EQ(bp->hdr.code32_start, ke.eip);
    CHECK_EQ(bp->hdr.init_size, o.init_size);
    CHECK_EQ(bp->sentinel, 0);
    /* The initrd is page-aligned and below initrd_addr_max: left in place. */
    CHECK_EQ(bp->hdr.ramdisk_image, INITRD_AT);
    CHECK_EQ(bp->hdr.ramdisk_size, sizeof(initrd));
    const char *cl = phys_ptr(bp->hdr.cmd_line_ptr, 1);
    CHECK_STR(cl, "root=/dev/sda console=ttyS0 rensa.log=0x1000,0x8018");
    /* The e820 table is the hand-off map, which has the RSDP copy reserved. */
    CHECK_EQ(bp->e820_entries, ctx->handoff.n);
    for (unsigned i = 0; i < ctx->handoff.n && i < LINUX_E820_MAX; i++) {
        CHECK_EQ(bp->e820_table[i].addr, ctx->handoff.r[i].base);
        CHECK_EQ(bp->e820_table[i].size, ctx->handoff.r[i].len);
        CHECK_EQ(bp->e820_table[i].type, ctx->handoff.r[i].type);
    }
    CHECK(bp->acpi_rsdp_addr != 0);
    CHECK(memcmp(phys_ptr(bp->acpi_rsdp_addr, 36), rsdp, 36) == 0);
    CHECK(memmap_covers(&ctx->handoff, bp->acpi_rsdp_addr, 36, E820_RESERVED));
    /* The kernel, zero page and command line are not reserved: Linux owns them. */
    CHECK(memmap_covers(&ctx->handoff, ke.eip, o.init_size, E820_RAM));
    CHECK(memmap_covers(&ctx->handoff, ke.esi, 4096, E820_RAM));
    CHECK_EQ(bp->alt_mem_k, memmap_contig_kib(&ctx->handoff, MiB(1)));
    CHECK(bp->alt_mem_k > 0 && bp->alt_mem_k < (FX_RAM_END - FX_RAM_BASE) / 1024);
    /* 80x25 VGA text by default. */
    CHECK_EQ(bp->screen_info.orig_video_isVGA, 1);
    CHECK_EQ(bp->screen_info.orig_video_cols, 80);
    CHECK_EQ(bp->screen_info.orig_video_lines, 25);
    free(ctx);
}

TEST(linux_initrd_concatenated)
{
    struct bz_opts o;
    fx_bz_default(&o);
    struct rensa_ctx *ctx = linux_ctx(&o, "quiet");
    uint8_t a[1001], b[3000], c[16];
    memset(a, 0xaa, sizeof(a));
    memset(b, 0xbb, sizeof(b));
    memset(c, 0xcc, sizeof(c));
    fx_module(ctx, INITRD_AT, a, sizeof(a), "a", true);
    fx_module(ctx, INITRD_AT + 0x10000, c, sizeof(c), "sinit", true);
    fx_module(ctx, INITRD_AT + 0x20000, b, sizeof(b), "b", true);
    ctx->mod_dropped[2] = true;
    struct kernel_entry ke;
    struct diag d = {0};
    CHECK_EQ(kernel_prepare(ctx, &ke, &d), E_OK);
    struct boot_params *bp = zero_page(&ke);
    if (!bp)
        return;
    uint32_t at = bp->hdr.ramdisk_image, size = bp->hdr.ramdisk_size;
    CHECK_EQ(size, 1004 + 3000);
    CHECK_EQ(at % 4096, 0);
    CHECK((uint64_t)at + size <= (uint64_t)o.initrd_max + 1);
    CHECK(!fx_overlaps_other(ctx, at, size));
    const uint8_t *r = phys_ptr(at, size);
    CHECK(r && r[0] == 0xaa && r[1000] == 0xaa && r[1001] == 0 && r[1003] == 0 && r[1004] == 0xbb &&
          r[size - 1] == 0xbb);
    CHECK_STR(phys_ptr(bp->hdr.cmd_line_ptr, 1), "quiet");
    free(ctx);
}

TEST(linux_initrd_above_max_is_copied)
{
    struct bz_opts o;
    fx_bz_default(&o);
    o.initrd_max = 0x37ffffff;
    struct rensa_ctx *ctx = linux_ctx(&o, "");
    static const uint8_t rd[5000] = {9};
    fx_module(ctx, 0x40000000, rd, sizeof(rd), "", true); /* above initrd_addr_max */
    struct kernel_entry ke;
    CHECK_EQ(kernel_prepare(ctx, &ke, NULL), E_OK);
    struct boot_params *bp = zero_page(&ke);
    if (!bp)
        return;
    CHECK(bp->hdr.ramdisk_image != 0x40000000);
    CHECK(bp->hdr.ramdisk_image + 5000 <= 0x38000000u);
    CHECK_EQ(bp->hdr.ramdisk_size, 5000);
    CHECK_EQ(*(const uint8_t *)phys_ptr(bp->hdr.ramdisk_image, 1), 9);
    CHECK_EQ(bp->hdr.cmd_line_ptr != 0, 1);
    CHECK_STR(phys_ptr(bp->hdr.cmd_line_ptr, 1), "");
    free(ctx);
}

TEST(linux_setup_sects_zero_and_large)
{
    unsigned sects[] = {0, 100};
    for (unsigned t = 0; t < 2; t++) {
        struct bz_opts o;
        fx_bz_default(&o);
        o.setup_sects = sects[t];
        struct rensa_ctx *ctx = linux_ctx(&o, "x");
        struct kernel_entry ke;
        struct diag d = {0};
        CHECK_EQ(kernel_prepare(ctx, &ke, &d), E_OK);
        const uint8_t *k = phys_ptr(ke.eip, 2);
        CHECK(k && k[0] == fx_payload_byte(0) && k[1] == fx_payload_byte(1));
        free(ctx);
    }
}

TEST(linux_old_protocol_defaults)
{
    /* 2.06: no pref_address or init_size; bytes past the header end are code. */
    struct bz_opts o;
    fx_bz_default(&o);
    o.version = 0x0206;
    o.pref = 0x3000000; /* lies past the 2.06 header: must be ignored */
    o.init_size = 0;
    struct rensa_ctx *ctx = linux_ctx(&o, "");
    ctx->bi.rsdp_len = 20;
    struct kernel_entry ke;
    CHECK_EQ(kernel_prepare(ctx, &ke, NULL), E_OK);
    CHECK_EQ(ke.eip, MiB(16));
    struct boot_params *bp = zero_page(&ke);
    if (!bp)
        return;
    CHECK_EQ(bp->hdr.pref_address, 0);
    CHECK_EQ(bp->acpi_rsdp_addr, 0); /* only from 2.14 */
    CHECK(!fx_overlaps_other(ctx, ke.eip, 3 * ALIGN_UP(o.payload, 4096)));
    free(ctx);
}

TEST(linux_non_relocatable)
{
    struct bz_opts o;
    fx_bz_default(&o);
    o.reloc = false;
    struct rensa_ctx *ctx = linux_ctx(&o, "");
    struct kernel_entry ke;
    struct diag d = {0};
    /* Rensa sits at 1 MiB in the fixture: named as what is in the way. */
    CHECK_EQ(kernel_prepare(ctx, &ke, &d), E_KERNEL_PLACEMENT);
    CHECK(strstr(d.msg, "Rensa") != NULL);
    free(ctx);

    ctx = linux_ctx(&o, "");
    alloc_unmark(&ctx->alloc, FX_RENSA_BASE);
    ctx->image_base = 0x3000000;
    ctx->image_end = 0x3100000;
    alloc_mark_busy(&ctx->alloc, 0x3000000, 0x100000, "Rensa", NULL);
    CHECK_EQ(kernel_prepare(ctx, &ke, &d), E_OK);
    CHECK_EQ(ke.eip, 0x100000);
    free(ctx);
}

TEST(linux_framebuffer)
{
    struct bz_opts o;
    fx_bz_default(&o);
    struct rensa_ctx *ctx = linux_ctx(&o, "");
    ctx->bi.fb = (struct boot_framebuffer){true, 0x1fd000000ull, 4096, 1024, 768, 32, 1};
    struct kernel_entry ke;
    CHECK_EQ(kernel_prepare(ctx, &ke, NULL), E_OK);
    struct boot_params *bp = zero_page(&ke);
    if (!bp)
        return;
    const struct screen_info *si = &bp->screen_info;
    CHECK_EQ(si->orig_video_isVGA, VIDEO_TYPE_VLFB);
    CHECK_EQ(si->lfb_width, 1024);
    CHECK_EQ(si->lfb_height, 768);
    CHECK_EQ(si->lfb_depth, 32);
    CHECK_EQ(si->lfb_linelength, 4096);
    CHECK_EQ(si->lfb_base, 0xfd000000u);
    CHECK_EQ(si->ext_lfb_base, 1);
    CHECK_EQ(si->capabilities & VIDEO_CAPABILITY_64BIT_BASE, VIDEO_CAPABILITY_64BIT_BASE);
    CHECK_EQ(si->lfb_size, 4096 * 768 / 65536);
    CHECK_EQ(si->red_pos, 16);
    CHECK_EQ(si->red_size, 8);
    CHECK_EQ(si->blue_pos, 0);
    free(ctx);
}

TEST(linux_errors)
{
    struct bz_opts o;
    struct kernel_entry ke;
    struct diag d;
    struct rensa_ctx *ctx;

    fx_bz_default(&o);
    o.version = 0x0205;
    ctx = linux_ctx(&o, "");
    CHECK_EQ(kernel_prepare(ctx, &ke, &d), E_KERNEL_UNSUPPORTED);
    CHECK(strstr(d.msg, "2.05") != NULL);
    free(ctx);

    fx_bz_default(&o);
    o.syssize = o.payload / 16 + 1; /* claims 16 bytes more than the file has */
    ctx = linux_ctx(&o, "");
    CHECK_EQ(kernel_prepare(ctx, &ke, &d), E_KERNEL_TRUNCATED);
    CHECK(strstr(d.msg, "syssize") != NULL);
    free(ctx);

    /* A file cut inside its setup sectors. */
    fx_bz_default(&o);
    size_t len;
    uint8_t *img = fx_bzimage(&o, &len);
    ctx = fx_ctx(2);
    fx_module(ctx, KMOD_AT, img, 2048, "", true);
    free(img);
    CHECK_EQ(kernel_prepare(ctx, &ke, &d), E_KERNEL_TRUNCATED);
    free(ctx);

    fx_bz_default(&o);
    o.cmdline_size = 16;
    ctx = linux_ctx(&o, "0123456789abcdef");
    CHECK_EQ(kernel_prepare(ctx, &ke, &d), E_OK); /* exactly 16 */
    free(ctx);
    ctx = linux_ctx(&o, "0123456789abcdefg");
    CHECK_EQ(kernel_prepare(ctx, &ke, &d), E_CMDLINE_TOO_LONG);
    free(ctx);

    fx_bz_default(&o);
    o.align = 0x180000;
    ctx = linux_ctx(&o, "");
    CHECK_EQ(kernel_prepare(ctx, &ke, &d), E_KERNEL_FORMAT);
    free(ctx);

    /* No room above pref_address. */
    fx_bz_default(&o);
    o.pref = 0x3f00000;
    ctx = linux_ctx(&o, "");
    CHECK_EQ(kernel_prepare(ctx, &ke, &d), E_NO_MEMORY);
    CHECK(strstr(d.msg, "Linux kernel") != NULL);
    free(ctx);
}

TEST(kernel_format_errors)
{
    struct rensa_ctx *ctx = fx_ctx(1);
    struct kernel_entry ke;
    struct diag d;
    CHECK_EQ(kernel_prepare(ctx, &ke, &d), E_NO_KERNEL);
    static const uint8_t gz[64] = {0x1f, 0x8b, 8};
    fx_module(ctx, KMOD_AT, gz, sizeof(gz), "", true);
    CHECK_EQ(kernel_prepare(ctx, &ke, &d), E_KERNEL_FORMAT);
    CHECK(strstr(d.msg, "gzip") != NULL);
    CHECK(strstr(d.msg, "1f 8b 08 00") != NULL);
    ctx->bi.mods[0].end = ctx->bi.mods[0].start; /* empty */
    CHECK_EQ(kernel_prepare(ctx, &ke, &d), E_KERNEL_FORMAT);
    CHECK(strstr(d.msg, "empty") != NULL);
    /* A boot sector signature without HdrS is not a bzImage. */
    uint8_t bs[1024] = {0};
    bs[0x1fe] = 0x55;
    bs[0x1ff] = 0xaa;
    fx_module(ctx, KMOD_AT + 0x10000, bs, sizeof(bs), "", true);
    ctx->kernel_mod = 1;
    CHECK_EQ(kernel_prepare(ctx, &ke, &d), E_KERNEL_FORMAT);
    free(ctx);
}

TEST(kernel_cmdline_words)
{
    char buf[64];
    CHECK_EQ(kernel_cmdline("a=1", "", buf), 3);
    CHECK_STR(buf, "a=1");
    kernel_cmdline("a=1 b", "x=y", buf);
    CHECK_STR(buf, "a=1 b x=y");
    /* Nothing is dropped: a first word that looks like a path stays. */
    kernel_cmdline("/odd root=/dev/sda", "x", buf);
    CHECK_STR(buf, "/odd root=/dev/sda x");
    CHECK_EQ(kernel_cmdline("", "x", buf), 1);
    CHECK_STR(buf, "x");
    CHECK_EQ(kernel_cmdline("", "", buf), 0);
    CHECK_STR(buf, "");
}
