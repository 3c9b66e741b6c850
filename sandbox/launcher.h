/* partner-sandbox: shared declarations of the launcher's parts. See docs/sandbox.md.
   The launcher is single-threaded and runs each step once, in the order main.c lists;
   every failure ends the process through fail() with a documented exit code.

   Every system call's result is checked, with two deliberate exceptions: close() (Linux
   releases the descriptor whatever it returns) and kill() of the launcher's own child or of
   the namespace (it fails only with ESRCH: nothing left to kill). Text built into a fixed
   buffer goes through format_or_fail(): what would not fit is an error, never truncated. */
#pragma once
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdarg.h>
#include <stddef.h>
#include <sys/types.h>

/* MARK: Exit codes (documented in docs/sandbox.md). Without a setup failure the launcher
   exits with the payload's code, or 128 + signal when a signal ended it. */
enum launcher_exit {
    EXIT_SPEC = 110,       /* command line or launch spec unreadable or malformed */
    EXIT_NAMESPACES = 111, /* creating or mapping the namespaces */
    EXIT_MOUNTS = 112,     /* building the private mount tree, pivot_root */
    EXIT_NETWORK = 113,    /* hostname, loopback */
    EXIT_LIMITS = 114,     /* rlimits, cgroup placement */
    EXIT_REAPER = 115,     /* PID 1: forking or waiting for the payload */
    EXIT_CONFINE = 116,    /* session, fds, signals, privileges, Landlock, seccomp */
    EXIT_PREFORK = 117, /* --prefork: the call does not match the confinement prepared ahead */
    EXIT_LIFELINE = 118,   /* the supervisor (or the outer launcher) went away, or its tie could not be armed */
    EXIT_TIMEOUT = 124,    /* the wall-clock timeout expired and the tree was killed */
    EXIT_NOT_EXECUTABLE = 126,
    EXIT_NOT_FOUND = 127,
};

/* MARK: The launch spec (spec.c). */

#define SPEC_VERSION 1

enum network_mode { NETWORK_NONE, NETWORK_LOOPBACK, NETWORK_HOST };

enum rlimit_kind { LIMIT_CPU, LIMIT_AS, LIMIT_NPROC, LIMIT_FSIZE, LIMIT_NOFILE, LIMIT_KIND_COUNT };

struct string_list {
    char **items;
    size_t count;
};

struct launch_spec {
    struct string_list read_only, read_write, hidden, protected_paths, environment, arguments;
    enum network_mode network;
    const char *hostname;
    const char *seccomp_profile;
    const char *cgroup;     /* cgroup v2 directory to run in, NULL for none */
    const char *cwd;        /* working directory inside, default: first read-write root or / */
    int limit_set[LIMIT_KIND_COUNT];
    unsigned long long limit_value[LIMIT_KIND_COUNT];
    unsigned long long tmp_size;   /* bytes of the /tmp tmpfs */
    long long timeout_ms;          /* 0: none */
    long long grace_ms;            /* between SIGTERM and SIGKILL on timeout */
};

/* Reads the whole spec from fd (up to its "end" record) and parses it; fails on any error. */
void spec_read(int fd, struct launch_spec *spec);
/* The two halves of spec_read: the raw records up to "end", and parsing them in place. */
char *spec_read_bytes(int fd, size_t *length_out);
void spec_parse(char *buffer, size_t length, struct launch_spec *spec);

/* Prefork (--prefork): a launcher prepares a predicted confinement before its call.
   Per-call records (arg, env, cwd, timeout-ms, grace-ms, rlimit) are applied when the call
   arrives; every other record is confinement and must match the prediction byte for byte. */
int spec_record_is_per_call(const char *record);
/* Parses a prediction: confinement records only (per-call records are refused), no arguments. */
void spec_parse_prediction(char *buffer, size_t length, struct launch_spec *spec);
/* Copies the confinement records of buffer, in order, into out (at least length bytes);
   returns the number of bytes written. */
size_t spec_confinement_bytes(const char *buffer, size_t length, char *out);
/* Parses a call's spec after checking that its confinement records are the prediction's
   byte for byte; fails with EXIT_PREFORK otherwise. */
void spec_parse_call(char *bytes, size_t length, struct launch_spec *spec, const char *predicted, size_t predicted_length);

/* MARK: Reporting (report.c). */

/* The fd the supervisor reads structured lines from, -1 when none. */
extern int report_fd;
/* 0 for a launcher prepared ahead (--prefork): its setup failures go to the report fd only,
   because the supervisor then retries the call with a launcher of its own, whose messages
   the caller sees. Exec failures (126, 127) always go to stderr. */
extern int setup_errors_on_stderr;

/* Writes "partner-sandbox: stage: strerror(err): hint" to stderr and a setup-error line to
   the report fd, then _exits with code. err 0 omits the errno part. */
__attribute__((noreturn, format(printf, 4, 5)))
void fail(int code, const char *stage, int err, const char *hint, ...);

/* Writes one line to the report fd (no-op without one). */
__attribute__((format(printf, 1, 2)))
void report(const char *format, ...);

/* MARK: Lifetime (lifeline.c): nothing the launcher starts outlives its supervisor. */

