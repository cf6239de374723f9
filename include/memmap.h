/* A physical memory map in e820 terms, and the allocator that places
 * everything Rensa needs from it. Nothing in Rensa uses a fixed physical
 * address: every placement goes through alloc_range(). */
#ifndef RENSA_MEMMAP_H
#define RENSA_MEMMAP_H

#include "diag.h"
#include "rtypes.h"

#define E820_RAM 1u
#define E820_RESERVED 2u
#define E820_ACPI 3u
#define E820_NVS 4u
#define E820_UNUSABLE 5u
#define E820_PMEM 7u

#define MEMMAP_MAX 128u
#define BUSY_MAX 64u

struct mem_range {
    paddr_t base;
    paddr_t len;
    uint32_t type;
};

struct memmap {
    struct mem_range r[MEMMAP_MAX];
    unsigned n;
};

/* Append a range (no ordering or merging yet). Zero-length ranges are
 * ignored; ranges that wrap past 2^64 are an error. */
enum rensa_err memmap_add(struct memmap *m, paddr_t base, paddr_t len, uint32_t type, struct diag *d);
/* Sort, resolve overlaps (any non-RAM type beats RAM; otherwise the higher
 * type number wins) and merge neighbours of the same type. */
void memmap_normalize(struct memmap *m);
/* Give [base, base+len) the type, splitting ranges as needed. */
enum rensa_err memmap_set(struct memmap *m, paddr_t base, paddr_t len, uint32_t type, struct diag *d);
/* True when [base, base+len) lies wholly in ranges of the given type. */
bool memmap_covers(const struct memmap *m, paddr_t base, paddr_t len, uint32_t type);
/* Total bytes of the given type. */
paddr_t memmap_total(const struct memmap *m, uint32_t type);
const char *e820_type_name(uint32_t type);

/* Ranges in use right now (Rensa, modules, boot information, allocations). */
struct busy_range {
    paddr_t base;
    paddr_t len;
    const char *what;
};

struct allocator {
    const struct memmap *ram; /* the firmware map: where RAM is */
    struct busy_range busy[BUSY_MAX];
    unsigned nbusy;
};

#define ALLOC_TOP_DOWN 0u
#define ALLOC_BOTTOM_UP 1u

enum rensa_err alloc_mark_busy(struct allocator *a, paddr_t base, paddr_t len, const char *what,
                               struct diag *d);
/* Forget a busy range (e.g. a module that was moved away). */
void alloc_unmark(struct allocator *a, paddr_t base);
/* The first busy range overlapping [base, base+len), or NULL. */
const struct busy_range *alloc_overlap(const struct allocator *a, paddr_t base, paddr_t len);
/* Find size bytes of RAM, aligned, inside [lo, hi), overlapping nothing
 * busy; mark it busy as 'what' and return its base in *out. */
enum rensa_err alloc_range(struct allocator *a, paddr_t size, paddr_t align, paddr_t lo, paddr_t hi,
                           unsigned flags, const char *what, paddr_t *out, struct diag *d);

#endif
