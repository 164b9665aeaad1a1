#define _GNU_SOURCE
#include "drain.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "links.h"
#include "options.h"
#include "output.h"
#include "reasons.h"
#include "units.h"

#define BATCH 1024

ino_t own_netns;

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

int on_dns_event(void *ctx, void *data, size_t size)
{
	const struct dns_event *e = data;
	char rb[16];
	struct dns_addr addrs[DNS_ADDRS_MAX];

	(void)ctx;
	if (size < sizeof(*e))
		return 0;
	int naddrs = dns_answer_addrs(e->msg, e->msglen > DNS_MSG_MAX ? DNS_MSG_MAX : e->msglen, addrs, DNS_ADDRS_MAX);

	out_dns(e->family, e->client, e->server, e->cport, e->id, e->qtype, dns_rcode_name(e->rcode, rb, sizeof(rb)),
		e->answers, e->latency_ns, e->qname, e->qlen, addrs, naddrs);
	return 0;
}

int on_tcp_event(void *ctx, void *data, size_t size)
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
				p.qname, p.qlen, NULL, 0);
			expired[n++] = k;
		}
	}
	for (int i = 0; i < n; i++)
		bpf_map_delete_elem(fd, &expired[i]);
}

void drain_interval(void)
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
