#include "dns_answers.h"

#include <string.h>

#define NAME_WIRE_MAX 255 /* RFC 1035: a name's wire form, the zero label included */
#define MAX_POINTERS 32	  /* compression pointers followed for one name: ends pointer loops */
#define MAX_RRS 64	  /* answer records read (a 512-byte copy holds at most 42) */
#define MAX_CHAIN 8	  /* CNAMEs followed from the question's name */
#define TYPE_A 1
#define TYPE_CNAME 5
#define TYPE_AAAA 28
#define CLASS_IN 1

struct name {
	__u8 b[NAME_WIRE_MAX];
	size_t len;
};

struct rr {
	struct name owner;
	__u16 type;
	__u16 class;
	__u32 ttl;
	size_t rdata;
	__u16 rdlen;
};

static __u16 u16at(const __u8 *p)
{
	return (__u16)(p[0] << 8 | p[1]);
}

/*
 * The name at *pos, compression pointers followed, in wire form with ASCII letters lowered (names
 * compare without case); *pos moves past it as it sits in the message. -1 when malformed: past the
 * end, too long, a label type other than plain or pointer, more than MAX_POINTERS pointers.
 */
static int read_name(const __u8 *msg, size_t len, size_t *pos, struct name *n)
{
	size_t p = *pos, end = 0;
	int jumps = 0;

	n->len = 0;
	for (;;) {
		if (p >= len)
			return -1;
		__u8 l = msg[p];

		if ((l & 0xc0) == 0xc0) {
			if (p + 1 >= len || ++jumps > MAX_POINTERS)
				return -1;
			if (jumps == 1)
				end = p + 2;
			p = (size_t)(l & 0x3f) << 8 | msg[p + 1];
			continue;
		}
		if (l & 0xc0)
			return -1;
		if (n->len + 1 + l > NAME_WIRE_MAX)
			return -1;
		if (l == 0) {
			n->b[n->len++] = 0;
			if (jumps == 0)
				end = p + 1;
			break;
		}
		if (p + 1 + l > len)
			return -1;
		n->b[n->len++] = l;
		for (size_t i = 0; i < l; i++) {
			__u8 c = msg[p + 1 + i];

			n->b[n->len++] = c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
		}
		p += 1 + l;
	}
	*pos = end;
	return 0;
}

static int same_name(const struct name *a, const struct name *b)
{
	return a->len == b->len && memcmp(a->b, b->b, a->len) == 0;
}

/* The answer's records; static: the loader is one thread and a few KB stay off its stack. */
static struct rr rrs[MAX_RRS];
static struct name chain[MAX_CHAIN + 1];

int dns_answer_addrs(const __u8 *msg, size_t len, struct dns_addr *out, int max)
{
	if (!msg || len < 12 || max <= 0)
		return 0;
	unsigned qdcount = u16at(msg + 4), ancount = u16at(msg + 6);
	size_t pos = 12;

	if (qdcount != 1 || read_name(msg, len, &pos, &chain[0]) < 0 || pos + 4 > len)
		return 0;
	pos += 4;

	int n = 0;

	for (unsigned i = 0; i < ancount && n < MAX_RRS; i++) {
		struct rr *r = &rrs[n];

		if (read_name(msg, len, &pos, &r->owner) < 0 || pos + 10 > len)
			break;
		r->type = u16at(msg + pos);
		r->class = u16at(msg + pos + 2);
		r->ttl = (__u32)msg[pos + 4] << 24 | (__u32)msg[pos + 5] << 16 | (__u32)msg[pos + 6] << 8 | msg[pos + 7];
		if (r->ttl > 0x7fffffffu)
			r->ttl = 0; /* RFC 2181 8: a TTL with the top bit set is zero */
		r->rdlen = u16at(msg + pos + 8);
		r->rdata = pos + 10;
		if (r->rdata + r->rdlen > len)
			break; /* cut by the end of the copy */
		pos = r->rdata + r->rdlen;
		n++;
	}

	/* the question's name, then each name a CNAME of the one before leads to */
	int links = 1;

	while (links <= MAX_CHAIN) {
		const struct name *cur = &chain[links - 1];
		int next = -1;

		for (int i = 0; i < n && next < 0; i++)
			if (rrs[i].type == TYPE_CNAME && rrs[i].class == CLASS_IN && same_name(&rrs[i].owner, cur))
				next = i;
		if (next < 0)
			break;
		size_t p = rrs[next].rdata;

		/* the target must lie inside the record's data (what a pointer leads to may lie anywhere) */
		if (read_name(msg, len, &p, &chain[links]) < 0 || p > rrs[next].rdata + rrs[next].rdlen)
			break;
		int loop = 0;

		for (int j = 0; j < links && !loop; j++)
			loop = same_name(&chain[j], &chain[links]);
		if (loop)
			break;
		links++;
	}

	int k = 0;

	for (int i = 0; i < n && k < max; i++) {
		const struct rr *r = &rrs[i];
		__u8 family;

		if (r->class != CLASS_IN)
			continue;
		if (r->type == TYPE_A && r->rdlen == 4)
			family = WEFT_AF_INET;
		else if (r->type == TYPE_AAAA && r->rdlen == 16)
			family = WEFT_AF_INET6;
		else
			continue;
		int ours = 0;

		for (int j = 0; j < links && !ours; j++)
			ours = same_name(&r->owner, &chain[j]);
		if (!ours)
			continue;
		memset(&out[k], 0, sizeof(out[k]));
		memcpy(out[k].addr, msg + r->rdata, r->rdlen);
		out[k].ttl = r->ttl;
		out[k].family = family;
		k++;
	}
	return k;
}
