/* What the host must give the probe: privileges, BTF, bpffs, and its CONFIG_HZ. */
#ifndef WEFT_HOST_H
#define WEFT_HOST_H
#include <stdbool.h>

extern const char *not_root_msg;
extern const char *no_btf_msg;

bool has_caps(void);
void ensure_bpffs(void);
unsigned int kernel_hz(void);

#endif
