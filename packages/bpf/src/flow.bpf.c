// SPDX-License-Identifier: GPL-2.0
/*
 * tc programs for the host side of each watched veth: per-flow counters, and DNS query/response
 * pairing (dns.bpf.h). Headers are read with bpf_skb_load_bytes so non-linear skbs parse the same as
 * linear ones.
 */
#include "vmlinux.h"
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#include "dns.bpf.h"
#include "flow.h"
#include "ipv6.bpf.h"

#define TC_ACT_UNSPEC (-1)
#define ETH_HLEN 14
#define ETH_P_IP 0x0800
#define ETH_P_IPV6 0x86DD
#define IP_OFFSET_MASK 0x1fff

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, struct flow_key);
	__type(value, struct flow_val);
} flows SEC(".maps");

struct flow_counters counters = {};

struct l4_info {
	__u32 l4off;  /* offset of the transport header from the start of the frame */
	__u32 hdrlen; /* L2 + L3 + L4 header bytes: what each GSO segment repeats */
	__u8 tcp_flags;
	__u8 doff;
};

/* Headers usually sit in the skb's linear area: read them in place, fall back to a copy otherwise. */
static __always_inline int parse(struct __sk_buff *skb, struct flow_key *k, struct l4_info *l4)
{
	void *data = (void *)(long)skb->data;
	void *end = (void *)(long)skb->data_end;
	__u16 h_proto = bpf_ntohs(skb->protocol);

	if (h_proto == ETH_P_IP) {
		struct iphdr *ip = data + ETH_HLEN;
		struct iphdr copy;

		if ((void *)(ip + 1) > end) {
			if (bpf_skb_load_bytes(skb, ETH_HLEN, &copy, sizeof(copy)) < 0)
				return -1;
			ip = &copy;
		}
		k->family = WEFT_AF_INET;
		__builtin_memcpy(k->saddr, &ip->saddr, 4);
		__builtin_memcpy(k->daddr, &ip->daddr, 4);
		k->proto = ip->protocol;
		l4->l4off = ETH_HLEN + ip->ihl * 4;
		if (ip->frag_off & bpf_htons(IP_OFFSET_MASK))
			return 1; /* later fragment: no ports */
	} else if (h_proto == ETH_P_IPV6) {
		struct ipv6hdr *ip6 = data + ETH_HLEN;
		struct ipv6hdr copy;

		if ((void *)(ip6 + 1) > end) {
			if (bpf_skb_load_bytes(skb, ETH_HLEN, &copy, sizeof(copy)) < 0)
				return -1;
			ip6 = &copy;
		}
		k->family = WEFT_AF_INET6;
		__builtin_memcpy(k->saddr, &ip6->saddr, 16);
		__builtin_memcpy(k->daddr, &ip6->daddr, 16);
		k->proto = ip6->nexthdr;
		l4->l4off = ETH_HLEN + sizeof(*ip6);
		if (ipv6_is_ext(k->proto)) {
			bool later = false;

			for (int i = 0; i < IPV6_EXT_MAX && ipv6_is_ext(k->proto); i++) {
				__u8 h[4];

				if (bpf_skb_load_bytes(skb, l4->l4off, h, sizeof(h)) < 0)
					return 1;
				l4->l4off += ipv6_ext_len(k->proto, h, &k->proto, &later);
			}
			if (later || ipv6_is_ext(k->proto))
				return 1;
		}
	} else {
		return -1;
	}

	l4->hdrlen = l4->l4off;
	if (k->proto != IPPROTO_TCP && k->proto != IPPROTO_UDP)
		return 0;

	__u8 copy[14];
	__u32 off = l4->l4off;
	__u8 *th = copy;

	/* the bound lets the verifier accept the pointer; long IPv6 extension chains take the copy */
	if (off <= 255 && data + off + 14 <= end) {
		th = data + off;
	} else {
		if (bpf_skb_load_bytes(skb, off, copy, k->proto == IPPROTO_TCP ? 14 : 4) < 0)
			return 1;
	}
	k->sport = (th[0] << 8) | th[1];
	k->dport = (th[2] << 8) | th[3];
	if (k->proto == IPPROTO_TCP) {
		l4->doff = (th[12] >> 4) * 4;
		l4->tcp_flags = th[13];
		l4->hdrlen += l4->doff;
	} else {
		l4->hdrlen += 8;
	}
	return 0;
}

static __always_inline void count_flow(struct flow_key *k, __u64 bytes, __u64 packets, __u8 flags)
{
	struct flow_val *v = bpf_map_lookup_elem(&flows, k);

	if (!v) {
		struct flow_val nv = { .bytes = bytes, .packets = packets, .tcp_flags = flags };

		if (bpf_map_update_elem(&flows, k, &nv, BPF_NOEXIST) == 0)
			return;
		/* another CPU inserted it first: add to theirs */
		v = bpf_map_lookup_elem(&flows, k);
		if (!v) {
			__sync_fetch_and_add(&counters.flow_overflow, 1);
			return;
		}
	}
	__sync_fetch_and_add(&v->bytes, bytes);
	__sync_fetch_and_add(&v->packets, packets);
	if ((v->tcp_flags | flags) != v->tcp_flags)
		__sync_fetch_and_or(&v->tcp_flags, flags);
}

static __always_inline int handle(struct __sk_buff *skb, __u8 dir)
{
	struct flow_key k = {};
	struct l4_info l4 = {};

	int r = parse(skb, &k, &l4);

	if (r < 0)
		return TC_ACT_UNSPEC;
	k.ifindex = skb->ifindex;
	k.dir = dir;

	__u64 packets = 1;
	__u64 bytes = skb->len;
	__u32 segs = skb->gso_segs;

	if (segs > 1) {
		packets = segs;
		bytes += (__u64)(segs - 1) * l4.hdrlen;
	}
	count_flow(&k, bytes, packets, l4.tcp_flags);

	if (r == 0 && (k.sport == DNS_PORT || k.dport == DNS_PORT) &&
	    (k.proto == IPPROTO_UDP || k.proto == IPPROTO_TCP))
		/* the DNS message follows UDP's 8 bytes, or TCP's header and a two-byte length prefix */
		handle_dns(skb, &k, l4.l4off + (k.proto == IPPROTO_UDP ? 8 : l4.doff + 2), dir, &counters);
	return TC_ACT_UNSPEC;
}

/* tc ingress on the host-side veth: the packet is leaving the pod */
SEC("tc")
int weft_tc_ingress(struct __sk_buff *skb)
{
	return handle(skb, WEFT_DIR_EGRESS);
}

/* tc egress on the host-side veth: the packet is entering the pod */
SEC("tc")
int weft_tc_egress(struct __sk_buff *skb)
{
	return handle(skb, WEFT_DIR_INGRESS);
}

/* Does nothing: `weft-probe --tc-noop` attaches it so benchmarks can measure the hook itself and
 * the bpf_stats clock reads around every run, and subtract them from the real programs' figures. */
SEC("tc")
int weft_tc_noop(struct __sk_buff *skb)
{
	return TC_ACT_UNSPEC;
}
