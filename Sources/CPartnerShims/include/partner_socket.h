#pragma once
/* accept4, which glibc declares only under _GNU_SOURCE. */

/* accept4(listener, NULL, NULL, SOCK_CLOEXEC): the connection is close-on-exec from the
   start, so no child spawned concurrently by another thread inherits it. Returns the new
   descriptor, or -1 with errno set. */
int partner_accept_cloexec(int listener);
