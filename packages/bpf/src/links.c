#include "links.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "output.h"
#include "records.h"

/* Debian's uapi headers predate tcx; the kernel numbers are stable ABI. */
#define WEFT_BPF_TCX_INGRESS 46
#define WEFT_BPF_TCX_EGRESS 47

struct link {
	int ifindex;
	char name[IF_NAMESIZE];
	bool tcx;
	int tcx_ingress_fd, tcx_egress_fd;
	bool created_qdisc;
	struct bpf_tc_opts ingress, egress;
};

static struct link *links;
static int n_links, cap_links;

int links_count(void)
{
	return n_links;
}

static struct link *find(int ifindex)
{
	for (int i = 0; i < n_links; i++)
		if (links[i].ifindex == ifindex)
			return &links[i];
	return NULL;
}

const char *links_name(int ifindex)
{
	struct link *l = find(ifindex);

	return l ? l->name : NULL;
}

static bool wanted(const struct link_watch *w, const char *name)
{
	for (int i = 0; i < w->n_names; i++)
		if (strcmp(w->names[i], name) == 0)
			return true;
	for (int i = 0; i < w->n_prefixes; i++)
		if (strncmp(w->prefixes[i], name, strlen(w->prefixes[i])) == 0)
			return true;
	return false;
}

static int attach_tcx(struct link *l, const struct link_watch *w)
{
	int in = bpf_link_create(w->prog_ingress, l->ifindex, WEFT_BPF_TCX_INGRESS, NULL);

	if (in < 0)
		return in;
	int eg = bpf_link_create(w->prog_egress, l->ifindex, WEFT_BPF_TCX_EGRESS, NULL);

	if (eg < 0) {
		close(in);
		return eg;
	}
	l->tcx = true;
	l->tcx_ingress_fd = in;
	l->tcx_egress_fd = eg;
	return 0;
}

static int attach_clsact(struct link *l, const struct link_watch *w)
{
	LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = l->ifindex, .attach_point = BPF_TC_INGRESS | BPF_TC_EGRESS);
	int err = bpf_tc_hook_create(&hook);

	if (err && err != -EEXIST)
		return err;
	l->created_qdisc = err == 0;

	LIBBPF_OPTS(bpf_tc_opts, in, .prog_fd = w->prog_ingress);
	LIBBPF_OPTS(bpf_tc_opts, eg, .prog_fd = w->prog_egress);

	hook.attach_point = BPF_TC_INGRESS;
	err = bpf_tc_attach(&hook, &in);
	if (!err) {
		hook.attach_point = BPF_TC_EGRESS;
		err = bpf_tc_attach(&hook, &eg);
		if (err) {
			hook.attach_point = BPF_TC_INGRESS;
			in.prog_fd = in.prog_id = in.flags = 0;
			bpf_tc_detach(&hook, &in);
		}
	}
	if (err) {
		if (l->created_qdisc) {
			hook.attach_point = BPF_TC_INGRESS | BPF_TC_EGRESS;
			bpf_tc_hook_destroy(&hook);
		}
		return err;
	}
	l->ingress = in;
	l->egress = eg;
	return 0;
}

/* Filters left on one clsact direction (someone else's), by an RTM_GETTFILTER dump; -1 if unknown. */
static int filters_left(int ifindex, __u32 parent)
{
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);

	if (fd < 0)
		return -1;
	struct {
		struct nlmsghdr n;
		struct tcmsg t;
	} req = {
		.n = { .nlmsg_len = NLMSG_LENGTH(sizeof(struct tcmsg)), .nlmsg_type = RTM_GETTFILTER,
		       .nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP, .nlmsg_seq = 1 },
		.t = { .tcm_family = AF_UNSPEC, .tcm_ifindex = ifindex, .tcm_parent = parent },
	};
	int count = 0;

	if (send(fd, &req, req.n.nlmsg_len, 0) < 0) {
		close(fd);
		return -1;
	}
	char buf[16384] __attribute__((aligned(4)));

	for (;;) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);

		if (n <= 0) {
			count = -1;
			break;
		}
		for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, (size_t)n); h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_type == NLMSG_DONE)
				goto done;
			if (h->nlmsg_type == NLMSG_ERROR) {
				count = -1;
				goto done;
			}
			if (h->nlmsg_type == RTM_NEWTFILTER)
				count++;
		}
	}
done:
	close(fd);
	return count;
}

