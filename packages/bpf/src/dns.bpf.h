/*
 * DNS query/response pairing for the tc programs (BPF side; flow.bpf.c calls handle_dns for packets
 * to or from port 53). The structs it shares with the loader are in dns.h.
 */
#ifndef WEFT_DNS_BPF_H
#define WEFT_DNS_BPF_H
#include "dns.h"
#include "flow.h"

#define DNS_PORT 53
#define DNS_HDR_LEN 12
#define DNS_SCAN 300 /* bytes after the DNS header copied for the question: name + type + class */
#define DNS_QUESTION_WORDS ((DNS_QNAME_MAX + 4 + 7) / 8)

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
	/*
	 * The answer's length passes through here: read back from the map it is a plain unknown number,
	 * so its use as a helper's size doesn't make the verifier track every path's packet offsets
	 * precisely (which took it past its instruction limit).
	 */
	__u32 msglen;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct dns_scratch);
} scratch SEC(".maps");

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

/*
 * A DNS message at `off` in a packet of flow `k` (UDP or TCP, port 53): a query leaving the client
 * pod waits in dns_pending; its answer entering the pod becomes a dns_event with the latency.
 * Overflows, lost events and mismatched answers are counted in *c.
 */
static __always_inline void handle_dns(struct __sk_buff *skb, const struct flow_key *k, __u32 off, __u8 dir,
				       struct flow_counters *c)
{
	__u64 now = bpf_ktime_get_ns();

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
			__sync_fetch_and_add(&c->dns_overflow, 1);
		return;
	}

	__builtin_memcpy(dk.client, k->daddr, 16);
	dk.cport = k->dport;
	struct dns_pending *p = bpf_map_lookup_elem(&dns_pending, &dk);

	if (!p)
		return; /* an answer to a query we did not see */
	/* the query stays pending: its real answer may still come */
	if (!same_addr(p->server, k->saddr) || p->sport != k->sport || p->qhash != question_hash(s->buf, ql + 4)) {
		__sync_fetch_and_add(&c->dns_mismatch, 1);
		return;
	}
	struct dns_event *e = bpf_ringbuf_reserve(&dns_events, sizeof(*e), 0);

	if (!e) {
		__sync_fetch_and_add(&c->ring_lost, 1);
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
	/* the answer's addresses: the loader parses them from a bounded copy of the message */
	e->msglen = 0;
	if (rcode == 0 && ancount > 0 && (qtype == 1 || qtype == 28)) {
		s->msglen = skb->len - off;
		__u32 mlen = *(volatile __u32 *)&s->msglen;

		if (mlen > DNS_MSG_MAX)
			mlen = DNS_MSG_MAX;
		if (mlen > DNS_HDR_LEN && bpf_skb_load_bytes(skb, off, e->msg, mlen) == 0)
			e->msglen = mlen;
	}
	bpf_ringbuf_submit(e, 0);
	bpf_map_delete_elem(&dns_pending, &dk);
}

#endif
