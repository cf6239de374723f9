/* Intel TXT public configuration registers and the CPU facts a launch
 * depends on. Offsets are from TXT_PUB_BASE (the private space at
 * 0xFED20000 has the same layout but opens only inside a measured
 * environment). Sources: Intel TXT Software Development Guide, appendix B
 * "Intel TXT Configuration Registers"; Intel SDM vol. 2D chapter 6 "Safer
 * Mode Extensions Reference" (GETSEC) and vol. 4 (IA32_FEATURE_CONTROL).
 * Every register is 64 bits wide; read it with a 64-bit (or 32-bit) load. */
#ifndef RENSA_TXT_REGS_H
#define RENSA_TXT_REGS_H

#define TXT_PUB_BASE 0xFED30000u
#define TXT_PRIV_BASE 0xFED20000u
#define TXT_REGS_SIZE 0x10000u

/* ---------------------------------------------------------------- offsets */
#define TXT_STS 0x000u
#define TXT_ESTS 0x008u
#define TXT_ERRORCODE 0x030u
#define TXT_CMD_RESET 0x038u
#define TXT_CMD_CLOSE_PRIVATE 0x048u
#define TXT_VER_FSBIF 0x100u
#define TXT_DIDVID 0x110u
#define TXT_VER_QPIIF 0x200u
#define TXT_CMD_UNLOCK_MEM_CONFIG 0x218u
#define TXT_SINIT_BASE 0x270u
#define TXT_SINIT_SIZE 0x278u
#define TXT_MLE_JOIN 0x290u
#define TXT_HEAP_BASE 0x300u
#define TXT_HEAP_SIZE 0x308u
#define TXT_DPR 0x330u
#define TXT_CMD_OPEN_LOCALITY1 0x380u
#define TXT_CMD_CLOSE_LOCALITY1 0x388u
#define TXT_CMD_OPEN_LOCALITY2 0x390u
#define TXT_CMD_CLOSE_LOCALITY2 0x398u
#define TXT_PUBLIC_KEY 0x400u
#define TXT_CMD_SECRETS 0x8E0u
#define TXT_CMD_NO_SECRETS 0x8E8u
#define TXT_E2STS 0x8F0u

/* ---------------------------------------------------------------- TXT.STS */
#define TXT_STS_SENTER_DONE (1u << 0)
#define TXT_STS_SEXIT_DONE (1u << 1)
#define TXT_STS_MEM_CONFIG_LOCK (1u << 6)
#define TXT_STS_PRIVATE_OPEN (1u << 7)
#define TXT_STS_LOCALITY1_OPEN (1u << 15)
#define TXT_STS_LOCALITY2_OPEN (1u << 16)

/* ---------------------------------------------------------------- TXT.ESTS */
#define TXT_ESTS_TXT_RESET_STS (1u << 0)
#define TXT_ESTS_TXT_WAKE_ERROR_STS (1u << 6)

/* ---------------------------------------------------------------- TXT.E2STS */
#define TXT_E2STS_SLP_ENTRY_ERROR_STS (1u << 0)
#define TXT_E2STS_SECRETS_STS (1u << 1)
#define TXT_E2STS_BLOCK_MEM_STS (1u << 2)

/* ---------------------------------------------------------------- TXT.ERRORCODE
 * Bits 63:32 are reserved. Bit 31: the register holds a valid code. Bit 30:
 * external (written by software, normally an AC module) rather than by the
 * processor. Processor codes are bits 29:0. For external codes, bit 15
 * tells the source: 0 an AC module, 1 other software. AC module codes:
 * module type 3:0, class or progress code 9:4, error code 14:10, and a
 * sub-error in 29:16 whose meaning depends on the class (see docs/txt-errors.md). */
