// SPDX-License-Identifier: GPL-2.0
/*
 * tc programs for the host side of each watched veth: per-flow counters and DNS query/response
 * pairing. Headers are read with bpf_skb_load_bytes so non-linear skbs parse the same as linear ones.
 */
#include "vmlinux.h"
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#include "dns.h"
#include "flow.h"
#include "ipv6.bpf.h"

#define TC_ACT_UNSPEC (-1)
#define ETH_HLEN 14
#define ETH_P_IP 0x0800
#define ETH_P_IPV6 0x86DD
#define IP_OFFSET_MASK 0x1fff
#define DNS_PORT 53
#define DNS_HDR_LEN 12
#define DNS_SCAN 300 /* bytes after the DNS header copied for the question: name + type + class */
#define DNS_QUESTION_WORDS ((DNS_QNAME_MAX + 4 + 7) / 8)

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, struct flow_key);
	__type(value, struct flow_val);
} flows SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, struct dns_key);
	__type(value, struct dns_pending);
} dns_pending SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 20);
} dns_events SEC(".maps");

struct dns_scratch {
	__u8 buf[512] __attribute__((aligned(8))); /* read eight bytes at a time by question_hash */
	struct dns_pending pending;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct dns_scratch);
} scratch SEC(".maps");

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

/* Length of the wire-format question name incl. its zero label, or -1. Queries never compress. */
static __always_inline int qname_len(const __u8 *buf, __u32 avail)
{
	__u32 pos = 0;

	for (int i = 0; i < 128; i++) {
		if (pos >= avail || pos >= DNS_QNAME_MAX)
			return -1;
		__u8 l = buf[pos & 0x1ff];

		if (l == 0)
			return pos + 1;
		if (l & 0xc0)
			return -1;
		pos += l + 1;
	}
	return -1;
}

/*
 * Hash of the question's wire bytes (`len` of them: name, type, class), eight at a time over the
 * copy the parser already made: at most 33 rounds for the longest name, 4 or 5 for a usual one.
 * Not a defence against an attacker who sees the query (nothing on the path is); it tells an
 * answer to another question apart from this one's.
 */
static __always_inline __u64 question_hash(const __u8 *buf, __u32 len)
{
	__u64 h = 0xcbf29ce484222325ull ^ len;

	for (int i = 0; i < DNS_QUESTION_WORDS; i++) {
		__u32 off = i * 8;

		if (off >= len)
			break;
		__u64 w = *(const __u64 *)(buf + (off & 0x1f8));

		if (len - off < 8)
			w &= (1ull << ((len - off) * 8)) - 1; /* little-endian: the low bytes come first */
		h = (h ^ w) * 0x100000001b3ull;
	}
	return h ^ (h >> 29);
}

/* Both 16-byte address slots sit on 4-byte boundaries (struct flow_key, struct dns_pending). */
static __always_inline bool same_addr(const __u8 *a, const __u8 *b)
{
	const __u32 *x = (const __u32 *)a, *y = (const __u32 *)b;

	return ((x[0] ^ y[0]) | (x[1] ^ y[1]) | (x[2] ^ y[2]) | (x[3] ^ y[3])) == 0;
}

static __always_inline void handle_dns(struct __sk_buff *skb, struct flow_key *k, struct l4_info *l4, __u8 dir)
{
	__u64 now = bpf_ktime_get_ns();
	__u32 off = l4->l4off;

	if (k->proto == IPPROTO_UDP)
		off += 8;
	else
		off += l4->doff + 2; /* TCP: two-byte length prefix */
	if (off + DNS_HDR_LEN > skb->len)
		return;

	__u8 h[DNS_HDR_LEN];

	if (bpf_skb_load_bytes(skb, off, h, sizeof(h)) < 0)
		return;
	__u16 id = (h[0] << 8) | h[1];
	__u8 qr = h[2] >> 7;
	__u8 opcode = (h[2] >> 3) & 0xf;
	__u8 rcode = h[3] & 0xf;
	__u16 qdcount = (h[4] << 8) | h[5];
	__u16 ancount = (h[6] << 8) | h[7];

	if (opcode != 0 || qdcount != 1)
		return;
	/* queries leave the client pod; answers enter it on the same veth */
	if (qr == 0 && dir != WEFT_DIR_EGRESS)
		return;
	if (qr == 1 && dir != WEFT_DIR_INGRESS)
		return;

	__u32 zero = 0;
	struct dns_scratch *s = bpf_map_lookup_elem(&scratch, &zero);

	if (!s)
		return;
	__u32 n = skb->len - off - DNS_HDR_LEN;

	if (n > DNS_SCAN)
		n = DNS_SCAN;
	if (n < 5)
		return;
	if (bpf_skb_load_bytes(skb, off + DNS_HDR_LEN, s->buf, n) < 0)
		return;
	int ql = qname_len(s->buf, n);

	if (ql < 1 || (__u32)ql + 4 > n)
		return; /* the question ends with its type and class */
	__u16 qtype = (s->buf[ql & 0x1ff] << 8) | s->buf[(ql + 1) & 0x1ff];

	struct dns_key dk = {};
	dk.ifindex = k->ifindex;
	dk.id = id;
	dk.family = k->family;

	if (qr == 0) {
		__builtin_memcpy(dk.client, k->saddr, 16);
		dk.cport = k->sport;
		struct dns_pending *p = &s->pending;

		p->ts_ns = now;
		p->qhash = question_hash(s->buf, ql + 4);
		__builtin_memcpy(p->server, k->daddr, 16);
		p->sport = k->dport;
		p->qtype = qtype;
		p->qlen = ql;
		bpf_probe_read_kernel(p->qname, DNS_QNAME_MAX, s->buf);
		if (bpf_map_update_elem(&dns_pending, &dk, p, BPF_ANY) < 0)
			__sync_fetch_and_add(&counters.dns_overflow, 1);
		return;
	}

	__builtin_memcpy(dk.client, k->daddr, 16);
	dk.cport = k->dport;
	struct dns_pending *p = bpf_map_lookup_elem(&dns_pending, &dk);

	if (!p)
		return; /* an answer to a query we did not see */
	/* the query stays pending: its real answer may still come */
	if (!same_addr(p->server, k->saddr) || p->sport != k->sport || p->qhash != question_hash(s->buf, ql + 4)) {
		__sync_fetch_and_add(&counters.dns_mismatch, 1);
		return;
	}
	struct dns_event *e = bpf_ringbuf_reserve(&dns_events, sizeof(*e), 0);

	if (!e) {
		__sync_fetch_and_add(&counters.ring_lost, 1);
		bpf_map_delete_elem(&dns_pending, &dk);
		return;
	}
	__builtin_memcpy(e->client, k->daddr, 16);
	__builtin_memcpy(e->server, k->saddr, 16);
	e->latency_ns = now - p->ts_ns;
	e->ifindex = k->ifindex;
	e->cport = k->dport;
	e->id = id;
	e->qtype = qtype;
	e->qlen = ql;
	e->answers = ancount;
	e->rcode = rcode;
	e->family = k->family;
	bpf_probe_read_kernel(e->qname, DNS_QNAME_MAX, s->buf);
	bpf_ringbuf_submit(e, 0);
	bpf_map_delete_elem(&dns_pending, &dk);
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
		handle_dns(skb, &k, &l4, dir);
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
