/* Step 2: the worker's private mount tree.

   Every source tree is cloned (open_tree) while the host's tree is still in view, made
   read-only / nosuid / nodev recursively on the detached copy (mount_setattr with
   AT_RECURSIVE, which also covers submounts), then moved into a fresh tmpfs that becomes
   the root. Nothing here propagates back: the first thing is to make every mount private. */
#include "launcher.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Where the new root is assembled: only a mount point inside this private namespace. */
static const char *const build_root = "/tmp";

/* The minimal /dev: these nodes are bound from the host; everything else is absent. */
static const char *const device_nodes[] = {"null", "zero", "full", "random", "urandom"};

/* /proc entries that stay visible but read-only, and entries masked entirely (Docker's lists). */
static const char *const proc_read_only[] = {"sys", "sysrq-trigger", "irq", "bus", "fs"};
static const char *const proc_masked[] = {"kcore", "keys", "timer_list", "sched_debug", "latency_stats", "acpi", "scsi"};

/* Files of the generated /etc: a policy entry naming one of them is not bound over it, so
   the host's user list, names and resolver never show through. */
static const char *const generated_etc[] = {"/etc/passwd", "/etc/group", "/etc/hosts", "/etc/hostname",
                                            "/etc/nsswitch.conf", "/etc/resolv.conf"};

static int is_generated(const char *path) {
    for (size_t index = 0; index < sizeof generated_etc / sizeof *generated_etc; index++)
        if (strcmp(path, generated_etc[index]) == 0) return 1;
    return 0;
}

struct bound_root {
    const char *path;
    int tree_fd;          /* detached tree, -1 for symlinks and missing paths */
    char *symlink_target; /* recreated as a symlink (merged-/usr links such as /bin -> usr/bin) */
    int is_directory;
};

static void set_attributes(int fd, const char *path, unsigned flags, unsigned long long set, const char *what) {
    struct mount_attr attributes = {.attr_set = set};
    if (mount_setattr(fd, path, flags, &attributes, sizeof attributes) < 0)
        fail(EXIT_MOUNTS, "mount_setattr", errno, "%s", what);
}

static int clone_tree(const char *path, const char *what) {
    int fd = open_tree(AT_FDCWD, path, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE);
    if (fd < 0) fail(EXIT_MOUNTS, "open_tree", errno, "%s %s", what, path);
    return fd;
}

int mounts_idmapped_tree(const char *path, int userns_fd) {
    int fd = clone_tree(path, "writable root");
    struct mount_attr attributes = {
        .attr_set = MOUNT_ATTR_IDMAP | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV,
        .userns_fd = (unsigned long long)userns_fd,
    };
    if (mount_setattr(fd, "", AT_EMPTY_PATH | AT_RECURSIVE, &attributes, sizeof attributes) < 0)
        fail(EXIT_MOUNTS, "idmap writable root", errno,
             "%s: its filesystem (or a filesystem mounted below it) does not support idmapped mounts; "
             "run Partner as an unprivileged user, or put the workspace on ext4, xfs, btrfs or tmpfs", path);
    return fd;
}

/* Creates every missing parent of rel below the root, then rel itself as a directory or an
   empty file (a mount point). Existing entries are fine, even on read-only mounts. */
