/* The simulated TPM (see sim_tpm.h): it defines mmio_read8/32/64 and mmio_write8/32/64
 * for host builds that link it (the unit tests, the TPM fuzz target). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "platform.h"
#include "sim.h"
#include "sim_tpm.h"

struct sim_tpm sim_tpm;

#define BASE 0xFED40000ull
#define WINDOW 0x5000u

enum tis_state { ST_IDLE, ST_READY, ST_RECEPTION, ST_EXECUTION, ST_COMPLETION };

static struct {
    int active; /* TIS active locality, -1 none */
    enum tis_state state;
    uint8_t cmd[SIM_TPM_BUF];
    size_t cmd_len;
    uint8_t rsp[SIM_TPM_BUF];
    size_t rsp_len, rsp_pos;
    /* CRB */
    bool assigned, idle, executing;
    uint32_t start;
    uint8_t buf[SIM_CRB_BUF_SIZE];
} hw;

static uint16_t g16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}
static uint32_t g32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}
static void p16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}
static void p32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

unsigned sim_tpm_digest_size(uint16_t alg)
{
    switch (alg) {
    case 0x0004:
        return 20;
    case 0x000B:
    case 0x0012:
        return 32;
    case 0x000C:
        return 48;
    case 0x000D:
        return 64;
    }
    return 0;
}

void sim_tpm_mix(uint8_t *pcr, const uint8_t *digest, unsigned size)
{
    for (unsigned i = 0; i < size; i++)
        pcr[i] = (uint8_t)(pcr[i] * 31u + digest[i] + i + 1u);
}

void sim_tpm_setup(enum sim_tpm_kind kind)
{
    memset(&sim_tpm, 0, sizeof(sim_tpm));
    memset(&hw, 0, sizeof(hw));
    hw.active = -1;
    hw.idle = true;
    sim_tpm.kind = kind;
    sim_tpm.family = kind == SIM_TPM_TIS12 ? 12 : 20;
    sim_tpm.burst = 8;
    sim_tpm.pcr_count = SIM_TPM_PCRS;
    sim_tpm.nbanks = 3;
    sim_tpm.banks[0].alg = 0x0004;
    sim_tpm.banks[1].alg = 0x000B;
    sim_tpm.banks[2].alg = 0x000C;
    memset(sim_tpm.banks[0].select, 0xFF, 3);
    memset(sim_tpm.banks[1].select, 0xFF, 3);
    /* 1.2 reports timeouts/durations in µs (smaller than the defaults). */
    sim_tpm.tis_timeout_us[0] = 750000;
    sim_tpm.tis_timeout_us[1] = 2000000;
    sim_tpm.tis_timeout_us[2] = 750000;
    sim_tpm.tis_timeout_us[3] = 750000;
    sim_tpm.duration_us[0] = 1000000;
    sim_tpm.duration_us[1] = 5000000;
    sim_tpm.duration_us[2] = 60000000;
    sim_tpm.nv_index = sim_tpm.family == 12 ? 0x50000001u : 0x01C10104u;
    sim_tpm.nv_size = 600;
    for (unsigned i = 0; i < sim_tpm.nv_size; i++)
        sim_tpm.nv_data[i] = (uint8_t)i;
}

/* ---------------------------------------------------------------- model */

static size_t rsp_header(uint8_t *rsp, uint16_t tag, uint32_t rc)
{
    p16(rsp, tag);
    p32(rsp + 2, 10);
    p32(rsp + 6, rc);
    return 10;
}

static size_t sim_finish(uint8_t *rsp, size_t len)
{
    p32(rsp + 2, (uint32_t)len);
    return len;
}

