/* The FACS waking vector around an S3 sleep with a re-launch (include/s3.h). */
#include "platform.h"
#include "rstring.h"
#include "s3.h"
#include "txt_rlp.h"

#define FACS_FW_VECTOR 12u /* Firmware_Waking_Vector, 32 bits (ACPI 6.4 table 5.14) */
#define FACS_X_FW_VECTOR 24u /* X_Firmware_Waking_Vector, 64 bits */

enum rensa_err s3_check(const struct rensa_ctx *ctx, const struct tboot_acpi_sleep_info *a, struct diag *d)
{
    uint64_t k = a->kernel_s3_resume_vector, f = a->wakeup_vector;
    if (!ctx->rlp.page)
        return diag_set(d, E_TXT_S3, "no real-mode page below 1 MiB to wake through");
    if (!k || k >= MiB(1))
        return diag_set(d, E_TXT_S3, "the kernel's waking vector 0x%llx is not below 1 MiB", (unsigned long long)k);
    if (a->vector_width != 32 || f < FACS_FW_VECTOR || (f & 3) || !phys_ptr(f - FACS_FW_VECTOR, 32))
        return diag_set(d, E_TXT_S3, "the FACS waking vector at 0x%llx (%u bits) is unusable", (unsigned long long)f,
                        a->vector_width);
    const uint8_t *facs = phys_ptr(f - FACS_FW_VECTOR, 32);
    uint64_t x;
    memcpy(&x, facs + FACS_X_FW_VECTOR, 8);
    uint32_t len;
    memcpy(&len, facs + 4, 4);
    if (memcmp(facs, "FACS", 4) != 0 || len < 32 || x)
        return diag_set(d, E_TXT_S3, "the FACS at 0x%llx has %s", (unsigned long long)(f - FACS_FW_VECTOR),
                        x     ? "a 64-bit waking vector set"
                        : len < 32 ? "a length under 32 bytes"
                                   : "no FACS signature");
    return E_OK;
}

uint32_t s3_redirect(struct rensa_ctx *ctx, const struct tboot_acpi_sleep_info *a)
{
    struct s3_state *s = &ctx->s3;
    s->facs_vector = a->wakeup_vector;
    s->kernel_vector = (uint32_t)a->kernel_s3_resume_vector;
    s->log_end = ctx->evlog_used;
    s->magic = S3_MAGIC;
    uint32_t wake = ctx->rlp.page + RLP_PAGE_WAKE;
    volatile uint32_t *fv = phys_ptr(s->facs_vector, 4);
    *fv = wake;
    return wake;
}

void s3_restore(struct rensa_ctx *ctx)
{
    volatile uint32_t *fv = phys_ptr(ctx->s3.facs_vector, 4);
    if (fv)
        *fv = ctx->s3.kernel_vector;
}
