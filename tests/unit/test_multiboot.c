#include <stdlib.h>
#include "boot_info.h"
#include "multiboot1.h"
#include "multiboot2.h"
#include "sim.h"
#include "unit.h"

#define INFO 0x10000u
#define STR 0x11000u
#define MODS 0x12000u
#define MMAP 0x13000u

static struct boot_info bi;

static void put_str(paddr_t at, const char *s)
{
    strcpy(sim_at(at), s);
}

static struct mb1_info *mb1_setup(void)
{
    sim_map(INFO, 0x10000);
    struct mb1_info *mi = sim_at(INFO);
    mi->flags = MB1_INFO_MEMORY | MB1_INFO_CMDLINE | MB1_INFO_MODS | MB1_INFO_MEM_MAP | MB1_INFO_BOOT_LOADER_NAME;
    mi->mem_lower = 639;
    mi->mem_upper = 130048;
    put_str(STR, "/rensa.gz loglevel=debug");
    mi->cmdline = STR;
    put_str(STR + 0x100, "GRUB 2.06");
    mi->boot_loader_name = STR + 0x100;
    struct mb1_module *m = sim_at(MODS);
    m[0] = (struct mb1_module){0x1000000, 0x1800000, STR + 0x200, 0};
    m[1] = (struct mb1_module){0x2000000, 0x2100000, STR + 0x300, 0};
    put_str(STR + 0x200, "/vmlinuz console=ttyS0");
    put_str(STR + 0x300, "/initrd.gz");
    mi->mods_count = 2;
    mi->mods_addr = MODS;
    struct mb1_mmap_entry *e = sim_at(MMAP);
    e[0] = (struct mb1_mmap_entry){20, 0, 0x9fc00, E820_RAM};
    e[1] = (struct mb1_mmap_entry){20, 0x9fc00, 0x400, E820_RESERVED};
    e[2] = (struct mb1_mmap_entry){20, 0x100000, 0x7f00000, E820_RAM};
    mi->mmap_addr = MMAP;
    mi->mmap_length = 3 * sizeof(*e);
    return mi;
}

TEST(mb1_parse_good)
{
    mb1_setup();
    struct diag d = {0};
    CHECK_EQ(boot_info_parse(MB1_BOOTLOADER_MAGIC, INFO, &bi, &d), E_OK);
    CHECK_EQ(bi.mb_version, 1);
    CHECK_STR(bi.cmdline, "/rensa.gz loglevel=debug");
    CHECK_STR(bi.loader_name, "GRUB 2.06");
    CHECK_EQ(bi.mod_count, 2);
    CHECK_EQ(bi.mods[0].start, 0x1000000);
    CHECK_EQ(bi.mods[0].end, 0x1800000);
    CHECK_STR(bi.mods[0].cmdline, "/vmlinuz console=ttyS0");
    CHECK_STR(bi.mods[1].cmdline, "/initrd.gz");
    CHECK_EQ(bi.mmap.n, 3);
    CHECK(memmap_covers(&bi.mmap, 0x100000, 0x7f00000, E820_RAM));
    CHECK_EQ(bi.mem_upper_kb, 130048);
}

TEST(mb1_parse_without_mmap_uses_meminfo)
{
    struct mb1_info *mi = mb1_setup();
    mi->flags &= ~MB1_INFO_MEM_MAP;
    CHECK_EQ(boot_info_parse(MB1_BOOTLOADER_MAGIC, INFO, &bi, NULL), E_OK);
    CHECK(memmap_covers(&bi.mmap, MiB(1), (paddr_t)130048 * 1024, E820_RAM));
    mi->flags &= ~MB1_INFO_MEMORY;
    struct diag d = {0};
    CHECK_EQ(boot_info_parse(MB1_BOOTLOADER_MAGIC, INFO, &bi, &d), E_MBI_NO_MEMMAP);
}

