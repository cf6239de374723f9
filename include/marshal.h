/* Bounded big-endian writer and reader for TPM command and response
 * buffers. Every operation checks the room left; the first failure sets
 * 'err' and every later operation does nothing, so a caller checks once at
 * the end. A reader never touches a byte at or past buf[len]. */
#ifndef RENSA_MARSHAL_H
#define RENSA_MARSHAL_H

#include "rtypes.h"

struct mwriter {
    uint8_t *buf;
    size_t cap; /* bytes available */
    size_t len; /* bytes written */
    bool err; /* a write did not fit */
};

struct mreader {
    const uint8_t *buf;
    size_t len; /* bytes that may be read */
    size_t pos; /* next byte */
    bool err; /* a read went past len */
};

void mw_init(struct mwriter *w, uint8_t *buf, size_t cap);
void mw_u8(struct mwriter *w, uint8_t v);
void mw_u16(struct mwriter *w, uint16_t v);
void mw_u32(struct mwriter *w, uint32_t v);
void mw_bytes(struct mwriter *w, const void *p, size_t n);
/* Overwrite a big-endian u32 already written at 'at' (e.g. a size field). */
void mw_patch_u32(struct mwriter *w, size_t at, uint32_t v);

/* A TPM command header — tag, size (patched by mw_command_end), ordinal or
 * command code — the same 10-byte layout in TPM 1.2 and TPM 2.0. */
void mw_command_begin(struct mwriter *w, uint8_t *buf, size_t cap, uint16_t tag, uint32_t code);
/* Patches the size field; returns the command's length, 0 if it did not fit. */
size_t mw_command_end(struct mwriter *w);

void mr_init(struct mreader *r, const uint8_t *buf, size_t len);
uint8_t mr_u8(struct mreader *r);
uint16_t mr_u16(struct mreader *r);
uint32_t mr_u32(struct mreader *r);
/* Copy n bytes to out (out may be NULL to skip them). */
void mr_bytes(struct mreader *r, void *out, size_t n);
size_t mr_left(const struct mreader *r);

/* Big-endian helpers over plain byte arrays (the caller checks bounds). */
static inline uint16_t be16_get(const uint8_t *p)
{
    return (uint16_t)((p[0] << 8) | p[1]);
}
static inline uint32_t be32_get(const uint8_t *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}
static inline void be16_put(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}
static inline void be32_put(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

#endif
