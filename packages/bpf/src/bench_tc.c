#include "bench_tc.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <stdio.h>
#include <string.h>

#include "diagnostics.h"
#include "host.h"
#include "options.h"
#include "units.h"

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

int run_bench_tc(void)
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
