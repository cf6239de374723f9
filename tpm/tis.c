/* The TIS / PTP FIFO interface (TCG PC Client TIS 1.3, PTP 2.0 FIFO):
 * locality n's registers at base + n * 0x1000. Byte-wide FIFO access,
 * 32-bit reads of STS; every wait ends by a deadline from t->to. */
#include "marshal.h"
#include "platform.h"
#include "tpm.h"

#define TIS_ACCESS 0x00u
#define TIS_STS 0x18u
#define TIS_FIFO 0x24u

#define ACCESS_VALID 0x80u /* tpmRegValidSts */
#define ACCESS_ACTIVE 0x20u /* activeLocality */
#define ACCESS_REQUEST 0x02u /* requestUse */

#define STS_VALID 0x80u
#define STS_READY 0x40u /* commandReady */
#define STS_GO 0x20u /* tpmGo */
#define STS_AVAIL 0x10u /* dataAvail */
#define STS_EXPECT 0x08u
#define STS_RETRY 0x02u /* responseRetry */
#define STS_BURST(s) (((s) >> 8) & 0xFFFFu)

static paddr_t reg(const struct tpm *t, unsigned loc, uint32_t off)
{
    return t->base + (paddr_t)loc * TPM_LOCALITY_STRIDE + off;
}

static uint32_t sts_read(const struct tpm *t)
{
    return mmio_read32(reg(t, (unsigned)t->locality, TIS_STS));
}

static void sts_write(const struct tpm *t, uint8_t v)
{
    mmio_write8(reg(t, (unsigned)t->locality, TIS_STS), v);
}

enum rensa_err tis_request_locality(struct tpm *t, unsigned loc, struct diag *d)
{
    paddr_t a = reg(t, loc, TIS_ACCESS);
    uint8_t acc = mmio_read8(a);
    if (acc == 0xFF)
        return diag_set(d, E_TPM_LOCALITY, "the TPM's ACCESS register of locality %u (0x%llx) reads 0xff: the "
                        "locality is not implemented or the TPM is gone", loc, (unsigned long long)a);
    uint64_t dl = clock_deadline(t->clock, t->to.a);
    while (!(acc & ACCESS_VALID)) {
        if (clock_expired(dl))
            return diag_set(d, E_TPM_LOCALITY, "the TPM's ACCESS register of locality %u never showed "
                            "tpmRegValidSts within TIMEOUT_A (%u ms); it reads 0x%02x", loc, (unsigned)t->to.a,
                            (unsigned)acc);
        acc = mmio_read8(a);
    }
    if (!(acc & ACCESS_ACTIVE)) {
        mmio_write8(a, ACCESS_REQUEST);
        dl = clock_deadline(t->clock, t->to.a);
        for (;;) {
            acc = mmio_read8(a);
            if ((acc & (ACCESS_VALID | ACCESS_ACTIVE)) == (ACCESS_VALID | ACCESS_ACTIVE) && acc != 0xFF)
                break;
            if (clock_expired(dl)) {
                mmio_write8(a, ACCESS_ACTIVE); /* withdraw the request */
                return diag_set(d, E_TPM_LOCALITY, "the TPM did not grant locality %u within TIMEOUT_A (%u ms): "
                                "ACCESS reads 0x%02x", loc, (unsigned)t->to.a, (unsigned)acc);
            }
        }
    }
    t->locality = (int)loc;
    return E_OK;
}

enum rensa_err tis_release_locality(struct tpm *t, struct diag *d)
{
    unsigned loc = (unsigned)t->locality;
    paddr_t a = reg(t, loc, TIS_ACCESS);
    mmio_write8(a, ACCESS_ACTIVE);
    t->locality = -1;
    uint64_t dl = clock_deadline(t->clock, t->to.a);
    for (;;) {
        uint8_t acc = mmio_read8(a);
        if ((acc & (ACCESS_VALID | ACCESS_ACTIVE)) == ACCESS_VALID)
            return E_OK;
        if (clock_expired(dl))
            return diag_set(d, E_TPM_LOCALITY, "the TPM did not release locality %u within TIMEOUT_A (%u ms): "
                            "ACCESS reads 0x%02x", loc, (unsigned)t->to.a, (unsigned)acc);
    }
}

/* Wait until (STS & mask) == want; false on the deadline or when STS
 * reads all ones (the locality is no longer ours). */
