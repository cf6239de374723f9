#include "memmap.h"
#include "unit.h"

static void add(struct memmap *m, paddr_t b, paddr_t l, uint32_t t)
{
    CHECK_EQ(memmap_add(m, b, l, t, NULL), E_OK);
}

TEST(memmap_normalize_overlaps)
{
    struct memmap m = {0};
    add(&m, MiB(1), MiB(15), E820_RAM);
    add(&m, 0, KiB(639), E820_RAM);
    add(&m, MiB(8), MiB(1), E820_RESERVED); /* reserved inside RAM wins */
    add(&m, MiB(16), MiB(16), E820_RAM); /* adjacent RAM merges */
    add(&m, MiB(20), MiB(1), E820_ACPI);
    add(&m, MiB(20), KiB(4), E820_NVS); /* higher type wins over ACPI */
    memmap_normalize(&m);
    CHECK_EQ(m.n, 7);
    CHECK(m.r[0].base == 0 && m.r[0].len == KiB(639) && m.r[0].type == E820_RAM);
    CHECK(m.r[1].base == MiB(1) && m.r[1].len == MiB(7) && m.r[1].type == E820_RAM);
    CHECK(m.r[2].base == MiB(8) && m.r[2].len == MiB(1) && m.r[2].type == E820_RESERVED);
    CHECK(m.r[3].base == MiB(9) && m.r[3].len == MiB(11) && m.r[3].type == E820_RAM);
    CHECK(m.r[4].base == MiB(20) && m.r[4].len == KiB(4) && m.r[4].type == E820_NVS);
    CHECK(m.r[5].base == MiB(20) + KiB(4) && m.r[5].type == E820_ACPI);
    CHECK(m.r[6].base == MiB(21) && m.r[6].len == MiB(11) && m.r[6].type == E820_RAM);
    CHECK(memmap_covers(&m, MiB(1), MiB(7), E820_RAM));
    CHECK(!memmap_covers(&m, MiB(1), MiB(8), E820_RAM));
    CHECK(!memmap_covers(&m, KiB(639), KiB(2), E820_RAM));
    CHECK_EQ(memmap_total(&m, E820_RAM), KiB(639) + MiB(29));
}

TEST(memmap_set_splits)
{
    struct memmap m = {0};
    add(&m, MiB(1), MiB(31), E820_RAM);
    memmap_normalize(&m);
    CHECK_EQ(memmap_set(&m, MiB(4), KiB(8), E820_RESERVED, NULL), E_OK);
    CHECK_EQ(m.n, 3);
    CHECK(m.r[0].len == MiB(3) && m.r[1].base == MiB(4) && m.r[1].len == KiB(8) && m.r[1].type == E820_RESERVED);
    CHECK(m.r[2].base == MiB(4) + KiB(8) && m.r[2].base + m.r[2].len == MiB(32));
    /* Reserving a neighbouring range merges. */
    CHECK_EQ(memmap_set(&m, MiB(4) + KiB(8), KiB(4), E820_RESERVED, NULL), E_OK);
    CHECK_EQ(m.n, 3);
    CHECK_EQ(m.r[1].len, KiB(12));
    CHECK_EQ(memmap_set(&m, UINT64_MAX - 1, 4, E820_RESERVED, NULL), E_MBI_MALFORMED);
}

TEST(memmap_add_limits)
{
    struct memmap m = {0};
    struct diag d = {0};
    for (unsigned i = 0; i < MEMMAP_MAX; i++)
        add(&m, (paddr_t)i * MiB(2), MiB(1), E820_RAM);
    CHECK_EQ(memmap_add(&m, GiB(8), MiB(1), E820_RAM, &d), E_MEMMAP_FULL);
    CHECK_EQ(memmap_add(&m, GiB(8), 0, E820_RAM, &d), E_OK); /* empty ranges are ignored */
    struct memmap w = {0};
    CHECK_EQ(memmap_add(&w, UINT64_MAX - 10, 100, E820_RAM, &d), E_MBI_MALFORMED);
}

