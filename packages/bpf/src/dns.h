/* DNS pairing: the structs the tc programs (dns.bpf.h) and the loader share. */
#ifndef WEFT_DNS_H
#define WEFT_DNS_H
#include "types.h"

#define DNS_QNAME_MAX 256 /* wire-format name, incl. the terminating zero label (RFC 1035: 255) */
/*
 * Bytes of an answer (from its DNS header on) copied into its event for the loader to read the
 * addresses from (dns_answers.c): a classic UDP message's size. Only NOERROR answers to A/AAAA
 * queries that have answer records are copied; records past it are not read.
 */
#define DNS_MSG_MAX 512

/*
 * A query seen leaving a pod, waiting for its answer on the same veth. Only a response from the
 * server address and port the query went to, carrying the same question, is its answer: anything
 * else with the client's address, port and id (spoofed or stray) is counted in dns_mismatch.
 */
struct dns_key {
	__u8 client[16];
	__u32 ifindex;
	__u16 cport;
	__u16 id;
	__u8 family;
	__u8 pad[3];
};

struct dns_pending {
	__u64 ts_ns;
	__u64 qhash; /* of the question's wire bytes: name, type and class */
	__u8 server[16];
	__u16 sport; /* the server's port, host byte order */
	__u16 qtype;
	__u16 qlen;
	__u16 pad;
	__u8 qname[DNS_QNAME_MAX];
};

/* Ring buffer event: an answered query. Timeouts are found by the loader in the pending map. */
struct dns_event {
	__u8 client[16];
	__u8 server[16];
	__u64 latency_ns;
	__u32 ifindex;
	__u16 cport;
	__u16 id;
	__u16 qtype;
	__u16 qlen;
	__u16 answers;
	__u8 rcode;
	__u8 family;
	__u8 qname[DNS_QNAME_MAX];
	__u16 msglen; /* bytes of msg copied; 0: none */
	__u16 pad[3];
	__u8 msg[DNS_MSG_MAX];
};

#endif