static void make_mount_point(int root_fd, const char *rel, int directory) {
    char path[4096];
    format_or_fail(path, sizeof path, EXIT_MOUNTS, "mount point", "%s", rel);
    struct stat status;
    for (char *slash = strchr(path, '/'); slash; slash = strchr(slash + 1, '/')) {
        *slash = '\0';
        if (fstatat(root_fd, path, &status, AT_SYMLINK_NOFOLLOW) < 0 && mkdirat(root_fd, path, 0755) < 0 && errno != EEXIST)
            fail(EXIT_MOUNTS, "mkdir", errno, "creating mount point parent /%s", path);
        *slash = '/';
    }
    if (fstatat(root_fd, path, &status, AT_SYMLINK_NOFOLLOW) == 0) return;
    if (directory) {
        if (mkdirat(root_fd, path, 0755) < 0 && errno != EEXIST) fail(EXIT_MOUNTS, "mkdir", errno, "mount point /%s", path);
    } else {
        int fd = openat(root_fd, path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
        if (fd < 0 && errno != EEXIST) fail(EXIT_MOUNTS, "create", errno, "mount point /%s", path);
        if (fd >= 0) close(fd);
    }
}

static void attach(int tree_fd, int root_fd, const char *rel, const char *what) {
    if (move_mount(tree_fd, "", root_fd, rel, MOVE_MOUNT_F_EMPTY_PATH) < 0)
        fail(EXIT_MOUNTS, "move_mount", errno, "%s /%s", what, rel);
}

/* Resolves rel inside the new root (symlinks cannot leave it); -1 when it does not exist. */
static int open_inside(int root_fd, const char *rel) {
    struct open_how how = {.flags = O_PATH | O_CLOEXEC, .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS};
    int fd = (int)syscall(SYS_openat2, root_fd, rel, &how, sizeof how);
    if (fd < 0 && errno != ENOENT && errno != ENOTDIR && errno != ELOOP)
        fail(EXIT_MOUNTS, "openat2", errno, "resolving /%s inside the new root", rel);
    return fd;
}

static int compare_roots(const void *left, const void *right) {
    return strcmp(((const struct bound_root *)left)->path, ((const struct bound_root *)right)->path);
}

static void write_generated(int root_fd, const char *rel, const char *text) {
    int fd = openat(root_fd, rel, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0 || write_all(fd, text, strlen(text)) < 0) fail(EXIT_MOUNTS, "generate /etc", errno, "/%s", rel);
    close(fd);
}

/* The generated /etc: identities, host names, name service order; resolv.conf only with
   the host's network. Policy-listed /etc entries are bound over it afterwards. */
static void generate_etc(int root_fd, const struct launch_spec *spec, const struct identity *id) {
    if (mkdirat(root_fd, "etc", 0755) < 0) fail(EXIT_MOUNTS, "mkdir", errno, "/etc");
    char text[PATH_MAX + 512]; /* the home directory is a path: up to PATH_MAX */
    /* The home directory is the first writable root, not the call's cwd: a launcher prepared
       ahead of its call builds /etc before it knows the cwd. */
    const char *home = spec->read_write.count > 0 ? spec->read_write.items[0] : "/";
    if (id->inside_uid == 0)
        format_or_fail(text, sizeof text, EXIT_MOUNTS, "generate /etc/passwd", "root:x:0:0:Partner worker:%s:/bin/sh\n", home);
    else
        format_or_fail(text, sizeof text, EXIT_MOUNTS, "generate /etc/passwd",
                       "root:x:0:0:root:/root:/usr/sbin/nologin\npartner:x:%u:%u:Partner worker:%s:/bin/sh\n"
                       "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n", id->inside_uid, id->inside_gid, home);
    write_generated(root_fd, "etc/passwd", text);
    if (id->inside_gid == 0) format_or_fail(text, sizeof text, EXIT_MOUNTS, "generate /etc/group", "root:x:0:\n");
    else format_or_fail(text, sizeof text, EXIT_MOUNTS, "generate /etc/group",
                        "root:x:0:\npartner:x:%u:\nnogroup:x:65534:\n", id->inside_gid);
    write_generated(root_fd, "etc/group", text);
    format_or_fail(text, sizeof text, EXIT_MOUNTS, "generate /etc/hosts",
                   "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n127.0.1.1\t%s\n", spec->hostname);
    write_generated(root_fd, "etc/hosts", text);
    write_generated(root_fd, "etc/hostname", spec->hostname);
    write_generated(root_fd, "etc/nsswitch.conf", "passwd: files\ngroup: files\nhosts: files dns\n");
    if (spec->network == NETWORK_HOST) {
        char resolv[8192];
        size_t length = 0;
        int fd = open("/etc/resolv.conf", O_RDONLY | O_CLOEXEC);
        if (fd < 0 && errno != ENOENT) fail(EXIT_MOUNTS, "generate /etc/resolv.conf", errno, "reading the host's /etc/resolv.conf");
        while (fd >= 0) {
            ssize_t got = read(fd, resolv + length, sizeof resolv - 1 - length);
            if (got < 0 && errno == EINTR) continue;
            if (got < 0) fail(EXIT_MOUNTS, "generate /etc/resolv.conf", errno, "reading the host's /etc/resolv.conf");
            if (got == 0) break;
            length += (size_t)got;
            if (length == sizeof resolv - 1)
                fail(EXIT_MOUNTS, "generate /etc/resolv.conf", EFBIG, "the host's /etc/resolv.conf exceeds 8 KiB; "
                     "a truncated copy could drop name servers or options");
        }
        if (fd >= 0) close(fd);
        resolv[length] = '\0';
        write_generated(root_fd, "etc/resolv.conf", resolv);
    }
}

static void mount_tmpfs(const char *target, unsigned long flags, const char *options, const char *what) {
    if (mount("tmpfs", target, "tmpfs", flags, options) < 0) fail(EXIT_MOUNTS, "mount tmpfs", errno, "%s", what);
}

static void build_dev(int root_fd, const int *device_fds) {
    make_mount_point(root_fd, "dev", 1);
    char rel[64];
    for (size_t index = 0; index < sizeof device_nodes / sizeof *device_nodes; index++) {
        format_or_fail(rel, sizeof rel, EXIT_MOUNTS, "build /dev", "dev/%s", device_nodes[index]);
        make_mount_point(root_fd, rel, 0);
        attach(device_fds[index], root_fd, rel, "device");
        close(device_fds[index]);
    }
    static const char *const links[][2] = {
        {"dev/fd", "/proc/self/fd"}, {"dev/stdin", "/proc/self/fd/0"},
        {"dev/stdout", "/proc/self/fd/1"}, {"dev/stderr", "/proc/self/fd/2"},
    };
    for (size_t index = 0; index < sizeof links / sizeof *links; index++)
        if (symlinkat(links[index][1], root_fd, links[index][0]) < 0) fail(EXIT_MOUNTS, "symlink", errno, "/%s", links[index][0]);
    make_mount_point(root_fd, "dev/shm", 1);
    mount_tmpfs("/tmp/dev/shm", MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=1777,size=64m", "/dev/shm");
}

static void build_proc(int root_fd, int null_fd) {
    make_mount_point(root_fd, "proc", 1);
    /* Mounted while the host's /proc is still visible: the kernel refuses a proc mount in a
       namespace that has no fully visible one. */
    if (mount("proc", "/tmp/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0)
        fail(EXIT_MOUNTS, "mount proc", errno, "a new pid namespace needs its own /proc");
    char path[128];
    for (size_t index = 0; index < sizeof proc_read_only / sizeof *proc_read_only; index++) {
        format_or_fail(path, sizeof path, EXIT_MOUNTS, "build /proc", "/tmp/proc/%s", proc_read_only[index]);
        if (mount(path, path, NULL, MS_BIND | MS_REC, NULL) < 0) {
            if (errno == ENOENT) continue;
            fail(EXIT_MOUNTS, "bind", errno, "%s read-only", path);
        }
        set_attributes(AT_FDCWD, path, AT_RECURSIVE, MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV, path);
    }
    for (size_t index = 0; index < sizeof proc_masked / sizeof *proc_masked; index++) {
        format_or_fail(path, sizeof path, EXIT_MOUNTS, "build /proc", "proc/%s", proc_masked[index]);
        struct stat status;
        if (fstatat(root_fd, path, &status, 0) < 0) {
            if (errno == ENOENT) continue; /* this kernel has no such entry */
            fail(EXIT_MOUNTS, "build /proc", errno, "masking /%s", path);
        }
        format_or_fail(path, sizeof path, EXIT_MOUNTS, "build /proc", "/tmp/proc/%s", proc_masked[index]);
        if (S_ISDIR(status.st_mode)) mount_tmpfs(path, MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=4k,mode=000", path);
        else {
            int mask = open_tree(null_fd, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH);
            if (mask < 0) fail(EXIT_MOUNTS, "open_tree", errno, "mask for %s", path);
            attach(mask, root_fd, path + 5, "mask");
            close(mask);
        }
    }
}

/* Masks a hidden path: an empty read-only tmpfs over a directory, a nodev /dev/null over
   anything else (opening it then fails). Paths that do not exist need nothing. */
static void hide_path(int root_fd, const char *path, int null_fd) {
    int target = open_inside(root_fd, path + 1);
    if (target < 0) return;
    struct stat status;
    if (fstat(target, &status) < 0) fail(EXIT_MOUNTS, "fstat", errno, "hidden path %s", path);
    char fd_path[64];
    format_or_fail(fd_path, sizeof fd_path, EXIT_MOUNTS, "hidden path", "/proc/self/fd/%d", target);
    if (S_ISDIR(status.st_mode)) {
        mount_tmpfs(fd_path, MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=4k,mode=000", path);
    } else {
        int mask = open_tree(null_fd, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH);
        if (mask < 0) fail(EXIT_MOUNTS, "open_tree", errno, "mask for %s", path);
        if (move_mount(mask, "", target, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
            fail(EXIT_MOUNTS, "move_mount", errno, "mask over %s", path);
        close(mask);
    }
    close(target);
}

/* Re-binds an existing protected path read-only on top of itself. */
static void protect_path(int root_fd, const char *rel) {
    int target = open_inside(root_fd, rel);
    if (target < 0) return;
    int tree = open_tree(target, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH | AT_RECURSIVE);
    if (tree < 0) fail(EXIT_MOUNTS, "open_tree", errno, "protected path /%s", rel);
    set_attributes(tree, "", AT_EMPTY_PATH | AT_RECURSIVE, MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV, rel);
    if (move_mount(tree, "", target, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
        fail(EXIT_MOUNTS, "move_mount", errno, "protected path /%s", rel);
    close(tree);
    close(target);
}

void mounts_build(const struct launch_spec *spec, const struct identity *id, const int *idmapped_fds) {
    /* 2a. Nothing done below may propagate to the host. */
    if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0) fail(EXIT_MOUNTS, "make mounts private", errno, "unexpected");

    /* 2b. Clone every source while the host tree is in view. */
    size_t root_count = spec->read_only.count + spec->read_write.count;
    struct bound_root *roots = xcalloc(root_count + 1, sizeof *roots);
    for (size_t index = 0; index < root_count; index++) {
        int writable = index >= spec->read_only.count;
        size_t rw_index = index - spec->read_only.count;
        struct bound_root *root = &roots[index];
        root->path = writable ? spec->read_write.items[rw_index] : spec->read_only.items[index];
        root->tree_fd = -1;
        if (!writable && is_generated(root->path)) continue;
        struct stat status;
        /* A tree the outer process already cloned (as host root) is taken as it is: the
           worker's own id may not be able to search the path's parents (/root is 0700). */
        if (writable && idmapped_fds[rw_index] >= 0) {
            if (fstat(idmapped_fds[rw_index], &status) < 0) fail(EXIT_MOUNTS, "writable root", errno, "%s", root->path);
            root->is_directory = S_ISDIR(status.st_mode);
            root->tree_fd = idmapped_fds[rw_index];
            continue;
        }
        if (lstat(root->path, &status) < 0) {
            if (writable) fail(EXIT_MOUNTS, "writable root", errno, "%s must exist and be reachable by uid %u",
                               root->path, (unsigned)id->host_uid);
            /* Policies list paths some systems lack (/lib32, /opt): those are skipped. A path
               that exists but cannot be reached is refused, never silently left out. */
            if (errno != ENOENT && errno != ENOTDIR)
                fail(EXIT_MOUNTS, "read-only root", errno,
                     "%s: the worker's host uid %u cannot reach it; make its parent directories searchable "
                     "(chmod o+x) or move the workspace", root->path, (unsigned)id->host_uid);
            continue;
        }
        if (S_ISLNK(status.st_mode)) {
            root->symlink_target = xcalloc(4096, 1);
            ssize_t length = readlink(root->path, root->symlink_target, 4096);
            if (length < 0) fail(EXIT_MOUNTS, "readlink", errno, "%s", root->path);
            if (length >= 4096) fail(EXIT_MOUNTS, "readlink", ENAMETOOLONG, "%s: its target does not fit in 4095 bytes", root->path);
            continue;
        }
        root->is_directory = S_ISDIR(status.st_mode);
        root->tree_fd = clone_tree(root->path, writable ? "writable root" : "read-only root");
        set_attributes(root->tree_fd, "", AT_EMPTY_PATH | AT_RECURSIVE,
                       (writable ? 0 : MOUNT_ATTR_RDONLY) | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV, root->path);
    }
    int device_fds[sizeof device_nodes / sizeof *device_nodes];
    char device_path[64];
    for (size_t index = 0; index < sizeof device_nodes / sizeof *device_nodes; index++) {
        format_or_fail(device_path, sizeof device_path, EXIT_MOUNTS, "build /dev", "/dev/%s", device_nodes[index]);
        device_fds[index] = open_tree(AT_FDCWD, device_path, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
        if (device_fds[index] < 0) fail(EXIT_MOUNTS, "open_tree", errno, "%s must exist on the host", device_path);
        set_attributes(device_fds[index], "", AT_EMPTY_PATH, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC, device_path);
    }
    /* A nodev /dev/null: opening a mask made of it fails instead of reading nothing. */
    int null_fd = open_tree(AT_FDCWD, "/dev/null", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
    if (null_fd < 0) fail(EXIT_MOUNTS, "open_tree", errno, "/dev/null");
    set_attributes(null_fd, "", AT_EMPTY_PATH, MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC, "mask");

    /* 2c. The new root: a small tmpfs, read-only at the end. */
    mount_tmpfs(build_root, MS_NOSUID | MS_NODEV, "mode=0755,size=4m,nr_inodes=4096", "new root");
    int root_fd = open(build_root, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (root_fd < 0) fail(EXIT_MOUNTS, "open new root", errno, "unexpected");

    /* 2d. A fresh /tmp, before the roots: a workspace below /tmp is bound inside it. */
    make_mount_point(root_fd, "tmp", 1);
    char options[64];
    format_or_fail(options, sizeof options, EXIT_MOUNTS, "mount /tmp", "mode=1777,size=%llu", spec->tmp_size);
    mount_tmpfs("/tmp/tmp", MS_NOSUID | MS_NODEV, options, "/tmp");

    /* 2e. Generated /etc, before policy-listed /etc entries are bound into it. */
    generate_etc(root_fd, spec, id);

    /* 2f. Read-only and read-write roots, parents before children. */
    qsort(roots, root_count, sizeof *roots, compare_roots);
    for (size_t index = 0; index < root_count; index++) {
        const struct bound_root *root = &roots[index];
        const char *rel = root->path + 1;
        if (root->symlink_target) {
            make_mount_point(root_fd, rel, 1);
            if (unlinkat(root_fd, rel, AT_REMOVEDIR) < 0) fail(EXIT_MOUNTS, "symlink", errno, "replacing /%s", rel);
            if (symlinkat(root->symlink_target, root_fd, rel) < 0) fail(EXIT_MOUNTS, "symlink", errno, "%s", root->path);
            continue;
        }
        if (root->tree_fd < 0) continue;
        make_mount_point(root_fd, rel, root->is_directory);
        attach(root->tree_fd, root_fd, rel, "root");
        close(root->tree_fd);
    }

    /* 2g. /dev and /proc. */
    build_dev(root_fd, device_fds);
    build_proc(root_fd, null_fd);
    close(null_fd);

    /* 2h. pivot_root into the new root and detach the old one entirely. */
    if (fchdir(root_fd) < 0) fail(EXIT_MOUNTS, "chdir new root", errno, "unexpected");
    if (syscall(SYS_pivot_root, ".", ".") < 0) fail(EXIT_MOUNTS, "pivot_root", errno, "unexpected");
    if (umount2(".", MNT_DETACH) < 0) fail(EXIT_MOUNTS, "detach old root", errno, "unexpected");
    if (chdir("/") < 0) fail(EXIT_MOUNTS, "chdir /", errno, "unexpected");
    close(root_fd);

    /* 2i. The root tmpfs itself (and so the generated /etc) becomes read-only. */
    set_attributes(AT_FDCWD, "/", 0, MOUNT_ATTR_RDONLY, "new root read-only");
}

void mounts_protect(const struct launch_spec *spec) {
    int root_fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (root_fd < 0) fail(EXIT_MOUNTS, "open /", errno, "unexpected");

    /* 2j. Protected paths inside writable roots, read-only on top of themselves. */
    char rel[4096];
    for (size_t index = 0; index < spec->protected_paths.count; index++) {
        const char *entry = spec->protected_paths.items[index];
        if (entry[0] == '/') {
            protect_path(root_fd, entry + 1);
            continue;
        }
        for (size_t root = 0; root < spec->read_write.count; root++) {
            /* Truncated, the path would name another file or none: the protection would be
               skipped without a word. */
            format_or_fail(rel, sizeof rel, EXIT_MOUNTS, "protected path", "%s/%s", spec->read_write.items[root] + 1, entry);
            protect_path(root_fd, rel);
        }
    }

    /* 2k. Hidden paths. Masks are made of a read-only, nodev copy of the worker's /dev/null. */
    if (spec->hidden.count > 0) {
        int null_fd = open_tree(AT_FDCWD, "/dev/null", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
        if (null_fd < 0) fail(EXIT_MOUNTS, "open_tree", errno, "/dev/null");
        set_attributes(null_fd, "", AT_EMPTY_PATH, MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC,
                       "mask");
        for (size_t index = 0; index < spec->hidden.count; index++) hide_path(root_fd, spec->hidden.items[index], null_fd);
        close(null_fd);
    }
    close(root_fd);
}
