/* Rensa's pre-launch flow: read what the boot loader passed, set up the
 * console, place everything from the memory map, prepare the kernel and
 * hand off. docs/boot-flow.md walks through it. */
#include "acm.h"
#include "fmt.h"
#include "acpi.h"
#include "ctx.h"
#include "elf_image.h"
#include "kernel.h"
#include "evlog.h"
#include "measure.h"
#include "sha.h"
#include "txt_platform.h"
#include "platform.h"
#include "rstring.h"
#include "s3.h"
#include "io.h"
#include "tboot_shared.h"
#include "sinit.h"
#include "mle.h"
#include "txt_launch.h"
#include "txt_regs.h"
#ifdef RENSA_EMULATED_LAUNCH
#include "emu.h"
#endif
#include "version.h"

ASM_CALL void rensa_main(uint32_t magic, uint32_t mbi);
ASM_CALL void rensa_post_launch(uint32_t ebx, uint32_t ecx);
ASM_CALL void rensa_exception(uint32_t vector, uint32_t error_code, uint32_t eip);
ASM_CALL void rensa_shutdown(void);
ASM_CALL void rensa_s3_resume(void);
ASM_CALL NORETURN void rensa_rlp_main(uint32_t index);
ASM_CALL NORETURN void rlp_to_real(uint32_t vector, uint32_t page, uint32_t slot);
extern char _shutdown_entry[], _rlp_entry[], _s3_entry[], gdt[], gdt_end[];
extern const uint8_t rlp_real16_start[], rlp_real16_rm[], rlp_real16_end[];
extern const uint8_t s3_wake16_start[], s3_wake16_seg[], s3_wake16_end[];

extern char _image_start[], _image_end[], _mle_start[], _mle_end[];

/* The one launch context and the log ring (both in .bss, inside Rensa's
 * reserved image). */
static struct rensa_ctx the_ctx;
static struct log_ring the_log;
/* The event log lives in the image too: reserved with it, and below the
 * last RAM page, where Linux's /dev/mem lets root read it. */
static uint8_t the_evlog[EVLOG_SIZE] __attribute__((aligned(4096)));
/* SINIT selection: the candidates (about 15 KiB) stay off the 16 KiB stack.
 * Owned by rensa_main; the TXT launch (issue #5) reads the choice here. */
static struct sinit_result the_sinit;
/* The tboot shared page, published to the kernel after a launch. */
static struct tboot_shared the_shared __attribute__((aligned(4096)));
/* Where the RLPs' entry (txt/rlp_entry.S) finds their state. */
struct txt_rlp *const rensa_rlp = &the_ctx.rlp;

static NORETURN void take_action(struct rensa_ctx *ctx)
{
    static const char halt[] = "rensa: action: halt\n", reboot[] = "rensa: action: reboot\n";
    if (ctx->opt.on_error == ACTION_REBOOT) {
        console_write(reboot, sizeof(reboot) - 1);
        platform_reboot();
    }
    console_write(halt, sizeof(halt) - 1);
    platform_halt();
}

static NORETURN void fatal(struct rensa_ctx *ctx, enum rensa_err e)
{
    if (ctx->launch.magic == TXT_LAUNCH_MAGIC || ctx->drtm) {
        /* After SENTER the TXT private space is open: record the error
         * where the next boot (txt_platform) and `rensa txt error` read it,
         * as tboot does. */
        uint32_t code = TXT_ERR_RENSA(e);
        platform_launch_ops()->priv_write(NULL, TXT_ERRORCODE, code);
        log_error("TXT.ERRORCODE = 0x%08x for the next boot", code);
    }
    if (ctx->diag.code != e || ctx->diag.msg[0] == '\0')
        diag_set(&ctx->diag, e, "error 0x%x (the host command `rensa errors` and docs/errors.md explain it)",
                 (unsigned)e);
    log_error("%s: %s", err_name(e), ctx->diag.msg);
    take_action(ctx);
}

static void log_memmap(const char *title, const struct memmap *m, enum log_level lvl)
{
    log_msg(lvl, "%s (%u entries):", title, m->n);
    for (unsigned i = 0; i < m->n; i++)
        log_msg(lvl, "  [0x%012llx-0x%012llx) %s", (unsigned long long)m->r[i].base,
                (unsigned long long)(m->r[i].base + m->r[i].len), e820_type_name(m->r[i].type));
}

