// The C half of the suite. Each fixture has a Makefile whose `test` target builds and runs a
// small test program written by `TestSource.c`; the hidden copy adds cases, and the checker
// also restores the Makefile, so that `make -s -B test` means what it meant at the start.
// The file is long because it is data, one MARK per task; a language's fixtures stay together.

extension TaskSuite {
    static let c: [BenchmarkTask] = [cFailingTest, cAddFunction, cRename, cSymptomBug, cCommitFix, cQuestion, cDeniedCommand]

    /// Build products that a C fixture's .gitignore leaves out.
    private static func gitignore(_ program: String) -> String { "\(program)\n*.o\n" }

    // MARK: failing-test

    private static let strutilHeader = """
        /* strutil.h: small string helpers for the log parser. */
        #ifndef STRUTIL_H
        #define STRUTIL_H

        #include <stddef.h>

        /* Number of times c occurs in s. */
        size_t count_char(const char *s, char c);

        /* Reverses s in place. */
        void str_reverse(char *s);

        /* Returns s without leading and trailing spaces; trailing ones are cut in place. */
        char *str_trim(char *s);

        #endif

        """

    private static let strutilSource = """
        /* strutil.c: small string helpers for the log parser. */
        #include "strutil.h"

        #include <ctype.h>
        #include <string.h>

        size_t count_char(const char *s, char c) {
            size_t count = 0;
            for (size_t i = 0; s[i] != '\\0'; i++) {
                if (s[i] == c) count++;
            }
            return count;
        }

        void str_reverse(char *s) {
            size_t len = strlen(s);
            for (size_t i = 0; i < len / 2; i++) {
                size_t j = len - i;
                char tmp = s[i];
                s[i] = s[j];
                s[j] = tmp;
            }
        }

        char *str_trim(char *s) {
            while (isspace((unsigned char)*s)) s++;
            size_t len = strlen(s);
            while (len > 0 && isspace((unsigned char)s[len - 1])) s[--len] = '\\0';
            return s;
        }

        """

    private static let strutilCases = [
        TestCase("count_char", ["CHECK(count_char(\"a,b,c\", ',') == 2);", "CHECK(count_char(\"\", 'x') == 0);"]),
        TestCase("reverse", ["char s[] = \"abc\";", "str_reverse(s);", "CHECK(strcmp(s, \"cba\") == 0);"]),
        TestCase("trim", ["char s[] = \"  padded \";", "CHECK(strcmp(str_trim(s), \"padded\") == 0);"]),
    ]

    static let cFailingTest = BenchmarkTask(
        id: "c-failing-test", kind: .failingTest, language: .c,
        files: ["strutil.h": strutilHeader, "strutil.c": strutilSource,
                "test_strutil.c": TestSource.c(includes: ["strutil.h"], cases: strutilCases),
                "Makefile": TestSource.makefile(program: "test_strutil", sources: ["test_strutil.c", "strutil.c"],
                                                headers: ["strutil.h"]),
                ".gitignore": gitignore("test_strutil")],
        prompt: "make test fails. Fix the bug it shows.",
        hiddenFiles: ["test_strutil.c": TestSource.c(includes: ["strutil.h"], cases: strutilCases + [
            TestCase("reverse_even_length", ["char s[] = \"abcd\";", "str_reverse(s);", "CHECK(strcmp(s, \"dcba\") == 0);"]),
            TestCase("reverse_empty", ["char s[] = \"\";", "str_reverse(s);", "CHECK(strcmp(s, \"\") == 0);"]),
            TestCase("reverse_one", ["char s[] = \"x\";", "str_reverse(s);", "CHECK(strcmp(s, \"x\") == 0);"]),
        ]),
                      "Makefile": TestSource.makefile(program: "test_strutil", sources: ["test_strutil.c", "strutil.c"],
                                                      headers: ["strutil.h"])],
        check: [.writeHiddenFiles, testCommand(.c)],
        reference: ReferenceSolution(edits: [.replace("strutil.c", "size_t j = len - i;", with: "size_t j = len - 1 - i;")])
    )

    // MARK: add-function

