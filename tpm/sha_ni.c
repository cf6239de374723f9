/* SHA-1 and SHA-256 block functions using the x86 SHA extensions (SHA-NI:
 * sha1rnds4, sha1nexte, sha1msg1/2, sha256rnds2, sha256msg1/2), the CPUID
 * check, the loader's SSE enable, and the portable/SHA-NI selection.
 *
 * Everything SSE is inline assembly with fixed xmm registers, so this file
 * builds with the loader's normal flags (-mno-sse -mgeneral-regs-only): the
 * compiler itself never touches an xmm register. Where the compiler does
 * use SSE (the host build) the asm statements declare xmm0-7 clobbered.
 * Only xmm0-7 are used, so the same code runs in 32-bit protected mode.
 *
 * Register roles and the interleaving of message-schedule and round
 * instructions follow the Intel SHA extensions paper (Gulley et al., 2013):
 * four rounds per step, with the schedule for step i+1..i+3 computed while
 * step i's rounds run. See docs/hashing.md. */
#include "rstring.h"
#include "sha.h"

#if defined(__i386__) || defined(__x86_64__)
#define SHA_NI_X86 1
#else
#define SHA_NI_X86 0
#endif

static bool ni_enabled;    /* sha_ni_enable() succeeded */
static bool force_portable; /* hash_force_portable(true) */

enum sha_impl sha_active_impl(void)
{
    return ni_enabled && !force_portable ? SHA_IMPL_NI : SHA_IMPL_PORTABLE;
}

void hash_force_portable(bool on)
{
    force_portable = on;
}

#if SHA_NI_X86

#define CPUID1_EDX_FXSR (1u << 24)
#define CPUID1_EDX_SSE2 (1u << 26)
#define CPUID1_ECX_SSSE3 (1u << 9)
#define CPUID7_EBX_SHA (1u << 29)

static void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
    __asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "a"(leaf), "c"(sub));
}

bool sha_ni_supported(void)
{
    uint32_t r[4];

    cpuid(0, 0, r);
    if (r[0] < 7)
        return false;
    cpuid(1, 0, r);
    if (!(r[3] & CPUID1_EDX_FXSR) || !(r[3] & CPUID1_EDX_SSE2) || !(r[2] & CPUID1_ECX_SSSE3))
        return false;
    cpuid(7, 0, r);
    return (r[1] & CPUID7_EBX_SHA) != 0;
}

#ifndef RENSA_HOST
#define CR0_MP (1ul << 1)
#define CR0_EM (1ul << 2)
#define CR0_TS (1ul << 3)
#define CR4_OSFXSR (1ul << 9)
#define CR4_OSXMMEXCPT (1ul << 10)

/* SSE instructions #UD unless CR0.EM = 0 and CR4.OSFXSR = 1, and #NM while
 * CR0.TS = 1. The loader never saves SSE state (nothing else uses it). */
static void sse_enable(void)
{
    unsigned long cr0, cr4;

    __asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
    cr0 = (cr0 & ~(CR0_EM | CR0_TS)) | CR0_MP;
    __asm__ volatile("mov %0, %%cr0" : : "r"(cr0) : "memory");
    __asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
    cr4 |= CR4_OSFXSR | CR4_OSXMMEXCPT;
    __asm__ volatile("mov %0, %%cr4" : : "r"(cr4) : "memory");
}
#endif

bool sha_ni_enable(void)
{
    if (!sha_ni_supported())
        return false;
#ifndef RENSA_HOST
    sse_enable();
#endif
    ni_enabled = true;
    return true;
}

/* Host build: tell the compiler about the xmm registers. The loader build
 * has no SSE registers as far as the compiler knows (and rejects naming
 * them), and never keeps a value in one. */
#ifdef __SSE__
#define XMM_CLOBBERS , "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7"
#else
#define XMM_CLOBBERS
#endif

#define NL "\n\t"

/* pshufb masks: SHA-1 keeps W0 in the top dword (reverse all 16 bytes),
 * SHA-256 keeps W0 in the bottom dword (swap bytes within each dword). */
static const uint8_t sha1_mask[16] = {15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0};
static const uint8_t sha256_mask[16] = {3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12};

/* ---------------------------------------------------------------- SHA-1
 * xmm0 = ABCD (A in the top dword), xmm1/xmm2 = E0/E1 (E plus W in the top
 * dword, alternating), xmm3-6 = W in 4-word groups, xmm7 = byte mask.
 * Scratch (16-aligned): 0 = ABCD at block start, 16 = E at block start. */
