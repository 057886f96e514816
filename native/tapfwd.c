/*
 * tapfwd: relays Ethernet frames between a tap device and stdio, for domain 0's
 * netback. Run inside domain 0's network namespace (nsenter --net=...) with the
 * name of an existing tap device (vif<domid>.0, made by the namespace's holder).
 *
 * Framing on both pipes: a 2-byte big-endian length, then the frame. A frame read
 * from the tap goes to stdout; a frame read from stdin goes to the tap. The relay
 * ends when stdin closes, on an error, or when its parent dies (parent-death
 * signal), so it never outlives the process that owns it.
 *
 * Prints "tapfwd: attached to <dev>" on stderr once the tap is open.
 */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <linux/if_tun.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <unistd.h>

#define	MAXFRAME	65535

static int
write_all(int fd, const unsigned char *p, size_t n)
{
	ssize_t w;

	while (n > 0) {
		w = write(fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return (-1);
		}
		p += w;
		n -= (size_t)w;
	}
	return (0);
}

static int
tap_open(const char *name)
{
	struct ifreq ifr;
	int fd;

	/* Attach only: TUNSETIFF would create a missing device. */
	if (if_nametoindex(name) == 0) {
		errno = ENODEV;
		return (-1);
	}
	fd = open("/dev/net/tun", O_RDWR);
	if (fd < 0)
		return (-1);
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
	strncpy(ifr.ifr_name, name, IFNAMSIZ - 1);
	if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
		close(fd);
		return (-1);
	}
	return (fd);
}

int
main(int argc, char **argv)
{
	static unsigned char in[2 * (MAXFRAME + 2)], frame[MAXFRAME + 2];
	struct pollfd pfd[2];
	size_t have;
	ssize_t n;
	int tap;
	pid_t parent;

	parent = getppid();
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent)
		return (1);
	if (argc != 2) {
		fprintf(stderr, "usage: tapfwd <tap device>\n");
		return (2);
	}
	tap = tap_open(argv[1]);
	if (tap < 0) {
		fprintf(stderr, "tapfwd: cannot attach to %s: %s\n", argv[1], strerror(errno));
		return (1);
	}
	fprintf(stderr, "tapfwd: attached to %s\n", argv[1]);
	have = 0;
	pfd[0].fd = tap;
	pfd[0].events = POLLIN;
	pfd[1].fd = 0;
	pfd[1].events = POLLIN;
	for (;;) {
		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return (1);
		}
		if (pfd[0].revents & POLLIN) {
			n = read(tap, frame + 2, MAXFRAME);
			if (n < 0 && errno != EINTR && errno != EAGAIN)
				return (1);
			if (n > 0) {
				frame[0] = (unsigned char)(n >> 8);
				frame[1] = (unsigned char)n;
				if (write_all(1, frame, (size_t)n + 2) < 0)
					return (0);
			}
		}
		if (pfd[1].revents & (POLLIN | POLLHUP | POLLERR)) {
			n = read(0, in + have, sizeof(in) - have);
			if (n == 0)
				return (0);
			if (n < 0) {
				if (errno == EINTR)
					continue;
				return (1);
			}
			have += (size_t)n;
			/* Every whole frame buffered goes to the tap. */
			while (have >= 2) {
				size_t len = ((size_t)in[0] << 8) | in[1];

				if (have < len + 2)
					break;
				if (len > 0 && write(tap, in + 2, len) < 0 && errno != EINVAL)
					return (1);
				memmove(in, in + 2 + len, have - 2 - len);
				have -= 2 + len;
			}
		}
	}
}