static void detach(struct link *l)
{
	if (l->tcx) {
		close(l->tcx_ingress_fd);
		close(l->tcx_egress_fd);
		return;
	}
	LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = l->ifindex);
	struct bpf_tc_opts *o[2] = { &l->ingress, &l->egress };

	for (int i = 0; i < 2; i++) {
		hook.attach_point = i == 0 ? BPF_TC_INGRESS : BPF_TC_EGRESS;
		o[i]->prog_fd = o[i]->prog_id = o[i]->flags = 0;
		bpf_tc_detach(&hook, o[i]);
	}
	/* the qdisc is ours to remove, but not while another tool's filters hang off it */
	if (l->created_qdisc && filters_left(l->ifindex, TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_INGRESS)) == 0 &&
	    filters_left(l->ifindex, TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_EGRESS)) == 0) {
		hook.attach_point = BPF_TC_INGRESS | BPF_TC_EGRESS;
		bpf_tc_hook_destroy(&hook);
	}
}

static int attach(struct link_watch *w, int ifindex, const char *name, char *errbuf, int errlen)
{
	if (find(ifindex))
		return 0;
	if (n_links == cap_links) {
		int nc = cap_links ? cap_links * 2 : 16;
		struct link *nl = realloc(links, nc * sizeof(*nl));

		if (!nl)
			return -ENOMEM;
		links = nl;
		cap_links = nc;
	}
	struct link *l = &links[n_links];

	memset(l, 0, sizeof(*l));
	l->ifindex = ifindex;
	snprintf(l->name, sizeof(l->name), "%s", name);

	int err = -EOPNOTSUPP;

	if (w->mode != TC_MODE_CLSACT)
		err = attach_tcx(l, w);
	if (err && w->mode != TC_MODE_TCX)
		err = attach_clsact(l, w);
	if (err) {
		snprintf(errbuf, errlen, "hook unsupported: cannot attach tc programs to %s: %s", name, strerror(-err));
		out_link(3, ifindex, name, errbuf);
		return err;
	}
	n_links++;
	out_link(1, ifindex, name, l->tcx ? "tcx" : "clsact");
	return 0;
}

int links_attach_name(struct link_watch *w, const char *name, char *err, int errlen)
{
	int ifindex = if_nametoindex(name);

	if (!ifindex) {
		snprintf(err, errlen, "link not found: %s (list links with `ip link`; the probe runs in the root network namespace)", name);
		return -ENODEV;
	}
	return attach(w, ifindex, name, err, errlen);
}

static void forget(int ifindex)
{
	struct link *l = find(ifindex);

	if (!l)
		return;
	out_link(2, ifindex, l->name, "");
	/* the kernel removed the hooks with the link; tcx links just need their fds closed */
	if (l->tcx) {
		close(l->tcx_ingress_fd);
		close(l->tcx_egress_fd);
	}
	*l = links[--n_links];
}

int links_start(struct link_watch *w)
{
	w->nl_fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, NETLINK_ROUTE);
	if (w->nl_fd < 0)
		return -errno;
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK, .nl_groups = RTMGRP_LINK };

	if (bind(w->nl_fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return -errno;
	int rcvbuf = 1 << 20;

	setsockopt(w->nl_fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));

	struct if_nameindex *all = if_nameindex();

	if (!all)
		return -errno;
	for (struct if_nameindex *i = all; i->if_index; i++) {
		char err[256];

		if (wanted(w, i->if_name))
			attach(w, i->if_index, i->if_name, err, sizeof(err));
	}
	if_freenameindex(all);
	return 0;
}

void links_on_netlink(struct link_watch *w)
{
	char buf[16384] __attribute__((aligned(4)));

	for (;;) {
		ssize_t n = recv(w->nl_fd, buf, sizeof(buf), 0);

		if (n < 0) {
			if (errno == ENOBUFS) {
				/* lost events: rescan so no new link stays unwatched */
				struct if_nameindex *all = if_nameindex();

				for (struct if_nameindex *i = all; all && i->if_index; i++) {
					char err[256];

					if (wanted(w, i->if_name))
						attach(w, i->if_index, i->if_name, err, sizeof(err));
				}
				if (all)
					if_freenameindex(all);
				continue;
			}
			return;
		}
		for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, (size_t)n); h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_type != RTM_NEWLINK && h->nlmsg_type != RTM_DELLINK)
				continue;
			struct ifinfomsg *ifi = NLMSG_DATA(h);
			int len = h->nlmsg_len - NLMSG_LENGTH(sizeof(*ifi));
			const char *name = NULL;

			for (struct rtattr *a = IFLA_RTA(ifi); RTA_OK(a, len); a = RTA_NEXT(a, len))
				if (a->rta_type == IFLA_IFNAME)
					name = RTA_DATA(a);
			if (h->nlmsg_type == RTM_DELLINK) {
				forget(ifi->ifi_index);
			} else if (name && wanted(w, name) && !find(ifi->ifi_index)) {
				char err[256];

				attach(w, ifi->ifi_index, name, err, sizeof(err));
			}
		}
	}
}

void links_stop(struct link_watch *w)
{
	for (int i = 0; i < n_links; i++)
		detach(&links[i]);
	n_links = 0;
	if (w->nl_fd >= 0)
		close(w->nl_fd);
	w->nl_fd = -1;
}
