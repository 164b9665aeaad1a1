#define _GNU_SOURCE
/*
 * weft-probe: loads the flow (tc), drop (kfree_skb) and tcp (inet_sock_set_state, tcp_probe,
 * tcp_retransmit_skb) units, attaches tc to the watched links, and writes records to stdout.
 * This file is the process: signals and the event loop. options.c reads the command line, units.c
 * loads the BPF units, drain.c turns each interval's maps and ring events into records, output.c
 * writes them; check.c, layout.c, bench_tc.c and parse_dns.c are the --check, --layout, --bench-tc and
 * --parse-dns modes.
 */
#include <bpf/libbpf.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "bench_tc.h"
#include "check.h"
#include "diagnostics.h"
#include "drain.h"
#include "host.h"
#include "layout.h"
#include "parse_dns.h"
#include "links.h"
#include "options.h"
#include "output.h"
#include "units.h"

static volatile sig_atomic_t stop_requested;
static int stop_pipe[2] = { -1, -1 };

/* No SA_RESTART: a write blocked on a full stdout returns EINTR so shutdown can proceed. */
static void on_stop_signal(int sig)
{
	int saved = errno;

	(void)sig;
	stop_requested = 1;
	if (stop_pipe[1] >= 0 && write(stop_pipe[1], "x", 1) < 0) {
		/* the pipe is full: a wakeup is already pending */
	}
	errno = saved;
}

/*
 * Intervals end on multiples of --interval on the wall clock (every whole second by default), on every
 * node alike: a collector can close its batch right after the drain, and the server knows when all of
 * a second's batches are in, so data reaches the browser within about one interval instead of three
 * unaligned ones. Re-armed after each tick and whenever the clock is set.
 */
static void arm_tick(int tfd)
{
	struct timespec now;
	__u64 ms, next;

	clock_gettime(CLOCK_REALTIME, &now);
	ms = (__u64)now.tv_sec * 1000 + now.tv_nsec / 1000000;
	next = (ms / opt.interval_ms + 1) * opt.interval_ms;

	struct itimerspec its = {
		.it_value = { next / 1000, (next % 1000) * 1000000L },
	};

	timerfd_settime(tfd, TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET, &its, NULL);
}

