/* Bounded big-endian marshalling for TPM commands and responses. */
#include "marshal.h"
#include "rstring.h"

void mw_init(struct mwriter *w, uint8_t *buf, size_t cap)
{
    w->buf = buf;
    w->cap = cap;
    w->len = 0;
    w->err = false;
}

static bool mw_room(struct mwriter *w, size_t n)
{
    if (w->err || n > w->cap - w->len) {
        w->err = true;
        return false;
    }
    return true;
}

void mw_u8(struct mwriter *w, uint8_t v)
{
    if (mw_room(w, 1))
        w->buf[w->len++] = v;
}

void mw_u16(struct mwriter *w, uint16_t v)
{
    if (mw_room(w, 2)) {
        be16_put(w->buf + w->len, v);
        w->len += 2;
    }
}

void mw_u32(struct mwriter *w, uint32_t v)
{
    if (mw_room(w, 4)) {
        be32_put(w->buf + w->len, v);
        w->len += 4;
    }
}

void mw_bytes(struct mwriter *w, const void *p, size_t n)
{
    if (n && mw_room(w, n)) {
        memcpy(w->buf + w->len, p, n);
        w->len += n;
    }
}

void mw_patch_u32(struct mwriter *w, size_t at, uint32_t v)
{
    if (w->err || at > w->len || w->len - at < 4) {
        w->err = true;
        return;
    }
    be32_put(w->buf + at, v);
}

void mr_init(struct mreader *r, const uint8_t *buf, size_t len)
{
    r->buf = buf;
    r->len = len;
    r->pos = 0;
    r->err = false;
}

static bool mr_room(struct mreader *r, size_t n)
{
    if (r->err || n > r->len - r->pos) {
        r->err = true;
        return false;
    }
    return true;
}

uint8_t mr_u8(struct mreader *r)
{
    if (!mr_room(r, 1))
        return 0;
    return r->buf[r->pos++];
}

uint16_t mr_u16(struct mreader *r)
{
    if (!mr_room(r, 2))
        return 0;
    uint16_t v = be16_get(r->buf + r->pos);
    r->pos += 2;
    return v;
}

uint32_t mr_u32(struct mreader *r)
{
    if (!mr_room(r, 4))
        return 0;
    uint32_t v = be32_get(r->buf + r->pos);
    r->pos += 4;
    return v;
}

void mr_bytes(struct mreader *r, void *out, size_t n)
{
    if (!mr_room(r, n))
        return;
    if (out && n)
        memcpy(out, r->buf + r->pos, n);
    r->pos += n;
}

size_t mr_left(const struct mreader *r)
{
    return r->err ? 0 : r->len - r->pos;
}

void mw_command_begin(struct mwriter *w, uint8_t *buf, size_t cap, uint16_t tag, uint32_t code)
{
    mw_init(w, buf, cap);
    mw_u16(w, tag);
    mw_u32(w, 0);
    mw_u32(w, code);
}

size_t mw_command_end(struct mwriter *w)
{
    mw_patch_u32(w, 2, (uint32_t)w->len);
    return w->err ? 0 : w->len;
}
