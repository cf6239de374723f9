/* The emulated TXT platform of Rensa's test build (docs/emulated-launch.md).
 * Compiled only with -DRENSA_EMULATED_LAUNCH; every symbol starts with emu_
 * so scripts/check-image can prove a release image has none. */
#ifndef RENSA_EMU_H
#define RENSA_EMU_H

#include "rtypes.h"

struct rensa_ctx;

#define EMU_DIDVID 0x00000001b0f08086ull /* vendor 0x8086, device 0xB0F0, revision 1 */
#define EMU_GETSEC_CAPS 0x000001FDu /* chipset present; ENTERACCS, EXITAC, SENTER, SEXIT, PARAMETERS, SMCTRL, WAKEUP */
#define EMU_FEATURE_CONTROL 0xFF07ull /* locked, VMX in and outside SMX, SENTER + all local functions */
#define EMU_TXT_SPACE 0x20000u /* private at +0, public at +0x10000 */
#define EMU_SINIT_SIZE 0x40000u
#define EMU_HEAP_SIZE 0x100000u
/* Emulation-only register, public space offset: the emulated
 * GETSEC[WAKEUP] writes 1 here (64-bit); the stand-in's sleeping RLPs
 * watch it when the stand-in's capabilities offer GETSEC wake-up. */
#define EMU_TXT_WAKEUP 0xF00u

/* Plays the BIOS: allocates and reserves the TXT register space, the
 * SINIT region and the heap, writes BiosData. Halts through the caller's
 * error path on failure (returns an error code). */
int emu_platform_init(struct rensa_ctx *ctx);
bool emu_active(void);
paddr_t emu_txt_priv(void);
paddr_t emu_txt_pub(void);
/* CPUID with the bits an SMX platform reports. */
void emu_cpuid_fix(uint32_t leaf, uint32_t regs[4]);
/* The MSRs only an SMX/VMX processor has; false for any other MSR. */
bool emu_rdmsr(uint32_t msr, uint64_t *val);
/* GETSEC[SENTER] by a call into the stand-in SINIT (EDI = the RLP
 * rendezvous page); returns its ERRORCODE. */
uint32_t emu_senter(paddr_t base, uint32_t size);
/* GETSEC[SEXIT]: TXT.STS.SEXIT_DONE set, SENTER_DONE cleared. */
void emu_sexit(void);
/* emu_fault=pt: clear the present bit of the PTE of the MLE's second page. */
void emu_after_pt_build(void *ctx, void *pt, paddr_t pt_phys);
/* emu_fault=join: the JOIN structure's selector gets RPL 3 (0x0B), which
 * the stand-in's RLPs refuse as the processor would. */
struct txt_mle_join;
void emu_after_join_build(void *ctx, struct txt_mle_join *join);
/* The ACPI DMAR table of the emulated platform: present (1), or absent (0)
 * with emu_fault=dmar. */
int emu_dmar(void *unused);
/* GETSEC[WAKEUP]: EMU_TXT_WAKEUP = 1. */
void emu_wakeup(void);

#endif
