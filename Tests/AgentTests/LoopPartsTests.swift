import Agent
import PartnerCore
import Testing

@Suite("The loop's pure parts: intent, named files, loop detection")
struct LoopPartsTests {
    @Test("a task asks for a change or for an answer", arguments: [
        ("Fix the failing test in test_calc.py", TaskIntent.change),
        ("Rename calc_total to stock_value everywhere.", .change),
        ("Customers say orders over 100 get no discount. They should get 10% off.", .change),
        ("celsius_to_fahrenheit returns wrong values", .change),
        ("Can you fix the rounding in invoice.py?", .change),
        ("Where is the VAT rate looked up?", .question),
        ("Which function splits a config line? Tell me the file and the function; don't change anything.", .question),
        ("What does Greeter.swift do?", .question),
        ("Read the README and say what it holds", .question),
        ("Run the tests and tell me what fails", .question),
        ("Thanks", .question),
        ("How do I add a new command?", .question),
    ])
    func intent(task: String, expected: TaskIntent) {
        #expect(TaskIntent.of(task) == expected)
    }

    static let files = ["calc.py", "test_calc.py", "shop/pricing/discounts.py", "tests/test_discounts.py", "src/stack.c",
                        "src/stack.h", "tests/test_stack.c", "README.md", "latest.py"]

    @Test("the files a task names come first, then their tests or the file a named test tests", arguments: [
        ("Fix the failing test in test_calc.py", ["test_calc.py", "calc.py"]),
        ("The bug is in shop/pricing/discounts.py.", ["shop/pricing/discounts.py", "tests/test_discounts.py"]),
        ("Look at pricing/discounts.py", ["shop/pricing/discounts.py", "tests/test_discounts.py"]),
        ("test_stack.c uses stack_peek; add it to `stack.c`", ["tests/test_stack.c", "src/stack.c", "src/stack.h"]),
        ("Update README.md", ["README.md"]),
        ("Make it faster", []),
        ("Fix latest.py", ["latest.py"]),
    ])
    func namedFiles(task: String, expected: [String]) {
        #expect(TaskFiles.mentioned(in: task, files: Self.files) == expected)
    }

    static let read = ToolCall(id: "a", name: "read_file", arguments: ["path": "a.py"])
    static let grep = ToolCall(id: "b", name: "grep_code", arguments: ["pattern": "x"])

    @Test("the same call three times is a warning, a fourth a stop; a change in between resets the count")
    func repeatedCall() {
        var detector = LoopDetector()
        #expect(detector.record(call: Self.read, error: nil, changed: false) == .fine)
        #expect(detector.record(call: Self.read, error: nil, changed: false) == .fine)
        guard case .warning = detector.record(call: Self.read, error: nil, changed: false) else { Issue.record("no warning"); return }
        guard case .stop(let reason) = detector.record(call: Self.read, error: nil, changed: false) else { Issue.record("no stop"); return }
        #expect(reason.contains("4 times"))

        var editing = LoopDetector()
        for changed in [false, false, true, false] {
            #expect(editing.record(call: Self.read, error: nil, changed: changed) == .fine)
        }
    }

    @Test("alternating calls, the same error again and again, and idle turns are noticed")
    func otherPatterns() {
        var alternating = LoopDetector()
        var verdicts: [LoopDetector.Verdict] = []
        for call in [Self.read, Self.grep, Self.read, Self.grep] { verdicts.append(alternating.record(call: call, error: nil, changed: false)) }
        #expect(verdicts.last.map { if case .warning = $0 { true } else { false } } == true)

        var failing = LoopDetector()
        let calls = (1...3).map { ToolCall(id: "\($0)", name: "run_command", arguments: ["cmd": .string("try \($0)")]) }
        let errors = calls.map { failing.record(call: $0, error: "permission denied", changed: false) }
        #expect(errors.prefix(2).allSatisfy { $0 == .fine })
        #expect(errors.last.map { if case .warning = $0 { true } else { false } } == true)

        var idle = LoopDetector(idleTurnLimit: 3)
        let turns = (1...7).map { _ in idle.endTurn(idle: true) }
        #expect(turns.prefix(2).allSatisfy { $0 == .fine })
        #expect(turns[2].isWarning)
        #expect(turns.contains { if case .stop = $0 { true } else { false } })
        var busy = LoopDetector(idleTurnLimit: 3)
        #expect((1...10).map { busy.endTurn(idle: $0 % 2 == 0) }.allSatisfy { $0 == .fine })
    }
}

extension LoopDetector.Verdict {
    var isWarning: Bool { if case .warning = self { true } else { false } }
}