/* Mark Rensa and every module as in use, and check they are in RAM. */
static void claim_memory(struct rensa_ctx *ctx)
{
    struct boot_info *bi = &ctx->bi;
    ctx->alloc.ram = &bi->mmap;
    ctx->handoff = bi->mmap;
    paddr_t len = ctx->image_end - ctx->image_base;
    if (!memmap_covers(&bi->mmap, ctx->image_base, len, E820_RAM)) {
        diag_set(&ctx->diag, E_LOADER_NOT_IN_RAM, "Rensa at [0x%llx-0x%llx) is not in usable RAM",
                 (unsigned long long)ctx->image_base, (unsigned long long)ctx->image_end);
        fatal(ctx, E_LOADER_NOT_IN_RAM);
    }
    if (ctx_reserve(ctx, ctx->image_base, len, "Rensa"))
        fatal(ctx, ctx->diag.code);
    for (unsigned i = 0; i < bi->mod_count; i++) {
        const struct boot_module *m = &bi->mods[i];
        paddr_t mlen = m->end - m->start;
        if (!memmap_covers(&bi->mmap, m->start, mlen, E820_RAM) || !phys_ptr(m->start, mlen)) {
            diag_set(&ctx->diag, E_MODULE_RANGE, "module %u (%s) at [0x%llx-0x%llx) is not in usable RAM", i,
                     m->cmdline, (unsigned long long)m->start, (unsigned long long)m->end);
            fatal(ctx, E_MODULE_RANGE);
        }
        const struct busy_range *b = alloc_overlap(&ctx->alloc, m->start, mlen);
        if (b) {
            diag_set(&ctx->diag, E_MODULE_RANGE, "module %u (%s) at [0x%llx-0x%llx) overlaps %s", i, m->cmdline,
                     (unsigned long long)m->start, (unsigned long long)m->end, b->what);
            fatal(ctx, E_MODULE_RANGE);
        }
        if (alloc_mark_busy(&ctx->alloc, m->start, mlen, m->cmdline, &ctx->diag))
            fatal(ctx, ctx->diag.code);
    }
}

/* The kernel is the first module that is not a SINIT AC module; SINIT
 * modules are recognised by their header and never handed on. */
static void pick_kernel(struct rensa_ctx *ctx)
{
    struct boot_info *bi = &ctx->bi;
    bool found = false;
    for (unsigned i = 0; i < bi->mod_count; i++) {
        const struct boot_module *m = &bi->mods[i];
        if (acm_is_sinit(phys_ptr(m->start, m->end - m->start), m->end - m->start)) {
            ctx->mod_dropped[i] = true;
            log_info("module %u (%s) is a SINIT AC module: kept for the launch, not handed on", i, m->cmdline);
            continue;
        }
        if (!found) {
            ctx->kernel_mod = i;
            found = true;
        }
    }
    if (!found) {
        diag_set(&ctx->diag, E_NO_KERNEL, "%u module(s) given and none is a kernel: "
                 "the first module must be the kernel (Linux bzImage or ELF/Multiboot)", bi->mod_count);
        fatal(ctx, E_NO_KERNEL);
    }
}

/* Measure everything handed on (docs/measurements.md) and tell the kernel
 * where Rensa's log and the event log are and what this boot was. */
