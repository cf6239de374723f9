/* Every error Rensa can report. Each has a stable number (written where the
 * next boot can read it, later), a name printed on the console and a
 * one-line meaning. docs/errors.md lists them; keep both in step. */
#ifndef RENSA_ERRORS_H
#define RENSA_ERRORS_H

#define RENSA_ERRORS(X)                                                              \
    X(E_OK, 0x000, "no error")                                                       \
    X(E_MBI_MAGIC, 0x101, "not started by a Multiboot1 or Multiboot2 loader")        \
    X(E_MBI_MALFORMED, 0x102, "the boot information structure is malformed")         \
    X(E_MBI_NO_MEMMAP, 0x103, "the boot loader passed no memory map")                \
    X(E_MBI_TOO_MANY, 0x104, "the boot information lists more entries than Rensa holds") \
    X(E_CMDLINE_UNKNOWN, 0x201, "unknown option on Rensa's command line")            \
    X(E_CMDLINE_VALUE, 0x202, "bad value for an option on Rensa's command line")     \
    X(E_CMDLINE_TOO_LONG, 0x203, "a command line is longer than Rensa accepts")      \
    X(E_NO_MEMORY, 0x301, "no free RAM fits an allocation")                          \
    X(E_MEMMAP_FULL, 0x302, "the memory map has too many entries")                   \
    X(E_LOADER_NOT_IN_RAM, 0x303, "Rensa itself is not in usable RAM")               \
    X(E_NO_KERNEL, 0x401, "no kernel module was given")                              \
    X(E_KERNEL_FORMAT, 0x402, "the kernel is neither a Linux bzImage nor an ELF image") \
    X(E_KERNEL_TRUNCATED, 0x403, "the kernel file is shorter than its headers say")  \
    X(E_KERNEL_UNSUPPORTED, 0x404, "the kernel needs a feature Rensa does not provide") \
    X(E_KERNEL_PLACEMENT, 0x405, "the kernel cannot be placed in memory")            \
    X(E_MODULE_RANGE, 0x406, "a module lies outside usable memory or overlaps Rensa") \
    X(E_CPU_EXCEPTION, 0x501, "unexpected CPU exception")                            \
    X(E_POST_LAUNCH, 0x502, "entered the post-launch entry without a measured launch") \
    X(E_ACM_MALFORMED, 0x601, "a SINIT AC module is malformed")                     \
    X(E_ACM_NOT_SINIT, 0x602, "an AC module is not a SINIT module")                 \
    X(E_ACM_MISMATCH, 0x603, "no SINIT AC module matches this platform")            \
    X(E_ACM_NO_SINIT, 0x604, "no SINIT AC module was given and the BIOS left none") \
    X(E_ACM_REGION, 0x605, "the SINIT module does not fit the TXT SINIT region")    \
    X(E_ACM_OVERLAP, 0x606, "a SINIT module overlaps another module or the SINIT region") \
    X(E_TPM_ABSENT, 0x701, "no TPM answers at the TPM register address")             \
    X(E_TPM_INTERFACE, 0x702, "the TPM's interface is not one Rensa can drive")      \
    X(E_TPM_LOCALITY, 0x703, "a TPM locality could not be requested or released")    \
    X(E_TPM_TIMEOUT, 0x704, "the TPM did not answer within its timeout")             \
    X(E_TPM_PROTOCOL, 0x705, "the TPM broke the register protocol of its interface") \
    X(E_TPM_RESPONSE, 0x706, "a TPM response is malformed")                          \
    X(E_TPM_RC, 0x707, "the TPM returned an error code")                             \
    X(E_TPM_FAMILY, 0x708, "the TPM family (1.2 or 2.0) could not be determined")    \
    X(E_TPM_ARG, 0x709, "a TPM request is outside what the TPM or Rensa supports")   \
    X(E_TPM_BANK, 0x70A, "a PCR extend lacks a digest for an active PCR bank")       \
    X(E_ACPI_NO_RSDP, 0x711, "no valid ACPI RSDP was found")                         \
    X(E_ACPI_TABLE, 0x712, "an ACPI table is malformed (length or checksum)")        \
    X(E_ACPI_NO_TPM2, 0x713, "the ACPI tables have no TPM2 table") \
    X(E_ACPI_NO_TABLE, 0x714, "the ACPI tables have no table with the signature looked for") \
    X(E_EVLOG_FULL, 0x801, "the event log buffer is full")                         \
    X(E_EVLOG_ARG, 0x802, "an event log request is invalid (format, banks, digests)") \
    X(E_EVLOG_MALFORMED, 0x803, "an event log record is malformed or truncated")    \
    X(E_EVLOG_SPEC_ID, 0x804, "the event log's Spec ID event is malformed")          \
    X(E_NO_DRTM, 0x901, "there is no dynamic root of trust and drtm=required") \
    X(E_TXT_ARG, 0xA01, "a TXT structure request is invalid (size, alignment, version)") \
    X(E_TXT_PT_MALFORMED, 0xA02, "the MLE page table is malformed") \
    X(E_TXT_HEAP_SIZE, 0xA03, "the TXT heap is too small for its structures") \
    X(E_TXT_HEAP_MALFORMED, 0xA04, "a TXT heap structure is malformed") \
    X(E_TXT_HEAP_VERSION, 0xA05, "a TXT heap structure has a version Rensa does not support") \
    X(E_TXT_PMR, 0xA06, "the DMA protected ranges cannot cover what SINIT must protect") \
    X(E_TXT_NO_MLE_HEADER, 0xA07, "the image has no valid MLE header") \
    X(E_TXT_SINIT_ERROR, 0xA08, "SINIT reported an error in TXT.ERRORCODE instead of launching") \
    X(E_TXT_MLE_ENTRY, 0xA09, "SINIT entered Rensa at an address or with a page table Rensa did not give it") \
    X(E_TXT_MLE_HASH, 0xA0A, "SinitMleData's MLE hash is not the hash of the MLE Rensa runs") \
    X(E_TXT_RLP, 0xA0B, "the other logical processors could not be put to wait for SIPI, woken or parked around the launch") \
    X(E_TXT_PCR_MAP, 0xA0D, "the SINIT does not support the PCR mapping pcr_map= asks for") \
    X(E_TXT_MCE, 0xA0E, "a machine-check bank holds an error, so GETSEC[SENTER] would fail") \
    X(E_TXT_S3, 0xA0F, "S3 could not be entered or resumed with a new measured launch") \
    X(E_TXT_LAUNCH_SKIPPED, 0xA0C, "the measured launch was not attempted (a previous launch failed)") \
    X(E_TXT_NOT_INTEL, 0xB01, "the CPU is not an Intel CPU (CPUID vendor is not GenuineIntel)") \
    X(E_TXT_NO_SMX, 0xB02, "the CPU has no Safer Mode Extensions (CPUID.1:ECX.SMX = 0)") \
    X(E_TXT_NO_VMX, 0xB03, "the CPU has no VMX, or the firmware left VMX in SMX operation disabled") \
    X(E_TXT_FEATURE_CONTROL, 0xB04, "IA32_FEATURE_CONTROL is not locked or does not enable GETSEC[SENTER]") \
    X(E_TXT_GETSEC, 0xB05, "GETSEC[CAPABILITIES] reports no TXT chipset or lacks a leaf a launch needs") \
    X(E_TXT_NO_CHIPSET, 0xB06, "no TXT chipset answers at the TXT public registers (0xFED30000)") \
    X(E_TXT_RESET_STS, 0xB07, "TXT.ESTS.TXT_RESET_STS is set: SENTER is disabled until a power cycle") \
    X(E_TXT_PREV_ERROR, 0xB08, "TXT.ERRORCODE holds an error from a previous launch") \
    X(E_TXT_UNREADABLE, 0xB09, "a CPU or TXT register the platform check needs could not be read") \
    X(E_TXT_NO_DMAR, 0xB0A, "the ACPI tables have no DMAR table: VT-d is off or absent, and SINIT needs it") \
    X(E_MTRR_MSR, 0xC01, "an MTRR or IA32_MISC_ENABLE could not be read or written") \
    X(E_MTRR_TOO_MANY, 0xC02, "the CPU has more variable MTRRs than Rensa saves") \
    X(E_MTRR_ARG, 0xC03, "an MTRR request is invalid (SINIT region alignment or size, MAXPHYADDR)") \
    X(E_MTRR_NO_REGS, 0xC04, "mapping the SINIT region write-back needs more variable MTRRs than the CPU has") \
    X(E_MTRR_MASK, 0xC05, "a variable MTRR has a non-contiguous mask or a reserved bit set") \
    X(E_MTRR_TYPE, 0xC06, "an MTRR holds a memory type that does not exist") \
    X(E_MTRR_OVERLAP, 0xC07, "two variable MTRRs overlap with types whose combination is undefined")

enum rensa_err {
#define RENSA_ERR_ENUM(name, code, text) name = code,
    RENSA_ERRORS(RENSA_ERR_ENUM)
#undef RENSA_ERR_ENUM
};

const char *err_name(enum rensa_err e);
const char *err_text(enum rensa_err e);

#endif
