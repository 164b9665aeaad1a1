/* `weft-probe --check`: loads every unit, attaches nothing, and reports each hook as JSON. */
#ifndef WEFT_CHECK_H
#define WEFT_CHECK_H

/* The process's exit code: 0 when every hook loads, 2 otherwise. */
int run_check(void);

#endif
