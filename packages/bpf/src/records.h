/*
 * The loader's binary output (the default; --format=json writes the same records as NDJSON).
 * A stream starts with struct rec_stream_header, then records, each a struct rec_hdr whose `len`
 * covers the whole record, so a reader can skip types it does not know. All integers little-endian,
 * addresses 16 bytes (IPv4 in the first 4) with the family beside them, strings NUL-padded.
 * src/records.ts decodes this; `weft-probe --layout` prints the sizes and offsets it checks against.
 */
#ifndef WEFT_RECORDS_H
#define WEFT_RECORDS_H
#include <linux/types.h>

#define REC_MAGIC 0x54464557u /* "WEFT" */
#define REC_VERSION 2

enum rec_type {
	REC_HELLO = 1,
	REC_FLOW = 2,
	REC_DROP = 3,
	REC_TCP = 4,
	REC_TCP_STATS = 5,
	REC_DNS = 6,
	REC_STATS = 7,
	REC_LINK = 8,
};

struct rec_stream_header {
	__u32 magic;
	__u16 version;
	__u16 hdr_size; /* of this header */
};

struct rec_hdr {
	__u32 len; /* whole record, header included */
	__u16 type;
	__u16 pad;
	__u64 ts_ms;
};

struct rec_flow {
	struct rec_hdr h;
	__u8 src[16];
	__u8 dst[16];
	__u16 sport;
	__u16 dport;
	__u8 family;
	__u8 proto;
	__u8 dir; /* 0 ingress, 1 egress */
	__u8 tcp_flags;
	char ifname[16];
	__u64 bytes;
	__u64 packets;
};

struct rec_drop {
	struct rec_hdr h;
	__u8 src[16];
	__u8 dst[16];
	__u16 sport;
	__u16 dport;
	__u8 family;
	__u8 proto;
	__u8 pad[2];
	char ifname[16]; /* empty when unknown */
	char reason[64];
	__u64 packets;
	__u64 bytes;
	__u32 netns; /* inode of the network namespace it was dropped in; 0 unknown */
	__u32 pad2;
};

struct rec_tcp {
	struct rec_hdr h;
	__u8 src[16];
	__u8 dst[16];
	__u16 sport;
	__u16 dport;
	__u8 family;
	__u8 event; /* 1 connect_ok, 2 connect_fail */
	__u8 cause; /* 0 none, 1 refused, 2 timeout, 3 reset */
	__u8 pad;
	__u64 latency_ns;
};

struct rec_tcp_stats {
	struct rec_hdr h;
	__u8 src[16];
	__u8 dst[16];
	__u16 sport;
	__u16 dport;
	__u8 family;
	__u8 pad[3];
	__u32 srtt_us;
	__u32 retransmits;
};

struct rec_dns_addr {
	__u8 addr[16];
	__u32 ttl; /* seconds */
	__u8 family;
	__u8 pad[3];
};

struct rec_dns {
	struct rec_hdr h;
	__u8 client[16];
	__u8 server[16];
	__u16 cport;
	__u16 id;
	__u8 family;
	__u8 pad;
	__u16 answers;
	char qtype[12];
	char rcode[12];
	__u64 latency_ns;
	char qname[256]; /* presentation form, escaped, at most 255 chars */
	/* appended: a reader of records from an older loader finds the record ending here */
	__u8 naddrs; /* entries of addrs in use */
	__u8 pad2[7];
	struct rec_dns_addr addrs[8]; /* the answer's A/AAAA addresses for the question (dns_answers.h) */
};

struct rec_stats {
	struct rec_hdr h;
	__u64 flow_overflow;
	__u64 ring_lost;
	__u32 links;
	__u32 pad;
	__u64 dns_mismatch; /* DNS responses not counted as their query's answer: other server or question */
};

struct rec_link {
	struct rec_hdr h;
	__u32 ifindex;
	__u8 event; /* 1 attach, 2 detach, 3 error */
	__u8 pad[3];
	char ifname[16];
	char message[128];
};

struct rec_hello {
	struct rec_hdr h;
	__u32 version;
	__u32 pad;
	char kernel[64];
	char hooks[256]; /* comma-separated */
};

#endif
