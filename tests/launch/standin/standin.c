/* The stand-in SINIT: a small freestanding 32-bit program that plays
 * Intel's SINIT AC module in the emulated launch of Rensa's test build
 * (docs/emulated-launch.md is the contract; this is the "stand-in" of
 * "Emulated GETSEC[SENTER]" and "What the stand-in does, in order").
 *
 * Files:
 *   entry.S       standin_entry (the AC module's entry point), the jump
 *                 into the MLE with the stand-in's own flat GDT, the RLPs'
 *                 real-mode trampoline, their join and their halt
 *   standin.c     the ten steps (this file)
 *   rlp.c, rlp.h  the RLP rendezvous (progress 0x0B), the SENTER sleep and
 *                 the wake-up through TXT.MLE.JOIN
 *   hw.c, hw.h    memory, COM2, TPM TIS and local APIC access, TSC-bounded
 *                 waits
 *   lib.c         memcpy/memset/memcmp and the portable-SHA glue
 *   standin.lds   one flat image, linked at STANDIN_LINK_BASE
 *   mkacm.py      wraps the flat image in an AC module header (vendor
 *                 STANDIN_VENDOR, standin.h)
 *   standin.mk    the build: $(BUILD)/emu/standin.acm = $(STANDIN_ACM)
 *   test-standin  host checks of the module
 * The SHA-1 and SHA-256 code is the project's own (tpm/sha1.c,
 * tpm/sha256.c, tpm/md.c), always on the portable path (no SHA-NI: the
 * stand-in does not depend on CR4).
 *
 * Entry (through a near call to module base + entry_point, flat 32-bit
 * protected mode, paging off, interrupts off): EAX 4, EBX module base
 * (TXT.SINIT.BASE), ECX module size in bytes, EDX SENTER flags, ESI base of
 * the emulated TXT register space (private at +0, public at +0x10000), EDI
 * the physical address of the RLP rendezvous page (4 KiB below 1 MiB,
 * reserved by the emulated BIOS; 0 if none). The stand-in runs on the
 * caller's stack (it needs well under 2 KiB) and keeps no writable state
 * in its own image, so the image it hashes is the file. On a failure it
 * writes TXT.ERRORCODE (public and private copies) and returns with EAX =
 * ERRORCODE and EBX, ESI, EDI, EBP, ESP as they were. On success it does
 * not return: it enters the MLE (step 10).
 *
 * The RLPs (rlp.c), after step 1, progress 0x0B: with n =
 * BiosData.NumLogicalProcs > 1, the ILP copies the real-mode trampoline
 * into the rendezvous page (layout in standin.h), writes there what the
 * RLPs need (GDT, far pointer, standin_rlp_main's address, ESI, the
 * module's capabilities) and sends INIT, SIPI, SIPI (vector page >> 12) to
 * all but itself through the xAPIC. Each RLP switches to flat 32-bit
 * protected mode, takes a stack in the page, increments the page's
 * "arrived" count and sleeps, polling with PAUSE: it wakes when the
 * module's capabilities (its information table, read at EBX) offer
 * MONITOR wake-up (bit 1) and the word standin_rlp_wakeup is nonzero, or
 * offer GETSEC wake-up (bit 0) and the emulated register at public space
 * + EMU_TXT_WAKEUP (tests/launch/emu.h) is nonzero. The ILP waits until
 * arrived = n - 1. SinitMleData.RlpWakeupAddr = &standin_rlp_wakeup when
 * the capabilities offer MONITOR, else 0. A woken RLP does what
 * GETSEC[WAKEUP] does: reads TXT.MLE.JOIN (private space), checks the JOIN
 * structure {GDT limit, GDT base, selector, EIP} (address nonzero and not
 * wrapping, limit <= 0xFFFF, selector nonzero with TI = RPL = 0, selector
 * + 15 <= limit, EIP nonzero), loads that GDT and far-jumps to
 * selector:EIP with DS = ES = FS = GS = SS = selector + 8, CR0 = PE|NE
 * (paging, caches' CD/NW, AM, WP off), EFLAGS 2 and every general
 * register 0 (ESP too). On a bad JOIN it writes ERRORCODE (both copies)
 * = 0x8000000B, the processor's #BadJOINFormat (valid, not external,
 * TXT_PROC_BAD_JOIN_FORMAT), and halts for good. With n <= 1 none of this
 * happens. The RLPs write only into the rendezvous page and ERRORCODE,
 * never into the module.
 *
 * Registers are read from the public space; a register that reads 0 there
 * is read from the private space (the emulated BIOS may fill either).
 * STS and ERRORCODE are written to both copies (on hardware they are the
 * same register).
 *
 * ERRORCODE = 0xC0000000 | minor << 16 | error << 10 | progress << 4 | 1
 * (valid, external, ACM type 1 = SINIT; progress = the contract's step).
 * Every check has its own (progress, error) pair:
 *
 *   prog err  minor           meaning
 *   0x01  1   0               TXT.HEAP.BASE/SIZE zero, above 4 GiB or wrapping
 *   0x01  2   0               BiosData size field < 8 or past the heap end
 *   0x01  3   0               OsMleData size field < 8 or past the heap end
 *   0x01  4   0               OsSinitData size field < 8 or past the heap end
 *   0x01  5   0               no room for SinitMleData (8 + 148 bytes, 2 MDRs of 24) after OsSinitData
 *   0x01  6   version         OsSinitData version outside 5..7
 *   0x01  7   0               OsSinitData smaller than its 92-byte fixed part
 *   0x01  8   element type    an extended element's size is < 8 or runs past OsSinitData
 *   0x01  9   0               the extended elements do not end with END (size 8)
 *   0x01 10   element type    an event log pointer element has the wrong size, or a second one
 *   0x02  1   0               MLE size 0 or >= 4 GiB, or page table base not page aligned / above 4 GiB
 *   0x02  2   linear page     a PDPTE inside the MLE is not present
 *   0x02  3   linear page     a PDE inside the MLE is not present
 *   0x02  4   linear page     a PDE maps a large page (PS bit)
 *   0x02  5   linear page     a PTE inside the MLE is not present
 *   0x02  6   linear page     an entry sets reserved bits or points above 4 GiB
 *   0x02  7   linear page     MLE pages not in strictly ascending physical order (or one twice)
 *   0x03  1   0               the MLE header does not fit inside the MLE
 *   0x03  2   0               the MLE header UUID is wrong
 *   0x03  3   0               MLE header version below 2.0
 *   0x03  4   0               MLE header entry_point >= MLESize
 *   0x04  1   0               the low PMR is empty or wraps
 *   0x04  2   linear page     an MLE page lies outside the low PMR
 *   0x04  3   0               a page-table page lies outside the low PMR
 *   0x05  -   -               the fault word is set: ERRORCODE = its value, verbatim
 *   0x06  1   0               COM2 transmitter never ready
 *   0x06  2   0               no DRTM reply on COM2 within ~2^34 TSC ticks
 *   0x06  3   reply byte      the DRTM reply is not 'K'
 *   0x07  1   0               no TPM (ACCESS at locality 3 does not read valid)
 *   0x07  2   0               locality 3 not granted (request, then seize)
 *   0x07  3   PCR             commandReady never set
 *   0x07  4   PCR             the FIFO took or gave no more bytes (burstCount 0)
 *   0x07  5   PCR             Expect wrong after writing the command
 *   0x07  6   PCR             no response (dataAvail) within ~2^34 TSC ticks
 *   0x07  7   PCR             response size < 10 or larger than the buffer
 *   0x07  8   rc & 0x3FFF     the TPM returned an error for the extend
 *   0x07  9   0               the event log is above 4 GiB, wraps, or too small for a Spec ID event
 *   0x07 10   0               the log does not start with a valid Spec ID event
 *   0x07 11   algorithm ID    a bank other than SHA-1 (20) or SHA-256 (32)
 *   0x08  1   0               NextRecordOffset is below FirstRecordOffset or past the allocated size
 *   0x08  2   0               the three records do not fit the allocated size
 *   0x0A  1   0               entry_point does not translate through the page table
 *   0x0B  1   0               NumLogicalProcs > 1 and EDI is 0 (or not a 4 KiB page below 1 MiB,
 *                             or a reserved SIPI vector 0xA0-0xBF)
 *   0x0B  2   n               n - 1 RLPs, more than the page has stacks for (15)
 *   0x0B  3   arrived         not n - 1 RLPs asleep within ~2^32 TSC ticks (or more than n - 1)
 *   0x0B  4   0               BiosData too short to hold NumLogicalProcs (size field < 8 + 28)
 *   0x0B  5   0               the local APIC is disabled, in x2APIC mode or above 4 GiB
 *   0x0B  6   IPI             ICR delivery status never cleared: IPI 1 INIT, 2 and 3 the SIPIs
 *
 * A processor code (bit 30, external, clear), written by an RLP:
 *   0x8000000B                GETSEC[WAKEUP] found a bad JOIN structure (#BadJOINFormat);
 *                             that RLP halts
 *
 * Choices the contract left open (also at the end of docs/emulated-launch.md):
 *   - TPM 2.0 without an EVENTLOG_POINTER2_1 element: the extends carry a
 *     SHA-1 and a SHA-256 digest (no log to name the banks), no records.
 *   - The MLE measurement is the hash of MLESize bytes from linear 0.
 *   - On MLE entry ESP = TXT.SINIT.BASE + TXT.SINIT.SIZE (the top of the
 *     SINIT region) when that leaves 256 bytes past the module, otherwise
 *     the caller's ESP; EAX, ESI, EDI, EBP = 0; CS 0x08, DS/ES/FS/GS/SS 0x10.
 *   - RLP stacks are 256 bytes (the sleep and the join need under 160), so
 *     the page holds 15: NumLogicalProcs up to 16. An RLP beyond the 15th
 *     stack halts at once, uncounted.
 *   - The ILP's wait ends as soon as arrived = n - 1: a processor
 *     BiosData did not count is an error only if it arrives first; one
 *     arriving later sleeps and wakes like the others.
 *   - The JOIN checks add the SDM's GDT limit <= 0xFFFF and refuse a JOIN
 *     structure that wraps at 4 GiB; the processor's other effects that a
 *     TCG guest without SMX cannot have (CR4.SMXE, DR7, IA32_DEBUGCTL,
 *     IA32_EFER) are not reproduced.
 *   - TXT.MLE.JOIN is read from the private space only (no fallback to
 *     the public copy).
 *   - The join's far jump is written as an 11-byte stub (xor eax; xor
 *     esp; ljmp sel:eip) at the bottom of the RLP's stack area in the
 *     page, so that no register holds an address at the MLE's entry:
 *     Rensa must leave the rendezvous page alone until its RLPs joined.
 */
