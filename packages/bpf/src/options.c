#include "options.h"

#include <getopt.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diagnostics.h"

struct probe_options opt = {
	.interval_ms = 1000, .dns_timeout_ms = 5000,
	.flow_map = 65536, .drop_map = 16384, .dns_map = 16384, .tcp_map = 16384,
};

static void usage(FILE *f)
{
	fputs("Usage: weft-probe [options]\n"
	      "Observe pod traffic from the host side of each pod's veth; write records to stdout.\n\n"
	      "  --iface NAME           attach tc to this link (repeatable); directions are relative to what\n"
	      "                         is behind the link (the pod, for a pod's host-side veth)\n"
	      "  --iface-prefix PREFIX  attach to every current and future link whose name starts with PREFIX\n"
	      "                         (repeatable; links that vanish are forgotten)\n"
	      "  --interval MS          drain flow/drop/RTT maps every MS milliseconds, at multiples of MS on the\n"
	      "                         wall clock (default 1000)\n"
	      "  --format binary|json   binary length-prefixed records (default) or NDJSON\n"
	      "  --flow-map-size N      flow map entries per interval (default 65536; overflow is counted)\n"
	      "  --drop-map-size N      drop map entries (default 16384)\n"
	      "  --dns-map-size N       pending DNS queries (default 16384)\n"
	      "  --tcp-map-size N       TCP RTT/retransmit entries and pending connects (default 16384)\n"
	      "  --dns-timeout MS       report a query unanswered after MS as rcode TIMEOUT (default 5000)\n"
	      "  --tc-mode auto|tcx|clsact  how to attach tc programs (auto: tcx where the kernel has it)\n"
	      "  --drain-by-key         drain maps key by key (chosen by itself on kernels without batch map ops)\n"
	      "  --check                report which hooks this kernel supports (JSON), attach nothing\n"
	      "  --layout               print the binary record layout (JSON) and exit\n"
	      "  --verbose              print libbpf's log\n"
	      "  --bench-tc N           run the tc program N times on sample packets (BPF_PROG_TEST_RUN),\n"
	      "                         print the kernel's ns per run as JSON, attach nothing\n"
	      "  --tc-noop              attach a tc program that does nothing (benchmarks: the hook's own cost)\n"
	      "  --parse-dns            read DNS messages as hex lines on stdin, print the addresses each answers\n"
	      "                         (JSON lines; the answer parser's test mode), attach nothing\n"
	      "  --help                 this text\n\n"
	      "Records: hello, flow, drop, tcp, tcp_stats, dns, stats, link (see packages/protocol probeRecord.ts).\n"
	      "SIGINT/SIGTERM remove every hook the probe attached. Needs root (or CAP_BPF, CAP_PERFMON,\n"
	      "CAP_NET_ADMIN) and a kernel with BTF (/sys/kernel/btf/vmlinux).\n",
	      f);
}

static __u32 parse_u32(const char *flag, const char *s, __u32 min, __u32 max)
{
	char *end;
	unsigned long v = strtoul(s, &end, 10);

	if (!*s || *end || v < min || v > max)
		die("invalid %s '%s': expected an integer from %u to %u", flag, s, min, max);
	return v;
}

