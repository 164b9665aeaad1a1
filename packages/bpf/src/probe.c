#define _GNU_SOURCE
/*
 * weft-probe: loads the flow (tc), drop (kfree_skb) and tcp (inet_sock_set_state, tcp_probe,
 * tcp_retransmit_skb) units, attaches tc to the watched links, and writes records to stdout.
 */
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <linux/capability.h>
#include <net/if.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "dns.h"
#include "drop.h"
#include "flow.h"
#include "tcp.h"

#include "drop.skel.h"
#include "flow.skel.h"
#include "links.h"
#include "output.h"
#include "reasons.h"
#include "records.h"
#include "tcp.skel.h"

#define BPF_FS_MAGIC_NUM 0xcafe4a11
#define MAX_NAMES 256
#define BATCH 1024

enum hook { H_TC, H_KFREE_SKB, H_SET_STATE, H_TCP_PROBE, H_RETRANSMIT, H_COUNT };
static const char *hook_names[H_COUNT] = { "tc", "kfree_skb", "inet_sock_set_state", "tcp_probe",
					   "tcp_retransmit_skb" };

static struct {
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
} opt = {
	.interval_ms = 1000, .dns_timeout_ms = 5000,
	.flow_map = 65536, .drop_map = 16384, .dns_map = 16384, .tcp_map = 16384,
};

static char last_libbpf[512];

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (opt.verbose)
		return vfprintf(stderr, fmt, ap);
	if (level == LIBBPF_WARN) {
		vsnprintf(last_libbpf, sizeof(last_libbpf), fmt, ap);
		size_t n = strlen(last_libbpf);

		while (n && last_libbpf[n - 1] == '\n')
			last_libbpf[--n] = 0;
	}
	return 0;
}

