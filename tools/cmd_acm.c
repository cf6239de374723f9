/* rensa acm: inspect SINIT AC modules and check them against a platform,
 * with the loader's own parser and matcher (acm/, include/acm.h).
 *
 *   rensa acm info [--json] FILE...
 *   rensa acm check FILE (--didvid X --fms X [...] | --host) [--json]
 */
#include <cpuid.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "acm.h"
#include "commands.h"

#define ACM_FILE_MAX (16u << 20)

static uint8_t *read_file(const char *path, uint64_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    uint8_t *buf = malloc(ACM_FILE_MAX);
    size_t n = buf ? fread(buf, 1, ACM_FILE_MAX, f) : 0;
    int err = ferror(f);
    fclose(f);
    if (!buf || err) {
        free(buf);
        return NULL;
    }
    *len = n;
    return buf;
}

static const char *yesno(unsigned v)
{
    return v ? "1" : "0";
}

static void hex_bytes(const uint8_t *p, uint32_t n, int json)
{
    for (uint32_t i = 0; i < n; i++) {
        if (!json && i % 32 == 0)
            printf("\n      ");
        printf("%02x", p[i]);
    }
}

static void uuid_str(const uint8_t *u, char *out)
{
    sprintf(out, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", u[3], u[2], u[1], u[0], u[5],
            u[4], u[7], u[6], u[9], u[8], u[10], u[11], u[12], u[13], u[14], u[15]);
}

static const char *cap_names[] = {"rlp_wake_getsec", "rlp_wake_monitor", "ecx_pgtbl", "stm", "pcr_map_no_legacy",
                                  "pcr_map_da"};
static const char *ext_policy_name(unsigned e)
{
    static const char *n[] = {"illegal", "algorithm-agile commands", "embedded algorithms",
                              "algorithm-agile commands and embedded algorithms"};
    return n[e & 3];
}

/* ---------------------------------------------------------------- text */

static void text_chipsets(const struct acm *a, const struct acm_list *l, const char *title, bool cs2)
{
    if (!l->present)
        return;
    printf("%s:\n  count: %u\n", title, l->count);
    for (uint32_t i = 0; i < l->count; i++) {
        struct acm_chipset_id c = acm_chipset_at(a, l, i);
        printf("  entry %u:\n    flags: 0x%x (revision_id is %s)\n    vendor_id: 0x%x\n    device_id: 0x%x\n"
               "    revision_id: 0x%x\n",
               i, c.flags, c.flags & 1 ? "a mask" : "exact", c.vendor_id, c.device_id, c.revision_id);
        if (cs2)
            printf("    register_mask: 0x%x\n", c.register_mask);
        printf("    extended_id: 0x%x\n", c.extended_id);
    }
}

