/* The measured launch itself: everything between "a SINIT is installed"
 * and GETSEC[SENTER] (txt_launch), and everything SINIT's return must be
 * checked for before Rensa trusts it (txt_post_launch). docs/txt-launch.md
 * has the sequence with the guide's sections. The machine is reached only
 * through struct txt_launch_ops, so every step runs in the unit tests. */
#ifndef RENSA_TXT_LAUNCH_H
#define RENSA_TXT_LAUNCH_H

#include "ctx.h"
#include "mtrr.h"
#include "sinit.h"
#include "txt_heap.h"
#include "txt_rlp.h"

struct txt_launch_ops {
    struct mtrr_ops mtrr; /* RDMSR/WRMSR: MTRRs and IA32_MISC_ENABLE */
    void *ctx;
    uint64_t (*pub_read)(void *ctx, uint32_t reg); /* TXT public space */
    void (*priv_write)(void *ctx, uint32_t reg, uint64_t val); /* TXT private space (commands) */
    /* CR0.CD = 1 and WBINVD before MTRRs change; WBINVD and CR0.CD = 0 after. */
    void (*cache_disable)(void *ctx);
    void (*cache_enable)(void *ctx);
    /* GETSEC[SENTER] with EBX = base, ECX = size, EDX = 0. On hardware it
     * does not return (SINIT enters _post_launch_entry, or the platform
     * resets); the test build's stand-in returns the TXT.ERRORCODE it set. */
    uint32_t (*senter)(void *ctx, paddr_t base, uint32_t size);
    /* GETSEC[SEXIT]: leave the measured environment (docs/txt-launch.md
     * "Shutdown"). */
    void (*sexit)(void *ctx);
    /* INIT to every processor but this one, so each waits for SIPI;
     * false when the local APIC did not deliver it. The 10 ms wait after
     * it is txt_rlp_init_aps's. */
    bool (*init_aps)(void *ctx);
    /* GETSEC[WAKEUP]: the RLPs leave the SENTER sleep state through
     * TXT.MLE.JOIN. */
    void (*wakeup)(void *ctx);
    /* After SENTER, on each processor: GETSEC[SMCTRL] (SMIs are masked
     * since SENTER) and an IRET (so are NMIs, until one runs). */
    void (*unmask_events)(void *ctx);
    /* One step of a wait loop (PAUSE). */
    void (*pause)(void *ctx);
    /* Test build only: corrupt the page table after it is built, the JOIN
     * structure before it is published (NULL in the release build). */
    void (*after_pt_build)(void *ctx, void *pt, paddr_t pt_phys);
    void (*after_join_build)(void *ctx, struct txt_mle_join *join);
};

/* Where Rensa's RLP code is (the linker's symbols; the unit tests' fakes). */
struct txt_rlp_code {
    paddr_t gdt; /* the GDT the JOIN structure names: 0x08 flat code, 0x10 flat data */
    uint32_t gdt_limit;
    paddr_t entry; /* _rlp_entry */
    const uint8_t *real16; /* the 16-bit code copied into the real-mode page (its size is checked when assembled) */
    uint32_t real16_len, real16_rm; /* its length, and the offset of its real-mode half */
    const uint8_t *wake16; /* the S3 waking stub copied to RLP_PAGE_WAKE (checked when assembled) */
    uint32_t wake16_len, wake16_seg; /* its length, and the offset of the page's segment in it */
    paddr_t s3_entry; /* _s3_entry */
};

/* Before SENTER: with more than one logical processor (BiosData), INIT
 * to the others, then 10 ms on clk. E_TXT_RLP when there are more than
 * RLP_MAX or INIT was not delivered. */
enum rensa_err txt_rlp_init_aps(const struct txt_launch_ops *ops, const struct clock *clk, uint32_t n_procs,
                                struct diag *d);

/* After SENTER (from txt_post_launch, with the checked heap): allocate the
 * RLP stacks and the real-mode page, publish TXT.MLE.JOIN, wake the RLPs
 * (the MONITOR address or GETSEC[WAKEUP], as ctx->launch.caps chose) and
 * wait, bounded, until each has restored its MTRRs and parked. */
enum rensa_err txt_rlp_wake(struct rensa_ctx *ctx, const struct txt_launch_ops *ops, const struct txt_rlp_code *c,
                            const struct txt_heap_view *v, struct diag *d);

/* On each RLP (from _rlp_entry, on its own stack): MTRRs and
 * IA32_MISC_ENABLE from the launch's saved copy, then counted as joined
 * (or failed). */
bool txt_rlp_join(struct rensa_ctx *ctx, const struct txt_launch_ops *ops);

/* The OsSinitData capabilities Rensa asks for: what both the MLE header
 * and SINIT support, one RLP wake-up method (MONITOR when both are
 * offered), the TCG event log format with TPM 2.0, and for TPM 1.2 the PCR
 * mapping of the options (legacy: bits 4 and 5 clear, which SINIT must not
 * refuse with its "no legacy" bit; DA: both set, which SINIT must offer).
 * With TPM 2.0 both PCR map bits stay 0, as the guide requires. A mapping
 * SINIT does not support is E_TXT_PCR_MAP. */
enum rensa_err txt_launch_caps(uint32_t mle_caps, uint32_t sinit_caps, enum pcr_map map, bool tpm20, uint32_t *out,
                               struct diag *d);

/* Builds the MLE page table, the PMRs and the TXT heap, saves and
 * reprograms the MTRRs, and executes GETSEC[SENTER] with the chosen SINIT.
 * Returns only on an error: before SENTER (nothing changed that is not put
 * back, except the page table's reservation in the map handed on), or
 * E_TXT_SINIT_ERROR when the test build's stand-in reported one
 * (the MTRRs are restored then too). */
enum rensa_err txt_launch(struct rensa_ctx *ctx, const struct sinit_result *s, const struct txt_launch_ops *ops,
                          struct diag *d);

/* After SINIT: the checks of docs/txt-launch.md step 10, in order, each
 * with a named error, then the MTRRs and IA32_MISC_ENABLE restored,
 * TXT.CMD.SECRETS and locality 1 opened. entry_phys and ptab are EBX and
 * ECX at the post-launch entry. Fills ctx->sinit_ev (what SINIT extended)
 * and ctx->evlog_used (where SINIT's log records end). */
enum rensa_err txt_post_launch(struct rensa_ctx *ctx, const struct txt_launch_ops *ops, const struct txt_rlp_code *rlp,
                               paddr_t entry_phys, paddr_t ptab, struct diag *d);

/* Leaving the measured environment when the kernel calls the shared
 * page's shutdown entry (after the PCRs are capped): TXT.CMD.NO-SECRETS,
 * UNLOCK-MEM-CONFIG, CLOSE-PRIVATE (each completed by a TXT.E2STS read),
 * then GETSEC[SEXIT]. */
void txt_exit(const struct txt_launch_ops *ops);

/* SinitMleData's PCR 17 policy data (the guide's "PCR 17" section):
 * BiosAcmID | MsegValid | StmHash | PolicyControl | LcpPolicyHash |
 * (OsSinitData.Capabilities when PolicyControl bit 2, else 0) and, from
 * version 8, ProcessorSCRTMStatus. Returns its length (76 or 80). */
#define TXT_POLICY_DATA_MAX 80u
size_t txt_sinit_policy_data(const struct txt_sinit_mle_data *s, uint32_t os_sinit_caps, uint8_t *out);

#endif
