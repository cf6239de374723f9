/* Shared by `rensa pcr` and `rensa log`: banks, OpenSSL hashing, hex,
 * and the events the loader writes for a set of boot files. See evtool.h. */
#include <errno.h>
#include <lzma.h>
#include <unistd.h>
#include <zlib.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "boot_info.h"
#include "commands.h"
#include "evtool.h"
#include "measure.h"
#include "tpm.h"

static const struct tbank known_banks[] = {
    {TPM_ALG_SHA1, 20, "sha1", false},     {TPM_ALG_SHA256, 32, "sha256", false},
    {TPM_ALG_SHA384, 48, "sha384", false}, {TPM_ALG_SHA512, 64, "sha512", false},
    {TPM_ALG_SM3_256, 32, "sm3_256", false},
};

bool tbank_by_name(const char *name, size_t len, struct tbank *b)
{
    for (size_t i = 0; i < sizeof(known_banks) / sizeof(known_banks[0]); i++)
        if (strlen(known_banks[i].name) == len && strncmp(known_banks[i].name, name, len) == 0) {
            *b = known_banks[i];
            return true;
        }
    return false;
}

const char *tbank_name(uint16_t alg)
{
    static char buf[16];
    for (size_t i = 0; i < sizeof(known_banks) / sizeof(known_banks[0]); i++)
        if (known_banks[i].alg == alg)
            return known_banks[i].name;
    snprintf(buf, sizeof(buf), "alg_0x%04x", alg);
    return buf;
}

bool tbank_list(const char *cmd, const char *opt, const char *s, struct tbank *out, unsigned max, unsigned *n)
{
    *n = 0;
    const char *p = s;
    for (;;) {
        const char *c = strchr(p, ',');
        size_t len = c ? (size_t)(c - p) : strlen(p);
        struct tbank b;
        if (!tbank_by_name(p, len, &b)) {
            fprintf(stderr, "rensa %s: %s: unknown bank '%.*s' (sha1, sha256, sha384, sha512, sm3_256)\n", cmd, opt,
                    (int)len, p);
            return false;
        }
        for (unsigned i = 0; i < *n; i++)
            if (out[i].alg == b.alg) {
                fprintf(stderr, "rensa %s: %s: bank '%s' given twice\n", cmd, opt, b.name);
                return false;
            }
        if (*n >= max) {
            fprintf(stderr, "rensa %s: %s: more than %u banks\n", cmd, opt, max);
            return false;
        }
        out[(*n)++] = b;
        if (!c)
            return true;
        p = c + 1;
    }
}

const EVP_MD *ev_md(uint16_t alg)
{
    switch (alg) {
    case TPM_ALG_SHA1:
        return EVP_sha1();
    case TPM_ALG_SHA256:
        return EVP_sha256();
    case TPM_ALG_SHA384:
        return EVP_sha384();
    case TPM_ALG_SHA512:
        return EVP_sha512();
    case TPM_ALG_SM3_256:
        return EVP_get_digestbyname("SM3");
    }
    return NULL;
}

bool ev_hash(uint16_t alg, const void *data, size_t len, uint8_t *out)
{
    const EVP_MD *md = ev_md(alg);
    unsigned n = 0;
    return md && EVP_Digest(data, len, out, &n, md, NULL) == 1 && n == tpm_alg_digest_size(alg);
}

bool ev_extend(uint16_t alg, uint8_t *pcr, const uint8_t *digest)
{
    unsigned size = tpm_alg_digest_size(alg);
    uint8_t buf[2 * EVLOG_DIGEST_MAX];
    if (size == 0 || size > EVLOG_DIGEST_MAX)
        return false;
    memcpy(buf, pcr, size);
    memcpy(buf + size, digest, size);
    return ev_hash(alg, buf, 2 * size, pcr);
}

void hex_out(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        printf("%02x", p[i]);
}

void hex_str(const uint8_t *p, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[p[i] >> 4];
        out[2 * i + 1] = digits[p[i] & 15];
    }
    out[2 * n] = '\0';
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