static void measure(struct rensa_ctx *ctx)
{
    bool ni = sha_ni_enable();
    log_info("hashing with %s", ni ? "SHA-NI" : "the portable code (no SHA extensions)");
    if (measure_boot(ctx, &ctx->diag))
        fatal(ctx, ctx->diag.code);
    if (!ctx->drtm)
        log_warn("no dynamic root of trust: this boot is not a TXT measured launch (rensa.drtm=0)");
    if (ctx->measured) {
        log_info("TPM %s (%s): %u events measured with %u PCR extends at locality 2 (%u TPM commands in all); "
                 "event log at 0x%llx, %u bytes",
                 ctx->tpm.family == TPM_FAMILY_12 ? "1.2" : "2.0",
                 ctx->tpm.iface == TPM_IF_CRB ? "CRB" : ctx->tpm.iface == TPM_IF_FIFO ? "FIFO" : "TIS",
                 ctx->events, ctx->tpm_commands, ctx->tpm.commands, (unsigned long long)ctx->evlog_base,
                 ctx->evlog_used);
    } else {
        log_warn("no TPM: this boot is not measured (rensa.measured=0; tpm=required would halt)");
    }
    size_t n = (size_t)fmt_snprintf(ctx->kernel_cmdline_extra, sizeof(ctx->kernel_cmdline_extra),
                                    "rensa.log=0x%llx,0x%llx rensa.drtm=%d rensa.measured=%d",
                                    (unsigned long long)ptr_phys(&the_log), (unsigned long long)sizeof(the_log),
                                    ctx->drtm ? 1 : 0, ctx->measured ? 1 : 0);
    if (ctx->measured)
        n += (size_t)fmt_snprintf(ctx->kernel_cmdline_extra + n, sizeof(ctx->kernel_cmdline_extra) - n,
                                  " rensa.evlog=0x%llx,0x%x", (unsigned long long)ctx->evlog_base, ctx->evlog_used);
    /* Processors parked after the launch ignore INIT and SIPI; a kernel
     * would wait for each in vain (Linux 10 s a processor). */
    const char *k = ctx->bi.mods[ctx->kernel_mod].cmdline;
    if (ctx->rlp.joined && !cmdline_has_word(k, "maxcpus=") && !cmdline_has_word(k, "nr_cpus=") &&
        !cmdline_has_word(k, "nosmp")) {
        log_warn("the kernel gets maxcpus=1: %u processor(s) parked (docs/txt-launch.md)", ctx->rlp.joined);
        n += (size_t)fmt_snprintf(ctx->kernel_cmdline_extra + n, sizeof(ctx->kernel_cmdline_extra) - n,
                                  " maxcpus=1");
    }
    /* A Multiboot kernel (Xen) finds the shared page through tboot=, as
     * tboot tells it; Linux through boot_params.tboot_addr. */
    const struct boot_module *km = &ctx->bi.mods[ctx->kernel_mod];
    const uint8_t *h = phys_ptr(km->start, 4);
    if (ctx->shared_page && h && km->end - km->start >= 4 && memcmp(h, ELF_MAGIC, 4) == 0)
        fmt_snprintf(ctx->kernel_cmdline_extra + n, sizeof(ctx->kernel_cmdline_extra) - n, " tboot=0x%llx",
                     (unsigned long long)ctx->shared_page);
}

/* The ACPI DMAR table, through the RSDP the boot loader gave (or the
 * BIOS areas). */
static int dmar_present(void *unused)
{
    (void)unused;
    struct diag d;
    paddr_t a;
    uint32_t len;
    const struct boot_info *bi = &the_ctx.bi;
    enum rensa_err e = acpi_find(bi->rsdp_len ? bi->rsdp : NULL, bi->rsdp_len, "DMAR", &a, &len, &d);
    return e == E_OK ? 1 : e == E_ACPI_NO_TABLE ? 0 : -1;
}

/* Can this machine do a TXT measured launch, and if not, why not: every
 * check of docs/txt-errors.md with its result, and a previous launch's
 * TXT.ERRORCODE decoded into words. */
static enum txt_verdict txt_platform(struct diag *d_out)
{
    static struct txt_platform_report r; /* 3.5 KiB: kept off the stack */
    struct diag d;
    struct txt_platform_ops ops = *platform_txt_ops();
    ops.dmar = dmar_present;
#ifdef RENSA_EMULATED_LAUNCH
    if (emu_active())
        ops.dmar = emu_dmar; /* the emulated chipset's VT-d (QEMU's DMAR would make Linux panic, docs) */
#endif
    enum txt_verdict v = txt_platform_check(&ops, &r, &d);
    *d_out = d;
    for (unsigned i = 0; i < TXT_CHK_COUNT; i++) {
        const struct txt_check *c = &r.checks[i];
        enum log_level lvl = c->status == TXT_CHECK_PASS || c->status == TXT_CHECK_NA ? LOG_DEBUG : LOG_INFO;
        log_msg(lvl, "TXT check %s: %s: %s", c->name, txt_check_status_name(c->status), c->text);
    }
    if (v == TXT_CAN_LAUNCH)
        log_info("TXT: this platform passes every check for a measured launch");
    else
        log_info("TXT: this platform %s do a measured launch: %s: %s",
                 v == TXT_CANNOT_LAUNCH ? "cannot" : "may not be able to", err_name(d.code), d.msg);
    return v;
}

