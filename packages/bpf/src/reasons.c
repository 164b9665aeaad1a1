#include "reasons.h"

#include <bpf/btf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_REASONS 1024

static char *names[MAX_REASONS];
static unsigned max_reason;

/* Same list as @weft/protocol isRoutineFree: the kernel frees these skbs as a matter of course. */
static const char *routine[] = {
	"NOT_DROPPED_YET", "NOT_SPECIFIED", "SOCKET_CLOSE", "SOCKET_FILTER", "CONSUMED", "NOMEM_CONSUMED",
	/* queues emptied when a socket closes: seen on every connection teardown in the lab */
	"QUEUE_PURGE",
};

int reasons_load(void)
{
	struct btf *btf = btf__load_vmlinux_btf();

	if (!btf)
		return -errno;
	int id = btf__find_by_name_kind(btf, "skb_drop_reason", BTF_KIND_ENUM);

	if (id < 0) {
		btf__free(btf);
		return -ENOENT;
	}
	const struct btf_type *t = btf__type_by_id(btf, id);
	const struct btf_enum *e = btf_enum(t);

	for (int i = 0; i < btf_vlen(t); i++, e++) {
		const char *n = btf__name_by_offset(btf, e->name_off);

		if (!n || e->val < 0 || e->val >= MAX_REASONS)
			continue;
		if (strncmp(n, "SKB_DROP_REASON_", 16) == 0)
			n += 16;
		else if (strncmp(n, "SKB_", 4) == 0)
			n += 4;
		free(names[e->val]);
		names[e->val] = strdup(n);
		if ((unsigned)e->val > max_reason)
			max_reason = e->val;
	}
	btf__free(btf);
	return 0;
}

unsigned reasons_max(void)
{
	return max_reason;
}

const char *reasons_name(unsigned reason, char *buf, int n)
{
	if (reason < MAX_REASONS && names[reason])
		return names[reason];
	snprintf(buf, n, "REASON_%u", reason);
	return buf;
}

bool reasons_routine(unsigned reason)
{
	if (reason >= MAX_REASONS || !names[reason])
		return false;
	for (size_t i = 0; i < sizeof(routine) / sizeof(routine[0]); i++)
		if (strcmp(names[reason], routine[i]) == 0)
			return true;
	return false;
}
