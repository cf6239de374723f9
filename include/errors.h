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
    X(E_POST_LAUNCH, 0x502, "entered the post-launch entry without a measured launch")

enum rensa_err {
#define RENSA_ERR_ENUM(name, code, text) name = code,
    RENSA_ERRORS(RENSA_ERR_ENUM)
#undef RENSA_ERR_ENUM
};

const char *err_name(enum rensa_err e);
const char *err_text(enum rensa_err e);

#endif
