/* ACPI: the RSDP, the RSDT/XSDT and the TPM2 table (TCG ACPI
 * Specification). Every byte is read through phys_ptr(); a table is used
 * only after its length and checksum are checked. */
#include "acpi.h"
#include "platform.h"
#include "rstring.h"

#define RSDP_V1_LEN 20u
#define RSDP_V2_LEN 36u
#define SDT_MAX_LEN (1u << 20) /* no table Rensa reads is near 1 MiB */

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

static uint64_t le64(const uint8_t *p)
{
    return (uint64_t)le32(p) | ((uint64_t)le32(p + 4) << 32);
}

uint8_t acpi_checksum(const uint8_t *p, size_t n)
{
    uint8_t s = 0;
    for (size_t i = 0; i < n; i++)
        s = (uint8_t)(s + p[i]);
    return s;
}

enum rensa_err acpi_rsdp_parse(const uint8_t *p, unsigned len, struct acpi_rsdp *out, struct diag *d)
{
    if (!p || len < RSDP_V1_LEN)
        return diag_set(d, E_ACPI_NO_RSDP, "the ACPI RSDP copy is %u bytes, shorter than 20", len);
    if (memcmp(p, "RSD PTR ", 8) != 0)
        return diag_set(d, E_ACPI_NO_RSDP, "the ACPI RSDP copy does not start with \"RSD PTR \"");
    if (acpi_checksum(p, RSDP_V1_LEN) != 0)
        return diag_set(d, E_ACPI_TABLE, "the ACPI RSDP checksum (first 20 bytes) is wrong");
    out->revision = p[15];
    out->rsdt = le32(p + 16);
    out->xsdt = 0;
    if (out->revision >= 2) {
        if (len < RSDP_V2_LEN)
            return diag_set(d, E_ACPI_TABLE, "the ACPI %u RSDP copy is %u bytes, shorter than 36",
                            (unsigned)out->revision, len);
        uint32_t xlen = le32(p + 20);
        if (xlen < RSDP_V2_LEN || xlen > len)
            return diag_set(d, E_ACPI_TABLE, "the ACPI RSDP length field %u is not between 36 and %u", xlen,
                            len);
        if (acpi_checksum(p, xlen) != 0)
            return diag_set(d, E_ACPI_TABLE, "the ACPI RSDP extended checksum is wrong");
        out->xsdt = le64(p + 24);
    }
    if (!out->rsdt && !out->xsdt)
        return diag_set(d, E_ACPI_TABLE, "the ACPI RSDP gives neither an RSDT nor an XSDT address");
    return E_OK;
}

static bool scan_range(paddr_t base, uint32_t len, struct acpi_rsdp *out, paddr_t *where)
{
    for (uint32_t off = 0; off + RSDP_V1_LEN <= len; off += 16) {
        const uint8_t *p = phys_ptr(base + off, RSDP_V1_LEN);
        if (!p || memcmp(p, "RSD PTR ", 8) != 0)
            continue;
        unsigned n = RSDP_V1_LEN;
        if (p[15] >= 2 && off + RSDP_V2_LEN <= len && phys_ptr(base + off, RSDP_V2_LEN))
            n = RSDP_V2_LEN;
        p = phys_ptr(base + off, n);
        if (acpi_rsdp_parse(p, n, out, NULL) == E_OK) {
            if (where)
                *where = base + off;
            return true;
        }
    }
    return false;
}

enum rensa_err acpi_rsdp_scan(struct acpi_rsdp *out, paddr_t *where, struct diag *d)
{
    /* The EBDA segment is the BIOS data area word at 0x40E. */
    const uint8_t *bda = phys_ptr(0x40E, 2);
    if (bda) {
        paddr_t ebda = (paddr_t)(bda[0] | (bda[1] << 8)) << 4;
        if (ebda >= 0x80000 && ebda < 0xA0000 && scan_range(ebda, 1024, out, where))
            return E_OK;
    }
    if (scan_range(0xE0000, 0x20000, out, where))
        return E_OK;
    return diag_set(d, E_ACPI_NO_RSDP,
                    "the boot loader passed no ACPI RSDP and none is in the EBDA or at 0xE0000-0xFFFFF");
}