static struct memmap ram_map(void)
{
    struct memmap m = {0};
    memmap_add(&m, 0, KiB(640), E820_RAM, NULL);
    memmap_add(&m, MiB(1), MiB(63), E820_RAM, NULL);
    memmap_add(&m, MiB(64), MiB(1), E820_RESERVED, NULL);
    memmap_add(&m, MiB(65), MiB(63), E820_RAM, NULL);
    memmap_normalize(&m);
    return m;
}

TEST(alloc_top_down_avoids_busy)
{
    struct memmap m = ram_map();
    struct allocator a = {.ram = &m};
    CHECK_EQ(alloc_mark_busy(&a, MiB(120), MiB(8), "module", NULL), E_OK);
    paddr_t p;
    CHECK_EQ(alloc_range(&a, KiB(4), KiB(4), MiB(1), GiB(4), ALLOC_TOP_DOWN, "a", &p, NULL), E_OK);
    CHECK_EQ(p, MiB(120) - KiB(4));
    CHECK_EQ(alloc_range(&a, MiB(10), MiB(2), MiB(1), GiB(4), ALLOC_TOP_DOWN, "b", &p, NULL), E_OK);
    CHECK_EQ(p, MiB(108)); /* highest 2 MiB-aligned 10 MiB below the first allocation */
    CHECK(!alloc_overlap(&a, MiB(100), MiB(8)));
    CHECK(alloc_overlap(&a, MiB(100), MiB(8) + 1) != NULL);
}

TEST(alloc_bottom_up_respects_holes_and_alignment)
{
    struct memmap m = ram_map();
    struct allocator a = {.ram = &m};
    paddr_t p;
    CHECK_EQ(alloc_mark_busy(&a, MiB(16), MiB(40), "kernel", NULL), E_OK);
    /* 16 MiB aligned at 2 MiB from 16 MiB: 56..64 is too small (8 MiB), the reserved
     * hole at 64 MiB splits RAM, so the first fit is at 66 MiB. */
    CHECK_EQ(alloc_range(&a, MiB(16), MiB(2), MiB(16), GiB(4), ALLOC_BOTTOM_UP, "k", &p, NULL), E_OK);
    CHECK_EQ(p, MiB(66));
    CHECK_EQ(alloc_range(&a, MiB(200), KiB(4), MiB(1), GiB(4), ALLOC_BOTTOM_UP, "big", &p, NULL), E_NO_MEMORY);
    CHECK_EQ(alloc_range(&a, KiB(4), 3, MiB(1), GiB(4), ALLOC_BOTTOM_UP, "odd", &p, NULL), E_NO_MEMORY);
    /* Bounded by hi. */
    CHECK_EQ(alloc_range(&a, KiB(4), KiB(4), MiB(1), MiB(2), ALLOC_TOP_DOWN, "low", &p, NULL), E_OK);
    CHECK_EQ(p, MiB(2) - KiB(4));
}

TEST(alloc_fills_until_full)
{
    struct memmap m = {0};
    memmap_add(&m, MiB(1), KiB(64), E820_RAM, NULL);
    memmap_normalize(&m);
    struct allocator a = {.ram = &m};
    paddr_t p, seen = 0;
    for (int i = 0; i < 16; i++) {
        CHECK_EQ(alloc_range(&a, KiB(4), KiB(4), 0, GiB(4), ALLOC_TOP_DOWN, "page", &p, NULL), E_OK);
        seen += p;
    }
    CHECK_EQ(seen, 16 * MiB(1) + KiB(4) * (15 * 16 / 2));
    struct diag d = {0};
    CHECK_EQ(alloc_range(&a, KiB(4), KiB(4), 0, GiB(4), ALLOC_TOP_DOWN, "page", &p, &d), E_NO_MEMORY);
    CHECK(strstr(d.msg, "page") != NULL);
}