static void die(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
static void die(const char *fmt, ...)
{
	va_list ap;

	fputs("weft-probe: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

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

static void parse_args(int argc, char **argv)
{
	enum { O_IFACE = 256, O_PREFIX, O_INTERVAL, O_FORMAT, O_FLOW, O_DROP, O_DNS, O_TCP, O_DNS_TIMEOUT,
	       O_TC_MODE, O_CHECK, O_LAYOUT, O_VERBOSE, O_HELP, O_BENCH_TC, O_DRAIN_BY_KEY, O_TC_NOOP };
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

#define F(s, m) printf("%s\"%s\":%zu", first++ ? "," : "", #m, offsetof(struct s, m))
#define REC(name, s, ...)                                                                              \
	do {                                                                                           \
		int first = 0;                                                                         \
		printf("%s\"%s\":{", nrec++ ? "," : "", name);                                          \
		printf("\"size\":%zu,", sizeof(struct s));                                              \
		__VA_ARGS__;                                                                           \
		printf("}");                                                                           \
	} while (0)

static void print_layout(void)
{
	int nrec = 0;

	printf("{\"magic\":%u,\"version\":%d,", REC_MAGIC, REC_VERSION);
	printf("\"types\":{\"hello\":%d,\"flow\":%d,\"drop\":%d,\"tcp\":%d,\"tcp_stats\":%d,\"dns\":%d,"
	       "\"stats\":%d,\"link\":%d},",
	       REC_HELLO, REC_FLOW, REC_DROP, REC_TCP, REC_TCP_STATS, REC_DNS, REC_STATS, REC_LINK);
	printf("\"records\":{");
	REC("stream_header", rec_stream_header, F(rec_stream_header, magic); F(rec_stream_header, version);
	    F(rec_stream_header, hdr_size));
	REC("header", rec_hdr, F(rec_hdr, len); F(rec_hdr, type); F(rec_hdr, ts_ms));
	REC("hello", rec_hello, F(rec_hello, version); F(rec_hello, kernel); F(rec_hello, hooks));
	REC("flow", rec_flow, F(rec_flow, src); F(rec_flow, dst); F(rec_flow, sport); F(rec_flow, dport);
	    F(rec_flow, family); F(rec_flow, proto); F(rec_flow, dir); F(rec_flow, tcp_flags); F(rec_flow, ifname);
	    F(rec_flow, bytes); F(rec_flow, packets));
	REC("drop", rec_drop, F(rec_drop, src); F(rec_drop, dst); F(rec_drop, sport); F(rec_drop, dport);
	    F(rec_drop, family); F(rec_drop, proto); F(rec_drop, ifname); F(rec_drop, reason); F(rec_drop, packets);
	    F(rec_drop, bytes); F(rec_drop, netns));
	REC("tcp", rec_tcp, F(rec_tcp, src); F(rec_tcp, dst); F(rec_tcp, sport); F(rec_tcp, dport);
	    F(rec_tcp, family); F(rec_tcp, event); F(rec_tcp, cause); F(rec_tcp, latency_ns));
	REC("tcp_stats", rec_tcp_stats, F(rec_tcp_stats, src); F(rec_tcp_stats, dst); F(rec_tcp_stats, sport);
	    F(rec_tcp_stats, dport); F(rec_tcp_stats, family); F(rec_tcp_stats, srtt_us);
	    F(rec_tcp_stats, retransmits));
	REC("dns", rec_dns, F(rec_dns, client); F(rec_dns, server); F(rec_dns, cport); F(rec_dns, id);
	    F(rec_dns, family); F(rec_dns, answers); F(rec_dns, qtype); F(rec_dns, rcode); F(rec_dns, latency_ns);
	    F(rec_dns, qname));
	REC("stats", rec_stats, F(rec_stats, flow_overflow); F(rec_stats, ring_lost); F(rec_stats, links);
	    F(rec_stats, dns_mismatch));
	REC("link", rec_link, F(rec_link, ifindex); F(rec_link, event); F(rec_link, ifname); F(rec_link, message));
	printf("}}\n");
}

static bool has_caps(void)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[2] = {};

	if (syscall(SYS_capget, &h, d))
		return geteuid() == 0;
#define HAS(c) (d[(c) / 32].effective & (1u << ((c) % 32)))
	if (!HAS(CAP_NET_ADMIN))
		return false;
	return HAS(CAP_SYS_ADMIN) || (HAS(39 /* CAP_BPF */) && HAS(38 /* CAP_PERFMON */));
#undef HAS
}

static const char *not_root_msg =
	"not root: run as root or with CAP_BPF, CAP_PERFMON and CAP_NET_ADMIN (e.g. sudo weft-probe ...)";
static const char *no_btf_msg = "no BTF: /sys/kernel/btf/vmlinux is missing; use a kernel built with "
				"CONFIG_DEBUG_INFO_BTF=y";

/* Nothing is pinned, but other BPF tooling expects bpffs; mounting it is harmless when absent. */
static void ensure_bpffs(void)
{
	struct statfs st;

	if (statfs("/sys/fs/bpf", &st) == 0 && (unsigned long)st.f_type == BPF_FS_MAGIC_NUM)
		return;
	if (mount("bpf", "/sys/fs/bpf", "bpf", 0, "mode=0700") != 0)
		fprintf(stderr, "weft-probe: no bpffs at /sys/fs/bpf and cannot mount it (%s); continuing, the probe "
				"pins nothing. Fix for other BPF tools: mount -t bpf bpf /sys/fs/bpf\n",
			strerror(errno));
}

static struct flow_bpf *flow;
static struct drop_bpf *drop;
static struct tcp_bpf *tcp;
static bool hook_ok[H_COUNT];
static char hook_err[H_COUNT][1024];
static struct bpf_link *tp_links[8];
static int n_tp_links;
static ino_t own_netns;
static volatile sig_atomic_t stop_requested;
static int stop_pipe[2] = { -1, -1 };

/* No SA_RESTART: a write blocked on a full stdout returns EINTR so shutdown can proceed. */
static void on_stop_signal(int sig)
{
	int saved = errno;

	(void)sig;
	stop_requested = 1;
	if (stop_pipe[1] >= 0 && write(stop_pipe[1], "x", 1) < 0) {
		/* the pipe is full: a wakeup is already pending */
	}
	errno = saved;
}

static void note_fail(enum hook h, const char *what, int err)
{
	snprintf(hook_err[h], sizeof(hook_err[h]), "hook unsupported: %s %s (%s)%s%s", hook_names[h], what,
		 strerror(-err), last_libbpf[0] ? ": " : "", last_libbpf);
	last_libbpf[0] = 0;
}

static void fill_reason_skip(void)
{
	int err = reasons_load();

	if (err) {
		fprintf(stderr, "weft-probe: cannot read enum skb_drop_reason from BTF (%s); drops are reported by number\n",
			strerror(-err));
		return;
	}
	int fd = bpf_map__fd(drop->maps.reason_skip);

	for (__u32 r = 0; r <= reasons_max() && r < DROP_REASON_SKIP_MAX; r++) {
		__u8 v = reasons_routine(r);

		if (v)
			bpf_map_update_elem(fd, &r, &v, BPF_ANY);
	}
}

/* CONFIG_HZ from the kernel config, 0 where none is readable (common in containers). The loader
 * hands it to libbpf itself: libbpf refuses to load a program with a __kconfig extern when it
 * finds no config file, even a __weak one. */
static unsigned int kernel_hz(void)
{
	struct utsname u;
	char path[320], line[256];
	gzFile f = NULL;
	unsigned int hz = 0;

	if (uname(&u) == 0) {
		snprintf(path, sizeof(path), "/boot/config-%s", u.release);
		f = gzopen(path, "re");
	}
	if (!f)
		f = gzopen("/proc/config.gz", "re");
	if (!f)
		return 0;
	while (gzgets(f, line, sizeof(line)))
		if (sscanf(line, "CONFIG_HZ=%u", &hz) == 1)
			break;
	gzclose(f);
	return hz;
}

static void load_units(bool attach)
{
	int err;

	flow = flow_bpf__open();
	if (!flow) {
		note_fail(H_TC, "failed to open", -errno);
	} else {
		bpf_map__set_max_entries(flow->maps.flows, opt.flow_map);
		bpf_map__set_max_entries(flow->maps.dns_pending, opt.dns_map);
		err = flow_bpf__load(flow);
		if (err) {
			note_fail(H_TC, "failed to load", err);
			flow_bpf__destroy(flow);
			flow = NULL;
		} else {
			hook_ok[H_TC] = true;
		}
	}

	drop = drop_bpf__open();
	if (!drop) {
		note_fail(H_KFREE_SKB, "failed to open", -errno);
	} else {
		bpf_map__set_max_entries(drop->maps.drops, opt.drop_map);
		err = drop_bpf__load(drop);
		if (err) {
			note_fail(H_KFREE_SKB, "failed to load", err);
			drop_bpf__destroy(drop);
			drop = NULL;
		}
	}
	if (drop && attach)
		fill_reason_skip(); /* before attaching: no routine free slips through at start */
	if (drop) {
		struct bpf_link *l = attach ? bpf_program__attach(drop->progs.weft_kfree_skb) : NULL;

		if (attach && !l)
			note_fail(H_KFREE_SKB, "failed to attach", -errno);
		else
			hook_ok[H_KFREE_SKB] = true;
		if (l)
			tp_links[n_tp_links++] = l;
	}

	char kconfig[32];

	snprintf(kconfig, sizeof(kconfig), "CONFIG_HZ=%u\n", kernel_hz());
	LIBBPF_OPTS(bpf_object_open_opts, tcp_opts, .kconfig = kconfig);

	tcp = tcp_bpf__open_opts(&tcp_opts);
	if (!tcp) {
		for (int h = H_SET_STATE; h <= H_RETRANSMIT; h++)
			note_fail(h, "failed to open", -errno);
	} else {
		bpf_map__set_max_entries(tcp->maps.tcp_stats, opt.tcp_map);
		bpf_map__set_max_entries(tcp->maps.connect_start, opt.tcp_map);
		/* a quarter interval: every interval still sees a fresh sample of each busy socket */
		__u64 sample = (__u64)opt.interval_ms * 1000000ull / 4;

		tcp->rodata->rtt_sample_ns = sample < 100000000ull ? sample : 100000000ull;
		err = tcp_bpf__load(tcp);
		if (err) {
			for (int h = H_SET_STATE; h <= H_RETRANSMIT; h++)
				note_fail(h, "failed to load", err);
			tcp_bpf__destroy(tcp);
			tcp = NULL;
		}
	}
	if (tcp) {
		struct bpf_program *progs[3] = { tcp->progs.weft_inet_sock_set_state, tcp->progs.weft_tcp_probe,
						 tcp->progs.weft_tcp_retransmit_skb };

		for (int i = 0; i < 3; i++) {
			struct bpf_link *l = attach ? bpf_program__attach(progs[i]) : NULL;

			if (attach && !l)
				note_fail(H_SET_STATE + i, "failed to attach", -errno);
			else
				hook_ok[H_SET_STATE + i] = true;
			if (l)
				tp_links[n_tp_links++] = l;
		}
	}
}

static void unload_units(void)
{
	for (int i = 0; i < n_tp_links; i++)
		bpf_link__destroy(tp_links[i]);
	n_tp_links = 0;
	if (flow)
		flow_bpf__destroy(flow);
	if (drop)
		drop_bpf__destroy(drop);
	if (tcp)
		tcp_bpf__destroy(tcp);
	flow = NULL;
	drop = NULL;
	tcp = NULL;
}

static void json_escape_print(const char *s)
{
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			printf("\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			printf("\\u%04x", (unsigned char)*s);
		else
			putchar(*s);
	}
}

static int run_check(void)
{
	const char *problems[H_COUNT + 2];
	int np = 0;

	if (!has_caps()) {
		problems[np++] = not_root_msg;
	} else if (access("/sys/kernel/btf/vmlinux", R_OK) != 0) {
		problems[np++] = no_btf_msg;
	} else {
		load_units(false);
		unload_units();
		for (int h = 0; h < H_COUNT; h++)
			if (!hook_ok[h])
				problems[np++] = hook_err[h];
	}
	printf("{\"ok\":%s,\"hooks\":{", np == 0 ? "true" : "false");
	for (int h = 0; h < H_COUNT; h++)
		printf("%s\"%s\":%s", h ? "," : "", hook_names[h], hook_ok[h] ? "true" : "false");
	printf("},\"problems\":[");
	for (int i = 0; i < np; i++) {
		printf("%s\"", i ? "," : "");
		json_escape_print(problems[i]);
		printf("\"");
	}
	printf("]}\n");
	return np == 0 ? 0 : 2;
}

/* Frames for --bench-tc: TCP/IPv4 data (existing flow), UDP/IPv6, and a DNS query (slow path). */
static size_t bench_frame(int kind, __u8 *f)
{
	static const __u8 eth4[14] = { 2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x00 };
	static const __u8 eth6[14] = { 2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x86, 0xdd };
	size_t n = 0;

	memset(f, 0, 1600);
	if (kind == 0 || kind == 2) {
		__u8 proto = kind == 0 ? 6 : 17;
		size_t l4 = kind == 0 ? 32 : 8;
		size_t payload = kind == 0 ? 1448 : 34;
		size_t iplen = 20 + l4 + payload;

		memcpy(f, eth4, 14);
		__u8 *ip = f + 14;

		ip[0] = 0x45;
		ip[2] = iplen >> 8;
		ip[3] = iplen & 0xff;
		ip[8] = 64;
		ip[9] = proto;
		memcpy(ip + 12, (__u8[]){ 198, 18, 0, 1, 198, 18, 0, 2 }, 8);
		__u8 *t = ip + 20;

		t[0] = 0x9c;
		t[1] = 0x40;
		t[2] = 0;
		t[3] = kind == 0 ? 80 : 53;
		if (kind == 0) {
			t[12] = 8 << 4;
			t[13] = 0x18;
		} else {
			t[4] = (8 + payload) >> 8;
			t[5] = (8 + payload) & 0xff;
			__u8 *d = t + 8;

			d[0] = 0x12;
			d[1] = 0x34;
			d[2] = 0x01;
			d[5] = 1;
			memcpy(d + 12, "\4weft\4test\0\0\1\0\1", 16);
		}
		n = 14 + iplen;
	} else {
		size_t payload = 100;

		memcpy(f, eth6, 14);
		__u8 *ip = f + 14;

		ip[0] = 0x60;
		ip[4] = (8 + payload) >> 8;
		ip[5] = (8 + payload) & 0xff;
		ip[6] = 17;
		ip[7] = 64;
		ip[8] = 0xfd;
		ip[23] = 1;
		ip[24] = 0xfd;
		ip[39] = 2;
		__u8 *u = ip + 40;

		u[0] = 0x9c;
		u[1] = 0x40;
		u[3] = 0x50;
		u[5] = 8 + payload;
		n = 14 + 40 + 8 + payload;
	}
	return n;
}

static int run_bench_tc(void)
{
	static const char *names[] = { "tcp4_data", "udp6", "dns4_query" };

	if (!has_caps())
		die("%s", not_root_msg);
	load_units(false);
	if (!flow)
		die("%s", hook_err[H_TC]);
	printf("{\"repeat\":%u", opt.bench_tc);
	for (int kind = 0; kind < 3; kind++) {
		__u8 frame[1600];
		size_t n = bench_frame(kind, frame);
		LIBBPF_OPTS(bpf_test_run_opts, t, .data_in = frame, .data_size_in = n, .repeat = opt.bench_tc);
		int err = bpf_prog_test_run_opts(bpf_program__fd(flow->progs.weft_tc_ingress), &t);

		if (err)
			die("BPF_PROG_TEST_RUN failed: %s", strerror(-err));
		printf(",\"%s\":%u", names[kind], t.duration);
	}
	printf("}\n");
	unload_units();
	return 0;
}

static __u64 mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (__u64)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

typedef void (*drain_cb)(const void *k, const void *v);

/* Kernels before 5.6 have no batch ops: collect keys, then read and delete them one by one. */
static void drain_by_key(int fd, size_t ksz, size_t vsz, drain_cb cb, void *keys, void *vals)
{
	/* bounded: entries added while draining wait for the next interval */
	for (int round = 0; round < 256; round++) {
		__u32 n = 0;
		void *prev = NULL;

		while (n < BATCH && bpf_map_get_next_key(fd, prev, (char *)keys + n * ksz) == 0) {
			prev = (char *)keys + n * ksz;
			n++;
		}
		for (__u32 i = 0; i < n; i++) {
			void *k = (char *)keys + i * ksz;

			if (bpf_map_lookup_elem(fd, k, vals) == 0 && bpf_map_delete_elem(fd, k) == 0)
				cb(k, vals);
		}
		if (n < BATCH)
			return;
	}
}

/* Read and delete in one step: whatever the programs add after this lands in the next interval. */
static void drain(int fd, size_t ksz, size_t vsz, drain_cb cb)
{
	static void *keys, *vals;
	static size_t kcap, vcap;
	__u64 in[8], out[8];
	bool first = true;

	if (kcap < ksz * BATCH) {
		free(keys);
		keys = malloc(ksz * BATCH);
		kcap = ksz * BATCH;
	}
	if (vcap < vsz * BATCH) {
		free(vals);
		vals = malloc(vsz * BATCH);
		vcap = vsz * BATCH;
	}
	if (!keys || !vals)
		return;
	if (opt.drain_by_key) {
		drain_by_key(fd, ksz, vsz, cb, keys, vals);
		return;
	}
	for (;;) {
		__u32 count = BATCH;
		LIBBPF_OPTS(bpf_map_batch_opts, bo);
		int err = bpf_map_lookup_and_delete_batch(fd, first ? NULL : in, out, keys, vals, &count, &bo);

		/* 524 is the kernel's internal ENOTSUPP, which the bpf syscall returns for missing batch ops */
		if (first && (err == -EINVAL || err == -ENOTSUP || err == -524)) {
			opt.drain_by_key = true;
			drain_by_key(fd, ksz, vsz, cb, keys, vals);
			return;
		}
		for (__u32 i = 0; i < count; i++)
			cb((char *)keys + i * ksz, (char *)vals + i * vsz);
		if (err)
			break; /* -ENOENT: map is empty */
		memcpy(in, out, sizeof(in));
		first = false;
	}
}

static void on_flow(const void *k, const void *v)
{
	const struct flow_key *fk = k;
	const char *name = links_name(fk->ifindex);
	char buf[IF_NAMESIZE];

	if (!name)
		name = if_indextoname(fk->ifindex, buf) ? buf : "";
	out_flow(fk, v, name);
}

static void on_drop(const void *k, const void *v)
{
	const struct drop_key *dk = k;
	char ifname[IF_NAMESIZE] = "", rb[32];

	/* the ifindex only means something here when the device is in our network namespace */
	if (dk->ifindex && dk->netns == own_netns && !if_indextoname(dk->ifindex, ifname))
		ifname[0] = 0;
	out_drop(dk, v, ifname, reasons_name(dk->reason, rb, sizeof(rb)));
}

static void on_tcp_stats(const void *k, const void *v)
{
	out_tcp_stats(k, v);
}

static int on_dns_event(void *ctx, void *data, size_t size)
{
	const struct dns_event *e = data;
	char rb[16];

	(void)ctx;
	if (size < sizeof(*e))
		return 0;
	out_dns(e->family, e->client, e->server, e->cport, e->id, e->qtype, dns_rcode_name(e->rcode, rb, sizeof(rb)),
		e->answers, e->latency_ns, e->qname, e->qlen);
	return 0;
}

static int on_tcp_event(void *ctx, void *data, size_t size)
{
	(void)ctx;
	if (size >= sizeof(struct tcp_event))
		out_tcp(data);
	return 0;
}

/* Queries nobody answered within --dns-timeout become TIMEOUT records. */
static void sweep_dns(void)
{
	if (!flow)
		return;
	int fd = bpf_map__fd(flow->maps.dns_pending);
	struct dns_key k, next, expired[256];
	struct dns_pending p;
	int n = 0;
	__u64 now = mono_ns(), limit = (__u64)opt.dns_timeout_ms * 1000000ull;
	void *prev = NULL;

	while (n < 256 && bpf_map_get_next_key(fd, prev, &next) == 0) {
		k = next;
		prev = &k;
		if (bpf_map_lookup_elem(fd, &k, &p) == 0 && now > p.ts_ns && now - p.ts_ns > limit) {
			out_dns(k.family, k.client, p.server, k.cport, k.id, p.qtype, "TIMEOUT", 0, now - p.ts_ns,
				p.qname, p.qlen);
			expired[n++] = k;
		}
	}
	for (int i = 0; i < n; i++)
		bpf_map_delete_elem(fd, &expired[i]);
}

/*
 * Intervals end on multiples of --interval on the wall clock (every whole second by default), on every
 * node alike: a collector can close its batch right after the drain, and the server knows when all of
 * a second's batches are in, so data reaches the browser within about one interval instead of three
 * unaligned ones. Re-armed after each tick and whenever the clock is set.
 */
static void arm_tick(int tfd)
{
	struct timespec now;
	__u64 ms, next;

	clock_gettime(CLOCK_REALTIME, &now);
	ms = (__u64)now.tv_sec * 1000 + now.tv_nsec / 1000000;
	next = (ms / opt.interval_ms + 1) * opt.interval_ms;

	struct itimerspec its = {
		.it_value = { next / 1000, (next % 1000) * 1000000L },
	};

	timerfd_settime(tfd, TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET, &its, NULL);
}

static void tick(void)
{
	__u64 overflow = 0, lost = 0, mismatch = 0;

	if (flow) {
		drain(bpf_map__fd(flow->maps.flows), sizeof(struct flow_key), sizeof(struct flow_val), on_flow);
		sweep_dns();
		overflow += flow->bss->counters.flow_overflow + flow->bss->counters.dns_overflow;
		lost += flow->bss->counters.ring_lost;
		mismatch = flow->bss->counters.dns_mismatch;
	}
	if (drop) {
		drain(bpf_map__fd(drop->maps.drops), sizeof(struct drop_key), sizeof(struct drop_val), on_drop);
		overflow += drop->bss->drop_overflow;
	}
	if (tcp) {
		drain(bpf_map__fd(tcp->maps.tcp_stats), sizeof(struct tcp_stats_key), sizeof(struct tcp_stats_val),
		      on_tcp_stats);
		overflow += tcp->bss->counters.stats_overflow;
		lost += tcp->bss->counters.ring_lost;
	}
	out_stats(overflow, lost, links_count(), mismatch);
}

int main(int argc, char **argv)
{
	parse_args(argc, argv);
	if (opt.layout) {
		print_layout();
		return 0;
	}
	libbpf_set_print(libbpf_print);
	if (opt.check)
		return run_check();
	if (opt.bench_tc)
		return run_bench_tc();

	if (!has_caps())
		die("%s", not_root_msg);
	if (access("/sys/kernel/btf/vmlinux", R_OK) != 0)
		die("%s", no_btf_msg);
	for (int i = 0; i < opt.n_names; i++)
		if (!if_nametoindex(opt.names[i]))
			die("link not found: %s (list links with `ip link`; the probe runs in the root network namespace)",
			    opt.names[i]);
	ensure_bpffs();

	/* die with the parent (the collector) rather than keep hooks attached for nobody */
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	signal(SIGPIPE, SIG_IGN);
	if (pipe2(stop_pipe, O_CLOEXEC | O_NONBLOCK) != 0)
		die("cannot create a pipe: %s", strerror(errno));
	struct sigaction sa = { .sa_handler = on_stop_signal };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	out_set_abort_flag(&stop_requested);

	struct stat st;

	own_netns = stat("/proc/self/ns/net", &st) == 0 ? st.st_ino : 0;

	load_units(true);
	bool want_tc = opt.n_names > 0 || opt.n_prefixes > 0;

	if (want_tc && !hook_ok[H_TC])
		die("%s", hook_err[H_TC]);
	int n_ok = 0;

	for (int h = 0; h < H_COUNT; h++) {
		if (hook_ok[h])
			n_ok++;
		else if (h != H_TC || want_tc)
			fprintf(stderr, "weft-probe: %s\n", hook_err[h]);
	}
	if (n_ok == 0)
		die("no hook could be loaded: %s", hook_err[H_KFREE_SKB]);
	out_init(opt.format);
	struct utsname u;
	char hooks[256] = "";

	uname(&u);
	for (int h = 0; h < H_COUNT; h++) {
		if (!hook_ok[h] || (h == H_TC && !want_tc))
			continue;
		if (hooks[0])
			strncat(hooks, ",", sizeof(hooks) - strlen(hooks) - 1);
		strncat(hooks, hook_names[h], sizeof(hooks) - strlen(hooks) - 1);
	}
	out_hello(u.release, hooks);

	struct link_watch w = { .nl_fd = -1, .mode = opt.tc_mode, .names = opt.names, .n_names = opt.n_names,
				.prefixes = opt.prefixes, .n_prefixes = opt.n_prefixes };
	int exit_code = 0;

	if (want_tc) {
		w.prog_ingress = bpf_program__fd(opt.tc_noop ? flow->progs.weft_tc_noop : flow->progs.weft_tc_ingress);
		w.prog_egress = bpf_program__fd(opt.tc_noop ? flow->progs.weft_tc_noop : flow->progs.weft_tc_egress);
		int err = links_start(&w);

		if (err) {
			fprintf(stderr, "weft-probe: cannot watch links (rtnetlink: %s)\n", strerror(-err));
			exit_code = 1;
			goto out;
		}
		for (int i = 0; i < opt.n_names; i++) {
			char msg[256];

			if (links_attach_name(&w, opt.names[i], msg, sizeof(msg)) < 0) {
				fprintf(stderr, "weft-probe: %s\n", msg);
				exit_code = 1;
				goto out;
			}
		}
	}
	out_flush();

	struct ring_buffer *rb = NULL;

	if (flow)
		rb = ring_buffer__new(bpf_map__fd(flow->maps.dns_events), on_dns_event, NULL, NULL);
	if (tcp) {
		if (rb)
			ring_buffer__add(rb, bpf_map__fd(tcp->maps.tcp_events), on_tcp_event, NULL);
		else
			rb = ring_buffer__new(bpf_map__fd(tcp->maps.tcp_events), on_tcp_event, NULL, NULL);
	}

	int ep = epoll_create1(EPOLL_CLOEXEC);
	int sfd = stop_pipe[0];
	int tfd = timerfd_create(CLOCK_REALTIME, TFD_CLOEXEC);

	arm_tick(tfd);
	struct epoll_event ev = { .events = EPOLLIN };

	ev.data.u32 = 1;
	epoll_ctl(ep, EPOLL_CTL_ADD, sfd, &ev);
	ev.data.u32 = 2;
	epoll_ctl(ep, EPOLL_CTL_ADD, tfd, &ev);
	if (rb) {
		ev.data.u32 = 3;
		epoll_ctl(ep, EPOLL_CTL_ADD, ring_buffer__epoll_fd(rb), &ev);
	}
	if (w.nl_fd >= 0) {
		ev.data.u32 = 4;
		epoll_ctl(ep, EPOLL_CTL_ADD, w.nl_fd, &ev);
	}

	bool running = true;

	while (running && !out_failed() && !stop_requested) {
		struct epoll_event evs[8];
		int n = epoll_wait(ep, evs, 8, -1);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (int i = 0; i < n; i++) {
			switch (evs[i].data.u32) {
			case 1:
				running = false;
				break;
			case 2: {
				__u64 expirations;

				/* ECANCELED: the wall clock was set; the next boundary is computed again */
				if (read(tfd, &expirations, sizeof(expirations)) > 0)
					tick();
				arm_tick(tfd);
				break;
			}
			case 3:
				ring_buffer__consume(rb);
				break;
			case 4:
				links_on_netlink(&w);
				break;
			}
		}
		out_flush();
	}
	if (running && !stop_requested)
		exit_code = out_failed() ? 0 : 1;
	else if (!out_failed()) {
		/* last words: what was counted since the previous interval */
		if (rb)
			ring_buffer__consume(rb);
		tick();
	}
	ring_buffer__free(rb);
	close(ep);
	close(tfd);
out:
	links_stop(&w);
	out_flush();
	unload_units();
	return exit_code;
}
