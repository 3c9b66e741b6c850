/* Step 3: the UTS name and the network namespace's interfaces. A fresh network namespace
   has only a loopback interface, down: "none" leaves it down, "loopback" brings it up,
   "host" never got a namespace of its own (see main.c). */
#include "launcher.h"

#include <errno.h>
#include <net/if.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

void network_setup(const struct launch_spec *spec) {
    if (sethostname(spec->hostname, strlen(spec->hostname)) < 0)
        fail(EXIT_NETWORK, "sethostname", errno, "the uts namespace is missing");
    if (spec->network != NETWORK_LOOPBACK) return;
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) fail(EXIT_NETWORK, "socket", errno, "bringing up loopback");
    struct ifreq request;
    memset(&request, 0, sizeof request);
    strncpy(request.ifr_name, "lo", IFNAMSIZ - 1);
    if (ioctl(fd, SIOCGIFFLAGS, &request) < 0) fail(EXIT_NETWORK, "SIOCGIFFLAGS lo", errno, "bringing up loopback");
    request.ifr_flags |= IFF_UP | IFF_RUNNING;
    if (ioctl(fd, SIOCSIFFLAGS, &request) < 0) fail(EXIT_NETWORK, "SIOCSIFFLAGS lo", errno, "bringing up loopback");
    close(fd);
}
