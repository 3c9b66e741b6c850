/* Step 6g: seccomp, the last confinement step before execve.

   One classic BPF program, built here from the profile table (seccomp_profiles.c) with
   system call numbers resolved by libseccomp. Building it directly takes microseconds;
   libseccomp's own rule compiler took 0.1 ms (default) to 0.7 ms (strict) per worker.
   The program, in order:
     1. architecture check: any non-native ABI (i386 `int 0x80`) and x32 numbers are killed;
     2. argument rules common to every profile, each comparing the 32 bits the kernel reads:
        clone with any namespace flag -> EPERM; ioctl TIOCSTI / TIOCLINUX -> EPERM;
        socket/socketpair families other than AF_UNIX (plus AF_INET/AF_INET6 with network)
        -> EAFNOSUPPORT;
     3. the profile: `default` answers EPERM for its listed calls (ENOSYS for clone3, so libc
        falls back to clone, whose flags step 2 checks) and allows the rest; `strict` allows
        only its listed calls and answers ENOSYS to everything else. */
#include "launcher.h"
#include "seccomp_profiles.h"

#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <seccomp.h>
#include <stddef.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#if defined(__x86_64__)
#define NATIVE_ARCH AUDIT_ARCH_X86_64
#define X32_SYSCALL_BIT 0x40000000u
#elif defined(__aarch64__)
#define NATIVE_ARCH AUDIT_ARCH_AARCH64
#else
#error "partner-sandbox: add this architecture's AUDIT_ARCH value"
#endif

enum { MAX_INSTRUCTIONS = 4096 };

#define NAMESPACE_FLAGS (CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWCGROUP)
#define LOW_WORD(argument) ((unsigned)(offsetof(struct seccomp_data, args) + 8 * (argument)))
#define RET(value) BPF_STMT(BPF_RET | BPF_K, (value))
#define LOAD(offset) BPF_STMT(BPF_LD | BPF_W | BPF_ABS, (offset))
#define ERRNO(number) (SECCOMP_RET_ERRNO | ((number) & SECCOMP_RET_DATA))

struct program {
    struct sock_filter code[MAX_INSTRUCTIONS];
    size_t length;
};

static void emit(struct program *program, struct sock_filter instruction) {
    if (program->length >= MAX_INSTRUCTIONS) fail(EXIT_CONFINE, "seccomp", E2BIG, "the filter exceeds 4096 instructions");
    program->code[program->length++] = instruction;
}

/* "if nr == number: return action", as two instructions (no long jumps needed). */
static void emit_return_if(struct program *program, int number, unsigned action) {
    emit(program, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned)number, 0, 1));
    emit(program, (struct sock_filter)RET(action));
}

int seccomp_profile_known(const char *name) {
    for (size_t index = 0; index < seccomp_profile_count; index++)
        if (strcmp(seccomp_profiles[index].name, name) == 0) return 1;
    return 0;
}

/* Checks the family argument of socket/socketpair (number) against the allowed families;
   leaves the system call number loaded again afterwards. */
static void emit_family_rule(struct program *program, int number, const unsigned *allowed, size_t count) {
    /* jeq number ? continue : skip the block (count + 3 instructions: load, checks, ret, reload) */
    emit(program, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned)number, 0, (unsigned char)(count + 3)));
    emit(program, (struct sock_filter)LOAD(LOW_WORD(0)));
    for (size_t index = 0; index < count; index++) /* an allowed family jumps over the return */
        emit(program, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, allowed[index], (unsigned char)(count - index), 0));
    emit(program, (struct sock_filter)RET(ERRNO(EAFNOSUPPORT)));
    emit(program, (struct sock_filter)LOAD(offsetof(struct seccomp_data, nr)));
}

/* Builds the whole filter for a profile and a network mode. */
static void build(struct program *program, const struct seccomp_profile *profile, enum network_mode network) {
    program->length = 0;
    /* 1. architecture */
    emit(program, (struct sock_filter)LOAD(offsetof(struct seccomp_data, arch)));
    emit(program, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, NATIVE_ARCH, 1, 0));
    emit(program, (struct sock_filter)RET(SECCOMP_RET_KILL_PROCESS));
    emit(program, (struct sock_filter)LOAD(offsetof(struct seccomp_data, nr)));
#ifdef X32_SYSCALL_BIT
    emit(program, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, X32_SYSCALL_BIT, 0, 1));
    emit(program, (struct sock_filter)RET(SECCOMP_RET_KILL_PROCESS));
#endif
    /* 2. argument rules */
    emit(program, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_clone, 0, 4));
    emit(program, (struct sock_filter)LOAD(LOW_WORD(0)));
    emit(program, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, NAMESPACE_FLAGS, 0, 1));
    emit(program, (struct sock_filter)RET(ERRNO(EPERM)));
    emit(program, (struct sock_filter)LOAD(offsetof(struct seccomp_data, nr)));

    emit(program, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_ioctl, 0, 5));
    emit(program, (struct sock_filter)LOAD(LOW_WORD(1)));
    emit(program, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, TIOCSTI, 1, 0));
    emit(program, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, TIOCLINUX, 0, 1));
    emit(program, (struct sock_filter)RET(ERRNO(EPERM)));
    emit(program, (struct sock_filter)LOAD(offsetof(struct seccomp_data, nr)));

    static const unsigned unix_only[] = {AF_UNIX};
    static const unsigned with_network[] = {AF_UNIX, AF_INET, AF_INET6};
    if (network == NETWORK_NONE) emit_family_rule(program, SYS_socket, unix_only, 1);
    else emit_family_rule(program, SYS_socket, with_network, 3);
    emit_family_rule(program, SYS_socketpair, unix_only, 1);

    /* 3. the profile */
    for (size_t index = 0; index < profile->unsupported_count; index++) {
        int number = seccomp_syscall_resolve_name(profile->unsupported[index]);
        if (number >= 0) emit_return_if(program, number, ERRNO(ENOSYS));
    }
    unsigned listed_action = profile->allow_by_default ? ERRNO(EPERM) : SECCOMP_RET_ALLOW;
    for (size_t index = 0; index < profile->listed_count; index++) {
        int number = seccomp_syscall_resolve_name(profile->listed[index]);
        if (number >= 0) emit_return_if(program, number, listed_action); /* names unknown here are skipped */
    }
    emit(program, (struct sock_filter)RET(profile->allow_by_default ? SECCOMP_RET_ALLOW : ERRNO(ENOSYS)));
}

/* Built by PID 1 before the payload is forked (ahead of the call for a prepared launcher):
   resolving names and emitting the program stays off the payload's path. */
static struct program prepared;
static const char *prepared_profile;

void seccomp_prepare(const struct launch_spec *spec) {
    const struct seccomp_profile *profile = NULL;
    for (size_t index = 0; index < seccomp_profile_count; index++)
        if (strcmp(seccomp_profiles[index].name, spec->seccomp_profile) == 0) profile = &seccomp_profiles[index];
    if (!profile) fail(EXIT_CONFINE, "seccomp", EINVAL, "unknown profile %s", spec->seccomp_profile);
    build(&prepared, profile, spec->network);
    prepared_profile = profile->name;
}

void seccomp_apply(void) {
    if (!prepared_profile || prepared.length == 0) fail(EXIT_CONFINE, "seccomp", EINVAL, "no filter was prepared");
    struct sock_fprog filter = {.len = (unsigned short)prepared.length, .filter = prepared.code};
    if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &filter) < 0)
        fail(EXIT_CONFINE, "seccomp(SET_MODE_FILTER)", errno, "the kernel refused the %s profile's filter", prepared_profile);
}
