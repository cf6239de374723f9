/* The stand-in SINIT (tests/launch/standin/, docs/emulated-launch.md):
 * constants shared by its C and assembly parts and by whoever inspects the
 * module. Test build only: nothing here may reach a release image. */
#ifndef RENSA_STANDIN_H
#define RENSA_STANDIN_H

/* AC module header module_vendor of the stand-in ("ANSR" read as a
 * little-endian dword: 0x52534E41). The release loader accepts only
 * Intel's 0x8086; the test build also accepts this one. */
#define STANDIN_VENDOR 0x52534E41u

/* Offset (from the module start) at which the program is linked: the AC
 * module header, scratch area, information table, lists and header GDT
 * fit below it (tests/launch/standin/mkacm.py). */
#define STANDIN_LINK_BASE 0x800u

/* The fault word: these 8 bytes followed by a 32-bit little-endian value
 * (0 normally). A test patches the value in the module file; a non-zero
 * value is reported as TXT.ERRORCODE at step 5. */
#define STANDIN_FAULT_MARKER "RNSAFAIL"

/* Selectors of the GDT the stand-in loads before entering the MLE. */
#define STANDIN_CS 0x08
#define STANDIN_DS 0x10

#endif
