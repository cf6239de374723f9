/* TPM driver core: detection (interface, family), localities, the
 * transmit path with its timeouts and one retry, and return-code names. */
#include "acpi.h"
#include "marshal.h"
#include "platform.h"
#include "rstring.h"
#include "tpm.h"
#include "tpm12.h"
#include "tpm2.h"

#define TIS_ACCESS 0x00u
#define TIS_STS 0x18u
#define TIS_INTERFACE_ID 0x30u
#define TIS_DID_VID 0xF00u

#define INTF_TYPE_FIFO 0x0u
#define INTF_TYPE_CRB 0x1u
#define INTF_TYPE_TIS 0xFu

#define STS_FAMILY_SHIFT 26
#define STS_FAMILY_MASK 0x3u

#define RETRY_RC_MAX 3u /* sends of a command the TPM answers with "retry" */

unsigned tpm_alg_digest_size(uint16_t alg)
{
    switch (alg) {
    case TPM_ALG_SHA1:
        return 20;
    case TPM_ALG_SHA256:
    case TPM_ALG_SM3_256:
        return 32;
    case TPM_ALG_SHA384:
        return 48;
    case TPM_ALG_SHA512:
        return 64;
    }
    return 0;
}

const char *tpm_alg_name(uint16_t alg)
{
    switch (alg) {
    case TPM_ALG_SHA1:
        return "SHA-1";
    case TPM_ALG_SHA256:
        return "SHA-256";
    case TPM_ALG_SHA384:
        return "SHA-384";
    case TPM_ALG_SHA512:
        return "SHA-512";
    case TPM_ALG_SM3_256:
        return "SM3-256";
    }
    return "unknown algorithm";
}

struct rc_name {
    uint16_t rc;
    const char *name;
};

static const struct rc_name rc12_names[] = {
    {0x001, "TPM_AUTHFAIL"},         {0x002, "TPM_BADINDEX"},       {0x003, "TPM_BAD_PARAMETER"},
    {0x006, "TPM_DEACTIVATED"},      {0x007, "TPM_DISABLED"},       {0x009, "TPM_FAIL"},
    {0x00A, "TPM_BAD_ORDINAL"},      {0x011, "TPM_NOSPACE"},        {0x017, "TPM_SIZE"},
    {0x018, "TPM_WRONGPCRVAL"},      {0x019, "TPM_BAD_PARAM_SIZE"}, {0x01C, "TPM_FAILEDSELFTEST"},
    {0x01E, "TPM_BADTAG"},           {0x026, "TPM_INVALID_POSTINIT"}, {0x03C, "TPM_AREA_LOCKED"},
    {0x03D, "TPM_BAD_LOCALITY"},     {0x800, "TPM_RETRY"},          {0x801, "TPM_NEEDS_SELFTEST"},
    {0x802, "TPM_DOING_SELFTEST"},   {0x803, "TPM_DEFEND_LOCK_RUNNING"},
};

/* TPM 2.0 format-zero codes (bit 7 clear), matched exactly. */
static const struct rc_name rc20_fmt0[] = {
    {0x01E, "TPM_RC_BAD_TAG"},          {0x100, "TPM_RC_INITIALIZE"},     {0x101, "TPM_RC_FAILURE"},
    {0x103, "TPM_RC_SEQUENCE"},         {0x120, "TPM_RC_DISABLED"},       {0x125, "TPM_RC_AUTH_MISSING"},
    {0x127, "TPM_RC_PCR"},              {0x128, "TPM_RC_PCR_CHANGED"},    {0x130, "TPM_RC_REBOOT"},
    {0x142, "TPM_RC_COMMAND_SIZE"},     {0x143, "TPM_RC_COMMAND_CODE"},   {0x144, "TPM_RC_AUTHSIZE"},
    {0x146, "TPM_RC_NV_RANGE"},         {0x147, "TPM_RC_NV_SIZE"},        {0x148, "TPM_RC_NV_LOCKED"},
    {0x149, "TPM_RC_NV_AUTHORIZATION"}, {0x14A, "TPM_RC_NV_UNINITIALIZED"}, {0x153, "TPM_RC_NEEDS_TEST"},
    {0x907, "TPM_RC_LOCALITY"},         {0x908, "TPM_RC_YIELDED"},        {0x909, "TPM_RC_CANCELED"},
    {0x90A, "TPM_RC_TESTING"},          {0x920, "TPM_RC_NV_RATE"},        {0x921, "TPM_RC_LOCKOUT"},
    {0x922, "TPM_RC_RETRY"},            {0x923, "TPM_RC_NV_UNAVAILABLE"},
};

