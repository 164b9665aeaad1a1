#include "output.h"

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "records.h"

#define OUT_CAP (1 << 20)

static char buf[OUT_CAP];
static size_t used;
static enum out_format fmt;
static bool failed;
static volatile sig_atomic_t *abort_flag;

void out_set_abort_flag(volatile sig_atomic_t *flag)
{
	abort_flag = flag;
}

static __u64 now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (__u64)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int out_flush(void)
{
	size_t off = 0;

	while (off < used && !failed) {
		size_t len = used - off;

		/* shutting down: write only what fits without blocking, give a slow reader 200 ms */
		if (abort_flag && *abort_flag) {
			struct pollfd p = { .fd = STDOUT_FILENO, .events = POLLOUT };

			if (poll(&p, 1, 200) <= 0 || !(p.revents & POLLOUT)) {
				failed = true;
				break;
			}
			if (len > PIPE_BUF)
				len = PIPE_BUF;
		}
		ssize_t n = write(STDOUT_FILENO, buf + off, len);

		if (n < 0) {
			/* a reader that stopped reading must not keep us from removing our hooks on SIGTERM */
			if (errno == EINTR && !(abort_flag && *abort_flag))
				continue;
			failed = true;
			break;
		}
		off += n;
	}
	used = 0;
	return failed ? -1 : 0;
}

bool out_failed(void)
{
	return failed;
}

static void reserve(size_t n)
{
	if (used + n > OUT_CAP)
		out_flush();
}

static void put(const void *p, size_t n)
{
	reserve(n);
	memcpy(buf + used, p, n);
	used += n;
}

/* JSON: every record is at most a few KB (qname escaped is bounded), so format into a line buffer. */
static char line[4096];
static size_t llen;

static void jraw(const char *s)
{
	size_t n = strlen(s);

	if (llen + n < sizeof(line)) {
		memcpy(line + llen, s, n);
		llen += n;
	}
}

static void jfmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
static void jfmt(const char *f, ...)
{
	va_list ap;

	va_start(ap, f);
	int n = vsnprintf(line + llen, sizeof(line) - llen, f, ap);

	va_end(ap);
	if (n > 0 && llen + n < sizeof(line))
		llen += n;
}

static void jstr(const char *key, const char *s)
{
	jfmt(",\"%s\":\"", key);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			jfmt("\\%c", *p);
		else if (*p < 0x20 || *p >= 0x7f)
			jfmt("\\u%04x", *p);
		else
			jfmt("%c", *p);
	}
	jraw("\"");
}

static void jbegin(const char *type)
{
	llen = 0;
	jfmt("{\"type\":\"%s\",\"ts\":%llu", type, (unsigned long long)now_ms());
}

static void jend(void)
{
	jraw("}\n");
	put(line, llen);
}

/* IPv4-mapped IPv6 (dual-stack sockets) is reported as the IPv4 address the wire carries. */
static __u8 norm_addr(__u8 family, const __u8 *in, __u8 *out)
{
	static const __u8 mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

	memset(out, 0, 16);
	if (family == WEFT_AF_INET6 && memcmp(in, mapped, 12) == 0) {
		memcpy(out, in + 12, 4);
		return WEFT_AF_INET;
	}
	memcpy(out, in, family == WEFT_AF_INET ? 4 : 16);
	return family;
}

static void jaddr(const char *key, __u8 family, const __u8 *addr)
{
	char s[INET6_ADDRSTRLEN];

	if (!inet_ntop(family == WEFT_AF_INET ? AF_INET : AF_INET6, addr, s, sizeof(s)))
		s[0] = 0;
	jstr(key, s);
}

/* Both ends of a record, normalised once and written the same way by either format. */
struct ends {
	__u8 family;
	__u8 src[16];
	__u8 dst[16];
};

static void norm_ends(struct ends *e, __u8 family, const __u8 *src, const __u8 *dst)
{
	e->family = norm_addr(family, src, e->src);
	norm_addr(family, dst, e->dst);
}

static void jends(const char *skey, const char *dkey, const struct ends *e)
{
	jaddr(skey, e->family, e->src);
	jaddr(dkey, e->family, e->dst);
}

static void jports(const struct ends *e, __u16 sport, __u16 dport)
{
	jends("src", "dst", e);
	jfmt(",\"sport\":%u,\"dport\":%u", sport, dport);
}

