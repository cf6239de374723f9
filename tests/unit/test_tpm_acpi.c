/* loader/acpi.c: the RSDP (copy or BIOS scan), XSDT/RSDT walk and the TPM2
 * table, with every length and checksum checked. */
#include "acpi.h"
#include "sim.h"
#include "sim_tpm.h"
#include "unit.h"

TEST(tpm_acpi_find_tpm2_from_copy)
{
    uint8_t rsdp[36];
    sim_acpi_tpm2(rsdp, ACPI_TPM2_START_CRB, 0xFED40040u);
    struct acpi_tpm2 t;
    struct diag d = {0};
    CHECK_EQ(acpi_find_tpm2(rsdp, 36, &t, &d), E_OK);
    CHECK_EQ(t.start_method, 7);
    CHECK_EQ(t.control_area, 0xFED40040u);
    CHECK_EQ(t.revision, 4);
}

/* Any table by signature (the TXT platform check looks for DMAR): absent
 * is its own error, E_ACPI_NO_TABLE, apart from a malformed table. */
TEST(acpi_find_dmar)
{
    uint8_t rsdp[36];
    sim_acpi_tpm2(rsdp, ACPI_TPM2_START_CRB, 0xFED40040u);
    struct diag d = {0};
    paddr_t a = 0;
    uint32_t len = 0;
    CHECK_EQ(acpi_find(rsdp, 36, "DMAR", &a, &len, &d), E_ACPI_NO_TABLE);
    CHECK(strstr(d.msg, "lists no DMAR table") != NULL);
    uint8_t *apic = sim_at(0x7F100); /* the simulated tables' second entry */
    memcpy(apic, "DMAR", 4);
    CHECK_EQ(acpi_find(rsdp, 36, "DMAR", &a, &len, &d), E_ACPI_TABLE); /* checksum now wrong */
    sim_acpi_fix(apic);
    CHECK_EQ(acpi_find(rsdp, 36, "DMAR", &a, &len, &d), E_OK);
    CHECK_EQ(a, 0x7F100);
    CHECK_EQ(len, 44);
}

TEST(tpm_acpi_rsdp_checks)
{
    uint8_t rsdp[36];
    sim_acpi_tpm2(rsdp, ACPI_TPM2_START_CRB, 0xFED40040u);
    struct acpi_rsdp r;
    struct diag d = {0};
    CHECK_EQ(acpi_rsdp_parse(rsdp, 36, &r, &d), E_OK);
    CHECK_EQ(r.xsdt, 0x7F000u);
    rsdp[0] = 'X';
    CHECK_EQ(acpi_rsdp_parse(rsdp, 36, &r, &d), E_ACPI_NO_RSDP);
    rsdp[0] = 'R';
    rsdp[30] ^= 1; /* extended checksum */
    CHECK_EQ(acpi_rsdp_parse(rsdp, 36, &r, &d), E_ACPI_TABLE);
    rsdp[30] ^= 1;
    rsdp[12] ^= 1; /* first checksum (an OEM ID byte) */
    CHECK_EQ(acpi_rsdp_parse(rsdp, 36, &r, &d), E_ACPI_TABLE);
    rsdp[12] ^= 1;
    CHECK_EQ(acpi_rsdp_parse(rsdp, 20, &r, &d), E_ACPI_TABLE); /* rev 2 needs 36 */
    CHECK_EQ(acpi_rsdp_parse(rsdp, 19, &r, &d), E_ACPI_NO_RSDP);
}

TEST(tpm_acpi_rsdp_bios_scan)
{
    uint8_t rsdp[36];
    sim_acpi_tpm2(rsdp, ACPI_TPM2_START_CRB, 0xFED40040u);
    struct acpi_rsdp r;
    struct diag d = {0};
    paddr_t at = 0;
    CHECK_EQ(acpi_rsdp_scan(&r, &at, &d), E_ACPI_NO_RSDP);
    uint8_t *bios = sim_map(0xE0000, 0x20000);
    memcpy(bios + 0x1238, "RSD PTR ", 8); /* not 16-aligned: ignored */
    memcpy(bios + 0x5670, rsdp, 36);
    CHECK_EQ(acpi_rsdp_scan(&r, &at, &d), E_OK);
    CHECK_EQ(at, 0xE5670u);
    struct acpi_tpm2 t;
    CHECK_EQ(acpi_find_tpm2(NULL, 0, &t, &d), E_OK);
    CHECK_EQ(t.start_method, 7);
}

