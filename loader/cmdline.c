/* Rensa command-line parsing (see include/options.h and README.md). */
#include "options.h"
#include "rstring.h"

const struct option_desc rensa_option_list[] = {
    {"serial", "PORT[,BAUD] | off", "0x3f8,115200",
     HOST_TEXT("16550 serial console: I/O port and baud rate, or off")},
    {"vga", "on | off", "on", HOST_TEXT("VGA text console (off when the boot loader set a graphics mode)")},
    {"loglevel", "error | warn | info | debug", "info", HOST_TEXT("messages of this level and more severe are shown")},
    {"on_error", "halt | reboot", "halt", HOST_TEXT("launch-policy action for a fatal error")},
    {"pcr_map", "legacy | da", "legacy",
     HOST_TEXT("where measurements go: legacy (17 policy, 18 kernel, 19 modules) or da (17 code, 18 policy)")},
    {"drtm", "optional | required", "optional", HOST_TEXT("required: halt when there is no dynamic root of trust")},
    {"tpm", "optional | required", "optional", HOST_TEXT("required: halt when there is no TPM (a failing TPM always halts)")},
};
const unsigned rensa_option_count = ARRAY_SIZE(rensa_option_list);

void options_default(struct options *o)
{
    o->serial = true;
    o->serial_port = 0x3f8;
    o->serial_baud = 115200;
    o->vga = true;
    o->loglevel = LOG_INFO;
    o->on_error = ACTION_HALT;
    o->pcr_map = PCR_MAP_LEGACY;
    o->drtm_required = false;
    o->tpm_required = false;
}

const char *pcr_map_name(enum pcr_map m)
{
    return m == PCR_MAP_DA ? "da" : "legacy";
}