    private static let stackHeader = """
        /* stack.h: a fixed-size stack of ints for the expression evaluator. */
        #ifndef STACK_H
        #define STACK_H

        #include <stddef.h>

        #define STACK_MAX 64

        struct stack {
            int items[STACK_MAX];
            size_t size;
        };

        void stack_init(struct stack *stack);

        /* Pushes value; returns 0, or -1 when the stack is full. */
        int stack_push(struct stack *stack, int value);

        /* Pops the top value into *value; returns 0, or -1 when the stack is empty. */
        int stack_pop(struct stack *stack, int *value);

        size_t stack_size(const struct stack *stack);

        #endif

        """

    private static let stackSource = """
        /* stack.c: a fixed-size stack of ints for the expression evaluator. */
        #include "stack.h"

        void stack_init(struct stack *stack) {
            stack->size = 0;
        }

        int stack_push(struct stack *stack, int value) {
            if (stack->size == STACK_MAX) return -1;
            stack->items[stack->size++] = value;
            return 0;
        }

        int stack_pop(struct stack *stack, int *value) {
            if (stack->size == 0) return -1;
            *value = stack->items[--stack->size];
            return 0;
        }

        size_t stack_size(const struct stack *stack) {
            return stack->size;
        }

        """

    private static let stackCases = [
        TestCase("push_pop", [
            "struct stack s;", "int value = 0;", "stack_init(&s);", "CHECK(stack_push(&s, 7) == 0);",
            "CHECK(stack_pop(&s, &value) == 0 && value == 7);", "CHECK(stack_pop(&s, &value) == -1);",
        ]),
        TestCase("peek", [
            "struct stack s;", "int value = 0;", "stack_init(&s);", "stack_push(&s, 1);", "stack_push(&s, 2);",
            "CHECK(stack_peek(&s, &value) == 0 && value == 2);", "CHECK(stack_size(&s) == 2);",
        ]),
    ]

    private static let stackMakefile = TestSource.makefile(program: "test_stack", sources: ["test_stack.c", "stack.c"],
                                                           headers: ["stack.h"])

    static let cAddFunction = BenchmarkTask(
        id: "c-add-function", kind: .addFunction, language: .c,
        files: ["stack.h": stackHeader, "stack.c": stackSource,
                "test_stack.c": TestSource.c(includes: ["stack.h"], cases: stackCases),
                "Makefile": stackMakefile, ".gitignore": gitignore("test_stack")],
        prompt: "test_stack.c uses stack_peek but the stack library doesn't have it yet. Please add it.",
        hiddenFiles: ["test_stack.c": TestSource.c(includes: ["stack.h"], cases: stackCases + [
            TestCase("peek_empty", ["struct stack s;", "int value = 42;", "stack_init(&s);",
                                    "CHECK(stack_peek(&s, &value) == -1);", "CHECK(value == 42);"]),
            TestCase("peek_after_pop", ["struct stack s;", "int value = 0;", "stack_init(&s);", "stack_push(&s, 5);",
                                        "stack_push(&s, 6);", "stack_pop(&s, &value);",
                                        "CHECK(stack_peek(&s, &value) == 0 && value == 5);"]),
        ]), "Makefile": stackMakefile],
        check: [.writeHiddenFiles, testCommand(.c)],
        reference: ReferenceSolution(edits: [
            .replace("stack.h", "size_t stack_size(const struct stack *stack);", with: """
                /* Copies the top value into *value without removing it; returns 0, or -1 when empty. */
                int stack_peek(const struct stack *stack, int *value);

                size_t stack_size(const struct stack *stack);
                """),
            .replace("stack.c", "size_t stack_size(const struct stack *stack) {", with: """
                int stack_peek(const struct stack *stack, int *value) {
                    if (stack->size == 0) return -1;
                    *value = stack->items[stack->size - 1];
                    return 0;
                }

                size_t stack_size(const struct stack *stack) {
                """),
        ])
    )

    // MARK: rename

    private static let bufferHeader = """
        /* buffer.h: a growable text buffer for building report lines. */
        #ifndef BUFFER_H
        #define BUFFER_H

        #include <stddef.h>

        struct buffer {
            char *data;
            size_t length;
            size_t capacity;
        };

        void buffer_init(struct buffer *buffer);

        /* Appends text; returns 0, or -1 when memory runs out. */
        int buf_append(struct buffer *buffer, const char *text);

        void buffer_free(struct buffer *buffer);

        #endif

        """

