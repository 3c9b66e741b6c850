/* Seccomp profiles as data: which system calls each profile denies (default) or allows
   (strict). The argument rules (clone flags, ioctl commands, socket families) are common
   to every profile and live in seccomp.c, in a second filter the kernel also evaluates. */
#pragma once
#include <stddef.h>

struct seccomp_profile {
    const char *name;
    /* 1: everything is allowed except `listed` (EPERM); 0: only `listed` is allowed (ENOSYS). */
    int allow_by_default;
    const char *const *listed;
    size_t listed_count;
    /* Always ENOSYS, so that libc falls back (clone3 -> clone, whose flags can be checked). */
    const char *const *unsupported;
    size_t unsupported_count;
};

extern const struct seccomp_profile seccomp_profiles[];
extern const size_t seccomp_profile_count;
