#include "parse_dns.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "dns.h"
#include "dns_answers.h"

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Each line: a message in hex (an odd digit or a non-hex character ends it there). Like the probe,
 * the parser sees at most DNS_MSG_MAX bytes of it. Out: {"addrs":[{"ip":..,"ttl":..},..]}.
 */
int run_parse_dns(void)
{
	static char line[4 * DNS_MSG_MAX + 16];
	__u8 msg[DNS_MSG_MAX];

	while (fgets(line, sizeof(line), stdin)) {
		size_t n = 0;

		for (size_t i = 0; line[i] && line[i + 1] && n < sizeof(msg); i += 2) {
			int hi = hexval((unsigned char)line[i]), lo = hexval((unsigned char)line[i + 1]);

			if (hi < 0 || lo < 0)
				break;
			msg[n++] = (__u8)(hi << 4 | lo);
		}
		/* the rest of an over-long line */
		while (!strchr(line, '\n') && fgets(line, sizeof(line), stdin))
			;
		struct dns_addr a[DNS_ADDRS_MAX];
		int k = dns_answer_addrs(msg, n, a, DNS_ADDRS_MAX);

		printf("{\"addrs\":[");
		for (int i = 0; i < k; i++) {
			char ip[INET6_ADDRSTRLEN] = "";

			inet_ntop(a[i].family == WEFT_AF_INET ? AF_INET : AF_INET6, a[i].addr, ip, sizeof(ip));
			printf("%s{\"ip\":\"%s\",\"ttl\":%u}", i ? "," : "", ip, a[i].ttl);
		}
		printf("]}\n");
		fflush(stdout);
	}
	return 0;
}
