/* The launch spec: a sequence of NUL-terminated records "keyword value", read from a file
   descriptor. Paths, arguments and environment entries cannot contain NUL, so no quoting
   is needed. The first record is "partner-sandbox-spec 1", the last one "end"; the writer
   keeps the fd open afterwards (the launcher takes its hang-up as the supervisor's death).
   The format is documented in docs/sandbox.md. */
#include "launcher.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { SPEC_MAX_BYTES = 4 << 20, SPEC_MAX_ITEMS = 65536 };

static const char *const limit_names[LIMIT_KIND_COUNT] = {"cpu", "as", "nproc", "fsize", "nofile"};

static void spec_error(const char *keyword, const char *what) {
    fail(EXIT_SPEC, "spec", 0, "record \"%s\": %s; the supervisor and partner-sandbox versions may differ",
         keyword, what);
}

static void list_append(struct string_list *list, char *item, const char *keyword) {
    if (list->count >= SPEC_MAX_ITEMS) spec_error(keyword, "too many entries");
    char **grown = realloc(list->items, (list->count + 2) * sizeof *grown);
    if (!grown) fail(EXIT_SPEC, "spec", ENOMEM, "the launch spec is too large");
    grown[list->count++] = item;
    grown[list->count] = NULL; /* argument and environment lists go to execve as they are */
    list->items = grown;
}

/* Absolute, no "." or ".." components, no empty components except a trailing slash-free root. */
static void require_clean_path(const char *keyword, const char *path) {
    if (path[0] != '/') spec_error(keyword, "path is not absolute");
    if (strlen(path) >= PATH_MAX) spec_error(keyword, "path too long");
    const char *part = path + 1;
    while (*part) {
        const char *end = strchr(part, '/');
        size_t length = end ? (size_t)(end - part) : strlen(part);
        if (length == 0) spec_error(keyword, "path has an empty component or trailing slash");
        if ((length == 1 && part[0] == '.') || (length == 2 && part[0] == '.' && part[1] == '.'))
            spec_error(keyword, "path has a . or .. component");
        if (!end) break;
        part = end + 1;
    }
}

static unsigned long long parse_number(const char *keyword, const char *text) {
    if (!*text) spec_error(keyword, "missing number");
    char *end = NULL;
    errno = 0;
    unsigned long long value = strtoull(text, &end, 10);
    if (errno || *end || text[0] == '-') spec_error(keyword, "not a non-negative decimal number");
    return value;
}

/* Reads until the buffer ends with the "end" record. Stops there: the fd stays open. */
char *spec_read_bytes(int fd, size_t *length_out) {
    size_t capacity = 4096, length = 0;
    char *buffer = malloc(capacity);
    if (!buffer) fail(EXIT_SPEC, "spec", ENOMEM, "out of memory");
    for (;;) {
        if (length >= 5 && memcmp(buffer + length - 5, "\0end\0", 5) == 0) break;
        if (length == capacity) {
            if (capacity >= SPEC_MAX_BYTES) fail(EXIT_SPEC, "spec", E2BIG, "the launch spec exceeds 4 MiB");
            capacity *= 2;
            char *grown = realloc(buffer, capacity);
            if (!grown) fail(EXIT_SPEC, "spec", ENOMEM, "out of memory");
            buffer = grown;
        }
        ssize_t got = read(fd, buffer + length, capacity - length);
        if (got < 0 && errno == EINTR) continue;
        if (got < 0) fail(EXIT_SPEC, "spec: read", errno, "pass the launch spec on the fd named by --spec-fd");
        if (got == 0) fail(EXIT_SPEC, "spec", 0, "the launch spec ended before its \"end\" record");
        length += (size_t)got;
    }
    *length_out = length;
    return buffer;
}

void spec_read(int fd, struct launch_spec *spec) {
    size_t length = 0;
    char *buffer = spec_read_bytes(fd, &length);
    spec_parse(buffer, length, spec);
}

/* Per-call records: the command, its environment and directory, its timeout and rlimits.
   Everything else shapes the namespaces and the mount tree. */
static const char *const per_call_keywords[] = {"arg", "env", "cwd", "timeout-ms", "grace-ms", "rlimit"};

int spec_record_is_per_call(const char *record) {
    for (size_t index = 0; index < sizeof per_call_keywords / sizeof *per_call_keywords; index++) {
        size_t length = strlen(per_call_keywords[index]);
        if (strncmp(record, per_call_keywords[index], length) == 0 && (record[length] == ' ' || record[length] == '\0'))
            return 1;
    }
    return 0;
}

size_t spec_confinement_bytes(const char *buffer, size_t length, char *out) {
    size_t offset = 0, written = 0;
    while (offset < length) {
        const char *record = buffer + offset;
        size_t record_length = strnlen(record, length - offset);
        size_t with_nul = record_length < length - offset ? record_length + 1 : record_length;
        if (!spec_record_is_per_call(record)) {
            memcpy(out + written, record, with_nul);
            written += with_nul;
        }
        offset += with_nul;
    }
    return written;
}

static void parse(char *buffer, size_t length, struct launch_spec *spec, int prediction);

void spec_parse_call(char *bytes, size_t length, struct launch_spec *spec, const char *predicted, size_t predicted_length) {
    char *confinement = xcalloc(length + 1, 1);
    size_t confinement_length = spec_confinement_bytes(bytes, length, confinement);
    if (confinement_length != predicted_length || memcmp(confinement, predicted, predicted_length) != 0)
        fail(EXIT_PREFORK, "prefork", 0, "the call's confinement differs from the one prepared; "
             "the supervisor starts a launcher for the call");
    free(confinement);
    spec_parse(bytes, length, spec);
}

