/* Hardware helpers of the stand-in SINIT (hw.h). Written for QEMU's 16550,
 * tpm-tis and local APIC devices, to the registers' published definitions
 * (PC16550D data sheet; TCG PC Client Platform TPM Profile, "FIFO
 * Interface"; Intel SDM vol. 3, "Advanced Programmable Interrupt
 * Controller"). */
#include "hw.h"

uint32_t sd_rd32(const volatile void *p)
{
    const volatile uint8_t *b = p;
    return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

uint64_t sd_rd64(const volatile void *p)
{
    const volatile uint8_t *b = p;
    return (uint64_t)sd_rd32(b) | (uint64_t)sd_rd32(b + 4) << 32;
}

void sd_wr32(volatile void *p, uint32_t v)
{
    volatile uint8_t *b = p;
    for (unsigned i = 0; i < 4; i++)
        b[i] = (uint8_t)(v >> (8 * i));
}

void sd_wr64(volatile void *p, uint64_t v)
{
    volatile uint8_t *b = p;
    sd_wr32(b, (uint32_t)v);
    sd_wr32(b + 4, (uint32_t)(v >> 32));
}

void sd_put_be16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

void sd_put_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

uint16_t sd_get_be16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

uint32_t sd_get_be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

uint64_t sd_rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (uint64_t)hi << 32 | lo;
}

void sd_pause(void)
{
    __asm__ volatile("pause" ::: "memory");
}

/* ---------------------------------------------------------------- local APIC */

#define MSR_IA32_APIC_BASE 0x1Bu
#define APIC_BASE_X2APIC (1ull << 10)
#define APIC_BASE_ENABLE (1ull << 11)
#define APIC_ICR_LO 0x300u
#define APIC_ICR_HI 0x310u
#define ICR_PENDING (1u << 12) /* delivery status */
#define ICR_INIT_OTHERS 0x000C4500u /* INIT, level assert, all excluding self */
#define ICR_SIPI_OTHERS 0x000C4600u /* start-up | vector, all excluding self */

static uint64_t rdmsr(uint32_t msr)
{
    uint32_t lo, hi;
    __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return (uint64_t)hi << 32 | lo;
}

/* APIC registers take aligned 32-bit accesses only. */
static volatile uint32_t *apic_reg(uint32_t apic, uint32_t reg)
{
    return (volatile uint32_t *)(uintptr_t)(apic + reg);
}

static void tsc_delay(uint64_t ticks)
{
    uint64_t start = sd_rdtsc();
    while (sd_rdtsc() - start < ticks)
        sd_pause();
}

static bool ipi(uint32_t apic, uint32_t icr)
{
    *apic_reg(apic, APIC_ICR_HI) = 0; /* destination: the shorthand decides */
    *apic_reg(apic, APIC_ICR_LO) = icr; /* writing the low half sends */
    uint64_t start = sd_rdtsc();
    while (*apic_reg(apic, APIC_ICR_LO) & ICR_PENDING) {
        if (sd_rdtsc() - start > SD_TICKS_SHORT)
            return false;
        sd_pause();
    }
    return true;
}

enum sd_ipi_err sd_wake_aps(uint8_t vector)
{
    uint64_t b = rdmsr(MSR_IA32_APIC_BASE);
    if (!(b & APIC_BASE_ENABLE) || (b & APIC_BASE_X2APIC) || (b >> 32))
        return SD_IPI_NO_XAPIC;
    uint32_t apic = (uint32_t)b & ~0xFFFu;
    if (!ipi(apic, ICR_INIT_OTHERS))
        return SD_IPI_INIT;
    tsc_delay(SD_TICKS_INIT_WAIT);
    if (!ipi(apic, ICR_SIPI_OTHERS | vector))
        return SD_IPI_SIPI1;
    tsc_delay(SD_TICKS_SIPI_WAIT);
    if (!ipi(apic, ICR_SIPI_OTHERS | vector))
        return SD_IPI_SIPI2;
    return SD_IPI_OK;
}

/* ---------------------------------------------------------------- COM2 */

#define COM2 0x2F8u
#define UART_RBR_THR 0 /* DLAB 0 */
#define UART_DLL 0 /* DLAB 1 */
#define UART_IER 1
#define UART_DLM 1 /* DLAB 1 */
#define UART_FCR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define LSR_DR 0x01u
#define LSR_THRE 0x20u

