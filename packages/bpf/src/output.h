/* Writes the probe's records to stdout: binary (records.h) or NDJSON with the same fields. */
#ifndef WEFT_OUTPUT_H
#define WEFT_OUTPUT_H
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include "dns.h"
#include "dns_answers.h"
#include "drop.h"
#include "flow.h"
#include "tcp.h"

enum out_format { OUT_BINARY, OUT_JSON };

void out_init(enum out_format format);
/* When *flag is set, a write interrupted by a signal gives up instead of retrying. */
void out_set_abort_flag(volatile sig_atomic_t *flag);
/* 0, or -1 when stdout is gone (reader exited): the caller shuts down cleanly. */
int out_flush(void);
bool out_failed(void);

void out_hello(const char *kernel, const char *hooks);
void out_flow(const struct flow_key *k, const struct flow_val *v, const char *ifname);
void out_drop(const struct drop_key *k, const struct drop_val *v, const char *ifname, const char *reason);
void out_tcp(const struct tcp_event *e);
void out_tcp_stats(const struct tcp_stats_key *k, const struct tcp_stats_val *v);
void out_dns(__u8 family, const __u8 *client, const __u8 *server, __u16 cport, __u16 id, __u16 qtype,
	     const char *rcode, __u16 answers, __u64 latency_ns, const __u8 *qname, __u16 qlen,
	     const struct dns_addr *addrs, int naddrs);
void out_stats(__u64 flow_overflow, __u64 ring_lost, __u32 links, __u64 dns_mismatch);
void out_link(int event, __u32 ifindex, const char *ifname, const char *message);

/* Exposed for --self-test style checks and reuse. */
size_t dns_name_text(const __u8 *wire, size_t wlen, char *out, size_t outsz);
const char *dns_rcode_name(unsigned rcode, char *buf, size_t n);
const char *dns_qtype_name(unsigned qtype, char *buf, size_t n);

#endif
