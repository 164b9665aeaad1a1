// SPDX-License-Identifier: GPL-2.0
/*
 * tp_btf/kfree_skb: every freed skb with a drop reason, from any network namespace. Routine frees are
 * skipped through a table the loader fills from the running kernel's BTF (reason numbers change
 * between kernels; names do not).
 */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "drop.h"
#include "ipv6.bpf.h"

#define ETH_P_IP 0x0800
#define ETH_P_IPV6 0x86DD
#define IP_OFFSET_MASK 0x1fff

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, struct drop_key);
	__type(value, struct drop_val);
} drops SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, DROP_REASON_SKIP_MAX);
	__type(key, __u32);
	__type(value, __u8);
} reason_skip SEC(".maps");

__u64 drop_overflow = 0;

static __always_inline int parse_skb(struct sk_buff *skb, struct drop_key *k)
{
	unsigned char *head = skb->head;
	__u16 nh = skb->network_header;
	__u16 proto = bpf_ntohs(skb->protocol);
	__u8 first;
	__u32 l4off;

	if (nh == (__u16)~0U)
		return -1;
	if (bpf_probe_read_kernel(&first, 1, head + nh) < 0)
		return -1;
	/* skb->protocol is not set yet on some paths; the IP version nibble decides then */
	if (proto != ETH_P_IP && proto != ETH_P_IPV6)
		proto = (first >> 4) == 4 ? ETH_P_IP : (first >> 4) == 6 ? ETH_P_IPV6 : 0;

	if (proto == ETH_P_IP) {
		struct iphdr ip;

		if (bpf_probe_read_kernel(&ip, sizeof(ip), head + nh) < 0 || ip.version != 4)
			return -1;
		k->family = WEFT_AF_INET;
		__builtin_memcpy(k->saddr, &ip.saddr, 4);
		__builtin_memcpy(k->daddr, &ip.daddr, 4);
		k->proto = ip.protocol;
		if (ip.frag_off & bpf_htons(IP_OFFSET_MASK))
			return 0;
		l4off = nh + ip.ihl * 4;
	} else if (proto == ETH_P_IPV6) {
		struct ipv6hdr ip6;

		if (bpf_probe_read_kernel(&ip6, sizeof(ip6), head + nh) < 0 || ip6.version != 6)
			return -1;
		k->family = WEFT_AF_INET6;
		__builtin_memcpy(k->saddr, &ip6.saddr, 16);
		__builtin_memcpy(k->daddr, &ip6.daddr, 16);
		k->proto = ip6.nexthdr;
		l4off = nh + sizeof(ip6);
		bool later = false;

		for (int i = 0; i < IPV6_EXT_MAX && ipv6_is_ext(k->proto); i++) {
			__u8 h[4];

			if (bpf_probe_read_kernel(h, sizeof(h), head + l4off) < 0)
				return 0;
			l4off += ipv6_ext_len(k->proto, h, &k->proto, &later);
		}
		if (later || ipv6_is_ext(k->proto))
			return 0;
	} else {
		return -1;
	}

	if (k->proto == IPPROTO_TCP || k->proto == IPPROTO_UDP) {
		__be16 ports[2];

		if (bpf_probe_read_kernel(ports, sizeof(ports), head + l4off) == 0) {
			k->sport = bpf_ntohs(ports[0]);
			k->dport = bpf_ntohs(ports[1]);
		}
	}
	return 0;
}

SEC("tp_btf/kfree_skb")
int BPF_PROG(weft_kfree_skb, struct sk_buff *skb, void *location, enum skb_drop_reason reason)
{
	__u32 r = reason;

	if (r < DROP_REASON_SKIP_MAX) {
		__u8 *skip = bpf_map_lookup_elem(&reason_skip, &r);

		if (skip && *skip)
			return 0;
	}

	struct drop_key k = {};

	if (parse_skb(skb, &k) < 0)
		return 0;
	k.reason = r;
	struct net_device *dev = skb->dev;

	if (dev) {
		k.ifindex = dev->ifindex;
		k.netns = dev->nd_net.net->ns.inum;
	} else {
		/* a packet a socket sent (or was about to) is dropped where that socket lives */
		struct sock *sk = skb->sk;

		if (sk)
			k.netns = sk->__sk_common.skc_net.net->ns.inum;
	}

	__u32 len = skb->len;
	struct drop_val *v = bpf_map_lookup_elem(&drops, &k);

	if (!v) {
		struct drop_val nv = { .packets = 1, .bytes = len };

		if (bpf_map_update_elem(&drops, &k, &nv, BPF_NOEXIST) == 0)
			return 0;
		v = bpf_map_lookup_elem(&drops, &k);
		if (!v) {
			__sync_fetch_and_add(&drop_overflow, 1);
			return 0;
		}
	}
	__sync_fetch_and_add(&v->packets, 1);
	__sync_fetch_and_add(&v->bytes, len);
	return 0;
}
