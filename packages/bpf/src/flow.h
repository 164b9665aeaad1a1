/* Per-flow counters kept by the tc programs (flow.bpf.c), drained by the loader every interval. */
#ifndef WEFT_FLOW_H
#define WEFT_FLOW_H
#include "types.h"

/* Relative to the pod behind the host-side veth: tc ingress on that veth sees what leaves the pod. */
enum weft_dir {
	WEFT_DIR_INGRESS = 0,
	WEFT_DIR_EGRESS = 1,
};

struct flow_key {
	__u8 saddr[16]; /* IPv4 in the first 4 bytes, rest zero */
	__u8 daddr[16];
	__u32 ifindex;
	__u16 sport; /* host byte order */
	__u16 dport;
	__u8 family; /* WEFT_AF_INET or WEFT_AF_INET6 */
	__u8 proto;  /* IPPROTO_* */
	__u8 dir;    /* enum weft_dir */
	__u8 pad;
};

/* Kept small and time-free: the fast path only adds; the drain gives the interval's delta. */
struct flow_val {
	__u64 bytes; /* wire bytes: GSO packets counted as the segments they become */
	__u64 packets;
	__u32 tcp_flags;
	__u32 pad;
};

/* Counters the loader reads from the object's .bss. */
struct flow_counters {
	__u64 flow_overflow;
	__u64 dns_overflow;
	__u64 ring_lost;
	__u64 dns_mismatch; /* responses to a pending query from another server or for another question */
};

#endif
