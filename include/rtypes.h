/* Basic types shared by the loader (freestanding) and the host build. */
#ifndef RENSA_RTYPES_H
#define RENSA_RTYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define ALIGN_UP(x, a) ((((uint64_t)(x)) + ((uint64_t)(a) - 1)) & ~((uint64_t)(a) - 1))
#define ALIGN_DOWN(x, a) (((uint64_t)(x)) & ~((uint64_t)(a) - 1))
#define PACKED __attribute__((packed))
#define NORETURN __attribute__((noreturn))
/* Explanatory sentences that only the host tool prints (`rensa acm`,
 * `rensa errors`, docs): the loader prints names and its own diagnostics,
 * and leaves the sentences out of its image. */
#ifdef RENSA_HOST
#define HOST_TEXT(s) s
#define HOST_MORE(s) s /* advice appended to a message the loader prints too */
#else
#define HOST_TEXT(s) "(see docs/)"
#define HOST_MORE(s) ""
#endif

/* The loader passes arguments in registers (-mregparm=3); functions that
 * assembly calls, or that are written in assembly, take them on the stack. */
#if defined(__i386__) && !defined(RENSA_HOST)
#define ASM_CALL __attribute__((regparm(0)))
#else
#define ASM_CALL
#endif
#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))

#define KiB(x) ((uint64_t)(x) << 10)
#define MiB(x) ((uint64_t)(x) << 20)
#define GiB(x) ((uint64_t)(x) << 30)

/* A physical address or size. Always 64-bit so maps above 4 GiB are exact. */
typedef uint64_t paddr_t;

#endif
