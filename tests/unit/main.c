/* Unit-test runner: runs every TEST() linked in, or those whose names
 * contain argv[1]. Ends with "N passed, N failed". */
#include <stdio.h>
#include <string.h>
#include "sim.h"
#include "unit.h"

static struct unit_test *head, **tail = &head;
int unit_failures;

void unit_register(struct unit_test *t)
{
    *tail = t;
    tail = &t->next;
}

int main(int argc, char **argv)
{
    int passed = 0, failed = 0;
    for (struct unit_test *t = head; t; t = t->next) {
        if (argc > 1 && !strstr(t->name, argv[1]))
            continue;
        unit_failures = 0;
        t->fn();
        sim_reset();
        if (unit_failures) {
            printf("FAIL %s\n", t->name);
            failed++;
        } else {
            printf("PASS %s\n", t->name);
            passed++;
        }
    }
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
