/* weft-probe's command line: what to watch, how often to drain, what to print. */
#ifndef WEFT_OPTIONS_H
#define WEFT_OPTIONS_H
#include <linux/types.h>
#include <stdbool.h>

#include "links.h"
#include "output.h"

#define MAX_NAMES 256

struct probe_options {
	const char *names[MAX_NAMES];
	int n_names;
	const char *prefixes[MAX_NAMES];
	int n_prefixes;
	int interval_ms;
	int dns_timeout_ms;
	__u32 flow_map, drop_map, dns_map, tcp_map;
	enum out_format format;
	enum tc_mode tc_mode;
	bool check, layout, verbose;
	__u32 bench_tc;
	bool drain_by_key;
	bool tc_noop;
	bool parse_dns;
};

extern struct probe_options opt;

/* Fills opt from argv; a bad or unknown flag ends the process with a message that names it. */
void options_parse(int argc, char **argv);

#endif
