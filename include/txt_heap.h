/* The TXT heap (Intel TXT Software Development Guide, appendix C "Intel
 * TXT Heap Memory"; docs/txt-launch.md).
 *
 * The heap is a region of TXT private DRAM at TXT.HEAP.BASE, TXT.HEAP.SIZE
 * bytes long, holding four regions one after another, each prefixed by
 * its size as a 64-bit number that counts the size field itself:
 *
 *   BiosData       written by the BIOS
 *   OsMleData      the loader to its own post-launch code (format is ours)
 *   OsSinitData    the loader to SINIT
 *   SinitMleData   SINIT to the MLE
 *
 * Every structure is packed, little-endian, in the guide's layout.
 *
 *   heap_build     writes OsMleData and OsSinitData after the BIOS's
 *                  BiosData, at the OsSinitData version the SINIT asks for
 *   heap_verify    walks all four regions and bounds-checks everything, as
 *                  the post-launch code will
 *   txt_pmr_compute  the DMA protected ranges from the memory map
 *
 * Portable C without console output; results come back in struct diag. */
#ifndef RENSA_TXT_HEAP_H
#define RENSA_TXT_HEAP_H

#include "diag.h"
#include "memmap.h"
#include "rtypes.h"

/* ---------------------------------------------------------------- extended elements */

/* BiosData (v4+), OsSinitData (v6+) and SinitMleData (v9+) end with a list
 * of {type, size, data} elements; size counts the 8-byte header; the list
 * ends with an END element of size 8. */
#define TXT_EXT_END 0u
#define TXT_EXT_BIOS_SPEC_VER 1u
#define TXT_EXT_ACM 2u
#define TXT_EXT_STM 3u
#define TXT_EXT_CUSTOM 4u
#define TXT_EXT_EVLOG_PTR 5u /* TPM 1.2 event log pointer */
#define TXT_EXT_MADT 6u
#define TXT_EXT_EVLOG_PTR2 7u /* TPM 2.0, one log per bank (not written by Rensa) */
#define TXT_EXT_EVLOG_PTR2_1 8u /* TPM 2.0, one TCG crypto-agile log */
#define TXT_EXT_MCFG 9u

struct txt_ext_elem {
    uint32_t type;
    uint32_t size; /* bytes, including this header */
} PACKED;
_Static_assert(sizeof(struct txt_ext_elem) == 8, "extended element header is 8 bytes");

struct txt_bios_spec_ver {
    uint16_t major, minor, rev;
} PACKED;
_Static_assert(sizeof(struct txt_bios_spec_ver) == 6, "BIOS spec version element data is 6 bytes");

/* Type 5: the physical address of a TPM 1.2 event log container. */
struct txt_evlog_ptr {
    uint64_t phys;
} PACKED;
_Static_assert(sizeof(struct txt_evlog_ptr) == 8, "event log pointer element data is 8 bytes");

/* Type 8: a TCG crypto-agile event log (TPM 2.0). */
struct txt_evlog_ptr2_1 {
    uint64_t phys;
    uint32_t allocated_size; /* bytes at phys */
    uint32_t first_record; /* offset of the first record SINIT adds */
    uint32_t next_record; /* offset where the next record goes */
} PACKED;
_Static_assert(sizeof(struct txt_evlog_ptr2_1) == 20, "event log pointer 2.1 element data is 20 bytes");

/* ---------------------------------------------------------------- BiosData */

/* BiosData.flags (versions 5+: the MLE half) */
#define TXT_BIOS_MLE_FLAG_PPI (1u << 0) /* v5: the platform supports TPM PPI */
#define TXT_BIOS_MLE_PLATFORM_SHIFT 1 /* v6: bits 2:1, ACM_PLATFORM_* */
#define TXT_BIOS_MLE_PLATFORM_MASK (3u << 1)

struct txt_bios_data {
    uint32_t version; /* 2..6 */
    uint32_t bios_sinit_size; /* bytes of SINIT the BIOS left at TXT.SINIT.BASE; 0 = none */
    uint64_t lcp_pd_base; /* platform-default LCP policy data (obsolete) */
    uint64_t lcp_pd_size;
    uint32_t num_logical_procs;
    /* version >= 3 */
    uint32_t sinit_flags;
    /* version >= 5 */
    uint32_t mle_flags;
    /* version >= 4: extended elements follow */
} PACKED;
_Static_assert(sizeof(struct txt_bios_data) == 36, "BiosData v3+ fixed part is 36 bytes");
#define TXT_BIOS_DATA_V2_SIZE 28u
#define TXT_BIOS_DATA_MIN_VERSION 2u