static size_t model12(const uint8_t *c, size_t len, uint8_t *r)
{
    uint16_t tag = g16(c);
    if (tag != 0x00C1)
        return rsp_header(r, 0x00C4, 0x1E); /* TPM_BADTAG */
    uint32_t ord = g32(c + 6);
    if (sim_tpm.fail_cc && ord == sim_tpm.fail_cc &&
        (!sim_tpm.fail_sub || (len >= 22 && g32(c + 18) == sim_tpm.fail_sub)))
        return rsp_header(r, 0x00C4, sim_tpm.fail_rc);
    size_t n = rsp_header(r, 0x00C4, 0);
    switch (ord) {
    case 0x65: { /* GetCapability */
        uint32_t area = g32(c + 10), subsize = g32(c + 14);
        uint32_t sub = subsize == 4 && len >= 22 ? g32(c + 18) : 0;
        if (area == 0x1A) {
            static const uint8_t ver[] = {0x00, 0x30, 1, 2, 3, 8, 0x00, 0x02, 0x03, 'S', 'I', 'M', 0, 0, 0};
            p32(r + n, sizeof(ver));
            memcpy(r + n + 4, ver, sizeof(ver));
            return sim_finish(r, n + 4 + sizeof(ver));
        }
        if (area == 5 && sub == 0x115) {
            p32(r + n, 16);
            for (unsigned i = 0; i < 4; i++)
                p32(r + n + 4 + 4 * i, sim_tpm.tis_timeout_us[i]);
            return sim_finish(r, n + 20);
        }
        if (area == 5 && sub == 0x120) {
            p32(r + n, 12);
            for (unsigned i = 0; i < 3; i++)
                p32(r + n + 4 + 4 * i, sim_tpm.duration_us[i]);
            return sim_finish(r, n + 16);
        }
        if (area == 5 && sub == 0x101) {
            p32(r + n, 4);
            p32(r + n + 4, sim_tpm.pcr_count);
            return sim_finish(r, n + 8);
        }
        return rsp_header(r, 0x00C4, 0x03); /* TPM_BAD_PARAMETER */
    }
    case 0x15: /* PCRRead */
    case 0x14: { /* Extend */
        uint32_t pcr = g32(c + 10);
        if (pcr >= sim_tpm.pcr_count || pcr >= SIM_TPM_PCRS)
            return rsp_header(r, 0x00C4, 0x02); /* TPM_BADINDEX */
        if (ord == 0x14)
            sim_tpm_mix(sim_tpm.pcr[0][pcr], c + 14, 20);
        memcpy(r + n, sim_tpm.pcr[0][pcr], 20);
        return sim_finish(r, n + 20);
    }
    case 0x46: { /* GetRandom */
        uint32_t want = g32(c + 10);
        if (want > 128)
            want = 128;
        p32(r + n, want);
        for (uint32_t i = 0; i < want; i++)
            r[n + 4 + i] = (uint8_t)(0xA0 + i);
        return sim_finish(r, n + 4 + want);
    }
    case 0xCF: { /* NV_ReadValue */
        uint32_t idx = g32(c + 10), off = g32(c + 14), size = g32(c + 18);
        if (idx != sim_tpm.nv_index)
            return rsp_header(r, 0x00C4, 0x02); /* TPM_BADINDEX */
        if (off > sim_tpm.nv_size || size > sim_tpm.nv_size - off)
            return rsp_header(r, 0x00C4, 0x2C); /* TPM_NOSPACE-ish */
        p32(r + n, size);
        memcpy(r + n + 4, sim_tpm.nv_data + off, size);
        return sim_finish(r, n + 4 + size);
    }
    case 0x98: /* SaveState */
        if (len != 10)
            return rsp_header(r, 0x00C4, 0x19); /* TPM_BAD_PARAM_SIZE */
        sim_tpm.saved_state++;
        return n;
    }
    return rsp_header(r, 0x00C4, 0x0A); /* TPM_BAD_ORDINAL */
}

static int bank_index(uint16_t alg)
{
    for (unsigned i = 0; i < sim_tpm.nbanks; i++)
        if (sim_tpm.banks[i].alg == alg)
            return (int)i;
    return -1;
}

/* The 9-byte password session Rensa sends, at c + at. */
static bool pw_session_ok(const uint8_t *c, size_t at)
{
    static const uint8_t pw[] = {0, 0, 0, 9, 0x40, 0, 0, 9, 0, 0, 0, 0, 0};
    return memcmp(c + at, pw, sizeof(pw)) == 0;
}

