/* All launch state lives here, in one structure passed by pointer: nothing
 * about the launch is kept in scattered globals. */
#ifndef RENSA_CTX_H
#define RENSA_CTX_H

#include "boot_info.h"
#include "console.h"
#include "diag.h"
#include "memmap.h"
#include "mtrr.h"
#include "options.h"
#include "timer.h"
#include "tpm.h"
#include "txt_heap.h"
#include "txt_rlp.h"

#define KERNEL_CMDLINE_EXTRA 256u

/* What the launch keeps for the post-launch pass (txt/launch.c). */
#define TXT_LAUNCH_MAGIC 0x4c4e5352u /* "RSNL": a launch is in progress */
struct txt_launch {
    uint32_t magic;
    paddr_t ptab; /* the MLE page table */
    uint32_t sinit_size;
    paddr_t heap_base;
    uint64_t heap_size;
    uint32_t caps; /* OsSinitData.Capabilities */
    struct txt_pmr pmr; /* as computed before SENTER, with the RAM it leaves out */
    struct txt_os_sinit_data os_sinit; /* as Rensa wrote it */
    struct txt_heap_view view; /* scratch for heap_verify (kept off the stack) */
    struct mtrr_state mtrr_saved; /* MTRRs and IA32_MISC_ENABLE before the launch */
    uint64_t mdr_reserved; /* bytes of RAM no GOOD MDR of SINIT's covered, reserved */
};

/* S3 (loader/main.c, docs/txt-launch.md "S3"): what an S3 sleep keeps
 * for the re-launch on resume. */
#define S3_MAGIC 0x33534e52u /* "RNS3": entered S3 with the waking vector redirected */
struct s3_state {
    uint32_t magic;
    paddr_t facs_vector; /* the FACS firmware waking vector's address (Linux: acpi_sinfo.wakeup_vector) */
    uint32_t kernel_vector; /* the kernel's own real-mode waking vector (acpi_sinfo.kernel_s3_resume_vector) */
    uint32_t resumes; /* S3 re-launches since the boot */
    uint32_t log_end; /* the event log's bytes in use at the S3 entry */
    bool resuming; /* between _s3_entry and the return to the kernel */
};

struct rensa_ctx {
    uint32_t magic; /* EAX from the boot loader */
    paddr_t mbi; /* EBX from the boot loader */
    paddr_t image_base, image_end; /* Rensa itself, from the linker */

    struct options opt;
    struct clock clock;
    struct console con;
    struct boot_info bi;

    struct memmap handoff; /* the map the next kernel receives */
    struct allocator alloc; /* what is in use now */

    unsigned kernel_mod; /* index of the kernel in bi.mods */
    bool mod_dropped[BOOT_MODS_MAX]; /* not handed on (e.g. a SINIT AC module) */

    /* Measurement (loader/measure.c, docs/measurements.md) */
    struct tpm tpm;
    bool tpm_present;
    bool drtm; /* launched through GETSEC[SENTER] and verified (txt_post_launch) */
    bool measured;
    paddr_t evlog_base; /* EVLOG_SIZE bytes inside Rensa's reserved image */
    uint32_t evlog_used;
    unsigned events; /* events logged */
    unsigned tpm_commands; /* PCR extends sent */

    /* The MLE (from the linker script) and the launch. */
    paddr_t mle_base;
    uint64_t mle_size, mle_hdr_off, mle_entry_off;
    uint32_t mle_caps;
    struct txt_launch launch;
    struct txt_rlp rlp; /* the other processors after the launch (txt/rlp.c) */
    struct txt_sinit_mle_data sinit_mle; /* SINIT's record of what it measured */
    paddr_t shared_page; /* the tboot shared page after a launch, else 0 */
    struct s3_state s3;

    /* Words Rensa appends to the kernel's command line (e.g. rensa.log=). */
    char kernel_cmdline_extra[KERNEL_CMDLINE_EXTRA];

    struct diag diag; /* the last error */
};

/* Reserve [base, base+len) in the hand-off map and mark it busy. */
enum rensa_err ctx_reserve(struct rensa_ctx *ctx, paddr_t base, paddr_t len, const char *what);
/* Allocate from free RAM; the range is reserved in the hand-off map when
 * 'reserve' is true (it must survive into the OS). */
enum rensa_err ctx_alloc(struct rensa_ctx *ctx, paddr_t size, paddr_t align, paddr_t lo, paddr_t hi,
                         unsigned flags, bool reserve, const char *what, paddr_t *out);

#endif