bool hex_parse(const char *s, uint8_t *out, size_t max, size_t *n)
{
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
        s += 2;
    size_t len = strlen(s);
    if (len == 0 || len % 2 || len / 2 > max)
        return false;
    for (size_t i = 0; i < len / 2; i++) {
        int hi = hexval(s[2 * i]), lo = hexval(s[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return false;
        out[i] = (uint8_t)(hi << 4 | lo);
    }
    *n = len / 2;
    return true;
}

uint8_t *file_read(const char *path, size_t *len, size_t max)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 65536, n = 0;
    uint8_t *buf = malloc(cap);
    while (buf) {
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (n < cap)
            break;
        if (cap >= max) {
            free(buf);
            buf = NULL;
            errno = EFBIG;
            break;
        }
        uint8_t *nb = realloc(buf, cap * 2);
        if (!nb) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = nb;
        cap *= 2;
    }
    if (buf && ferror(f)) {
        free(buf);
        buf = NULL;
        errno = EIO;
    }
    fclose(f);
    if (buf)
        *len = n;
    return buf;
}

/* ------------------------------------------------------------------ inputs */

void measure_input_init(struct measure_input *in)
{
    memset(in, 0, sizeof(*in));
    in->kernel_cmdline = "";
    in->rensa_cmdline = "";
}

static bool banks_given, capped_given;
static struct tbank given_banks[EVLOG_MAX_BANKS], given_capped[EVLOG_MAX_BANKS];
static unsigned ngiven_banks, ngiven_capped;

int measure_input_arg(const char *cmd, struct measure_input *in, int argc, char **argv, int *i)
{
    static const char *const with_value[] = {"--kernel", "--kernel-cmdline", "--module", "--module-cmdline",
                                             "--rensa-cmdline", "--banks", "--capped", NULL};
    const char *a = argv[*i];
    if (strcmp(a, "--tpm12") == 0) {
        in->tpm12 = true;
        return 1;
    }
    if (strcmp(a, "--s3-resume") == 0) {
        in->s3_resume = true;
        return 1;
    }
    if (strcmp(a, "--nounzip") == 0) {
        /* Like GRUB's 'module --nounzip': applies to the file just named. */
        bool *flag = in->nmods ? &in->mod_nounzip[in->nmods - 1] : in->kernel ? &in->kernel_nounzip : NULL;
        if (!flag || (in->nmods == 0 && in->kernel_nounzip) || (in->nmods && *flag)) {
            fprintf(stderr, "rensa %s: --nounzip must follow its --kernel or --module (once)\n", cmd);
            return -1;
        }
        *flag = true;
        return 1;
    }
    int known = 0;
    for (const char *const *w = with_value; *w; w++)
        known |= strcmp(a, *w) == 0;
    if (!known)
        return 0;
    if (*i + 1 >= argc) {
        fprintf(stderr, "rensa %s: %s needs a value\n", cmd, a);
        return -1;
    }
    const char *v = argv[++*i];
    if (strcmp(a, "--kernel") == 0) {
        if (in->kernel) {
            fprintf(stderr, "rensa %s: --kernel given twice\n", cmd);
            return -1;
        }
        in->kernel = v;
    } else if (strcmp(a, "--kernel-cmdline") == 0) {
        in->kernel_cmdline = v;
    } else if (strcmp(a, "--module") == 0) {
        if (in->nmods + 1 >= BOOT_MODS_MAX) {
            fprintf(stderr, "rensa %s: more than %u modules (the loader holds %u with the kernel)\n", cmd,
                    BOOT_MODS_MAX - 1, BOOT_MODS_MAX);
            return -1;
        }
        in->mod[in->nmods] = v;
        in->mod_cmdline[in->nmods] = NULL;
        in->nmods++;
    } else if (strcmp(a, "--module-cmdline") == 0) {
        if (in->nmods == 0 || in->mod_cmdline[in->nmods - 1]) {
            fprintf(stderr, "rensa %s: --module-cmdline must follow its --module (once)\n", cmd);
            return -1;
        }
        in->mod_cmdline[in->nmods - 1] = v;
    } else if (strcmp(a, "--rensa-cmdline") == 0) {
        in->rensa_cmdline = v;
    } else if (strcmp(a, "--banks") == 0) {
        if (!tbank_list(cmd, a, v, given_banks, EVLOG_MAX_BANKS, &ngiven_banks))
            return -1;
        banks_given = true;
    } else {
        if (strcmp(v, "none") == 0 || v[0] == '\0')
            ngiven_capped = 0;
        else if (!tbank_list(cmd, a, v, given_capped, EVLOG_MAX_BANKS, &ngiven_capped))
            return -1;
        capped_given = true;
    }
    return 1;
}

int measure_input_finish(const char *cmd, struct measure_input *in)
{
    if (!in->kernel && !in->s3_resume) {
        fprintf(stderr, "rensa %s: --kernel FILE is required (unless --s3-resume)\n", cmd);
        return EXIT_USAGE;
    }
    for (unsigned i = 0; i < in->nmods; i++)
        if (!in->mod_cmdline[i])
            in->mod_cmdline[i] = "";
    if (in->tpm12) {
        if (capped_given && ngiven_capped) {
            fprintf(stderr, "rensa %s: --tpm12 has one SHA-1 bank; nothing is capped\n", cmd);
            return EXIT_USAGE;
        }
        if (banks_given && (ngiven_banks != 1 || given_banks[0].alg != TPM_ALG_SHA1)) {
            fprintf(stderr, "rensa %s: --tpm12 has exactly one bank, sha1\n", cmd);
            return EXIT_USAGE;
        }
        in->banks[0] = known_banks[0];
        in->nbanks = 1;
        return 0;
    }
    if (!banks_given) {
        given_banks[0] = known_banks[0];
        given_banks[1] = known_banks[1];
        ngiven_banks = 2;
    }
    in->nbanks = 0;
    for (unsigned i = 0; i < ngiven_banks; i++) {
        if (given_banks[i].alg != TPM_ALG_SHA1 && given_banks[i].alg != TPM_ALG_SHA256 &&
            given_banks[i].alg != TPM_ALG_SHA384) {
            fprintf(stderr, "rensa %s: the loader cannot hash %s: give it with --capped\n", cmd,
                    given_banks[i].name);
            return EXIT_USAGE;
        }
        in->banks[in->nbanks++] = given_banks[i];
    }
    for (unsigned i = 0; i < ngiven_capped; i++) {
        if (given_capped[i].alg == TPM_ALG_SHA1 || given_capped[i].alg == TPM_ALG_SHA256 ||
            given_capped[i].alg == TPM_ALG_SHA384) {
            fprintf(stderr, "rensa %s: the loader hashes %s itself; it is never capped\n", cmd, given_capped[i].name);
            return EXIT_USAGE;
        }
        if (in->nbanks >= EVLOG_MAX_BANKS) {
            fprintf(stderr, "rensa %s: more than %u banks\n", cmd, EVLOG_MAX_BANKS);
            return EXIT_USAGE;
        }
        in->banks[in->nbanks] = given_capped[i];
        in->banks[in->nbanks++].capped = true;
    }
    return 0;
}

/* ------------------------------------------------------------------ plan */

static int add_event(const char *cmd, const struct measure_input *in, struct measure_plan *p, uint32_t type,
                     unsigned n, const char *text, size_t text_len)
{
    struct mevent *e = &p->ev[p->count++];
    e->pcr = (uint32_t)measure_pcr(p->opt.pcr_map, type, n);
    e->type = type;
    e->text = malloc(text_len + 1);
    if (!e->text) {
        fprintf(stderr, "rensa %s: out of memory\n", cmd);
        return EXIT_INPUT;
    }
    memcpy(e->text, text, text_len);
    e->text[text_len] = '\0';
    e->text_len = (uint32_t)text_len;
    for (unsigned b = 0; b < in->nbanks; b++) {
        if (in->banks[b].capped)
            memset(e->digest[b], 0xff, in->banks[b].size);
        else if (!ev_hash(in->banks[b].alg, text, text_len, e->digest[b])) {
            fprintf(stderr, "rensa %s: OpenSSL cannot compute %s\n", cmd, in->banks[b].name);
            return EXIT_INPUT;
        }
    }
    return 0;
}

/* Reading a file the way GRUB's multiboot 'module' command does: a gzip or
 * xz file is decompressed (GRUB's gzio and xzio filters) unless --nounzip
 * was given; GRUB's lzop filter is not reproduced, so an lzop file is an
 * error asking for --nounzip or a decompressed copy. */
struct unzip_reader {
    FILE *f;
    enum { RAW, GZIP, XZ } kind;
    gzFile gz;
    lzma_stream xz;
    uint8_t in[1 << 16];
    bool xz_end;
    const char *why;
};

static bool unzip_open(struct unzip_reader *r, const char *path, bool nounzip, const char *cmd)
{
    memset(r, 0, sizeof(*r));
    r->why = "read error";
    r->f = fopen(path, "rb");
    if (!r->f) {
        fprintf(stderr, "rensa %s: cannot read %s: %s\n", cmd, path, strerror(errno));
        return false;
    }
    uint8_t magic[6] = {0};
    size_t n = fread(magic, 1, sizeof(magic), r->f);
    rewind(r->f);
    r->kind = RAW;
    if (nounzip)
        return true;
    if (n >= 2 && magic[0] == 0x1f && magic[1] == 0x8b) {
        int fd = dup(fileno(r->f));
        r->gz = fd >= 0 ? gzdopen(fd, "rb") : NULL;
        if (!r->gz) {
            fprintf(stderr, "rensa %s: cannot open %s for gzip decompression\n", cmd, path);
            fclose(r->f);
            return false;
        }
        r->kind = GZIP;
    } else if (n == 6 && memcmp(magic, "\xfd" "7zXZ\0", 6) == 0) {
        lzma_stream init = LZMA_STREAM_INIT;
        r->xz = init;
        if (lzma_stream_decoder(&r->xz, UINT64_MAX, LZMA_CONCATENATED) != LZMA_OK) {
            fprintf(stderr, "rensa %s: cannot start xz decompression of %s\n", cmd, path);
            fclose(r->f);
            return false;
        }
        r->kind = XZ;
    } else if (n >= 4 && magic[0] == 0x89 && memcmp(magic + 1, "LZO", 3) == 0) {
        fprintf(stderr, "rensa %s: %s is lzop-compressed: GRUB would decompress it, rensa cannot; "
                "give a decompressed copy, or --nounzip if GRUB loads it with --nounzip\n", cmd, path);
        fclose(r->f);
        return false;
    }
    return true;
}

static size_t unzip_read(struct unzip_reader *r, uint8_t *buf, size_t size, bool *failed)
{
    if (r->kind == RAW) {
        size_t got = fread(buf, 1, size, r->f);
        if (got == 0 && ferror(r->f)) {
            r->why = strerror(errno);
            *failed = true;
        }
        return got;
    }
    if (r->kind == GZIP) {
        int got = gzread(r->gz, buf, (unsigned)size);
        if (got < 0) {
            int zerr;
            r->why = gzerror(r->gz, &zerr);
            *failed = true;
            return 0;
        }
        return (size_t)got;
    }
    if (r->xz_end)
        return 0;
    r->xz.next_out = buf;
    r->xz.avail_out = size;
    while (r->xz.avail_out > 0) {
        if (r->xz.avail_in == 0 && !feof(r->f)) {
            r->xz.next_in = r->in;
            r->xz.avail_in = fread(r->in, 1, sizeof(r->in), r->f);
        }
        lzma_ret ret = lzma_code(&r->xz, r->xz.avail_in == 0 ? LZMA_FINISH : LZMA_RUN);
        if (ret == LZMA_STREAM_END) {
            r->xz_end = true;
            break;
        }
        if (ret != LZMA_OK) {
            r->why = "corrupt xz data";
            *failed = true;
            return 0;
        }
    }
    return size - r->xz.avail_out;
}

static void unzip_close(struct unzip_reader *r)
{
    if (r->kind == GZIP)
        gzclose(r->gz);
    if (r->kind == XZ)
        lzma_end(&r->xz);
    fclose(r->f);
}

/* A kernel or module file: one read, every bank's digest, and its size. */
static int file_event(const char *cmd, const struct measure_input *in, struct measure_plan *p, bool kernel,
                      unsigned index, const char *path)
{
    bool nounzip = kernel ? in->kernel_nounzip : in->mod_nounzip[index - 1];
    struct unzip_reader f;
    if (!unzip_open(&f, path, nounzip, cmd))
        return EXIT_INPUT;
    EVP_MD_CTX *ctx[EVLOG_MAX_BANKS] = {0};
    int rc = 0;
    for (unsigned b = 0; b < in->nbanks && !rc; b++) {
        if (in->banks[b].capped)
            continue;
        ctx[b] = EVP_MD_CTX_new();
        if (!ctx[b] || EVP_DigestInit_ex(ctx[b], ev_md(in->banks[b].alg), NULL) != 1)
            rc = EXIT_INPUT;
    }
    static uint8_t buf[1 << 16];
    unsigned long long total = 0;
    size_t got;
    bool read_failed = false;
    while (!rc && (got = unzip_read(&f, buf, sizeof(buf), &read_failed)) > 0) {
        total += got;
        for (unsigned b = 0; b < in->nbanks; b++)
            if (ctx[b] && EVP_DigestUpdate(ctx[b], buf, got) != 1)
                rc = EXIT_INPUT;
    }
    if (read_failed) {
        fprintf(stderr, "rensa %s: cannot read %s: %s\n", cmd, path, f.why);
        rc = EXIT_INPUT;
    }
    unzip_close(&f);
    char text[96];
    if (kernel)
        snprintf(text, sizeof(text), "kernel: module %u, %llu bytes", index, total);
    else
        snprintf(text, sizeof(text), "module: %u, %llu bytes", index, total);
    struct mevent *e = NULL;
    if (!rc) {
        e = &p->ev[p->count++];
        uint32_t type = kernel ? EV_RENSA_KERNEL : EV_RENSA_MODULE;
        e->pcr = (uint32_t)measure_pcr(p->opt.pcr_map, type, 0);
        e->type = type;
        e->text = strdup(text);
        e->text_len = (uint32_t)strlen(text);
        if (!e->text)
            rc = EXIT_INPUT;
    }
    for (unsigned b = 0; b < in->nbanks; b++) {
        if (e && in->banks[b].capped)
            memset(e->digest[b], 0xff, in->banks[b].size);
        else if (e && ctx[b]) {
            unsigned n = 0;
            if (!rc && EVP_DigestFinal_ex(ctx[b], e->digest[b], &n) != 1)
                rc = EXIT_INPUT;
        }
        EVP_MD_CTX_free(ctx[b]);
    }
    if (rc && !read_failed)
        fprintf(stderr, "rensa %s: OpenSSL failed hashing %s\n", cmd, path);
    return rc;
}

static bool too_long(const char *cmd, const char *what, const char *s)
{
    size_t n = strlen(s);
    if (n < BOOT_CMDLINE_MAX)
        return false;
    fprintf(stderr, "rensa %s: error: %s: %s is %zu bytes long; at most %u are accepted\n", cmd,
            err_name(E_CMDLINE_TOO_LONG), what, n, BOOT_CMDLINE_MAX - 1);
    return true;
}

int measure_plan_build(const char *cmd, const struct measure_input *in, struct measure_plan *p)
{
    memset(p, 0, sizeof(*p));
    if (too_long(cmd, "Rensa's command line", in->rensa_cmdline) ||
        too_long(cmd, "the kernel's command line", in->kernel_cmdline))
        return EXIT_INPUT;
    for (unsigned i = 0; i < in->nmods; i++)
        if (too_long(cmd, "a module's command line", in->mod_cmdline[i]))
            return EXIT_INPUT;
    struct diag d;
    options_default(&p->opt);
    enum rensa_err e = options_parse(in->rensa_cmdline, &p->opt, &d);
    if (e) {
        fprintf(stderr, "rensa %s: error: %s: %s\n", cmd, err_name(e), d.msg);
        return EXIT_INPUT;
    }
    /* The policy names capped banks as the loader does (tpm_alg_name), in
     * bank order. */
    char capped[64] = "";
    size_t clen = 0;
    for (unsigned b = 0; b < in->nbanks; b++)
        if (in->banks[b].capped)
            clen += (size_t)snprintf(capped + clen, sizeof(capped) - clen, "%s%s", clen ? "," : "",
                                     tpm_alg_name(in->banks[b].alg));
    if (!measure_policy_string(&p->opt, capped, in->rensa_cmdline, p->policy, sizeof(p->policy))) {
        fprintf(stderr, "rensa %s: error: %s: the policy string does not fit %u bytes\n", cmd,
                err_name(E_CMDLINE_TOO_LONG), MEASURE_POLICY_MAX);
        return EXIT_INPUT;
    }
    int rc = 0;
    for (unsigned n = 0; !rc && measure_pcr(p->opt.pcr_map, EV_RENSA_NO_DRTM, n) >= 0; n++)
        rc = add_event(cmd, in, p, EV_RENSA_NO_DRTM, n, MEASURE_NO_DRTM_TEXT, strlen(MEASURE_NO_DRTM_TEXT));
    if (!rc)
        rc = add_event(cmd, in, p, EV_RENSA_POLICY, 0, p->policy, strlen(p->policy));
    if (in->s3_resume) {
        /* After an S3 re-launch the kernel in memory is not measured again:
         * one event says so, instead of events 3-6 (loader/measure.c). */
        if (!rc)
            rc = add_event(cmd, in, p, EV_RENSA_S3_RESUME, 0, MEASURE_S3_TEXT, strlen(MEASURE_S3_TEXT));
    } else {
        if (!rc)
            rc = file_event(cmd, in, p, true, 0, in->kernel);
        if (!rc)
            rc = add_event(cmd, in, p, EV_RENSA_KERNEL_CMDLINE, 0, in->kernel_cmdline, strlen(in->kernel_cmdline));
        for (unsigned i = 0; !rc && i < in->nmods; i++) {
            rc = file_event(cmd, in, p, false, i + 1, in->mod[i]);
            if (!rc)
                rc = add_event(cmd, in, p, EV_RENSA_MODULE_CMDLINE, 0, in->mod_cmdline[i], strlen(in->mod_cmdline[i]));
        }
    }
    if (rc)
        measure_plan_free(p);
    return rc;
}

void measure_plan_free(struct measure_plan *p)
{
    for (unsigned i = 0; i < p->count; i++) {
        free(p->ev[i].text);
        p->ev[i].text = NULL;
    }
    p->count = 0;
}

const char *ev_type_name(uint32_t type)
{
    static const struct {
        uint32_t type;
        const char *name;
    } names[] = {
        {0x0, "EV_PREBOOT_CERT"},
        {0x1, "EV_POST_CODE"},
        {0x2, "EV_UNUSED"},
        {0x3, "EV_NO_ACTION"},
        {0x4, "EV_SEPARATOR"},
        {0x5, "EV_ACTION"},
        {0x6, "EV_EVENT_TAG"},
        {0x7, "EV_S_CRTM_CONTENTS"},
        {0x8, "EV_S_CRTM_VERSION"},
        {0x9, "EV_CPU_MICROCODE"},
        {0xA, "EV_PLATFORM_CONFIG_FLAGS"},
        {0xB, "EV_TABLE_OF_DEVICES"},
        {0xC, "EV_COMPACT_HASH"},
        {0xD, "EV_IPL"},
        {0xE, "EV_IPL_PARTITION_DATA"},
        {0xF, "EV_NONHOST_CODE"},
        {0x10, "EV_NONHOST_CONFIG"},
        {0x11, "EV_NONHOST_INFO"},
        {0x12, "EV_OMIT_BOOT_DEVICE_EVENTS"},
        /* Intel TXT event types (TXT Software Development Guide, "Event
         * Log"; tboot's EVTYPE_*): what SINIT and the ACMs log. */
        {0x400, "TXT BASE"},
        {0x401, "TXT PCR_MAPPING"},
        {EV_TXT_HASH_START, "TXT HASH_START"},
        {0x403, "TXT COMBINED_HASH"},
        {EV_TXT_MLE_HASH, "TXT MLE_HASH"},
        {EV_TXT_BIOSAC_REG_DATA, "TXT BIOSAC_REG_DATA"},
        {0x40B, "TXT CPU_SCRTM_STAT"},
        {0x40C, "TXT LCP_CONTROL_HASH"},
        {0x40D, "TXT ELEMENTS_HASH"},
        {0x40E, "TXT STM_HASH"},
        {0x40F, "TXT OSSINITDATA_CAP_HASH"},
        {0x410, "TXT SINIT_PUBKEY_HASH"},
        {0x411, "TXT LCP_HASH"},
        {0x412, "TXT LCP_DETAILS_HASH"},
        {0x413, "TXT LCP_AUTHORITIES_HASH"},
        {0x414, "TXT NV_INFO_HASH"},
        {0x415, "TXT COLD_BOOT_BIOS_HASH"},
        {0x416, "TXT KM_HASH"},
        {0x417, "TXT BPM_HASH"},
        {0x418, "TXT KM_INFO_HASH"},
        {0x419, "TXT BPM_INFO_HASH"},
        {0x41A, "TXT BOOT_POL_HASH"},
        {0x4FE, "TXT RANDOM_VALUE"},
        {0x4FF, "TXT CAP_VALUE"},
        {EV_RENSA_NO_DRTM, "EV_RENSA_NO_DRTM"},
        {EV_RENSA_POLICY, "EV_RENSA_POLICY"},
        {EV_RENSA_KERNEL, "EV_RENSA_KERNEL"},
        {EV_RENSA_KERNEL_CMDLINE, "EV_RENSA_KERNEL_CMDLINE"},
        {EV_RENSA_MODULE, "EV_RENSA_MODULE"},
        {EV_RENSA_MODULE_CMDLINE, "EV_RENSA_MODULE_CMDLINE"},
        {EV_RENSA_S3_RESUME, "EV_RENSA_S3_RESUME"},
    };
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (names[i].type == type)
            return names[i].name;
    return NULL;
}
