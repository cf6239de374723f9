/* Parsing and validating an AC module: header, information table (versions
 * 3..9) and its lists (see include/acm.h). Every length and offset is
 * checked against the module size, in 64-bit arithmetic so nothing wraps,
 * before anything is read through it. */
#include <stdarg.h>
#include "acm.h"
#include "fmt.h"
#include "rstring.h"

static const struct {
    const char *name, *text;
    enum rensa_err err;
} reasons[] = {
#define ACM_REASON_ROW(name, err, text) {#name, HOST_TEXT(text), err},
    ACM_REASONS(ACM_REASON_ROW)
#undef ACM_REASON_ROW
};

const char *acm_reason_name(enum acm_reason r)
{
    return (unsigned)r < ARRAY_SIZE(reasons) ? reasons[r].name : "ACM_R_UNKNOWN";
}

const char *acm_reason_text(enum acm_reason r)
{
    return (unsigned)r < ARRAY_SIZE(reasons) ? reasons[r].text : "unknown reason";
}

enum rensa_err acm_reason_err(enum acm_reason r)
{
    return (unsigned)r < ARRAY_SIZE(reasons) ? reasons[r].err : E_ACM_MALFORMED;
}

enum acm_reason acm_reason_set(struct diag *d, enum acm_reason r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_vset_reason(d, acm_reason_err(r), acm_reason_name(r), fmt, ap);
    va_end(ap);
    return r;
}