/* Choose the SINIT for the launch and put it at TXT.SINIT.BASE
 * (docs/sinit.md). Only with SMX (CPUID.1:ECX bit 6): without it there are
 * no TXT registers to read and no launch. */
static enum rensa_err select_sinit(struct rensa_ctx *ctx, struct diag *dout)
{
    struct sinit_result *r = &the_sinit;
    struct diag d;
    enum rensa_err e = sinit_select(ctx, platform_acm_ops(), r, &d);
    if (r->heap_size || r->region.size)
        log_info("TXT: SINIT region [0x%llx+0x%llx), BiosSinitSize %llu; heap [0x%llx+0x%llx); "
                 "DIDVID 0x%016llx, CPUID.1:EAX 0x%x, %s platform",
                 (unsigned long long)r->region.base, (unsigned long long)r->region.size,
                 (unsigned long long)r->region.bios_sinit_size, (unsigned long long)r->heap_base,
                 (unsigned long long)r->heap_size, (unsigned long long)r->platform.didvid, r->platform.fms,
                 acm_platform_type_name(r->platform.platform_type));
    for (unsigned i = 0; i < r->n; i++) {
        const struct sinit_line *l = &r->line[i];
        char who[16];
        if (l->chosen)
            log_info("SINIT candidate %s [0x%llx+0x%llx): chosen", sinit_source_name(l, who, sizeof(who)),
                     (unsigned long long)l->phys, (unsigned long long)l->len);
        else
            log_info("SINIT candidate %s [0x%llx+0x%llx): not used: %s", sinit_source_name(l, who, sizeof(who)),
                     (unsigned long long)l->phys, (unsigned long long)l->len, l->why);
    }
    if (e) {
        *dout = d;
        return e;
    }
    char who[16];
    log_info("SINIT: %s, dated %08x, TXT SVN %u, ACM version %u revision %u.%u.%u, OS-to-SINIT data version %u; "
             "%s TXT.SINIT.BASE 0x%llx",
             sinit_source_name(&r->line[r->choice.chosen], who, sizeof(who)), r->date, r->txt_svn, r->acm_ver,
             r->acm_revision[0], r->acm_revision[1], r->acm_revision[2], r->os_sinit_ver,
             r->installed ? "copied to" : "already at", (unsigned long long)r->region.base);
    return E_OK;
}

/* The launch policy for "no measured launch": drtm=required makes it
 * fatal; otherwise Rensa says so and boots measured without a DRTM
 * (rensa.drtm=0 and the EV_RENSA_NO_DRTM event). */
static void no_launch(struct rensa_ctx *ctx, enum rensa_err e, const struct diag *d)
{
    if (ctx->opt.drtm_required) {
        log_error("%s: %s", err_name(e), d->msg);
        diag_set(&ctx->diag, E_NO_DRTM, "drtm=required and there is no measured launch (%s)", err_name(e));
        fatal(ctx, E_NO_DRTM);
    }
    log_warn("no measured launch: %s: %s; continuing without a dynamic root of trust (drtm=optional)",
             err_name(e), d->msg);
}

/* Everything up to GETSEC[SENTER] (docs/txt-launch.md). Returns only when
 * there is no launch; a launch continues in rensa_post_launch. */