#include "hw.h"
#include "mle.h"
#include "rlp.h"
#include "sha.h"
#include "standin.h"
#include "txt_heap.h"
#include "txt_regs.h"
#include "../emu.h"

void *memcpy(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);

uint32_t standin_main(uint32_t base, uint32_t size, uint32_t flags, uint32_t txt, uint32_t rdv);
NORETURN void standin_enter_mle(uint32_t entry_phys, uint32_t pt_phys, uint32_t flags, uint32_t stack_top);

#define ERR(progress, error, minor) STANDIN_ERR(progress, error, minor)

/* The fault word (step 5): a test patches the value after the marker. */
__attribute__((used, section(".data.standin"))) volatile struct {
    char marker[8];
    uint32_t value;
} standin_fault = {{'R', 'N', 'S', 'A', 'F', 'A', 'I', 'L'}, 0};

/* SinitMleData.RlpWakeupAddr points here (a word in the SINIT region) when
 * the module's capabilities offer MONITOR wake-up; Rensa writes 1 to wake
 * the sleeping RLPs (rlp.c). */
__attribute__((used, section(".data.standin"))) volatile uint32_t standin_rlp_wakeup = 0;

#define EV_HASH_START 0x402u
#define EV_MLE_HASH 0x404u
#define EV_BIOSAC_REG_DATA 0x40Au
#define TPM_ALG_SHA1 0x0004u
#define TPM_ALG_SHA256 0x000Bu
#define POLICY_DATA_LEN 80u
#define SINIT_MLE_BYTES (8u + (uint32_t)sizeof(struct txt_sinit_mle_data))
#define SINIT_MDRS_MAX 2u /* GOOD: the low PMR, the high PMR */
#define MAX_BANKS 8u
#define PAGE 4096u
#define FOUR_GIB 0x100000000ull

