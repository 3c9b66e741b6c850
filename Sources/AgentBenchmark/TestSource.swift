/// One test of a fixture's test file: a name and the lines of its body.
struct TestCase: Sendable {
    let name: String
    let body: [String]

    init(_ name: String, _ body: [String]) {
        self.name = name
        self.body = body
    }
}

/// Writes the suite's test files from lists of cases, so that a task's hidden tests are its
/// visible tests plus more cases rather than a second hand-written copy.
enum TestSource {
    /// A unittest module: the imports, one `TestCase` class with a `test_NAME` method per case.
    static func python(imports: [String], className: String, docstring: String, cases: [TestCase]) -> String {
        var lines = imports + ["", "", "class \(className)(unittest.TestCase):", "    \"\"\"\(docstring)\"\"\"", ""]
        for (index, test) in cases.enumerated() {
            if index > 0 { lines.append("") }
            lines.append("    def test_\(test.name)(self):")
            lines += test.body.map { "        " + $0 }
        }
        lines += ["", "", "if __name__ == \"__main__\":", "    unittest.main()", ""]
        return lines.joined(separator: "\n")
    }

    /// A C test program: the includes, a CHECK macro that counts failures, one
    /// `static void test_NAME(void)` per case, and a `main` that runs them and exits 1 on failure.
    static func c(includes: [String], cases: [TestCase]) -> String {
        var lines = ["#include <stdio.h>", "#include <string.h>"] + includes.map { "#include \"\($0)\"" }
        lines += [
            "",
            "static int failures = 0;",
            "",
            "#define CHECK(cond) do { \\",
            "    if (!(cond)) { fprintf(stderr, \"%s:%d: check failed: %s\\n\", __FILE__, __LINE__, #cond); failures++; } \\",
            "} while (0)",
        ]
        for test in cases {
            lines += ["", "static void test_\(test.name)(void) {"] + test.body.map { "    " + $0 } + ["}"]
        }
        lines += ["", "int main(void) {"] + cases.map { "    test_\($0.name)();" }
        lines += [
            "    if (failures > 0) {",
            "        fprintf(stderr, \"%d check(s) failed\\n\", failures);",
            "        return 1;",
            "    }",
            "    printf(\"all tests passed\\n\");",
            "    return 0;",
            "}",
            "",
        ]
        return lines.joined(separator: "\n")
    }

    /// A Makefile whose `test` target builds `program` from `sources` and runs it.
    static func makefile(program: String, sources: [String], headers: [String], includeDirectories: [String] = []) -> String {
        let includes = includeDirectories.map { " -I\($0)" }.joined()
        return """
            CC ?= cc
            CFLAGS ?= -std=c99 -Wall -Wextra -g\(includes)

            .PHONY: test clean

            test: \(program)
            \t./\(program)

            \(program): \((sources + headers).joined(separator: " "))
            \t$(CC) $(CFLAGS) -o $@ \(sources.joined(separator: " "))

            clean:
            \trm -f \(program)

            """
    }
}
