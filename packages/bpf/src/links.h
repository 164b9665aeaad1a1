/* The watched links: attach the tc programs to each, watch rtnetlink for links that come and go. */
#ifndef WEFT_LINKS_H
#define WEFT_LINKS_H
#include <stdbool.h>

enum tc_mode { TC_MODE_AUTO, TC_MODE_TCX, TC_MODE_CLSACT };

struct link_watch {
	int prog_ingress; /* fds of the tc programs */
	int prog_egress;
	enum tc_mode mode;
	const char **names; /* exact names (--iface) */
	int n_names;
	const char **prefixes; /* --iface-prefix */
	int n_prefixes;
	int nl_fd;
};

/* Opens the rtnetlink socket first, then attaches every current match, so nothing is missed. */
int links_start(struct link_watch *w);
/* Reads pending rtnetlink messages: attach new matches, forget vanished links. */
void links_on_netlink(struct link_watch *w);
/* Removes every hook this process attached (and clsact qdiscs it created). */
void links_stop(struct link_watch *w);
int links_count(void);
/* Name of an attached link by ifindex (the flow records carry it), or NULL. */
const char *links_name(int ifindex);
/* Attach to one named link now: 0, or -errno with a one-line reason in err. */
int links_attach_name(struct link_watch *w, const char *name, char *err, int errlen);

#endif
