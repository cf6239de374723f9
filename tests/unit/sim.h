/* Simulated physical memory for host tests: phys_ptr() resolves addresses
 * inside regions created with sim_map(); everything else is unaddressable,
 * so a parser that follows a bad pointer gets NULL, and ASan catches any
 * read past a region. */
#ifndef RENSA_SIM_H
#define RENSA_SIM_H

#include "rtypes.h"

/* Create (zeroed) simulated memory at [base, base+len). Returns its host pointer. */
void *sim_map(paddr_t base, uint64_t len);
/* Remove every region. */
void sim_reset(void);
/* Host pointer for a simulated physical address (aborts the test if unmapped). */
void *sim_at(paddr_t addr);

/* Simulated microseconds; advanced by every clock_expired() poll. */
extern uint64_t sim_time_us;

#endif