struct st {
    uint32_t base, size, flags;
    uint32_t caps; /* the module's own information table capabilities */
    volatile uint8_t *priv, *pub;
    uint8_t *heap;
    uint32_t heap_size;
    uint32_t os_sinit_off, sinit_mle_off; /* heap offsets of the size fields */
    struct txt_os_sinit_data os;
    volatile uint8_t *evlog_elem; /* data of the EVENTLOG_POINTER2_1 element, or NULL */
    uint32_t pt, mle_size, npages;
    struct mle_header hdr;
    uint8_t sinit_sha1[20];
    uint8_t hash_data[24];
    uint8_t mle_sha1[20], mle_sha256[32];
    uint8_t policy[POLICY_DATA_LEN]; /* the policy data: all zero for the stand-in */
    bool tpm2;
    unsigned nbanks;
    uint16_t banks[MAX_BANKS];
};

/* ---------------------------------------------------------------- registers */

static uint64_t reg_read(const struct st *s, uint32_t off)
{
    uint64_t v = sd_rd64(s->pub + off);
    return v ? v : sd_rd64(s->priv + off);
}

static void reg_write(const struct st *s, uint32_t off, uint64_t v)
{
    sd_wr64(s->pub + off, v);
    sd_wr64(s->priv + off, v);
}

