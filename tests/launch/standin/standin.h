/* The stand-in SINIT (tests/launch/standin/, docs/emulated-launch.md):
 * constants shared by its C and assembly parts and by whoever inspects the
 * module. Test build only: nothing here may reach a release image. */
#ifndef RENSA_STANDIN_H
#define RENSA_STANDIN_H

/* AC module header module_vendor of the stand-in ("ANSR" read as a
 * little-endian dword: 0x52534E41). The release loader accepts only
 * Intel's 0x8086; the test build also accepts this one. */
#define STANDIN_VENDOR 0x52534E41u

/* Offset (from the module start) at which the program is linked: the AC
 * module header, scratch area, information table, lists and header GDT
 * fit below it (tests/launch/standin/mkacm.py). */
#define STANDIN_LINK_BASE 0x800u

/* The fault word: these 8 bytes followed by a 32-bit little-endian value
 * (0 normally). A test patches the value in the module file; a non-zero
 * value is reported as TXT.ERRORCODE at step 5. */
#define STANDIN_FAULT_MARKER "RNSAFAIL"

/* Selectors of the GDT the stand-in loads before entering the MLE (and of
 * the GDT in the RLP rendezvous page). */
#define STANDIN_CS 0x08
#define STANDIN_DS 0x10

/* The RLP rendezvous page (EDI at entry: 4 KiB, below 1 MiB, reserved by
 * the emulated BIOS). rlp.c fills it, the RLPs run in it; offsets from its
 * start:
 *   0x000  the trampoline (entry.S standin_rlp_tramp..end, at most 0xC0
 *          bytes; standin.lds checks): a SIPI with vector page >> 12
 *          starts each RLP here, CS = page >> 4, IP = 0
 *   0x0C0  GDT: null, 0x08 flat 32-bit code, 0x10 flat data
 *   0x0DA  GDTR: u16 limit (23), u32 base (page + 0xC0)
 *   0x0E0  far pointer m16:32: u32 page + offset of the trampoline's
 *          32-bit part, u16 selector 0x08
 *   0x0E8  u32 run-time address of standin_rlp_main
 *   0x0EC  u32 the emulated TXT register space (ESI)
 *   0x0F0  u32 the module's capabilities (its information table)
 *   0x0F4  u32 stack ticket: each RLP takes the next by LOCK XADD
 *   0x0F8  u32 arrived: RLPs in the SENTER sleep (LOCK-incremented)
 *   0x0FC  u32 0
 *   0x100  the RLPs' stacks, 256 bytes each, from the top down: ticket i
 *          has [page + 0x1000 - (i + 1) * 256, page + 0x1000 - i * 256)
 *          and its join stub (11 bytes) at the bottom of that range.
 * An RLP whose ticket is STANDIN_RDV_MAX_RLPS or more halts at once. */
#define STANDIN_RDV_PAGE 0x1000
#define STANDIN_RDV_CODE_MAX 0xC0
#define STANDIN_RDV_GDT 0xC0
#define STANDIN_RDV_GDTR 0xDA
#define STANDIN_RDV_FAR 0xE0
#define STANDIN_RDV_ROUTINE 0xE8
#define STANDIN_RDV_TXT 0xEC
#define STANDIN_RDV_CAPS 0xF0
#define STANDIN_RDV_TICKET 0xF4
#define STANDIN_RDV_ARRIVED 0xF8
#define STANDIN_RDV_STACKS 0x100
#define STANDIN_RDV_STACK_SHIFT 8
#define STANDIN_RDV_STACK (1 << STANDIN_RDV_STACK_SHIFT)
#define STANDIN_RDV_MAX_RLPS ((STANDIN_RDV_PAGE - STANDIN_RDV_STACKS) >> STANDIN_RDV_STACK_SHIFT) /* 15 */

#endif
