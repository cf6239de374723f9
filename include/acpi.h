/* ACPI tables Rensa reads: the RSDP, the RSDT/XSDT and the TPM2 table.
 * Every table is reached through phys_ptr() and its length and checksum
 * are checked before any field past the header is used. */
#ifndef RENSA_ACPI_H
#define RENSA_ACPI_H

#include "diag.h"
#include "rtypes.h"

#define ACPI_SDT_HEADER_LEN 36u
#define ACPI_TPM2_START_ACPI 2u
#define ACPI_TPM2_START_TIS 6u /* "memory mapped": TIS/FIFO */
#define ACPI_TPM2_START_CRB 7u
#define ACPI_TPM2_START_CRB_ACPI 8u

struct acpi_rsdp {
    uint8_t revision;
    paddr_t rsdt; /* 0 if none */
    paddr_t xsdt; /* 0 if none (ACPI 1.0) */
};

struct acpi_tpm2 {
    uint8_t revision;
    uint16_t platform_class;
    paddr_t control_area;
    uint32_t start_method;
};

/* Validate an RSDP copy (20 bytes for ACPI 1.0, 36 for 2.0+). */
enum rensa_err acpi_rsdp_parse(const uint8_t *p, unsigned len, struct acpi_rsdp *out, struct diag *d);
/* Scan the EBDA's first KiB and 0xE0000-0xFFFFF for a valid RSDP. */
enum rensa_err acpi_rsdp_scan(struct acpi_rsdp *out, paddr_t *where, struct diag *d);
/* Find the table with signature sig (4 chars) through the XSDT (or the
 * RSDT); its address and checked length in *addr, *len. */
enum rensa_err acpi_find_table(const struct acpi_rsdp *rsdp, const char *sig, paddr_t *addr, uint32_t *len,
                               struct diag *d);
/* Find the table with signature sig from an RSDP copy (rsdp_len 0: scan
 * the BIOS areas). */
enum rensa_err acpi_find(const uint8_t *rsdp, unsigned rsdp_len, const char *sig, paddr_t *addr, uint32_t *len,
                         struct diag *d);
/* Locate and decode the TPM2 table. rsdp/rsdp_len as from the boot
 * loader; rsdp_len 0 scans the BIOS areas. */
enum rensa_err acpi_find_tpm2(const uint8_t *rsdp, unsigned rsdp_len, struct acpi_tpm2 *out, struct diag *d);
/* 8-bit sum of n bytes (0 for a valid ACPI checksum). */
uint8_t acpi_checksum(const uint8_t *p, size_t n);

#endif
