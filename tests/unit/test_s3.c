/* The FACS waking vector around an S3 sleep (loader/s3.c): every reason
 * s3_check refuses, and the vector redirected to the real-mode page's stub
 * and given back. */
#include <stdlib.h>
#include "rstring.h"
#include "s3.h"
#include "sim.h"
#include "txt_rlp.h"
#include "unit.h"

#define FACS 0x7fe0000ull /* the FACS (ACPI NVS), 64 bytes */
#define PAGE 0x9c000u /* the launch's real-mode page */
#define KERNEL_VECTOR 0x961f0u

struct s3_fix {
    struct rensa_ctx *ctx;
    struct tboot_acpi_sleep_info a;
    uint8_t *facs;
};

static void setup(struct s3_fix *f)
{
    sim_reset();
    f->facs = sim_map(FACS, 64);
    memset(f->facs, 0, 64);
    memcpy(f->facs, "FACS", 4);
    f->facs[4] = 64;
    uint32_t linux_vector = KERNEL_VECTOR;
    memcpy(f->facs + 12, &linux_vector, 4); /* as Linux set it before the sleep */
    f->ctx = calloc(1, sizeof(*f->ctx));
    f->ctx->rlp.page = PAGE;
    f->ctx->evlog_used = 960;
    memset(&f->a, 0, sizeof(f->a));
    f->a.wakeup_vector = FACS + 12;
    f->a.vector_width = 32;
    f->a.kernel_s3_resume_vector = KERNEL_VECTOR;
}

static void done(struct s3_fix *f)
{
    free(f->ctx);
}

static uint32_t facs_vector(const struct s3_fix *f)
{
    uint32_t v;
    memcpy(&v, f->facs + 12, 4);
    return v;
}

/* Refused with E_TXT_S3 and a message containing text; the FACS untouched. */
static void refused(struct s3_fix *f, const char *text)
{
    struct diag d;
    memset(&d, 0, sizeof(d));
    CHECK_EQ(s3_check(f->ctx, &f->a, &d), E_TXT_S3);
    CHECK(strstr(d.msg, text) != NULL);
    CHECK_EQ(facs_vector(f), KERNEL_VECTOR);
    done(f);
}

TEST(s3_redirects_the_facs_vector_and_gives_it_back)
{
    struct s3_fix f;
    setup(&f);
    struct diag d;
    CHECK_EQ(s3_check(f.ctx, &f.a, &d), E_OK);
    CHECK_EQ(s3_redirect(f.ctx, &f.a), PAGE + RLP_PAGE_WAKE);
    CHECK_EQ(facs_vector(&f), PAGE + RLP_PAGE_WAKE);
    CHECK_EQ(f.ctx->s3.magic, S3_MAGIC);
    CHECK_EQ(f.ctx->s3.kernel_vector, KERNEL_VECTOR);
    CHECK_EQ(f.ctx->s3.facs_vector, FACS + 12);
    CHECK_EQ(f.ctx->s3.log_end, 960);
    uint64_t x;
    memcpy(&x, f.facs + 24, 8);
    CHECK_EQ(x, 0);
    s3_restore(f.ctx);
    CHECK_EQ(facs_vector(&f), KERNEL_VECTOR);
    done(&f);
}

TEST(s3_refuses_without_a_real_mode_page)
{
    struct s3_fix f;
    setup(&f);
    f.ctx->rlp.page = 0;
    refused(&f, "no real-mode page");
}

TEST(s3_refuses_a_kernel_vector_not_below_1mib)
{
    struct s3_fix f;
    setup(&f);
    f.a.kernel_s3_resume_vector = 0x100000;
    refused(&f, "0x100000 is not below 1 MiB");
    setup(&f);
    f.a.kernel_s3_resume_vector = 0;
    refused(&f, "not below 1 MiB");
}

TEST(s3_refuses_a_64_bit_or_misplaced_waking_vector)
{
    struct s3_fix f;
    setup(&f);
    f.a.vector_width = 64;
    refused(&f, "(64 bits) is unusable");
    setup(&f);
    f.a.wakeup_vector = FACS + 14;
    refused(&f, "unusable");
    setup(&f);
    f.a.wakeup_vector = 8;
    refused(&f, "unusable");
    setup(&f);
    f.a.wakeup_vector = 0x40000000ull + 12; /* not memory */
    refused(&f, "unusable");
}

TEST(s3_refuses_a_facs_without_signature)
{
    struct s3_fix f;
    setup(&f);
    memcpy(f.facs, "FACP", 4);
    refused(&f, "no FACS signature");
}

/* The X vector is read only from a FACS that says it has one. */
TEST(s3_refuses_a_short_facs)
{
    struct s3_fix f;
    setup(&f);
    f.facs[4] = 24;
    refused(&f, "a length under 32 bytes");
}

/* The firmware would take X_Firmware_Waking_Vector and resume the kernel
 * without Rensa. */
TEST(s3_refuses_a_facs_with_the_64_bit_vector_set)
{
    struct s3_fix f;
    setup(&f);
    uint64_t x = KERNEL_VECTOR;
    memcpy(f.facs + 24, &x, 8);
    refused(&f, "64-bit waking vector set");
}
