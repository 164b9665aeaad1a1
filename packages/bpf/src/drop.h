/* Drops seen by tp_btf/kfree_skb (drop.bpf.c), aggregated per 5-tuple and reason. */
#ifndef WEFT_DROP_H
#define WEFT_DROP_H
#include "types.h"

/* Reasons below this number can be marked routine (not a drop) by the loader. */
#define DROP_REASON_SKIP_MAX 1024

struct drop_key {
	__u8 saddr[16];
	__u8 daddr[16];
	__u32 reason;  /* enum skb_drop_reason of the running kernel: named from BTF by the loader */
	__u32 ifindex; /* 0 when the skb had no device yet */
	__u32 netns;   /* inode of the network namespace it was dropped in (device's, else socket's); 0 unknown */
	__u16 sport;
	__u16 dport;
	__u8 family;
	__u8 proto;
	__u8 pad[2];
};

struct drop_val {
	__u64 packets;
	__u64 bytes;
};

#endif