#define S1_ABCD "%%xmm0"
#define S1_E0 "%%xmm1"
#define S1_E1 "%%xmm2"
#define S1_M0 "%%xmm3"
#define S1_M1 "%%xmm4"
#define S1_M2 "%%xmm5"
#define S1_M3 "%%xmm6"
#define S1_MASK "%%xmm7"

#define S1_LD(off, m) "movdqu " #off "(%[p]), " m NL "pshufb " S1_MASK ", " m NL
#define S1_ADDE(m, e) "paddd " m ", " e NL
#define S1_NEXTE(m, e) "sha1nexte " m ", " e NL
#define S1_SAVE(e) "movdqa " S1_ABCD ", " e NL
#define S1_RNDS(f, e) "sha1rnds4 $" #f ", " e ", " S1_ABCD NL
#define S1_MSG1(m0, m3) "sha1msg1 " m0 ", " m3 NL
#define S1_MSG2(m0, m1) "sha1msg2 " m0 ", " m1 NL
#define S1_XOR(m0, m2) "pxor " m0 ", " m2 NL

/* Rounds 4k..4k+3 with m0 = W[4k..4k+3] (k >= 4): E from four rounds
 * back, then finish W[4k+4..] (msg2 into m1), start W[4k+12..] (msg1 into
 * m3) and W[4k+8..] (xor into m2). */
#define S1_STEP(f, m0, m1, m2, m3, e0, e1)                                                     \
    S1_NEXTE(m0, e0) S1_SAVE(e1) S1_MSG2(m0, m1) S1_RNDS(f, e0) S1_MSG1(m0, m3) S1_XOR(m0, m2)

/* A 16-aligned scratch area inside raw. Aligned by hand rather than with
 * _Alignas: for -m32 the compiler assumes a 16-byte aligned stack and
 * would not realign, the freestanding loader does not promise that, and
 * movdqa / paddd with a memory operand #GP on a misaligned address. */
static uint8_t *align16(uint8_t *raw)
{
    return (uint8_t *)(((uintptr_t)raw + 15) & ~(uintptr_t)15);
}