/* ---------------------------------------------------------------- OsMleData */

/* Rensa's own (the guide leaves the format to the loader): what the
 * post-launch code needs to put the processor back, kept small. */
#define TXT_OS_MLE_MAGIC 0x41534e52u /* "RNSA" */
#define TXT_OS_MLE_VERSION 1u
#define TXT_MTRR_VAR_MAX 16u /* variable MTRR pairs saved (IA32_MTRRCAP.VCNT) */

struct txt_mtrr_state {
    uint64_t def_type; /* IA32_MTRR_DEF_TYPE */
    uint32_t num_var; /* pairs below that are valid */
    uint32_t reserved;
    struct {
        uint64_t base, mask; /* IA32_MTRR_PHYSBASEn, IA32_MTRR_PHYSMASKn */
    } var[TXT_MTRR_VAR_MAX];
} PACKED;
_Static_assert(sizeof(struct txt_mtrr_state) == 16 + 16 * TXT_MTRR_VAR_MAX, "MTRR state layout");

struct txt_os_mle_data {
    uint32_t magic; /* TXT_OS_MLE_MAGIC */
    uint32_t version; /* TXT_OS_MLE_VERSION */
    uint64_t misc_enable; /* IA32_MISC_ENABLE before SENTER, all 64 bits */
    uint64_t ctx_phys; /* physical address of struct rensa_ctx */
    struct txt_mtrr_state mtrr; /* before Rensa changed them for SINIT */
} PACKED;
_Static_assert(sizeof(struct txt_os_mle_data) == 24 + sizeof(struct txt_mtrr_state), "OsMleData layout");

/* ---------------------------------------------------------------- OsSinitData */

/* OsSinitData.flags (version 7): TPM 2.0 PCR extend policy */
#define TXT_OS_SINIT_FLAG_EXTPOL_EMBEDDED (1u << 0) /* 1: SINIT hashes itself; 0: the TPM does (agile) */

struct txt_os_sinit_data {
    uint32_t version; /* Rensa writes 5, 6 or 7 */
    uint32_t flags; /* version 7; reserved (0) before */
    uint64_t mle_ptab; /* physical address of the MLE page table (mle_pt.h) */
    uint64_t mle_size; /* bytes SINIT measures, from linear 0 */
    uint64_t mle_hdr_base; /* the MLE header's linear address (offset from the MLE start) */
    uint64_t vtd_pmr_lo_base;
    uint64_t vtd_pmr_lo_size;
    uint64_t vtd_pmr_hi_base;
    uint64_t vtd_pmr_hi_size;
    uint64_t lcp_po_base; /* platform-owner LCP policy data, 0 = none */
    uint64_t lcp_po_size;
    uint32_t capabilities; /* MLE_CAP_* bits Rensa chose */
    /* version >= 5 */
    uint64_t efi_rsdt_ptr; /* v5: the ACPI RSDT; v6+: the RSDP */
    /* version >= 6: extended elements follow */
} PACKED;
_Static_assert(sizeof(struct txt_os_sinit_data) == 92, "OsSinitData v5+ fixed part is 92 bytes");
#define TXT_OS_SINIT_V4_SIZE 84u

/* ---------------------------------------------------------------- SinitMleData */

/* MDR memory types */
#define TXT_MDR_GOOD 0u
#define TXT_MDR_SMM_OVERLAY 1u
#define TXT_MDR_SMM_NONOVERLAY 2u
#define TXT_MDR_PCIE_CONFIG 3u
#define TXT_MDR_PROTECTED 4u

struct txt_mdr {
    uint64_t base;
    uint64_t length;
    uint8_t type; /* TXT_MDR_* */
    uint8_t reserved[7];
} PACKED;
_Static_assert(sizeof(struct txt_mdr) == 24, "SINIT memory descriptor record is 24 bytes");

