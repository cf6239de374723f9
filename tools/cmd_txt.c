/* rensa txt: TXT error codes in words, and "can this machine do a measured
 * launch?" (docs/cli.md, docs/txt-errors.md).
 *
 *   rensa txt error CODE [--ests X] [--e2sts X] [--json]
 *   rensa txt check [--json]
 *
 * The checks are the loader's own (txt/platform_check.c); here the machine
 * is read with the cpuid instruction, /dev/cpu/0/msr and /dev/mem.
 * RENSA_DEV_MEM and RENSA_CPU_MSR replace those two files (tests). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif
#include "commands.h"
#include "errors.h"
#include "txt_error.h"
#include "txt_platform.h"
#include "txt_regs.h"

static int usage(void)
{
    fprintf(stderr, "usage: rensa txt error CODE [--ests X] [--e2sts X] [--json]\n"
                    "       rensa txt check [--json]\n");
    return EXIT_USAGE;
}

static int parse_u64(const char *s, uint64_t *out)
{
    char *end;
    if (!s || !*s || *s == '-')
        return 0;
    errno = 0;
    *out = strtoull(s, &end, 0);
    return *end == '\0' && errno == 0;
}

/* Prints text (lines ending in '\n') as a JSON array of strings. */
static void json_lines(const char *text)
{
    printf("[");
    int first = 1;
    while (*text) {
        const char *nl = strchr(text, '\n');
        size_t n = nl ? (size_t)(nl - text) : strlen(text);
        char *line = strndup(text, n);
        printf("%s", first ? "" : ", ");
        json_string(line ? line : "");
        free(line);
        first = 0;
        text += n + (nl ? 1 : 0);
    }
    printf("]");
}

static const char *source_name(enum txt_err_source s)
{
    switch (s) {
    case TXT_SRC_NONE:
        return "none";
    case TXT_SRC_PROCESSOR:
        return "processor";
    case TXT_SRC_ACM:
        return "acm";
    case TXT_SRC_SOFTWARE:
        return "software";
    }
    return "?";
}

static int txt_error(int argc, char **argv)
{
    const char *code = NULL, *ests_s = NULL, *e2sts_s = NULL;
    int json = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0) {
            json = 1;
        } else if (strcmp(argv[i], "--ests") == 0 || strcmp(argv[i], "--e2sts") == 0) {
            if (i + 1 >= argc) {
                fprintf(stderr, "rensa txt error: %s needs a value\n", argv[i]);
                return EXIT_USAGE;
            }
            *(strcmp(argv[i], "--ests") == 0 ? &ests_s : &e2sts_s) = argv[i + 1];
            i++;
        } else if (argv[i][0] == '-' && argv[i][1] == '-') {
            fprintf(stderr, "rensa txt error: unknown argument '%s'\n", argv[i]);
            return usage();
        } else if (!code) {
            code = argv[i];
        } else {
            fprintf(stderr, "rensa txt error: more than one CODE ('%s')\n", argv[i]);
            return usage();
        }
    }
    if (!code)
        return usage();
    uint64_t err, ests = 0, e2sts = 0;
    if (!parse_u64(code, &err)) {
        fprintf(stderr, "rensa txt error: CODE must be a number (0x hex or decimal), got '%s'\n", code);
        return EXIT_USAGE;
    }
    if ((ests_s && !parse_u64(ests_s, &ests)) || (e2sts_s && !parse_u64(e2sts_s, &e2sts))) {
        fprintf(stderr, "rensa txt error: --ests and --e2sts need a number (0x hex or decimal)\n");
        return EXIT_USAGE;
    }
    char et[1024], st[1024], s2[1024];
    struct txt_errorcode e;
    txt_errorcode_split(err, &e);
    txt_errorcode_describe(err, et, sizeof(et));
    if (ests_s)
        txt_ests_describe(ests, st, sizeof(st));
    if (e2sts_s)
        txt_e2sts_describe(e2sts, s2, sizeof(s2));
    int problem = txt_errorcode_is_error(err) || (ests_s && txt_ests_is_error(ests)) ||
                  (e2sts_s && txt_e2sts_is_error(e2sts));
    if (!json) {
        fputs(et, stdout);
        if (ests_s)
            fputs(st, stdout);
        if (e2sts_s)
            fputs(s2, stdout);
        return 0;
    }
    printf("{\"errorcode\": {\"value\": \"0x%08llx\", \"valid\": %s, \"source\": \"%s\", \"error\": %s",
           (unsigned long long)err, e.source != TXT_SRC_NONE ? "true" : "false", source_name(e.source),
           e.benign ? "false" : "true");
    if (e.source == TXT_SRC_PROCESSOR)
        printf(", \"processor_code\": %u", (unsigned)e.proc_code);
    if (e.source == TXT_SRC_ACM)
        printf(", \"acm_type\": %u, \"acm_type_name\": \"%s\", \"progress\": %u, \"error_code\": %u, \"sub_error\": %u",
               e.acm_type, txt_acm_type_name(e.acm_type), e.progress, e.error, e.sub);
    if (e.source == TXT_SRC_SOFTWARE)
        printf(", \"code_lo\": %u, \"code_hi\": %u", e.sw_lo, e.sw_hi);
    printf(", \"text\": ");
    json_lines(et);
    printf("}");
    if (ests_s) {
        printf(", \"ests\": {\"value\": \"0x%llx\", \"error\": %s, \"text\": ", (unsigned long long)ests,
               txt_ests_is_error(ests) ? "true" : "false");
        json_lines(st);
        printf("}");
    }
    if (e2sts_s) {
        printf(", \"e2sts\": {\"value\": \"0x%llx\", \"error\": %s, \"text\": ", (unsigned long long)e2sts,
               txt_e2sts_is_error(e2sts) ? "true" : "false");
        json_lines(s2);
        printf("}");
    }
    printf(", \"problem\": %s}\n", problem ? "true" : "false");
    return 0;
}

