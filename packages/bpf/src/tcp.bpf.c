// SPDX-License-Identifier: GPL-2.0
/*
 * TCP from every network namespace: connect outcomes from inet_sock_set_state (a socket entering
 * SYN_SENT is an attempt), smoothed RTT from tcp_probe, retransmits from tcp_retransmit_skb.
 */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "tcp.h"

#define WEFT_ECONNREFUSED 111
#define WEFT_ETIMEDOUT 110
#define WEFT_ECONNRESET 104

char LICENSE[] SEC("license") = "GPL";

struct connect_info {
	__u64 ts_ns;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH); /* every SYN_SENT socket leaves it through ESTABLISHED or CLOSE */
	__uint(max_entries, 16384);
	__type(key, __u64);
	__type(value, struct connect_info);
} connect_start SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 20);
} tcp_events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, struct tcp_stats_key);
	__type(value, struct tcp_stats_val);
} tcp_stats SEC(".maps");

/* When each socket was last sampled for RTT. tcp_probe fires on every received segment while the
 * smoothed RTT changes slowly, so a socket is sampled at most every rtt_sample_ns (set by the
 * loader from the interval). The table is per CPU and indexed by a hash of the socket address: a
 * hot, tiny lookup on every segment instead of a hash-map or socket-storage lookup. Two sockets
 * sharing a slot only get sampled more often. */
#define RTT_SLOTS 1024

struct rtt_slot {
	__u64 sk;
	__u64 ts_ns;
	/* A socket freed and allocated again at the same address is a new connection: by the address
	 * alone, a short one (a few ms) whose slot was sampled within rtt_sample_ns would never be
	 * sampled at all. Its ports tell the two apart. */
	__u32 ports;
	__u32 pad;
};

struct rtt_slots {
	struct rtt_slot slot[RTT_SLOTS];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct rtt_slots);
} rtt_sampled SEC(".maps");

const volatile __u64 rtt_sample_ns = 100000000;

/* libbpf fills it from the kernel config; 0 where the config cannot be read */
extern unsigned int CONFIG_HZ __kconfig __weak;

/* A clock for the RTT sampling that costs a load, not a helper call: tcp_probe fires on every
 * received segment, and bpf_ktime_get_ns costs ~30 ns here (a third of the program), while the
 * jiffy (1-10 ms) is plenty for a sample every 100 ms. The verifier knows CONFIG_HZ at load time
 * and drops the cases that do not apply. */
static __always_inline __u64 sample_clock_ns(void)
{
	__u64 jiffy_ns;

	switch (CONFIG_HZ) {
	case 100:
		jiffy_ns = 10000000;
		break;
	case 250:
		jiffy_ns = 4000000;
		break;
	case 300:
		jiffy_ns = 3333333;
		break;
	case 1000:
		jiffy_ns = 1000000;
		break;
	default:
		return bpf_ktime_get_ns();
	}
	return bpf_jiffies64() * jiffy_ns;
}

struct tcp_counters counters = {};

/* tp_btf hands us trusted BTF pointers: plain loads, no probe_read helper calls. */
static __always_inline void sock_tuple(const struct sock *sk, __u8 *saddr, __u8 *daddr, __u16 *sport,
				       __u16 *dport, __u8 *family)
{
	__u16 fam = sk->__sk_common.skc_family;

	if (fam == WEFT_AF_INET6) {
		__builtin_memcpy(saddr, &sk->__sk_common.skc_v6_rcv_saddr, 16);
		__builtin_memcpy(daddr, &sk->__sk_common.skc_v6_daddr, 16);
	} else {
		__u32 s = sk->__sk_common.skc_rcv_saddr;
		__u32 d = sk->__sk_common.skc_daddr;

		__builtin_memcpy(saddr, &s, 4);
		__builtin_memcpy(daddr, &d, 4);
	}
	*family = fam;
	*sport = sk->__sk_common.skc_num;
	*dport = bpf_ntohs(sk->__sk_common.skc_dport);
}

static __always_inline __u32 srtt_us(const struct sock *sk)
{
	struct tcp_sock *tp = bpf_skc_to_tcp_sock((void *)sk);

	return tp ? tp->srtt_us >> 3 : 0;
}