struct txt_sinit_mle_data {
    uint32_t version; /* 6..9 read; newer are read as 9 */
    uint8_t bios_acm_id[20]; /* fields up to lcp_policy_control: TPM 1.2 only, 0 from version 9 */
    uint32_t edx_senter_flags;
    uint64_t mseg_valid;
    uint8_t sinit_hash[20];
    uint8_t mle_hash[20];
    uint8_t stm_hash[20];
    uint8_t lcp_policy_hash[20];
    uint32_t lcp_policy_control;
    uint32_t rlp_wakeup_addr; /* MONITOR address for the RLP wake-up */
    uint32_t reserved;
    uint32_t num_mdrs;
    uint32_t mdrs_off; /* from the start of the region's size field */
    uint32_t dmar_size; /* bytes of the ACPI DMAR copy */
    uint32_t dmar_off; /* from the start of the region's size field */
    /* version >= 8 */
    uint32_t proc_scrtm_status;
    /* version >= 9: extended elements follow */
} PACKED;
_Static_assert(sizeof(struct txt_sinit_mle_data) == 148, "SinitMleData v8+ fixed part is 148 bytes");
#define TXT_SINIT_MLE_V6_SIZE 144u
#define TXT_SINIT_MLE_MIN_VERSION 6u
#define TXT_SINIT_MLE_MAX_VERSION 9u

/* ---------------------------------------------------------------- reasons */

#define HEAP_REASONS(X)                                                                                  \
    X(HEAP_OK, E_OK, "a well-formed TXT heap")                                                           \
    X(HEAP_R_ARG, E_TXT_ARG, "a build request is invalid (version, sizes, event log)")                    \
    X(HEAP_R_HEAP_SMALL, E_TXT_HEAP_SIZE, "the heap is too small for its regions")                        \
    X(HEAP_R_REGION_SIZE, E_TXT_HEAP_MALFORMED, "a region's size field is below 8, below its structure, or past the heap end") \
    X(HEAP_R_BIOS_VERSION, E_TXT_HEAP_VERSION, "BiosData version below 2")                                \
    X(HEAP_R_BIOS_PROCS, E_TXT_HEAP_MALFORMED, "BiosData says there are no logical processors")           \
    X(HEAP_R_EXT_ELEM, E_TXT_HEAP_MALFORMED, "an extended element has a bad size or runs past its region") \
    X(HEAP_R_EXT_NO_END, E_TXT_HEAP_MALFORMED, "extended elements do not end with an END element")        \
    X(HEAP_R_OS_MLE, E_TXT_HEAP_VERSION, "OsMleData is not Rensa's (magic or version)")                  \
    X(HEAP_R_OS_SINIT_VERSION, E_TXT_HEAP_VERSION, "OsSinitData version outside 5..7")                    \
    X(HEAP_R_OS_SINIT, E_TXT_HEAP_MALFORMED, "an OsSinitData field is inconsistent")                      \
    X(HEAP_R_SINIT_MLE_VERSION, E_TXT_HEAP_VERSION, "SinitMleData version below 6")                       \
    X(HEAP_R_MDR, E_TXT_HEAP_MALFORMED, "the MDR table lies outside SinitMleData or an MDR wraps")       \
    X(HEAP_R_DMAR, E_TXT_HEAP_MALFORMED, "the DMAR copy lies outside SinitMleData or is not a DMAR table") \
    X(HEAP_R_PMR, E_TXT_PMR, "the protected ranges do not cover the MLE and its page table")

enum heap_reason {
#define HEAP_REASON_ENUM(name, err, text) name,
    HEAP_REASONS(HEAP_REASON_ENUM)
#undef HEAP_REASON_ENUM
        HEAP_REASON_COUNT
};

const char *heap_reason_name(enum heap_reason r);
const char *heap_reason_text(enum heap_reason r);
enum rensa_err heap_reason_err(enum heap_reason r);

/* ---------------------------------------------------------------- PMRs */

#define TXT_PMR_ALIGN MiB(2)

/* The VT-d protected memory ranges: the low range covers RAM below 4 GiB,
 * the high one RAM above; both 2 MiB granular, rounded down (as tboot
 * does) so no PMR covers firmware or device memory past the end of RAM.
 * The RAM the rounding leaves out is given, so the caller can reserve it. */
struct txt_pmr {
    paddr_t lo_base, lo_size;
    paddr_t hi_base, hi_size; /* 0, 0 without RAM above 4 GiB */
    paddr_t lo_left_base, lo_left_len; /* RAM below 4 GiB not covered */
    paddr_t hi_left_base, hi_left_len; /* RAM above 4 GiB not covered */
};