/* ---------------------------------------------------------------- step 1: heap */

/* A region's size field at heap offset off: >= 8 and inside the heap. */
static bool region_ok(const struct st *s, uint32_t off, uint32_t *size)
{
    if (off > s->heap_size || s->heap_size - off < 8)
        return false;
    uint64_t v = sd_rd64(s->heap + off);
    if (v < 8 || v > s->heap_size - off)
        return false;
    *size = (uint32_t)v;
    return true;
}

static uint32_t check_heap(struct st *s)
{
    uint64_t base = reg_read(s, TXT_HEAP_BASE), size = reg_read(s, TXT_HEAP_SIZE);
    if (base == 0 || size == 0 || base >= FOUR_GIB || size > FOUR_GIB - base)
        return ERR(1, 1, 0);
    s->heap = (uint8_t *)(uintptr_t)base;
    s->heap_size = (uint32_t)size;
    uint32_t bios, os_mle, os_sinit;
    if (!region_ok(s, 0, &bios))
        return ERR(1, 2, 0);
    if (!region_ok(s, bios, &os_mle))
        return ERR(1, 3, 0);
    s->os_sinit_off = bios + os_mle; /* both inside the heap: no wrap */
    if (!region_ok(s, s->os_sinit_off, &os_sinit))
        return ERR(1, 4, 0);
    s->sinit_mle_off = s->os_sinit_off + os_sinit;
    if (s->heap_size - s->sinit_mle_off < SINIT_MLE_BYTES + SINIT_MDRS_MAX * sizeof(struct txt_mdr))
        return ERR(1, 5, 0);
    const uint8_t *o = s->heap + s->os_sinit_off;
    uint32_t ver = os_sinit >= 12 ? sd_rd32(o + 8) : 0;
    if (ver < 5 || ver > 7)
        return ERR(1, 6, ver);
    if (os_sinit - 8 < sizeof(struct txt_os_sinit_data))
        return ERR(1, 7, 0);
    memcpy(&s->os, o + 8, sizeof(s->os));
    s->evlog_elem = NULL;
    if (ver < 6)
        return 0;
    uint32_t off = 8 + (uint32_t)sizeof(struct txt_os_sinit_data);
    for (;;) {
        if (os_sinit - off < 8)
            return ERR(1, 9, 0);
        uint32_t type = sd_rd32(o + off), esize = sd_rd32(o + off + 4);
        if (esize < 8 || esize > os_sinit - off)
            return ERR(1, 8, type);
        if (type == TXT_EXT_END)
            return esize == 8 ? 0 : ERR(1, 9, 0);
        if (type == TXT_EXT_EVLOG_PTR2_1) {
            if (esize != 8 + sizeof(struct txt_evlog_ptr2_1) || s->evlog_elem)
                return ERR(1, 10, type);
            s->evlog_elem = (volatile uint8_t *)(o + off + 8);
        }
        off += esize;
    }
}

/* ---------------------------------------------------------------- step 2: page table */

struct xlate {
    uint32_t pd, pt, phys; /* table pages and the physical address */
};

#define PDPTE_RSVD 0x1E6ull /* bits 2:1 and 8:5 */
#define HIGH_BITS 0xFFFFFFFF00000000ull /* also above 4 GiB: unreachable here */

/* Translates linear lin (< MLESize) through the MLE page table. */
static uint32_t translate(const struct st *s, uint32_t lin, struct xlate *x)
{
    uint32_t page = lin >> 12;
    uint64_t e = sd_rd64(sd_phys(s->pt + 8 * (lin >> 30)));
    if (!(e & 1))
        return ERR(2, 2, page);
    if (e & (PDPTE_RSVD | HIGH_BITS))
        return ERR(2, 6, page);
    x->pd = (uint32_t)e & ~(PAGE - 1);
    e = sd_rd64(sd_phys(x->pd + 8 * ((lin >> 21) & 511)));
    if (!(e & 1))
        return ERR(2, 3, page);
    if (e & (1u << 7))
        return ERR(2, 4, page);
    if (e & HIGH_BITS)
        return ERR(2, 6, page);
    x->pt = (uint32_t)e & ~(PAGE - 1);
    e = sd_rd64(sd_phys(x->pt + 8 * ((lin >> 12) & 511)));
    if (!(e & 1))
        return ERR(2, 5, page);
    if (e & HIGH_BITS)
        return ERR(2, 6, page);
    x->phys = ((uint32_t)e & ~(PAGE - 1)) | (lin & (PAGE - 1));
    return 0;
}