static void print_text(const char *path, const struct acm *a, enum acm_reason r, const struct diag *d)
{
    const struct acm_header *h = &a->hdr;
    const struct acm_info_table *t = &a->info;
    printf("%s:\n", path);
    if (r == ACM_OK)
        printf("verdict: a well-formed SINIT AC module\n");
    else
        printf("verdict: rejected: %s\n", d->msg);
    if (a->file_len < sizeof(struct acm_header))
        return;
    printf("header:\n");
    printf("  module_type: 0x%x (%s)\n", h->module_type, h->module_type == ACM_MODULE_TYPE_CHIPSET ? "chipset" : "unknown");
    printf("  module_subtype: 0x%x (%s%s)\n", h->module_subtype,
           h->module_subtype & ACM_SUBTYPE_RESET ? "may execute at reset" : "none",
           h->module_subtype & ACM_SUBTYPE_ANC ? ", ANC module" : "");
    printf("  header_len: %u dwords (%u bytes)\n", h->header_len, h->header_len * 4);
    printf("  header_version: 0x%08x (%u.%u)\n", h->header_version, h->header_version >> 16, h->header_version & 0xffff);
    printf("  chipset_id: 0x%x\n", h->chipset_id);
    printf("  flags: 0x%x\n    pre_production: %s\n    debug_signed: %s (%s)\n", h->flags,
           yesno(h->flags & ACM_FLAG_PREPRODUCTION), yesno(h->flags & ACM_FLAG_DEBUG_SIGNED),
           h->flags & ACM_FLAG_DEBUG_SIGNED ? "runs only on debug-fused chipsets" : "production-signed");
    printf("  module_vendor: 0x%x (%s)\n", h->module_vendor, h->module_vendor == ACM_VENDOR_INTEL ? "Intel" : "unknown");
    printf("  date: 0x%08x (%04x-%02x-%02x%s)\n", h->date, h->date >> 16, (h->date >> 8) & 0xff, h->date & 0xff,
           acm_date_valid(h->date) ? "" : ", not a valid BCD date");
    printf("  size: %u dwords (%" PRIu64 " bytes)\n", h->size, (uint64_t)h->size * 4);
    printf("  txt_svn: %u\n  se_svn: %u\n", h->txt_svn, h->se_svn);
    printf("  code_control: 0x%x\n  error_entry_point: 0x%x\n", h->code_control, h->error_entry_point);
    printf("  gdt_limit: 0x%x\n  gdt_base: 0x%x\n  seg_sel: 0x%x\n  entry_point: 0x%x\n", h->gdt_limit, h->gdt_base,
           h->seg_sel, h->entry_point);
    printf("  key_size: %u dwords (RSA-%u)\n  scratch_size: %u dwords (%u bytes)\n", h->key_size, h->key_size * 32,
           h->scratch_size, h->scratch_size * 4);
    if (a->key_len) {
        printf("  rsa_public_key: %u bytes at 0x%x (not verified here; the CPU checks it)", a->key_len, a->key_off);
        hex_bytes(a->base + a->key_off, a->key_len, 0);
        printf("\n");
        if (a->exp_off)
            printf("  rsa_exponent: 0x%x\n", a->exponent);
        printf("  rsa_signature: %u bytes at 0x%x", a->sig_len, a->sig_off);
        hex_bytes(a->base + a->sig_off, a->sig_len, 0);
        printf("\n");
    }
    if (r != ACM_OK && r <= ACM_R_INFO_PAST_END)
        return;
    char u[40];
    uuid_str(t->uuid, u);
    printf("info_table: (at 0x%x)\n", a->info_off);
    printf("  uuid: %s (%s)\n", u, r == ACM_R_UUID ? "unknown" : "ACM_UUID_V3");
    printf("  chipset_acm_type: 0x%x (%s)\n", t->chipset_acm_type, acm_chipset_type_name(t->chipset_acm_type));
    printf("  version: %u\n  length: %u\n", t->version, t->length);
    printf("  chipset_id_list: 0x%x%s\n", t->chipset_id_list, t->version >= 9 ? " (unused in version 9)" : "");
    printf("  os_sinit_data_ver: %u\n", t->os_sinit_data_ver);
    printf("  min_mle_hdr_ver: 0x%08x (%u.%u)\n", t->min_mle_hdr_ver, t->min_mle_hdr_ver >> 16,
           t->min_mle_hdr_ver & 0xffff);
    printf("  capabilities: 0x%08x\n", t->capabilities);
    for (unsigned i = 0; i < ARRAY_SIZE(cap_names); i++)
        printf("    %s: %u\n", cap_names[i], (t->capabilities >> i) & 1);
    unsigned pt = (t->capabilities & ACM_CAP_PLATFORM_TYPE_MASK) >> ACM_CAP_PLATFORM_TYPE_SHIFT;
    printf("    platform_type: %u (%s)\n", pt, acm_platform_type_name(pt));
    printf("    max_phy_addr: %u\n    tcg_event_log_format: %u\n    cbnt_supported: %u\n    tpr_support: %u\n",
           (t->capabilities >> 8) & 1, (t->capabilities >> 9) & 1, (t->capabilities >> 10) & 1,
           (t->capabilities >> 14) & 1);
    printf("  acm_ver: %u\n", t->acm_ver);
    printf("  acm_revision: %u.%u.%u%s\n", t->acm_revision[0], t->acm_revision[1], t->acm_revision[2],
           t->version >= 7 ? "" : " (defined from version 7)");
    if (t->version >= 4)
        printf("  processor_id_list: 0x%x%s\n", t->processor_id_list, t->version >= 9 ? " (unused in version 9)" : "");
    if (t->version >= 5)
        printf("  tpm_info_list: 0x%x%s\n", t->tpm_info_list, t->version >= 9 ? " (unused in version 9)" : "");
    if (r != ACM_OK && r != ACM_R_NOT_SINIT)
        return;
    text_chipsets(a, &a->chipsets, t->version >= 9 ? "chipset_list (CS1L)" : "chipset_list", false);
    text_chipsets(a, &a->chipsets2, "chipset2_list (CS2L)", true);
    if (a->processors.present) {
        printf("processor_list%s:\n  count: %u\n", t->version >= 9 ? " (CPUL)" : "", a->processors.count);
        for (uint32_t i = 0; i < a->processors.count; i++) {
            struct acm_processor_id c = acm_processor_at(a, i);
            printf("  entry %u:\n    fms: 0x%x (family 0x%x model 0x%x stepping 0x%x)\n    fms_mask: 0x%x\n"
                   "    platform_id: 0x%" PRIx64 "\n    platform_mask: 0x%" PRIx64 "\n",
                   i, c.fms, ((c.fms >> 8) & 0xf) + ((c.fms >> 20) & 0xff),
                   ((c.fms >> 4) & 0xf) | ((c.fms >> 12) & 0xf0), c.fms & 0xf, c.fms_mask, c.platform_id,
                   c.platform_mask);
        }
    }
    if (a->has_tpm_info) {
        unsigned fam = (a->tpm_caps & ACM_TPM_FAMILY_MASK) >> ACM_TPM_FAMILY_SHIFT;
        printf("tpm_info_list%s:\n  capabilities: 0x%x\n    ext_policy: 0x%x (%s)\n    tpm_family: 0x%x (%s%s%s)\n"
               "    tpm_nv_index_set: %u\n  alg_count: %u\n",
               t->version >= 9 ? " (TPML)" : "", a->tpm_caps, a->tpm_caps & 3, ext_policy_name(a->tpm_caps),
               fam, fam & ACM_TPM_FAMILY_DTPM12 ? "dTPM 1.2 " : "", fam & ACM_TPM_FAMILY_DTPM20 ? "dTPM 2.0 " : "",
               fam & ACM_TPM_FAMILY_PTT20 ? "PTT 2.0" : "", (a->tpm_caps >> 6) & 1, a->tpm_algs.count);
        for (uint32_t i = 0; i < a->tpm_algs.count; i++)
            printf("    alg_id: 0x%x (%s)\n", acm_tpm_alg_at(a, i), acm_alg_name(acm_tpm_alg_at(a, i)));
    }
    if (a->tlv_unknown)
        printf("other_lists: %u (skipped)\n", a->tlv_unknown);
}