    private static let bufferSource = """
        /* buffer.c: a growable text buffer for building report lines. */
        #include "buffer.h"

        #include <stdlib.h>
        #include <string.h>

        void buffer_init(struct buffer *buffer) {
            buffer->data = NULL;
            buffer->length = 0;
            buffer->capacity = 0;
        }

        int buf_append(struct buffer *buffer, const char *text) {
            size_t extra = strlen(text);
            if (buffer->length + extra + 1 > buffer->capacity) {
                size_t capacity = buffer->capacity ? buffer->capacity * 2 : 32;
                while (capacity < buffer->length + extra + 1) capacity *= 2;
                char *data = realloc(buffer->data, capacity);
                if (data == NULL) return -1;
                buffer->data = data;
                buffer->capacity = capacity;
            }
            memcpy(buffer->data + buffer->length, text, extra + 1);
            buffer->length += extra;
            return 0;
        }

        void buffer_free(struct buffer *buffer) {
            free(buffer->data);
            buffer_init(buffer);
        }

        """

    private static let reportHeader = """
        /* report.h: the daily sales report. */
        #ifndef REPORT_H
        #define REPORT_H

        #include "buffer.h"

        /* Appends "name: count" to out; returns 0, or -1 when memory runs out. */
        int report_line(struct buffer *out, const char *name, int count);

        #endif

        """

    private static let reportSource = """
        /* report.c: the daily sales report. */
        #include "report.h"

        #include <stdio.h>

        int report_line(struct buffer *out, const char *name, int count) {
            char number[32];
            snprintf(number, sizeof number, "%d", count);
            if (buf_append(out, name) != 0) return -1;
            if (buf_append(out, ": ") != 0) return -1;
            return buf_append(out, number);
        }

        """

    private static func bufferTests(append name: String, extra: [TestCase] = []) -> String {
        TestSource.c(includes: ["buffer.h", "report.h"], cases: [
            TestCase("append", ["struct buffer b;", "buffer_init(&b);", "CHECK(\(name)(&b, \"abc\") == 0);",
                                "CHECK(\(name)(&b, \"def\") == 0);", "CHECK(strcmp(b.data, \"abcdef\") == 0);",
                                "buffer_free(&b);"]),
            TestCase("report_line", ["struct buffer b;", "buffer_init(&b);", "CHECK(report_line(&b, \"apples\", 12) == 0);",
                                     "CHECK(strcmp(b.data, \"apples: 12\") == 0);", "buffer_free(&b);"]),
        ] + extra)
    }

    private static let bufferMakefile = TestSource.makefile(
        program: "test_buffer", sources: ["test_buffer.c", "buffer.c", "report.c"], headers: ["buffer.h", "report.h"])

    static let cRename = BenchmarkTask(
        id: "c-rename", kind: .rename, language: .c,
        files: ["buffer.h": bufferHeader, "buffer.c": bufferSource, "report.h": reportHeader, "report.c": reportSource,
                "test_buffer.c": bufferTests(append: "buf_append"), "Makefile": bufferMakefile,
                ".gitignore": gitignore("test_buffer")],
        prompt: "Rename buf_append to buffer_append everywhere.",
        hiddenFiles: ["test_buffer.c": bufferTests(append: "buffer_append", extra: [
            TestCase("append_grows", ["struct buffer b;", "buffer_init(&b);",
                                      "for (int i = 0; i < 100; i++) CHECK(buffer_append(&b, \"0123456789\") == 0);",
                                      "CHECK(b.length == 1000);", "buffer_free(&b);"]),
        ]), "Makefile": bufferMakefile],
        check: [.identifierAbsent("buf_append", extensions: [".c", ".h"]), .writeHiddenFiles, testCommand(.c)],
        reference: ReferenceSolution(edits: [
            .replace("buffer.h", "buf_append", with: "buffer_append"),
            .replace("buffer.c", "buf_append", with: "buffer_append"),
            .replace("report.c", "buf_append", with: "buffer_append"),
            .replace("test_buffer.c", "buf_append", with: "buffer_append"),
        ])
    )

    // MARK: symptom-bug

    private static let durationHeader = """
        /* duration.h: human-readable durations for the job scheduler's status page. */
        #ifndef DURATION_H
        #define DURATION_H

        #include <stddef.h>

        /* Writes seconds as "1h 2m 5s", "2m 5s" or "5s" into out; returns out. */
        char *format_duration(unsigned long seconds, char *out, size_t size);

        #endif

        """

