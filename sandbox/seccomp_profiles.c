/* The seccomp profiles. `default` denies at least what Docker's default profile denies;
   `strict` allows only what shells, compilers, interpreters, git and build tools need.
   Names unknown to the running architecture are skipped when the filter is built. */
#include "seccomp_profiles.h"

#define COUNT(array) (sizeof(array) / sizeof((array)[0]))

static const char *const denied_by_default[] = {
    /* mounting, old and new API, and changing roots or namespaces */
    "mount", "umount", "umount2", "fsopen", "fsconfig", "fsmount", "fspick", "open_tree", "move_mount",
    "mount_setattr", "open_tree_attr", "pivot_root", "chroot", "setns", "unshare", "listmount", "statmount",
    /* other processes' memory and the kernel's keyring */
    "ptrace", "process_vm_readv", "process_vm_writev", "kcmp", "pidfd_getfd", "process_madvise",
    "keyctl", "add_key", "request_key",
    /* kernel attack surface a build does not need */
    "bpf", "perf_event_open", "userfaultfd", "io_uring_setup", "io_uring_enter", "io_uring_register",
    "open_by_handle_at", "name_to_handle_at", "lookup_dcookie", "fanotify_init", "quotactl", "quotactl_fd",
    "nfsservctl", "uselib", "ustat", "sysfs", "_sysctl", "syslog", "vhangup", "iopl", "ioperm",
    "vm86", "vm86old", "get_kernel_syms", "query_module", "create_module",
    "move_pages", "migrate_pages", "mbind", "set_mempolicy_home_node",
    /* the machine itself */
    "kexec_load", "kexec_file_load", "init_module", "finit_module", "delete_module", "acct",
    "swapon", "swapoff", "reboot", "settimeofday", "clock_settime", "clock_adjtime", "adjtimex", "stime",
};

static const char *const unsupported_everywhere[] = {"clone3"};

static const char *const allowed_by_strict[] = {
    /* files and directories */
    "read", "write", "readv", "writev", "pread64", "pwrite64", "preadv", "pwritev", "preadv2", "pwritev2",
    "open", "openat", "openat2", "creat", "close", "close_range", "lseek", "stat", "fstat", "lstat",
    "newfstatat", "statx", "statfs", "fstatfs", "access", "faccessat", "faccessat2", "readlink", "readlinkat",
    "getdents", "getdents64", "mkdir", "mkdirat", "rmdir", "unlink", "unlinkat", "rename", "renameat",
    "renameat2", "link", "linkat", "symlink", "symlinkat", "chmod", "fchmod", "fchmodat", "fchmodat2",
    "chown", "fchown", "fchownat", "lchown", "truncate", "ftruncate", "fallocate", "fsync", "fdatasync",
    "sync_file_range", "utime", "utimes", "utimensat", "futimesat", "getcwd", "chdir", "fchdir", "umask",
    "dup", "dup2", "dup3", "fcntl", "flock", "pipe", "pipe2", "ioctl", "sendfile", "copy_file_range",
    "splice", "tee", "mknod", "mknodat", "getxattr", "lgetxattr", "fgetxattr", "listxattr", "llistxattr",
    "flistxattr", "setxattr", "lsetxattr", "fsetxattr", "removexattr", "lremovexattr", "fremovexattr",
    "inotify_init", "inotify_init1", "inotify_add_watch", "inotify_rm_watch", "fadvise64", "readahead",
    "memfd_create", "sync", "syncfs",
    /* memory */
    "brk", "mmap", "munmap", "mremap", "mprotect", "madvise", "mlock", "munlock", "mincore", "msync",
    "get_mempolicy", "set_mempolicy", "membarrier", "pkey_alloc", "pkey_free", "pkey_mprotect",
    /* processes and threads */
    "clone", "fork", "vfork", "execve", "execveat", "exit", "exit_group", "wait4", "waitid", "getpid",
    "getppid", "gettid", "getpgid", "setpgid", "getpgrp", "getsid", "setsid", "set_tid_address",
    "set_robust_list", "get_robust_list", "futex", "futex_waitv", "rseq", "arch_prctl", "prctl",
    "sched_yield", "sched_getaffinity", "sched_setaffinity", "sched_getparam", "sched_getscheduler",
    "sched_get_priority_max", "sched_get_priority_min", "getpriority", "setpriority", "getrlimit",
    "setrlimit", "prlimit64", "getrusage", "times", "uname", "sysinfo", "getrandom", "capget",
    "personality", "pidfd_open", "pidfd_send_signal",
    /* identities (no privilege to change them: no capabilities) */
    "getuid", "geteuid", "getgid", "getegid", "getresuid", "getresgid", "getgroups",
    /* signals */
    "rt_sigaction", "rt_sigprocmask", "rt_sigreturn", "rt_sigsuspend", "rt_sigpending", "rt_sigtimedwait",
    "rt_sigqueueinfo", "rt_tgsigqueueinfo", "sigaltstack", "kill", "tgkill", "tkill", "pause", "alarm",
    "signalfd", "signalfd4",
    /* time */
    "nanosleep", "clock_nanosleep", "clock_gettime", "clock_getres", "gettimeofday", "time", "getitimer",
    "setitimer", "timer_create", "timer_settime", "timer_gettime", "timer_getoverrun", "timer_delete",
    "timerfd_create", "timerfd_settime", "timerfd_gettime",
    /* waiting and events */
    "poll", "ppoll", "select", "pselect6", "epoll_create", "epoll_create1", "epoll_ctl", "epoll_wait",
    "epoll_pwait", "epoll_pwait2", "eventfd", "eventfd2",
    /* sockets (families are checked by the argument filter) */
    "socket", "socketpair", "connect", "accept", "accept4", "bind", "listen", "sendto", "recvfrom",
    "sendmsg", "recvmsg", "sendmmsg", "recvmmsg", "shutdown", "getsockname", "getpeername",
    "getsockopt", "setsockopt",
    /* System V IPC inside the worker's own ipc namespace */
    "shmget", "shmat", "shmdt", "shmctl", "semget", "semop", "semtimedop", "semctl", "msgget", "msgsnd",
    "msgrcv", "msgctl",
    /* Landlock and seccomp only ever restrict further */
    "landlock_create_ruleset", "landlock_add_rule", "landlock_restrict_self", "seccomp",
};

const struct seccomp_profile seccomp_profiles[] = {
    {"default", 1, denied_by_default, COUNT(denied_by_default), unsupported_everywhere, COUNT(unsupported_everywhere)},
    {"strict", 0, allowed_by_strict, COUNT(allowed_by_strict), unsupported_everywhere, COUNT(unsupported_everywhere)},
};

const size_t seccomp_profile_count = COUNT(seccomp_profiles);