static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint16_t rd16(const uint8_t *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

static const uint8_t acm_uuid_v3[16] = ACM_UUID_V3_BYTES;

/* A legacy (version < 9) list at off: a 32-bit count, then entries. */
static enum acm_reason legacy_list(const struct acm *a, const char *what, uint32_t off, uint32_t entry,
                                   struct acm_list *l, struct diag *d)
{
    if (off < a->info_off || (uint64_t)off + 4 > a->size)
        return acm_reason_set(d, ACM_R_LIST_OFFSET,
                    "the %s at offset 0x%x is outside the module's user area (0x%x..0x%x)", what, off,
                    a->info_off, a->size);
    uint32_t count = rd32(a->base + off);
    if ((uint64_t)off + 4 + (uint64_t)count * entry > a->size)
        return acm_reason_set(d, ACM_R_LIST_COUNT, "the %s at 0x%x claims %u entries of %u bytes, past the module end 0x%x",
                    what, off, count, entry, a->size);
    l->off = off + 4;
    l->count = count;
    l->present = true;
    return ACM_OK;
}

/* The TPM info list: capabilities (32 bits), count (16 bits), algorithm IDs. */
static enum acm_reason tpm_list(struct acm *a, uint64_t off, uint64_t end, struct diag *d)
{
    if (off + 6 > end)
        return acm_reason_set(d, ACM_R_LIST_COUNT, "the TPM info list at 0x%llx is cut off at 0x%llx",
                    (unsigned long long)off, (unsigned long long)end);
    a->tpm_caps = rd32(a->base + off);
    uint32_t count = rd16(a->base + off + 4);
    if (off + 6 + (uint64_t)count * 2 > end)
        return acm_reason_set(d, ACM_R_LIST_COUNT, "the TPM info list at 0x%llx claims %u algorithms, past 0x%llx",
                    (unsigned long long)off, count, (unsigned long long)end);
    a->tpm_algs.off = (uint32_t)off + 6;
    a->tpm_algs.count = count;
    a->tpm_algs.present = true;
    a->has_tpm_info = true;
    return ACM_OK;
}

static enum acm_reason tlv_lists(struct acm *a, struct diag *d)
{
    uint64_t pos = (uint64_t)a->info_off + a->info.length;
    for (;;) {
        if (pos + ACM_TLV_HDR_LEN > a->size)
            return acm_reason_set(d, ACM_R_TLV_NO_TERM, "the version 9 lists reach the module end 0x%x without TERM",
                        a->size);
        uint32_t id = rd32(a->base + pos), sz = rd32(a->base + pos + 4);
        if (id == ACM_TLV_TERM)
            return ACM_OK;
        if (sz < ACM_TLV_HDR_LEN || pos + sz > a->size)
            return acm_reason_set(d, ACM_R_TLV_SIZE, "the list entry 0x%08x at 0x%llx has size %u (at least 12, ends by 0x%x)",
                        id, (unsigned long long)pos, sz, a->size);
        uint64_t body = pos + ACM_TLV_HDR_LEN, end = pos + sz;
        struct acm_list *l = NULL;
        uint32_t entry = 0;
        const char *what = "";
        switch (id) {
        case ACM_TLV_CS1L:
            l = &a->chipsets, entry = sizeof(struct acm_chipset_id), what = "CS1L chipset list";
            break;
        case ACM_TLV_CS2L:
            l = &a->chipsets2, entry = sizeof(struct acm_chipset_id), what = "CS2L chipset list";
            break;
        case ACM_TLV_CPUL:
            l = &a->processors, entry = sizeof(struct acm_processor_id), what = "CPUL processor list";
            break;
        case ACM_TLV_TPML:
            if (a->has_tpm_info)
                return acm_reason_set(d, ACM_R_TLV_DUPLICATE, "a second TPML list at 0x%llx", (unsigned long long)pos);
            {
                enum acm_reason r = tpm_list(a, body, end, d);
                if (r != ACM_OK)
                    return r;
            }
            break;
        default:
            a->tlv_unknown++;
            break;
        }
        if (l) {
            if (l->present)
                return acm_reason_set(d, ACM_R_TLV_DUPLICATE, "a second %s at 0x%llx", what, (unsigned long long)pos);
            if (body + 4 > end)
                return acm_reason_set(d, ACM_R_LIST_COUNT, "the %s at 0x%llx has no room for its count", what,
                            (unsigned long long)pos);
            uint32_t count = rd32(a->base + body);
            if (body + 4 + (uint64_t)count * entry > end)
                return acm_reason_set(d, ACM_R_LIST_COUNT, "the %s at 0x%llx claims %u entries, more than its %u bytes hold",
                            what, (unsigned long long)pos, count, sz);
            l->off = (uint32_t)body + 4;
            l->count = count;
            l->present = true;
        }
        pos = end;
    }
}

enum acm_reason acm_parse(const void *p, uint64_t len, struct acm *a, struct diag *d)
{
    memset(a, 0, sizeof(*a));
    if (d) {
        d->code = E_OK;
        d->msg[0] = '\0';
    }
    if (!p)
        return acm_reason_set(d, ACM_R_NULL, "the module's memory is not addressable");
    a->base = p;
    a->file_len = len;
    if (len < sizeof(struct acm_header))
        return acm_reason_set(d, ACM_R_TOO_SMALL, "%llu bytes, shorter than the 128-byte AC module header",
                    (unsigned long long)len);
    memcpy(&a->hdr, p, sizeof(a->hdr));
    const struct acm_header *h = &a->hdr;
    if (h->module_type != ACM_MODULE_TYPE_CHIPSET)
        return acm_reason_set(d, ACM_R_MODULE_TYPE, "module type %u, a chipset AC module has 2", h->module_type);
#ifdef RENSA_EMULATED_LAUNCH
    if (h->module_vendor == ACM_VENDOR_RENSA_STANDIN) {
        /* the stand-in SINIT: accepted by this test build only */
    } else
#endif
    if (h->module_vendor == ACM_VENDOR_RENSA_STANDIN)
        return acm_reason_set(d, ACM_R_VENDOR, "module vendor 0x%x: the stand-in SINIT (test builds only)", h->module_vendor);
    else if (h->module_vendor != ACM_VENDOR_INTEL)
        return acm_reason_set(d, ACM_R_VENDOR, "module vendor 0x%x, not Intel (0x8086)", h->module_vendor);
    uint64_t size = (uint64_t)h->size * 4;
    if (size == 0)
        return acm_reason_set(d, ACM_R_SIZE_ZERO, "the header's module size is 0");
    if (size > len)
        return acm_reason_set(d, ACM_R_TRUNCATED, "the header says %llu bytes but only %llu are there",
                    (unsigned long long)size, (unsigned long long)len);
    if (size & 63)
        return acm_reason_set(d, ACM_R_SIZE_ALIGN, "module size %llu bytes is not a multiple of 64", (unsigned long long)size);
    if (size > 0xffffffc0u)
        return acm_reason_set(d, ACM_R_TRUNCATED, "module size %llu bytes is beyond 4 GiB", (unsigned long long)size);
    a->size = (uint32_t)size;

    uint32_t key_dw, sig_len, exp_len;
    if (h->header_version == ACM_HDR_VER_0_0)
        key_dw = 64, sig_len = 256, exp_len = 4;
    else if (h->header_version == ACM_HDR_VER_3_0)
        key_dw = 96, sig_len = 384, exp_len = 0;
    else
        return acm_reason_set(d, ACM_R_HEADER_VERSION, "header version 0x%08x (Rensa knows 0x00000000 and 0x00030000)",
                    h->header_version);
    if (h->key_size != key_dw)
        return acm_reason_set(d, ACM_R_KEY_SIZE, "key size %u dwords, header version 0x%08x has %u", h->key_size,
                    h->header_version, key_dw);
    uint64_t hdr_bytes = (uint64_t)h->header_len * 4;
    uint32_t need = (uint32_t)sizeof(struct acm_header) + key_dw * 4 + exp_len + sig_len;
    if (hdr_bytes < need || hdr_bytes > size)
        return acm_reason_set(d, ACM_R_HEADER_LEN, "header length %llu bytes; needs %u for its key and signature, at most %u",
                    (unsigned long long)hdr_bytes, need, a->size);
    a->header_bytes = (uint32_t)hdr_bytes;
    a->key_off = sizeof(struct acm_header);
    a->key_len = key_dw * 4;
    if (exp_len) {
        a->exp_off = a->key_off + a->key_len;
        a->exponent = rd32(a->base + a->exp_off);
    }
    a->sig_off = a->key_off + a->key_len + exp_len;
    a->sig_len = sig_len;
    uint64_t info_off = hdr_bytes + (uint64_t)h->scratch_size * 4;
    if (info_off > size)
        return acm_reason_set(d, ACM_R_SCRATCH, "header (%u bytes) plus scratch (%llu bytes) end at 0x%llx, past the module end 0x%x",
                    a->header_bytes, (unsigned long long)h->scratch_size * 4, (unsigned long long)info_off, a->size);
    a->scratch_off = a->header_bytes;
    a->scratch_len = (uint32_t)(info_off - hdr_bytes);
    a->info_off = (uint32_t)info_off;

    if (h->entry_point >= size)
        return acm_reason_set(d, ACM_R_ENTRY, "entry point 0x%x is not below the module size 0x%x", h->entry_point, a->size);
    if ((uint64_t)h->gdt_base + h->gdt_limit + 1 > size)
        return acm_reason_set(d, ACM_R_GDT, "GDT at 0x%x with limit 0x%x ends past the module end 0x%x", h->gdt_base,
                    h->gdt_limit, a->size);
    if (h->seg_sel == 0 || (h->seg_sel & 7) || (uint64_t)h->seg_sel + 7 > h->gdt_limit)
        return acm_reason_set(d, ACM_R_SEG_SEL, "segment selector 0x%x with GDT limit 0x%x", h->seg_sel, h->gdt_limit);

    /* Information table */
    if (info_off + ACM_INFO_LEN_V3 > size)
        return acm_reason_set(d, ACM_R_INFO_PAST_END, "the information table at 0x%x needs %u bytes, the module ends at 0x%x",
                    a->info_off, ACM_INFO_LEN_V3, a->size);
    uint64_t avail = size - info_off;
    memcpy(&a->info, a->base + info_off, avail < sizeof(a->info) ? (size_t)avail : sizeof(a->info));
    struct acm_info_table *t = &a->info;
    if (memcmp(t->uuid, acm_uuid_v3, sizeof(t->uuid)) != 0)
        return acm_reason_set(d, ACM_R_UUID, "the information table at 0x%x does not start with ACM_UUID_V3", a->info_off);
    if (t->version < ACM_INFO_MIN_VERSION || t->version > ACM_INFO_MAX_VERSION)
        return acm_reason_set(d, ACM_R_INFO_VERSION, "information table version %u; Rensa reads versions 3 to 9", t->version);
    uint32_t fixed = t->version >= 5 ? ACM_INFO_LEN_V5 : t->version == 4 ? ACM_INFO_LEN_V4 : ACM_INFO_LEN_V3;
    if (t->length < fixed || info_off + t->length > size)
        return acm_reason_set(d, ACM_R_INFO_LENGTH, "information table version %u has length %u (needs %u, ends by 0x%x)",
                    t->version, t->length, fixed, a->size);
    if (t->version < 5)
        t->tpm_info_list = 0;
    if (t->version < 4)
        t->processor_id_list = 0;

    enum acm_reason r;
    if (t->version < 9) {
        r = legacy_list(a, "chipset ID list", t->chipset_id_list, sizeof(struct acm_chipset_id), &a->chipsets, d);
        if (r != ACM_OK)
            return r;
        if (t->version >= 4) {
            r = legacy_list(a, "processor ID list", t->processor_id_list, sizeof(struct acm_processor_id),
                            &a->processors, d);
            if (r != ACM_OK)
                return r;
        }
        if (t->version >= 5) {
            uint32_t off = t->tpm_info_list;
            if (off < a->info_off || (uint64_t)off + 6 > size)
                return acm_reason_set(d, ACM_R_LIST_OFFSET, "the TPM info list at offset 0x%x is outside the module's user area (0x%x..0x%x)",
                            off, a->info_off, a->size);
            r = tpm_list(a, off, size, d);
            if (r != ACM_OK)
                return r;
        }
    } else {
        r = tlv_lists(a, d);
        if (r != ACM_OK)
            return r;
        if (!a->chipsets.present && !a->chipsets2.present)
            return acm_reason_set(d, ACM_R_TLV_MISSING, "the version 9 lists have neither CS1L nor CS2L");
    }
    if ((a->chipsets.present && a->chipsets.count == 0) || (a->chipsets2.present && a->chipsets2.count == 0))
        return acm_reason_set(d, ACM_R_LIST_EMPTY, "the chipset ID list has no entries, so no chipset can match");
    if (a->processors.present && a->processors.count == 0)
        return acm_reason_set(d, ACM_R_LIST_EMPTY, "the processor ID list has no entries, so no processor can match");
    if (t->chipset_acm_type != ACM_CHIPSET_TYPE_SINIT)
        return acm_reason_set(d, ACM_R_NOT_SINIT, "the information table says chipset ACM type %u (%s), not SINIT (1)",
                    t->chipset_acm_type, acm_chipset_type_name(t->chipset_acm_type));
    return ACM_OK;
}

struct acm_chipset_id acm_chipset_at(const struct acm *a, const struct acm_list *l, uint32_t i)
{
    struct acm_chipset_id c;
    memset(&c, 0, sizeof(c));
    if (l->present && i < l->count)
        memcpy(&c, a->base + l->off + (uint64_t)i * sizeof(c), sizeof(c));
    return c;
}

struct acm_processor_id acm_processor_at(const struct acm *a, uint32_t i)
{
    struct acm_processor_id c;
    memset(&c, 0, sizeof(c));
    if (a->processors.present && i < a->processors.count)
        memcpy(&c, a->base + a->processors.off + (uint64_t)i * sizeof(c), sizeof(c));
    return c;
}

uint16_t acm_tpm_alg_at(const struct acm *a, uint32_t i)
{
    if (!a->tpm_algs.present || i >= a->tpm_algs.count)
        return 0;
    return rd16(a->base + a->tpm_algs.off + (uint64_t)i * 2);
}

unsigned acm_platform_type(const struct acm *a)
{
    if (a->info.version < 5)
        return ACM_PLATFORM_LEGACY;
    return (a->info.capabilities & ACM_CAP_PLATFORM_TYPE_MASK) >> ACM_CAP_PLATFORM_TYPE_SHIFT;
}

const char *acm_chipset_type_name(uint8_t t)
{
    switch (t) {
    case ACM_CHIPSET_TYPE_BIOS:
        return "BIOS";
    case ACM_CHIPSET_TYPE_SINIT:
        return "SINIT";
    case ACM_CHIPSET_TYPE_BIOS_REVOC:
        return "BIOS revocation";
    case ACM_CHIPSET_TYPE_SINIT_REVOC:
        return "SINIT revocation";
    default:
        return "unknown";
    }
}

const char *acm_alg_name(uint16_t alg)
{
    switch (alg) {
    case ACM_ALG_SHA1:
        return "sha1";
    case ACM_ALG_SHA256:
        return "sha256";
    case ACM_ALG_SHA384:
        return "sha384";
    case ACM_ALG_SHA512:
        return "sha512";
    case ACM_ALG_SM3_256:
        return "sm3_256";
    default:
        return "unknown";
    }
}

const char *acm_platform_type_name(unsigned t)
{
    switch (t) {
    case ACM_PLATFORM_LEGACY:
        return "not stated";
    case ACM_PLATFORM_CLIENT:
        return "client";
    case ACM_PLATFORM_SERVER:
        return "server";
    default:
        return "reserved";
    }
}

bool acm_date_valid(uint32_t date)
{
    for (unsigned i = 0; i < 8; i++)
        if (((date >> (4 * i)) & 0xf) > 9)
            return false;
    uint32_t month = (date >> 8) & 0xff, day = date & 0xff;
    return month >= 0x01 && month <= 0x12 && day >= 0x01 && day <= 0x31 && (date >> 16) >= 0x1990;
}