static size_t session_rsp(uint8_t *r, size_t n)
{
    memset(r + n, 0, 5); /* nonce size 0, attributes 0, hmac size 0 */
    return n + 5;
}

static size_t model20(const uint8_t *c, size_t len, uint8_t *r)
{
    uint16_t tag = g16(c);
    if (tag != 0x8001 && tag != 0x8002)
        return rsp_header(r, 0x00C4, 0x1E); /* TPM_RC_BAD_TAG */
    uint32_t cc = g32(c + 6);
    if (sim_tpm.fail_cc && cc == sim_tpm.fail_cc)
        return rsp_header(r, 0x8001, sim_tpm.fail_rc);
    size_t n = rsp_header(r, 0x8001, 0);
    switch (cc) {
    case 0x17A: { /* GetCapability */
        uint32_t cap = g32(c + 10), prop = g32(c + 14);
        r[n++] = 0; /* moreData */
        p32(r + n, cap);
        n += 4;
        if (cap == 5) {
            p32(r + n, sim_tpm.nbanks);
            n += 4;
            for (unsigned i = 0; i < sim_tpm.nbanks; i++) {
                p16(r + n, sim_tpm.banks[i].alg);
                r[n + 2] = 3;
                memcpy(r + n + 3, sim_tpm.banks[i].select, 3);
                n += 6;
            }
            return sim_finish(r, n);
        }
        if (cap == 6 && prop == 0x112) {
            p32(r + n, 1);
            p32(r + n + 4, 0x112);
            p32(r + n + 8, sim_tpm.pcr_count);
            return sim_finish(r, n + 12);
        }
        return rsp_header(r, 0x8001, 0x2C4); /* TPM_RC_VALUE, parameter 2 */
    }
    case 0x17E: { /* PCR_Read */
        if (len < 20 || g32(c + 10) != 1)
            return rsp_header(r, 0x8001, 0x1C4);
        uint16_t alg = g16(c + 14);
        unsigned ssz = c[16];
        int b = bank_index(alg);
        int pcr = -1;
        for (unsigned k = 0; k < ssz && 17 + k < len; k++)
            for (unsigned bit = 0; bit < 8; bit++)
                if (c[17 + k] & (1u << bit))
                    pcr = (int)(k * 8 + bit);
        bool ok = b >= 0 && pcr >= 0 && pcr < (int)SIM_TPM_PCRS &&
                  (sim_tpm.banks[b].select[pcr / 8] & (1u << (pcr % 8)));
        p32(r + n, 42); /* pcrUpdateCounter */
        p32(r + n + 4, 1);
        p16(r + n + 8, alg);
        r[n + 10] = 3;
        memset(r + n + 11, 0, 3);
        if (ok)
            r[n + 11 + pcr / 8] = (uint8_t)(1u << (pcr % 8));
        n += 14;
        p32(r + n, ok ? 1 : 0);
        n += 4;
        if (ok) {
            unsigned sz = sim_tpm_digest_size(alg);
            p16(r + n, (uint16_t)sz);
            memcpy(r + n + 2, sim_tpm.pcr[b][pcr], sz);
            n += 2 + sz;
        }
        return sim_finish(r, n);
    }
    case 0x182: { /* PCR_Extend */
        if (tag != 0x8002 || len < 27 || !pw_session_ok(c, 14))
            return rsp_header(r, 0x8001, 0x0A2); /* TPM_RC_BAD_AUTH-ish */
        uint32_t pcr = g32(c + 10);
        if (pcr >= SIM_TPM_PCRS)
            return rsp_header(r, 0x8001, 0x18B); /* TPM_RC_HANDLE */
        uint32_t count = g32(c + 27);
        size_t at = 31;
        for (uint32_t i = 0; i < count; i++) {
            if (at + 2 > len)
                return rsp_header(r, 0x8001, 0x095); /* TPM_RC_SIZE */
            uint16_t alg = g16(c + at);
            unsigned sz = sim_tpm_digest_size(alg);
            int b = bank_index(alg);
            if (!sz || b < 0 || at + 2 + sz > len)
                return rsp_header(r, 0x8001, 0x2C3); /* TPM_RC_HASH */
            sim_tpm_mix(sim_tpm.pcr[b][pcr], c + at + 2, sz);
            at += 2 + sz;
        }
        if (at != len)
            return rsp_header(r, 0x8001, 0x095);
        p16(r, 0x8002);
        p32(r + n, 0); /* parameterSize */
        return sim_finish(r, session_rsp(r, n + 4));
    }
    case 0x17B: { /* GetRandom */
        uint16_t want = g16(c + 10);
        if (want > 32)
            want = 32;
        p16(r + n, want);
        for (unsigned i = 0; i < want; i++)
            r[n + 2 + i] = (uint8_t)(0xB0 + i);
        return sim_finish(r, n + 2 + want);
    }
    case 0x14E: { /* NV_Read */
        if (tag != 0x8002 || len != 35 || !pw_session_ok(c, 18))
            return rsp_header(r, 0x8001, 0x0A2);
        uint32_t idx = g32(c + 14);
        uint16_t size = g16(c + 31), off = g16(c + 33);
        if (idx != sim_tpm.nv_index || g32(c + 10) != idx)
            return rsp_header(r, 0x8001, 0x18B); /* TPM_RC_HANDLE */
        if (off > sim_tpm.nv_size || size > sim_tpm.nv_size - off)
            return rsp_header(r, 0x8001, 0x146); /* TPM_RC_NV_RANGE */
        p16(r, 0x8002);
        p32(r + n, 2u + size);
        p16(r + n + 4, size);
        memcpy(r + n + 6, sim_tpm.nv_data + off, size);
        return sim_finish(r, session_rsp(r, n + 6 + size));
    }
    case 0x145: /* Shutdown */
        if (len != 12 || g16(c + 10) != 0x0001) /* TPM_SU_STATE only */
            return rsp_header(r, 0x8001, 0x1C4); /* TPM_RC_VALUE + parameter 1 */
        sim_tpm.saved_state++;
        return n;
    }
    return rsp_header(r, 0x8001, 0x143); /* TPM_RC_COMMAND_CODE */
}