TEST(mb1_parse_malformed)
{
    struct diag d = {0};
    struct mb1_info *mi = mb1_setup();
    CHECK_EQ(boot_info_parse(0x12345678, INFO, &bi, &d), E_MBI_MAGIC);
    CHECK(strstr(d.msg, "0x12345678") != NULL);

    mi->mmap_length = 3 * 24 - 4; /* last entry truncated */
    CHECK_EQ(boot_info_parse(MB1_BOOTLOADER_MAGIC, INFO, &bi, &d), E_MBI_MALFORMED);
    mi->mmap_length = 3 * 24;
    ((struct mb1_mmap_entry *)sim_at(MMAP))[1].size = 1000; /* entry size past the end */
    CHECK_EQ(boot_info_parse(MB1_BOOTLOADER_MAGIC, INFO, &bi, &d), E_MBI_MALFORMED);
    ((struct mb1_mmap_entry *)sim_at(MMAP))[1].size = 20;

    mi->mmap_addr = 0x900000; /* not in memory */
    CHECK_EQ(boot_info_parse(MB1_BOOTLOADER_MAGIC, INFO, &bi, &d), E_MBI_MALFORMED);
    mi->mmap_addr = MMAP;

    mi->mods_count = 1000;
    CHECK_EQ(boot_info_parse(MB1_BOOTLOADER_MAGIC, INFO, &bi, &d), E_MBI_TOO_MANY);
    mi->mods_count = 2;
    mi->mods_addr = 0x1fff8; /* second entry runs off simulated memory */
    CHECK_EQ(boot_info_parse(MB1_BOOTLOADER_MAGIC, INFO, &bi, &d), E_MBI_MALFORMED);
    mi->mods_addr = MODS;

    struct mb1_module *m = sim_at(MODS);
    m[1].mod_end = m[1].mod_start - 1;
    CHECK_EQ(boot_info_parse(MB1_BOOTLOADER_MAGIC, INFO, &bi, &d), E_MBI_MALFORMED);
    CHECK(strstr(d.msg, "module 1") != NULL);
    m[1].mod_end = m[1].mod_start + 10;

    /* A command line that never ends inside memory. */
    memset(sim_at(STR), 'a', 0x100);
    memset(sim_at(STR + 0x100), 'a', 0x10000 - 0x1000 - 0x100);
    CHECK(boot_info_parse(MB1_BOOTLOADER_MAGIC, INFO, &bi, &d) != E_OK);
    mi->cmdline = 0x1fffe;
    CHECK(boot_info_parse(MB1_BOOTLOADER_MAGIC, INFO, &bi, &d) != E_OK);
}

/* ---- Multiboot2 ---- */

static uint8_t *mb2_buf;
static uint32_t mb2_off;

static void *mb2_tag(uint32_t type, uint32_t size)
{
    struct mb2_tag *t = (struct mb2_tag *)(mb2_buf + mb2_off);
    t->type = type;
    t->size = size;
    mb2_off += (size + 7) & ~7u;
    return t;
}

static void mb2_string_tag(uint32_t type, const char *s)
{
    struct mb2_tag *t = mb2_tag(type, 8 + (uint32_t)strlen(s) + 1);
    strcpy((char *)(t + 1), s);
}

static void mb2_module(uint32_t start, uint32_t end, const char *s)
{
    struct mb2_tag_module *m = mb2_tag(MB2_TAG_MODULE, 16 + (uint32_t)strlen(s) + 1);
    m->mod_start = start;
    m->mod_end = end;
    strcpy((char *)(m + 1), s);
}