static void launch(struct rensa_ctx *ctx)
{
    unsigned n_mods = 0;
    for (unsigned i = 0; i < ctx->bi.mod_count; i++)
        n_mods += ctx->mod_dropped[i] ? 1u : 0u;
#ifdef RENSA_EMULATED_LAUNCH
    log_warn("TEST BUILD: the TXT platform, GETSEC[SENTER] and SINIT are emulated (docs/emulated-launch.md)");
    if (emu_platform_init(ctx))
        fatal(ctx, ctx->diag.code);
#endif
    struct diag d;
    enum txt_verdict v = txt_platform(&d);
    if (!platform_has_smx()) {
        log_info("no SMX: no TXT launch on this machine; %u SINIT module(s) not used", n_mods);
        diag_set(&d, E_TXT_NO_SMX, "this processor has no SMX (CPUID.1:ECX bit 6), so GETSEC[SENTER] cannot run");
        if (ctx->opt.drtm_required)
            no_launch(ctx, E_TXT_NO_SMX, &d);
        return;
    }
    if (v == TXT_CANNOT_LAUNCH)
        {
        no_launch(ctx, d.code, &d);
        return;
    }
    if (d.code == E_TXT_PREV_ERROR) {
        struct diag d2;
        diag_set(&d2, E_TXT_LAUNCH_SKIPPED, "the previous launch failed (%s); not trying again until the "
                 "error is cleared by a power cycle", d.msg);
        {
        no_launch(ctx, E_TXT_LAUNCH_SKIPPED, &d2);
        return;
    }
    }
    enum rensa_err e = select_sinit(ctx, &d);
    if (e)
        {
        no_launch(ctx, e, &d);
        return;
    }
    if ((e = measure_launch_prepare(ctx, &d)))
        {
        no_launch(ctx, e, &d);
        return;
    }
    log_info("TXT: launching: MLE [0x%llx+0x%llx), GETSEC[SENTER] with SINIT at 0x%llx",
             (unsigned long long)ctx->mle_base, (unsigned long long)ctx->mle_size,
             (unsigned long long)the_sinit.region.base);
    e = txt_launch(ctx, &the_sinit, platform_launch_ops(), &d);
    no_launch(ctx, e, &d);
}

/* Measure, prepare the kernel, hand off: the same for a launch and none. */
static NORETURN void finish(struct rensa_ctx *ctx)
{
    measure(ctx);
    struct kernel_entry ke;
    if (kernel_prepare(ctx, &ke, &ctx->diag))
        fatal(ctx, ctx->diag.code);
    log_memmap("memory map handed on", &ctx->handoff, LOG_DEBUG);
    log_info("starting %s kernel at 0x%x", ke.kind == KERNEL_LINUX ? "Linux" : "Multiboot", ke.eip);
    kernel_jump(&ke);
}

ASM_CALL void rensa_main(uint32_t magic, uint32_t mbi)
{
    struct rensa_ctx *ctx = &the_ctx;
    ctx->magic = magic;
    ctx->mbi = mbi;
    ctx->image_base = ptr_phys(_image_start);
    ctx->image_end = ptr_phys(_image_end);

    options_default(&ctx->opt);
    clock_init(&ctx->clock);
    console_init(&ctx->con, &ctx->opt, &the_log, &ctx->clock);
    log_info("Rensa %s, measured-launch loader", RENSA_VERSION);

    if (boot_info_parse(magic, mbi, &ctx->bi, &ctx->diag))
        fatal(ctx, ctx->diag.code);
    enum rensa_err e = options_parse(ctx->bi.cmdline, &ctx->opt, &ctx->diag);
    if (ctx->bi.fb.present && ctx->bi.fb.type != 2)
        ctx->opt.vga = false; /* a graphics mode: no VGA text buffer */
    console_init(&ctx->con, &ctx->opt, &the_log, &ctx->clock);
    log_info("command line: \"%s\"", ctx->bi.cmdline);
    if (e)
        fatal(ctx, e);
    log_info("started by %s via Multiboot%u; image [0x%llx-0x%llx); TSC %llu kHz",
             ctx->bi.loader_name[0] ? ctx->bi.loader_name : "an unnamed loader", ctx->bi.mb_version,
             (unsigned long long)ctx->image_base, (unsigned long long)ctx->image_end,
             (unsigned long long)ctx->clock.tsc_per_ms);
    log_memmap("memory map from the boot loader", &ctx->bi.mmap, LOG_DEBUG);
    for (unsigned i = 0; i < ctx->bi.mod_count; i++)
        log_info("module %u: [0x%llx-0x%llx) \"%s\"", i, (unsigned long long)ctx->bi.mods[i].start,
                 (unsigned long long)ctx->bi.mods[i].end, ctx->bi.mods[i].cmdline);
    if (ctx->bi.mod_count == 0) {
        diag_set(&ctx->diag, E_NO_KERNEL, "no modules given: load the kernel as the first module "
                 "(GRUB: 'module' or 'module2' after 'multiboot'/'multiboot2')");
        fatal(ctx, E_NO_KERNEL);
    }

    claim_memory(ctx);
    pick_kernel(ctx);
    ctx->mle_base = ptr_phys(_mle_start);
    ctx->mle_size = (uint64_t)(_mle_end - _mle_start);
    ctx->mle_hdr_off = ptr_phys(&rensa_mle_header) - ctx->mle_base;
    ctx->mle_entry_off = rensa_mle_header.entry_point;
    ctx->mle_caps = rensa_mle_header.capabilities;
    ctx->evlog_base = ptr_phys(the_evlog);

    launch(ctx);
    finish(ctx);
}

