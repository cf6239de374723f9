/* The MLE page table (Intel TXT Software Development Guide, "MLE Page
 * Tables"; docs/txt-launch.md).
 *
 * SINIT finds the MLE through a page table whose base the loader writes
 * to OsSinitData.MLEPageTableBase: a 3-level PAE-format table (PDPT, page
 * directories, page tables) of 4 KiB pages. Linear address 0 is the first
 * byte of the MLE (Rensa's MLE header says first valid page 0 and gives the
 * entry point as an offset from the MLE start, like tboot's), and the MLE's
 * pages follow in linear order. SINIT hashes the pages it reaches in
 * linear order: that hash is the MLE measurement.
 *
 *   mle_pt_size   bytes of table memory an MLE of a given size needs
 *   mle_pt_build  writes the table into memory the caller provides
 *   mle_pt_walk   what SINIT does: walks a table, checks every entry and
 *                 returns the physical pages in linear order
 *
 * The table memory holds, in order: the PDPT (one page), the page
 * directories (one page per GiB of MLE), the page tables (one page per
 * 2 MiB of MLE). Portable C without console output. */
#ifndef RENSA_MLE_PT_H
#define RENSA_MLE_PT_H

#include "diag.h"
#include "rtypes.h"

#define MLE_PT_PAGE 4096u
#define MLE_PT_ENTRIES 512u /* per PD and PT page */
#define MLE_PT_PDPTES 4u /* the PAE PDPT has 4 entries (32 bytes) */
#define MLE_PT_MAX_SIZE GiB(4) /* linear addresses are 32 bits */

/* Entry bits (Intel SDM vol. 3A, "PAE Paging") */
#define MLE_PT_P (1ull << 0)
#define MLE_PT_PS (1ull << 7) /* in a PDE: a 2 MiB page */
#define MLE_PT_ADDR_MASK 0x000ffffffffff000ull /* bits 51:12 */
/* Reserved with P = 1: PDPTE bits 2:1 and 8:5; every level bits 63:52
 * (MAXPHYADDR is at most 52; XD, bit 63, is reserved while EFER.NXE = 0,
 * as it is when SINIT runs). */
#define MLE_PT_PDPTE_RSVD (0xfff0000000000000ull | 0x1e6ull)
#define MLE_PT_RSVD_HIGH 0xfff0000000000000ull

/* Why a page table is refused: a stable name, the error code it maps to,
 * a short meaning. */
#define MLE_PT_REASONS(X)                                                                          \
    X(MLE_PT_OK, E_OK, "a well-formed MLE page table")                                             \
    X(MLE_PT_R_ARG, E_TXT_ARG, "MLE size zero or 4 GiB or more, or an address not page aligned")    \
    X(MLE_PT_R_BUF_SIZE, E_TXT_ARG, "the table buffer is smaller than mle_pt_size() asks for")      \
    X(MLE_PT_R_TOO_MANY, E_TXT_ARG, "the MLE has more pages than the caller's list holds")          \
    X(MLE_PT_R_UNMAPPED, E_TXT_PT_MALFORMED, "a table page is not addressable")                    \
    X(MLE_PT_R_NOT_PRESENT, E_TXT_PT_MALFORMED, "an entry inside the MLE is not present (a hole)") \
    X(MLE_PT_R_RESERVED, E_TXT_PT_MALFORMED, "an entry sets a reserved bit")                       \
    X(MLE_PT_R_LARGE_PAGE, E_TXT_PT_MALFORMED, "a PDE maps a 2 MiB page (PS bit); the MLE uses 4 KiB pages") \
    X(MLE_PT_R_DUPLICATE, E_TXT_PT_MALFORMED, "a physical page is mapped twice")                   \
    X(MLE_PT_R_ORDER, E_TXT_PT_MALFORMED, "MLE pages are not in ascending physical order")          \
    X(MLE_PT_R_EXTRA, E_TXT_PT_MALFORMED, "a page or table is mapped past the MLE size")           \
    X(MLE_PT_R_OVERLAP, E_TXT_PT_MALFORMED, "a table page lies inside the MLE")

enum mle_pt_reason {
#define MLE_PT_REASON_ENUM(name, err, text) name,
    MLE_PT_REASONS(MLE_PT_REASON_ENUM)
#undef MLE_PT_REASON_ENUM
        MLE_PT_REASON_COUNT
};

const char *mle_pt_reason_name(enum mle_pt_reason r);
const char *mle_pt_reason_text(enum mle_pt_reason r);
enum rensa_err mle_pt_reason_err(enum mle_pt_reason r);

/* Number of 4 KiB pages an MLE of mle_size bytes occupies. */
uint64_t mle_pt_pages(uint64_t mle_size);

/* Bytes of table memory for an MLE of mle_size bytes (a multiple of 4 KiB),
 * or 0 when mle_size is 0 or MLE_PT_MAX_SIZE or more. */
uint64_t mle_pt_size(uint64_t mle_size);

/* Writes the table for the MLE at [mle_phys, mle_phys + mle_size) into
 * buf (buf_len bytes, at physical address buf_phys): linear page i maps
 * physical page mle_phys + i * 4 KiB. Entries carry only the present bit
 * and the address (as tboot's and GRUB's do); the rest of every table page
 * is zero. buf_phys and mle_phys must be page aligned, buf_len at least
 * mle_pt_size(mle_size), and the table must not overlap the MLE. Returns
 * MLE_PT_OK or the reason, with d naming the numbers. */
enum mle_pt_reason mle_pt_build(void *buf, uint64_t buf_len, paddr_t buf_phys, paddr_t mle_phys,
                                uint64_t mle_size, struct diag *d);

/* How the walker reads physical memory: a pointer to len bytes at addr,
 * or NULL when they are not addressable. */
struct mle_pt_mem {
    const void *(*map)(void *ctx, paddr_t addr, uint64_t len);
    void *ctx;
};

/* A mle_pt_mem.map over phys_ptr() (include/platform.h). */
const void *mle_pt_phys_map(void *ctx, paddr_t addr, uint64_t len);

/* Walks the table at pt_base for an MLE of mle_size bytes, as SINIT does,
 * and writes the physical page of each linear page, in linear order, to
 * pages[0 .. *npages). Every entry of every table reached is checked:
 * inside the MLE present, no reserved bits, no PS bit in a PDE; outside
 * it not present; pages in strictly ascending physical order (so none
 * twice); no table page inside the MLE. */
enum mle_pt_reason mle_pt_walk(const struct mle_pt_mem *mem, paddr_t pt_base, uint64_t mle_size, paddr_t *pages,
                               uint64_t max_pages, uint64_t *npages, struct diag *d);

#endif
