/* ELF / Multiboot kernel hand-off: header checks, Multiboot header search
 * and choice, segment placement, module moves, and every error path
 * (loader/elf_kernel.c). */
#include <stdlib.h>
#include "elf_image.h"
#include "kernel_fixture.h"
#include "multiboot1.h"
#include "multiboot2.h"
#include "platform.h"
#include "sim.h"
#include "unit.h"

#define KMOD_AT FX_OUTSIDE
#define SEG_AT 0x400000u

static void elf_default(struct elf_opts *o)
{
    memset(o, 0, sizeof(*o));
    o->entry = SEG_AT + 0x10;
    o->nseg = 2;
    o->seg[0] = (struct fx_seg){SEG_AT, SEG_AT, 0x3000, 0x3000};
    o->seg[1] = (struct fx_seg){SEG_AT + 0x4000, SEG_AT + 0x4000, 0x1000, 0x5000}; /* with bss */
    o->mb1 = o->mb2 = true;
}

static struct rensa_ctx *elf_ctx(const struct elf_opts *o, unsigned booted, paddr_t at, bool own)
{
    struct rensa_ctx *ctx = fx_ctx(booted);
    size_t len;
    uint8_t *img = fx_elf(o, &len);
    fx_module(ctx, at, img, len, "/xen.gz console=com1", own);
    free(img);
    return ctx;
}

static bool seg_loaded(unsigned i, const struct fx_seg *s)
{
    const uint8_t *p = phys_ptr(s->paddr, s->memsz);
    if (!p)
        return false;
    for (uint32_t k = 0; k < s->memsz; k++)
        if (p[k] != (k < s->filesz ? fx_seg_byte(i, k) : 0))
            return false;
    return true;
}

static enum rensa_err prep(struct rensa_ctx *ctx, struct kernel_entry *ke, struct diag *d)
{
    memset(d, 0, sizeof(*d));
    return kernel_prepare(ctx, ke, d);
}

TEST(elf32_loads_and_hands_on_booted_version)
{
    for (unsigned booted = 1; booted <= 2; booted++) {
        struct elf_opts o;
        elf_default(&o);
        struct rensa_ctx *ctx = elf_ctx(&o, booted, KMOD_AT, true);
        /* Dirty the bss target: it must be zeroed. */
        memset(sim_at(SEG_AT + 0x4000), 0xee, 0x5000);
        struct kernel_entry ke;
        struct diag d;
        CHECK_EQ(prep(ctx, &ke, &d), E_OK);
        CHECK_EQ(ke.kind, KERNEL_ELF);
        CHECK_EQ(ke.eip, SEG_AT + 0x10);
        CHECK_EQ(ke.eax, booted == 2 ? MB2_BOOTLOADER_MAGIC : MB1_BOOTLOADER_MAGIC);
        CHECK(seg_loaded(0, &o.seg[0]));
        CHECK(seg_loaded(1, &o.seg[1]));
        struct boot_info *bi = calloc(1, sizeof(*bi));
        CHECK_EQ(boot_info_parse(ke.eax, ke.ebx, bi, &d), E_OK);
        CHECK_STR(bi->cmdline, "/xen.gz console=com1");
        free(bi);
        free(ctx);
    }
}