/* TPM 2.0 format-one codes (bit 7 set): the low 6 bits, whatever handle,
 * session or parameter number bits 8-11 carry. */
static const struct rc_name rc20_fmt1[] = {
    {0x082, "TPM_RC_ATTRIBUTES"}, {0x083, "TPM_RC_HASH"},      {0x084, "TPM_RC_VALUE"},
    {0x085, "TPM_RC_HIERARCHY"},  {0x08A, "TPM_RC_TYPE"},      {0x08B, "TPM_RC_HANDLE"},
    {0x08D, "TPM_RC_RANGE"},      {0x08E, "TPM_RC_AUTH_FAIL"}, {0x08F, "TPM_RC_NONCE"},
    {0x095, "TPM_RC_SIZE"},       {0x097, "TPM_RC_TAG"},       {0x098, "TPM_RC_SELECTOR"},
    {0x09A, "TPM_RC_INSUFFICIENT"}, {0x0A1, "TPM_RC_RESERVED_BITS"}, {0x0A2, "TPM_RC_BAD_AUTH"},
};

static const char *rc_lookup(const struct rc_name *tab, size_t n, uint32_t rc)
{
    for (size_t i = 0; i < n; i++)
        if (tab[i].rc == rc)
            return tab[i].name;
    return NULL;
}

const char *tpm_rc_name(enum tpm_family f, uint32_t rc)
{
    if (rc == 0)
        return f == TPM_FAMILY_12 ? "TPM_SUCCESS" : "TPM_RC_SUCCESS";
    if (f == TPM_FAMILY_12)
        return rc_lookup(rc12_names, ARRAY_SIZE(rc12_names), rc);
    if (rc > 0xFFFu)
        return NULL;
    if (rc & 0x080u)
        return rc_lookup(rc20_fmt1, ARRAY_SIZE(rc20_fmt1), 0x080u | (rc & 0x03Fu));
    return rc_lookup(rc20_fmt0, ARRAY_SIZE(rc20_fmt0), rc);
}

enum rensa_err tpm_rc_error(struct tpm *t, uint32_t rc, const char *what, struct diag *d)
{
    const char *n = tpm_rc_name(t->family, rc);
    return diag_set(d, E_TPM_RC, "%s failed: the TPM returned 0x%x (%s)", what, (unsigned)rc,
                    n ? n : "no name known");
}

void tpm_default_timeouts(struct tpm *t)
{
    if (t->family == TPM_FAMILY_20) {
        /* PTP: TIMEOUT_A-D fixed at 750/2000/200/30 ms. Durations: see
         * docs/tpm.md (PTP's 20/750/1000 ms raised to bound a hang only). */
        t->to.a = 750;
        t->to.b = 2000;
        t->to.c = 200;
        t->to.d = 30;
        t->to.dur[TPM_DUR_SHORT] = 750;
        t->to.dur[TPM_DUR_MEDIUM] = 2000;
        t->to.dur[TPM_DUR_LONG] = 90000;
    } else {
        /* TIS 1.2/1.3 defaults until TPM_CAP_PROP_TIS_TIMEOUT/DURATION. */
        t->to.a = 750;
        t->to.b = 2000;
        t->to.c = 750;
        t->to.d = 750;
        t->to.dur[TPM_DUR_SHORT] = 2000;
        t->to.dur[TPM_DUR_MEDIUM] = 20000;
        t->to.dur[TPM_DUR_LONG] = 600000;
    }
}

