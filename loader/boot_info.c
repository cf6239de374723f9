/* Common parts of boot information parsing: dispatch on the magic value and
 * the string pool. */
#include "boot_info.h"
#include "multiboot1.h"
#include "multiboot2.h"
#include "platform.h"
#include "rstring.h"

enum rensa_err boot_info_strdup(struct boot_info *bi, const char *s, size_t n, const char *what,
                                const char **out, struct diag *d)
{
    if (n >= BOOT_CMDLINE_MAX)
        return diag_set(d, E_CMDLINE_TOO_LONG, "%s is %zu bytes long; at most %u are accepted", what, n,
                        BOOT_CMDLINE_MAX - 1);
    if (bi->pool_used + n + 1 > sizeof(bi->pool))
        return diag_set(d, E_MBI_TOO_MANY, "strings of the boot information exceed %u bytes (at %s)",
                        BOOT_STRING_POOL, what);
    char *dst = bi->pool + bi->pool_used;
    memcpy(dst, s, n);
    dst[n] = '\0';
    bi->pool_used += n + 1;
    *out = dst;
    return E_OK;
}

enum rensa_err boot_info_string(struct boot_info *bi, paddr_t addr, const char *what, const char **out,
                                struct diag *d)
{
    if (addr == 0)
        return boot_info_strdup(bi, "", 0, what, out, d);
    /* Read byte by byte through phys_ptr so a string that runs off the end
     * of addressable memory is an error rather than a fault. */
    size_t n = 0;
    for (;; n++) {
        if (n >= BOOT_CMDLINE_MAX)
            return diag_set(d, E_CMDLINE_TOO_LONG, "%s at 0x%llx is not terminated within %u bytes", what,
                            (unsigned long long)addr, BOOT_CMDLINE_MAX);
        const char *c = phys_ptr(addr + n, 1);
        if (!c)
            return diag_set(d, E_MBI_MALFORMED, "%s at 0x%llx runs outside addressable memory", what,
                            (unsigned long long)addr);
        if (*c == '\0')
            break;
    }
    return boot_info_strdup(bi, phys_ptr(addr, n + 1), n, what, out, d);
}

enum rensa_err boot_info_parse(uint32_t magic, paddr_t info, struct boot_info *bi, struct diag *d)
{
    memset(bi, 0, sizeof(*bi));
    bi->cmdline = "";
    bi->loader_name = "";
    enum rensa_err e;
    if (magic == MB1_BOOTLOADER_MAGIC)
        e = mb1_parse(info, bi, d);
    else if (magic == MB2_BOOTLOADER_MAGIC)
        e = mb2_parse(info, bi, d);
    else
        return diag_set(d, E_MBI_MAGIC, "EAX is 0x%08x, not 0x%08x (Multiboot1) or 0x%08x (Multiboot2)", magic,
                        MB1_BOOTLOADER_MAGIC, MB2_BOOTLOADER_MAGIC);
    if (e)
        return e;
    if (bi->mmap.n == 0)
        return diag_set(d, E_MBI_NO_MEMMAP, "the Multiboot%u information has no memory map", bi->mb_version);
    memmap_normalize(&bi->mmap);
    return E_OK;
}