/* Arms PR_SET_PDEATHSIG(SIGKILL) and checks that the parent it ties to is still there; fails
   with EXIT_LIFELINE otherwise. Call it again after every credential change (the kernel
   clears the signal on each). expected_parent > 0 is compared with getppid();
   parent_pidfd >= 0 (a pidfd of the parent) must not have become readable. */
void lifeline_arm(pid_t expected_parent, int parent_pidfd, const char *after);
/* True once the process behind parent_pidfd has exited. */
int lifeline_parent_gone(int parent_pidfd);

/* MARK: Steps. */

/* Identities the worker runs as: inside its user namespace and on the host. */
struct identity {
    uid_t inside_uid, host_uid;
    gid_t inside_gid, host_gid;
    int idmap; /* 1 when the read-write roots must be idmapped (launcher runs as host root) */
};

/* main.c: the worker's identities for a spec (the first writable root's owner inside). */
struct identity choose_identity(const struct launch_spec *spec);

/* prefork.c (--prefork): the checks a call passes before a prepared launcher runs it. */
enum { PREFORK_MAX_SPEC = 60 * 1024 };
/* What the outer launcher saw of every root when it prepared the worker. A root created,
   removed or replaced on the host before the call arrives makes the preparation stale. */
struct root_snapshot {
    int error;
    dev_t device;
    ino_t inode;
    mode_t mode;
};
struct root_snapshot *snapshot_roots(const struct launch_spec *spec);
/* Outer launcher: waits for the call (exits quietly when discarded unused, fails when the
   prepared worker ended), then checks it and forwards it to PID 1. */
void await_call(int spec_fd, int pidfd);
void accept_call(int spec_fd, int socket_fd, const char *predicted, size_t predicted_length,
                 const struct identity *id, const struct root_snapshot *snapshot, struct launch_spec *spec);
/* PID 1: the call's spec as forwarded; fails when the waiting payload ended first. */
char *receive_call(int socket_fd, pid_t payload, size_t *length_out);

/* mounts.c: builds the new root and pivots into it. idmapped_fds holds one detached,
   idmapped tree per read-write root (or -1 each when idmapping is off). */
void mounts_build(const struct launch_spec *spec, const struct identity *id, const int *idmapped_fds);
/* mounts.c: after mounts_build, inside the new root: protected paths re-bound read-only and
   hidden paths masked. Depends on what the writable roots hold now, so a launcher prepared
   ahead of its call runs it when the call arrives. */
void mounts_protect(const struct launch_spec *spec);

/* mounts.c (runs in the outer launcher, as host root): clones and idmaps one read-write root. */
int mounts_idmapped_tree(const char *path, int userns_fd);

/* network.c */
void network_setup(const struct launch_spec *spec);

/* limits.c */
void limits_apply(const struct launch_spec *spec);

/* landlock.c: landlock_prepare builds the ruleset for the spec's roots inside the new root
   (PID 1, before the payload is forked) and reports when the kernel has no Landlock;
   landlock_apply restricts the calling process with it and closes it. */
extern int landlock_ruleset_fd; /* kept open until landlock_apply, -1 without Landlock */
void landlock_prepare(const struct launch_spec *spec);
void landlock_apply(void);

/* seccomp.c: seccomp_prepare builds the profile's program (PID 1, before the payload is
   forked); seccomp_apply installs it, the last step before exec. */
void seccomp_prepare(const struct launch_spec *spec);
void seccomp_apply(void);
/* Fails when the profile name is unknown (checked while parsing). */
int seccomp_profile_known(const char *name);

/* reaper.c: PID 1. reaper_prepare installs and blocks the signals it waits for, before the
   payload is forked; reaper_run reaps until the payload ends, then takes the namespace down
   and exits with the payload's status. */
void reaper_prepare(void);
/* outer_pidfd: the outer launcher's pidfd; when it exits, PID 1 kills the namespace at once. */
__attribute__((noreturn)) void reaper_run(pid_t payload, int outer_pidfd);

/* confine.c: confine_prepare runs in PID 1 before the payload is forked (ahead of the call
   for a prepared launcher): securebits locked, bounding and ambient sets emptied, the Landlock
   ruleset and the seccomp program built. PID 1 keeps its effective capabilities for the mount
   steps that run at the call; it never executes anything. */
void confine_prepare(const struct launch_spec *spec);
/* confine.c: forks the payload. It confines itself (6a-6g); when call_fd is not -1 it then
   waits there for the call's spec (checked against the prediction), and finally runs the
   per-call steps (6h-6i, the rlimits) and execve. Returns the payload's pid, in PID 1. */
pid_t payload_start(struct launch_spec *spec, int call_fd, const char *predicted, size_t predicted_length);

/* util.c */
void *xcalloc(size_t count, size_t size);
/* snprintf into a fixed buffer that fails (stage, ENAMETOOLONG, "what" and the text's start)
   instead of truncating: a truncated path could name another file, or none, and skip a
   protection silently. */
__attribute__((format(printf, 5, 6)))
void format_or_fail(char *buffer, size_t size, int code, const char *stage, const char *format, ...);
/* Closes every fd in [first, last]; fails with code and stage when the kernel refuses. */
void close_fd_range(unsigned first, unsigned last, int code, const char *stage);
int write_all(int fd, const void *data, size_t length);
/* Writes text into path (O_WRONLY, no create); returns -1 with errno on failure. */
int write_file(const char *path, const char *text);
