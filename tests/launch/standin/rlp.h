/* The stand-in SINIT's multi-processor part (rlp.c): the RLP rendezvous
 * of GETSEC[SENTER], the SENTER sleep and the wake-up through
 * TXT.MLE.JOIN. standin.c has the contract; standin.h the rendezvous
 * page's layout. */
#ifndef STANDIN_RLP_H
#define STANDIN_RLP_H

#include <stdbool.h>
#include <stdint.h>
#include "rtypes.h"
#include "txt_regs.h"

/* TXT.ERRORCODE of a SINIT error: valid, external, ACM type 1. */
#define STANDIN_ERR(progress, error, minor)                                                                   \
    (TXT_ERR_VALID | TXT_ERR_EXTERNAL | ((uint32_t)((minor) & 0x3FFFu) << 16) | ((uint32_t)(error) << 10) | \
     ((uint32_t)(progress) << 4) | 1u)

/* The processor's code for a JOIN structure GETSEC[WAKEUP] refuses. */
#define STANDIN_BAD_JOIN_CODE (TXT_ERR_VALID | TXT_PROC_BAD_JOIN_FORMAT)

#define STANDIN_HIDDEN __attribute__((visibility("hidden")))

/* The MONITOR wake word: SinitMleData.RlpWakeupAddr points here when the
 * module's capabilities offer MONITOR wake-up (a word in the SINIT region). */
extern STANDIN_HIDDEN volatile uint32_t standin_rlp_wakeup;

/* The SDM's RLP JOIN structure (GETSEC[WAKEUP]) at TXT.MLE.JOIN. */
struct standin_join {
    uint32_t gdt_limit, gdt_base, sel, eip;
};

/* Why GETSEC[WAKEUP] would refuse a JOIN structure (0: it would not). */
enum standin_join_bad {
    STANDIN_JOIN_OK = 0,
    STANDIN_JOIN_ADDR, /* TXT.MLE.JOIN is 0, or the 16 bytes wrap at 4 GiB */
    STANDIN_JOIN_LIMIT, /* GDT limit above 0xFFFF */
    STANDIN_JOIN_SEL_NULL, /* selector 0 */
    STANDIN_JOIN_SEL_TI_RPL, /* selector TI or RPL set */
    STANDIN_JOIN_SEL_LIMIT, /* selector + 15 past the GDT limit (CS and CS + 8 not inside) */
    STANDIN_JOIN_EIP, /* EIP 0 */
};

/* The 16 bytes at addr may be read (addr != 0, no wrap). */
bool standin_join_readable(uint32_t addr);
/* The processor's JOIN checks; j is read only when addr is readable. */
enum standin_join_bad standin_join_check(uint32_t addr, const struct standin_join *j);

/* The capabilities of the AC module at base (size bytes): its information
 * table's, 0 when the header or table does not fit or the UUID is wrong. */
uint32_t standin_acm_caps(uint32_t base, uint32_t size);
/* SinitMleData.RlpWakeupAddr: word when caps offer MONITOR wake-up, else 0. */
uint32_t standin_rlp_wakeup_addr(uint32_t caps, uint32_t word);
/* A sleeping RLP's wake condition: the MONITOR word (caps bit 1) or the
 * emulated GETSEC[WAKEUP] register (caps bit 0) is set. */
bool standin_rlp_woken(uint32_t caps, uint32_t word, uint64_t wakeup_reg);
/* The rendezvous page is usable: nonzero, 4 KiB aligned, below 1 MiB,
 * not a reserved SIPI vector (0xA0-0xBF). */
bool standin_rdv_page_ok(uint32_t page);
/* RLPs the page has stacks for. */
uint32_t standin_rdv_max_rlps(void);

/* The ILP's rendezvous (progress 0x0B) after the heap checks: heap is the
 * checked heap (BiosData's size field at 0), txt the emulated register
 * space, page EDI at entry, caps the module's. 0 or an ERRORCODE. */
uint32_t standin_rendezvous(const uint8_t *heap, uint32_t txt, uint32_t page, uint32_t caps);

/* Each RLP, from the trampoline, on its stack in the page: counts itself
 * arrived, sleeps until woken, then joins the MLE through TXT.MLE.JOIN or
 * halts on a bad JOIN. index = its stack ticket. */
NORETURN STANDIN_HIDDEN void standin_rlp_main(uint32_t page, uint32_t index);

/* entry.S: the trampoline's bytes, and the RLP's two ways out. */
extern STANDIN_HIDDEN const uint8_t standin_rlp_tramp[], standin_rlp_tramp32[], standin_rlp_tramp_end[];
NORETURN STANDIN_HIDDEN void standin_rlp_join(uint32_t gdt_limit, uint32_t gdt_base, uint32_t sel, uint32_t eip,
                                              uint32_t stub);
NORETURN STANDIN_HIDDEN void standin_rlp_halt(void);

#endif