/* A macro because every record struct has its own type; the field names are shared. */
#define BIN_PORTS(r, e, sp, dp)               \
	do {                                  \
		memcpy((r).src, (e).src, 16); \
		memcpy((r).dst, (e).dst, 16); \
		(r).sport = (sp);             \
		(r).dport = (dp);             \
		(r).family = (e).family;      \
	} while (0)

static const char *proto_name(__u8 p)
{
	switch (p) {
	case 6:
		return "tcp";
	case 17:
		return "udp";
	case 1:
		return "icmp";
	case 58:
		return "icmpv6";
	default:
		return "other";
	}
}

static void hdr(struct rec_hdr *h, __u16 type, __u32 len)
{
	h->len = len;
	h->type = type;
	h->pad = 0;
	h->ts_ms = now_ms();
}

static void copy_str(char *dst, size_t n, const char *src)
{
	size_t len = src ? strnlen(src, n - 1) : 0;

	memcpy(dst, src ? src : "", len);
	dst[len] = 0;
}

void out_init(enum out_format format)
{
	fmt = format;
	if (fmt == OUT_BINARY) {
		struct rec_stream_header sh = { .magic = REC_MAGIC, .version = REC_VERSION, .hdr_size = sizeof(sh) };

		put(&sh, sizeof(sh));
	}
}

