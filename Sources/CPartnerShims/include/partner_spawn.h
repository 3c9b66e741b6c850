#pragma once
/* posix_spawn's chdir file action, which glibc declares only under _GNU_SOURCE. */
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
