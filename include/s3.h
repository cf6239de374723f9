/* S3 with a new measured launch on resume (docs/txt-launch.md "S3"): the
 * FACS waking vector is pointed at the waking stub in the launch's
 * real-mode page (include/txt_rlp.h) for the sleep, and given back to the
 * kernel after the re-launch. loader/main.c does the rest. */
#ifndef RENSA_S3_H
#define RENSA_S3_H

#include "ctx.h"
#include "tboot_shared.h"

/* Can the firmware be made to wake Rensa? A real-mode page from the
 * launch, the kernel's waking vector below 1 MiB, and a 32-bit waking
 * vector in a table signed "FACS" whose 64-bit X_Firmware_Waking_Vector
 * is clear (a firmware prefers that one and would resume the kernel
 * without Rensa). E_TXT_S3 naming what is wrong; nothing is changed. */
enum rensa_err s3_check(const struct rensa_ctx *ctx, const struct tboot_acpi_sleep_info *a, struct diag *d);

/* After s3_check: keep the kernel's vector and the FACS field's address
 * in ctx->s3 (with S3_MAGIC) and write the waking stub's address into the
 * FACS. Returns that address. */
uint32_t s3_redirect(struct rensa_ctx *ctx, const struct tboot_acpi_sleep_info *a);

/* After the re-launch: the kernel's vector back into the FACS. */
void s3_restore(struct rensa_ctx *ctx);

#endif
