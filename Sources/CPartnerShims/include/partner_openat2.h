#pragma once
/* Path resolution confined to a directory, for the file tools: openat2(2) with RESOLVE_*
   flags, which the C library does not wrap. */
#include <sys/types.h>

/* RESOLVE_* flags of openat2(2), as plain constants Swift can import. */
enum {
    PARTNER_RESOLVE_NO_XDEV = 0x01,
    PARTNER_RESOLVE_NO_MAGICLINKS = 0x02,
    PARTNER_RESOLVE_NO_SYMLINKS = 0x04,
    PARTNER_RESOLVE_BENEATH = 0x08,
    PARTNER_RESOLVE_IN_ROOT = 0x10,
};

/* O_PATH, which Swift's Glibc module does not export (it needs _GNU_SOURCE). */
extern const int partner_o_path;

/* openat2(dirfd, path, {flags | O_CLOEXEC, mode, resolve}). Returns the new descriptor, or
   -errno (EXDEV when the path would leave dirfd, ELOOP for a refused link, ENOSYS when the
   kernel predates openat2). Retries EINTR and EAGAIN (a concurrent rename during lookup). */
int partner_openat2(int dirfd, const char *path, int flags, mode_t mode, unsigned long long resolve);
