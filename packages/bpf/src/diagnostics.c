#include "diagnostics.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "options.h"

char last_libbpf[512];

int libbpf_log(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (opt.verbose)
		return vfprintf(stderr, fmt, ap);
	if (level == LIBBPF_WARN) {
		vsnprintf(last_libbpf, sizeof(last_libbpf), fmt, ap);
		size_t n = strlen(last_libbpf);

		while (n && last_libbpf[n - 1] == '\n')
			last_libbpf[--n] = 0;
	}
	return 0;
}

void die(const char *fmt, ...)
{
	va_list ap;

	fputs("weft-probe: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}