void sha1_blocks_ni(uint32_t h[5], const uint8_t *p, size_t n)
{
    uint8_t raw[32 + 15], *scratch = align16(raw);

    if (!n)
        return;
    __asm__ volatile(
        "movdqu (%[h]), " S1_ABCD NL
        "pshufd $0x1b, " S1_ABCD ", " S1_ABCD NL
        "movd 16(%[h]), " S1_E0 NL
        "pslldq $12, " S1_E0 NL
        "movdqu (%[mask]), " S1_MASK NL
        "1:" NL
        "movdqa " S1_ABCD ", 0(%[s])" NL
        "movdqa " S1_E0 ", 16(%[s])" NL
        /* rounds 0-15: load W */
        S1_LD(0, S1_M0) S1_ADDE(S1_M0, S1_E0) S1_SAVE(S1_E1) S1_RNDS(0, S1_E0)
        S1_LD(16, S1_M1) S1_NEXTE(S1_M1, S1_E1) S1_SAVE(S1_E0) S1_RNDS(0, S1_E1)
            S1_MSG1(S1_M1, S1_M0)
        S1_LD(32, S1_M2) S1_NEXTE(S1_M2, S1_E0) S1_SAVE(S1_E1) S1_RNDS(0, S1_E0)
            S1_MSG1(S1_M2, S1_M1) S1_XOR(S1_M2, S1_M0)
        S1_LD(48, S1_M3) S1_NEXTE(S1_M3, S1_E1) S1_SAVE(S1_E0) S1_MSG2(S1_M3, S1_M0)
            S1_RNDS(0, S1_E1) S1_MSG1(S1_M3, S1_M2) S1_XOR(S1_M3, S1_M1)
        /* rounds 16-67 */
        S1_STEP(0, S1_M0, S1_M1, S1_M2, S1_M3, S1_E0, S1_E1)
        S1_STEP(1, S1_M1, S1_M2, S1_M3, S1_M0, S1_E1, S1_E0)
        S1_STEP(1, S1_M2, S1_M3, S1_M0, S1_M1, S1_E0, S1_E1)
        S1_STEP(1, S1_M3, S1_M0, S1_M1, S1_M2, S1_E1, S1_E0)
        S1_STEP(1, S1_M0, S1_M1, S1_M2, S1_M3, S1_E0, S1_E1)
        S1_STEP(1, S1_M1, S1_M2, S1_M3, S1_M0, S1_E1, S1_E0)
        S1_STEP(2, S1_M2, S1_M3, S1_M0, S1_M1, S1_E0, S1_E1)
        S1_STEP(2, S1_M3, S1_M0, S1_M1, S1_M2, S1_E1, S1_E0)
        S1_STEP(2, S1_M0, S1_M1, S1_M2, S1_M3, S1_E0, S1_E1)
        S1_STEP(2, S1_M1, S1_M2, S1_M3, S1_M0, S1_E1, S1_E0)
        S1_STEP(2, S1_M2, S1_M3, S1_M0, S1_M1, S1_E0, S1_E1)
        S1_STEP(3, S1_M3, S1_M0, S1_M1, S1_M2, S1_E1, S1_E0)
        S1_STEP(3, S1_M0, S1_M1, S1_M2, S1_M3, S1_E0, S1_E1)
        /* rounds 68-79: the schedule winds down */
        S1_NEXTE(S1_M1, S1_E1) S1_SAVE(S1_E0) S1_MSG2(S1_M1, S1_M2) S1_RNDS(3, S1_E1)
            S1_XOR(S1_M1, S1_M3)
        S1_NEXTE(S1_M2, S1_E0) S1_SAVE(S1_E1) S1_MSG2(S1_M2, S1_M3) S1_RNDS(3, S1_E0)
        S1_NEXTE(S1_M3, S1_E1) S1_SAVE(S1_E0) S1_RNDS(3, S1_E1)
        /* E = rol(A from four rounds back, 30) + E at block start */
        "sha1nexte 16(%[s]), " S1_E0 NL
        "paddd 0(%[s]), " S1_ABCD NL
        "add $64, %[p]" NL
        "dec %[n]" NL
        "jnz 1b" NL
        "pshufd $0x1b, " S1_ABCD ", " S1_ABCD NL
        "movdqu " S1_ABCD ", (%[h])" NL
        "psrldq $12, " S1_E0 NL
        "movd " S1_E0 ", 16(%[h])"
        : [p] "+r"(p), [n] "+r"(n)
        : [h] "r"(h), [s] "r"(scratch), [mask] "r"(sha1_mask)
        : "memory", "cc" XMM_CLOBBERS);
}

/* ---------------------------------------------------------------- SHA-256
 * xmm0 = W+K for the next two rounds (sha256rnds2's implicit operand),
 * xmm1 = ABEF, xmm2 = CDGH (A and C in the top dwords), xmm3-6 = W in
 * 4-word groups, xmm7 = temporary. Scratch (16-aligned): 0 = ABEF and
 * 16 = CDGH at block start, 32 = byte mask. */
#define S2_WK "%%xmm0"
#define S2_ST0 "%%xmm1"
#define S2_ST1 "%%xmm2"
#define S2_M0 "%%xmm3"
#define S2_M1 "%%xmm4"
#define S2_M2 "%%xmm5"
#define S2_M3 "%%xmm6"
#define S2_TMP "%%xmm7"

#define S2_LD(off, m) "movdqu " #off "(%[p]), " m NL "pshufb 32(%[s]), " m NL
/* Rounds 4k, 4k+1 (W+K low half), state CDGH in ST1 becomes ABEF. */
#define S2_R1(koff, m0)                                                                        \
    "movdqa " #koff "(%[k]), " S2_WK NL "paddd " m0 ", " S2_WK NL                               \
    "sha256rnds2 " S2_WK ", " S2_ST0 ", " S2_ST1 NL
/* Rounds 4k+2, 4k+3 (high half), ST0 becomes ABEF again. */
#define S2_R2 "punpckhqdq " S2_WK ", " S2_WK NL "sha256rnds2 " S2_WK ", " S2_ST1 ", " S2_ST0 NL
/* W[4k+4..4k+7] = msg2(m1 + W[4k-3..4k], W[4k..4k+3]); m1 holds msg1's
 * W[t-16] + s0(W[t-15]). */
#define S2_SCHED(m0, m1, m3)                                                                   \
    "movdqa " m0 ", " S2_TMP NL "palignr $4, " m3 ", " S2_TMP NL "paddd " S2_TMP ", " m1 NL     \
    "sha256msg2 " m0 ", " m1 NL