SEC("tp_btf/inet_sock_set_state")
int BPF_PROG(weft_inet_sock_set_state, const struct sock *sk, const int oldstate, const int newstate)
{
	if (sk->sk_protocol != IPPROTO_TCP)
		return 0;
	__u64 key = (__u64)sk;

	if (newstate == TCP_SYN_SENT) {
		struct connect_info ci = { .ts_ns = bpf_ktime_get_ns() };

		bpf_map_update_elem(&connect_start, &key, &ci, BPF_ANY);
		return 0;
	}
	if (oldstate != TCP_SYN_SENT || (newstate != TCP_ESTABLISHED && newstate != TCP_CLOSE))
		return 0;
	struct connect_info *ci = bpf_map_lookup_elem(&connect_start, &key);

	if (!ci)
		return 0;
	__u64 latency = bpf_ktime_get_ns() - ci->ts_ns;

	bpf_map_delete_elem(&connect_start, &key);

	struct tcp_event *e = bpf_ringbuf_reserve(&tcp_events, sizeof(*e), 0);

	if (!e) {
		__sync_fetch_and_add(&counters.ring_lost, 1);
		return 0;
	}
	__builtin_memset(e, 0, sizeof(*e));
	sock_tuple(sk, e->saddr, e->daddr, &e->sport, &e->dport, &e->family);
	/* CLOSE is traced after the local port went back to the table (skc_num = 0); inet_sport stays */
	if (!e->sport) {
		struct tcp_sock *tp = bpf_skc_to_tcp_sock((void *)sk);

		if (tp)
			e->sport = bpf_ntohs(tp->inet_conn.icsk_inet.inet_sport);
	}
	if (newstate == TCP_ESTABLISHED) {
		e->kind = TCP_EV_CONNECT_OK;
		e->latency_ns = latency;
	} else {
		int err = sk->sk_err;

		e->kind = TCP_EV_CONNECT_FAIL;
		e->sk_err = err;
		e->latency_ns = latency;
		if (err == WEFT_ECONNREFUSED)
			e->cause = TCP_CAUSE_REFUSED;
		else if (err == WEFT_ECONNRESET)
			e->cause = TCP_CAUSE_RESET;
		else
			e->cause = TCP_CAUSE_TIMEOUT; /* ETIMEDOUT, unreachable, or the app gave up waiting */
	}
	bpf_ringbuf_submit(e, 0);
	return 0;
}

static __always_inline struct tcp_stats_val *stats_for(const struct sock *sk)
{
	struct tcp_stats_key k = {};

	sock_tuple(sk, k.saddr, k.daddr, &k.sport, &k.dport, &k.family);
	struct tcp_stats_val *v = bpf_map_lookup_elem(&tcp_stats, &k);

	if (v)
		return v;
	struct tcp_stats_val nv = {};

	if (bpf_map_update_elem(&tcp_stats, &k, &nv, BPF_NOEXIST) < 0) {
		v = bpf_map_lookup_elem(&tcp_stats, &k);
		if (!v)
			__sync_fetch_and_add(&counters.stats_overflow, 1);
		return v;
	}
	return bpf_map_lookup_elem(&tcp_stats, &k);
}

SEC("tp_btf/tcp_probe")
int BPF_PROG(weft_tcp_probe, struct sock *sk, const struct sk_buff *skb)
{
	__u32 zero = 0;
	struct rtt_slots *slots = bpf_map_lookup_elem(&rtt_sampled, &zero);

	if (slots) {
		__u64 key = (__u64)sk;
		struct rtt_slot *slot = &slots->slot[((key >> 6) ^ (key >> 16)) & (RTT_SLOTS - 1)];
		__u32 ports = sk->__sk_common.skc_portpair;
		__u64 now = sample_clock_ns();

		if (slot->sk == key && slot->ports == ports && now - slot->ts_ns < rtt_sample_ns)
			return 0;
		slot->sk = key;
		slot->ports = ports;
		slot->ts_ns = now;
	}
	struct tcp_stats_val *v = stats_for(sk);

	if (v)
		v->srtt_us = srtt_us(sk);
	return 0;
}

SEC("tp_btf/tcp_retransmit_skb")
int BPF_PROG(weft_tcp_retransmit_skb, const struct sock *sk, const struct sk_buff *skb)
{
	struct tcp_stats_val *v = stats_for(sk);

	if (v) {
		__sync_fetch_and_add(&v->retransmits, 1);
		if (!v->srtt_us)
			v->srtt_us = srtt_us(sk);
	}
	return 0;
}
