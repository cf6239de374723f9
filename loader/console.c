/* Console targets: 16550 serial, VGA text at the legacy text buffer, and
 * the in-memory log ring. */
#include <stdarg.h>
#include "console.h"
#include "fmt.h"
#include "io.h"
#include "platform.h"
#include "rstring.h"

#define UART_THR 0
#define UART_DLL 0
#define UART_IER 1
#define UART_DLM 1
#define UART_FCR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define UART_LSR_THRE 0x20
#define UART_TX_TIMEOUT_MS 50

#define VGA_TEXT_BASE 0xb8000u /* architectural VGA text buffer, not memory Rensa owns */
#define VGA_COLS 80
#define VGA_ROWS 25

static struct console *active;

static void serial_init(struct console *c, uint32_t baud)
{
    uint16_t div = (uint16_t)(115200u / baud);
    outb(c->port + UART_IER, 0x00);
    outb(c->port + UART_LCR, 0x80);
    outb(c->port + UART_DLL, (uint8_t)(div & 0xff));
    outb(c->port + UART_DLM, (uint8_t)(div >> 8));
    outb(c->port + UART_LCR, 0x03); /* 8n1 */
    outb(c->port + UART_FCR, 0xc7);
    outb(c->port + UART_MCR, 0x03);
    /* No UART there reads as 0xff. */
    c->serial_dead = inb(c->port + UART_LSR) == 0xff;
}

static void serial_putc(struct console *c, char ch)
{
    uint64_t deadline = clock_deadline(c->clock, UART_TX_TIMEOUT_MS);
    while (!(inb(c->port + UART_LSR) & UART_LSR_THRE)) {
        if (clock_expired(deadline)) {
            c->serial_dead = true; /* stop waiting on a UART that never drains */
            return;
        }
        cpu_relax();
    }
    outb(c->port + UART_THR, (uint8_t)ch);
}

static void vga_putc(struct console *c, char ch)
{
    volatile uint16_t *vga = (volatile uint16_t *)(uintptr_t)VGA_TEXT_BASE;
    if (ch == '\n') {
        c->col = 0;
        c->row++;
    } else if (ch != '\r') {
        vga[c->row * VGA_COLS + c->col] = (uint16_t)(0x0700 | (uint8_t)ch);
        if (++c->col == VGA_COLS) {
            c->col = 0;
            c->row++;
        }
    }
    if (c->row == VGA_ROWS) {
        for (unsigned i = 0; i < (VGA_ROWS - 1) * VGA_COLS; i++)
            vga[i] = vga[i + VGA_COLS];
        for (unsigned i = 0; i < VGA_COLS; i++)
            vga[(VGA_ROWS - 1) * VGA_COLS + i] = 0x0720;
        c->row = VGA_ROWS - 1;
    }
}

static void ring_putc(struct log_ring *r, char ch)
{
    r->data[r->written % LOG_RING_DATA] = ch;
    r->written++;
}

void console_init(struct console *c, const struct options *o, struct log_ring *ring, const struct clock *clk)
{
    bool had_ring = c->ring != NULL;
    c->clock = clk;
    c->level = o->loglevel;
    c->serial = o->serial;
    c->port = o->serial_port;
    if (c->serial)
        serial_init(c, o->serial_baud);
    if (o->vga && !c->vga) {
        volatile uint16_t *vga = (volatile uint16_t *)(uintptr_t)VGA_TEXT_BASE;
        for (unsigned i = 0; i < VGA_COLS * VGA_ROWS; i++)
            vga[i] = 0x0720;
        c->row = c->col = 0;
    }
    c->vga = o->vga;
    if (!had_ring) {
        memcpy(ring->magic, LOG_RING_MAGIC, 8);
        ring->version = 1;
        ring->size = LOG_RING_DATA;
        ring->written = 0;
        ring->reserved = 0;
        c->ring = ring;
    }
    active = c;
}

void console_write(const char *s, size_t n)
{
    struct console *c = active;
    if (!c)
        return;
    for (size_t i = 0; i < n; i++) {
        if (c->serial && !c->serial_dead) {
            if (s[i] == '\n')
                serial_putc(c, '\r');
            serial_putc(c, s[i]);
        }
        if (c->vga)
            vga_putc(c, s[i]);
        if (c->ring)
            ring_putc(c->ring, s[i]);
    }
}

void log_msg(enum log_level level, const char *fmt, ...)
{
    static const char *const prefix[] = {"rensa: error: ", "rensa: warning: ", "rensa: ", "rensa: debug: "};
    if (active && level > active->level)
        return;
    char buf[320];
    size_t p = (size_t)fmt_snprintf(buf, sizeof(buf), "%s", prefix[level]);
    va_list ap;
    va_start(ap, fmt);
    int n = fmt_vsnprintf(buf + p, sizeof(buf) - p - 1, fmt, ap);
    va_end(ap);
    size_t len = p + (size_t)n;
    if (len > sizeof(buf) - 2)
        len = sizeof(buf) - 2;
    buf[len++] = '\n';
    console_write(buf, len);
}