/* ---------------------------------------------------------------- JSON */

static void json_chipsets(const struct acm *a, const struct acm_list *l)
{
    printf("{\"count\": %u, \"entries\": [", l->count);
    for (uint32_t i = 0; i < l->count; i++) {
        struct acm_chipset_id c = acm_chipset_at(a, l, i);
        printf("%s{\"flags\": %u, \"revision_is_mask\": %s, \"vendor_id\": %u, \"device_id\": %u, \"revision_id\": %u, "
               "\"register_mask\": %u, \"extended_id\": %u}",
               i ? ", " : "", c.flags, c.flags & 1 ? "true" : "false", c.vendor_id, c.device_id, c.revision_id,
               c.register_mask, c.extended_id);
    }
    printf("]}");
}

static void print_json(const char *path, const struct acm *a, enum acm_reason r, const struct diag *d)
{
    const struct acm_header *h = &a->hdr;
    const struct acm_info_table *t = &a->info;
    printf("{\"file\": ");
    json_string(path);
    printf(", \"valid\": %s, \"reason\": \"%s\", \"message\": ", r == ACM_OK ? "true" : "false", acm_reason_name(r));
    json_string(r == ACM_OK ? "" : d->msg);
    if (a->file_len >= sizeof(struct acm_header)) {
        printf(",\n \"header\": {\"module_type\": %u, \"module_subtype\": %u, \"header_len\": %u, \"header_version\": %u, "
               "\"chipset_id\": %u, \"flags\": %u, \"pre_production\": %u, \"debug_signed\": %u, \"module_vendor\": %u, "
               "\"date\": %u, \"date_valid\": %s, \"size\": %u, \"size_bytes\": %" PRIu64 ", \"txt_svn\": %u, \"se_svn\": %u, "
               "\"code_control\": %u, \"error_entry_point\": %u, \"gdt_limit\": %u, \"gdt_base\": %u, \"seg_sel\": %u, "
               "\"entry_point\": %u, \"key_size\": %u, \"scratch_size\": %u",
               h->module_type, h->module_subtype, h->header_len, h->header_version, h->chipset_id, h->flags,
               (h->flags >> 14) & 1, (h->flags >> 15) & 1, h->module_vendor, h->date,
               acm_date_valid(h->date) ? "true" : "false", h->size, (uint64_t)h->size * 4, h->txt_svn, h->se_svn,
               h->code_control, h->error_entry_point, h->gdt_limit, h->gdt_base, h->seg_sel, h->entry_point,
               h->key_size, h->scratch_size);
        if (a->key_len) {
            printf(", \"rsa_public_key\": \"");
            hex_bytes(a->base + a->key_off, a->key_len, 1);
            printf("\"");
            if (a->exp_off)
                printf(", \"rsa_exponent\": %u", a->exponent);
            printf(", \"rsa_signature\": \"");
            hex_bytes(a->base + a->sig_off, a->sig_len, 1);
            printf("\"");
        }
        printf("}");
    }
    if (r == ACM_OK || r > ACM_R_INFO_PAST_END) {
        char u[40];
        uuid_str(t->uuid, u);
        unsigned pt = (t->capabilities & ACM_CAP_PLATFORM_TYPE_MASK) >> ACM_CAP_PLATFORM_TYPE_SHIFT;
        printf(",\n \"info_table\": {\"offset\": %u, \"uuid\": \"%s\", \"chipset_acm_type\": %u, \"chipset_acm_type_name\": \"%s\", "
               "\"version\": %u, \"length\": %u, \"chipset_id_list\": %u, \"os_sinit_data_ver\": %u, \"min_mle_hdr_ver\": %u, "
               "\"capabilities\": {\"raw\": %u",
               a->info_off, u, t->chipset_acm_type, acm_chipset_type_name(t->chipset_acm_type), t->version, t->length,
               t->chipset_id_list, t->os_sinit_data_ver, t->min_mle_hdr_ver, t->capabilities);
        for (unsigned i = 0; i < ARRAY_SIZE(cap_names); i++)
            printf(", \"%s\": %u", cap_names[i], (t->capabilities >> i) & 1);
        printf(", \"platform_type\": %u, \"platform_type_name\": \"%s\", \"max_phy_addr\": %u, \"tcg_event_log_format\": %u, "
               "\"cbnt_supported\": %u, \"tpr_support\": %u}, \"acm_ver\": %u, \"acm_revision\": [%u, %u, %u]",
               pt, acm_platform_type_name(pt), (t->capabilities >> 8) & 1, (t->capabilities >> 9) & 1,
               (t->capabilities >> 10) & 1, (t->capabilities >> 14) & 1, t->acm_ver, t->acm_revision[0],
               t->acm_revision[1], t->acm_revision[2]);
        if (t->version >= 4)
            printf(", \"processor_id_list\": %u", t->processor_id_list);
        if (t->version >= 5)
            printf(", \"tpm_info_list\": %u", t->tpm_info_list);
        printf("}");
    }
    if (r == ACM_OK || r == ACM_R_NOT_SINIT) {
        if (a->chipsets.present) {
            printf(",\n \"chipset_list\": ");
            json_chipsets(a, &a->chipsets);
        }
        if (a->chipsets2.present) {
            printf(",\n \"chipset2_list\": ");
            json_chipsets(a, &a->chipsets2);
        }
        if (a->processors.present) {
            printf(",\n \"processor_list\": {\"count\": %u, \"entries\": [", a->processors.count);
            for (uint32_t i = 0; i < a->processors.count; i++) {
                struct acm_processor_id c = acm_processor_at(a, i);
                printf("%s{\"fms\": %u, \"fms_mask\": %u, \"platform_id\": %" PRIu64 ", \"platform_mask\": %" PRIu64 "}",
                       i ? ", " : "", c.fms, c.fms_mask, c.platform_id, c.platform_mask);
            }
            printf("]}");
        }
        if (a->has_tpm_info) {
            unsigned fam = (a->tpm_caps & ACM_TPM_FAMILY_MASK) >> ACM_TPM_FAMILY_SHIFT;
            printf(",\n \"tpm_info_list\": {\"capabilities\": %u, \"ext_policy\": %u, \"ext_policy_name\": \"%s\", "
                   "\"tpm_family\": %u, \"dtpm12\": %s, \"dtpm20\": %s, \"ptt20\": %s, \"tpm_nv_index_set\": %u, "
                   "\"alg_count\": %u, \"algorithms\": [",
                   a->tpm_caps, a->tpm_caps & 3, ext_policy_name(a->tpm_caps), fam,
                   fam & ACM_TPM_FAMILY_DTPM12 ? "true" : "false", fam & ACM_TPM_FAMILY_DTPM20 ? "true" : "false",
                   fam & ACM_TPM_FAMILY_PTT20 ? "true" : "false", (a->tpm_caps >> 6) & 1, a->tpm_algs.count);
            for (uint32_t i = 0; i < a->tpm_algs.count; i++)
                printf("%s{\"id\": %u, \"name\": \"%s\"}", i ? ", " : "", acm_tpm_alg_at(a, i),
                       acm_alg_name(acm_tpm_alg_at(a, i)));
            printf("]}");
        }
        printf(",\n \"other_lists\": %u", a->tlv_unknown);
    }
    printf("}");
}