/* ---------------------------------------------------------------- the host */

struct host {
    int msr_fd;
    volatile const uint8_t *regs;
    char msr_why[160], txt_why[200];
};

static void host_cpuid(void *ctx, uint32_t leaf, uint32_t subleaf, uint32_t regs[4])
{
    (void)ctx;
    regs[0] = regs[1] = regs[2] = regs[3] = 0;
#if defined(__x86_64__) || defined(__i386__)
    __cpuid_count(leaf, subleaf, regs[0], regs[1], regs[2], regs[3]);
#else
    (void)leaf;
    (void)subleaf;
#endif
}

static bool host_rdmsr(void *ctx, uint32_t msr, uint64_t *v)
{
    struct host *h = ctx;
    if (h->msr_fd < 0)
        return false;
    if (pread(h->msr_fd, v, sizeof(*v), msr) != (ssize_t)sizeof(*v)) {
        snprintf(h->msr_why, sizeof(h->msr_why), "reading MSR 0x%x failed: %s", msr, strerror(errno));
        return false;
    }
    return true;
}

static bool host_getsec(void *ctx, uint32_t *eax)
{
    (void)ctx;
    (void)eax;
    return false;
}

static bool host_txt_read(void *ctx, uint32_t reg, uint64_t *v)
{
    struct host *h = ctx;
    if (!h->regs || reg + 8 > 0x1000)
        return false;
    *v = *(volatile const uint64_t *)(h->regs + reg);
    return true;
}

static void host_open(struct host *h)
{
    const char *msr = getenv("RENSA_CPU_MSR");
    const char *mem = getenv("RENSA_DEV_MEM");
    if (!msr || !*msr)
        msr = "/dev/cpu/0/msr";
    if (!mem || !*mem)
        mem = "/dev/mem";
    h->regs = NULL;
    h->msr_fd = open(msr, O_RDONLY);
    if (h->msr_fd < 0)
        snprintf(h->msr_why, sizeof(h->msr_why), "%s: %s (%s)", msr, strerror(errno),
                 errno == ENOENT ? "load the msr module: modprobe msr" : "run as root");
    int fd = open(mem, O_RDONLY);
    if (fd < 0) {
        snprintf(h->txt_why, sizeof(h->txt_why), "%s: %s (%s)", mem, strerror(errno),
                 errno == ENOENT ? "this system has no such device" : "run as root");
        return;
    }
    void *m = mmap(NULL, 0x1000, PROT_READ, MAP_SHARED, fd, TXT_PUB_BASE);
    int saved = errno;
    close(fd);
    if (m == MAP_FAILED) {
        snprintf(h->txt_why, sizeof(h->txt_why), "mapping 0x%x from %s: %s (run as root; a kernel in lockdown "
                 "mode or with CONFIG_STRICT_DEVMEM may refuse)", TXT_PUB_BASE, mem, strerror(saved));
        return;
    }
    h->regs = m;
}