static inline void outb(uint16_t port, uint8_t v)
{
    __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
    uint8_t v;
    __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

bool sd_com2_init_send(const uint8_t *p, uint32_t len)
{
    outb(COM2 + UART_IER, 0x00); /* no interrupts */
    outb(COM2 + UART_LCR, 0x80); /* DLAB: divisor 1 = 115200 baud */
    outb(COM2 + UART_DLL, 0x01);
    outb(COM2 + UART_DLM, 0x00);
    outb(COM2 + UART_LCR, 0x03); /* 8 data bits, no parity, 1 stop bit */
    outb(COM2 + UART_FCR, 0x07); /* FIFOs on, both cleared: no stale reply */
    outb(COM2 + UART_MCR, 0x03); /* DTR, RTS */
    uint64_t start = sd_rdtsc();
    for (uint32_t i = 0; i < len; i++) {
        while (!(inb(COM2 + UART_LSR) & LSR_THRE))
            if (sd_rdtsc() - start > SD_TICKS_SHORT)
                return false;
        outb(COM2 + UART_RBR_THR, p[i]);
    }
    return true;
}

bool sd_com2_recv(uint8_t *b, uint64_t ticks)
{
    uint64_t start = sd_rdtsc();
    for (;;) {
        if (inb(COM2 + UART_LSR) & LSR_DR) {
            *b = inb(COM2 + UART_RBR_THR);
            return true;
        }
        if (sd_rdtsc() - start > ticks)
            return false;
    }
}

/* ---------------------------------------------------------------- TPM TIS */

#define TIS_ACCESS 0x00u
#define TIS_STS 0x18u
#define TIS_FIFO 0x24u
#define TIS_INTERFACE_ID 0x30u
#define ACCESS_VALID 0x80u
#define ACCESS_ACTIVE 0x20u
#define ACCESS_SEIZE 0x08u
#define ACCESS_REQUEST 0x02u
#define STS_VALID 0x80u
#define STS_READY 0x40u
#define STS_GO 0x20u
#define STS_DATA_AVAIL 0x10u
#define STS_EXPECT 0x08u

static volatile uint8_t *tis(uint32_t reg)
{
    return sd_phys(SD_TPM_LOC3 + reg);
}

static bool wait_access(uint8_t want, uint64_t ticks)
{
    uint64_t start = sd_rdtsc();
    for (;;) {
        if ((*tis(TIS_ACCESS) & want) == want)
            return true;
        if (sd_rdtsc() - start > ticks)
            return false;
    }
}

static bool wait_sts(uint8_t mask, uint8_t want, uint64_t ticks)
{
    uint64_t start = sd_rdtsc();
    for (;;) {
        if ((*tis(TIS_STS) & mask) == want)
            return true;
        if (sd_rdtsc() - start > ticks)
            return false;
    }
}

static uint32_t burst_count(void)
{
    return (uint32_t)tis(TIS_STS)[1] | (uint32_t)tis(TIS_STS)[2] << 8;
}

enum sd_tpm_err sd_tpm_request_locality(void)
{
    uint8_t a = *tis(TIS_ACCESS);
    if (a == 0xFF || !(a & ACCESS_VALID))
        return SD_TPM_ABSENT;
    if (a & ACCESS_ACTIVE)
        return SD_TPM_OK;
    *tis(TIS_ACCESS) = ACCESS_REQUEST;
    if (wait_access(ACCESS_VALID | ACCESS_ACTIVE, SD_TICKS_SHORT))
        return SD_TPM_OK;
    /* A lower locality still holds the TPM: take it, as the higher
     * locality may. */
    *tis(TIS_ACCESS) = ACCESS_SEIZE;
    if (wait_access(ACCESS_VALID | ACCESS_ACTIVE, SD_TICKS_SHORT))
        return SD_TPM_OK;
    return SD_TPM_LOCALITY;
}

void sd_tpm_release_locality(void)
{
    *tis(TIS_ACCESS) = ACCESS_ACTIVE;
}

bool sd_tpm_is_tpm2(void)
{
    return (sd_rd32(tis(TIS_INTERFACE_ID)) & 0xFu) == 0;
}

/* Moves n bytes between buf and the FIFO as burstCount allows. */
static enum sd_tpm_err fifo_io(uint8_t *buf, uint32_t n, bool write)
{
    uint32_t i = 0;
    uint64_t start = sd_rdtsc();
    while (i < n) {
        uint32_t burst = burst_count();
        if (burst == 0) {
            if (sd_rdtsc() - start > SD_TICKS_LONG)
                return SD_TPM_BURST;
            continue;
        }
        for (; burst && i < n; burst--, i++) {
            if (write)
                *tis(TIS_FIFO) = buf[i];
            else
                buf[i] = *tis(TIS_FIFO);
        }
        start = sd_rdtsc();
    }
    return SD_TPM_OK;
}

enum sd_tpm_err sd_tpm_transact(const uint8_t *cmd, uint32_t len, uint8_t *resp, uint32_t cap, uint32_t *rlen)
{
    enum sd_tpm_err e;
    *rlen = 0;
    *tis(TIS_STS) = STS_READY;
    if (!wait_sts(STS_READY, STS_READY, SD_TICKS_LONG))
        return SD_TPM_READY;
    /* All but the last byte, then Expect must still be set; after the
     * last one it must be clear. */
    if ((e = fifo_io((uint8_t *)cmd, len - 1, true)) != SD_TPM_OK)
        return e;
    if (!wait_sts(STS_VALID, STS_VALID, SD_TICKS_SHORT) || !(*tis(TIS_STS) & STS_EXPECT))
        return SD_TPM_EXPECT;
    if ((e = fifo_io((uint8_t *)cmd + len - 1, 1, true)) != SD_TPM_OK)
        return e;
    if (!wait_sts(STS_VALID, STS_VALID, SD_TICKS_SHORT) || (*tis(TIS_STS) & STS_EXPECT))
        return SD_TPM_EXPECT;
    *tis(TIS_STS) = STS_GO;
    if (!wait_sts(STS_VALID | STS_DATA_AVAIL, STS_VALID | STS_DATA_AVAIL, SD_TICKS_LONG))
        return SD_TPM_TIMEOUT;
    if ((e = fifo_io(resp, 10, false)) != SD_TPM_OK)
        return e;
    uint32_t size = sd_get_be32(resp + 2);
    if (size < 10 || size > cap)
        return SD_TPM_RESP;
    if ((e = fifo_io(resp + 10, size - 10, false)) != SD_TPM_OK)
        return e;
    *tis(TIS_STS) = STS_READY; /* done: back to idle */
    *rlen = size;
    return SD_TPM_OK;
}
