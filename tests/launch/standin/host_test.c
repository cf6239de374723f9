/* Host test of the stand-in SINIT's logic (tests/launch/standin/test-standin).
 *
 * Compiles standin.c natively against this file in place of hw.c: the
 * "physical memory" is host memory mapped below 2 GiB (MAP_32BIT), so the
 * stand-in's 32-bit addresses are host pointers; COM2 and the TPM are
 * simulated here. The heap, MLE page table and event log are built with
 * Rensa's own code (heap_build, mle_pt_build, evlog_init) and what the
 * stand-in writes is read back with Rensa's own readers (heap_verify,
 * evlog_open/evlog_next), so both sides agree on every layout.
 *
 * The RLPs: the rendezvous page is host memory mapped at a fixed address
 * below 1 MiB; sd_wake_aps starts one thread per simulated RLP, which
 * takes a ticket as the trampoline would and runs standin_rlp_main;
 * standin_rlp_join and standin_rlp_halt record what the RLP did and end
 * its thread. */
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include "../emu.h"
#include "acm.h"
#include "evlog.h"
#include "hw.h"
#include "mle.h"
#include "mle_pt.h"
#include "rlp.h"
#include "sha.h"
#include "standin.h"
#include "txt_heap.h"
#include "tpm.h"
#include "txt_regs.h"

uint32_t standin_main(uint32_t base, uint32_t size, uint32_t flags, uint32_t txt, uint32_t rdv);
NORETURN void standin_enter_mle(uint32_t entry_phys, uint32_t pt_phys, uint32_t flags, uint32_t stack_top);
extern volatile struct {
    char marker[8];
    uint32_t value;
} standin_fault;

static int failures;
#define CHECK(c)                                                                     \
    do {                                                                             \
        if (!(c)) {                                                                  \
            fprintf(stderr, "%s:%d: FAILED: %s\n", __FILE__, __LINE__, #c);         \
            failures++;                                                              \
        }                                                                            \
    } while (0)

/* ---------------------------------------------------------------- simulated hardware */

uint32_t sd_rd32(const volatile void *p)
{
    const volatile uint8_t *b = p;
    return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}
uint64_t sd_rd64(const volatile void *p)
{
    return (uint64_t)sd_rd32(p) | (uint64_t)sd_rd32((const volatile uint8_t *)p + 4) << 32;
}
void sd_wr32(volatile void *p, uint32_t v)
{
    for (unsigned i = 0; i < 4; i++)
        ((volatile uint8_t *)p)[i] = (uint8_t)(v >> (8 * i));
}
void sd_wr64(volatile void *p, uint64_t v)
{
    sd_wr32(p, (uint32_t)v);
    sd_wr32((volatile uint8_t *)p + 4, (uint32_t)(v >> 32));
}
void sd_put_be16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8), p[1] = (uint8_t)v;
}
void sd_put_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24), p[1] = (uint8_t)(v >> 16), p[2] = (uint8_t)(v >> 8), p[3] = (uint8_t)v;
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
    static uint64_t t;
    return t += 1000;
}

static uint8_t com2_frame[64];
static uint32_t com2_len;
static int com2_reply = 'K'; /* -1: none */
bool sd_com2_init_send(const uint8_t *p, uint32_t len)
{
    com2_len = len < sizeof(com2_frame) ? len : sizeof(com2_frame);
    memcpy(com2_frame, p, com2_len);
    return true;
}
bool sd_com2_recv(uint8_t *b, uint64_t ticks)
{
    (void)ticks;
    if (com2_reply < 0)
        return false;
    *b = (uint8_t)com2_reply;
    return true;
}

static bool tpm2 = true, locality_held;
static uint8_t tpm_cmds[4][512];
static uint32_t tpm_cmd_len[4], n_tpm_cmds;
static uint32_t tpm_rc;
enum sd_tpm_err sd_tpm_request_locality(void)
{
    locality_held = true;
    return SD_TPM_OK;
}
void sd_tpm_release_locality(void)
{
    locality_held = false;
}
bool sd_tpm_is_tpm2(void)
{
    return tpm2;
}
enum sd_tpm_err sd_tpm_transact(const uint8_t *cmd, uint32_t len, uint8_t *resp, uint32_t cap, uint32_t *rlen)
{
    if (!locality_held || n_tpm_cmds >= 4 || len > sizeof(tpm_cmds[0]) || cap < 30)
        return SD_TPM_RESP;
    memcpy(tpm_cmds[n_tpm_cmds], cmd, len);
    tpm_cmd_len[n_tpm_cmds++] = len;
    memset(resp, 0, 30);
    sd_put_be16(resp, tpm2 ? 0x8002 : 0xC4);
    uint32_t n = tpm2 ? 19 : 30;
    sd_put_be32(resp + 2, n);
    sd_put_be32(resp + 6, tpm_rc);
    *rlen = n;
    return SD_TPM_OK;
}

/* ---------------------------------------------------------------- simulated RLPs */

/* The trampoline's bytes (entry.S is 32-bit code; here: a stand-in
 * pattern of the same shape, 0x40 bytes with the 32-bit part at 0x24). */
__asm__(".section .rodata\n"
        ".globl standin_rlp_tramp, standin_rlp_tramp32, standin_rlp_tramp_end\n"
        ".hidden standin_rlp_tramp, standin_rlp_tramp32, standin_rlp_tramp_end\n"
        "standin_rlp_tramp: .fill 0x24, 1, 0x16\n"
        "standin_rlp_tramp32: .fill 0x1C, 1, 0x32\n"
        "standin_rlp_tramp_end:\n"
        ".text\n");

