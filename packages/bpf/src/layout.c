#include "layout.h"

#include <stddef.h>
#include <stdio.h>

#include "records.h"

#define F(s, m) printf("%s\"%s\":%zu", first++ ? "," : "", #m, offsetof(struct s, m))
#define REC(name, s, ...)                                                                              \
	do {                                                                                           \
		int first = 0;                                                                         \
		printf("%s\"%s\":{", nrec++ ? "," : "", name);                                          \
		printf("\"size\":%zu,", sizeof(struct s));                                              \
		__VA_ARGS__;                                                                           \
		printf("}");                                                                           \
	} while (0)


void layout_print(void)
{
	int nrec = 0;

	printf("{\"magic\":%u,\"version\":%d,", REC_MAGIC, REC_VERSION);
	printf("\"types\":{\"hello\":%d,\"flow\":%d,\"drop\":%d,\"tcp\":%d,\"tcp_stats\":%d,\"dns\":%d,"
	       "\"stats\":%d,\"link\":%d},",
	       REC_HELLO, REC_FLOW, REC_DROP, REC_TCP, REC_TCP_STATS, REC_DNS, REC_STATS, REC_LINK);
	printf("\"records\":{");
	REC("stream_header", rec_stream_header, F(rec_stream_header, magic); F(rec_stream_header, version);
	    F(rec_stream_header, hdr_size));
	REC("header", rec_hdr, F(rec_hdr, len); F(rec_hdr, type); F(rec_hdr, ts_ms));
	REC("hello", rec_hello, F(rec_hello, version); F(rec_hello, kernel); F(rec_hello, hooks));
	REC("flow", rec_flow, F(rec_flow, src); F(rec_flow, dst); F(rec_flow, sport); F(rec_flow, dport);
	    F(rec_flow, family); F(rec_flow, proto); F(rec_flow, dir); F(rec_flow, tcp_flags); F(rec_flow, ifname);
	    F(rec_flow, bytes); F(rec_flow, packets));
	REC("drop", rec_drop, F(rec_drop, src); F(rec_drop, dst); F(rec_drop, sport); F(rec_drop, dport);
	    F(rec_drop, family); F(rec_drop, proto); F(rec_drop, ifname); F(rec_drop, reason); F(rec_drop, packets);
	    F(rec_drop, bytes); F(rec_drop, netns));
	REC("tcp", rec_tcp, F(rec_tcp, src); F(rec_tcp, dst); F(rec_tcp, sport); F(rec_tcp, dport);
	    F(rec_tcp, family); F(rec_tcp, event); F(rec_tcp, cause); F(rec_tcp, latency_ns));
	REC("tcp_stats", rec_tcp_stats, F(rec_tcp_stats, src); F(rec_tcp_stats, dst); F(rec_tcp_stats, sport);
	    F(rec_tcp_stats, dport); F(rec_tcp_stats, family); F(rec_tcp_stats, srtt_us);
	    F(rec_tcp_stats, retransmits));
	REC("dns", rec_dns, F(rec_dns, client); F(rec_dns, server); F(rec_dns, cport); F(rec_dns, id);
	    F(rec_dns, family); F(rec_dns, answers); F(rec_dns, qtype); F(rec_dns, rcode); F(rec_dns, latency_ns);
	    F(rec_dns, qname); F(rec_dns, naddrs); F(rec_dns, addrs));
	REC("dns_addr", rec_dns_addr, F(rec_dns_addr, addr); F(rec_dns_addr, ttl); F(rec_dns_addr, family));
	REC("stats", rec_stats, F(rec_stats, flow_overflow); F(rec_stats, ring_lost); F(rec_stats, links);
	    F(rec_stats, dns_mismatch));
	REC("link", rec_link, F(rec_link, ifindex); F(rec_link, event); F(rec_link, ifname); F(rec_link, message));
	printf("}}\n");
}