#define TXT_ERR_VALID (1u << 31)
#define TXT_ERR_EXTERNAL (1u << 30)
#define TXT_ERR_PROC_MASK 0x3FFFFFFFu
#define TXT_ERR_SW_SRC_OTHER (1u << 15)
/* Rensa's own codes after a launch: valid | external | software source,
 * bits 29:16 = this tag, bits 14:0 = the enum rensa_err value. */
#define TXT_ERR_RENSA_TAG 0x0E5Au
#define TXT_ERR_RENSA(code) (0xC0008000u | (TXT_ERR_RENSA_TAG << 16) | ((uint32_t)(code) & 0x7FFFu))
#define TXT_ERR_ACM_TYPE(v) ((v) & 0xFu)
#define TXT_ERR_ACM_PROGRESS(v) (((v) >> 4) & 0x3Fu)
#define TXT_ERR_ACM_ERROR(v) (((v) >> 10) & 0x1Fu)
#define TXT_ERR_ACM_SUB(v) (((v) >> 16) & 0x3FFFu)

/* Processor-initiated codes (ERRORCODE.external = 0): the TXT-shutdown
 * conditions of GETSEC, numbered as in the SDM and tboot's errorcode.h. */
#define TXT_PROC_LEGACY_SHUTDOWN 0u
#define TXT_PROC_ACM_MEM_TYPE 5u
#define TXT_PROC_UNSUPPORTED_ACM 6u
#define TXT_PROC_AUTH_FAIL 7u
#define TXT_PROC_BAD_ACM_FORMAT 8u
#define TXT_PROC_UNEXPECTED_HITM 9u
#define TXT_PROC_INVALID_EVENT 10u
#define TXT_PROC_BAD_JOIN_FORMAT 11u
#define TXT_PROC_UNRECOVERABLE_MCE 12u
#define TXT_PROC_VMX_ABORT 13u
#define TXT_PROC_ACM_CORRUPT 14u
#define TXT_PROC_BAD_VID_RATIO 15u

/* ---------------------------------------------------------------- CPU */
#define CPUID1_ECX_VMX (1u << 5)
#define CPUID1_ECX_SMX (1u << 6)

#define MSR_IA32_FEATURE_CONTROL 0x3Au
#define MSR_IA32_MCG_CAP 0x179u /* bits 7:0: machine-check banks */
#define MSR_IA32_MC_STATUS(i) (0x401u + 4u * (uint32_t)(i)) /* bit 63: VAL */
#define FEATURE_CONTROL_LOCK (1u << 0)
#define FEATURE_CONTROL_VMX_IN_SMX (1u << 1)
#define FEATURE_CONTROL_VMX_OUTSIDE_SMX (1u << 2)
#define FEATURE_CONTROL_SENTER_LOCAL_MASK (0x7Fu << 8) /* bits 14:8 */
#define FEATURE_CONTROL_SENTER_ENABLE (1u << 15)

/* GETSEC[CAPABILITIES] (EAX = 0, EBX = 0): EAX bits. */
#define GETSEC_CAP_CHIPSET_PRESENT (1u << 0)
#define GETSEC_CAP_ENTERACCS (1u << 2)
#define GETSEC_CAP_EXITAC (1u << 3)
#define GETSEC_CAP_SENTER (1u << 4)
#define GETSEC_CAP_SEXIT (1u << 5)
#define GETSEC_CAP_PARAMETERS (1u << 6)
#define GETSEC_CAP_SMCTRL (1u << 7)
#define GETSEC_CAP_WAKEUP (1u << 8)
#define GETSEC_CAP_EXTENDED (1u << 31)
/* What a launch needs (as tboot's supports_txt requires). */
#define GETSEC_CAP_LAUNCH_NEEDS                                                                      \
    (GETSEC_CAP_CHIPSET_PRESENT | GETSEC_CAP_SENTER | GETSEC_CAP_SEXIT | GETSEC_CAP_PARAMETERS | \
     GETSEC_CAP_SMCTRL | GETSEC_CAP_WAKEUP)

#endif