static int acm_info(int argc, char **argv)
{
    int json = 0, nfiles = 0, rc = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0)
            json = 1;
        else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "rensa acm info: unknown argument '%s' (see 'rensa acm --help')\n", argv[i]);
            return EXIT_USAGE;
        } else
            nfiles++;
    }
    if (!nfiles) {
        fprintf(stderr, "rensa acm info: give at least one FILE\n");
        return EXIT_USAGE;
    }
    if (json)
        printf("[");
    int first = 1;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0)
            continue;
        uint64_t len = 0;
        uint8_t *buf = read_file(argv[i], &len);
        if (!buf) {
            fprintf(stderr, "rensa acm info: cannot read %s\n", argv[i]);
            rc = EXIT_INPUT;
            continue;
        }
        struct acm a;
        struct diag d;
        enum acm_reason r = acm_parse(buf, len, &a, &d);
        if (json) {
            printf("%s\n", first ? "" : ",");
            print_json(argv[i], &a, r, &d);
        } else {
            if (!first)
                printf("\n");
            print_text(argv[i], &a, r, &d);
        }
        first = 0;
        if (r == ACM_R_NOT_SINIT) {
            if (rc == 0)
                rc = EXIT_PROBLEM;
        } else if (r != ACM_OK)
            rc = EXIT_INPUT;
        free(buf);
    }
    if (json)
        printf("\n]\n");
    return rc;
}

