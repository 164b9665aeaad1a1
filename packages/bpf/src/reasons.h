/* Drop reason names from the running kernel's BTF (enum skb_drop_reason numbers change between kernels). */
#ifndef WEFT_REASONS_H
#define WEFT_REASONS_H
#include <stdbool.h>

/* Loads the enum from /sys/kernel/btf/vmlinux: 0, or -errno. */
int reasons_load(void);
/* Name without the SKB_DROP_REASON_ / SKB_ prefix, e.g. NETFILTER_DROP; REASON_<n> if unknown. */
const char *reasons_name(unsigned reason, char *buf, int n);
/* Frees that are routine, not drops: NOT_SPECIFIED, SOCKET_CLOSE, CONSUMED, ... */
bool reasons_routine(unsigned reason);
unsigned reasons_max(void);

#endif