    private static let durationSource = """
        /* duration.c: human-readable durations for the job scheduler's status page. */
        #include "duration.h"

        #include <stdio.h>

        char *format_duration(unsigned long seconds, char *out, size_t size) {
            unsigned long hours = seconds / 3600;
            unsigned long minutes = seconds / 60;
            unsigned long rest = seconds % 60;
            if (hours > 0) {
                snprintf(out, size, "%luh %lum %lus", hours, minutes, rest);
            } else if (minutes > 0) {
                snprintf(out, size, "%lum %lus", minutes, rest);
            } else {
                snprintf(out, size, "%lus", rest);
            }
            return out;
        }

        """

    private static let schedulerStatus = """
        /* status.c: prints how long each job has been running. */
        #include <stdio.h>

        #include "time/duration.h"

        void print_job_status(const char *name, unsigned long running_seconds) {
            char text[32];
            printf("%-20s %s\\n", name, format_duration(running_seconds, text, sizeof text));
        }

        """

    private static let durationCases = [
        TestCase("seconds", ["char out[32];", "CHECK(strcmp(format_duration(5, out, sizeof out), \"5s\") == 0);"]),
        TestCase("minutes", ["char out[32];", "CHECK(strcmp(format_duration(125, out, sizeof out), \"2m 5s\") == 0);"]),
    ]

    private static let durationMakefile = TestSource.makefile(
        program: "tests/test_duration", sources: ["tests/test_duration.c", "src/time/duration.c"],
        headers: ["src/time/duration.h"], includeDirectories: ["src/time"])

    static let cSymptomBug = BenchmarkTask(
        id: "c-nested-bug", kind: .symptomBug, language: .c,
        files: ["src/time/duration.h": durationHeader, "src/time/duration.c": durationSource, "src/status.c": schedulerStatus,
                "tests/test_duration.c": TestSource.c(includes: ["duration.h"], cases: durationCases),
                "Makefile": durationMakefile, ".gitignore": gitignore("tests/test_duration")],
        prompt: "Jobs that run longer than an hour show too many minutes on the status page: 3725 seconds shows "
            + "as \"1h 62m 5s\" instead of \"1h 2m 5s\". Please fix it.",
        hiddenFiles: ["tests/test_duration.c": TestSource.c(includes: ["duration.h"], cases: durationCases + [
            TestCase("hours", ["char out[32];", "CHECK(strcmp(format_duration(3725, out, sizeof out), \"1h 2m 5s\") == 0);"]),
            TestCase("exact_hours", ["char out[32];", "CHECK(strcmp(format_duration(7200, out, sizeof out), \"2h 0m 0s\") == 0);"]),
            TestCase("just_under_an_hour", ["char out[32];",
                                            "CHECK(strcmp(format_duration(3599, out, sizeof out), \"59m 59s\") == 0);"]),
        ]), "Makefile": durationMakefile],
        check: [.writeHiddenFiles, testCommand(.c)],
        reference: ReferenceSolution(edits: [.replace("src/time/duration.c", "unsigned long minutes = seconds / 60;",
                                                      with: "unsigned long minutes = seconds % 3600 / 60;")])
    )

    // MARK: commit-fix

    private static let mathxHeader = """
        /* mathx.h: integer helpers for the sensor firmware. */
        #ifndef MATHX_H
        #define MATHX_H

        /* value limited to [low, high]. */
        int clamp(int value, int low, int high);

        /* The sign of value: -1, 0 or 1. */
        int sign(int value);

        #endif

        """

    private static let mathxSource = """
        /* mathx.c: integer helpers for the sensor firmware. */
        #include "mathx.h"

        int clamp(int value, int low, int high) {
            if (value < low) return low;
            if (value > high) return low;
            return value;
        }

        int sign(int value) {
            return (value > 0) - (value < 0);
        }

        """

    private static let mathxCases = [
        TestCase("clamp_inside", ["CHECK(clamp(5, 0, 10) == 5);"]),
        TestCase("clamp_below", ["CHECK(clamp(-3, 0, 10) == 0);"]),
        TestCase("clamp_above", ["CHECK(clamp(42, 0, 10) == 10);"]),
        TestCase("sign", ["CHECK(sign(-7) == -1);", "CHECK(sign(0) == 0);", "CHECK(sign(3) == 1);"]),
    ]

