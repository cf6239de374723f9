/* The MLE page table builder and walker (txt/mle_pt.c). */
#include <stdlib.h>
#include "mle_pt.h"
#include "sim.h"
#include "unit.h"

#define MLE_PHYS 0x10000000ull

struct built {
    uint8_t *t; /* the table, in simulated memory */
    paddr_t pt; /* its physical address */
    uint64_t len;
};

/* A table for an MLE of size bytes at MLE_PHYS, directly below it. */
static struct built build(uint64_t size)
{
    struct built b;
    b.len = mle_pt_size(size);
    b.pt = MLE_PHYS - b.len;
    b.t = sim_map(b.pt, b.len);
    struct diag d;
    enum mle_pt_reason r = mle_pt_build(b.t, b.len, b.pt, MLE_PHYS, size, &d);
    if (r != MLE_PT_OK)
        fprintf(stderr, "  build: %s\n", d.msg);
    CHECK_EQ(r, MLE_PT_OK);
    return b;
}

static enum mle_pt_reason walk(const struct built *b, uint64_t size, paddr_t *pages, uint64_t max, uint64_t *n,
                               struct diag *d)
{
    struct mle_pt_mem mem = {mle_pt_phys_map, NULL};
    return mle_pt_walk(&mem, b->pt, size, pages, max, n, d);
}

static void set_entry(uint8_t *t, uint64_t byte_off, uint64_t v)
{
    memcpy(t + byte_off, &v, 8);
}

static uint64_t get_entry(const uint8_t *t, uint64_t byte_off)
{
    uint64_t v;
    memcpy(&v, t + byte_off, 8);
    return v;
}

static void round_trip(uint64_t size)
{
    struct built b = build(size);
    uint64_t want = mle_pt_pages(size), n = 0;
    paddr_t *pages = calloc(want + 1, sizeof(*pages));
    struct diag d;
    enum mle_pt_reason r = walk(&b, size, pages, want + 1, &n, &d);
    if (r != MLE_PT_OK)
        fprintf(stderr, "  walk 0x%llx: %s\n", (unsigned long long)size, d.msg);
    CHECK_EQ(r, MLE_PT_OK);
    CHECK_EQ(n, want);
    uint64_t bad = 0;
    for (uint64_t i = 0; i < n; i++)
        bad += pages[i] != MLE_PHYS + i * 4096;
    CHECK_EQ(bad, 0);
    free(pages);
    sim_reset();
}

TEST(mle_pt_sizes)
{
    CHECK_EQ(mle_pt_size(0), 0);
    CHECK_EQ(mle_pt_size(1), 3 * 4096);
    CHECK_EQ(mle_pt_size(KiB(4)), 3 * 4096);
    CHECK_EQ(mle_pt_size(MiB(2)), 3 * 4096);
    CHECK_EQ(mle_pt_size(MiB(2) + KiB(4)), 4 * 4096);
    CHECK_EQ(mle_pt_size(MiB(7)), 6 * 4096);
    CHECK_EQ(mle_pt_size(GiB(1)), (1 + 1 + 512) * 4096);
    CHECK_EQ(mle_pt_size(GiB(1) + KiB(4)), (1 + 2 + 513) * 4096);
    CHECK_EQ(mle_pt_size(GiB(4) - KiB(4)), (1 + 4 + 2048) * 4096);
    CHECK_EQ(mle_pt_size(GiB(4)), 0);
    CHECK_EQ(mle_pt_pages(MiB(7) + 1), 1793);
}

TEST(mle_pt_round_trip)
{
    round_trip(KiB(4));
    round_trip(MiB(2));
    round_trip(MiB(2) + KiB(4));
    round_trip(MiB(7));
    round_trip(MiB(7) + 0x800); /* not page aligned: the last page is partly MLE */
    round_trip(GiB(1) + KiB(4)); /* a second page directory */
}

