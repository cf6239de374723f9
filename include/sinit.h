/* SINIT selection at boot (docs/sinit.md "What the loader does at boot").
 *
 *   sinit_select  reads TXT.SINIT.BASE/SIZE and TXT.HEAP.BASE/SIZE, the
 *                 BIOS's BiosData (BiosSinitSize, platform type), the
 *                 platform (acm_platform_read, the TPM found by the
 *                 measurement step), makes the BIOS copy and every SINIT
 *                 module candidates, chooses one (acm_choose) and copies it
 *                 to TXT.SINIT.BASE when it is not already there
 *                 (acm_install)
 *
 * Portable C without console output: everything the caller logs is in
 * struct sinit_result. The unit tests run it over simulated memory and
 * fake register ops. */
#ifndef RENSA_SINIT_H
#define RENSA_SINIT_H

#include "acm.h"
#include "txt_regs.h"
#include "ctx.h"
#include "diag.h"
#include "txt_heap.h"

/* One candidate, for the log. */
struct sinit_line {
    enum acm_source source;
    unsigned index; /* boot module number (0 for the BIOS copy) */
    paddr_t phys;
    uint64_t len;
    bool chosen;
    enum acm_reason reason; /* ACM_OK for the chosen one */
    const char *why; /* "REASON: sentence" (in the candidate); "" when chosen */
};

/* Large (about 15 KiB with the candidates): the caller provides it
 * outside the 16 KiB stack (loader/main.c: a static at file scope). */
struct sinit_result {
    /* what was read */
    paddr_t heap_base;
    uint64_t heap_size;
    struct txt_bios_data bios; /* BiosData fixed part (fields past its version are 0) */
    struct acm_region region; /* TXT.SINIT.BASE/SIZE, BiosSinitSize */
    struct acm_platform platform;

    /* the candidates: the BIOS copy first (when BiosSinitSize != 0), then
     * the SINIT modules in module order */
    struct acm_candidate cand[ACM_MAX_CANDIDATES];
    unsigned n;
    struct sinit_line line[ACM_MAX_CANDIDATES];

    /* the choice */
    struct acm_choice choice; /* chosen = index into cand[], -1 when none */
    bool installed; /* copied to TXT.SINIT.BASE (false: already there or none) */
    uint32_t date; /* BCD yyyymmdd of the chosen SINIT */
    uint16_t txt_svn;
    uint8_t acm_ver;
    uint8_t acm_revision[3]; /* information table version 7 on; else 0 */
    uint32_t os_sinit_ver; /* the OsSinitData version Rensa will write for it */
};

/* Runs the selection; ops reads TXT registers, CPUID and MSRs
 * (platform_acm_ops() on bare metal). Returns E_OK with a SINIT chosen
 * (and installed when needed), or the error with d naming it:
 *   E_TXT_HEAP_*   the heap is not addressable or BiosData is malformed
 *                  (d: "HEAP_R_...: ...")
 *   E_ACM_REGION   TXT.SINIT.SIZE is 0 or the region is not addressable,
 *                  or no candidate fits it
 *   E_ACM_*        from acm_choose: none usable (each cand[]/line[] says why)
 *   E_ACM_OVERLAP  the SINIT region overlaps Rensa or a module handed on
 * On success the SINIT region is marked busy in ctx->alloc so nothing
 * placed later (kernel, initrd) lands on it. out->line[] is filled
 * whenever candidates were considered, also on failure. */
enum rensa_err sinit_select(struct rensa_ctx *ctx, const struct acm_platform_ops *ops, struct sinit_result *out,
                            struct diag *d);

/* "BIOS copy" or "module N" for a line. */
const char *sinit_source_name(const struct sinit_line *l, char *buf, size_t n);

#endif
