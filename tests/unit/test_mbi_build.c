/* Multiboot information built for the next kernel, parsed back with
 * Rensa's own mb1_parse()/mb2_parse() (loader/mbi_build.c). */
#include <stdlib.h>
#include "kernel_fixture.h"
#include "multiboot1.h"
#include "multiboot2.h"
#include "platform.h"
#include "sim.h"
#include "unit.h"

static struct rensa_ctx *mbi_ctx(void)
{
    struct rensa_ctx *ctx = fx_ctx(2);
    static const uint8_t data[64] = {1};
    fx_module(ctx, FX_OUTSIDE, data, sizeof(data), "/xen.gz dom0_mem=1G", true);
    fx_module(ctx, FX_OUTSIDE + 0x1000, data, 32, "/vmlinuz root=/dev/xvda", true);
    fx_module(ctx, FX_OUTSIDE + 0x2000, data, 16, "/sinit.bin", true);
    fx_module(ctx, FX_OUTSIDE + 0x3000, data, 48, "", true);
    ctx->mod_dropped[2] = true;
    strcpy(ctx->kernel_cmdline_extra, "rensa.log=0x1000,0x8018");
    ctx->bi.fb = (struct boot_framebuffer){true, 0xfd000000u, 3200, 800, 600, 32, 1};
    return ctx;
}

static const struct busy_range *mbi_busy(const struct rensa_ctx *ctx, paddr_t at)
{
    for (unsigned i = 0; i < ctx->alloc.nbusy; i++)
        if (ctx->alloc.busy[i].base == at && !strcmp(ctx->alloc.busy[i].what, "Multiboot information"))
            return &ctx->alloc.busy[i];
    return NULL;
}

/* What every round trip checks: modules, command lines, map, memory sizes. */
static void check_common(const struct rensa_ctx *ctx, const struct kernel_entry *ke, const struct boot_info *bi)
{
    const struct busy_range *b = mbi_busy(ctx, ke->ebx);
    CHECK(b != NULL);
    if (b) {
        CHECK_EQ(bi->info_size <= b->len, 1);
        CHECK(memmap_covers(&ctx->handoff, b->base, b->len, E820_RESERVED));
    }
    CHECK_EQ(ke->ebx % 8, 0);
    CHECK_STR(bi->cmdline, "/xen.gz dom0_mem=1G rensa.log=0x1000,0x8018");
    CHECK(strncmp(bi->loader_name, "Rensa ", 6) == 0);
    CHECK(strstr(bi->loader_name, "(from ") != NULL);
    CHECK_EQ(bi->mod_count, 2);
    CHECK_EQ(bi->mods[0].start, FX_OUTSIDE + 0x1000);
    CHECK_EQ(bi->mods[0].end, FX_OUTSIDE + 0x1000 + 32);
    CHECK_STR(bi->mods[0].cmdline, "/vmlinuz root=/dev/xvda");
    CHECK_EQ(bi->mods[1].start, FX_OUTSIDE + 0x3000);
    CHECK_STR(bi->mods[1].cmdline, "");
    CHECK_EQ(bi->mmap.n, ctx->handoff.n);
    for (unsigned i = 0; i < ctx->handoff.n && i < bi->mmap.n; i++) {
        CHECK_EQ(bi->mmap.r[i].base, ctx->handoff.r[i].base);
        CHECK_EQ(bi->mmap.r[i].len, ctx->handoff.r[i].len);
        CHECK_EQ(bi->mmap.r[i].type, ctx->handoff.r[i].type);
    }
    CHECK(bi->has_meminfo);
    CHECK_EQ(bi->mem_lower_kb, FX_LOW_END / 1024);
    CHECK_EQ(bi->mem_upper_kb, memmap_contig_kib(&ctx->handoff, MiB(1)));
    CHECK(bi->fb.present);
    CHECK_EQ(bi->fb.addr, 0xfd000000u);
    CHECK_EQ(bi->fb.pitch, 3200);
    CHECK_EQ(bi->fb.width, 800);
    CHECK_EQ(bi->fb.height, 600);
    CHECK_EQ(bi->fb.bpp, 32);
    CHECK_EQ(bi->fb.type, 1);
}