const char *action_name(enum policy_action a)
{
    return a == ACTION_REBOOT ? "reboot" : "halt";
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static enum rensa_err bad_value(struct diag *d, const char *name, const char *v, size_t vn)
{
    return diag_set(d, E_CMDLINE_VALUE, "option '%s' does not accept the value '%.*s'", name, (int)vn, v);
}

static enum rensa_err parse_serial(struct options *o, const char *v, size_t vn, struct diag *d)
{
    if (r_streq_n(v, vn, "off")) {
        o->serial = false;
        return E_OK;
    }
    size_t comma = 0;
    while (comma < vn && v[comma] != ',')
        comma++;
    uint64_t port, baud = o->serial_baud;
    if (!r_parse_u64(v, comma, &port) || port == 0 || port > 0xfff8)
        return bad_value(d, "serial", v, vn);
    if (comma < vn && (!r_parse_u64(v + comma + 1, vn - comma - 1, &baud) || baud == 0 || baud > 115200 ||
                       115200u % (uint32_t)baud != 0))
        return bad_value(d, "serial", v, vn);
    o->serial = true;
    o->serial_port = (uint16_t)port;
    o->serial_baud = (uint32_t)baud;
    return E_OK;
}

static enum rensa_err parse_one(struct options *o, const char *name, size_t nn, const char *v, size_t vn,
                                bool has_value, struct diag *d)
{
    if (r_streq_n(name, nn, "serial") && has_value)
        return parse_serial(o, v, vn, d);
    if (r_streq_n(name, nn, "vga") && has_value) {
        if (r_streq_n(v, vn, "on"))
            o->vga = true;
        else if (r_streq_n(v, vn, "off"))
            o->vga = false;
        else
            return bad_value(d, "vga", v, vn);
        return E_OK;
    }
    if (r_streq_n(name, nn, "loglevel") && has_value) {
        static const char *const levels[] = {"error", "warn", "info", "debug"};
        for (unsigned i = 0; i < ARRAY_SIZE(levels); i++) {
            if (r_streq_n(v, vn, levels[i])) {
                o->loglevel = (enum log_level)i;
                return E_OK;
            }
        }
        return bad_value(d, "loglevel", v, vn);
    }
    if (r_streq_n(name, nn, "on_error") && has_value) {
        if (r_streq_n(v, vn, "halt"))
            o->on_error = ACTION_HALT;
        else if (r_streq_n(v, vn, "reboot"))
            o->on_error = ACTION_REBOOT;
        else
            return bad_value(d, "on_error", v, vn);
        return E_OK;
    }
    if (r_streq_n(name, nn, "pcr_map") && has_value) {
        if (r_streq_n(v, vn, "legacy"))
            o->pcr_map = PCR_MAP_LEGACY;
        else if (r_streq_n(v, vn, "da"))
            o->pcr_map = PCR_MAP_DA;
        else
            return bad_value(d, "pcr_map", v, vn);
        return E_OK;
    }
    if ((r_streq_n(name, nn, "drtm") || r_streq_n(name, nn, "tpm")) && has_value) {
        bool *req = name[0] == 'd' ? &o->drtm_required : &o->tpm_required;
        if (r_streq_n(v, vn, "optional"))
            *req = false;
        else if (r_streq_n(v, vn, "required"))
            *req = true;
        else
            return bad_value(d, name[0] == 'd' ? "drtm" : "tpm", v, vn);
        return E_OK;
    }
#ifdef RENSA_EMULATED_LAUNCH
    /* Test build only (docs/emulated-launch.md); the release rejects them. */
    if (r_streq_n(name, nn, "emu_heap") && has_value) {
        if (!r_parse_u64(v, vn, &o->emu_heap) || o->emu_heap < 64 || o->emu_heap > MiB(64))
            return bad_value(d, "emu_heap", v, vn);
        return E_OK;
    }
    if (r_streq_n(name, nn, "emu_fault") && has_value) {
        if (r_streq_n(v, vn, "pt"))
            o->emu_fault_pt = true;
        else if (r_streq_n(v, vn, "join"))
            o->emu_fault_join = true;
        else if (r_streq_n(v, vn, "dmar"))
            o->emu_fault_dmar = true;
        else if (r_streq_n(v, vn, "s3"))
            o->emu_fault_s3 = true;
        else
            return bad_value(d, "emu_fault", v, vn);
        return E_OK;
    }
#endif
    for (unsigned i = 0; i < rensa_option_count; i++)
        if (r_streq_n(name, nn, rensa_option_list[i].name))
            return diag_set(d, E_CMDLINE_VALUE, "option '%.*s' needs a value (%s)", (int)nn, name,
                            rensa_option_list[i].values);
    return diag_set(d, E_CMDLINE_UNKNOWN, "unknown option '%.*s' (see the README for the option list)",
                    (int)(has_value ? nn + 1 + vn : nn), name);
}

enum rensa_err options_parse(const char *cmdline, struct options *o, struct diag *d)
{
    const char *p = cmdline;
    bool first = true;
    while (*p) {
        while (is_space(*p))
            p++;
        if (!*p)
            break;
        const char *w = p;
        while (*p && !is_space(*p))
            p++;
        size_t wn = (size_t)(p - w);
        size_t eq = 0;
        while (eq < wn && w[eq] != '=')
            eq++;
        bool has_value = eq < wn;
        if (first) {
            first = false;
            bool slash = false;
            for (size_t i = 0; i < wn; i++)
                slash |= w[i] == '/';
            if (slash && !has_value)
                continue; /* the image path */
        }
        enum rensa_err e = parse_one(o, w, eq, w + eq + 1, has_value ? wn - eq - 1 : 0, has_value, d);
        if (e)
            return e;
    }
    return E_OK;
}

bool cmdline_has_word(const char *s, const char *w)
{
    for (const char *p = s; p && *p; p++) {
        size_t i = 0;
        if (p != s && p[-1] != ' ')
            continue;
        while (w[i] && p[i] == w[i])
            i++;
        if (!w[i])
            return true;
    }
    return false;
}