static void mb2_setup(bool with_mmap, bool with_efi)
{
    mb2_buf = sim_map(INFO, 0x10000);
    mb2_off = 8;
    mb2_string_tag(MB2_TAG_CMDLINE, "/rensa.gz vga=off");
    mb2_string_tag(MB2_TAG_BOOT_LOADER_NAME, "GRUB 2.06");
    struct mb2_tag_basic_meminfo *mi = mb2_tag(MB2_TAG_BASIC_MEMINFO, 16);
    mi->mem_lower = 639;
    mi->mem_upper = 1000;
    mb2_module(0x1000000, 0x1800000, "/xen.gz console=com1");
    mb2_module(0x2000000, 0x2800000, "/vmlinuz");
    if (with_mmap) {
        struct mb2_tag_mmap *m = mb2_tag(MB2_TAG_MMAP, 16 + 2 * 24);
        m->entry_size = 24;
        struct mb2_mmap_entry *e = (struct mb2_mmap_entry *)(m + 1);
        e[0] = (struct mb2_mmap_entry){0, 0x9fc00, E820_RAM, 0};
        e[1] = (struct mb2_mmap_entry){0x100000, 0x3ff00000, E820_RAM, 0};
    }
    if (with_efi) {
        struct mb2_tag_efi_mmap *m = mb2_tag(MB2_TAG_EFI_MMAP, 16 + 3 * 48);
        m->descr_size = 48;
        m->descr_vers = 1;
        struct efi_mem_desc *e0 = (struct efi_mem_desc *)((uint8_t *)(m + 1));
        struct efi_mem_desc *e1 = (struct efi_mem_desc *)((uint8_t *)(m + 1) + 48);
        struct efi_mem_desc *e2 = (struct efi_mem_desc *)((uint8_t *)(m + 1) + 96);
        *e0 = (struct efi_mem_desc){7, 0, 0x100000, 0, 0x1000, 0};
        *e1 = (struct efi_mem_desc){10, 0, 0x1100000, 0, 0x10, 0};
        *e2 = (struct efi_mem_desc){3, 0, 0x1110000, 0, 0x100, 0};
        struct mb2_tag_efi64 *s = mb2_tag(MB2_TAG_EFI64, 16);
        s->pointer = 0x7f000000;
    }
    uint8_t *rsdp = mb2_tag(MB2_TAG_ACPI_NEW, 8 + 36);
    memcpy(rsdp + 8, "RSD PTR ", 8);
    struct mb2_tag_framebuffer *fb = mb2_tag(MB2_TAG_FRAMEBUFFER, 32 + 6);
    fb->framebuffer_addr = 0xfd000000;
    fb->framebuffer_width = 1024;
    fb->framebuffer_height = 768;
    fb->framebuffer_bpp = 32;
    fb->framebuffer_type = 1;
    mb2_tag(MB2_TAG_END, 8);
    ((struct mb2_info_header *)mb2_buf)->total_size = mb2_off;
}

TEST(mb2_parse_good)
{
    mb2_setup(true, false);
    struct diag d = {0};
    CHECK_EQ(boot_info_parse(MB2_BOOTLOADER_MAGIC, INFO, &bi, &d), E_OK);
    CHECK_EQ(bi.mb_version, 2);
    CHECK_STR(bi.cmdline, "/rensa.gz vga=off");
    CHECK_STR(bi.loader_name, "GRUB 2.06");
    CHECK_EQ(bi.mod_count, 2);
    CHECK_STR(bi.mods[0].cmdline, "/xen.gz console=com1");
    CHECK_EQ(bi.mods[1].end, 0x2800000);
    CHECK_EQ(bi.mmap.n, 2);
    CHECK_EQ(bi.rsdp_len, 36);
    CHECK(memcmp(bi.rsdp, "RSD PTR ", 8) == 0);
    CHECK(bi.fb.present && bi.fb.width == 1024 && bi.fb.bpp == 32 && bi.fb.type == 1);
    CHECK(!bi.efi && !bi.mmap_from_efi);
}

TEST(mb2_parse_efi_map_only)
{
    mb2_setup(false, true);
    CHECK_EQ(boot_info_parse(MB2_BOOTLOADER_MAGIC, INFO, &bi, NULL), E_OK);
    CHECK(bi.mmap_from_efi && bi.efi && bi.efi_systab == 0x7f000000);
    CHECK(memmap_covers(&bi.mmap, 0x100000, 0x1000000, E820_RAM));
    CHECK(memmap_covers(&bi.mmap, 0x1100000, 0x10000, E820_NVS));
    CHECK(memmap_covers(&bi.mmap, 0x1110000, 0x100000, E820_RAM)); /* boot services code is RAM */
    CHECK_EQ(bi.efi_mmap_len, 3 * 48);
}