enum rensa_err tpm_request_locality(struct tpm *t, unsigned loc, struct diag *d)
{
    if (loc > TPM_LOCALITY_MAX)
        return diag_set(d, E_TPM_LOCALITY, "TPM locality %u requested; Rensa uses localities 0-3", loc);
    if (t->locality == (int)loc)
        return E_OK;
    if (t->locality >= 0) {
        enum rensa_err e = tpm_release_locality(t, d);
        if (e)
            return e;
    }
    switch (t->iface) {
    case TPM_IF_TIS:
    case TPM_IF_FIFO:
        return tis_request_locality(t, loc, d);
    case TPM_IF_CRB:
        return crb_request_locality(t, loc, d);
    case TPM_IF_NONE:
        break;
    }
    return diag_set(d, E_TPM_INTERFACE, "TPM locality %u requested before a TPM was detected", loc);
}

enum rensa_err tpm_release_locality(struct tpm *t, struct diag *d)
{
    if (t->locality < 0)
        return E_OK;
    switch (t->iface) {
    case TPM_IF_TIS:
    case TPM_IF_FIFO:
        return tis_release_locality(t, d);
    case TPM_IF_CRB:
        return crb_release_locality(t, d);
    case TPM_IF_NONE:
        break;
    }
    t->locality = -1;
    return E_OK;
}

enum rensa_err tpm_transmit(struct tpm *t, const uint8_t *cmd, size_t len, uint8_t *rsp, size_t rsp_max,
                            size_t *rsp_len, enum tpm_dur cls, struct diag *d)
{
    if (t->locality < 0)
        return diag_set(d, E_TPM_LOCALITY, "a TPM command was to be sent with no locality active");
    if (len < 10 || len > TPM_BUF_MAX || be32_get(cmd + 2) != len)
        return diag_set(d, E_TPM_ARG, "a TPM command of %u bytes has a size field that does not match (or is "
                        "outside 10..%u)", (unsigned)len, TPM_BUF_MAX);
    if ((unsigned)cls > TPM_DUR_LONG)
        cls = TPM_DUR_LONG;
    uint32_t dur = t->to.dur[cls];
    enum rensa_err e = E_TPM_INTERFACE;
    for (unsigned attempt = 0; attempt < 2; attempt++) {
        t->commands++;
        if (t->iface == TPM_IF_CRB)
            e = crb_transmit(t, cmd, len, rsp, rsp_max, rsp_len, dur, d);
        else if (t->iface == TPM_IF_TIS || t->iface == TPM_IF_FIFO)
            e = tis_transmit(t, cmd, len, rsp, rsp_max, rsp_len, dur, d);
        else
            return diag_set(d, E_TPM_INTERFACE, "a TPM command was to be sent before a TPM was detected");
        if (e != E_TPM_TIMEOUT)
            return e;
    }
    if (d) {
        char first[sizeof(d->msg)];
        memcpy(first, d->msg, sizeof(first));
        first[sizeof(first) - 1] = 0;
        diag_set(d, E_TPM_TIMEOUT, "%s (cancelled and sent again once)", first);
    }
    return E_TPM_TIMEOUT;
}

enum rensa_err tpm_check_header(struct tpm *t, const uint8_t *rsp, size_t len, uint16_t tag_a, uint16_t tag_b,
                                uint32_t *rc, const char *what, struct diag *d)
{
    if (len < 10)
        return diag_set(d, E_TPM_RESPONSE, "the TPM's %s response is %u bytes, shorter than its 10-byte header",
                        what, (unsigned)len);
    uint16_t tag = be16_get(rsp);
    uint32_t size = be32_get(rsp + 2);
    if (size != len)
        return diag_set(d, E_TPM_RESPONSE, "the TPM's %s response says %u bytes but %u arrived", what,
                        (unsigned)size, (unsigned)len);
    if (tag != tag_a && tag != tag_b) {
        /* A TPM 1.2-style error (tag 0x00c4, non-zero code) from a TPM 2.0:
         * what a TPM in failure mode, or QEMU's model of a TPM whose
         * backend died, answers. Report its code rather than the tag. */
        uint32_t code = be32_get(rsp + 6);
        if (t->family == TPM_FAMILY_20 && tag == TPM12_TAG_RSP_COMMAND && size == 10 && code != 0) {
            const char *name = tpm_rc_name(TPM_FAMILY_12, code);
            return diag_set(d, E_TPM_RC, "the TPM answered %s with a TPM 1.2-format error 0x%x%s%s%s: "
                            "it is in failure mode or its backend is gone", what, (unsigned)code,
                            name ? " (" : "", name ? name : "", name ? ")" : "");
        }
        return diag_set(d, E_TPM_RESPONSE, "the TPM's %s response has tag 0x%04x, expected 0x%04x", what,
                        (unsigned)tag, (unsigned)tag_a);
    }
    *rc = be32_get(rsp + 6);
    t->last_rc = *rc;
    return E_OK;
}

