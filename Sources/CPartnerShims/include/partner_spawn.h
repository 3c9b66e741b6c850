#pragma once
/* What PartnerSystem's HelperProcess needs from posix_spawn and Linux that glibc declares only
   under _GNU_SOURCE or not at all. */
#include <spawn.h>

/* posix_spawn_file_actions_addchdir_np: the child changes to `path` before it executes. */
int partner_spawn_file_actions_addchdir(posix_spawn_file_actions_t *actions, const char *path);

/* pipe2(fds, O_CLOEXEC): both ends close on exec from the start, so no concurrently spawned
   child inherits them. Returns 0, or -1 with errno set. */
int partner_pipe_cloexec(int fds[2]);

/* posix_spawn_file_actions_addclosefrom_np: the child closes every descriptor from `low` up
   before it executes, so descriptors other code left without close-on-exec (Foundation's
   Pipe, for one) do not leak into it. */
int partner_spawn_file_actions_addclosefrom(posix_spawn_file_actions_t *actions, int low);

/* pidfd_open(2), which glibc 2.36 declares only in <sys/pidfd.h> under _GNU_SOURCE: a
   descriptor that becomes readable when the process exits, so a wait with a timeout needs no
   polling, and that names this process even after its pid is reused. Returns the descriptor
   (close-on-exec), or -1 with errno set. */
int partner_pidfd_open(pid_t pid);

/* pidfd_send_signal(2): signals the process `pidfd` names, never a process that reused its pid.
   Returns 0, or -1 with errno set. */
int partner_pidfd_send_signal(int pidfd, int signal);