static uint32_t walk_mle(struct st *s)
{
    if (s->os.mle_ptab == 0 || (s->os.mle_ptab & (PAGE - 1)) || s->os.mle_ptab >= FOUR_GIB ||
        s->os.mle_size == 0 || s->os.mle_size >= FOUR_GIB)
        return ERR(2, 1, 0);
    s->pt = (uint32_t)s->os.mle_ptab;
    s->mle_size = (uint32_t)s->os.mle_size;
    s->npages = (uint32_t)((s->os.mle_size + PAGE - 1) >> 12);
    uint32_t prev = 0;
    for (uint32_t i = 0; i < s->npages; i++) {
        struct xlate x;
        uint32_t e = translate(s, i << 12, &x);
        if (e)
            return e;
        if (i && x.phys <= prev)
            return ERR(2, 7, i);
        prev = x.phys;
    }
    return 0;
}

/* Copies n bytes at linear lin of the MLE (already walked). */
static uint32_t mle_read(const struct st *s, uint32_t lin, void *dst, uint32_t n)
{
    uint8_t *d = dst;
    for (uint32_t i = 0; i < n; i++) {
        struct xlate x;
        uint32_t e = translate(s, lin + i, &x);
        if (e)
            return e;
        d[i] = *sd_phys(x.phys);
    }
    return 0;
}

/* ---------------------------------------------------------------- step 3: MLE header */

static uint32_t check_mle_header(struct st *s)
{
    if (s->os.mle_hdr_base >= s->mle_size || s->mle_size - s->os.mle_hdr_base < sizeof(s->hdr))
        return ERR(3, 1, 0);
    uint32_t e = mle_read(s, (uint32_t)s->os.mle_hdr_base, &s->hdr, sizeof(s->hdr));
    if (e)
        return e;
    if (s->hdr.uuid[0] != MLE_UUID0 || s->hdr.uuid[1] != MLE_UUID1 || s->hdr.uuid[2] != MLE_UUID2 ||
        s->hdr.uuid[3] != MLE_UUID3)
        return ERR(3, 2, 0);
    if (s->hdr.version < 0x00020000u)
        return ERR(3, 3, 0);
    if (s->hdr.entry_point >= s->mle_size)
        return ERR(3, 4, 0);
    return 0;
}

/* ---------------------------------------------------------------- step 4: PMRs */

static bool in_lo_pmr(const struct st *s, uint32_t addr, uint32_t len)
{
    uint64_t b = s->os.vtd_pmr_lo_base, e = b + s->os.vtd_pmr_lo_size;
    return addr >= b && (uint64_t)addr + len <= e;
}

static uint32_t check_pmr(const struct st *s)
{
    uint64_t b = s->os.vtd_pmr_lo_base, n = s->os.vtd_pmr_lo_size;
    if (n == 0 || b + n < b)
        return ERR(4, 1, 0);
    if (!in_lo_pmr(s, s->pt, PAGE))
        return ERR(4, 3, 0);
    for (uint32_t i = 0; i < s->npages; i++) {
        struct xlate x;
        uint32_t e = translate(s, i << 12, &x);
        if (e)
            return e;
        if (!in_lo_pmr(s, x.phys, PAGE))
            return ERR(4, 2, i);
        if (!in_lo_pmr(s, x.pd, PAGE) || !in_lo_pmr(s, x.pt, PAGE))
            return ERR(4, 3, 0);
    }
    return 0;
}

/* ---------------------------------------------------------------- hashing */

static void hash_mle(struct st *s)
{
    struct sha1_ctx c1;
    struct sha256_ctx c2;
    sha1_init(&c1);
    sha256_init(&c2);
    for (uint32_t i = 0; i < s->npages; i++) {
        struct xlate x;
        if (translate(s, i << 12, &x))
            break; /* walked in step 2: cannot happen */
        uint32_t left = s->mle_size - (i << 12), n = left < PAGE ? left : PAGE;
        const void *p = (const void *)(uintptr_t)x.phys;
        sha1_update(&c1, p, n);
        sha256_update(&c2, p, n);
    }
    sha1_final(&c1, s->mle_sha1);
    sha256_final(&c2, s->mle_sha256);
}