enum rensa_err tpm_command(struct tpm *t, size_t cmd_len, enum tpm_dur cls, const char *what, size_t *rsp_len,
                           struct diag *d)
{
    uint16_t tag_a, tag_b, retry;
    if (t->family == TPM_FAMILY_12) {
        tag_a = tag_b = TPM12_TAG_RSP_COMMAND;
        retry = TPM12_RETRY;
    } else {
        tag_a = be16_get(t->cmd); /* same tag as the command on success */
        tag_b = TPM2_ST_NO_SESSIONS; /* error responses carry no sessions */
        retry = TPM2_RC_RETRY;
    }
    for (unsigned n = 0;; n++) {
        size_t len = 0;
        uint32_t rc = 0;
        enum rensa_err e = tpm_transmit(t, t->cmd, cmd_len, t->rsp, sizeof(t->rsp), &len, cls, d);
        if (e)
            return e;
        e = tpm_check_header(t, t->rsp, len, tag_a, tag_b, &rc, what, d);
        if (e)
            return e;
        if (rc == retry && n + 1 < RETRY_RC_MAX)
            continue;
        if (rc)
            return tpm_rc_error(t, rc, what, d);
        if (t->family == TPM_FAMILY_20 && be16_get(t->rsp) != tag_a)
            return diag_set(d, E_TPM_RESPONSE, "the TPM's %s response has tag 0x%04x on success, expected 0x%04x",
                            what, (unsigned)be16_get(t->rsp), (unsigned)tag_a);
        *rsp_len = len;
        return E_OK;
    }
}

/* TPM2_GetCapability(TPM_CAP_TPM_PROPERTIES, TPM_PT_PCR_COUNT): a TPM 2.0
 * answers with tag 0x8001; a TPM 1.2 answers 0x00C4 with TPM_BADTAG. */
static enum rensa_err probe_family(struct tpm *t, struct diag *d)
{
    size_t n = tpm2_build_get_capability(t->cmd, sizeof(t->cmd), TPM2_CAP_TPM_PROPERTIES, TPM2_PT_PCR_COUNT, 1);
    size_t len = 0;
    enum rensa_err e = tpm_transmit(t, t->cmd, n, t->rsp, sizeof(t->rsp), &len, TPM_DUR_SHORT, d);
    if (e)
        return e;
    if (len < 10 || be32_get(t->rsp + 2) != len)
        return diag_set(d, E_TPM_FAMILY, "the TPM's answer to the TPM2_GetCapability probe is malformed (%u bytes)",
                        (unsigned)len);
    uint16_t tag = be16_get(t->rsp);
    if (tag == TPM2_ST_NO_SESSIONS) {
        t->family = TPM_FAMILY_20;
        return E_OK;
    }
    if (tag == TPM12_TAG_RSP_COMMAND) {
        t->family = TPM_FAMILY_12;
        return E_OK;
    }
    return diag_set(d, E_TPM_FAMILY, "the TPM answered the TPM2_GetCapability probe with tag 0x%04x, neither "
                    "0x8001 (TPM 2.0) nor 0x00c4 (TPM 1.2)", (unsigned)tag);
}

