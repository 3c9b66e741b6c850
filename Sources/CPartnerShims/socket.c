#define _GNU_SOURCE
#include "partner_socket.h"

#include <stddef.h>
#include <sys/socket.h>

int partner_accept_cloexec(int listener) {
    return accept4(listener, NULL, NULL, SOCK_CLOEXEC);
}