void spec_parse(char *buffer, size_t length, struct launch_spec *spec) { parse(buffer, length, spec, 0); }

void spec_parse_prediction(char *buffer, size_t length, struct launch_spec *spec) { parse(buffer, length, spec, 1); }

static void parse(char *buffer, size_t length, struct launch_spec *spec, int prediction) {
    memset(spec, 0, sizeof *spec);
    spec->network = NETWORK_NONE;
    spec->hostname = "partner";
    spec->seccomp_profile = "default";
    spec->tmp_size = 1ULL << 30;
    spec->grace_ms = 2000;

    size_t offset = 0;
    int record_index = 0, saw_end = 0;
    while (offset < length) {
        char *record = buffer + offset;
        size_t record_length = strlen(record);
        offset += record_length + 1;
        if (saw_end) spec_error("end", "data after the end record");
        char *space = strchr(record, ' ');
        const char *keyword = record;
        char *value = (char *)"";
        if (space) {
            *space = '\0';
            value = space + 1;
        }
        if (record_index++ == 0) {
            if (strcmp(keyword, "partner-sandbox-spec") != 0) spec_error(keyword, "not a launch spec (bad first record)");
            if (parse_number(keyword, value) != SPEC_VERSION) spec_error(keyword, "unsupported spec version");
            continue;
        }
        if (prediction && spec_record_is_per_call(keyword)) spec_error(keyword, "a prediction carries confinement records only");
        if (strcmp(keyword, "end") == 0) {
            saw_end = 1;
        } else if (strcmp(keyword, "ro") == 0) {
            require_clean_path(keyword, value);
            list_append(&spec->read_only, value, keyword);
        } else if (strcmp(keyword, "rw") == 0) {
            require_clean_path(keyword, value);
            list_append(&spec->read_write, value, keyword);
        } else if (strcmp(keyword, "hide") == 0) {
            require_clean_path(keyword, value);
            list_append(&spec->hidden, value, keyword);
        } else if (strcmp(keyword, "protect") == 0) {
            if (value[0] == '/') require_clean_path(keyword, value);
            else if (!*value || strstr(value, "..")) spec_error(keyword, "relative protected path is empty or has ..");
            list_append(&spec->protected_paths, value, keyword);
        } else if (strcmp(keyword, "net") == 0) {
            if (strcmp(value, "none") == 0) spec->network = NETWORK_NONE;
            else if (strcmp(value, "loopback") == 0) spec->network = NETWORK_LOOPBACK;
            else if (strcmp(value, "host") == 0) spec->network = NETWORK_HOST;
            else spec_error(keyword, "expected none, loopback or host");
        } else if (strcmp(keyword, "hostname") == 0) {
            if (!*value || strlen(value) > 64) spec_error(keyword, "must be 1 to 64 characters");
            spec->hostname = value;
        } else if (strcmp(keyword, "seccomp") == 0) {
            if (!seccomp_profile_known(value)) spec_error(keyword, "unknown seccomp profile (known: default, strict)");
            spec->seccomp_profile = value;
        } else if (strcmp(keyword, "cgroup") == 0) {
            require_clean_path(keyword, value);
            spec->cgroup = value;
        } else if (strcmp(keyword, "cwd") == 0) {
            require_clean_path(keyword, value);
            spec->cwd = value;
        } else if (strcmp(keyword, "tmp-size") == 0) {
            spec->tmp_size = parse_number(keyword, value);
        } else if (strcmp(keyword, "timeout-ms") == 0) {
            spec->timeout_ms = (long long)parse_number(keyword, value);
        } else if (strcmp(keyword, "grace-ms") == 0) {
            spec->grace_ms = (long long)parse_number(keyword, value);
        } else if (strcmp(keyword, "rlimit") == 0) {
            char *number = strchr(value, ' ');
            if (!number) spec_error(keyword, "expected \"rlimit NAME VALUE\"");
            *number++ = '\0';
            int kind = -1;
            for (int index = 0; index < LIMIT_KIND_COUNT; index++)
                if (strcmp(value, limit_names[index]) == 0) kind = index;
            if (kind < 0) spec_error(keyword, "unknown limit (known: cpu, as, nproc, fsize, nofile)");
            spec->limit_set[kind] = 1;
            spec->limit_value[kind] = parse_number(keyword, number);
        } else if (strcmp(keyword, "env") == 0) {
            if (!strchr(value, '=') || value[0] == '=') spec_error(keyword, "expected NAME=VALUE");
            list_append(&spec->environment, value, keyword);
        } else if (strcmp(keyword, "arg") == 0) {
            list_append(&spec->arguments, value, keyword);
        } else {
            spec_error(keyword, "unknown record");
        }
    }
    if (!saw_end) spec_error("end", "missing");
    if (!prediction && spec->arguments.count == 0) spec_error("arg", "no command to run");
    if (!prediction && !spec->arguments.items[0][0]) spec_error("arg", "the command is empty");
    for (size_t index = 0; index < spec->read_only.count; index++)
        if (strcmp(spec->read_only.items[index], "/etc") == 0 || strcmp(spec->read_only.items[index], "/") == 0)
            spec_error("ro", "/ and /etc cannot be bound whole: /etc is generated; list the /etc entries needed");
    /* Lists end in NULL even when empty, for execve. */
    if (!spec->environment.items) list_append(&spec->environment, NULL, "env"), spec->environment.count = 0;
    if (!spec->arguments.items) list_append(&spec->arguments, NULL, "arg"), spec->arguments.count = 0;
    if (!spec->cwd) spec->cwd = spec->read_write.count > 0 ? spec->read_write.items[0] : "/";
}