/* After the re-launch on S3 resume (docs/txt-launch.md "S3"): measure
 * the policy and EV_RENSA_S3_RESUME (the kernel in memory is not measured
 * again), give the firmware's waking vector back to the kernel and leave
 * for the kernel's own, in real mode, as the firmware would have. */
static NORETURN void s3_return(struct rensa_ctx *ctx)
{
    struct s3_state *s3 = &ctx->s3;
    if (measure_boot(ctx, &ctx->diag))
        fatal(ctx, ctx->diag.code);
    if (s3->log_end > ctx->evlog_used) /* the boot's events past the new ones */
        memset(the_evlog + ctx->evlog_used, 0, s3->log_end - ctx->evlog_used);
    s3_restore(ctx);
    s3->resumes++;
    s3->resuming = false;
    log_info("S3 resume %u: launched and measured (%u bytes of log); to the kernel at 0x%x", s3->resumes,
             ctx->evlog_used, s3->kernel_vector);
    rlp_to_real(s3->kernel_vector, ctx->rlp.page, RLP_PAGE_BSP);
}

/* SINIT's return (entry.S): check what it left, then measure and boot. The
 * launch context survived in .bss (the post-launch entry does not clear
 * it); txt_post_launch checks it is a launch Rensa started. */
ASM_CALL void rensa_post_launch(uint32_t ebx, uint32_t ecx)
{
    struct rensa_ctx *ctx = &the_ctx;
    console_init(&ctx->con, &ctx->opt, &the_log, &ctx->clock);
    log_info("post-launch: SINIT entered the MLE at 0x%x (EBX), MLE page table at 0x%x (ECX)", ebx, ecx);
    const struct txt_rlp_code rlp = {ptr_phys(gdt), (uint32_t)(gdt_end - gdt - 1), ptr_phys(_rlp_entry),
                                     rlp_real16_start, (uint32_t)(rlp_real16_end - rlp_real16_start),
                                     (uint32_t)(rlp_real16_rm - rlp_real16_start), s3_wake16_start,
                                     (uint32_t)(s3_wake16_end - s3_wake16_start),
                                     (uint32_t)(s3_wake16_seg - s3_wake16_start), ptr_phys(_s3_entry)};
    if (txt_post_launch(ctx, platform_launch_ops(), &rlp, ebx, ecx, &ctx->diag))
        fatal(ctx, ctx->diag.code);
    const struct txt_sinit_mle_data *s = &ctx->sinit_mle;
    log_info("TXT: measured launch verified: SinitMleData v%u, MLE hash %02x%02x%02x%02x..., MTRRs restored; "
             "%u MDRs", s->version, s->mle_hash[0], s->mle_hash[1], s->mle_hash[2], s->mle_hash[3], s->num_mdrs);
    static const uint8_t uuid[16] = TBOOT_SHARED_UUID_BYTES;
    struct tboot_shared *sp = &the_shared;
    memcpy(sp->uuid, uuid, sizeof(uuid));
    sp->version = TBOOT_SHARED_VERSION;
    sp->shutdown_entry = (uint32_t)ptr_phys(_shutdown_entry);
    sp->tboot_base = (uint32_t)ctx->image_base;
    sp->tboot_size = (uint32_t)(ctx->image_end - ctx->image_base);
    if (ctx->rlp.count) {
        log_info("TXT: %u other processor(s) joined and parked", ctx->rlp.joined);
        sp->num_in_wfs = ctx->rlp.joined;
        sp->flags |= TB_FLAG_AP_WAKE_SUPPORT;
        sp->ap_wake_trigger = TB_AP_WAKE_NONE;
    }
    ctx->shared_page = ptr_phys(sp);
    __atomic_store_n(&ctx->rlp.shared, (uint32_t)ctx->shared_page, __ATOMIC_SEQ_CST);
    if (ctx->s3.resuming)
        s3_return(ctx);
    finish(ctx);
}