/* Digest of alg over data (SHA-1 or SHA-256); returns its size. */
static unsigned digest(uint16_t alg, const void *data, uint32_t len, uint8_t *out)
{
    if (alg == TPM_ALG_SHA1) {
        sha1(data, len, out);
        return 20;
    }
    sha256(data, len, out);
    return 32;
}

static unsigned alg_size(uint16_t alg)
{
    return alg == TPM_ALG_SHA1 ? 20 : alg == TPM_ALG_SHA256 ? 32 : 0;
}

/* ---------------------------------------------------------------- step 6: DRTM */

static uint32_t drtm(struct st *s)
{
    sha1((const void *)(uintptr_t)s->base, s->size, s->sinit_sha1);
    memcpy(s->hash_data, s->sinit_sha1, 20);
    sd_wr32(s->hash_data + 20, s->flags);
    uint8_t frame[8 + 4 + sizeof(s->hash_data)] = {'R', 'N', 'S', 'A', 'D', 'R', 'T', 'M'};
    sd_wr32(frame + 8, sizeof(s->hash_data));
    memcpy(frame + 12, s->hash_data, sizeof(s->hash_data));
    if (!sd_com2_init_send(frame, sizeof(frame)))
        return ERR(6, 1, 0);
    uint8_t reply;
    if (!sd_com2_recv(&reply, SD_TICKS_LONG))
        return ERR(6, 2, 0);
    if (reply != 'K')
        return ERR(6, 3, reply);
    return 0;
}

/* ---------------------------------------------------------------- step 7: TPM */

/* The banks from the Spec ID event at the start of the TPM 2.0 log. */
static uint32_t read_banks(struct st *s)
{
    s->nbanks = 2;
    s->banks[0] = TPM_ALG_SHA1;
    s->banks[1] = TPM_ALG_SHA256;
    if (!s->evlog_elem)
        return 0;
    uint64_t phys = sd_rd64(s->evlog_elem);
    uint32_t alloc = sd_rd32(s->evlog_elem + 8);
    if (phys == 0 || phys >= FOUR_GIB || alloc > FOUR_GIB - phys || alloc < 32 + 28 + 4 + 1)
        return ERR(7, 9, 0);
    const uint8_t *l = (const uint8_t *)(uintptr_t)phys;
    static const char sig[16] = "Spec ID Event03";
    uint32_t esize = sd_rd32(l + 28), count = sd_rd32(l + 32 + 24);
    if (sd_rd32(l) != 0 || sd_rd32(l + 4) != 3 /* EV_NO_ACTION */ || memcmp(l + 32, sig, 16) != 0 ||
        count == 0 || count > MAX_BANKS || esize < 28 + 4 * count + 1 || esize > alloc - 32)
        return ERR(7, 10, 0);
    for (uint32_t i = 0; i < count; i++) {
        uint16_t alg = (uint16_t)(l[32 + 28 + 4 * i] | l[32 + 28 + 4 * i + 1] << 8);
        uint16_t dsz = (uint16_t)(l[32 + 28 + 4 * i + 2] | l[32 + 28 + 4 * i + 3] << 8);
        if (alg_size(alg) == 0 || alg_size(alg) != dsz)
            return ERR(7, 11, alg);
        s->banks[i] = alg;
    }
    s->nbanks = count;
    return 0;
}

static uint32_t tpm_err(enum sd_tpm_err e, uint32_t pcr)
{
    switch (e) {
    case SD_TPM_OK:
        return 0;
    case SD_TPM_ABSENT:
        return ERR(7, 1, 0);
    case SD_TPM_LOCALITY:
        return ERR(7, 2, 0);
    case SD_TPM_READY:
        return ERR(7, 3, pcr);
    case SD_TPM_BURST:
        return ERR(7, 4, pcr);
    case SD_TPM_EXPECT:
        return ERR(7, 5, pcr);
    case SD_TPM_TIMEOUT:
        return ERR(7, 6, pcr);
    default:
        return ERR(7, 7, pcr);
    }
}