static bool wait_sts(const struct tpm *t, uint32_t mask, uint32_t want, uint32_t ms, uint32_t *sts)
{
    uint64_t dl = clock_deadline(t->clock, ms);
    for (;;) {
        uint32_t s = sts_read(t);
        *sts = s;
        if (s == 0xFFFFFFFFu)
            return false;
        if ((s & mask) == want)
            return true;
        if (clock_expired(dl))
            return false;
    }
}

/* Abort whatever the TPM is doing (commandReady cancels a command and
 * discards a response). */
static void tis_cancel(const struct tpm *t)
{
    sts_write(t, STS_READY);
}

/* A non-zero burstCount within TIMEOUT_D (burstCount does not depend on
 * stsValid, which covers only Expect and dataAvail: QEMU's TIS clears
 * stsValid in the Ready state). When reading a
 * response (reading = true), dataAvail clear with stsValid means the TPM
 * has nothing more: *ended is set. */
static enum rensa_err wait_burst(const struct tpm *t, bool reading, uint32_t *burst, bool *ended, size_t done,
                                 size_t total, struct diag *d)
{
    uint64_t dl = clock_deadline(t->clock, t->to.d);
    uint32_t s;
    for (;;) {
        s = sts_read(t);
        if (s == 0xFFFFFFFFu)
            return diag_set(d, E_TPM_PROTOCOL, "the TPM's STS register reads 0xffffffff after %u of %u bytes: "
                            "locality %d is no longer active", (unsigned)done, (unsigned)total, t->locality);
        if (reading && (s & (STS_VALID | STS_AVAIL)) == STS_VALID) {
            *ended = true;
            return E_OK;
        }
        if (STS_BURST(s)) {
            *burst = STS_BURST(s);
            return E_OK;
        }
        if (clock_expired(dl))
            return diag_set(d, E_TPM_TIMEOUT, "the TPM's burstCount stayed 0 for TIMEOUT_D (%u ms) after %u of %u "
                            "%s bytes (STS 0x%08x)", (unsigned)t->to.d, (unsigned)done, (unsigned)total,
                            reading ? "response" : "command", (unsigned)s);
    }
}

static enum rensa_err send_cmd(const struct tpm *t, const uint8_t *cmd, size_t len, struct diag *d)
{
    paddr_t fifo = reg(t, (unsigned)t->locality, TIS_FIFO);
    size_t i = 0;
    uint32_t s;
    while (i < len) {
        uint32_t burst = 0;
        bool ended = false;
        enum rensa_err e = wait_burst(t, false, &burst, &ended, i, len, d);
        if (e)
            return e;
        /* The last byte goes alone, after Expect was seen set. */
        size_t room = i < len - 1 ? len - 1 - i : 1;
        size_t n = burst < room ? burst : room;
        for (size_t k = 0; k < n; k++)
            mmio_write8(fifo, cmd[i++]);
        if (!wait_sts(t, STS_VALID, STS_VALID, t->to.c, &s))
            return diag_set(d, s == 0xFFFFFFFFu ? E_TPM_PROTOCOL : E_TPM_TIMEOUT, "the TPM's STS did not show "
                            "stsValid within TIMEOUT_C (%u ms) after %u of %u command bytes (STS 0x%08x)",
                            (unsigned)t->to.c, (unsigned)i, (unsigned)len, (unsigned)s);
        bool expect = (s & STS_EXPECT) != 0;
        if (i < len && !expect)
            return diag_set(d, E_TPM_PROTOCOL, "the TPM cleared Expect after %u of %u command bytes (STS 0x%08x)",
                            (unsigned)i, (unsigned)len, (unsigned)s);
        if (i == len && expect)
            return diag_set(d, E_TPM_PROTOCOL, "the TPM still sets Expect after all %u command bytes (STS 0x%08x)",
                            (unsigned)len, (unsigned)s);
    }
    return E_OK;
}

/* Read want bytes into buf + *got. */
static enum rensa_err recv_bytes(const struct tpm *t, uint8_t *buf, size_t *got, size_t want, size_t total,
                                 struct diag *d)
{
    paddr_t fifo = reg(t, (unsigned)t->locality, TIS_FIFO);
    while (*got < want) {
        uint32_t burst = 0;
        bool ended = false;
        enum rensa_err e = wait_burst(t, true, &burst, &ended, *got, total, d);
        if (e)
            return e;
        if (ended)
            return diag_set(d, E_TPM_RESPONSE, "the TPM cleared dataAvail after %u of %u response bytes",
                            (unsigned)*got, (unsigned)total);
        size_t n = want - *got;
        if (burst < n)
            n = burst;
        for (size_t k = 0; k < n; k++)
            buf[(*got)++] = mmio_read8(fifo);
    }
    return E_OK;
}