/* ---------------------------------------------------------------- check */

struct host_ctx {
    volatile uint8_t *txt;
    int msr_fd;
};

static uint64_t host_txt_read(void *ctx, uint32_t reg)
{
    struct host_ctx *h = ctx;
    uint64_t v;
    memcpy(&v, (const void *)(h->txt + reg), sizeof(v));
    return v;
}

static uint32_t host_cpuid1(void *ctx)
{
    (void)ctx;
    unsigned a = 0, b, c, d;
    __get_cpuid(1, &a, &b, &c, &d);
    return a;
}

static uint64_t host_rdmsr(void *ctx, uint32_t msr)
{
    struct host_ctx *h = ctx;
    uint64_t v = 0;
    if (pread(h->msr_fd, &v, sizeof(v), msr) != (ssize_t)sizeof(v))
        v = 0;
    return v;
}

/* Reads this machine: TXT public space at 0xFED30000 through /dev/mem,
 * CPUID, and IA32_PLATFORM_ID through /dev/cpu/0/msr. */
static int read_host(struct acm_platform *p)
{
    int fd = open("/dev/mem", O_RDONLY);
    if (fd < 0) {
        perror("rensa acm check: /dev/mem (needs root, and no kernel lockdown)");
        return 0;
    }
    void *m = mmap(NULL, 0x10000, PROT_READ, MAP_SHARED, fd, 0xfed30000);
    close(fd);
    if (m == MAP_FAILED) {
        perror("rensa acm check: mapping the TXT registers at 0xfed30000");
        return 0;
    }
    struct host_ctx h = {m, open("/dev/cpu/0/msr", O_RDONLY)};
    if (h.msr_fd < 0) {
        perror("rensa acm check: /dev/cpu/0/msr (modprobe msr)");
        munmap(m, 0x10000);
        return 0;
    }
    struct acm_platform_ops ops = {&h, host_txt_read, host_cpuid1, host_rdmsr};
    acm_platform_read(&ops, p);
    close(h.msr_fd);
    munmap(m, 0x10000);
    if ((uint16_t)p->didvid != ACM_VENDOR_INTEL) {
        fprintf(stderr, "rensa acm check: TXT.DIDVID reads 0x%016" PRIx64 ": this machine has no Intel TXT chipset\n",
                p->didvid);
        return 0;
    }
    return 1;
}

