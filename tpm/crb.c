/* The PTP Command Response Buffer interface (TPM 2.0 only): locality
 * registers at t->base (when the control area sits at base + 0x40, as
 * the PTP lays it out), the control area at t->crb_ctrl (from the ACPI
 * TPM2 table), command and response buffers where the control area says. */
#include "marshal.h"
#include "platform.h"
#include "tpm.h"

/* Locality registers. */
#define CRB_LOC_STATE 0x00u
#define CRB_LOC_CTRL 0x08u
#define CRB_LOC_STS 0x0Cu
/* Control area. */
#define CRB_CTRL_REQ 0x00u
#define CRB_CTRL_STS 0x04u
#define CRB_CTRL_CANCEL 0x08u
#define CRB_CTRL_START 0x0Cu
#define CRB_CTRL_CMD_SIZE 0x18u
#define CRB_CTRL_CMD_LADDR 0x1Cu
#define CRB_CTRL_CMD_HADDR 0x20u
#define CRB_CTRL_RSP_SIZE 0x24u
#define CRB_CTRL_RSP_ADDR 0x28u

#define LOC_STATE_ESTABLISHED 0x01u
#define LOC_STATE_ASSIGNED 0x02u /* locAssigned */
#define LOC_STATE_ACTIVE(s) (((s) >> 2) & 7u) /* activeLocality */
#define LOC_STATE_VALID 0x80u /* tpmRegValidSts */
#define LOC_CTRL_REQUEST 0x01u /* requestAccess */
#define LOC_CTRL_RELINQUISH 0x02u
#define LOC_STS_GRANTED 0x01u

#define REQ_CMD_READY 0x01u
#define REQ_GO_IDLE 0x02u
#define CTRL_STS_ERROR 0x01u /* tpmSts: fatal error */
#define CTRL_STS_IDLE 0x02u /* tpmIdle */

static uint32_t ctl_read(const struct tpm *t, uint32_t off)
{
    return mmio_read32(t->crb_ctrl + off);
}

static void ctl_write(const struct tpm *t, uint32_t off, uint32_t v)
{
    mmio_write32(t->crb_ctrl + off, v);
}

/* Wait until (reg & mask) == want in the control area (ctl) or the
 * locality registers; false on the deadline. */
static bool wait_reg(const struct tpm *t, paddr_t addr, uint32_t mask, uint32_t want, uint32_t ms, uint32_t *val)
{
    uint64_t dl = clock_deadline(t->clock, ms);
    for (;;) {
        uint32_t v = mmio_read32(addr);
        *val = v;
        if ((v & mask) == want)
            return true;
        if (clock_expired(dl))
            return false;
    }
}

enum rensa_err crb_request_locality(struct tpm *t, unsigned loc, struct diag *d)
{
    if (loc != 0)
        return diag_set(d, E_TPM_LOCALITY, "TPM locality %u requested; Rensa drives a CRB TPM at locality 0 only",
                        loc);
    if (t->crb_loc_regs) {
        uint32_t want = LOC_STATE_VALID | LOC_STATE_ASSIGNED, st;
        st = mmio_read32(t->base + CRB_LOC_STATE);
        if ((st & want) != want || LOC_STATE_ACTIVE(st) != 0) {
            mmio_write32(t->base + CRB_LOC_CTRL, LOC_CTRL_REQUEST);
            if (!wait_reg(t, t->base + CRB_LOC_STATE, want | (7u << 2), want, t->to.a, &st)) {
                mmio_write32(t->base + CRB_LOC_CTRL, LOC_CTRL_RELINQUISH);
                return diag_set(d, E_TPM_LOCALITY, "the CRB TPM did not assign locality 0 within TIMEOUT_A (%u "
                                "ms): LOC_STATE reads 0x%08x", (unsigned)t->to.a, (unsigned)st);
            }
            uint32_t ls = mmio_read32(t->base + CRB_LOC_STS);
            if (!(ls & LOC_STS_GRANTED))
                return diag_set(d, E_TPM_LOCALITY, "the CRB TPM assigned locality 0 but LOC_STS (0x%08x) does "
                                "not show Granted", (unsigned)ls);
        }
    }
    t->locality = 0;
    return E_OK;
}

enum rensa_err crb_release_locality(struct tpm *t, struct diag *d)
{
    uint32_t v;
    t->locality = -1;
    /* goIdle first: the TPM may power down until the next cmdReady. */
    ctl_write(t, CRB_CTRL_REQ, REQ_GO_IDLE);
    if (!wait_reg(t, t->crb_ctrl + CRB_CTRL_REQ, REQ_GO_IDLE, 0, t->to.c, &v))
        return diag_set(d, E_TPM_TIMEOUT, "the CRB TPM did not clear CTRL_REQ.goIdle within TIMEOUT_C (%u ms)",
                        (unsigned)t->to.c);
    if (!t->crb_loc_regs)
        return E_OK;
    mmio_write32(t->base + CRB_LOC_CTRL, LOC_CTRL_RELINQUISH);
    if (!wait_reg(t, t->base + CRB_LOC_STATE, LOC_STATE_ASSIGNED, 0, t->to.a, &v))
        return diag_set(d, E_TPM_LOCALITY, "the CRB TPM did not release locality 0 within TIMEOUT_A (%u ms): "
                        "LOC_STATE reads 0x%08x", (unsigned)t->to.a, (unsigned)v);
    return E_OK;
}

