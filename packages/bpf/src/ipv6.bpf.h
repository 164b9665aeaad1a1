/* IPv6 extension headers between the fixed header and TCP/UDP/ICMPv6 (BPF side, shared by units). */
#ifndef WEFT_IPV6_BPF_H
#define WEFT_IPV6_BPF_H

#define IPV6_EXT_MAX 4
#define NEXTHDR_HOP 0
#define NEXTHDR_ROUTING 43
#define NEXTHDR_FRAGMENT 44
#define NEXTHDR_AUTH 51
#define NEXTHDR_DEST 60

static __always_inline bool ipv6_is_ext(__u8 nh)
{
	return nh == NEXTHDR_HOP || nh == NEXTHDR_ROUTING || nh == NEXTHDR_FRAGMENT || nh == NEXTHDR_AUTH ||
	       nh == NEXTHDR_DEST;
}

/*
 * One extension header: `h` holds its first 4 bytes. Returns its length and sets *next;
 * *later_fragment when it is a fragment header of a non-first fragment (no transport header then).
 */
static __always_inline __u32 ipv6_ext_len(__u8 nh, const __u8 *h, __u8 *next, bool *later_fragment)
{
	*next = h[0];
	if (nh == NEXTHDR_FRAGMENT) {
		*later_fragment = ((h[2] << 8 | h[3]) & 0xfff8) != 0;
		return 8;
	}
	if (nh == NEXTHDR_AUTH)
		return (h[1] + 2) * 4;
	return (h[1] + 1) * 8;
}

#endif
