/* Memory type range registers around a TXT measured launch: save the
 * firmware's MTRRs and IA32_MISC_ENABLE, plan the configuration SINIT
 * requires (default UC, fixed MTRRs off, the SINIT region WB), validate a
 * saved configuration after the launch and write it back.
 *
 * Portable: every MSR access goes through struct mtrr_ops. The cache
 * disable/flush sequence around a write is the caller's (bare metal); see
 * mtrr_restore(). docs/txt-launch.md "MTRRs" has the rules and sources. */
#ifndef RENSA_MTRR_H
#define RENSA_MTRR_H

#include "diag.h"
#include "rtypes.h"

/* MSRs (Intel SDM vol. 3A "Memory Type Range Registers (MTRRs)") */
#define MSR_IA32_MTRRCAP 0xFEu
#define MSR_IA32_MISC_ENABLE 0x1A0u
#define MSR_IA32_MTRR_PHYSBASE(n) (0x200u + 2u * (uint32_t)(n))
#define MSR_IA32_MTRR_PHYSMASK(n) (0x201u + 2u * (uint32_t)(n))
#define MSR_IA32_MTRR_FIX64K_00000 0x250u
#define MSR_IA32_MTRR_FIX16K_80000 0x258u
#define MSR_IA32_MTRR_FIX16K_A0000 0x259u
#define MSR_IA32_MTRR_FIX4K_C0000 0x268u /* ... 0x26F: FIX4K_F8000 */
#define MSR_IA32_MTRR_DEF_TYPE 0x2FFu

#define MTRRCAP_VCNT_MASK 0xFFu /* bits 7:0: number of variable pairs */
#define MTRRCAP_FIX (1u << 8) /* fixed-range MTRRs exist */
#define MTRRCAP_WC (1u << 10) /* write-combining type supported */
#define MTRRCAP_SMRR (1u << 11) /* SMRR interface supported */

#define MTRR_DEF_TYPE_TYPE_MASK 0xFFu /* bits 7:0: default memory type */
#define MTRR_DEF_TYPE_FE (1u << 10) /* fixed-range MTRRs enabled */
#define MTRR_DEF_TYPE_E (1u << 11) /* MTRRs enabled */

#define MTRR_PHYSBASE_TYPE_MASK 0xFFu /* bits 7:0 of PHYSBASEn */
#define MTRR_PHYSMASK_VALID (1u << 11) /* bit 11 of PHYSMASKn */
#define MTRR_ADDR_LOW_BITS 0xFFFu /* bits 11:0: not address bits */

/* Memory types (SDM table "Memory Types That Can Be Encoded in MTRRs") */
#define MTRR_TYPE_UC 0u
#define MTRR_TYPE_WC 1u
#define MTRR_TYPE_WT 4u
#define MTRR_TYPE_WP 5u
#define MTRR_TYPE_WB 6u
/* mtrr_effective_type(): variable MTRRs overlap with types the SDM leaves
 * undefined (anything but UC-with-anything, WT with WB, or equal types). */
#define MTRR_TYPE_UNDEFINED 0xFFu

#define MTRR_VAR_MAX 32u /* variable pairs Rensa holds (IA32_MTRRCAP.VCNT) */
#define MTRR_FIX_COUNT 11u /* fixed-range MSRs */
#define MTRR_MAXPHYADDR_MIN 36u /* CPUID.80000008H:EAX[7:0] bounds Rensa accepts */
#define MTRR_MAXPHYADDR_MAX 52u

struct mtrr_ops {
    /* Read or write one MSR; false when the access failed (#GP, no msr
     * driver on the host). */
    bool (*rdmsr)(void *ctx, uint32_t msr, uint64_t *val);
    bool (*wrmsr)(void *ctx, uint32_t msr, uint64_t val);
    void *ctx;
    unsigned maxphyaddr; /* CPUID.80000008H:EAX[7:0], 36 when the leaf is absent */
};