int main(int argc, char **argv)
{
	options_parse(argc, argv);
	if (opt.layout) {
		layout_print();
		return 0;
	}
	if (opt.parse_dns)
		return run_parse_dns();
	libbpf_set_print(libbpf_log);
	if (opt.check)
		return run_check();
	if (opt.bench_tc)
		return run_bench_tc();

	if (!has_caps())
		die("%s", not_root_msg);
	if (access("/sys/kernel/btf/vmlinux", R_OK) != 0)
		die("%s", no_btf_msg);
	for (int i = 0; i < opt.n_names; i++)
		if (!if_nametoindex(opt.names[i]))
			die("link not found: %s (list links with `ip link`; the probe runs in the root network namespace)",
			    opt.names[i]);
	ensure_bpffs();

	/* die with the parent (the collector) rather than keep hooks attached for nobody */
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	signal(SIGPIPE, SIG_IGN);
	if (pipe2(stop_pipe, O_CLOEXEC | O_NONBLOCK) != 0)
		die("cannot create a pipe: %s", strerror(errno));
	struct sigaction sa = { .sa_handler = on_stop_signal };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	out_set_abort_flag(&stop_requested);

	struct stat st;

	own_netns = stat("/proc/self/ns/net", &st) == 0 ? st.st_ino : 0;

	load_units(true);
	bool want_tc = opt.n_names > 0 || opt.n_prefixes > 0;

	if (want_tc && !hook_ok[H_TC])
		die("%s", hook_err[H_TC]);
	int n_ok = 0;

	for (int h = 0; h < H_COUNT; h++) {
		if (hook_ok[h])
			n_ok++;
		else if (h != H_TC || want_tc)
			fprintf(stderr, "weft-probe: %s\n", hook_err[h]);
	}
	if (n_ok == 0)
		die("no hook could be loaded: %s", hook_err[H_KFREE_SKB]);
	out_init(opt.format);
	struct utsname u;
	char hooks[256] = "";

	uname(&u);
	for (int h = 0; h < H_COUNT; h++) {
		if (!hook_ok[h] || (h == H_TC && !want_tc))
			continue;
		if (hooks[0])
			strncat(hooks, ",", sizeof(hooks) - strlen(hooks) - 1);
		strncat(hooks, hook_names[h], sizeof(hooks) - strlen(hooks) - 1);
	}
	out_hello(u.release, hooks);

	struct link_watch w = { .nl_fd = -1, .mode = opt.tc_mode, .names = opt.names, .n_names = opt.n_names,
				.prefixes = opt.prefixes, .n_prefixes = opt.n_prefixes };
	int exit_code = 0;

	if (want_tc) {
		w.prog_ingress = bpf_program__fd(opt.tc_noop ? flow->progs.weft_tc_noop : flow->progs.weft_tc_ingress);
		w.prog_egress = bpf_program__fd(opt.tc_noop ? flow->progs.weft_tc_noop : flow->progs.weft_tc_egress);
		int err = links_start(&w);

		if (err) {
			fprintf(stderr, "weft-probe: cannot watch links (rtnetlink: %s)\n", strerror(-err));
			exit_code = 1;
			goto out;
		}
		for (int i = 0; i < opt.n_names; i++) {
			char msg[256];

			if (links_attach_name(&w, opt.names[i], msg, sizeof(msg)) < 0) {
				fprintf(stderr, "weft-probe: %s\n", msg);
				exit_code = 1;
				goto out;
			}
		}
	}
	out_flush();

	struct ring_buffer *rb = NULL;

	if (flow)
		rb = ring_buffer__new(bpf_map__fd(flow->maps.dns_events), on_dns_event, NULL, NULL);
	if (tcp) {
		if (rb)
			ring_buffer__add(rb, bpf_map__fd(tcp->maps.tcp_events), on_tcp_event, NULL);
		else
			rb = ring_buffer__new(bpf_map__fd(tcp->maps.tcp_events), on_tcp_event, NULL, NULL);
	}

	int ep = epoll_create1(EPOLL_CLOEXEC);
	int sfd = stop_pipe[0];
	int tfd = timerfd_create(CLOCK_REALTIME, TFD_CLOEXEC);

	arm_tick(tfd);
	struct epoll_event ev = { .events = EPOLLIN };

	ev.data.u32 = 1;
	epoll_ctl(ep, EPOLL_CTL_ADD, sfd, &ev);
	ev.data.u32 = 2;
	epoll_ctl(ep, EPOLL_CTL_ADD, tfd, &ev);
	if (rb) {
		ev.data.u32 = 3;
		epoll_ctl(ep, EPOLL_CTL_ADD, ring_buffer__epoll_fd(rb), &ev);
	}
	if (w.nl_fd >= 0) {
		ev.data.u32 = 4;
		epoll_ctl(ep, EPOLL_CTL_ADD, w.nl_fd, &ev);
	}

	bool running = true;

	while (running && !out_failed() && !stop_requested) {
		struct epoll_event evs[8];
		int n = epoll_wait(ep, evs, 8, -1);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (int i = 0; i < n; i++) {
			switch (evs[i].data.u32) {
			case 1:
				running = false;
				break;
			case 2: {
				__u64 expirations;

				/* ECANCELED: the wall clock was set; the next boundary is computed again */
				if (read(tfd, &expirations, sizeof(expirations)) > 0)
					drain_interval();
				arm_tick(tfd);
				break;
			}
			case 3:
				ring_buffer__consume(rb);
				break;
			case 4:
				links_on_netlink(&w);
				break;
			}
		}
		out_flush();
	}
	if (running && !stop_requested)
		exit_code = out_failed() ? 0 : 1;
	else if (!out_failed()) {
		/* last words: what was counted since the previous interval */
		if (rb)
			ring_buffer__consume(rb);
		drain_interval();
	}
	ring_buffer__free(rb);
	close(ep);
	close(tfd);
out:
	links_stop(&w);
	out_flush();
	unload_units();
	return exit_code;
}
