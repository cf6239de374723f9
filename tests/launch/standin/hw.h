/* The stand-in SINIT's hardware helpers (tests/launch/standin/hw.c):
 * memory and port access, the TSC-bounded waits, the INIT-SIPI-SIPI of
 * the RLP rendezvous, COM2 and the TPM TIS interface at locality 3.
 * Freestanding, position independent, no writable globals (the module's
 * bytes are measured). */
#ifndef STANDIN_HW_H
#define STANDIN_HW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Little-endian loads and stores at any alignment. */
uint32_t sd_rd32(const volatile void *p);
uint64_t sd_rd64(const volatile void *p);
void sd_wr32(volatile void *p, uint32_t v);
void sd_wr64(volatile void *p, uint64_t v);
/* Big-endian (TPM wire order). */
void sd_put_be16(uint8_t *p, uint16_t v);
void sd_put_be32(uint8_t *p, uint32_t v);
uint16_t sd_get_be16(const uint8_t *p);
uint32_t sd_get_be32(const uint8_t *p);

/* A pointer to physical address a (flat 32-bit, paging off). */
static inline volatile uint8_t *sd_phys(uint32_t a)
{
    return (volatile uint8_t *)(uintptr_t)a;
}

uint64_t sd_rdtsc(void);

/* Every wait is bounded in TSC ticks. */
#define SD_TICKS_SHORT (1ull << 28) /* a register that answers at once */
#define SD_TICKS_LONG (1ull << 34) /* the DRTM reply, a TPM command */

/* The RLP rendezvous (rlp.c). */
#define SD_TICKS_INIT_WAIT (1ull << 25) /* after INIT: ~10 ms at 3 GHz */
#define SD_TICKS_SIPI_WAIT (1ull << 20) /* between the SIPIs: ~300 us at 3 GHz */
#define SD_TICKS_RENDEZVOUS (1ull << 32) /* for every RLP to arrive */

/* A spin-wait hint (PAUSE). */
void sd_pause(void);

/* INIT to all processors but this one, then two startup IPIs with vector,
 * through the xAPIC (MMIO at IA32_APIC_BASE), waiting for each ICR
 * delivery to complete (bounded) and ~10 ms after INIT, ~200 us between
 * the SIPIs. */
enum sd_ipi_err {
    SD_IPI_OK = 0,
    SD_IPI_NO_XAPIC, /* the local APIC is disabled, in x2APIC mode or above 4 GiB */
    SD_IPI_INIT, /* the INIT stayed pending (ICR delivery status) */
    SD_IPI_SIPI1, /* the first SIPI stayed pending */
    SD_IPI_SIPI2, /* the second SIPI stayed pending */
};
enum sd_ipi_err sd_wake_aps(uint8_t vector);

/* COM2: program 115200 8N1, send len bytes. false: the transmitter never
 * became ready. */
bool sd_com2_init_send(const uint8_t *p, uint32_t len);
/* One received byte in *b; false when none came within ticks. */
bool sd_com2_recv(uint8_t *b, uint64_t ticks);

/* TPM TIS/FIFO at locality 3 (0xFED40000 + 0x3000). */
#define SD_TPM_LOC3 0xFED43000u
enum sd_tpm_err {
    SD_TPM_OK = 0,
    SD_TPM_ABSENT, /* ACCESS does not read valid */
    SD_TPM_LOCALITY, /* locality 3 not granted */
    SD_TPM_READY, /* commandReady never set */
    SD_TPM_BURST, /* the FIFO took no more bytes (burstCount 0) */
    SD_TPM_EXPECT, /* Expect wrong after the command was written */
    SD_TPM_TIMEOUT, /* no dataAvail */
    SD_TPM_RESP, /* response header size out of range */
};
enum sd_tpm_err sd_tpm_request_locality(void);
void sd_tpm_release_locality(void);
/* TPM_INTERFACE_ID[3:0] == 0: a PTP FIFO interface, i.e. a TPM 2.0. */
bool sd_tpm_is_tpm2(void);
/* Sends cmd (len bytes), reads the response into resp (cap bytes); its
 * length in *rlen. */
enum sd_tpm_err sd_tpm_transact(const uint8_t *cmd, uint32_t len, uint8_t *resp, uint32_t cap, uint32_t *rlen);

#endif