static void host_close(struct host *h)
{
    if (h->msr_fd >= 0)
        close(h->msr_fd);
    if (h->regs)
        munmap((void *)(uintptr_t)h->regs, 0x1000);
}

static const char *verdict_sentence(enum txt_verdict v)
{
    switch (v) {
    case TXT_CAN_LAUNCH:
        return "this platform can do a measured launch: every required check passed (GETSEC itself runs only "
               "in the loader)";
    case TXT_CANNOT_LAUNCH:
        return "this platform cannot do a measured launch";
    case TXT_CANNOT_TELL:
        return "cannot tell whether this platform can do a measured launch: nothing failed, but a register "
               "could not be read";
    }
    return "?";
}

/* Linux lists the firmware's ACPI tables in /sys/firmware/acpi/tables
 * (names only need no privilege). RENSA_ACPI_TABLES overrides the
 * directory (tests). */
static int host_dmar(void *ctx)
{
    (void)ctx;
    const char *dir = getenv("RENSA_ACPI_TABLES");
    char p[512];
    if (!dir)
        dir = "/sys/firmware/acpi/tables";
    if (access(dir, F_OK) != 0)
        return -1;
    snprintf(p, sizeof(p), "%s/DMAR", dir);
    return access(p, F_OK) == 0 ? 1 : 0;
}

static int txt_check(int argc, char **argv)
{
    static const char *const allowed[] = {"--json", NULL};
    if (!check_flags("txt check", argc, argv, allowed))
        return EXIT_USAGE;
    int json = has_flag(argc, argv, "--json");
    struct host h;
    host_open(&h);
    struct txt_platform_ops ops = {&h, host_cpuid, host_rdmsr, host_getsec, host_txt_read, h.msr_why,
                                   "GETSEC needs CR4.SMXE, which only the kernel can set: not applicable on the "
                                   "host (the loader runs it)",
                                   h.txt_why, host_dmar};
    static struct txt_platform_report r;
    struct diag d;
    enum txt_verdict v = txt_platform_check(&ops, &r, &d);
    host_close(&h);
    const char *vname = v == TXT_CAN_LAUNCH ? "can" : v == TXT_CANNOT_LAUNCH ? "cannot" : "unknown";
    if (json) {
        printf("{\"checks\": [");
        for (unsigned i = 0; i < TXT_CHK_COUNT; i++) {
            const struct txt_check *c = &r.checks[i];
            printf("%s\n  {\"name\": \"%s\", \"status\": \"%s\", \"required\": %s, \"error\": \"%s\", \"text\": ",
                   i ? "," : "", c->name, txt_check_status_name(c->status), c->required ? "true" : "false",
                   err_name(c->err));
            json_string(c->text);
            printf("}");
        }
        printf("\n], \"verdict\": \"%s\", \"error\": \"%s\", \"reason\": ", vname, err_name(d.code));
        json_string(d.msg);
        printf(", \"text\": ");
        json_string(verdict_sentence(v));
        printf("}\n");
    } else {
        printf("TXT platform checks on this machine:\n");
        for (unsigned i = 0; i < TXT_CHK_COUNT; i++) {
            const struct txt_check *c = &r.checks[i];
            printf("  %-7s %-22s %s%s\n", txt_check_status_name(c->status), c->name, c->text,
                   c->required || c->status != TXT_CHECK_FAIL ? "" : " (reported only: not required)");
        }
        printf("%s", verdict_sentence(v));
        if (v == TXT_CAN_LAUNCH)
            printf(".\n");
        else
            printf(":\n  %s: %s\n", err_name(d.code), d.msg);
    }
    return v == TXT_CAN_LAUNCH ? 0 : v == TXT_CANNOT_LAUNCH ? EXIT_PROBLEM : EXIT_INPUT;
}

int cmd_txt(int argc, char **argv)
{
    if (argc < 2)
        return usage();
    if (strcmp(argv[1], "error") == 0)
        return txt_error(argc - 1, argv + 1);
    if (strcmp(argv[1], "check") == 0)
        return txt_check(argc - 1, argv + 1);
    fprintf(stderr, "rensa txt: unknown subcommand '%s'\n", argv[1]);
    return usage();
}