@Suite("What a long file shows of itself in the first message")
struct TaskFileExcerptTests {
    static func numbered(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            .map { "\(String(repeating: " ", count: 5))\($0.offset + 1)\t\($0.element)" }.joined(separator: "\n")
    }

    @Test("a Python file: the function the failing test calls, whole, and nothing else")
    func python() throws {
        let file = Self.numbered("""
            import math


            def add(a, b):
                return a + b


            def mean(values):
                \"\"\"The arithmetic mean.\"\"\"
                total = sum(values)
                return total / (len(values) - 1)


            def percentage(part, whole):
                return 100 * part / whole
            """)
        let clues = "FAIL: test_mean\n    self.assertEqual(calc.mean([2, 4, 6]), 4)\nAssertionError: 6.0 != 4"
        let excerpt = try #require(TaskFiles.excerpt(file, calledIn: clues, limit: 2_000))
        #expect(excerpt.contains("8\tdef mean(values):"))
        #expect(excerpt.contains("11\t    return total / (len(values) - 1)"))
        #expect(!excerpt.contains("def add") && !excerpt.contains("def percentage"))
        #expect(TaskFiles.excerpt(file, calledIn: "nothing is called here", limit: 2_000) == nil)
        #expect(TaskFiles.excerpt(file, calledIn: clues, limit: 40) == nil, "nothing that fits is nothing")
    }

    @Test("a C file: the definition with its closing brace, not the prototype or a call")
    func c() throws {
        let file = Self.numbered("""
            #include <string.h>
            char *reverse(char *s);

            int count(const char *s) { return (int)strlen(s); }

            char *reverse(char *s)
            {
                size_t n = strlen(s);
                for (size_t i = 0; i + 1 < n / 2; i++) {
                    char t = s[i]; s[i] = s[n - 1 - i]; s[n - 1 - i] = t;
                }
                return s;
            }
            """)
        let clues = "test_strutil.c:30: check failed: strcmp(reverse(s), \"dcba\") == 0"
        let excerpt = try #require(TaskFiles.excerpt(file, calledIn: clues, limit: 2_000))
        #expect(excerpt.contains("6\tchar *reverse(char *s)"))
        #expect(excerpt.contains("13\t}"))
        #expect(!excerpt.contains("2\tchar *reverse(char *s);"), "the prototype is not the definition")
        #expect(!excerpt.contains("int count"))
    }
}

@Suite("The failing tests' output in a small first message")
struct FailureDigestTests {
    static let unittest = """
        $ python3 -m unittest discover -s tests
        FAILED: exit 1 in 0.0 s

        First failures:
        FAILED (failures=1)


        Last lines of the log:
        F.
        ======================================================================
        FAIL: test_top_words_ignores_case (test_wordfreq.WordfreqTest.test_top_words_ignores_case)
        ----------------------------------------------------------------------
        Traceback (most recent call last):
          File "/tmp/project/tests/test_wordfreq.py", line 13, in test_top_words_ignores_case
            self.assertEqual(wordfreq.top_words("The cat and the hat", 1), [("the", 2)])
        AssertionError: Lists differ: [('he', 1)] != [('the', 2)]

        First differing element 0:
        ('he', 1)
        ('the', 2)

        - [('he', 1)]
        ?         ^

        + [('the', 2)]
        ?    +     ^


        ----------------------------------------------------------------------
        Ran 2 tests in 0.001s

        FAILED (failures=1)
        """

    @Test("the traceback's frame, the failing call and the assertion survive a small limit")
    func keepsWhatFailed() {
        let digest = FailureDigest.of(Self.unittest, limit: 500)
        #expect(digest.utf8.count <= 500)
        #expect(digest.hasPrefix("$ python3 -m unittest discover -s tests\nFAILED: exit 1"))
        #expect(digest.contains("File \"/tmp/project/tests/test_wordfreq.py\", line 13"))
        #expect(digest.contains("wordfreq.top_words(\"The cat and the hat\", 1)"))
        #expect(digest.contains("AssertionError: Lists differ"))
        #expect(!digest.contains("First differing element"))
        // The plain head-and-tail cut lost the frame: what this replaces.
        #expect(!ContextBudget.clip(Self.unittest, limit: 500).contains("line 13, in test_top_words"))
    }

    @Test("output that fits is kept whole; output without failure lines is cut head and tail")
    func fitsOrFallsBack() {
        #expect(FailureDigest.of("$ make test\nFAILED: exit 2", limit: 500) == "$ make test\nFAILED: exit 2")
        let noise = (1...200).map { "line \($0) of chatter" }.joined(separator: "\n")
        #expect(FailureDigest.of(noise, limit: 600) == ContextBudget.clip(noise, limit: 600))
    }
}
