#include "check.h"

#include <stdio.h>
#include <unistd.h>

#include "host.h"
#include "units.h"

static void json_escape_print(const char *s)
{
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			printf("\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			printf("\\u%04x", (unsigned char)*s);
		else
			putchar(*s);
	}
}

int run_check(void)
{
	const char *problems[H_COUNT + 2];
	int np = 0;

	if (!has_caps()) {
		problems[np++] = not_root_msg;
	} else if (access("/sys/kernel/btf/vmlinux", R_OK) != 0) {
		problems[np++] = no_btf_msg;
	} else {
		load_units(false);
		unload_units();
		for (int h = 0; h < H_COUNT; h++)
			if (!hook_ok[h])
				problems[np++] = hook_err[h];
	}
	printf("{\"ok\":%s,\"hooks\":{", np == 0 ? "true" : "false");
	for (int h = 0; h < H_COUNT; h++)
		printf("%s\"%s\":%s", h ? "," : "", hook_names[h], hook_ok[h] ? "true" : "false");
	printf("},\"problems\":[");
	for (int i = 0; i < np; i++) {
		printf("%s\"", i ? "," : "");
		json_escape_print(problems[i]);
		printf("\"");
	}
	printf("]}\n");
	return np == 0 ? 0 : 2;
}