/* Run a command; false if it hangs. */
static bool execute(const uint8_t *c, size_t len, uint8_t *r, size_t *rlen)
{
    sim_tpm.cmds++;
    memcpy(sim_tpm.last_cmd, c, len);
    sim_tpm.last_cmd_len = len;
    if (sim_tpm.hang) {
        sim_tpm.hang--;
        return false;
    }
    if (sim_tpm.canned_count) {
        sim_tpm.canned_count--;
        memcpy(r, sim_tpm.canned, sim_tpm.canned_len);
        *rlen = sim_tpm.canned_len;
        return true;
    }
    if (len < 10) {
        *rlen = rsp_header(r, sim_tpm.family == 12 ? 0x00C4 : 0x8001, 0x1E);
        return true;
    }
    *rlen = sim_tpm.family == 12 ? model12(c, len, r) : model20(c, len, r);
    return true;
}

/* ---------------------------------------------------------------- TIS */

static uint32_t tis_sts(void)
{
    uint32_t s = 0x80; /* stsValid */
    uint32_t burst = 0;
    size_t avail_len = hw.rsp_len;
    if (sim_tpm.truncate && sim_tpm.truncate < avail_len)
        avail_len = sim_tpm.truncate;
    switch (hw.state) {
    case ST_READY:
        s |= 0x40;
        burst = sim_tpm.burst;
        break;
    case ST_RECEPTION:
        burst = sim_tpm.burst;
        if (sim_tpm.expect_fault == 2 ||
            (sim_tpm.expect_fault != 1 && (hw.cmd_len < 6 || hw.cmd_len < g32(hw.cmd + 2))))
            s |= 0x08; /* Expect */
        break;
    case ST_COMPLETION:
        if (hw.rsp_pos < avail_len) {
            s |= 0x10; /* dataAvail */
            burst = (uint32_t)(avail_len - hw.rsp_pos);
            if (burst > sim_tpm.burst)
                burst = sim_tpm.burst;
        }
        break;
    case ST_IDLE:
    case ST_EXECUTION:
        break;
    }
    if (sim_tpm.burst_zero)
        burst = 0;
    s |= burst << 8;
    if (sim_tpm.family == 20 && !sim_tpm.no_family_bits)
        s |= 1u << 26;
    return s;
}