/* Each RLP after _rlp_entry: its MTRRs back, then parked until the kernel
 * names it in the shared page's ap_wake_trigger (include/txt_rlp.h). */
ASM_CALL void rensa_rlp_main(uint32_t index)
{
    struct rensa_ctx *ctx = &the_ctx;
    const struct txt_launch_ops *ops = platform_launch_ops();
    if (!txt_rlp_join(ctx, ops))
        platform_halt();
    uint32_t id = platform_apic_id();
    bool mwait = platform_has_monitor();
    volatile struct tboot_shared *sp;
    while (!(sp = (volatile struct tboot_shared *)(uintptr_t)__atomic_load_n(&ctx->rlp.shared, __ATOMIC_SEQ_CST)))
        ops->pause(ops->ctx);
    /* 4-byte aligned inside the page (offsets 564 and 580) */
    volatile uint32_t *wfs = (volatile uint32_t *)((uintptr_t)sp + offsetof(struct tboot_shared, num_in_wfs));
    volatile uint32_t *trigger = (volatile uint32_t *)((uintptr_t)sp + offsetof(struct tboot_shared, ap_wake_trigger));
    for (;;) {
        if (mwait)
            __asm__ volatile("monitor" : : "a"(trigger), "c"(0u), "d"(0u));
        if (*trigger == id) {
            uint64_t v = sp->ap_wake_addr;
            /* a real-mode start: a 4 KiB-aligned vector below 1 MiB */
            if (v && v < MiB(1) && !(v & 0xFFFu))
                break;
        }
        if (mwait)
            __asm__ volatile("mwait" : : "a"(0u), "c"(0u) : "memory");
        else
            ops->pause(ops->ctx);
    }
    __atomic_sub_fetch(wfs, 1, __ATOMIC_SEQ_CST);
    rlp_to_real((uint32_t)sp->ap_wake_addr, ctx->rlp.page, RLP_PAGE_SLOTS + 4 * index);
}

/* The kernel leaves the measured environment (entry.S _shutdown_entry):
 * cap PCRs 17-19, clear secrets, close the private space, GETSEC[SEXIT],
 * then do what it asked. S3 first saves the TPM state and points the
 * FACS waking vector at Rensa, which launches again on resume
 * (rensa_s3_resume); S4 and S5 need nothing more (docs/txt-launch.md
 * "Shutdown" and "S3"). */