static enum rensa_err detect_crb(struct tpm *t, const struct tpm_config *cfg, struct diag *d)
{
    struct acpi_tpm2 tp;
    enum rensa_err e = acpi_find_tpm2(cfg->rsdp, cfg->rsdp_len, &tp, d);
    if (e)
        return e;
    if (tp.start_method != ACPI_TPM2_START_CRB)
        return diag_set(d, E_TPM_INTERFACE, "the TPM has a CRB interface but the ACPI TPM2 table gives start "
                        "method %u; Rensa drives only start method 7 (CRB)", (unsigned)tp.start_method);
    if (!tp.control_area || tp.control_area > 0xFFFFF000u)
        return diag_set(d, E_TPM_INTERFACE, "the ACPI TPM2 table gives CRB control area 0x%llx, which Rensa "
                        "cannot reach", (unsigned long long)tp.control_area);
    t->crb_ctrl = tp.control_area;
    t->crb_loc_regs = (tp.control_area & 0xFFFu) == 0x040u;
    t->base = t->crb_loc_regs ? tp.control_area - 0x40u : 0;
    return E_OK;
}

static enum rensa_err detect_inner(struct tpm *t, const struct tpm_config *cfg, struct diag *d)
{
    /* Nothing at the TPM address reads as all ones on most chipsets and as
     * all zeros on others (QEMU). A TPM always sets tpmRegValidSts (bit 7)
     * in ACCESS / LOC_STATE, and has a non-trivial INTERFACE_ID or DID_VID. */
    uint8_t access = mmio_read8(TPM_MMIO_BASE + TIS_ACCESS);
    t->intf_id = mmio_read32(TPM_MMIO_BASE + TIS_INTERFACE_ID);
    uint32_t did_vid = mmio_read32(TPM_MMIO_BASE + TIS_DID_VID);
    bool blank_ids = (t->intf_id == 0 || t->intf_id == 0xFFFFFFFFu) && (did_vid == 0 || did_vid == 0xFFFFFFFFu);
    if (access == 0xFF || (access == 0x00 && blank_ids))
        return diag_set(d, E_TPM_ABSENT, "no TPM: at 0x%x ACCESS/LOC_STATE reads 0x%02x, INTERFACE_ID 0x%08x, "
                        "DID_VID 0x%08x", TPM_MMIO_BASE, access, (unsigned)t->intf_id, (unsigned)did_vid);
    unsigned type = t->intf_id == 0xFFFFFFFFu ? INTF_TYPE_TIS : (t->intf_id & 0xFu);
    switch (type) {
    case INTF_TYPE_FIFO:
        t->iface = TPM_IF_FIFO;
        t->family = TPM_FAMILY_20;
        break;
    case INTF_TYPE_CRB:
        t->iface = TPM_IF_CRB;
        t->family = TPM_FAMILY_20;
        break;
    case INTF_TYPE_TIS:
        t->iface = TPM_IF_TIS;
        break;
    default:
        return diag_set(d, E_TPM_INTERFACE, "the TPM's INTERFACE_ID register (0x%x) reads 0x%08x: interface "
                        "type %u is neither FIFO (0), CRB (1) nor TIS (0xf)", TPM_MMIO_BASE + TIS_INTERFACE_ID,
                        (unsigned)t->intf_id, type);
    }
    enum rensa_err e;
    if (t->iface == TPM_IF_CRB) {
        e = detect_crb(t, cfg, d);
        if (e)
            return e;
    } else {
        t->did_vid = mmio_read32(t->base + TIS_DID_VID);
    }
    tpm_default_timeouts(t);
    e = tpm_request_locality(t, 0, d);
    if (e)
        return e;
    if (t->family == TPM_FAMILY_UNKNOWN) {
        uint32_t sts = mmio_read32(t->base + TIS_STS);
        unsigned fam = (sts >> STS_FAMILY_SHIFT) & STS_FAMILY_MASK;
        if (fam == 1)
            t->family = TPM_FAMILY_20;
        else if (fam != 0)
            return diag_set(d, E_TPM_FAMILY, "the TPM's STS register reads 0x%08x: tpmFamily %u is reserved",
                            (unsigned)sts, fam);
        else {
            e = probe_family(t, d);
            if (e)
                return e;
        }
        tpm_default_timeouts(t);
    }
    return t->family == TPM_FAMILY_12 ? tpm12_init(t, d) : tpm2_init(t, d);
}