TEST(elf_multiboot_version_fallback)
{
    struct elf_opts o;
    struct kernel_entry ke;
    struct diag d;
    elf_default(&o);
    o.mb2 = false; /* booted with MB2, kernel knows only MB1 */
    struct rensa_ctx *ctx = elf_ctx(&o, 2, KMOD_AT, true);
    CHECK_EQ(prep(ctx, &ke, &d), E_OK);
    CHECK_EQ(ke.eax, MB1_BOOTLOADER_MAGIC);
    free(ctx);

    elf_default(&o);
    o.mb1 = false;
    ctx = elf_ctx(&o, 1, KMOD_AT, true);
    CHECK_EQ(prep(ctx, &ke, &d), E_OK);
    CHECK_EQ(ke.eax, MB2_BOOTLOADER_MAGIC);
    free(ctx);

    elf_default(&o);
    o.mb1 = o.mb2 = false;
    ctx = elf_ctx(&o, 2, KMOD_AT, true);
    CHECK_EQ(prep(ctx, &ke, &d), E_KERNEL_UNSUPPORTED);
    free(ctx);

    /* A bad checksum is no header. */
    elf_default(&o);
    o.mb2 = false;
    size_t len;
    uint8_t *img = fx_elf(&o, &len);
    img[FX_ELF_MB1_OFF + 8] ^= 1;
    ctx = fx_ctx(1);
    fx_module(ctx, KMOD_AT, img, len, "", true);
    free(img);
    CHECK_EQ(prep(ctx, &ke, &d), E_KERNEL_UNSUPPORTED);
    CHECK(strstr(d.msg, "no Multiboot1 header") != NULL);
    free(ctx);
}

TEST(elf64_entry_translation_and_mb2_entry_tag)
{
    struct elf_opts o;
    struct kernel_entry ke;
    struct diag d;
    elf_default(&o);
    o.is64 = true;
    /* Higher-half link address: the entry is translated through the segment. */
    o.seg[0].vaddr = 0xffffffff80000000ull + SEG_AT;
    o.seg[1].vaddr = 0xffffffff80000000ull + SEG_AT + 0x4000;
    o.entry = 0xffffffff80000000ull + SEG_AT + 0x20;
    struct rensa_ctx *ctx = elf_ctx(&o, 2, KMOD_AT, true);
    CHECK_EQ(prep(ctx, &ke, &d), E_OK);
    CHECK_EQ(ke.eip, SEG_AT + 0x20);
    CHECK(seg_loaded(0, &o.seg[0]) && seg_loaded(1, &o.seg[1]));
    free(ctx);

    o.mb2_entry_tag = true;
    o.mb2_entry = SEG_AT + 0x40;
    ctx = elf_ctx(&o, 2, KMOD_AT, true);
    CHECK_EQ(prep(ctx, &ke, &d), E_OK);
    CHECK_EQ(ke.eip, SEG_AT + 0x40);
    free(ctx);

    /* An entry outside every segment and above 4 GiB. */
    elf_default(&o);
    o.is64 = true;
    o.entry = 0x100000000ull;
    ctx = elf_ctx(&o, 2, KMOD_AT, true);
    CHECK_EQ(prep(ctx, &ke, &d), E_KERNEL_UNSUPPORTED);
    CHECK(strstr(d.msg, "entry point") != NULL);
    free(ctx);
}