/* Map a whole SDT at addr after checking its header: length and checksum. */
static const uint8_t *sdt_map(paddr_t addr, const char *what, uint32_t *len, struct diag *d)
{
    const uint8_t *h = phys_ptr(addr, ACPI_SDT_HEADER_LEN);
    if (!h) {
        diag_set(d, E_ACPI_TABLE, "the ACPI %s at 0x%llx is not addressable", what, (unsigned long long)addr);
        return NULL;
    }
    uint32_t n = le32(h + 4);
    if (n < ACPI_SDT_HEADER_LEN || n > SDT_MAX_LEN) {
        diag_set(d, E_ACPI_TABLE, "the ACPI %s at 0x%llx has length %u (outside 36..1 MiB)", what,
                 (unsigned long long)addr, n);
        return NULL;
    }
    const uint8_t *p = phys_ptr(addr, n);
    if (!p) {
        diag_set(d, E_ACPI_TABLE, "the ACPI %s at 0x%llx (%u bytes) is not addressable", what,
                 (unsigned long long)addr, n);
        return NULL;
    }
    if (acpi_checksum(p, n) != 0) {
        diag_set(d, E_ACPI_TABLE, "the ACPI %s at 0x%llx has a wrong checksum", what, (unsigned long long)addr);
        return NULL;
    }
    *len = n;
    return p;
}

enum rensa_err acpi_find_table(const struct acpi_rsdp *rsdp, const char *sig, paddr_t *addr, uint32_t *len,
                               struct diag *d)
{
    bool x = rsdp->xsdt != 0;
    paddr_t root = x ? rsdp->xsdt : rsdp->rsdt;
    const char *rname = x ? "XSDT" : "RSDT";
    uint32_t rlen;
    const uint8_t *r = sdt_map(root, rname, &rlen, d);
    if (!r)
        return d ? d->code : E_ACPI_TABLE;
    if (memcmp(r, x ? "XSDT" : "RSDT", 4) != 0)
        return diag_set(d, E_ACPI_TABLE, "the ACPI %s at 0x%llx has signature \"%.4s\"", rname,
                        (unsigned long long)root, (const char *)r);
    unsigned esize = x ? 8 : 4;
    for (uint32_t off = ACPI_SDT_HEADER_LEN; off + esize <= rlen; off += esize) {
        paddr_t a = x ? le64(r + off) : le32(r + off);
        const uint8_t *h = phys_ptr(a, ACPI_SDT_HEADER_LEN);
        if (!h || memcmp(h, sig, 4) != 0)
            continue;
        char what[12] = "xxxx table";
        memcpy(what, sig, 4);
        if (!sdt_map(a, what, len, d))
            return d ? d->code : E_ACPI_TABLE;
        *addr = a;
        return E_OK;
    }
    return diag_set(d, sig[0] == 'T' && sig[1] == 'P' && sig[2] == 'M' && sig[3] == '2' ? E_ACPI_NO_TPM2
                                                                                       : E_ACPI_NO_TABLE,
                    "the ACPI %s at 0x%llx lists no %.4s table", rname, (unsigned long long)root, sig);
}

enum rensa_err acpi_find(const uint8_t *rsdp_copy, unsigned rsdp_len, const char *sig, paddr_t *addr, uint32_t *len,
                         struct diag *d)
{
    struct acpi_rsdp rsdp;
    enum rensa_err e;
    if (rsdp_copy && rsdp_len)
        e = acpi_rsdp_parse(rsdp_copy, rsdp_len, &rsdp, d);
    else
        e = acpi_rsdp_scan(&rsdp, NULL, d);
    return e ? e : acpi_find_table(&rsdp, sig, addr, len, d);
}

enum rensa_err acpi_find_tpm2(const uint8_t *rsdp_copy, unsigned rsdp_len, struct acpi_tpm2 *out, struct diag *d)
{
    paddr_t a;
    uint32_t len;
    enum rensa_err e = acpi_find(rsdp_copy, rsdp_len, "TPM2", &a, &len, d);
    if (e)
        return e;
    /* Header, then (rev 3: Flags / rev 4: PlatformClass+Reserved) at 36,
     * Address of CRB Control Area at 40, Start Method at 48. */
    if (len < 52)
        return diag_set(d, E_ACPI_TABLE, "the ACPI TPM2 table at 0x%llx is %u bytes, shorter than 52",
                        (unsigned long long)a, len);
    const uint8_t *p = phys_ptr(a, len);
    out->revision = p[8];
    out->platform_class = (uint16_t)(p[36] | (p[37] << 8));
    out->control_area = le64(p + 40);
    out->start_method = le32(p + 48);
    return E_OK;
}