#define MAX_SIM 24
static uint32_t rdv_page; /* EDI at entry */
static unsigned sim_rlps; /* threads sd_wake_aps starts */
static enum sd_ipi_err sim_ipi = SD_IPI_OK;
static unsigned n_wake_aps;
static uint8_t got_vector;
static pthread_t sim_thread[MAX_SIM];
static unsigned n_threads;
static unsigned rlp_done, rlp_halted; /* atomic */
static struct {
    bool joined;
    uint32_t limit, base, sel, eip, stub;
} rlp_got[MAX_SIM];

static __thread bool on_rlp; /* this thread is a simulated RLP */

/* An RLP's sleep yields the CPU; the ILP's waits spin (its time is the
 * simulated TSC, which each sd_rdtsc advances). */
void sd_pause(void)
{
    if (on_rlp)
        sched_yield();
}

static uint32_t atomic_rd(const volatile void *p)
{
    return __atomic_load_n((const volatile uint32_t *)p, __ATOMIC_SEQ_CST);
}

static void *sim_rlp(void *arg)
{
    (void)arg;
    on_rlp = true;
    volatile uint8_t *pg = sd_phys(rdv_page);
    /* the trampoline's LOCK XADD and its stack check */
    uint32_t t = __atomic_fetch_add((volatile uint32_t *)(pg + STANDIN_RDV_TICKET), 1u, __ATOMIC_SEQ_CST);
    if (t >= STANDIN_RDV_MAX_RLPS) {
        __atomic_add_fetch(&rlp_halted, 1u, __ATOMIC_SEQ_CST);
        __atomic_add_fetch(&rlp_done, 1u, __ATOMIC_SEQ_CST);
        return NULL;
    }
    standin_rlp_main(rdv_page, t);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Starts the simulated RLPs and returns once each is asleep (or halted
 * without a stack), so the ILP's wait sees them all. */
enum sd_ipi_err sd_wake_aps(uint8_t vector)
{
    n_wake_aps++;
    got_vector = vector;
    if (sim_ipi != SD_IPI_OK)
        return sim_ipi;
    unsigned stacked = sim_rlps < STANDIN_RDV_MAX_RLPS ? sim_rlps : STANDIN_RDV_MAX_RLPS;
    for (unsigned i = 0; i < sim_rlps && n_threads < MAX_SIM; i++)
        if (pthread_create(&sim_thread[n_threads], NULL, sim_rlp, NULL) == 0)
            n_threads++;
    volatile uint8_t *pg = sd_phys(rdv_page);
    for (double t0 = now(); now() - t0 < 5.0;) {
        if (atomic_rd(pg + STANDIN_RDV_ARRIVED) >= stacked && atomic_rd(pg + STANDIN_RDV_TICKET) >= sim_rlps)
            break;
        sched_yield();
    }
    return SD_IPI_OK;
}

void standin_rlp_join(uint32_t gdt_limit, uint32_t gdt_base, uint32_t sel, uint32_t eip, uint32_t stub)
{
    uint32_t i = (rdv_page + STANDIN_RDV_PAGE - stub) / STANDIN_RDV_STACK - 1;
    if (i < MAX_SIM) {
        rlp_got[i].joined = true;
        rlp_got[i].limit = gdt_limit, rlp_got[i].base = gdt_base, rlp_got[i].sel = sel, rlp_got[i].eip = eip;
        rlp_got[i].stub = stub;
    }
    __atomic_add_fetch(&rlp_done, 1u, __ATOMIC_SEQ_CST);
    pthread_exit(NULL);
}

void standin_rlp_halt(void)
{
    __atomic_add_fetch(&rlp_halted, 1u, __ATOMIC_SEQ_CST);
    __atomic_add_fetch(&rlp_done, 1u, __ATOMIC_SEQ_CST);
    pthread_exit(NULL);
}

/* Waits (5 s at most) until every started RLP has joined or halted, then
 * reaps the threads; false if one is still asleep (it is left running). */
static bool rlps_finish(void)
{
    for (double t0 = now(); atomic_rd(&rlp_done) < n_threads;) {
        if (now() - t0 > 5.0) {
            fprintf(stderr, "%u of %u RLPs still asleep\n", n_threads - atomic_rd(&rlp_done), n_threads);
            return false;
        }
        sched_yield();
    }
    for (unsigned i = 0; i < n_threads; i++)
        pthread_join(sim_thread[i], NULL);
    n_threads = 0;
    rlp_done = rlp_halted = 0;
    memset(rlp_got, 0, sizeof(rlp_got));
    return true;
}

/* Waits (5 s at most) until n started RLPs have joined or halted. */
static bool wait_done(unsigned n)
{
    for (double t0 = now(); atomic_rd(&rlp_done) < n;)
        if (now() - t0 > 5.0)
            return false;
        else
            sched_yield();
    return true;
}

/* None of the sleeping RLPs wakes within ~50 ms. */
static bool rlps_stay_asleep(void)
{
    for (double t0 = now(); now() - t0 < 0.05;)
        if (atomic_rd(&rlp_done) != 0)
            return false;
    return true;
}

static jmp_buf entered;
static uint32_t got_entry, got_pt, got_flags, got_stack;
void standin_enter_mle(uint32_t entry_phys, uint32_t pt_phys, uint32_t flags, uint32_t stack_top)
{
    got_entry = entry_phys, got_pt = pt_phys, got_flags = flags, got_stack = stack_top;
    longjmp(entered, 1);
}

/* For txt/mle_pt.c (mle_pt_phys_map), not used here. */
void *phys_ptr(paddr_t addr, uint64_t len);
void *phys_ptr(paddr_t addr, uint64_t len)
{
    (void)len;
    return (void *)(uintptr_t)addr;
}

/* For tpm/evlog.c (tpm/tpm.c would bring the whole TPM driver). */
unsigned tpm_alg_digest_size(uint16_t alg)
{
    return alg == HASH_TPM_ALG_SHA1 ? 20 : alg == HASH_TPM_ALG_SHA256 ? 32 : alg == HASH_TPM_ALG_SHA384 ? 48 : 0;
}
const char *tpm_alg_name(uint16_t alg)
{
    return alg == HASH_TPM_ALG_SHA1 ? "sha1" : alg == HASH_TPM_ALG_SHA256 ? "sha256" : "other";
}

/* ---------------------------------------------------------------- the platform */

#define MLE_PAGES 5u
#define MLE_SIZE (MLE_PAGES * 4096u - 100u)
#define MLE_ENTRY_OFF 0x1234u
#define SINIT_SIZE 0x2000u
#define SINIT_REGION 0x40000u
#define HEAP_SIZE 0x100000u
#define FLAGS 0u
#define CAPS_BOTH 0x207u /* what mkacm.py writes: GETSEC and MONITOR wake-up */
#define CAPS_GETSEC 0x205u
#define RDV_PAGE_ADDR 0x90000u

struct plat {
    uint8_t *txt, *sinit, *heap, *mle, *pt, *log;
    uint32_t log_first;
};

static void *low_alloc(size_t n)
{
    void *p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
    if (p == MAP_FAILED || (uintptr_t)p + n > 0x80000000u) {
        perror("mmap MAP_32BIT");
        exit(2);
    }
    return p;
}

static uint32_t a32(const void *p)
{
    return (uint32_t)(uintptr_t)p;
}

static uint32_t cfg_nprocs = 1, cfg_caps = CAPS_BOTH;

/* The parts of an AC module header standin_acm_caps reads: header and
 * scratch sizes (mkacm.py's), the information table's UUID and caps. */
static void put_acm_header(uint8_t *m, uint32_t caps)
{
    static const uint8_t uuid[16] = ACM_UUID_V3_BYTES;
    sd_wr32(m + 4, 161);
    sd_wr32(m + 124, 143);
    memcpy(m + 0x4C0, uuid, 16);
    sd_wr32(m + 0x4C0 + 32, caps);
}

static void build(struct plat *p, unsigned evlog_kind)
{
    memset(p->txt, 0, 0x20000);
    memset(p->heap, 0, HEAP_SIZE);
    uint8_t *pub = p->txt + 0x10000;
    sd_wr64(pub + TXT_HEAP_BASE, a32(p->heap));
    sd_wr64(pub + TXT_HEAP_SIZE, HEAP_SIZE);
    sd_wr64(pub + TXT_SINIT_BASE, a32(p->sinit));
    sd_wr64(pub + TXT_SINIT_SIZE, SINIT_REGION);
    sd_wr64(pub + TXT_DIDVID, 0x00000001b0f08086ull);
    /* BiosData v5 + END */
    struct txt_bios_data bd = {5, 0, 0, 0, cfg_nprocs, 0, 0};
    sd_wr64(p->heap, 8 + sizeof(bd) + 8);
    memcpy(p->heap + 8, &bd, sizeof(bd));
    sd_wr32(p->heap + 8 + sizeof(bd), TXT_EXT_END);
    sd_wr32(p->heap + 8 + sizeof(bd) + 4, 8);
    /* MLE: a header at offset 0, then bytes */
    for (uint32_t i = 0; i < MLE_PAGES * 4096u; i++)
        p->mle[i] = (uint8_t)(i * 7 + 3);
    struct mle_header h = {{MLE_UUID0, MLE_UUID1, MLE_UUID2, MLE_UUID3}, 52, MLE_HEADER_VERSION_2_1,
                           MLE_ENTRY_OFF, 0, 0, MLE_SIZE, 3, 0, 0};
    memcpy(p->mle, &h, sizeof(h));
    struct diag d;
    CHECK(mle_pt_build(p->pt, 3 * 4096, a32(p->pt), a32(p->mle), MLE_SIZE, &d) == MLE_PT_OK);
    /* the TPM 2.0 log, as the loader starts it */
    struct evlog l;
    struct evlog_bank banks[2] = {{HASH_TPM_ALG_SHA256, 32}, {HASH_TPM_ALG_SHA1, 20}};
    memset(p->log, 0, EVLOG_SIZE);
    CHECK(evlog_init(&l, EVLOG_AGILE, p->log, EVLOG_SIZE, banks, 2, &d) == E_OK);
    p->log_first = l.used;
    struct txt_heap_params hp;
    memset(&hp, 0, sizeof(hp));
    hp.os_sinit_version = 7;
    hp.mle_base = a32(p->mle);
    hp.mle_size = MLE_SIZE;
    hp.mle_hdr_off = 0;
    hp.mle_ptab = a32(p->pt);
    hp.pmr.lo_base = 0;
    hp.pmr.lo_size = 0x80000000u;
    hp.capabilities = 3;
    hp.evlog = evlog_kind;
    hp.evlog_base = a32(p->log);
    hp.evlog_size = EVLOG_SIZE;
    hp.evlog_first = l.used;
    hp.evlog_next = l.used;
    if (heap_build(p->heap, HEAP_SIZE, &hp, &d) != HEAP_OK) {
        fprintf(stderr, "heap_build: %s\n", d.msg);
        failures++;
    }
    /* the module: random-ish bytes */
    for (uint32_t i = 0; i < SINIT_SIZE; i++)
        p->sinit[i] = (uint8_t)(i * 13 + 1);
    put_acm_header(p->sinit, cfg_caps);
    standin_rlp_wakeup = 0;
    n_wake_aps = 0;
    got_vector = 0;
    sim_rlps = 0;
    sim_ipi = SD_IPI_OK;
    com2_reply = 'K';
    n_tpm_cmds = 0;
    tpm_rc = 0;
    got_entry = got_pt = got_flags = got_stack = 0;
}

/* Rensa's side: a JOIN structure (at the heap's end, unused) and
 * TXT.MLE.JOIN in the private space. */
static void set_join(struct plat *p, uint32_t limit, uint32_t base, uint32_t sel, uint32_t eip)
{
    uint8_t *j = p->heap + HEAP_SIZE - 64;
    sd_wr32(j, limit);
    sd_wr32(j + 4, base);
    sd_wr32(j + 8, sel);
    sd_wr32(j + 12, eip);
    sd_wr64(p->txt + TXT_MLE_JOIN, a32(j));
}

static uint32_t run(struct plat *p)
{
    if (setjmp(entered))
        return 0;
    uint32_t e = standin_main(a32(p->sinit), SINIT_SIZE, FLAGS, a32(p->txt), rdv_page);
    return e ? e : 0xFFFFFFFFu;
}

static uint32_t code(unsigned prog, unsigned err, unsigned minor)
{
    return 0xC0000000u | minor << 16 | err << 10 | prog << 4 | 1u;
}

static uint32_t errorcode(const struct plat *p)
{
    return sd_rd32(p->txt + 0x10000 + TXT_ERRORCODE);
}

int main(void)
{
    struct plat p;
    p.txt = low_alloc(0x20000);
    p.sinit = low_alloc(SINIT_REGION);
    p.heap = low_alloc(HEAP_SIZE);
    p.mle = low_alloc(MLE_PAGES * 4096u);
    p.pt = low_alloc(3 * 4096);
    p.log = low_alloc(EVLOG_SIZE);
    /* the rendezvous page: below 1 MiB, as the emulated BIOS reserves it */
    uint8_t *rdv = mmap((void *)(uintptr_t)RDV_PAGE_ADDR, 4096, PROT_READ | PROT_WRITE,
                        MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    if (rdv != (uint8_t *)(uintptr_t)RDV_PAGE_ADDR) {
        perror("mmap of the rendezvous page at 0x90000");
        return 2;
    }
    rdv_page = RDV_PAGE_ADDR;
    memset(rdv, 0xA5, 4096);

    uint8_t mle1[20], mle256[32], sinit1[20], hd[24], zeros[80] = {0};

    /* 1. A good launch with a TPM 2.0 and its log (banks SHA-256, SHA-1). */
    build(&p, TXT_EVLOG_TPM20);
    sha1(p.mle, MLE_SIZE, mle1);
    sha256(p.mle, MLE_SIZE, mle256);
    sha1(p.sinit, SINIT_SIZE, sinit1);
    memcpy(hd, sinit1, 20);
    sd_wr32(hd + 20, FLAGS);
    CHECK(run(&p) == 0);
    CHECK(got_entry == a32(p.mle) + MLE_ENTRY_OFF);
    CHECK(got_pt == a32(p.pt));
    CHECK(got_flags == FLAGS);
    CHECK(got_stack == ((a32(p.sinit) + SINIT_REGION) & ~15u));
    CHECK(errorcode(&p) == 0);
    CHECK((sd_rd32(p.txt + 0x10000 + TXT_STS) & (TXT_STS_SENTER_DONE | TXT_STS_PRIVATE_OPEN)) ==
          (TXT_STS_SENTER_DONE | TXT_STS_PRIVATE_OPEN));
    CHECK(com2_len == 36 && memcmp(com2_frame, "RNSADRTM", 8) == 0 && sd_rd32(com2_frame + 8) == 24 &&
          memcmp(com2_frame + 12, hd, 24) == 0);
    /* the TPM 2.0 extends: PCR 17 policy data, PCR 18 the MLE */
    CHECK(n_tpm_cmds == 2);
    uint8_t d256[32], d1[20];
    sha256(zeros, 80, d256);
    sha1(zeros, 80, d1);
    {
        const uint8_t *c = tpm_cmds[0];
        CHECK(tpm_cmd_len[0] == 31 + 34 + 22 && sd_get_be32(c + 2) == tpm_cmd_len[0]);
        CHECK(sd_get_be16(c) == 0x8002 && sd_get_be32(c + 6) == 0x182 && sd_get_be32(c + 10) == 17);
        CHECK(sd_get_be32(c + 14) == 9 && sd_get_be32(c + 18) == 0x40000009 && sd_get_be32(c + 27) == 2);
        CHECK(sd_get_be16(c + 31) == 0x000B && memcmp(c + 33, d256, 32) == 0);
        CHECK(sd_get_be16(c + 65) == 0x0004 && memcmp(c + 67, d1, 20) == 0);
        c = tpm_cmds[1];
        CHECK(sd_get_be32(c + 10) == 18 && memcmp(c + 33, mle256, 32) == 0 && memcmp(c + 67, mle1, 20) == 0);
    }
    CHECK(!locality_held);
    /* SinitMleData, read back by Rensa's verifier */
    struct txt_heap_view v;
    struct diag d;
    if (heap_verify(p.heap, HEAP_SIZE, HEAP_VERIFY_SINIT_MLE, &v, &d) != HEAP_OK) {
        fprintf(stderr, "heap_verify: %s\n", d.msg);
        failures++;
    }
    CHECK(v.sinit_mle.version == 8 && v.sinit_mle.dmar_size == 0 && v.sinit_mle.edx_senter_flags == FLAGS);
    /* the PMRs as GOOD MDRs: the low one, and the high one when it is not empty */
    {
        const struct txt_os_sinit_data *o = &v.os_sinit;
        uint32_t n = o->vtd_pmr_hi_size ? 2 : 1;
        CHECK(v.sinit_mle.num_mdrs == n && v.sinit_mle_size == 156 + 24 * n);
        struct txt_mdr m0 = heap_mdr_at(p.heap, &v, 0);
        CHECK(m0.type == TXT_MDR_GOOD && m0.base == o->vtd_pmr_lo_base && m0.length == o->vtd_pmr_lo_size);
        if (n == 2) {
            struct txt_mdr m1 = heap_mdr_at(p.heap, &v, 1);
            CHECK(m1.type == TXT_MDR_GOOD && m1.base == o->vtd_pmr_hi_base && m1.length == o->vtd_pmr_hi_size);
        }
    }
    CHECK(memcmp(v.sinit_mle.sinit_hash, sinit1, 20) == 0 && memcmp(v.sinit_mle.mle_hash, mle1, 20) == 0);
    CHECK(v.sinit_mle.rlp_wakeup_addr == (uint32_t)(uintptr_t)&standin_rlp_wakeup);
    /* one processor: no IPI, the rendezvous page untouched */
    CHECK(n_wake_aps == 0);
    {
        bool untouched = true;
        for (unsigned i = 0; i < 4096; i++)
            untouched &= rdv[i] == 0xA5;
        CHECK(untouched);
    }
    /* the three records, read back by Rensa's log reader */
    {
        struct txt_evlog_ptr2_1 ep;
        memcpy(&ep, p.heap + v.evlog_elem_off, sizeof(ep));
        struct evlog l;
        CHECK(evlog_open(&l, p.log, ep.next_record, &d) == E_OK);
        uint32_t pos = 0;
        struct evlog_event ev;
        bool end = false;
        static const uint32_t want_pcr[3] = {17, 17, 18}, want_type[3] = {0x402, 0x40A, 0x404};
        unsigned n = 0;
        while (evlog_next(&l, &pos, &ev, &end, &d) == E_OK && !end) {
            CHECK(n < 3);
            if (n >= 3)
                break;
            CHECK(ev.pcr == want_pcr[n] && ev.type == want_type[n] && ev.ndigests == 2);
            const uint8_t *data = n == 0 ? hd : zeros;
            uint32_t len = n == 0 ? 24 : n == 1 ? 80 : 0;
            CHECK(ev.data_len == len && (len == 0 || memcmp(ev.data, data, len) == 0));
            uint8_t e256[32], e1[20];
            if (n == 2)
                memcpy(e256, mle256, 32), memcpy(e1, mle1, 20);
            else
                sha256(data, len, e256), sha1(data, len, e1);
            CHECK(ev.digests[0].alg == 0x000B && memcmp(ev.digests[0].digest, e256, 32) == 0);
            CHECK(ev.digests[1].alg == 0x0004 && memcmp(ev.digests[1].digest, e1, 20) == 0);
            n++;
        }
        CHECK(n == 3 && end);
        CHECK(ep.first_record == p.log_first && ep.next_record == p.log_first + 2 * (16 + 34 + 22) + 24 + 80 + 16 + 34 + 22);
    }

    /* 2. TPM 1.2: TPM_Extend with SHA-1, no log written. */
    build(&p, TXT_EVLOG_NONE);
    tpm2 = false;
    CHECK(run(&p) == 0);
    CHECK(n_tpm_cmds == 2 && tpm_cmd_len[0] == 34);
    CHECK(sd_get_be16(tpm_cmds[0]) == 0xC1 && sd_get_be32(tpm_cmds[0] + 2) == 34 &&
          sd_get_be32(tpm_cmds[0] + 6) == 0x14 && sd_get_be32(tpm_cmds[0] + 10) == 17 &&
          memcmp(tpm_cmds[0] + 14, d1, 20) == 0);
    CHECK(sd_get_be32(tpm_cmds[1] + 10) == 18 && memcmp(tpm_cmds[1] + 14, mle1, 20) == 0);
    tpm2 = true;

    /* 3. emu_fault=pt: the PTE of the MLE's second page not present. */
    build(&p, TXT_EVLOG_TPM20);
    p.pt[2 * 4096 + 8] &= (uint8_t)~1u;
    CHECK(run(&p) == code(2, 5, 1) && errorcode(&p) == code(2, 5, 1));
    CHECK(n_tpm_cmds == 0 && com2_len == 36 /* from before */);

    /* 4. The fault word. */
    build(&p, TXT_EVLOG_TPM20);
    standin_fault.value = 0xC0001455u;
    CHECK(run(&p) == 0xC0001455u && errorcode(&p) == 0xC0001455u);
    standin_fault.value = 0;

    /* 5. DRTM refused, and no reply. */
    build(&p, TXT_EVLOG_TPM20);
    com2_reply = 'X';
    CHECK(run(&p) == code(6, 3, 'X'));
    build(&p, TXT_EVLOG_TPM20);
    com2_reply = -1;
    CHECK(run(&p) == code(6, 2, 0));

    /* 6. A TPM error. */
    build(&p, TXT_EVLOG_TPM20);
    tpm_rc = 0x9A2;
    CHECK(run(&p) == code(7, 8, 0x9A2));

    /* 7. Heap: OsSinitData version 4; no room for SinitMleData. */
    build(&p, TXT_EVLOG_TPM20);
    {
        uint64_t off = sd_rd64(p.heap) + sd_rd64(p.heap + sd_rd64(p.heap));
        sd_wr32(p.heap + off + 8, 4);
        CHECK(run(&p) == code(1, 6, 4));
        build(&p, TXT_EVLOG_TPM20);
        sd_wr64(p.txt + 0x10000 + TXT_HEAP_SIZE, off + sd_rd64(p.heap + off) + 100);
        CHECK(run(&p) == code(1, 5, 0));
    }

    /* 8. MLE header: wrong UUID; low PMR not covering the MLE. */
    build(&p, TXT_EVLOG_TPM20);
    p.mle[0] ^= 1;
    CHECK(run(&p) == code(3, 2, 0));
    build(&p, TXT_EVLOG_TPM20);
    {
        uint64_t off = sd_rd64(p.heap) + sd_rd64(p.heap + sd_rd64(p.heap));
        struct txt_os_sinit_data os;
        memcpy(&os, p.heap + off + 8, sizeof(os));
        os.vtd_pmr_lo_base = a32(p.mle) + 4096; /* misses page 0 (not 2 MiB aligned: the stand-in does not care) */
        memcpy(p.heap + off + 8, &os, sizeof(os));
        /* the page table may lie below the MLE too: either check may fire first */
        uint32_t e = run(&p);
        CHECK(e == code(4, 2, 0) || e == code(4, 3, 0));
    }

    /* 9. The pure RLP checks. The JOIN rules (GETSEC[WAKEUP]): */
    {
        const struct standin_join good = {0x17, 0x1000, 0x08, 0x100000};
        struct standin_join j = good;
        CHECK(standin_join_check(0x2000, &j) == STANDIN_JOIN_OK);
        CHECK(standin_join_check(0, &j) == STANDIN_JOIN_ADDR);
        CHECK(standin_join_check(0xFFFFFFF1u, &j) == STANDIN_JOIN_ADDR);
        CHECK(standin_join_check(0xFFFFFFF0u, &j) == STANDIN_JOIN_OK);
        j.sel = 0;
        CHECK(standin_join_check(0x2000, &j) == STANDIN_JOIN_SEL_NULL);
        j.sel = 0x0B; /* RPL 3 (emu_fault=join) */
        CHECK(standin_join_check(0x2000, &j) == STANDIN_JOIN_SEL_TI_RPL);
        j.sel = 0x0C; /* TI */
        CHECK(standin_join_check(0x2000, &j) == STANDIN_JOIN_SEL_TI_RPL);
        j.sel = 0x10; /* CS + 8 = 0x18: past limit 0x17 */
        CHECK(standin_join_check(0x2000, &j) == STANDIN_JOIN_SEL_LIMIT);
        j.sel = 0xFFFFFFF8u; /* selector + 15 wraps in 32 bits */
        j.gdt_limit = 0xFFFF;
        CHECK(standin_join_check(0x2000, &j) == STANDIN_JOIN_SEL_LIMIT);
        j = good;
        j.gdt_limit = 0x16; /* one byte short of CS + 8's descriptor */
        CHECK(standin_join_check(0x2000, &j) == STANDIN_JOIN_SEL_LIMIT);
        j.gdt_limit = 0x10000;
        CHECK(standin_join_check(0x2000, &j) == STANDIN_JOIN_LIMIT);
        j = good;
        j.eip = 0;
        CHECK(standin_join_check(0x2000, &j) == STANDIN_JOIN_EIP);
        CHECK(standin_join_readable(0x2000) && !standin_join_readable(0) && !standin_join_readable(0xFFFFFFFFu));
    }
    /* RlpWakeupAddr and the wake conditions from the capabilities */
    CHECK(standin_rlp_wakeup_addr(CAPS_BOTH, 0x1234) == 0x1234);
    CHECK(standin_rlp_wakeup_addr(ACM_CAP_RLP_WAKE_MONITOR, 0x1234) == 0x1234);
    CHECK(standin_rlp_wakeup_addr(CAPS_GETSEC, 0x1234) == 0);
    CHECK(standin_rlp_wakeup_addr(0, 0x1234) == 0);
    CHECK(!standin_rlp_woken(CAPS_BOTH, 0, 0));
    CHECK(standin_rlp_woken(CAPS_BOTH, 1, 0) && standin_rlp_woken(CAPS_BOTH, 0, 1));
    CHECK(!standin_rlp_woken(CAPS_GETSEC, 1, 0) && standin_rlp_woken(CAPS_GETSEC, 0, 1ull << 40));
    CHECK(standin_rlp_woken(ACM_CAP_RLP_WAKE_MONITOR, 1, 0) && !standin_rlp_woken(ACM_CAP_RLP_WAKE_MONITOR, 0, 1));
    CHECK(!standin_rlp_woken(0, 1, 1));
    /* the page and its stacks */
    CHECK(standin_rdv_max_rlps() == 15);
    CHECK(STANDIN_RDV_STACKS + standin_rdv_max_rlps() * STANDIN_RDV_STACK == STANDIN_RDV_PAGE);
    CHECK(standin_rdv_page_ok(0x1000) && standin_rdv_page_ok(0x9F000) && standin_rdv_page_ok(0xFF000));
    CHECK(!standin_rdv_page_ok(0) && !standin_rdv_page_ok(0x90800) && !standin_rdv_page_ok(0x100000) &&
          !standin_rdv_page_ok(0xA0000) && !standin_rdv_page_ok(0xBF000));
    /* the module's capabilities from its own header */
    {
        uint8_t m[0x600];
        memset(m, 0, sizeof(m));
        put_acm_header(m, 0x207);
        CHECK(standin_acm_caps(a32(p.sinit), SINIT_SIZE) == CAPS_BOTH); /* as build() left it */
        memcpy(p.sinit, m, sizeof(m));
        CHECK(standin_acm_caps(a32(p.sinit), sizeof(m)) == 0x207);
        CHECK(standin_acm_caps(a32(p.sinit), 0x4C0 + 35) == 0); /* the capabilities past the end */
        p.sinit[0x4C0] ^= 1;
        CHECK(standin_acm_caps(a32(p.sinit), sizeof(m)) == 0); /* wrong UUID */
        p.sinit[0x4C0] ^= 1;
        sd_wr32(p.sinit + 124, 0xFFFFFFFFu); /* scratch size past the module */
        CHECK(standin_acm_caps(a32(p.sinit), sizeof(m)) == 0);
    }

    /* 10. Four processors: the rendezvous, the sleep, a MONITOR wake-up
     * and a good JOIN. */
    cfg_nprocs = 4;
    build(&p, TXT_EVLOG_TPM20);
    sim_rlps = 3;
    memset(rdv, 0xA5, 4096);
    CHECK(run(&p) == 0);
    CHECK(errorcode(&p) == 0 && got_entry == a32(p.mle) + MLE_ENTRY_OFF);
    CHECK(n_wake_aps == 1 && got_vector == RDV_PAGE_ADDR >> 12);
    {
        /* the page as the trampoline expects it (standin.h) */
        bool code = true;
        for (unsigned i = 0; i < 0x40; i++)
            code &= rdv[i] == (i < 0x24 ? 0x16 : 0x32);
        for (unsigned i = 0x40; i < STANDIN_RDV_GDT; i++)
            code &= rdv[i] == 0;
        CHECK(code);
        CHECK(sd_rd64(rdv + STANDIN_RDV_GDT) == 0 && sd_rd64(rdv + STANDIN_RDV_GDT + 8) == 0x00CF9B000000FFFFull &&
              sd_rd64(rdv + STANDIN_RDV_GDT + 16) == 0x00CF93000000FFFFull);
        CHECK((rdv[STANDIN_RDV_GDTR] | rdv[STANDIN_RDV_GDTR + 1] << 8) == 23 &&
              sd_rd32(rdv + STANDIN_RDV_GDTR + 2) == RDV_PAGE_ADDR + STANDIN_RDV_GDT);
        CHECK(sd_rd32(rdv + STANDIN_RDV_FAR) == RDV_PAGE_ADDR + 0x24 &&
              (rdv[STANDIN_RDV_FAR + 4] | rdv[STANDIN_RDV_FAR + 5] << 8) == STANDIN_CS);
        CHECK(sd_rd32(rdv + STANDIN_RDV_ROUTINE) == (uint32_t)(uintptr_t)&standin_rlp_main);
        CHECK(sd_rd32(rdv + STANDIN_RDV_TXT) == a32(p.txt) && sd_rd32(rdv + STANDIN_RDV_CAPS) == CAPS_BOTH);
        CHECK(sd_rd32(rdv + STANDIN_RDV_TICKET) == 3 && sd_rd32(rdv + STANDIN_RDV_ARRIVED) == 3);
        CHECK(rdv[STANDIN_RDV_STACKS] == 0xA5); /* the stacks are not the ILP's */
    }
    CHECK(rlps_stay_asleep());
    set_join(&p, 0x17, 0x00345000, 0x08, 0x00400123);
    standin_rlp_wakeup = 1; /* Rensa's MONITOR write */
    CHECK(wait_done(3) && atomic_rd(&rlp_halted) == 0);
    for (unsigned i = 0; i < 3; i++) {
        CHECK(rlp_got[i].joined && rlp_got[i].limit == 0x17 && rlp_got[i].base == 0x00345000 &&
              rlp_got[i].sel == 0x08 && rlp_got[i].eip == 0x00400123);
        CHECK(rlp_got[i].stub == RDV_PAGE_ADDR + 0x1000 - (i + 1) * 0x100);
    }
    CHECK(errorcode(&p) == 0);
    CHECK(rlps_finish());

    /* 11. GETSEC wake-up only (capabilities 0x205): RlpWakeupAddr 0, the
     * MONITOR word wakes nobody, the emulated GETSEC[WAKEUP] register does. */
    cfg_caps = CAPS_GETSEC;
    build(&p, TXT_EVLOG_TPM20);
    sim_rlps = 3;
    CHECK(run(&p) == 0);
    CHECK(heap_verify(p.heap, HEAP_SIZE, HEAP_VERIFY_SINIT_MLE, &v, &d) == HEAP_OK && v.sinit_mle.rlp_wakeup_addr == 0);
    set_join(&p, 0x17, 0x00345000, 0x08, 0x00400123);
    standin_rlp_wakeup = 1;
    CHECK(rlps_stay_asleep());
    sd_wr64(p.txt + 0x10000 + EMU_TXT_WAKEUP, 1);
    CHECK(wait_done(3) && atomic_rd(&rlp_halted) == 0);
    CHECK(rlp_got[0].joined && rlp_got[1].joined && rlp_got[2].joined);
    CHECK(rlps_finish());
    /* MONITOR only (capabilities bit 1): the register wakes nobody */
    cfg_caps = ACM_CAP_RLP_WAKE_MONITOR | ACM_CAP_ECX_PGTBL | ACM_CAP_TCG_EVENT_LOG;
    cfg_nprocs = 2;
    build(&p, TXT_EVLOG_TPM20);
    sim_rlps = 1;
    CHECK(run(&p) == 0);
    set_join(&p, 0x17, 0x00345000, 0x08, 0x00400123);
    sd_wr64(p.txt + 0x10000 + EMU_TXT_WAKEUP, 1);
    CHECK(rlps_stay_asleep());
    standin_rlp_wakeup = 1;
    CHECK(wait_done(1) && rlp_got[0].joined);
    CHECK(rlps_finish());
    cfg_caps = CAPS_BOTH;
    cfg_nprocs = 4;

    /* 12. Bad JOINs: every RLP halts, ERRORCODE is the processor's
     * #BadJOINFormat (0x8000000B) in both copies. */
    {
        static const struct {
            uint32_t limit, sel, eip;
            bool zero_addr;
        } bad[] = {
            {0xFF, 0x0B, 0x00400123, false}, /* RPL 3 (emu_fault=join) */
            {0xFF, 0x0C, 0x00400123, false}, /* TI */
            {0xFF, 0x08, 0x00400123, true}, /* TXT.MLE.JOIN 0 */
            {0xFF, 0x00, 0x00400123, false}, /* null selector */
            {0x17, 0x10, 0x00400123, false}, /* CS + 8 past the limit */
            {0xFF, 0x08, 0, false}, /* EIP 0 */
            {0x10017, 0x08, 0x00400123, false}, /* limit above 16 bits */
        };
        for (unsigned k = 0; k < ARRAY_SIZE(bad); k++) {
            build(&p, TXT_EVLOG_TPM20);
            sim_rlps = 3;
            CHECK(run(&p) == 0);
            set_join(&p, bad[k].limit, 0x00345000, bad[k].sel, bad[k].eip);
            if (bad[k].zero_addr)
                sd_wr64(p.txt + TXT_MLE_JOIN, 0);
            standin_rlp_wakeup = 1;
            CHECK(wait_done(3) && atomic_rd(&rlp_halted) == 3);
            CHECK(errorcode(&p) == 0x8000000Bu && sd_rd32(p.txt + TXT_ERRORCODE) == 0x8000000Bu);
            CHECK(rlps_finish());
        }
    }

    /* 13. Rendezvous errors (progress 0x0B). */
    build(&p, TXT_EVLOG_TPM20);
    rdv_page = 0;
    CHECK(run(&p) == code(0xB, 1, 0) && errorcode(&p) == code(0xB, 1, 0) && n_wake_aps == 0);
    rdv_page = RDV_PAGE_ADDR + 0x800; /* not page aligned */
    CHECK(run(&p) == code(0xB, 1, 0));
    rdv_page = 0x100000; /* not below 1 MiB */
    CHECK(run(&p) == code(0xB, 1, 0));
    rdv_page = RDV_PAGE_ADDR;
    cfg_nprocs = 17; /* 16 RLPs, stacks for 15 */
    build(&p, TXT_EVLOG_TPM20);
    CHECK(run(&p) == code(0xB, 2, 17) && n_wake_aps == 0);
    cfg_nprocs = 16; /* 15 RLPs: the most */
    build(&p, TXT_EVLOG_TPM20);
    sim_rlps = 15;
    CHECK(run(&p) == 0 && sd_rd32(rdv + STANDIN_RDV_ARRIVED) == 15);
    standin_rlp_wakeup = 1;
    set_join(&p, 0x17, 0x00345000, 0x08, 0x00400123);
    CHECK(wait_done(15) && rlp_got[14].joined && rlp_got[14].stub == RDV_PAGE_ADDR + STANDIN_RDV_STACKS);
    CHECK(rlps_finish());
    cfg_nprocs = 4;
    build(&p, TXT_EVLOG_TPM20);
    sim_rlps = 0; /* nobody answers */
    CHECK(run(&p) == code(0xB, 3, 0));
    build(&p, TXT_EVLOG_TPM20);
    sim_rlps = 2; /* one processor short */
    CHECK(run(&p) == code(0xB, 3, 2));
    set_join(&p, 0x17, 0x00345000, 0x08, 0x00400123);
    standin_rlp_wakeup = 1;
    CHECK(rlps_finish());
    build(&p, TXT_EVLOG_TPM20);
    sim_rlps = 5; /* more than BiosData counted */
    CHECK(run(&p) == code(0xB, 3, 5));
    set_join(&p, 0x17, 0x00345000, 0x08, 0x00400123);
    standin_rlp_wakeup = 1;
    CHECK(rlps_finish());
    build(&p, TXT_EVLOG_TPM20);
    sim_ipi = SD_IPI_NO_XAPIC;
    CHECK(run(&p) == code(0xB, 5, 0));
    sim_ipi = SD_IPI_INIT;
    CHECK(run(&p) == code(0xB, 6, 1));
    sim_ipi = SD_IPI_SIPI1;
    CHECK(run(&p) == code(0xB, 6, 2));
    sim_ipi = SD_IPI_SIPI2;
    CHECK(run(&p) == code(0xB, 6, 3));
    /* BiosData too short for NumLogicalProcs */
    build(&p, TXT_EVLOG_TPM20);
    {
        /* shrink BiosData to 8 + 24 bytes; OsMleData follows at once */
        uint64_t bios = sd_rd64(p.heap), rest = HEAP_SIZE - bios;
        memmove(p.heap + 8 + 24, p.heap + bios, rest);
        sd_wr64(p.heap, 8 + 24);
        CHECK(run(&p) == code(0xB, 4, 0) && n_wake_aps == 0);
    }
    cfg_nprocs = 1;

    printf("%s: %d failure(s)\n", failures ? "FAIL" : "ok", failures);
    return failures ? 1 : 0;
}