static int parse_num(const char *opt, const char *s, uint64_t *out)
{
    char *end;
    if (!s || !*s)
        goto bad;
    *out = strtoull(s, &end, 0);
    if (*end == '\0')
        return 1;
bad:
    fprintf(stderr, "rensa acm check: %s needs a number (decimal or 0x hex), got '%s'\n", opt, s ? s : "");
    return 0;
}

static int acm_check(int argc, char **argv)
{
    struct acm_platform p;
    memset(&p, 0, sizeof(p));
    p.ver_fsbif = 0x80000000u; /* production unless told */
    struct acm_mle_req req;
    acm_mle_req_default(&req);
    const char *file = NULL;
    int json = 0, host = 0, have_didvid = 0, have_fms = 0;
    for (int i = 1; i < argc; i++) {
        const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        uint64_t n;
        if (strcmp(o, "--json") == 0)
            json = 1;
        else if (strcmp(o, "--host") == 0)
            host = 1;
        else if (strcmp(o, "--production") == 0)
            p.ver_fsbif = 0x80000000u;
        else if (strcmp(o, "--debug") == 0)
            p.ver_fsbif = 0x00000001u;
        else if (strcmp(o, "--didvid") == 0 || strcmp(o, "--fms") == 0 || strcmp(o, "--platform-id") == 0 ||
                 strcmp(o, "--fsbif") == 0 || strcmp(o, "--qpiif") == 0 || strcmp(o, "--max-size") == 0) {
            if (!parse_num(o, v, &n))
                return EXIT_USAGE;
            i++;
            if (o[2] == 'd')
                p.didvid = n, have_didvid = 1;
            else if (o[2] == 'f' && o[3] == 'm')
                p.fms = (uint32_t)n, have_fms = 1;
            else if (o[2] == 'p')
                p.platform_id = n;
            else if (o[2] == 'f')
                p.ver_fsbif = n;
            else if (o[2] == 'q')
                p.ver_fsbif = 0, p.ver_qpiif = n;
            else
                p.acm_max_size = (uint32_t)n;
        } else if (strcmp(o, "--platform-type") == 0) {
            if (v && strcmp(v, "client") == 0)
                p.platform_type = ACM_PLATFORM_CLIENT;
            else if (v && strcmp(v, "server") == 0)
                p.platform_type = ACM_PLATFORM_SERVER;
            else {
                fprintf(stderr, "rensa acm check: --platform-type takes client or server\n");
                return EXIT_USAGE;
            }
            i++;
        } else if (strcmp(o, "--tpm") == 0) {
            if (v && strcmp(v, "1.2") == 0)
                p.tpm_family = ACM_TPM_FAMILY_DTPM12;
            else if (v && strcmp(v, "2.0") == 0)
                p.tpm_family = ACM_TPM_FAMILY_DTPM20;
            else if (v && strcmp(v, "ptt") == 0)
                p.tpm_family = ACM_TPM_FAMILY_PTT20;
            else {
                fprintf(stderr, "rensa acm check: --tpm takes 1.2, 2.0 or ptt\n");
                return EXIT_USAGE;
            }
            i++;
        } else if (strcmp(o, "--tpm-algs") == 0) {
            if (!v) {
                fprintf(stderr, "rensa acm check: --tpm-algs takes a list such as sha1,sha256\n");
                return EXIT_USAGE;
            }
            char tmp[128];
            snprintf(tmp, sizeof(tmp), "%s", v);
            for (char *s = strtok(tmp, ","); s; s = strtok(NULL, ",")) {
                static const uint16_t ids[] = {ACM_ALG_SHA1, ACM_ALG_SHA256, ACM_ALG_SHA384, ACM_ALG_SHA512,
                                               ACM_ALG_SM3_256};
                unsigned k = 0;
                while (k < ARRAY_SIZE(ids) && strcmp(s, acm_alg_name(ids[k])) != 0)
                    k++;
                if (k == ARRAY_SIZE(ids) || p.n_tpm_algs == ARRAY_SIZE(p.tpm_algs)) {
                    fprintf(stderr, "rensa acm check: unknown algorithm '%s' (sha1, sha256, sha384, sha512, sm3_256)\n", s);
                    return EXIT_USAGE;
                }
                p.tpm_algs[p.n_tpm_algs++] = ids[k];
            }
            i++;
        } else if (o[0] == '-') {
            fprintf(stderr, "rensa acm check: unknown argument '%s' (see 'rensa acm --help')\n", o);
            return EXIT_USAGE;
        } else if (!file)
            file = o;
        else {
            fprintf(stderr, "rensa acm check: checks one FILE at a time\n");
            return EXIT_USAGE;
        }
    }
    if (!file || (!host && (!have_didvid || !have_fms))) {
        fprintf(stderr, "rensa acm check: give FILE and --didvid and --fms (or --host)\n");
        return EXIT_USAGE;
    }
    if (host && !read_host(&p))
        return EXIT_INPUT;
    uint64_t len = 0;
    uint8_t *buf = read_file(file, &len);
    if (!buf) {
        fprintf(stderr, "rensa acm check: cannot read %s\n", file);
        return EXIT_INPUT;
    }
    struct acm a;
    struct diag d;
    struct acm_match_result m = {ACM_OK, 0, -1, -1, -1};
    enum acm_reason r = acm_parse(buf, len, &a, &d);
    int parsed = r == ACM_OK;
    if (parsed)
        r = acm_match(&a, &p, &req, &m, &d);
    bool prod = acm_platform_production(&p);
    if (json) {
        printf("{\"file\": ");
        json_string(file);
        printf(", \"runs\": %s, \"reason\": \"%s\", \"message\": ", r == ACM_OK ? "true" : "false", acm_reason_name(r));
        json_string(r == ACM_OK ? "" : d.msg);
        printf(", \"platform\": {\"didvid\": %" PRIu64 ", \"production\": %s, \"fms\": %u, \"platform_id\": %" PRIu64
               "}, \"chipset_entry\": %d, \"chipset2_entry\": %d, \"processor_entry\": %d, \"os_sinit_data_ver\": %u}\n",
               p.didvid, prod ? "true" : "false", p.fms, p.platform_id, m.chipset_entry, m.chipset2_entry,
               m.processor_entry, m.os_sinit_ver);
    } else {
        printf("platform: TXT.DIDVID 0x%016" PRIx64 " (vendor 0x%04x device 0x%04x revision 0x%x), %s-fused,\n"
               "          CPUID.1:EAX 0x%x, IA32_PLATFORM_ID 0x%" PRIx64 ", %s\n",
               p.didvid, (unsigned)(uint16_t)p.didvid, (unsigned)(uint16_t)(p.didvid >> 16),
               (unsigned)(uint16_t)(p.didvid >> 32), prod ? "production" : "debug", p.fms, p.platform_id,
               p.platform_type ? acm_platform_type_name(p.platform_type) : "client/server not checked");
        if (r == ACM_OK) {
            printf("%s: this SINIT will run on this platform\n", file);
            if (m.chipset_entry >= 0)
                printf("  chipset: matches chipset list entry %d\n", m.chipset_entry);
            if (m.chipset2_entry >= 0)
                printf("  chipset: matches CS2L entry %d\n", m.chipset2_entry);
            if (m.processor_entry >= 0)
                printf("  processor: matches processor list entry %d\n", m.processor_entry);
            printf("  OS-to-SINIT data version Rensa will write: %u\n", m.os_sinit_ver);
        } else if (!parsed) {
            printf("%s: not a usable SINIT file\n  failed check: %s\n", file, d.msg);
        } else {
            printf("%s: this SINIT will NOT run on this platform\n  failed check: %s\n", file, d.msg);
        }
    }
    free(buf);
    return r == ACM_OK ? 0 : parsed ? EXIT_PROBLEM : EXIT_INPUT;
}

static void acm_usage(void)
{
    printf("usage: rensa acm info [--json] FILE...\n"
           "       rensa acm check FILE --didvid X --fms X [--platform-id X] [--production|--debug]\n"
           "                 [--fsbif X] [--qpiif X] [--platform-type client|server] [--tpm 1.2|2.0|ptt]\n"
           "                 [--tpm-algs sha1,sha256,...] [--max-size N] [--json]\n"
           "       rensa acm check FILE --host [...]   (reads this machine: root, /dev/mem, msr module)\n"
           "See docs/sinit.md.\n");
}

int cmd_acm(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        acm_usage();
        return argc < 2 ? EXIT_USAGE : 0;
    }
    if (strcmp(argv[1], "info") == 0)
        return acm_info(argc - 1, argv + 1);
    if (strcmp(argv[1], "check") == 0)
        return acm_check(argc - 1, argv + 1);
    fprintf(stderr, "rensa acm: unknown subcommand '%s' (info or check)\n", argv[1]);
    return EXIT_USAGE;
}
