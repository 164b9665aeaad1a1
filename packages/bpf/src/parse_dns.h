/*
 * `weft-probe --parse-dns`: the answer parser (dns_answers.c) on messages given as hex lines on stdin,
 * one JSON line out per line in, no kernel involved; its tests feed it real and hostile messages.
 */
#ifndef WEFT_PARSE_DNS_H
#define WEFT_PARSE_DNS_H

int run_parse_dns(void);

#endif