/* Extends pcr with the digests of data (len bytes) in every bank. */
static uint32_t extend(const struct st *s, uint32_t pcr, const uint8_t *const *digests)
{
    uint8_t cmd[14 + 4 + 9 + 4 + MAX_BANKS * (2 + 32)], resp[64];
    uint32_t n, rlen;
    if (s->tpm2) {
        sd_put_be16(cmd, 0x8002); /* TPM_ST_SESSIONS */
        sd_put_be32(cmd + 6, 0x182); /* TPM_CC_PCR_Extend */
        sd_put_be32(cmd + 10, pcr);
        sd_put_be32(cmd + 14, 9); /* authorization size */
        sd_put_be32(cmd + 18, 0x40000009); /* TPM_RS_PW */
        sd_put_be16(cmd + 22, 0); /* nonce */
        cmd[24] = 0; /* session attributes */
        sd_put_be16(cmd + 25, 0); /* empty password */
        sd_put_be32(cmd + 27, s->nbanks);
        n = 31;
        for (unsigned i = 0; i < s->nbanks; i++) {
            unsigned dsz = alg_size(s->banks[i]);
            sd_put_be16(cmd + n, s->banks[i]);
            memcpy(cmd + n + 2, digests[i], dsz);
            n += 2 + dsz;
        }
    } else {
        sd_put_be16(cmd, 0x00C1); /* TPM_TAG_RQU_COMMAND */
        sd_put_be32(cmd + 6, 0x14); /* TPM_ORD_Extend */
        sd_put_be32(cmd + 10, pcr);
        memcpy(cmd + 14, digests[0], 20);
        n = 34;
    }
    sd_put_be32(cmd + 2, n);
    uint32_t e = tpm_err(sd_tpm_transact(cmd, n, resp, sizeof(resp), &rlen), pcr);
    if (e)
        return e;
    uint32_t rc = sd_get_be32(resp + 6);
    return rc ? ERR(7, 8, rc) : 0;
}

static uint32_t tpm_extends(struct st *s)
{
    enum sd_tpm_err te = sd_tpm_request_locality();
    if (te != SD_TPM_OK)
        return tpm_err(te, 0);
    s->tpm2 = sd_tpm_is_tpm2();
    uint32_t e = 0;
    if (s->tpm2)
        e = read_banks(s);
    else {
        s->nbanks = 1;
        s->banks[0] = TPM_ALG_SHA1;
    }
    uint8_t pol[MAX_BANKS][32], mle[MAX_BANKS][32];
    const uint8_t *dp[MAX_BANKS], *dm[MAX_BANKS];
    for (unsigned i = 0; !e && i < s->nbanks; i++) {
        digest(s->banks[i], s->policy, POLICY_DATA_LEN, pol[i]);
        memcpy(mle[i], s->banks[i] == TPM_ALG_SHA1 ? s->mle_sha1 : s->mle_sha256, alg_size(s->banks[i]));
        dp[i] = pol[i];
        dm[i] = mle[i];
    }
    if (!e)
        e = extend(s, 17, dp);
    if (!e)
        e = extend(s, 18, dm);
    sd_tpm_release_locality();
    return e;
}

/* ---------------------------------------------------------------- step 8: event log */

/* Writes one TCG_PCR_EVENT2 record at p; returns its size. */
static uint32_t record(const struct st *s, uint8_t *p, uint32_t pcr, uint32_t type, const void *data, uint32_t len,
                       bool mle)
{
    uint32_t n = 12;
    sd_wr32(p, pcr);
    sd_wr32(p + 4, type);
    sd_wr32(p + 8, s->nbanks);
    for (unsigned i = 0; i < s->nbanks; i++) {
        uint16_t alg = s->banks[i];
        p[n] = (uint8_t)alg;
        p[n + 1] = (uint8_t)(alg >> 8);
        if (mle)
            memcpy(p + n + 2, alg == TPM_ALG_SHA1 ? s->mle_sha1 : s->mle_sha256, alg_size(alg));
        else
            digest(alg, data, len, p + n + 2);
        n += 2 + alg_size(alg);
    }
    sd_wr32(p + n, len);
    if (len)
        memcpy(p + n + 4, data, len);
    return n + 4 + len;
}

static uint32_t write_log(struct st *s)
{
    if (!s->tpm2 || !s->evlog_elem)
        return 0;
    uint8_t *l = (uint8_t *)(uintptr_t)sd_rd64(s->evlog_elem);
    uint32_t alloc = sd_rd32(s->evlog_elem + 8), first = sd_rd32(s->evlog_elem + 12),
             next = sd_rd32(s->evlog_elem + 16);
    if (next < first || next > alloc)
        return ERR(8, 1, 0);
    uint32_t fixed = 16;
    for (unsigned i = 0; i < s->nbanks; i++)
        fixed += 2 + alg_size(s->banks[i]);
    uint32_t need = 3 * fixed + sizeof(s->hash_data) + POLICY_DATA_LEN;
    if (need > alloc - next)
        return ERR(8, 2, 0);
    next += record(s, l + next, 17, EV_HASH_START, s->hash_data, sizeof(s->hash_data), false);
    next += record(s, l + next, 17, EV_BIOSAC_REG_DATA, s->policy, POLICY_DATA_LEN, false);
    next += record(s, l + next, 18, EV_MLE_HASH, NULL, 0, true);
    sd_wr32(s->evlog_elem + 16, next);
    return 0;
}

