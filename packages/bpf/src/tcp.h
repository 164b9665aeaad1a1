/* TCP connection outcomes (inet_sock_set_state) and per-connection RTT/retransmits (tcp.bpf.c). */
#ifndef WEFT_TCP_H
#define WEFT_TCP_H
#include "types.h"

enum tcp_event_kind {
	TCP_EV_CONNECT_OK = 1,
	TCP_EV_CONNECT_FAIL = 2,
};

enum tcp_fail_cause {
	TCP_CAUSE_NONE = 0,
	TCP_CAUSE_REFUSED = 1,
	TCP_CAUSE_TIMEOUT = 2,
	TCP_CAUSE_RESET = 3,
};

struct tcp_event {
	__u8 saddr[16];
	__u8 daddr[16];
	__u64 latency_ns;
	__u32 sk_err; /* the socket's error when it closed: ECONNREFUSED, ETIMEDOUT, 0 when the app gave up */
	__u16 sport;
	__u16 dport;
	__u8 family;
	__u8 kind;  /* enum tcp_event_kind */
	__u8 cause; /* enum tcp_fail_cause */
	__u8 pad;
};

struct tcp_stats_key {
	__u8 saddr[16];
	__u8 daddr[16];
	__u16 sport;
	__u16 dport;
	__u8 family;
	__u8 pad[3];
};

struct tcp_stats_val {
	__u32 srtt_us;
	__u32 retransmits;
};

struct tcp_counters {
	__u64 ring_lost;
	__u64 stats_overflow;
};

#endif