void options_parse(int argc, char **argv)
{
	enum { O_IFACE = 256, O_PREFIX, O_INTERVAL, O_FORMAT, O_FLOW, O_DROP, O_DNS, O_TCP, O_DNS_TIMEOUT,
	       O_TC_MODE, O_CHECK, O_LAYOUT, O_VERBOSE, O_HELP, O_BENCH_TC, O_DRAIN_BY_KEY, O_TC_NOOP, O_PARSE_DNS };
	static const struct option longopts[] = {
		{ "iface", required_argument, 0, O_IFACE },
		{ "iface-prefix", required_argument, 0, O_PREFIX },
		{ "interval", required_argument, 0, O_INTERVAL },
		{ "format", required_argument, 0, O_FORMAT },
		{ "flow-map-size", required_argument, 0, O_FLOW },
		{ "drop-map-size", required_argument, 0, O_DROP },
		{ "dns-map-size", required_argument, 0, O_DNS },
		{ "tcp-map-size", required_argument, 0, O_TCP },
		{ "dns-timeout", required_argument, 0, O_DNS_TIMEOUT },
		{ "tc-mode", required_argument, 0, O_TC_MODE },
		{ "check", no_argument, 0, O_CHECK },
		{ "layout", no_argument, 0, O_LAYOUT },
		{ "verbose", no_argument, 0, O_VERBOSE },
		{ "help", no_argument, 0, O_HELP },
		{ "bench-tc", required_argument, 0, O_BENCH_TC },
		{ "drain-by-key", no_argument, 0, O_DRAIN_BY_KEY },
		{ "tc-noop", no_argument, 0, O_TC_NOOP },
		{ "parse-dns", no_argument, 0, O_PARSE_DNS },
		{ 0 },
	};
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case O_IFACE:
			if (strlen(optarg) == 0 || strlen(optarg) >= IF_NAMESIZE)
				die("invalid --iface '%s': link names are 1 to %d characters", optarg, IF_NAMESIZE - 1);
			if (opt.n_names == MAX_NAMES)
				die("too many --iface flags (at most %d): use --iface-prefix", MAX_NAMES);
			opt.names[opt.n_names++] = optarg;
			break;
		case O_PREFIX:
			if (strlen(optarg) == 0 || strlen(optarg) >= IF_NAMESIZE)
				die("invalid --iface-prefix '%s': 1 to %d characters", optarg, IF_NAMESIZE - 1);
			if (opt.n_prefixes == MAX_NAMES)
				die("too many --iface-prefix flags (at most %d)", MAX_NAMES);
			opt.prefixes[opt.n_prefixes++] = optarg;
			break;
		case O_INTERVAL:
			opt.interval_ms = parse_u32("--interval", optarg, 10, 3600000);
			break;
		case O_FORMAT:
			if (strcmp(optarg, "json") == 0)
				opt.format = OUT_JSON;
			else if (strcmp(optarg, "binary") == 0)
				opt.format = OUT_BINARY;
			else
				die("invalid --format '%s': expected binary or json", optarg);
			break;
		case O_FLOW:
			opt.flow_map = parse_u32("--flow-map-size", optarg, 16, 1 << 24);
			break;
		case O_DROP:
			opt.drop_map = parse_u32("--drop-map-size", optarg, 16, 1 << 22);
			break;
		case O_DNS:
			opt.dns_map = parse_u32("--dns-map-size", optarg, 16, 1 << 22);
			break;
		case O_TCP:
			opt.tcp_map = parse_u32("--tcp-map-size", optarg, 16, 1 << 22);
			break;
		case O_DNS_TIMEOUT:
			opt.dns_timeout_ms = parse_u32("--dns-timeout", optarg, 10, 3600000);
			break;
		case O_TC_MODE:
			if (strcmp(optarg, "auto") == 0)
				opt.tc_mode = TC_MODE_AUTO;
			else if (strcmp(optarg, "tcx") == 0)
				opt.tc_mode = TC_MODE_TCX;
			else if (strcmp(optarg, "clsact") == 0)
				opt.tc_mode = TC_MODE_CLSACT;
			else
				die("invalid --tc-mode '%s': expected auto, tcx or clsact", optarg);
			break;
		case O_CHECK:
			opt.check = true;
			break;
		case O_LAYOUT:
			opt.layout = true;
			break;
		case O_VERBOSE:
			opt.verbose = true;
			break;
		case O_HELP:
			usage(stdout);
			exit(0);
		case O_TC_NOOP:
			opt.tc_noop = true;
			break;
		case O_PARSE_DNS:
			opt.parse_dns = true;
			break;
		case O_DRAIN_BY_KEY:
			opt.drain_by_key = true;
			break;
		case O_BENCH_TC:
			opt.bench_tc = parse_u32("--bench-tc", optarg, 1, 100000000);
			break;
		default:
			die("unknown or incomplete option '%s' (see weft-probe --help)", argv[optind - 1]);
		}
	}
	if (optind < argc)
		die("unexpected argument '%s' (see weft-probe --help)", argv[optind]);
}