TEST(elf_malformed_headers)
{
    struct elf_opts o;
    struct kernel_entry ke;
    struct diag d;
    size_t len;
    struct rensa_ctx *ctx;
    uint8_t *img;
    struct {
        bool is64;
        size_t off; /* byte offset to patch */
        uint32_t val;
        unsigned width;
        enum rensa_err want;
        const char *says;
    } cases[] = {
        {false, 28, 0x7ffffff0, 4, E_KERNEL_TRUNCATED, "program headers"}, /* e_phoff */
        {true, 32, 0xfffffff0, 4, E_KERNEL_TRUNCATED, "program headers"}, /* e_phoff */
        {false, 44, 0, 2, E_KERNEL_FORMAT, "no program headers"}, /* e_phnum */
        {false, 42, 16, 2, E_KERNEL_FORMAT, "program header size"}, /* e_phentsize */
        {false, 18, 40, 2, E_KERNEL_FORMAT, "machine"}, /* e_machine = ARM */
        {false, 16, 3, 2, E_KERNEL_FORMAT, "ET_EXEC"}, /* e_type = DYN */
        {false, 4, 3, 1, E_KERNEL_FORMAT, "class"},
        {false, FX_ELF_PHOFF + 4, 0x7fff0000, 4, E_KERNEL_TRUNCATED, "segment 0"}, /* p_offset */
        {false, FX_ELF_PHOFF + 32 + 16, 0x4000, 4, E_KERNEL_TRUNCATED, "segment 1"}, /* p_filesz */
        {false, FX_ELF_PHOFF + 20, 0x10, 4, E_KERNEL_FORMAT, "p_memsz"}, /* p_memsz < p_filesz */
        {true, FX_ELF_PHOFF + 24 + 4, 1, 4, E_KERNEL_PLACEMENT, "4 GiB"}, /* p_paddr high word */
    };
    for (unsigned i = 0; i < ARRAY_SIZE(cases); i++) {
        elf_default(&o);
        o.is64 = cases[i].is64;
        img = fx_elf(&o, &len);
        memcpy(img + cases[i].off, &cases[i].val, cases[i].width);
        ctx = fx_ctx(2);
        fx_module(ctx, KMOD_AT, img, len, "", true);
        free(img);
        CHECK_EQ(prep(ctx, &ke, &d), cases[i].want);
        if (!strstr(d.msg, cases[i].says)) {
            fprintf(stderr, "  case %u: \"%s\" lacks \"%s\"\n", i, d.msg, cases[i].says);
            unit_failures++;
        }
        free(ctx);
    }

    /* Cut inside the header. */
    elf_default(&o);
    img = fx_elf(&o, &len);
    ctx = fx_ctx(2);
    fx_module(ctx, KMOD_AT, img, 40, "", true);
    free(img);
    CHECK_EQ(prep(ctx, &ke, &d), E_KERNEL_TRUNCATED);
    free(ctx);
}

TEST(elf_mb2_header_tags)
{
    struct elf_opts o;
    struct kernel_entry ke;
    struct diag d;
    struct rensa_ctx *ctx;
    elf_default(&o);
    o.mb2_request = MB2_TAG_BOOTDEV; /* required and not provided */
    ctx = elf_ctx(&o, 2, KMOD_AT, true);
    CHECK_EQ(prep(ctx, &ke, &d), E_KERNEL_UNSUPPORTED);
    CHECK(strstr(d.msg, "information tag 5") != NULL);
    free(ctx);

    o.request_optional = true;
    ctx = elf_ctx(&o, 2, KMOD_AT, true);
    CHECK_EQ(prep(ctx, &ke, &d), E_OK);
    free(ctx);

    o.request_optional = false;
    o.mb2_request = MB2_TAG_MMAP; /* what Xen requires */
    ctx = elf_ctx(&o, 2, KMOD_AT, true);
    CHECK_EQ(prep(ctx, &ke, &d), E_OK);
    free(ctx);

    /* A tag running past header_length. */
    size_t len;
    uint8_t *img = fx_elf(&o, &len);
    uint32_t big = 0x1000;
    memcpy(img + FX_ELF_MB2_OFF + 16 + 4, &big, 4);
    ctx = fx_ctx(2);
    fx_module(ctx, KMOD_AT, img, len, "", true);
    free(img);
    CHECK_EQ(prep(ctx, &ke, &d), E_KERNEL_FORMAT);
    CHECK(strstr(d.msg, "past the header") != NULL);
    free(ctx);
}

