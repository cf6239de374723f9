/* Reservations and allocations that keep the hand-off map honest. */
#include "ctx.h"

enum rensa_err ctx_reserve(struct rensa_ctx *ctx, paddr_t base, paddr_t len, const char *what)
{
    enum rensa_err e = alloc_mark_busy(&ctx->alloc, base, len, what, &ctx->diag);
    if (!e)
        e = memmap_set(&ctx->handoff, base, len, E820_RESERVED, &ctx->diag);
    return e;
}

enum rensa_err ctx_alloc(struct rensa_ctx *ctx, paddr_t size, paddr_t align, paddr_t lo, paddr_t hi,
                         unsigned flags, bool reserve, const char *what, paddr_t *out)
{
    enum rensa_err e = alloc_range(&ctx->alloc, size, align, lo, hi, flags, what, out, &ctx->diag);
    if (!e && reserve)
        e = memmap_set(&ctx->handoff, *out, size, E820_RESERVED, &ctx->diag);
    return e;
}