enum rensa_err tpm_detect(struct tpm *t, const struct tpm_config *cfg, struct diag *d)
{
    memset(t, 0, sizeof(*t));
    t->clock = cfg->clock;
    t->locality = -1;
    t->base = TPM_MMIO_BASE;
    tpm_default_timeouts(t);
    enum rensa_err e = detect_inner(t, cfg, d);
    if (t->locality >= 0) {
        /* Leave no locality behind; an earlier failure is the one reported. */
        struct diag ignored;
        enum rensa_err r = tpm_release_locality(t, e ? &ignored : d);
        if (!e)
            e = r;
    }
    return e;
}

enum rensa_err tpm_pcr_read(struct tpm *t, unsigned pcr, uint16_t alg, uint8_t *out, struct diag *d)
{
    if (t->family == TPM_FAMILY_12) {
        if (alg != TPM_ALG_SHA1)
            return diag_set(d, E_TPM_ARG, "a TPM 1.2 has only a SHA-1 PCR bank, not %s (0x%04x)", tpm_alg_name(alg),
                            (unsigned)alg);
        return tpm12_pcr_read(t, pcr, out, d);
    }
    if (t->family == TPM_FAMILY_20)
        return tpm2_pcr_read(t, pcr, alg, out, d);
    return diag_set(d, E_TPM_FAMILY, "PCR %u was to be read before a TPM was detected", pcr);
}

enum rensa_err tpm_pcr_extend(struct tpm *t, unsigned pcr, const struct tpm_digest_set *ds, struct diag *d)
{
    if (t->family == TPM_FAMILY_12) {
        for (unsigned i = 0; i < ds->count && i < TPM_BANKS_MAX; i++)
            if (ds->d[i].alg == TPM_ALG_SHA1)
                return tpm12_extend(t, pcr, ds->d[i].digest, d);
        return diag_set(d, E_TPM_BANK, "PCR %u of a TPM 1.2 was to be extended without a SHA-1 digest", pcr);
    }
    if (t->family == TPM_FAMILY_20)
        return tpm2_pcr_extend(t, pcr, ds, d);
    return diag_set(d, E_TPM_FAMILY, "PCR %u was to be extended before a TPM was detected", pcr);
}

enum rensa_err tpm_save_state(struct tpm *t, struct diag *d)
{
    static const uint8_t c12[] = {0x00, 0xC1, 0, 0, 0, 10, 0, 0, 0x00, 0x98}; /* TPM_SaveState */
    static const uint8_t c20[] = {0x80, 0x01, 0, 0, 0, 12, 0, 0, 0x01, 0x45, 0, 1}; /* TPM2_Shutdown(TPM_SU_STATE) */
    size_t rlen;
    if (t->family == TPM_FAMILY_12) {
        memcpy(t->cmd, c12, sizeof(c12));
        return tpm_command(t, sizeof(c12), TPM_DUR_MEDIUM, "TPM_SaveState", &rlen, d);
    }
    if (t->family == TPM_FAMILY_20) {
        memcpy(t->cmd, c20, sizeof(c20));
        return tpm_command(t, sizeof(c20), TPM_DUR_MEDIUM, "TPM2_Shutdown(STATE)", &rlen, d);
    }
    return diag_set(d, E_TPM_FAMILY, "the TPM state was to be saved before a TPM was detected");
}

enum rensa_err tpm_get_random(struct tpm *t, uint8_t *out, size_t n, struct diag *d)
{
    if (t->family == TPM_FAMILY_12)
        return tpm12_get_random(t, out, n, d);
    if (t->family == TPM_FAMILY_20)
        return tpm2_get_random(t, out, n, d);
    return diag_set(d, E_TPM_FAMILY, "random bytes were requested before a TPM was detected");
}

enum rensa_err tpm_nv_read(struct tpm *t, uint32_t index, uint32_t offset, uint8_t *out, size_t n, struct diag *d)
{
    if (t->family == TPM_FAMILY_12)
        return tpm12_nv_read(t, index, offset, out, n, d);
    if (t->family == TPM_FAMILY_20)
        return tpm2_nv_read(t, index, index, offset, out, n, d);
    return diag_set(d, E_TPM_FAMILY, "NV index 0x%08x was to be read before a TPM was detected", (unsigned)index);
}