TEST(tpm_acpi_rsdp_in_ebda)
{
    uint8_t rsdp[36];
    sim_acpi_tpm2(rsdp, ACPI_TPM2_START_TIS, 0);
    uint8_t *low = sim_map(0, 0x1000);
    low[0x40E] = 0x00;
    low[0x40F] = 0x9F; /* EBDA at 0x9F000 */
    uint8_t *ebda = sim_map(0x9F000, 0x1000);
    memcpy(ebda + 0x20, rsdp, 36);
    struct acpi_rsdp r;
    struct diag d = {0};
    paddr_t at = 0;
    CHECK_EQ(acpi_rsdp_scan(&r, &at, &d), E_OK);
    CHECK_EQ(at, 0x9F020u);
}

TEST(tpm_acpi_table_checks)
{
    uint8_t rsdp[36];
    uint8_t *tpm2 = sim_acpi_tpm2(rsdp, ACPI_TPM2_START_CRB, 0xFED40040u);
    uint8_t *xsdt = sim_at(0x7F000);
    struct acpi_tpm2 t;
    struct diag d = {0};
    /* XSDT length past the mapped memory. */
    xsdt[5] = 0x20; /* 0x2034 bytes (checksum not fixed: length is checked first) */
    CHECK_EQ(acpi_find_tpm2(rsdp, 36, &t, &d), E_ACPI_TABLE);
    CHECK(strstr(d.msg, "XSDT") != NULL);
    xsdt[5] = 0;
    sim_acpi_fix(xsdt);
    CHECK_EQ(acpi_find_tpm2(rsdp, 36, &t, &d), E_OK);
    /* TPM2 shorter than 52 bytes. */
    tpm2[4] = 40;
    sim_acpi_fix(tpm2);
    CHECK_EQ(acpi_find_tpm2(rsdp, 36, &t, &d), E_ACPI_TABLE);
    /* Length shorter than a header. */
    tpm2[4] = 20;
    sim_acpi_fix(tpm2);
    CHECK_EQ(acpi_find_tpm2(rsdp, 36, &t, &d), E_ACPI_TABLE);
    /* No TPM2 table at all. */
    tpm2[0] = 'X';
    CHECK_EQ(acpi_find_tpm2(rsdp, 36, &t, &d), E_ACPI_NO_TPM2);
    /* An XSDT entry pointing at unmapped memory is skipped. */
    xsdt[36 + 3] = 0x40;
    sim_acpi_fix(xsdt);
    CHECK_EQ(acpi_find_tpm2(rsdp, 36, &t, &d), E_ACPI_NO_TPM2);
}

TEST(tpm_acpi_rsdt_v1)
{
    uint8_t rsdp2[36];
    uint8_t *tpm2 = sim_acpi_tpm2(rsdp2, ACPI_TPM2_START_CRB, 0xFED40040u);
    (void)tpm2;
    /* An RSDT at 0x7F800 listing the TPM2 table at 0x7F200. */
    uint8_t *rsdt = sim_at(0x7F800);
    memcpy(rsdt, "RSDT", 4);
    rsdt[4] = 40;
    rsdt[36] = 0x00;
    rsdt[37] = 0xF2;
    rsdt[38] = 0x07;
    sim_acpi_fix(rsdt);
    uint8_t rsdp[20] = "RSD PTR ";
    rsdp[15] = 0;
    rsdp[16] = 0x00;
    rsdp[17] = 0xF8;
    rsdp[18] = 0x07;
    uint8_t s = 0;
    for (unsigned i = 0; i < 20; i++)
        s = (uint8_t)(s + rsdp[i]);
    rsdp[8] = (uint8_t)(0x100 - s);
    struct acpi_tpm2 t;
    struct diag d = {0};
    CHECK_EQ(acpi_find_tpm2(rsdp, 20, &t, &d), E_OK);
    CHECK_EQ(t.control_area, 0xFED40040u);
}