TEST(mbi1_round_trip)
{
    struct rensa_ctx *ctx = mbi_ctx();
    struct kernel_entry ke = {0};
    struct diag d = {0};
    CHECK_EQ(mbi_build(ctx, 1, false, &ke, &d), E_OK);
    CHECK_EQ(ke.eax, MB1_BOOTLOADER_MAGIC);
    struct boot_info *bi = calloc(1, sizeof(*bi));
    CHECK_EQ(boot_info_parse(ke.eax, ke.ebx, bi, &d), E_OK);
    if (d.code)
        fprintf(stderr, "  %s\n", d.msg);
    check_common(ctx, &ke, bi);
    const struct mb1_info *mi = phys_ptr(ke.ebx, sizeof(*mi));
    CHECK_EQ(mi->flags, MB1_INFO_MEMORY | MB1_INFO_CMDLINE | MB1_INFO_MODS | MB1_INFO_MEM_MAP |
                            MB1_INFO_BOOT_LOADER_NAME | MB1_INFO_FRAMEBUFFER_INFO);
    CHECK_EQ(mi->color_info[0], 16); /* red position for 32 bpp */
    free(bi);
    free(ctx);
}

TEST(mbi2_round_trip)
{
    struct rensa_ctx *ctx = mbi_ctx();
    static const uint8_t rsdp[36] = {'R', 'S', 'D', ' ', 'P', 'T', 'R', ' ', 0, 'O', 'E', 'M', 'I', 'D', 2};
    memcpy(ctx->bi.rsdp, rsdp, 36);
    ctx->bi.rsdp_len = 36;
    ctx->bi.efi = true;
    ctx->bi.efi_systab = 0x7f000000;
    ctx->bi.efi_desc_size = 48;
    ctx->bi.efi_desc_version = 1;
    ctx->bi.efi_mmap_len = 96;
    for (unsigned i = 0; i < 96; i++)
        ctx->bi.efi_mmap[i] = (uint8_t)i;
    struct kernel_entry ke = {0};
    struct diag d = {0};
    CHECK_EQ(mbi_build(ctx, 2, true, &ke, &d), E_OK);
    CHECK_EQ(ke.eax, MB2_BOOTLOADER_MAGIC);
    struct boot_info *bi = calloc(1, sizeof(*bi));
    CHECK_EQ(boot_info_parse(ke.eax, ke.ebx, bi, &d), E_OK);
    if (d.code)
        fprintf(stderr, "  %s\n", d.msg);
    check_common(ctx, &ke, bi);
    CHECK_EQ(bi->info_size % 8, 0);
    CHECK_EQ(bi->rsdp_len, 36);
    CHECK(memcmp(bi->rsdp, rsdp, 36) == 0);
    CHECK(bi->efi);
    CHECK_EQ(bi->efi_systab, 0x7f000000);
    CHECK_EQ(bi->efi_mmap_len, 96);
    CHECK_EQ(bi->efi_desc_size, 48);
    CHECK(memcmp(bi->efi_mmap, ctx->bi.efi_mmap, 96) == 0);
    free(bi);

    /* Without efi_tags (a kernel that did not ask, such as Xen), none. */
    ke = (struct kernel_entry){0};
    CHECK_EQ(mbi_build(ctx, 2, false, &ke, &d), E_OK);
    bi = calloc(1, sizeof(*bi));
    CHECK_EQ(boot_info_parse(ke.eax, ke.ebx, bi, &d), E_OK);
    CHECK(!bi->efi);
    CHECK_EQ(bi->efi_mmap_len, 0);
    free(bi);
    free(ctx);
}

TEST(mbi_size_covers_a_split_map)
{
    for (unsigned v = 1; v <= 2; v++) {
        struct rensa_ctx *ctx = mbi_ctx();
        ctx->bi.fb.present = false;
        /* Busy (not reserved) top of RAM: the structure lands inside a RAM
         * range and splits it in three. */
        alloc_mark_busy(&ctx->alloc, FX_RAM_END - MiB(1), MiB(1), "log ring", NULL);
        unsigned before = ctx->handoff.n;
        struct kernel_entry ke = {0};
        struct diag d = {0};
        CHECK_EQ(mbi_build(ctx, v, false, &ke, &d), E_OK);
        CHECK_EQ(ctx->handoff.n, before + 2);
        CHECK(ke.ebx < FX_RAM_END - MiB(1));
        struct boot_info *bi = calloc(1, sizeof(*bi));
        CHECK_EQ(boot_info_parse(ke.eax, ke.ebx, bi, &d), E_OK);
        CHECK_EQ(bi->mmap.n, ctx->handoff.n);
        CHECK(!bi->fb.present);
        const struct busy_range *b = mbi_busy(ctx, ke.ebx);
        CHECK(b && bi->info_size <= b->len);
        free(bi);
        free(ctx);
    }
}