static void tis_sts_write(uint8_t v)
{
    if (v & 0x40) { /* commandReady */
        if (hw.state == ST_RECEPTION || hw.state == ST_EXECUTION)
            sim_tpm.cancels++;
        hw.state = ST_READY;
        hw.cmd_len = 0;
        hw.rsp_len = hw.rsp_pos = 0;
    }
    if ((v & 0x20) && hw.state == ST_RECEPTION) { /* tpmGo */
        if (execute(hw.cmd, hw.cmd_len, hw.rsp, &hw.rsp_len)) {
            hw.rsp_pos = 0;
            hw.state = ST_COMPLETION;
        } else {
            hw.state = ST_EXECUTION;
        }
    }
    if ((v & 0x02) && hw.state == ST_COMPLETION) { /* responseRetry */
        hw.rsp_pos = 0;
        sim_tpm.retries++;
    }
}

static uint8_t tis_read8(unsigned loc, uint32_t off)
{
    if (loc > 4)
        return 0xFF;
    if (off == 0x00) {
        uint8_t a = 0x80; /* tpmRegValidSts */
        if (hw.active == (int)loc)
            a |= 0x20;
        return a;
    }
    if (hw.active != (int)loc)
        return 0xFF;
    if (off >= 0x18 && off < 0x1C)
        return (uint8_t)(tis_sts() >> (8 * (off - 0x18)));
    if (off == 0x24 || (off >= 0x80 && off < 0x84)) {
        if (hw.state == ST_COMPLETION && hw.rsp_pos < hw.rsp_len)
            return hw.rsp[hw.rsp_pos++];
        return 0xFF;
    }
    return 0xFF;
}

static uint32_t tis_read32(unsigned loc, uint32_t off)
{
    if (off == 0x30) {
        switch (sim_tpm.kind) {
        case SIM_TPM_TIS12:
            return 0xFFFFFFFFu;
        case SIM_TPM_TIS20:
            return 0x0000010Fu;
        default:
            return 0x00000110u;
        }
    }
    if (off == 0xF00)
        return 0x00011014u;
    if (off == 0x18)
        return hw.active == (int)loc ? tis_sts() : 0xFFFFFFFFu;
    return (uint32_t)tis_read8(loc, off) | 0xFFFFFF00u;
}

static void tis_write8(unsigned loc, uint32_t off, uint8_t v)
{
    if (off == 0x00) {
        if ((v & 0x02) && !sim_tpm.never_grant && (hw.active < 0 || hw.active == (int)loc))
            hw.active = (int)loc;
        if ((v & 0x20) && hw.active == (int)loc)
            hw.active = -1;
        return;
    }
    if (hw.active != (int)loc)
        return;
    if (off == 0x18) {
        tis_sts_write(v);
    } else if (off == 0x24 || (off >= 0x80 && off < 0x84)) {
        if ((hw.state == ST_READY || hw.state == ST_RECEPTION) && hw.cmd_len < SIM_TPM_BUF) {
            hw.cmd[hw.cmd_len++] = v;
            hw.state = ST_RECEPTION;
        }
    }
}

/* ---------------------------------------------------------------- CRB */