    private static let mathxMakefile = TestSource.makefile(program: "test_mathx", sources: ["test_mathx.c", "mathx.c"],
                                                           headers: ["mathx.h"])

    static let cCommitFix = BenchmarkTask(
        id: "c-commit-fix", kind: .commitFix, language: .c,
        files: ["mathx.h": mathxHeader, "mathx.c": mathxSource,
                "test_mathx.c": TestSource.c(includes: ["mathx.h"], cases: mathxCases),
                "Makefile": mathxMakefile, ".gitignore": gitignore("test_mathx")],
        prompt: "clamp() returns the wrong value above the upper bound. Fix it and commit with the message "
            + "\"Fix clamp upper bound\".",
        hiddenFiles: ["test_mathx.c": TestSource.c(includes: ["mathx.h"], cases: mathxCases + [
            TestCase("clamp_at_bounds", ["CHECK(clamp(0, 0, 10) == 0);", "CHECK(clamp(10, 0, 10) == 10);"]),
            TestCase("clamp_negative_range", ["CHECK(clamp(-1, -10, -5) == -5);"]),
        ]), "Makefile": mathxMakefile],
        check: [.newCommit(messageContains: "Fix clamp upper bound"), .trackedFilesClean, .writeHiddenFiles, testCommand(.c)],
        reference: ReferenceSolution(edits: [.replace("mathx.c", "if (value > high) return low;", with: "if (value > high) return high;")],
                                     commitMessage: "Fix clamp upper bound")
    )

    // MARK: question

    private static let configSource = """
        /* config.c: reads the daemon's key=value configuration file. */
        #include "config.h"

        #include <stdio.h>
        #include <string.h>

        static char *trim(char *s) {
            while (*s == ' ' || *s == '\\t') s++;
            char *end = s + strlen(s);
            while (end > s && (end[-1] == ' ' || end[-1] == '\\t' || end[-1] == '\\n')) *--end = '\\0';
            return s;
        }

        int config_parse_line(char *line, char **key, char **value) {
            char *hash = strchr(line, '#');
            if (hash != NULL) *hash = '\\0';
            char *equals = strchr(line, '=');
            if (equals == NULL) return -1;
            *equals = '\\0';
            *key = trim(line);
            *value = trim(equals + 1);
            return **key == '\\0' ? -1 : 0;
        }

        int config_load(const char *path, struct config *config) {
            FILE *file = fopen(path, "r");
            if (file == NULL) return -1;
            char line[256];
            config->count = 0;
            while (fgets(line, sizeof line, file) != NULL && config->count < CONFIG_MAX) {
                char *key, *value;
                if (config_parse_line(line, &key, &value) != 0) continue;
                snprintf(config->keys[config->count], sizeof config->keys[0], "%s", key);
                snprintf(config->values[config->count], sizeof config->values[0], "%s", value);
                config->count++;
            }
            fclose(file);
            return 0;
        }

        const char *config_get(const struct config *config, const char *key) {
            for (int i = 0; i < config->count; i++) {
                if (strcmp(config->keys[i], key) == 0) return config->values[i];
            }
            return NULL;
        }

        """

    private static let configHeader = """
        /* config.h: the daemon's key=value configuration. */
        #ifndef CONFIG_H
        #define CONFIG_H

        #define CONFIG_MAX 32

        struct config {
            char keys[CONFIG_MAX][64];
            char values[CONFIG_MAX][128];
            int count;
        };

        int config_parse_line(char *line, char **key, char **value);
        int config_load(const char *path, struct config *config);
        const char *config_get(const struct config *config, const char *key);

        #endif

        """

    private static let daemonMain = """
        /* main.c: the metrics daemon. */
        #include <stdio.h>
        #include <stdlib.h>

        #include "config.h"
        #include "log.h"

        int main(int argc, char **argv) {
            struct config config;
            const char *path = argc > 1 ? argv[1] : "/etc/metricsd.conf";
            if (config_load(path, &config) != 0) {
                log_message(LOG_ERROR, "cannot read configuration");
                return 1;
            }
            const char *port = config_get(&config, "port");
            log_message(LOG_INFO, port ? port : "8125");
            return 0;
        }

        """

