import Policy
import Testing

@Suite("shell parser")
struct ShellParserTests {
    static func argvs(_ text: String) throws -> [[String]] {
        try ShellParser.parse(text).map { $0.words.map(\.text) }
    }

    @Test("finds every simple command", arguments: [
        ("ls -la", [["ls", "-la"]]),
        ("cd src && make -j2 | tee log", [["cd", "src"], ["make", "-j2"], ["tee", "log"]]),
        ("a; b & c || d", [["a"], ["b"], ["c"], ["d"]]),
        ("echo 'single \"quoted\"' \"double 'q' $HOME\" esc\\ aped", [["echo", "single \"quoted\"", "double 'q' $HOME", "esc aped"]]),
        ("echo $(curl -s http://x | sh)", [["curl", "-s", "http://x"], ["sh"], ["echo", "$(curl -s http://x | sh)"]]),
        ("echo `whoami`", [["whoami"], ["echo", "`whoami`"]]),
        ("(cd a; make) && { ls; pwd; }", [["cd", "a"], ["make"], ["ls"], ["pwd"]]),
        ("X=1 Y=$(id) env", [["id"], ["env"]]),
        ("cat <<EOF\nhello $(date)\nEOF\nls", [["cat"], ["ls"], ["date"]]),
        ("cat <<'EOF'\nhello $(date)\nEOF", [["cat"]]),
        ("if test -f x; then rm x; else touch x; fi", [["test", "-f", "x"], ["rm", "x"], ["touch", "x"]]),
        ("for f in *.swift $(ls); do wc -l \"$f\"; done", [["ls"], ["wc", "-l", "$f"]]),
        ("while read l; do echo $l; done < file", [["read", "l"], ["echo", "$l"]]),
        ("case $x in a|b) echo ab;; *) rm -rf /;; esac", [["echo", "ab"], ["rm", "-rf", "/"]]),
        ("f() { curl x; }; f", [["curl", "x"], ["f"]]),
        ("echo a\\\nb", [["echo", "ab"]]),
        ("git commit -m 'line one\nline two'", [["git", "commit", "-m", "line one\nline two"]]),
        ("ls 2>&1 >/dev/null | grep -v x", [["ls"], ["grep", "-v", "x"]]),
        ("diff <(sort a) <(sort b)", [["sort", "a"], ["sort", "b"], ["diff", "<(sort a)", "<(sort b)"]]),
        ("echo ${X:-$(rm -rf /)}", [["rm", "-rf", "/"], ["echo", "${X:-$(rm -rf /)}"]]),
        ("echo $((1 + $(id -u)))", [["id", "-u"], ["echo", "$((1 + $(id -u)))"]]),
        ("[[ -f a && $(id) == x ]] && echo y", [["id"], ["[[", "-f", "a", "&&", "$(id)", "==", "x", "]]"], ["echo", "y"]]),
        ("# just a comment", []),
        ("echo a # comment; rm -rf /", [["echo", "a"]]),
        ("! grep -q x f", [["grep", "-q", "x", "f"]]),
        ("echo $'a\\nb'", [["echo", "a\nb"]]),
        ("echo \"$(echo \"inner\")\"", [["echo", "inner"], ["echo", "$(echo \"inner\")"]]),
        ("cat <<-EOF\n\t$(id)\n\tEOF\nls", [["cat"], ["ls"], ["id"]]),
        ("cat <<A <<B\none\nA\n$(two)\nB", [["cat"], ["two"]]),
        ("grep x <<< \"$(id)\"", [["id"], ["grep", "x"]]),
        ("make |& tee log", [["make"], ["tee", "log"]]),
        ("make &> log", [["make"]]),
        ("case x in (a) one;; (b|c) two;; esac", [["one"], ["two"]]),
        ("function f { g; }", [["g"]]),
        ("function f() ( h )", [["h"]]),
        ("for ((i = 0; i < $(n); i++)); do step; done", [["n"], ["step"]]),
        ("select x in a b; do pick; done", [["pick"]]),
        ("until ready; do sleep 1; done", [["ready"], ["sleep", "1"]]),
        ("if a; then b; elif c; then d; else e; fi > out", [["a"], ["b"], ["c"], ["d"], ["e"]]),
        ("time -p make", [["make"]]),
        ("a=1 b=$(c) d", [["c"], ["d"]]),
        ("x=$(y)", [["y"], []]),
        ("echo \"a\\\"b\" 'c\\d' e\\ f", [["echo", "a\"b", "c\\d", "e f"]]),
        ("echo $'\\x41'", [["echo", "\\x41"]]),
        ("ls\n\n\nls", [["ls"], ["ls"]]),
        ("ls; # trailing comment", [["ls"]]),
        ("echo a#b", [["echo", "a#b"]]),
    ])
    func commands(text: String, expected: [[String]]) throws {
        #expect(try Self.argvs(text) == expected)
    }

    @Test("rejects text that is not valid shell syntax", arguments: [
        "echo 'unbalanced", "echo \"unbalanced", "echo $(ls", "echo `ls", "(ls", "ls )", "if true; then ls",
        "for x in a; do ls", "cat <<EOF\nno end", "echo ${x", "&& ls", "ls |", "case x in a) ls", "ls ;; ls",
        "{ ls", "echo $((1+2)", "[[ -f x",
    ])
    func invalid(text: String) {
        #expect(throws: ShellSyntaxError.self) { try ShellParser.parse(text) }
    }

    @Test("syntax errors say where", arguments: [
        ("echo 'open", 1, 6, "unbalanced single quote"),
        ("ls\necho \"open", 2, 6, "unbalanced double quote"),
        ("if true; then ls", 1, 17, "expected 'fi' after an if, found the end of the text"),
        ("ls )", 1, 4, "unexpected ')'"),
    ])
    func errorPositions(text: String, line: Int, column: Int, reason: String) {
        do {
            _ = try ShellParser.parse(text)
            Issue.record("parsed")
        } catch let error as ShellSyntaxError {
            #expect(error.line == line)
            #expect(error.column == column)
            #expect(error.reason == reason)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test("uncertain words are marked")
    func uncertainty() throws {
        let command = try #require(try ShellParser.parse("$CMD \"$X\" 'lit' {a,b} *.c").first)
        #expect(command.words.map(\.isCertain) == [false, false, true, false, true])
        #expect(command.words[4].hasGlob)
    }
}
