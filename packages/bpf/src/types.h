/* Fixed-width types for headers shared by BPF programs (vmlinux.h) and the loader (uapi). */
#ifndef WEFT_TYPES_H
#define WEFT_TYPES_H
#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

#define WEFT_AF_INET 2
#define WEFT_AF_INET6 10

#endif
