/*
 * loopback.h — the fuzz harnesses' one connection to their own server on
 * 127.0.0.1: kept alive across inputs (a new socket per input fills the
 * ports with TIME-WAIT entries), with TCP_NODELAY (head and body go in two
 * writes: without it, Nagle and delayed ACKs hold each input for 40 ms) and,
 * when recv_timeout_s > 0, a receive timeout (a request the server never
 * answers is a finding, not a hang).  Header-only: each target is built
 * from its own file.
 */
#ifndef KHIBRA_FUZZ_LOOPBACK_H
#define KHIBRA_FUZZ_LOOPBACK_H

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

/* loopback_connect: a connected socket to 127.0.0.1:port, trying for about
 * five seconds while the server starts; aborts (naming `who`) otherwise. */
static inline int loopback_connect(int port, int recv_timeout_s, const char *who)
{
	struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port),
				    .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	for (int attempt = 0; attempt < 50; attempt++) {
		int fd = socket(AF_INET, SOCK_STREAM, 0);
		if (fd < 0)
			break;
		if (connect(fd, (struct sockaddr *)&addr, sizeof addr) == 0) {
			int one = 1;
			struct timeval tv = { .tv_sec = recv_timeout_s };
			if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) != 0 ||
			    (recv_timeout_s > 0 && setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) != 0))
				break;
			return fd;
		}
		close(fd);
		usleep(100 * 1000);
	}
	fprintf(stderr, "%s: ", who);
	perror("connect");
	abort();
}

#endif
