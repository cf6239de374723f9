/* Internals of the kernel hand-off shared by loader/kernel.c, linux.c,
 * elf_kernel.c, mbi_build.c and kernel_jump.S (include/kernel.h is the
 * public interface). */
#ifndef RENSA_KERNEL_LOAD_H
#define RENSA_KERNEL_LOAD_H

/* Offsets in struct kernel_entry, for kernel_jump.S. */
#define KE_EIP 4
#define KE_EAX 8
#define KE_EBX 12
#define KE_ESI 16

#ifndef __ASSEMBLY__
#include "ctx.h"
#include "kernel.h"

_Static_assert(offsetof(struct kernel_entry, eip) == KE_EIP, "KE_EIP");
_Static_assert(offsetof(struct kernel_entry, eax) == KE_EAX, "KE_EAX");
_Static_assert(offsetof(struct kernel_entry, ebx) == KE_EBX, "KE_EBX");
_Static_assert(offsetof(struct kernel_entry, esi) == KE_ESI, "KE_ESI");

enum rensa_err linux_prepare(struct rensa_ctx *ctx, struct kernel_entry *ke, struct diag *d);
enum rensa_err elf_kernel_prepare(struct rensa_ctx *ctx, struct kernel_entry *ke, struct diag *d);

/* Build a Multiboot 'version' (1 or 2) information structure for the
 * loaded ELF kernel; sets ke->eax and ke->ebx. EFI tags (MB2) are added
 * only when efi_tags is true. */
enum rensa_err mbi_build(struct rensa_ctx *ctx, unsigned version, bool efi_tags, struct kernel_entry *ke,
                         struct diag *d);

/* ctx_alloc, reporting a failure through d. */
enum rensa_err kernel_alloc(struct rensa_ctx *ctx, paddr_t size, paddr_t align, paddr_t lo, paddr_t hi,
                            unsigned flags, bool reserve, const char *what, paddr_t *out, struct diag *d);

/* The kernel's command line: the module's command line as GRUB gave it
 * (GRUB leaves out the file name), then a space and extra when extra is
 * non-empty. Writes it NUL-terminated to dst when
 * dst is non-NULL; returns its length without the NUL. */
size_t kernel_cmdline(const char *modline, const char *extra, char *dst);

/* KiB of RAM in m contiguous from 'from' (m sorted and merged), at most
 * UINT32_MAX. */
uint32_t memmap_contig_kib(const struct memmap *m, paddr_t from);

/* Direct-colour layout assumed for a framebuffer of bpp bits (boot_info
 * keeps no colour masks): red, green, blue as {position, size} pairs. */
void fb_rgb_layout(uint8_t bpp, uint8_t pos_size[6]);

#endif
#endif