#define S2_MSG1(m0, m3) "sha256msg1 " m0 ", " m3 NL
#define S2_STEP(koff, m0, m1, m3) S2_R1(koff, m0) S2_SCHED(m0, m1, m3) S2_R2 S2_MSG1(m0, m3)

void sha256_blocks_ni(uint32_t h[8], const uint8_t *p, size_t n)
{
    uint8_t raw[48 + 15], *scratch = align16(raw);

    if (!n)
        return;
    memcpy(scratch + 32, sha256_mask, 16);
    __asm__ volatile(
        /* a b c d / e f g h  ->  ABEF / CDGH */
        "movdqu (%[h]), " S2_ST0 NL
        "movdqu 16(%[h]), " S2_ST1 NL
        "pshufd $0x1b, " S2_ST0 ", " S2_ST0 NL      /* d c b a (low to high) */
        "pshufd $0x1b, " S2_ST1 ", " S2_ST1 NL      /* h g f e */
        "movdqa " S2_ST1 ", " S2_TMP NL
        "punpckhqdq " S2_ST0 ", " S2_TMP NL         /* f e b a = ABEF */
        "punpcklqdq " S2_ST0 ", " S2_ST1 NL         /* h g d c = CDGH */
        "movdqa " S2_TMP ", " S2_ST0 NL
        "1:" NL
        "movdqa " S2_ST0 ", 0(%[s])" NL
        "movdqa " S2_ST1 ", 16(%[s])" NL
        /* rounds 0-15: load W */
        S2_LD(0, S2_M0) S2_R1(0, S2_M0) S2_R2
        S2_LD(16, S2_M1) S2_R1(16, S2_M1) S2_R2 S2_MSG1(S2_M1, S2_M0)
        S2_LD(32, S2_M2) S2_R1(32, S2_M2) S2_R2 S2_MSG1(S2_M2, S2_M1)
        S2_LD(48, S2_M3) S2_STEP(48, S2_M3, S2_M0, S2_M2)
        /* rounds 16-51 */
        S2_STEP(64, S2_M0, S2_M1, S2_M3)
        S2_STEP(80, S2_M1, S2_M2, S2_M0)
        S2_STEP(96, S2_M2, S2_M3, S2_M1)
        S2_STEP(112, S2_M3, S2_M0, S2_M2)
        S2_STEP(128, S2_M0, S2_M1, S2_M3)
        S2_STEP(144, S2_M1, S2_M2, S2_M0)
        S2_STEP(160, S2_M2, S2_M3, S2_M1)
        S2_STEP(176, S2_M3, S2_M0, S2_M2)
        S2_STEP(192, S2_M0, S2_M1, S2_M3)
        /* rounds 52-63 */
        S2_R1(208, S2_M1) S2_SCHED(S2_M1, S2_M2, S2_M0) S2_R2
        S2_R1(224, S2_M2) S2_SCHED(S2_M2, S2_M3, S2_M1) S2_R2
        S2_R1(240, S2_M3) S2_R2
        "paddd 0(%[s]), " S2_ST0 NL
        "paddd 16(%[s]), " S2_ST1 NL
        "add $64, %[p]" NL
        "dec %[n]" NL
        "jnz 1b" NL
        /* ABEF / CDGH  ->  a b c d / e f g h */
        "pshufd $0x1b, " S2_ST0 ", " S2_ST0 NL      /* a b e f */
        "pshufd $0x1b, " S2_ST1 ", " S2_ST1 NL      /* c d g h */
        "movdqa " S2_ST0 ", " S2_TMP NL
        "punpcklqdq " S2_ST1 ", " S2_ST0 NL         /* a b c d */
        "punpckhqdq " S2_ST1 ", " S2_TMP NL         /* e f g h */
        "movdqu " S2_ST0 ", (%[h])" NL
        "movdqu " S2_TMP ", 16(%[h])"
        : [p] "+r"(p), [n] "+r"(n)
        : [h] "r"(h), [s] "r"(scratch), [k] "r"(sha256_k)
        : "memory", "cc" XMM_CLOBBERS);
}

#else /* !SHA_NI_X86: no SHA extensions; keep the interface. */

bool sha_ni_supported(void)
{
    return false;
}

bool sha_ni_enable(void)
{
    return false;
}

void sha1_blocks_ni(uint32_t h[5], const uint8_t *p, size_t n)
{
    sha1_blocks_portable(h, p, n);
}

void sha256_blocks_ni(uint32_t h[8], const uint8_t *p, size_t n)
{
    sha256_blocks_portable(h, p, n);
}

#endif