static enum rensa_err crb_ready(struct tpm *t, struct diag *d)
{
    uint32_t s = ctl_read(t, CRB_CTRL_STS);
    if (s & CTRL_STS_ERROR)
        return diag_set(d, E_TPM_PROTOCOL, "the CRB TPM reports a fatal error (CTRL_STS 0x%08x)", (unsigned)s);
    ctl_write(t, CRB_CTRL_REQ, REQ_CMD_READY);
    uint32_t v;
    if (!wait_reg(t, t->crb_ctrl + CRB_CTRL_REQ, REQ_CMD_READY, 0, t->to.c, &v))
        return diag_set(d, E_TPM_TIMEOUT, "the CRB TPM did not clear CTRL_REQ.cmdReady within TIMEOUT_C (%u ms)",
                        (unsigned)t->to.c);
    if (!wait_reg(t, t->crb_ctrl + CRB_CTRL_STS, CTRL_STS_IDLE | CTRL_STS_ERROR, 0, t->to.c, &v))
        return diag_set(d, (v & CTRL_STS_ERROR) ? E_TPM_PROTOCOL : E_TPM_TIMEOUT, "the CRB TPM did not leave "
                        "the idle state within TIMEOUT_C (%u ms): CTRL_STS reads 0x%08x", (unsigned)t->to.c,
                        (unsigned)v);
    return E_OK;
}

/* A buffer the control area names must lie below 4 GiB in full. */
static bool buf_ok(uint64_t addr, uint32_t size)
{
    return addr && size && addr <= 0xFFFFFFFFull && size <= 0xFFFFFFFFull - addr + 1;
}

enum rensa_err crb_transmit(struct tpm *t, const uint8_t *cmd, size_t len, uint8_t *rsp, size_t rsp_max,
                            size_t *rsp_len, uint32_t dur_ms, struct diag *d)
{
    enum rensa_err e = crb_ready(t, d);
    if (e)
        return e;
    uint32_t cmd_size = ctl_read(t, CRB_CTRL_CMD_SIZE);
    uint64_t cmd_addr = ctl_read(t, CRB_CTRL_CMD_LADDR) | ((uint64_t)ctl_read(t, CRB_CTRL_CMD_HADDR) << 32);
    uint32_t rsp_size = ctl_read(t, CRB_CTRL_RSP_SIZE);
    uint64_t rsp_addr = ctl_read(t, CRB_CTRL_RSP_ADDR) | ((uint64_t)ctl_read(t, CRB_CTRL_RSP_ADDR + 4) << 32);
    if (!buf_ok(cmd_addr, cmd_size) || !buf_ok(rsp_addr, rsp_size))
        return diag_set(d, E_TPM_INTERFACE, "the CRB control area gives command buffer 0x%llx (%u bytes) and "
                        "response buffer 0x%llx (%u bytes); Rensa needs both non-empty and below 4 GiB",
                        (unsigned long long)cmd_addr, (unsigned)cmd_size, (unsigned long long)rsp_addr,
                        (unsigned)rsp_size);
    if (len > cmd_size)
        return diag_set(d, E_TPM_ARG, "a %u-byte TPM command does not fit the CRB command buffer (%u bytes)",
                        (unsigned)len, (unsigned)cmd_size);
    if (rsp_size < 10)
        return diag_set(d, E_TPM_INTERFACE, "the CRB response buffer is %u bytes, too small for a header",
                        (unsigned)rsp_size);
    for (size_t i = 0; i < len; i++)
        mmio_write8(cmd_addr + i, cmd[i]);
    ctl_write(t, CRB_CTRL_START, 1);
    uint32_t v;
    if (!wait_reg(t, t->crb_ctrl + CRB_CTRL_START, 1, 0, dur_ms, &v)) {
        ctl_write(t, CRB_CTRL_CANCEL, 1);
        bool stopped = wait_reg(t, t->crb_ctrl + CRB_CTRL_START, 1, 0, t->to.b, &v);
        ctl_write(t, CRB_CTRL_CANCEL, 0);
        return diag_set(d, E_TPM_TIMEOUT, "the CRB TPM did not clear CTRL_START within the command's duration (%u "
                        "ms)%s", (unsigned)dur_ms, stopped ? "" : "; cancelling did not stop it either");
    }
    uint32_t s = ctl_read(t, CRB_CTRL_STS);
    if (s & CTRL_STS_ERROR)
        return diag_set(d, E_TPM_PROTOCOL, "the CRB TPM reports a fatal error after the command (CTRL_STS 0x%08x)",
                        (unsigned)s);
    uint8_t hdr[10];
    for (unsigned i = 0; i < 10; i++)
        hdr[i] = mmio_read8(rsp_addr + i);
    uint32_t size = be32_get(hdr + 2);
    if (size < 10)
        return diag_set(d, E_TPM_RESPONSE, "the TPM's response size field is %u, shorter than its header",
                        (unsigned)size);
    if (size > rsp_size || size > rsp_max)
        return diag_set(d, E_TPM_RESPONSE, "the TPM's response size field is %u, past the %u-byte %s",
                        (unsigned)size, (unsigned)(size > rsp_size ? rsp_size : rsp_max),
                        size > rsp_size ? "CRB response buffer" : "response buffer");
    for (unsigned i = 0; i < 10; i++)
        rsp[i] = hdr[i];
    for (uint32_t i = 10; i < size; i++)
        rsp[i] = mmio_read8(rsp_addr + i);
    *rsp_len = size;
    return E_OK;
}
