#define _GNU_SOURCE
#include "host.h"

#include <errno.h>
#include <linux/capability.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <zlib.h>

#define BPF_FS_MAGIC_NUM 0xcafe4a11

bool has_caps(void)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[2] = {};

	if (syscall(SYS_capget, &h, d))
		return geteuid() == 0;
#define HAS(c) (d[(c) / 32].effective & (1u << ((c) % 32)))
	if (!HAS(CAP_NET_ADMIN))
		return false;
	return HAS(CAP_SYS_ADMIN) || (HAS(39 /* CAP_BPF */) && HAS(38 /* CAP_PERFMON */));
#undef HAS
}

const char *not_root_msg =
	"not root: run as root or with CAP_BPF, CAP_PERFMON and CAP_NET_ADMIN (e.g. sudo weft-probe ...)";
const char *no_btf_msg = "no BTF: /sys/kernel/btf/vmlinux is missing; use a kernel built with "
				"CONFIG_DEBUG_INFO_BTF=y";


/* Nothing is pinned, but other BPF tooling expects bpffs; mounting it is harmless when absent. */
void ensure_bpffs(void)
{
	struct statfs st;

	if (statfs("/sys/fs/bpf", &st) == 0 && (unsigned long)st.f_type == BPF_FS_MAGIC_NUM)
		return;
	if (mount("bpf", "/sys/fs/bpf", "bpf", 0, "mode=0700") != 0)
		fprintf(stderr, "weft-probe: no bpffs at /sys/fs/bpf and cannot mount it (%s); continuing, the probe "
				"pins nothing. Fix for other BPF tools: mount -t bpf bpf /sys/fs/bpf\n",
			strerror(errno));
}

/* CONFIG_HZ from the kernel config, 0 where none is readable (common in containers). The loader
 * hands it to libbpf itself: libbpf refuses to load a program with a __kconfig extern when it
 * finds no config file, even a __weak one. */
unsigned int kernel_hz(void)
{
	struct utsname u;
	char path[320], line[256];
	gzFile f = NULL;
	unsigned int hz = 0;

	if (uname(&u) == 0) {
		snprintf(path, sizeof(path), "/boot/config-%s", u.release);
		f = gzopen(path, "re");
	}
	if (!f)
		f = gzopen("/proc/config.gz", "re");
	if (!f)
		return 0;
	while (gzgets(f, line, sizeof(line)))
		if (sscanf(line, "CONFIG_HZ=%u", &hz) == 1)
			break;
	gzclose(f);
	return hz;
}
