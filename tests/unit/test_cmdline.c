#include "options.h"
#include "unit.h"

static enum rensa_err parse(const char *s, struct options *o, struct diag *d)
{
    options_default(o);
    return options_parse(s, o, d);
}

TEST(cmdline_has_word_prefixes)
{
    CHECK(cmdline_has_word("maxcpus=4", "maxcpus="));
    CHECK(cmdline_has_word("ro maxcpus=1 quiet", "maxcpus="));
    CHECK(cmdline_has_word("ro nosmp", "nosmp"));
    CHECK(!cmdline_has_word("ro xmaxcpus=1", "maxcpus="));
    CHECK(!cmdline_has_word("ro maxcpus", "maxcpus="));
    CHECK(!cmdline_has_word("", "nosmp"));
    CHECK(!cmdline_has_word(NULL, "nosmp"));
    CHECK(cmdline_has_word("a  nr_cpus=2", "nr_cpus="));
}

TEST(cmdline_defaults_and_path)
{
    struct options o;
    struct diag d = {0};
    CHECK_EQ(parse("/boot/rensa.gz", &o, &d), E_OK);
    CHECK(o.serial && o.serial_port == 0x3f8 && o.serial_baud == 115200);
    CHECK(o.vga && o.loglevel == LOG_INFO && o.on_error == ACTION_HALT);
    CHECK_EQ(parse("", &o, &d), E_OK);
    CHECK_EQ(parse("   \t ", &o, &d), E_OK);
}

TEST(cmdline_all_options)
{
    struct options o;
    struct diag d = {0};
    CHECK_EQ(parse("/rensa.gz serial=0x2f8,9600 vga=off loglevel=debug on_error=reboot", &o, &d), E_OK);
    CHECK(o.serial && o.serial_port == 0x2f8 && o.serial_baud == 9600);
    CHECK(!o.vga && o.loglevel == LOG_DEBUG && o.on_error == ACTION_REBOOT);
    CHECK_EQ(parse("serial=off", &o, &d), E_OK);
    CHECK(!o.serial);
    CHECK_EQ(parse("serial=1016", &o, &d), E_OK);
    CHECK_EQ(o.serial_port, 1016);
}

TEST(cmdline_rejects_unknown_and_prefixes)
{
    struct options o;
    struct diag d = {0};
    CHECK_EQ(parse("/rensa.gz bogus_option=1", &o, &d), E_CMDLINE_UNKNOWN);
    CHECK(strstr(d.msg, "bogus_option=1") != NULL);
    /* Names are matched exactly: no prefixes, no extensions. */
    CHECK_EQ(parse("log=debug", &o, &d), E_CMDLINE_UNKNOWN);
    CHECK_EQ(parse("loglevelx=debug", &o, &d), E_CMDLINE_UNKNOWN);
    CHECK_EQ(parse("vga", &o, &d), E_CMDLINE_VALUE);
    /* A path-like first word is skipped only when first. */
    CHECK_EQ(parse("vga=on /rensa.gz", &o, &d), E_CMDLINE_UNKNOWN);
}

TEST(cmdline_rejects_bad_values)
{
    struct options o;
    struct diag d = {0};
    CHECK_EQ(parse("vga=maybe", &o, &d), E_CMDLINE_VALUE);
    CHECK(strstr(d.msg, "vga") && strstr(d.msg, "maybe"));
    CHECK_EQ(parse("loglevel=", &o, &d), E_CMDLINE_VALUE);
    CHECK_EQ(parse("on_error=continue", &o, &d), E_CMDLINE_VALUE);
    CHECK_EQ(parse("serial=0x3f8,115201", &o, &d), E_CMDLINE_VALUE);
    CHECK_EQ(parse("serial=0x3f8,7", &o, &d), E_CMDLINE_VALUE);
    CHECK_EQ(parse("serial=0x3f8,0", &o, &d), E_CMDLINE_VALUE);
    CHECK_EQ(parse("serial=com1", &o, &d), E_CMDLINE_VALUE);
    CHECK_EQ(parse("serial=0x10000", &o, &d), E_CMDLINE_VALUE);
    CHECK_EQ(parse("serial=,115200", &o, &d), E_CMDLINE_VALUE);
}

TEST(cmdline_measurement_policy_options)
{
    struct options o;
    struct diag d = {0};
    CHECK_EQ(parse("", &o, &d), E_OK);
    CHECK(o.pcr_map == PCR_MAP_LEGACY && !o.drtm_required && !o.tpm_required);
    CHECK_EQ(parse("pcr_map=da drtm=required tpm=required", &o, &d), E_OK);
    CHECK(o.pcr_map == PCR_MAP_DA && o.drtm_required && o.tpm_required);
    CHECK_EQ(parse("pcr_map=details", &o, &d), E_CMDLINE_VALUE);
    CHECK_EQ(parse("drtm=yes", &o, &d), E_CMDLINE_VALUE);
    CHECK(strstr(d.msg, "drtm") != NULL);
    CHECK_EQ(parse("tpm=no", &o, &d), E_CMDLINE_VALUE);
    CHECK(strstr(d.msg, "'tpm'") != NULL);
    CHECK_EQ(parse("tpm", &o, &d), E_CMDLINE_VALUE);
}