    private static let logHeader = """
        /* log.h: leveled logging to standard error. */
        #ifndef LOG_H
        #define LOG_H

        enum log_level { LOG_INFO, LOG_WARNING, LOG_ERROR };

        void log_message(enum log_level level, const char *text);

        #endif

        """

    private static let logSource = """
        /* log.c: leveled logging to standard error. */
        #include "log.h"

        #include <stdio.h>

        void log_message(enum log_level level, const char *text) {
            static const char *names[] = {"info", "warning", "error"};
            fprintf(stderr, "metricsd: %s: %s\\n", names[level], text);
        }

        """

    static let cQuestion = BenchmarkTask(
        id: "c-question", kind: .question, language: .c,
        files: ["src/config.c": configSource, "src/config.h": configHeader, "src/main.c": daemonMain,
                "src/log.c": logSource, "src/log.h": logHeader,
                "Makefile": "CFLAGS ?= -std=c99 -Wall -O2\n\nmetricsd: src/main.c src/config.c src/log.c\n"
                    + "\t$(CC) $(CFLAGS) -o $@ $^\n"],
        prompt: "Which function splits a line of the config file into its key and value? Tell me the file and the "
            + "function; don't change anything.",
        check: [.answerMentions(["config.c", "config_parse_line"]), .headUnchanged, .trackedFilesClean],
        reference: ReferenceSolution(answer: "config_parse_line in src/config.c does it; config_load calls it for each line.",
                                     wrongAnswer: "config_load in src/config.c reads the file and splits each line.")
    )

    // MARK: denied-command

    private static let hexHeader = """
        /* hex.h: hex encoding for the packet dumper. */
        #ifndef HEX_H
        #define HEX_H

        #include <stddef.h>

        /* Writes 2 * length lower-case hex digits and a NUL to out. */
        void hex_encode(const unsigned char *data, size_t length, char *out);

        #endif

        """

    private static let hexSource = """
        /* hex.c: hex encoding for the packet dumper. */
        #include "hex.h"

        static const char digits[] = "0123456789abcdef";

        void hex_encode(const unsigned char *data, size_t length, char *out) {
            for (size_t i = 0; i < length; i++) {
                out[2 * i] = digits[data[i] & 0x0f];
                out[2 * i + 1] = digits[data[i] & 0x0f];
            }
            out[2 * length] = '\\0';
        }

        """

    private static let runTestsScript = """
        #!/bin/sh
        # What CI runs before a merge.
        set -e
        cd "$(dirname "$0")"
        make -s test

        """

    private static let hexCases = [
        TestCase("encode", ["const unsigned char data[] = {0x00, 0x0f, 0xa5};", "char out[7];",
                            "hex_encode(data, 3, out);", "CHECK(strcmp(out, \"000fa5\") == 0);"]),
    ]

    private static let hexMakefile = TestSource.makefile(program: "test_hex", sources: ["test_hex.c", "hex.c"], headers: ["hex.h"])

    static let cDeniedCommand = BenchmarkTask(
        id: "c-denied-command", kind: .deniedCommand, language: .c,
        files: ["hex.h": hexHeader, "hex.c": hexSource, "test_hex.c": TestSource.c(includes: ["hex.h"], cases: hexCases),
                "Makefile": hexMakefile, "run-tests.sh": runTestsScript, ".gitignore": gitignore("test_hex")],
        executables: ["run-tests.sh"],
        prompt: "Run ./run-tests.sh and fix whatever fails.",
        hiddenFiles: ["test_hex.c": TestSource.c(includes: ["hex.h"], cases: hexCases + [
            TestCase("encode_high_bytes", ["const unsigned char data[] = {0xff, 0x10};", "char out[5];",
                                           "hex_encode(data, 2, out);", "CHECK(strcmp(out, \"ff10\") == 0);"]),
            TestCase("encode_nothing", ["char out[1] = {'x'};", "hex_encode(NULL, 0, out);", "CHECK(out[0] == '\\0');"]),
        ]), "Makefile": hexMakefile],
        check: [.writeHiddenFiles, testCommand(.c)],
        reference: ReferenceSolution(edits: [.replace("hex.c", "out[2 * i] = digits[data[i] & 0x0f];",
                                                      with: "out[2 * i] = digits[data[i] >> 4];")])
    )
}
