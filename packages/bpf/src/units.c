#include "units.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "diagnostics.h"
#include "host.h"
#include "options.h"
#include "reasons.h"

const char *hook_names[H_COUNT] = { "tc", "kfree_skb", "inet_sock_set_state", "tcp_probe",
					   "tcp_retransmit_skb" };

bool hook_ok[H_COUNT];
char hook_err[H_COUNT][1024];

struct flow_bpf *flow;
struct drop_bpf *drop;
struct tcp_bpf *tcp;
static struct bpf_link *tp_links[8];
static int n_tp_links;

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

void load_units(bool attach)
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

void unload_units(void)
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
