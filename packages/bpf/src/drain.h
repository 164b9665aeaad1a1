/* Each interval: read and clear the units' maps, and turn map entries and ring events into records. */
#ifndef WEFT_DRAIN_H
#define WEFT_DRAIN_H
#include <stddef.h>
#include <sys/types.h>

/* The probe's own network namespace: a drop's ifindex is named only when it happened there. */
extern ino_t own_netns;

/* Drains the flow, drop and RTT maps, times out unanswered DNS queries, and writes the stats record. */
void drain_interval(void);
/* ring_buffer callbacks: DNS transactions (flow unit) and TCP connect outcomes (tcp unit) */
int on_dns_event(void *ctx, void *data, size_t size);
int on_tcp_event(void *ctx, void *data, size_t size);

#endif