TEST(elf_segment_placement_errors)
{
    struct elf_opts o;
    struct kernel_entry ke;
    struct diag d;
    struct rensa_ctx *ctx;

    elf_default(&o);
    o.seg[0].paddr = FX_RENSA_BASE + 0x1000;
    ctx = elf_ctx(&o, 2, KMOD_AT, true);
    CHECK_EQ(prep(ctx, &ke, &d), E_KERNEL_PLACEMENT);
    CHECK(strstr(d.msg, "Rensa") != NULL);
    free(ctx);

    elf_default(&o);
    ctx = elf_ctx(&o, 2, KMOD_AT, true);
    alloc_mark_busy(&ctx->alloc, SEG_AT + 0x6000, 0x1000, "log ring", NULL);
    CHECK_EQ(prep(ctx, &ke, &d), E_KERNEL_PLACEMENT);
    CHECK(strstr(d.msg, "log ring") != NULL);
    free(ctx);

    elf_default(&o);
    o.seg[0].paddr = 0xa0000; /* reserved, not RAM */
    ctx = elf_ctx(&o, 2, KMOD_AT, true);
    CHECK_EQ(prep(ctx, &ke, &d), E_KERNEL_PLACEMENT);
    CHECK(strstr(d.msg, "RAM") != NULL);
    free(ctx);

    elf_default(&o);
    o.seg[1].paddr = SEG_AT + 0x2000; /* overlaps segment 0 */
    ctx = elf_ctx(&o, 2, KMOD_AT, true);
    CHECK_EQ(prep(ctx, &ke, &d), E_KERNEL_FORMAT);
    CHECK(strstr(d.msg, "ELF kernel segment") != NULL);
    free(ctx);
}

TEST(elf_modules_moved_out_of_the_way)
{
    struct elf_opts o;
    elf_default(&o);
    /* The kernel module itself and a dom0 module both lie in segment targets. */
    struct rensa_ctx *ctx = elf_ctx(&o, 2, SEG_AT + 0x1000, false);
    uint8_t dom0[0x2800];
    for (size_t i = 0; i < sizeof(dom0); i++)
        dom0[i] = (uint8_t)(i ^ 0x5a);
    fx_module(ctx, SEG_AT + 0x6000, dom0, sizeof(dom0), "/vmlinuz root=/dev/xvda", false);
    static const uint8_t rd[100] = {7};
    fx_module(ctx, 0x2000000, rd, sizeof(rd), "/initrd.img", false); /* out of the way */
    struct kernel_entry ke;
    struct diag d;
    CHECK_EQ(prep(ctx, &ke, &d), E_OK);
    if (d.code)
        fprintf(stderr, "  %s\n", d.msg);
    CHECK(seg_loaded(0, &o.seg[0]) && seg_loaded(1, &o.seg[1]));
    const struct boot_module *m = &ctx->bi.mods[1];
    CHECK(m->start != SEG_AT + 0x6000);
    CHECK_EQ(m->start % 4096, 0);
    CHECK_EQ(m->end - m->start, sizeof(dom0));
    CHECK(memcmp(phys_ptr(m->start, sizeof(dom0)), dom0, sizeof(dom0)) == 0);
    CHECK(!fx_overlaps_other(ctx, m->start, sizeof(dom0)));
    CHECK(ctx->bi.mods[0].start != SEG_AT + 0x1000);
    CHECK_EQ(ctx->bi.mods[2].start, 0x2000000);
    /* The busy list follows the moves: no entry left at the old places. */
    unsigned modules = 0;
    for (unsigned i = 0; i < ctx->alloc.nbusy; i++) {
        const struct busy_range *b = &ctx->alloc.busy[i];
        if (!strcmp(b->what, "module")) {
            modules++;
            CHECK(b->base == ctx->bi.mods[0].start || b->base == m->start || b->base == 0x2000000);
        }
    }
    CHECK_EQ(modules, 3);
    /* The Multiboot information lists the moved module where it is now. */
    struct boot_info *bi = calloc(1, sizeof(*bi));
    CHECK_EQ(boot_info_parse(ke.eax, ke.ebx, bi, &d), E_OK);
    CHECK_EQ(bi->mod_count, 2);
    CHECK_EQ(bi->mods[0].start, m->start);
    CHECK_STR(bi->mods[0].cmdline, "/vmlinuz root=/dev/xvda");
    CHECK_EQ(bi->mods[1].start, 0x2000000);
    free(bi);
    free(ctx);
}