TEST(mle_pt_entries_are_present_only)
{
    struct built b = build(MiB(2) + KiB(4));
    CHECK_EQ(get_entry(b.t, 0), (b.pt + 4096) | 1);
    CHECK_EQ(get_entry(b.t, 8), 0); /* PDPTE 1: not present */
    CHECK_EQ(get_entry(b.t, 4096), (b.pt + 2 * 4096) | 1);
    CHECK_EQ(get_entry(b.t, 4096 + 8), (b.pt + 3 * 4096) | 1);
    CHECK_EQ(get_entry(b.t, 2 * 4096 + 8 * 5), (MLE_PHYS + 5 * 4096) | 1);
    CHECK_EQ(get_entry(b.t, 3 * 4096), (MLE_PHYS + 512 * 4096) | 1);
    CHECK_EQ(get_entry(b.t, 3 * 4096 + 8), 0);
}

TEST(mle_pt_build_rejects)
{
    uint8_t buf[3 * 4096];
    struct diag d;
    CHECK_EQ(mle_pt_build(buf, sizeof(buf), 0x100000, MLE_PHYS, 0, &d), MLE_PT_R_ARG);
    CHECK_EQ(d.code, E_TXT_ARG);
    CHECK_EQ(mle_pt_build(buf, sizeof(buf), 0x100800, MLE_PHYS, KiB(4), &d), MLE_PT_R_ARG);
    CHECK_EQ(mle_pt_build(buf, sizeof(buf), 0x100000, MLE_PHYS + 1, KiB(4), &d), MLE_PT_R_ARG);
    CHECK_EQ(mle_pt_build(buf, sizeof(buf), 0x100000, MLE_PHYS, GiB(4), &d), MLE_PT_R_ARG);
    CHECK_EQ(mle_pt_build(buf, sizeof(buf) - 1, 0x100000, MLE_PHYS, KiB(4), &d), MLE_PT_R_BUF_SIZE);
    CHECK_EQ(mle_pt_build(buf, sizeof(buf), 0x100000, MLE_PHYS, MiB(2) + KiB(4), &d), MLE_PT_R_BUF_SIZE);
    /* the table inside the MLE */
    CHECK_EQ(mle_pt_build(buf, sizeof(buf), MLE_PHYS + 0x1000, MLE_PHYS, KiB(64), &d), MLE_PT_R_OVERLAP);
    CHECK(strncmp(d.msg, "MLE_PT_R_OVERLAP: ", 18) == 0);
    CHECK_EQ(mle_pt_build(buf, sizeof(buf), MLE_PHYS - 0x2000, MLE_PHYS, KiB(4), &d), MLE_PT_R_OVERLAP);
}

/* Corrupt one entry of a fresh 2 MiB + 4 KiB table (PDPT, PD, PT 0, PT 1)
 * and expect reason r. */
static void corrupt2(uint64_t byte_off, uint64_t value, uint64_t off2, uint64_t value2, enum mle_pt_reason want,
                     const char *name)
{
    uint64_t size = MiB(2) + KiB(4);
    struct built b = build(size);
    set_entry(b.t, byte_off, value);
    if (off2)
        set_entry(b.t, off2, value2);
    paddr_t pages[600];
    uint64_t n = 99;
    struct diag d;
    enum mle_pt_reason r = walk(&b, size, pages, 600, &n, &d);
    if (r != want)
        fprintf(stderr, "  %s: got %s (%s)\n", name, mle_pt_reason_name(r), d.msg);
    CHECK_EQ(r, want);
    CHECK_EQ(n, 0);
    CHECK_EQ(d.code, want == MLE_PT_R_ARG ? E_TXT_ARG : E_TXT_PT_MALFORMED);
    CHECK(strncmp(d.msg, mle_pt_reason_name(want), strlen(mle_pt_reason_name(want))) == 0);
    sim_reset();
}

static void corrupt(uint64_t byte_off, uint64_t value, enum mle_pt_reason want, const char *name)
{
    corrupt2(byte_off, value, 0, 0, want, name);
}

#define PD 4096u
#define PT0 (2 * 4096u)
#define PT1 (3 * 4096u)
#define PAGE(i) ((MLE_PHYS + (uint64_t)(i) * 4096) | 1)