void out_hello(const char *kernel, const char *hooks)
{
	if (fmt == OUT_JSON) {
		jbegin("hello");
		jfmt(",\"version\":%d,\"hooks\":[", REC_VERSION);
		char tmp[256];

		copy_str(tmp, sizeof(tmp), hooks);
		bool first = true;

		for (char *save = NULL, *t = strtok_r(tmp, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
			jfmt("%s\"%s\"", first ? "" : ",", t);
			first = false;
		}
		jraw("]");
		jstr("kernel", kernel);
		jend();
		return;
	}
	struct rec_hello r = {};

	hdr(&r.h, REC_HELLO, sizeof(r));
	r.version = REC_VERSION;
	copy_str(r.kernel, sizeof(r.kernel), kernel);
	copy_str(r.hooks, sizeof(r.hooks), hooks);
	put(&r, sizeof(r));
}

void out_flow(const struct flow_key *k, const struct flow_val *v, const char *ifname)
{
	struct ends a;

	norm_ends(&a, k->family, k->saddr, k->daddr);
	if (fmt == OUT_JSON) {
		jbegin("flow");
		jports(&a, k->sport, k->dport);
		jstr("proto", proto_name(k->proto));
		jstr("ifname", ifname);
		jstr("dir", k->dir == WEFT_DIR_EGRESS ? "egress" : "ingress");
		jfmt(",\"bytes\":%llu,\"packets\":%llu,\"tcp_flags\":%u", (unsigned long long)v->bytes,
		     (unsigned long long)v->packets, v->tcp_flags & 0xff);
		jend();
		return;
	}
	struct rec_flow r = {};

	hdr(&r.h, REC_FLOW, sizeof(r));
	BIN_PORTS(r, a, k->sport, k->dport);
	r.proto = k->proto;
	r.dir = k->dir;
	r.tcp_flags = v->tcp_flags & 0xff;
	copy_str(r.ifname, sizeof(r.ifname), ifname);
	r.bytes = v->bytes;
	r.packets = v->packets;
	put(&r, sizeof(r));
}

void out_drop(const struct drop_key *k, const struct drop_val *v, const char *ifname, const char *reason)
{
	struct ends a;

	norm_ends(&a, k->family, k->saddr, k->daddr);
	if (fmt == OUT_JSON) {
		jbegin("drop");
		jports(&a, k->sport, k->dport);
		jstr("proto", proto_name(k->proto));
		if (ifname && *ifname)
			jstr("ifname", ifname);
		jstr("reason", reason);
		jfmt(",\"packets\":%llu,\"bytes\":%llu", (unsigned long long)v->packets,
		     (unsigned long long)v->bytes);
		if (k->netns)
			jfmt(",\"netns\":%u", k->netns);
		jend();
		return;
	}
	struct rec_drop r = {};

	hdr(&r.h, REC_DROP, sizeof(r));
	BIN_PORTS(r, a, k->sport, k->dport);
	r.proto = k->proto;
	copy_str(r.ifname, sizeof(r.ifname), ifname);
	copy_str(r.reason, sizeof(r.reason), reason);
	r.packets = v->packets;
	r.bytes = v->bytes;
	r.netns = k->netns;
	put(&r, sizeof(r));
}

static const char *cause_name(__u8 c)
{
	switch (c) {
	case TCP_CAUSE_REFUSED:
		return "refused";
	case TCP_CAUSE_RESET:
		return "reset";
	default:
		return "timeout";
	}
}

void out_tcp(const struct tcp_event *e)
{
	struct ends a;

	norm_ends(&a, e->family, e->saddr, e->daddr);
	if (fmt == OUT_JSON) {
		jbegin("tcp");
		jstr("event", e->kind == TCP_EV_CONNECT_OK ? "connect_ok" : "connect_fail");
		jports(&a, e->sport, e->dport);
		if (e->kind == TCP_EV_CONNECT_OK)
			jfmt(",\"latency_us\":%.3f", e->latency_ns / 1000.0);
		else
			jstr("cause", cause_name(e->cause));
		jend();
		return;
	}
	struct rec_tcp r = {};

	hdr(&r.h, REC_TCP, sizeof(r));
	BIN_PORTS(r, a, e->sport, e->dport);
	r.event = e->kind;
	r.cause = e->kind == TCP_EV_CONNECT_OK ? 0 : (e->cause ? e->cause : TCP_CAUSE_TIMEOUT);
	r.latency_ns = e->latency_ns;
	put(&r, sizeof(r));
}

void out_tcp_stats(const struct tcp_stats_key *k, const struct tcp_stats_val *v)
{
	struct ends a;

	norm_ends(&a, k->family, k->saddr, k->daddr);
	if (fmt == OUT_JSON) {
		jbegin("tcp_stats");
		jports(&a, k->sport, k->dport);
		jfmt(",\"srtt_us\":%u,\"retransmits\":%u", v->srtt_us, v->retransmits);
		jend();
		return;
	}
	struct rec_tcp_stats r = {};

	hdr(&r.h, REC_TCP_STATS, sizeof(r));
	BIN_PORTS(r, a, k->sport, k->dport);
	r.srtt_us = v->srtt_us;
	r.retransmits = v->retransmits;
	put(&r, sizeof(r));
}

size_t dns_name_text(const __u8 *wire, size_t wlen, char *out, size_t outsz)
{
	size_t o = 0, pos = 0;

	if (outsz == 0)
		return 0;
	while (pos < wlen) {
		__u8 l = wire[pos];

		if (l == 0 || (l & 0xc0) || pos + 1 + l > wlen)
			break;
		for (size_t i = 0; i < l; i++) {
			unsigned char c = wire[pos + 1 + i];
			char esc[5];

			if (c == '.' || c == '\\')
				snprintf(esc, sizeof(esc), "\\%c", c);
			else if (c > 0x20 && c < 0x7f)
				snprintf(esc, sizeof(esc), "%c", c);
			else
				snprintf(esc, sizeof(esc), "\\%03u", c);
			size_t n = strlen(esc);

			/* truncate only at a whole character so no escape is cut in half */
			if (o + n + 1 > outsz)
				goto done;
			memcpy(out + o, esc, n);
			o += n;
		}
		pos += 1 + l;
		if (pos < wlen && wire[pos] != 0) {
			if (o + 2 > outsz)
				goto done;
			out[o++] = '.';
		}
	}
	if (o == 0 && outsz > 1)
		out[o++] = '.';
done:
	out[o] = 0;
	return o;
}

const char *dns_rcode_name(unsigned rcode, char *b, size_t n)
{
	static const char *names[] = { "NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED" };

	if (rcode < sizeof(names) / sizeof(names[0]))
		return names[rcode];
	snprintf(b, n, "RCODE%u", rcode);
	return b;
}

const char *dns_qtype_name(unsigned qtype, char *b, size_t n)
{
	switch (qtype) {
	case 1:
		return "A";
	case 2:
		return "NS";
	case 5:
		return "CNAME";
	case 6:
		return "SOA";
	case 12:
		return "PTR";
	case 15:
		return "MX";
	case 16:
		return "TXT";
	case 28:
		return "AAAA";
	case 33:
		return "SRV";
	case 255:
		return "ANY";
	default:
		snprintf(b, n, "TYPE%u", qtype);
		return b;
	}
}

void out_dns(__u8 family, const __u8 *client, const __u8 *server, __u16 cport, __u16 id, __u16 qtype,
	     const char *rcode, __u16 answers, __u64 latency_ns, const __u8 *qname, __u16 qlen,
	     const struct dns_addr *addrs, int naddrs)
{
	struct ends a;
	char name[256], tb[16];
	__u8 at[DNS_ADDRS_MAX][16], af[DNS_ADDRS_MAX];

	if (naddrs < 0 || !addrs)
		naddrs = 0;
	if (naddrs > DNS_ADDRS_MAX)
		naddrs = DNS_ADDRS_MAX;
	for (int i = 0; i < naddrs; i++)
		af[i] = norm_addr(addrs[i].family, addrs[i].addr, at[i]);
	const char *qt = dns_qtype_name(qtype, tb, sizeof(tb));

	norm_ends(&a, family, client, server);
	dns_name_text(qname, qlen > DNS_QNAME_MAX ? DNS_QNAME_MAX : qlen, name, sizeof(name));
	if (fmt == OUT_JSON) {
		jbegin("dns");
		jends("client", "server", &a);
		jfmt(",\"cport\":%u,\"id\":%u", cport, id);
		jstr("qname", name);
		jstr("qtype", qt);
		jstr("rcode", rcode);
		jfmt(",\"answers\":%u,\"latency_us\":%.3f", answers, latency_ns / 1000.0);
		if (naddrs > 0) {
			jraw(",\"addrs\":[");
			for (int i = 0, written = 0; i < naddrs; i++) {
				char ip[INET6_ADDRSTRLEN];

				/* inet_ntop writes only digits, hex letters, dots and colons: nothing to escape */
				if (!inet_ntop(af[i] == WEFT_AF_INET ? AF_INET : AF_INET6, at[i], ip, sizeof(ip)))
					continue;
				jfmt("%s{\"ip\":\"%s\",\"ttl\":%u}", written++ ? "," : "", ip, addrs[i].ttl);
			}
			jraw("]");
		}
		jend();
		return;
	}
	struct rec_dns r = {};

	hdr(&r.h, REC_DNS, sizeof(r));
	memcpy(r.client, a.src, 16);
	memcpy(r.server, a.dst, 16);
	r.cport = cport;
	r.id = id;
	r.family = a.family;
	r.answers = answers;
	copy_str(r.qtype, sizeof(r.qtype), qt);
	copy_str(r.rcode, sizeof(r.rcode), rcode);
	r.latency_ns = latency_ns;
	copy_str(r.qname, sizeof(r.qname), name);
	r.naddrs = naddrs;
	for (int i = 0; i < naddrs; i++) {
		memcpy(r.addrs[i].addr, at[i], 16);
		r.addrs[i].ttl = addrs[i].ttl;
		r.addrs[i].family = af[i];
	}
	put(&r, sizeof(r));
}

void out_stats(__u64 flow_overflow, __u64 ring_lost, __u32 links, __u64 dns_mismatch)
{
	if (fmt == OUT_JSON) {
		jbegin("stats");
		jfmt(",\"flow_overflow\":%llu,\"ring_lost\":%llu,\"links\":%u,\"dns_mismatch\":%llu",
		     (unsigned long long)flow_overflow, (unsigned long long)ring_lost, links,
		     (unsigned long long)dns_mismatch);
		jend();
		return;
	}
	struct rec_stats r = {};

	hdr(&r.h, REC_STATS, sizeof(r));
	r.flow_overflow = flow_overflow;
	r.ring_lost = ring_lost;
	r.links = links;
	r.dns_mismatch = dns_mismatch;
	put(&r, sizeof(r));
}

void out_link(int event, __u32 ifindex, const char *ifname, const char *message)
{
	static const char *names[] = { "", "attach", "detach", "error" };

	if (fmt == OUT_JSON) {
		jbegin("link");
		jstr("event", names[event & 3]);
		jstr("ifname", ifname);
		jfmt(",\"ifindex\":%u", ifindex);
		if (message && *message)
			jstr("message", message);
		jend();
		return;
	}
	struct rec_link r = {};

	hdr(&r.h, REC_LINK, sizeof(r));
	r.ifindex = ifindex;
	r.event = event;
	copy_str(r.ifname, sizeof(r.ifname), ifname);
	copy_str(r.message, sizeof(r.message), message);
	put(&r, sizeof(r));
}