static uint32_t crb_read32(uint32_t off)
{
    switch (off) {
    case 0x00: /* LOC_STATE */
        return 0x80u | (hw.assigned ? 0x02u : 0);
    case 0x0C: /* LOC_STS */
        return hw.assigned ? 1u : 0;
    case 0x30:
        return 0x00000011u;
    case 0x40: /* CTRL_REQ: self-clearing */
        return 0;
    case 0x44:
        return hw.idle ? 2u : 0;
    case 0x4C:
        return hw.start;
    case 0x58:
    case 0x64:
        return SIM_CRB_BUF_SIZE;
    case 0x5C:
    case 0x68:
        return (uint32_t)(BASE + 0x80);
    }
    return 0;
}

static void crb_write32(uint32_t off, uint32_t v)
{
    switch (off) {
    case 0x08: /* LOC_CTRL */
        if ((v & 1) && !sim_tpm.never_grant)
            hw.assigned = true;
        if (v & 2)
            hw.assigned = false;
        break;
    case 0x40: /* CTRL_REQ */
        if (v & 1)
            hw.idle = false;
        if (v & 2)
            hw.idle = true;
        break;
    case 0x48: /* CTRL_CANCEL */
        if ((v & 1) && hw.executing) {
            hw.executing = false;
            hw.start = 0;
            sim_tpm.cancels++;
        }
        break;
    case 0x4C: /* CTRL_START */
        if ((v & 1) && hw.assigned && !hw.idle) {
            size_t len = g32(hw.buf + 2);
            if (len > SIM_CRB_BUF_SIZE)
                len = SIM_CRB_BUF_SIZE;
            static uint8_t rsp[SIM_TPM_BUF];
            size_t rlen = 0;
            if (execute(hw.buf, len, rsp, &rlen)) {
                memcpy(hw.buf, rsp, rlen < SIM_CRB_BUF_SIZE ? rlen : SIM_CRB_BUF_SIZE);
                hw.start = 0;
            } else {
                hw.executing = true;
                hw.start = 1;
            }
        }
        break;
    }
}

/* ---------------------------------------------------------------- MMIO */

static bool in_window(paddr_t a)
{
    return a >= BASE && a < BASE + WINDOW;
}

static void *plain_memory(paddr_t a, unsigned n)
{
    void *p = phys_ptr(a, n);
    if (!p) {
        fprintf(stderr, "sim_tpm: MMIO access to 0x%llx outside the TPM window and simulated memory\n",
                (unsigned long long)a);
        abort();
    }
    return p;
}

uint8_t mmio_read8(paddr_t a)
{
    if (!in_window(a)) {
        uint8_t v;
        memcpy(&v, plain_memory(a, 1), 1);
        return v;
    }
    if (sim_tpm.kind == SIM_TPM_ABSENT)
        return 0xFF;
    if (sim_tpm.kind == SIM_TPM_ABSENT_ZERO)
        return 0;
    uint32_t off = (uint32_t)(a - BASE);
    if (sim_tpm.kind == SIM_TPM_CRB20) {
        if (off >= 0x80 && off < 0x80 + SIM_CRB_BUF_SIZE)
            return hw.buf[off - 0x80];
        if (off < 0x1000)
            return (uint8_t)(crb_read32(off & ~3u) >> (8 * (off & 3)));
        return 0xFF;
    }
    return tis_read8(off >> 12, off & 0xFFF);
}

uint32_t mmio_read32(paddr_t a)
{
    if (!in_window(a)) {
        uint32_t v;
        memcpy(&v, plain_memory(a, 4), 4);
        return v;
    }
    if (sim_tpm.kind == SIM_TPM_ABSENT)
        return 0xFFFFFFFFu;
    if (sim_tpm.kind == SIM_TPM_ABSENT_ZERO)
        return 0;
    uint32_t off = (uint32_t)(a - BASE);
    if (sim_tpm.kind == SIM_TPM_CRB20)
        return off < 0x80 ? crb_read32(off) : 0xFFFFFFFFu;
    return tis_read32(off >> 12, off & 0xFFF);
}

uint64_t mmio_read64(paddr_t a)
{
    return mmio_read32(a) | ((uint64_t)mmio_read32(a + 4) << 32);
}