TEST(mb2_parse_malformed)
{
    struct diag d = {0};
    mb2_setup(true, false);
    struct mb2_info_header *h = (struct mb2_info_header *)mb2_buf;
    uint32_t total = h->total_size;

    CHECK_EQ(boot_info_parse(MB2_BOOTLOADER_MAGIC, INFO + 4, &bi, &d), E_MBI_MALFORMED); /* misaligned */
    h->total_size = 4;
    CHECK_EQ(boot_info_parse(MB2_BOOTLOADER_MAGIC, INFO, &bi, &d), E_MBI_MALFORMED);
    h->total_size = 0x20000; /* past the mapped memory */
    CHECK_EQ(boot_info_parse(MB2_BOOTLOADER_MAGIC, INFO, &bi, &d), E_MBI_MALFORMED);
    h->total_size = total - 8; /* end tag cut off */
    CHECK_EQ(boot_info_parse(MB2_BOOTLOADER_MAGIC, INFO, &bi, &d), E_MBI_MALFORMED);
    CHECK(strstr(d.msg, "end tag") != NULL);
    h->total_size = total;

    struct mb2_tag *first = (struct mb2_tag *)(mb2_buf + 8);
    uint32_t size = first->size;
    first->size = 4; /* smaller than a tag header */
    CHECK_EQ(boot_info_parse(MB2_BOOTLOADER_MAGIC, INFO, &bi, &d), E_MBI_MALFORMED);
    first->size = 0x10000; /* past total_size */
    CHECK_EQ(boot_info_parse(MB2_BOOTLOADER_MAGIC, INFO, &bi, &d), E_MBI_MALFORMED);
    first->size = size;
    /* Command line without its terminating NUL inside the tag. */
    ((char *)(first + 1))[size - 9] = 'x';
    CHECK_EQ(boot_info_parse(MB2_BOOTLOADER_MAGIC, INFO, &bi, &d), E_MBI_MALFORMED);
    ((char *)(first + 1))[size - 9] = '\0';
    CHECK_EQ(boot_info_parse(MB2_BOOTLOADER_MAGIC, INFO, &bi, &d), E_OK);
}

TEST(mb2_parse_bad_tags)
{
    struct diag d = {0};
    /* Each fixed-size tag shorter than its structure is rejected. */
    const uint32_t types[] = {MB2_TAG_MODULE, MB2_TAG_BASIC_MEMINFO, MB2_TAG_MMAP, MB2_TAG_EFI_MMAP,
                              MB2_TAG_FRAMEBUFFER, MB2_TAG_ACPI_OLD, MB2_TAG_ACPI_NEW, MB2_TAG_EFI32,
                              MB2_TAG_EFI64};
    for (unsigned i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
        sim_reset();
        mb2_buf = sim_map(INFO, 0x1000);
        mb2_off = 8;
        mb2_tag(types[i], 10);
        mb2_tag(MB2_TAG_END, 8);
        ((struct mb2_info_header *)mb2_buf)->total_size = mb2_off;
        d.code = E_OK;
        CHECK_EQ(boot_info_parse(MB2_BOOTLOADER_MAGIC, INFO, &bi, &d), E_MBI_MALFORMED);
        CHECK(d.code == E_MBI_MALFORMED);
    }
    /* An mmap with entry_size 0 would loop forever or divide by zero. */
    sim_reset();
    mb2_buf = sim_map(INFO, 0x1000);
    mb2_off = 8;
    struct mb2_tag_mmap *m = mb2_tag(MB2_TAG_MMAP, 16 + 24);
    m->entry_size = 0;
    mb2_tag(MB2_TAG_END, 8);
    ((struct mb2_info_header *)mb2_buf)->total_size = mb2_off;
    CHECK_EQ(boot_info_parse(MB2_BOOTLOADER_MAGIC, INFO, &bi, &d), E_MBI_MALFORMED);
    /* Too many modules. */
    sim_reset();
    mb2_buf = sim_map(INFO, 0x4000);
    mb2_off = 8;
    for (unsigned i = 0; i < BOOT_MODS_MAX + 1; i++)
        mb2_module(0x1000000, 0x1000010, "m");
    mb2_tag(MB2_TAG_END, 8);
    ((struct mb2_info_header *)mb2_buf)->total_size = mb2_off;
    CHECK_EQ(boot_info_parse(MB2_BOOTLOADER_MAGIC, INFO, &bi, &d), E_MBI_TOO_MANY);
}