TEST(mle_pt_walk_rejects_corruption)
{
    corrupt(PT0 + 8 * 5, 0, MLE_PT_R_NOT_PRESENT, "missing PTE");
    corrupt(PT0 + 8 * 5, PAGE(5) & ~1ull, MLE_PT_R_NOT_PRESENT, "PTE without P");
    corrupt(PD + 8, 0, MLE_PT_R_NOT_PRESENT, "missing PDE");
    corrupt(0, 0, MLE_PT_R_NOT_PRESENT, "missing PDPTE");
    corrupt(PT0 + 8 * 7, PAGE(3), MLE_PT_R_DUPLICATE, "duplicate page");
    corrupt(PT1, PAGE(0), MLE_PT_R_DUPLICATE, "duplicate across tables");
    corrupt(PD, PAGE(0) | MLE_PT_PS, MLE_PT_R_LARGE_PAGE, "PDE with PS");
    corrupt2(PT0 + 8 * 10, PAGE(11), PT0 + 8 * 11, PAGE(10), MLE_PT_R_ORDER, "two pages swapped");
    corrupt(PT0 + 8 * 10, (MLE_PHYS - 0x100000) | 1, MLE_PT_R_ORDER, "below the previous page");
    corrupt(PT0 + 8 * 4, PAGE(4) | (1ull << 62), MLE_PT_R_RESERVED, "PTE reserved bit");
    corrupt(PD, (MLE_PHYS - 0x2000) | 1 | (1ull << 55), MLE_PT_R_RESERVED, "PDE reserved bit");
    corrupt(PT1 + 8, PAGE(513), MLE_PT_R_EXTRA, "a page past the MLE");
    corrupt(PD + 16, (MLE_PHYS - 0x1000) | 1, MLE_PT_R_EXTRA, "a PT past the MLE");
    corrupt(8, (MLE_PHYS - 0x3000) | 1, MLE_PT_R_EXTRA, "a PDPTE past the MLE");
    corrupt(PD + 8, 0x7000000 | 1, MLE_PT_R_UNMAPPED, "PT not addressable");
}

TEST(mle_pt_walk_rejects_pdpte_reserved)
{
    struct built b = build(KiB(8));
    set_entry(b.t, 0, get_entry(b.t, 0) | 2); /* R/W is reserved in a PAE PDPTE */
    paddr_t pages[4];
    uint64_t n;
    struct diag d;
    CHECK_EQ(walk(&b, KiB(8), pages, 4, &n, &d), MLE_PT_R_RESERVED);
}

TEST(mle_pt_walk_rejects_table_in_mle)
{
    /* Page 0 of the "MLE" is the PDPT page itself: SINIT would measure
     * the table and the MLE could rewrite its own map. */
    struct built b = build(KiB(8));
    set_entry(b.t, PT0 - 4096 + 4096, b.pt | 1); /* PT 0 is at page 2; PTE 0 */
    paddr_t pages[4];
    uint64_t n;
    struct diag d;
    enum mle_pt_reason r = walk(&b, KiB(8), pages, 4, &n, &d);
    CHECK_EQ(r, MLE_PT_R_OVERLAP);
}

TEST(mle_pt_walk_arguments)
{
    struct built b = build(KiB(16));
    paddr_t pages[4];
    uint64_t n;
    struct diag d;
    struct mle_pt_mem mem = {mle_pt_phys_map, NULL};
    CHECK_EQ(mle_pt_walk(&mem, b.pt + 8, KiB(16), pages, 4, &n, &d), MLE_PT_R_ARG);
    CHECK_EQ(mle_pt_walk(&mem, b.pt, 0, pages, 4, &n, &d), MLE_PT_R_ARG);
    CHECK_EQ(mle_pt_walk(&mem, b.pt, KiB(16), pages, 3, &n, &d), MLE_PT_R_TOO_MANY);
    CHECK_EQ(mle_pt_walk(&mem, 0x4000, KiB(16), pages, 4, &n, &d), MLE_PT_R_UNMAPPED);
    /* a walk for a smaller MLE sees the rest as mapped past its end */
    CHECK_EQ(mle_pt_walk(&mem, b.pt, KiB(12), pages, 4, &n, &d), MLE_PT_R_EXTRA);
    CHECK_EQ(mle_pt_walk(&mem, b.pt, KiB(16), pages, 4, &n, &d), MLE_PT_OK);
    CHECK_EQ(n, 4);
    CHECK_STR(mle_pt_reason_name(MLE_PT_R_DUPLICATE), "MLE_PT_R_DUPLICATE");
    CHECK_STR(mle_pt_reason_name(MLE_PT_REASON_COUNT), "MLE_PT_R_UNKNOWN");
}