static enum rensa_err recv_rsp(const struct tpm *t, uint8_t *rsp, size_t rsp_max, size_t *rsp_len, struct diag *d)
{
    size_t got = 0;
    if (rsp_max < 10)
        return diag_set(d, E_TPM_ARG, "a TPM response buffer of %u bytes cannot hold a header", (unsigned)rsp_max);
    enum rensa_err e = recv_bytes(t, rsp, &got, 10, 10, d);
    if (e)
        return e;
    uint32_t size = be32_get(rsp + 2);
    if (size < 10)
        return diag_set(d, E_TPM_RESPONSE, "the TPM's response size field is %u, shorter than its header",
                        (unsigned)size);
    if (size > rsp_max)
        return diag_set(d, E_TPM_RESPONSE, "the TPM's response size field is %u, past the %u-byte buffer",
                        (unsigned)size, (unsigned)rsp_max);
    e = recv_bytes(t, rsp, &got, size, size, d);
    if (e)
        return e;
    uint32_t s;
    if (!wait_sts(t, STS_VALID, STS_VALID, t->to.c, &s))
        return diag_set(d, E_TPM_TIMEOUT, "the TPM's STS did not show stsValid within TIMEOUT_C (%u ms) after the "
                        "response (STS 0x%08x)", (unsigned)t->to.c, (unsigned)s);
    if (s & STS_AVAIL)
        return diag_set(d, E_TPM_RESPONSE, "the TPM has more response bytes than its size field (%u) says",
                        (unsigned)size);
    *rsp_len = size;
    return E_OK;
}

enum rensa_err tis_transmit(struct tpm *t, const uint8_t *cmd, size_t len, uint8_t *rsp, size_t rsp_max,
                            size_t *rsp_len, uint32_t dur_ms, struct diag *d)
{
    uint32_t s = sts_read(t);
    if (s == 0xFFFFFFFFu)
        return diag_set(d, E_TPM_PROTOCOL, "the TPM's STS register reads 0xffffffff: locality %d is not active",
                        t->locality);
    /* commandReady: Ready from Idle, or Idle from Completion (then again). */
    sts_write(t, STS_READY);
    uint64_t dl = clock_deadline(t->clock, t->to.b);
    for (unsigned n = 1;; n++) {
        s = sts_read(t);
        if (s != 0xFFFFFFFFu && (s & STS_READY))
            break;
        if (clock_expired(dl))
            return diag_set(d, E_TPM_TIMEOUT, "the TPM did not set commandReady within TIMEOUT_B (%u ms) "
                            "(STS 0x%08x)", (unsigned)t->to.b, (unsigned)s);
        if (n % 64 == 0)
            sts_write(t, STS_READY);
    }
    enum rensa_err e = send_cmd(t, cmd, len, d);
    if (e) {
        tis_cancel(t);
        return e;
    }
    sts_write(t, STS_GO);
    if (!wait_sts(t, STS_VALID | STS_AVAIL, STS_VALID | STS_AVAIL, dur_ms, &s)) {
        tis_cancel(t);
        return diag_set(d, s == 0xFFFFFFFFu ? E_TPM_PROTOCOL : E_TPM_TIMEOUT, "the TPM did not set dataAvail "
                        "within the command's duration (%u ms) after tpmGo (STS 0x%08x)", (unsigned)dur_ms,
                        (unsigned)s);
    }
    /* A transfer that ends short or long is read once more (responseRetry). */
    for (unsigned attempt = 0;; attempt++) {
        e = recv_rsp(t, rsp, rsp_max, rsp_len, d);
        if (e != E_TPM_RESPONSE || attempt == 1)
            break;
        sts_write(t, STS_RETRY);
        if (!wait_sts(t, STS_VALID | STS_AVAIL, STS_VALID | STS_AVAIL, t->to.c, &s))
            break;
    }
    tis_cancel(t); /* commandReady: the TPM drops the response and goes idle */
    return e;
}