void mmio_write8(paddr_t a, uint8_t v)
{
    if (!in_window(a)) {
        memcpy(plain_memory(a, 1), &v, 1);
        return;
    }
    if (sim_tpm.kind == SIM_TPM_ABSENT || sim_tpm.kind == SIM_TPM_ABSENT_ZERO)
        return;
    uint32_t off = (uint32_t)(a - BASE);
    if (sim_tpm.kind == SIM_TPM_CRB20) {
        if (off >= 0x80 && off < 0x80 + SIM_CRB_BUF_SIZE)
            hw.buf[off - 0x80] = v;
        return;
    }
    tis_write8(off >> 12, off & 0xFFF, v);
}

void mmio_write32(paddr_t a, uint32_t v)
{
    if (!in_window(a)) {
        memcpy(plain_memory(a, 4), &v, 4);
        return;
    }
    if (sim_tpm.kind == SIM_TPM_ABSENT || sim_tpm.kind == SIM_TPM_ABSENT_ZERO)
        return;
    uint32_t off = (uint32_t)(a - BASE);
    if (sim_tpm.kind == SIM_TPM_CRB20) {
        crb_write32(off, v);
        return;
    }
    tis_write8(off >> 12, off & 0xFFF, (uint8_t)v);
}

void mmio_write64(paddr_t a, uint64_t v)
{
    mmio_write32(a, (uint32_t)v);
    mmio_write32(a + 4, (uint32_t)(v >> 32));
}

/* ---------------------------------------------------------------- ACPI */

#define ACPI_AREA 0x7F000u

static void le32p(uint8_t *p, uint32_t v)
{
    for (unsigned i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static void le64p(uint8_t *p, uint64_t v)
{
    le32p(p, (uint32_t)v);
    le32p(p + 4, (uint32_t)(v >> 32));
}

static void sdt(uint8_t *t, const char *sig, uint32_t len, uint8_t rev)
{
    memcpy(t, sig, 4);
    le32p(t + 4, len);
    t[8] = rev;
    memcpy(t + 10, "RENSA ", 6);
    sim_acpi_fix(t);
}

void sim_acpi_fix(uint8_t *t)
{
    uint32_t len = (uint32_t)t[4] | (uint32_t)t[5] << 8 | (uint32_t)t[6] << 16 | (uint32_t)t[7] << 24;
    t[9] = 0;
    uint8_t s = 0;
    for (uint32_t i = 0; i < len; i++)
        s = (uint8_t)(s + t[i]);
    t[9] = (uint8_t)(0x100 - s);
}

uint8_t *sim_acpi_tpm2(uint8_t rsdp[36], uint32_t start_method, uint64_t control_area)
{
    uint8_t *m = sim_map(ACPI_AREA, 0x1000);
    uint8_t *xsdt = m, *dummy = m + 0x100, *tpm2 = m + 0x200;
    sdt(dummy, "APIC", 44, 1);
    memset(tpm2, 0, 76);
    le32p(tpm2 + 4, 76);
    le64p(tpm2 + 40, control_area);
    le32p(tpm2 + 48, start_method);
    sdt(tpm2, "TPM2", 76, 4);
    le64p(xsdt + 36, ACPI_AREA + 0x100);
    le64p(xsdt + 44, ACPI_AREA + 0x200);
    sdt(xsdt, "XSDT", 52, 1);

    memset(rsdp, 0, 36);
    memcpy(rsdp, "RSD PTR ", 8);
    memcpy(rsdp + 9, "RENSA ", 6);
    rsdp[15] = 2;
    le32p(rsdp + 16, 0);
    le32p(rsdp + 20, 36);
    le64p(rsdp + 24, ACPI_AREA);
    uint8_t s = 0;
    for (unsigned i = 0; i < 20; i++)
        s = (uint8_t)(s + rsdp[i]);
    rsdp[8] = (uint8_t)(0x100 - s);
    s = 0;
    for (unsigned i = 0; i < 36; i++)
        s = (uint8_t)(s + rsdp[i]);
    rsdp[32] = (uint8_t)(0x100 - s);
    return tpm2;
}
