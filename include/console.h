/* Console output: a 16550 serial port, VGA text mode, and an in-memory log
 * ring that the OS can read after hand-off (docs/boot-flow.md, "Finding
 * Rensa's log"). */
#ifndef RENSA_CONSOLE_H
#define RENSA_CONSOLE_H

#include "options.h"
#include "rtypes.h"
#include "timer.h"

#define LOG_RING_MAGIC "RENSALOG"
#define LOG_RING_DATA 32768u

/* The in-memory log, found by the OS through rensa.log=ADDR,SIZE on the
 * kernel command line (ADDR is this header; SIZE covers header + data).
 * 'written' counts every byte ever logged; the text is data[0 ..
 * min(written, size)), wrapping at 'size' once written > size. */
struct log_ring {
    char magic[8];
    uint32_t version; /* 1 */
    uint32_t size; /* bytes in data[] */
    uint32_t written;
    uint32_t reserved;
    char data[LOG_RING_DATA];
};
_Static_assert(sizeof(struct log_ring) == 24 + LOG_RING_DATA, "log ring header is 24 bytes");

struct console {
    bool serial;
    uint16_t port;
    bool serial_dead; /* the UART stopped accepting bytes: stop using it */
    bool vga;
    unsigned row, col;
    enum log_level level;
    struct log_ring *ring;
    const struct clock *clock;
};

/* Set up (or set up again, after the options are known) every target. */
void console_init(struct console *c, const struct options *o, struct log_ring *ring, const struct clock *clk);
/* The console all logging goes to; set once by console_init. */
void console_write(const char *s, size_t n);

void log_msg(enum log_level level, const char *fmt, ...) PRINTF_LIKE(2, 3);
#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)

#endif