/* ---------------------------------------------------------------- step 9: SinitMleData */

static void write_sinit_mle(const struct st *s)
{
    struct txt_sinit_mle_data d;
    memset(&d, 0, sizeof(d));
    d.version = 8;
    d.edx_senter_flags = s->flags;
    memcpy(d.sinit_hash, s->sinit_sha1, 20);
    memcpy(d.mle_hash, s->mle_sha1, 20);
    d.rlp_wakeup_addr = standin_rlp_wakeup_addr(s->caps, (uint32_t)(uintptr_t)&standin_rlp_wakeup);
    /* MDRs: SINIT reads the memory layout from the chipset; the stand-in
     * has none to read and reports the PMRs as GOOD memory. */
    struct txt_mdr m[SINIT_MDRS_MAX];
    memset(m, 0, sizeof(m));
    m[0].base = s->os.vtd_pmr_lo_base;
    m[0].length = s->os.vtd_pmr_lo_size;
    m[0].type = TXT_MDR_GOOD;
    m[1].base = s->os.vtd_pmr_hi_base;
    m[1].length = s->os.vtd_pmr_hi_size;
    m[1].type = TXT_MDR_GOOD;
    d.num_mdrs = m[1].length ? 2 : 1;
    d.mdrs_off = SINIT_MLE_BYTES; /* the table ends the region */
    d.dmar_size = 0;
    d.dmar_off = 0;
    uint8_t *p = s->heap + s->sinit_mle_off;
    sd_wr64(p, SINIT_MLE_BYTES + d.num_mdrs * sizeof(struct txt_mdr));
    memcpy(p + 8, &d, sizeof(d));
    memcpy(p + SINIT_MLE_BYTES, m, d.num_mdrs * sizeof(struct txt_mdr));
}

/* ---------------------------------------------------------------- main */

static uint32_t fail(const struct st *s, uint32_t code)
{
    reg_write(s, TXT_ERRORCODE, code);
    return code;
}

uint32_t standin_main(uint32_t base, uint32_t size, uint32_t flags, uint32_t txt, uint32_t rdv)
{
    struct st s;
    memset(&s, 0, sizeof(s));
    /* Each SENTER starts from the module as it was loaded, as a real SINIT
     * runs from a fresh copy in the processor's AC RAM: an S3 re-launch
     * runs this image again in place, after the last launch's wake-ups. */
    standin_rlp_wakeup = 0;
    sd_wr64(sd_phys(txt + 0x10000u + EMU_TXT_WAKEUP), 0);
    s.base = base;
    s.size = size;
    s.flags = flags;
    s.caps = standin_acm_caps(base, size);
    s.priv = sd_phys(txt);
    s.pub = sd_phys(txt + 0x10000u);
    uint32_t e;
    if ((e = check_heap(&s)) || (e = standin_rendezvous(s.heap, txt, rdv, s.caps)) || (e = walk_mle(&s)) ||
        (e = check_mle_header(&s)) || (e = check_pmr(&s)))
        return fail(&s, e);
    if ((e = standin_fault.value) != 0) /* step 5 */
        return fail(&s, e);
    if ((e = drtm(&s)))
        return fail(&s, e);
    hash_mle(&s);
    if ((e = tpm_extends(&s)) || (e = write_log(&s)))
        return fail(&s, e);
    write_sinit_mle(&s);
    /* step 10 */
    struct xlate x;
    if (translate(&s, s.hdr.entry_point, &x))
        return fail(&s, ERR(10, 1, 0));
    uint64_t sts = sd_rd64(s.pub + TXT_STS);
    reg_write(&s, TXT_STS, sts | TXT_STS_SENTER_DONE | TXT_STS_PRIVATE_OPEN);
    reg_write(&s, TXT_ERRORCODE, 0);
    uint64_t region = reg_read(&s, TXT_SINIT_SIZE);
    uint32_t stack = 0;
    if (region >= (uint64_t)size + 256 && region < FOUR_GIB - base)
        stack = (base + (uint32_t)region) & ~15u;
    standin_enter_mle(x.phys, s.pt, flags, stack);
}
