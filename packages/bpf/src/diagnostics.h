/* How weft-probe reports trouble: die() for what stops it, libbpf's last warning for a hook's reason. */
#ifndef WEFT_DIAGNOSTICS_H
#define WEFT_DIAGNOSTICS_H
#include <bpf/libbpf.h>
#include <stdarg.h>

/* libbpf's last warning (without its newline), for the message of a hook that would not load */
extern char last_libbpf[512];

void die(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
/* libbpf's print callback: everything with --verbose, otherwise only the last warning is kept */
int libbpf_log(enum libbpf_print_level level, const char *fmt, va_list ap);

#endif
