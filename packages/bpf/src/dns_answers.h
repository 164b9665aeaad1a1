/* The addresses a DNS answer gives for its question, read by the loader from the copy in a dns_event. */
#ifndef WEFT_DNS_ANSWERS_H
#define WEFT_DNS_ANSWERS_H
#include <stddef.h>

#include "types.h"

#define DNS_ADDRS_MAX 8

struct dns_addr {
	__u8 addr[16]; /* IPv4 in the first 4 */
	__u32 ttl;
	__u8 family; /* WEFT_AF_INET or WEFT_AF_INET6 */
};

/*
 * The A and AAAA records of a response `msg` (`len` bytes from its DNS header, possibly cut short)
 * that answer its question's name or a name the answer's CNAME chain leads it to, at most `max`, in
 * the answer's order. Hostile input is expected: every read is bounds-checked, compression pointers
 * are followed a bounded number of times, and a record cut by the end of the copy ends the parse
 * (the records before it stand). Returns how many it wrote.
 */
int dns_answer_addrs(const __u8 *msg, size_t len, struct dns_addr *out, int max);

#endif
