#pragma once
/* Syscalls and macros Swift cannot use directly or safely. Every probe that must run
   in a child process forks here, in C, and calls only async-signal-safe functions
   before _exit: no Swift code ever runs between fork and exit. */
#include <sys/types.h>

/* Wait status macros (WIFEXITED and friends do not import into Swift). */
int partner_wifexited(int status);
int partner_wexitstatus(int status);
int partner_wifsignaled(int status);
int partner_wtermsig(int status);

/* Result of a probe: 0 when the feature works, otherwise the errno of the first failing step
   and, in *stage, a short static name of that step. */
typedef struct {
    int error_number;
    const char *stage;
} partner_probe_result;

/* Creates a user namespace in a forked child, maps the caller's uid to 0 inside,
   and checks that the mapping took. */
partner_probe_result partner_probe_user_namespace(void);

/* Installs a seccomp BPF filter in a forked child (with no_new_privs) that makes
   getppid fail with EPERM, then checks that it does. */
partner_probe_result partner_probe_seccomp(void);

/* Returns the Landlock ABI version (>= 1), or -errno when Landlock is unavailable. */
int partner_landlock_abi_version(void);

/* Mounts an overlayfs from lower/upper/work directories (which must exist and be empty
   except lower) inside a new user+mount namespace in a forked child. */
partner_probe_result partner_probe_overlay_in_user_namespace(const char *lower, const char *upper,
                                                              const char *work, const char *merged);
#include "partner_openat2.h"
#include "partner_spawn.h"
#include "partner_socket.h"