/* From the RAM (E820_RAM) ranges of m. Fails (HEAP_R_PMR) when there is
 * no 2 MiB of RAM below 4 GiB. */
enum heap_reason txt_pmr_compute(const struct memmap *m, struct txt_pmr *p, struct diag *d);

/* ---------------------------------------------------------------- build */

#define TXT_EVLOG_NONE 0u
#define TXT_EVLOG_TPM12 1u /* element type 5 */
#define TXT_EVLOG_TPM20 2u /* element type 8 */

struct txt_heap_params {
    uint32_t os_sinit_version; /* from acm_match: 5, 6 or 7 */
    paddr_t mle_base; /* physical address of the MLE's first page */
    uint64_t mle_size;
    uint64_t mle_hdr_off; /* the MLE header's offset from the MLE start */
    paddr_t mle_ptab; /* the page table (mle_pt_build) */
    struct txt_pmr pmr;
    paddr_t lcp_po_base;
    uint64_t lcp_po_size;
    uint32_t capabilities;
    uint32_t flags; /* written from version 7 only */
    paddr_t efi_rsdt_ptr; /* v5: RSDT; v6+: RSDP; 0 = not an EFI boot */
    unsigned evlog; /* TXT_EVLOG_*: needs version 6 or later */
    paddr_t evlog_base;
    uint32_t evlog_size, evlog_first, evlog_next; /* TPM 2.0 only */
    struct txt_os_mle_data os_mle; /* magic and version are filled in */
};

/* Bytes of OsSinitData (without its size field) for a version and log. */
uint64_t heap_os_sinit_size(uint32_t version, unsigned evlog);

/* Room left after OsSinitData for SINIT's SinitMleData: at least its size
 * field and v8 fixed part (MDRs and the DMAR copy come on top). */
#define TXT_HEAP_SINIT_MLE_RESERVE (8u + 148u)

/* Writes OsMleData and OsSinitData into heap (heap_size bytes, the BIOS's
 * BiosData already at its start) and a zero size field for SinitMleData.
 * Checks BiosData's size, every region against the heap size (without
 * overflow), and that the low PMR covers the MLE and its page table. */
enum heap_reason heap_build(void *heap, uint64_t heap_size, const struct txt_heap_params *p, struct diag *d);

/* ---------------------------------------------------------------- verify */

#define HEAP_VERIFY_SINIT_MLE (1u << 0) /* SinitMleData must be there (after SENTER) */

struct txt_heap_view {
    /* offsets from the heap start of each region's size field, and sizes */
    uint64_t bios_off, bios_size;
    uint64_t os_mle_off, os_mle_size;
    uint64_t os_sinit_off, os_sinit_size;
    uint64_t sinit_mle_off, sinit_mle_size; /* size 0: not checked */
    /* copies of the fixed parts (fields past the version's size are 0) */
    struct txt_bios_data bios;
    struct txt_os_mle_data os_mle;
    struct txt_os_sinit_data os_sinit;
    struct txt_sinit_mle_data sinit_mle;
    unsigned n_bios_ext, n_os_sinit_ext, n_sinit_mle_ext; /* elements before END */
    unsigned evlog; /* TXT_EVLOG_* found in OsSinitData */
    uint64_t evlog_elem_off; /* heap offset of its data, 0 when none */
    uint64_t mdrs_off; /* heap offset of the first MDR */
    uint64_t dmar_off; /* heap offset of the DMAR copy, 0 when none */
};

/* Walks BiosData, OsMleData, OsSinitData and, with HEAP_VERIFY_SINIT_MLE,
 * SinitMleData. heap_size is TXT.HEAP.SIZE; nothing outside [heap,
 * heap + heap_size) is read. */
enum heap_reason heap_verify(const void *heap, uint64_t heap_size, unsigned flags, struct txt_heap_view *v,
                             struct diag *d);

/* BiosData alone, as the BIOS left it (before heap_build): its size field,
 * version, fixed part, processor count and extended elements, with the
 * same checks as heap_verify. Fills bios_off, bios_size, bios and
 * n_bios_ext of *v. */
enum heap_reason heap_read_bios(const void *heap, uint64_t heap_size, struct txt_heap_view *v, struct diag *d);

/* MDR i (i < v->sinit_mle.num_mdrs) of a heap that passed heap_verify. */
struct txt_mdr heap_mdr_at(const void *heap, const struct txt_heap_view *v, uint32_t i);

#endif
