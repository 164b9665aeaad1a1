/* The probe's BPF units (flow, drop, tcp skeletons), the hooks they attach and why one failed. */
#ifndef WEFT_UNITS_H
#define WEFT_UNITS_H
#include <stdbool.h>

#include "dns.h"
#include "drop.h"
#include "flow.h"
#include "tcp.h"

#include "drop.skel.h"
#include "flow.skel.h"
#include "tcp.skel.h"

enum hook { H_TC, H_KFREE_SKB, H_SET_STATE, H_TCP_PROBE, H_RETRANSMIT, H_COUNT };
extern const char *hook_names[H_COUNT];
extern bool hook_ok[H_COUNT];
/* one line per hook that did not load or attach, naming the step and libbpf's reason */
extern char hook_err[H_COUNT][1024];

/* NULL when the unit did not load (its hooks say why) */
extern struct flow_bpf *flow;
extern struct drop_bpf *drop;
extern struct tcp_bpf *tcp;

/* Opens and loads every unit, sized from the options; attaches the tracepoints too when `attach`
 * (the tc programs are attached per link, by links.c). A failing unit leaves the others working. */
void load_units(bool attach);
void unload_units(void);

#endif