ASM_CALL void rensa_shutdown(void)
{
    struct rensa_ctx *ctx = &the_ctx;
    const struct tboot_shared *sp = &the_shared;
    console_init(&ctx->con, &ctx->opt, &the_log, &ctx->clock);
    uint32_t type = sp->shutdown_type;
    log_info("shutdown: the kernel asks for %s", type == TB_SHUTDOWN_REBOOT ? "a reboot" : type == TB_SHUTDOWN_S5 ? "S5"
             : type == TB_SHUTDOWN_S4 ? "S4" : type == TB_SHUTDOWN_S3 ? "S3" : "a halt");
    const struct tboot_acpi_sleep_info *a = &sp->acpi_sinfo;
    bool s3 = type == TB_SHUTDOWN_S3;
    struct diag d, d3;
    enum rensa_err s3e = s3 ? s3_check(ctx, a, &d3) : E_OK;
    uint16_t alg = 0;
    uint8_t pcr17[EVLOG_DIGEST_MAX];
    bool capped = measure_cap(ctx, &alg, pcr17, &d) == E_OK;
    if (capped) {
        char hex[2 * EVLOG_DIGEST_MAX + 1];
        size_t n = tpm_alg_digest_size(alg);
        for (size_t i = 0; i < n; i++)
            fmt_snprintf(hex + 2 * i, 3, "%02x", pcr17[i]);
        hex[2 * n] = '\0';
        log_info("shutdown: PCR17 %s is now %s", tpm_alg_name(alg), hex);
    } else {
        log_error("%s: %s", err_name(d.code), d.msg);
    }
    if (s3 && !s3e)
        s3e = measure_save_state(ctx, &d3);
    txt_exit(platform_launch_ops());
    ctx->drtm = false;
    log_info("shutdown: PCRs 17-19 %s, secrets cleared, GETSEC[SEXIT] done", capped ? "capped" : "NOT capped");
    if (type == TB_SHUTDOWN_REBOOT)
        platform_reboot();
    if (s3 && s3e) {
        /* Sleeping anyway would resume the kernel without a launch. */
        diag_set(&ctx->diag, E_TXT_S3, "S3 refused (its resume would not be measured): %s: %s",
                 err_name(s3e), d3.msg);
        fatal(ctx, E_TXT_S3);
    }
    if (s3) {
        uint32_t wake = s3_redirect(ctx, a);
        log_info("S3: waking vector 0x%x (Rensa, to launch again; the kernel's: 0x%x)", wake, ctx->s3.kernel_vector);
        platform_wbinvd();
    }
    if (type == TB_SHUTDOWN_S5 || type == TB_SHUTDOWN_S4 || s3) {
        if (a->pm1b_cnt_blk.space_id == 1 && a->pm1b_cnt_blk.address)
            outw((uint16_t)a->pm1b_cnt_blk.address, a->pm1b_cnt_val);
        if (a->pm1a_cnt_blk.space_id == 1)
            outw((uint16_t)a->pm1a_cnt_blk.address, a->pm1a_cnt_val);
        else if (a->pm1a_cnt_blk.space_id == 0 && phys_ptr(a->pm1a_cnt_blk.address, 4))
            mmio_write32(a->pm1a_cnt_blk.address, a->pm1a_cnt_val);
    }
    platform_halt();
}

/* Back from S3 (entry.S _s3_entry, through the waking stub): a new
 * measured launch with the boot's SINIT, heap, MLE page table and
 * real-mode page, all still in place; rensa_post_launch then ends in
 * s3_return. Any failure is fatal: the kernel never resumes unmeasured. */
ASM_CALL void rensa_s3_resume(void)
{
    struct rensa_ctx *ctx = &the_ctx;
    struct s3_state *s3 = &ctx->s3;
    console_init(&ctx->con, &ctx->opt, &the_log, &ctx->clock);
    log_info("S3 resume %u: launching again", s3->resumes + 1);
    if (s3->magic != S3_MAGIC) {
        diag_set(&ctx->diag, E_TXT_S3, "woken from an S3 that Rensa did not enter");
        fatal(ctx, E_TXT_S3);
    }
    s3->magic = 0;
    s3->resuming = true;
    ctx->measured = false;
    ctx->events = ctx->tpm_commands = 0;
    struct diag d;
    enum rensa_err e = measure_launch_prepare(ctx, &d);
    if (!e)
        e = txt_launch(ctx, &the_sinit, platform_launch_ops(), &d);
    diag_set(&ctx->diag, E_TXT_S3, "the launch after S3 failed: %s: %s", err_name(e ? e : d.code), d.msg);
    fatal(ctx, E_TXT_S3);
}

ASM_CALL void rensa_exception(uint32_t vector, uint32_t error_code, uint32_t eip)
{
    struct rensa_ctx *ctx = &the_ctx;
    diag_set(&ctx->diag, E_CPU_EXCEPTION, "vector %u, error code 0x%x, at EIP 0x%x", vector, error_code, eip);
    fatal(ctx, E_CPU_EXCEPTION);
}