struct mtrr_state {
    uint64_t mtrrcap; /* IA32_MTRRCAP: read-only, never written back */
    uint64_t def_type; /* IA32_MTRR_DEF_TYPE */
    uint64_t misc_enable; /* IA32_MISC_ENABLE, all 64 bits (valid when misc_valid) */
    bool misc_valid; /* misc_enable was saved and is written back */
    bool fixed_valid; /* fixed[] was saved (MTRRCAP.FIX) and is written back */
    unsigned num_var; /* pairs in var[] (IA32_MTRRCAP.VCNT) */
    uint64_t fixed[MTRR_FIX_COUNT]; /* FIX64K_00000, FIX16K_80000/A0000, FIX4K_C0000..F8000 */
    struct {
        uint64_t base, mask; /* IA32_MTRR_PHYSBASEn, IA32_MTRR_PHYSMASKn */
    } var[MTRR_VAR_MAX];
};

/* The MSR number of fixed[i]. */
uint32_t mtrr_fixed_msr(unsigned i);

/* Read IA32_MTRRCAP, IA32_MTRR_DEF_TYPE, the fixed-range MTRRs (when
 * MTRRCAP.FIX), every variable pair and IA32_MISC_ENABLE into *s.
 * E_MTRR_TOO_MANY when VCNT > MTRR_VAR_MAX, E_MTRR_MSR when a read fails. */
enum rensa_err mtrr_save(const struct mtrr_ops *ops, struct mtrr_state *s, struct diag *d);

/* The configuration SINIT requires at GETSEC[SENTER]: MTRRs enabled,
 * default type UC, fixed MTRRs disabled (their contents untouched), the
 * SINIT region [base, base+size) WB with the fewest naturally aligned
 * power-of-two variable MTRRs, the other vcnt - k pairs invalid.
 * misc_valid is false: writing the plan leaves IA32_MISC_ENABLE alone.
 * E_MTRR_ARG when base or size is not 4 KiB aligned, size is 0, the
 * region passes 2^maxphyaddr, or maxphyaddr/vcnt are out of range;
 * E_MTRR_NO_REGS when the region needs more than vcnt MTRRs. */
enum rensa_err mtrr_plan_sinit(paddr_t base, paddr_t size, unsigned maxphyaddr, unsigned vcnt,
                               struct mtrr_state *out, struct diag *d);

/* The post-launch check of a saved configuration (from OsMleData, which
 * sat in memory during the launch): num_var within VCNT and MTRR_VAR_MAX,
 * legal types (UC, WC, WT, WP, WB) for the default and every valid pair,
 * contiguous masks (bits below maxphyaddr; a mask narrower than
 * maxphyaddr is accepted), no reserved bit set, and overlaps the SDM
 * defines (UC with anything, WT with WB, equal types). The first failure
 * is returned with a sentence naming the register. */
enum rensa_err mtrr_validate(const struct mtrr_state *s, unsigned maxphyaddr, struct diag *d);

/* Write s back: IA32_MTRR_DEF_TYPE with E=0 (MTRRs off), the fixed
 * MTRRs (when fixed_valid), every variable pair, IA32_MTRR_DEF_TYPE as
 * saved, then IA32_MISC_ENABLE (when misc_valid). Validate s first: a
 * reserved bit makes WRMSR fault on hardware. The caller, with interrupts
 * off, must wrap it as the SDM requires ("MTRR Considerations in MP
 * Systems"): CR0.CD=1 (NW=0), WBINVD, [CR4.PGE=0 or flush the TLB],
 * mtrr_restore(), WBINVD, CR0 (and CR4) back. E_MTRR_MSR when a write
 * fails (the MTRRs are then in an unknown state). */
enum rensa_err mtrr_restore(const struct mtrr_ops *ops, const struct mtrr_state *s, struct diag *d);

/* The memory type of physical address addr under s, as the processor
 * resolves it: UC when DEF_TYPE.E=0; the fixed MTRRs below 1 MiB when
 * FE=1 and MTRRCAP.FIX (MTRR_TYPE_UNDEFINED if they were not saved); the
 * variable MTRRs; the default type. MTRR_TYPE_UNDEFINED also for an
 * overlap the SDM leaves undefined.
 * A mask is applied as programmed, so a narrow mask aliases upward. */
unsigned mtrr_effective_type(const struct mtrr_state *s, paddr_t addr);

const char *mtrr_type_name(unsigned type);

#endif
