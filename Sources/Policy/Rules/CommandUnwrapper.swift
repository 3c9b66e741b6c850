/// Sees through programs that run other programs (`env`, `sudo`, `timeout`, `xargs`,
/// `busybox`, `sh -c`, ...), so that the command that really runs is the one judged.
enum CommandUnwrapper {
    /// What an argv turns out to run.
    struct Invocation: Equatable {
        enum Kind: Equatable {
            /// Judge `argv` with the rules.
            case command
            /// A shell is given this script text: parse and judge it recursively.
            case script(String)
            /// What runs cannot be known from the text.
            case uncertain(String)
        }

        var argv: [JudgedArgument]
        /// The wrappers around it, outermost first, each as its own argv (rules that name
        /// a wrapper, such as `deny = ["sudo *"]`, still apply).
        var wrappers: [[JudgedArgument]]
        var kind: Kind
    }

    static let shells: Set<String> = ["sh", "bash", "dash", "zsh", "ksh", "ash", "mksh", "yash", "fish", "rbash"]

    /// Environment variables that make an ordinary command run other code.
    static let dangerousVariables = [
        "LD_*", "PATH", "BASH_ENV", "ENV", "BASH_FUNC_*", "SHELLOPTS", "BASHOPTS", "PS4", "PROMPT_COMMAND", "IFS",
        "GIT_SSH", "GIT_SSH_COMMAND", "GIT_EXTERNAL_DIFF", "GIT_PAGER", "GIT_EDITOR", "GIT_ASKPASS", "GIT_CONFIG*",
        "GIT_EXEC_PATH", "GIT_PROXY_COMMAND", "GIT_TEMPLATE_DIR", "PAGER", "EDITOR", "VISUAL", "PYTHONSTARTUP",
        "PYTHONPATH", "PYTHONHOME", "PERL5OPT", "PERL5LIB", "PERLLIB", "RUBYOPT", "RUBYLIB", "NODE_OPTIONS",
        "NODE_PATH", "JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS", "MAKEFLAGS", "CARGO_BUILD_RUSTC_WRAPPER", "RUSTC_WRAPPER",
    ]

    static func isDangerousVariable(_ name: String) -> Bool {
        dangerousVariables.contains { Wildcard.matches($0, name) }
    }

    /// Unwraps `argv`; `standardInput` is the here-document fed to the command, if any.
    static func unwrap(_ argv: [JudgedArgument], standardInput: ShellHereDocument? = nil) -> [Invocation] {
        var argv = argv
        var wrappers: [[JudgedArgument]] = []
        var extra: [Invocation] = []
        func result(_ kind: Invocation.Kind) -> [Invocation] {
            [Invocation(argv: argv, wrappers: wrappers, kind: kind)] + extra
        }
        for _ in 0..<32 {
            guard let first = argv.first else { return result(.command) }
            guard first.isCertain else { return result(.uncertain("the command name '\(first.text)' is an expansion")) }
            let name = CommandPattern.basename(first.text)
            var commandIndex: Int?
            switch name {
            case "eval":
                return result(.uncertain("eval runs text that is only known at run time"))
            case "env":
                switch skipOptions(argv, valued: "uCS", longValued: ["--unset", "--chdir", "--split-string"]) {
                case .uncertain(let why): return result(.uncertain(why))
                case .index(var index):
                    if argv[1..<index].contains(where: { $0.text == "-S" || $0.text.hasPrefix("--split-string") }) {
                        return result(.uncertain("env -S splits a string into a command line"))
                    }
                    while index < argv.count, argv[index].text.contains("="), !argv[index].text.hasPrefix("=") {
                        let variable = String(argv[index].text.prefix { $0 != "=" })
                        if isDangerousVariable(variable) {
                            return result(.uncertain("env sets \(variable), which can make the command run other code"))
                        }
                        index += 1
                    }
                    commandIndex = index
                }
            case "command":
                if argv.dropFirst().contains(where: { $0.text == "-v" || $0.text == "-V" }) { return result(.command) }
                commandIndex = optionIndex(argv, valued: "", longValued: [])
            case "builtin", "nohup", "setsid", "chronic", "unbuffer":
                commandIndex = optionIndex(argv, valued: "", longValued: [])
            case "exec":
                commandIndex = optionIndex(argv, valued: "a", longValued: [])
            case "nice":
                commandIndex = optionIndex(argv, valued: "n", longValued: ["--adjustment"])
            case "stdbuf":
                commandIndex = optionIndex(argv, valued: "ioe", longValued: ["--input", "--output", "--error"])
            case "ionice":
                if argv.dropFirst().contains(where: { $0.text == "-p" || $0.text == "-P" || $0.text == "-u" }) {
                    return result(.command)
                }
                commandIndex = optionIndex(argv, valued: "cn", longValued: ["--class", "--classdata"])
            case "time":
                commandIndex = optionIndex(argv, valued: "fo", longValued: ["--format", "--output"])
            case "timeout":
                commandIndex = optionIndex(argv, valued: "sk", longValued: ["--signal", "--kill-after"]).map { $0 + 1 }
            case "sudo", "doas", "run0":
                commandIndex = optionIndex(argv, valued: "ugCDhprtUT", longValued: [
                    "--user", "--group", "--close-from", "--chdir", "--host", "--prompt", "--role", "--type",
                    "--other-user", "--command-timeout",
                ])
                if commandIndex.map({ $0 >= argv.count }) ?? false,
                   argv.dropFirst().contains(where: { $0.text == "-s" || $0.text == "-i" || $0.text == "--shell" || $0.text == "--login" }) {
                    return result(.uncertain("\(name) starts an interactive shell"))
                }
            case "xargs":
                let index = optionIndex(argv, valued: "adEILnPs", longValued: [
                    "--arg-file", "--delimiter", "--eof", "--max-lines", "--max-args", "--max-procs", "--max-chars",
                    "--process-slot-var",
                ])
                // xargs appends arguments read from its input; without a command it runs echo.
                if let index, index >= argv.count {
                    wrappers.append(argv)
                    argv = [JudgedArgument("echo"), JudgedArgument("$(xargs input)", isCertain: false)]
                    return result(.command)
                }
                if let index {
                    wrappers.append(Array(argv[0..<index]))
                    argv = Array(argv[index...]) + [JudgedArgument("$(xargs input)", isCertain: false)]
                    continue
                }
            case "busybox", "toybox":
                commandIndex = argv.count > 1 ? 1 : nil
                if argv.count == 1 { return result(.command) }
            case "watch":
                guard let index = optionIndex(argv, valued: "nq", longValued: ["--interval", "--equexit"]) else {
                    return result(.uncertain("watch has an option whose value is unknown"))
                }
                guard index < argv.count else { return result(.command) }
                if argv[1..<index].contains(where: { $0.text == "-x" || $0.text == "--exec" }) {
                    commandIndex = index
                } else {
                    let words = argv[index...]
                    guard words.allSatisfy(\.isCertain) else {
                        return result(.uncertain("watch runs a command line that contains expansions"))
                    }
                    wrappers.append(Array(argv[0..<index]))
                    argv = Array(words)
                    return result(.script(words.map(\.text).joined(separator: " ")))
                }
            case "find":
                extra += findExecInvocations(argv, wrappers: wrappers + [argv])
                return result(.command)
            default:
                if shells.contains(name) {
                    return unwrapShell(argv, wrappers: wrappers, extra: extra, standardInput: standardInput)
                }
                return result(.command)
            }
            guard let index = commandIndex else {
                return result(.uncertain("an option of \(name) has a value that is unknown"))
            }
            guard index < argv.count else { return result(.command) }
            wrappers.append(Array(argv[0..<index]))
            argv = Array(argv[index...])
        }
        return result(.uncertain("too many nested wrappers"))
    }

    /// `sh -c 'script'`, `bash -lc "..."`, `sh < here-document`, or `sh FILE`.
    static func unwrapShell(_ argv: [JudgedArgument], wrappers: [[JudgedArgument]], extra: [Invocation],
                            standardInput: ShellHereDocument?) -> [Invocation] {
        func result(_ kind: Invocation.Kind) -> [Invocation] {
            [Invocation(argv: argv, wrappers: wrappers, kind: kind)] + extra
        }
        var index = 1
        var commandString = false
        var readsStandardInput = false
        while index < argv.count {
            let argument = argv[index]
            guard argument.isCertain else { return result(.uncertain("a shell option is an expansion")) }
            let text = argument.text
            if text == "--" || text == "-" {
                index += 1
                break
            }
            if text.hasPrefix("--") {
                index += ["--rcfile", "--init-file"].contains(text) ? 2 : 1
                continue
            }
            guard (text.hasPrefix("-") || text.hasPrefix("+")), text.count > 1 else { break }
            let letters = text.dropFirst()
            if letters.contains("c") { commandString = true }
            if letters.contains("s") { readsStandardInput = true }
            index += letters.contains("o") || letters.contains("O") ? 2 : 1
        }
        if commandString {
            guard index < argv.count else { return result(.uncertain("-c without a command string")) }
            let script = argv[index]
            guard script.isCertain else {
                return result(.uncertain("the shell's -c command string is not a constant ('\(script.text)')"))
            }
            return [Invocation(argv: argv, wrappers: wrappers, kind: .script(script.text))] + extra
        }
        if index < argv.count, !readsStandardInput {
            return result(.command)
        }
        if let standardInput, !standardInput.expands {
            return result(.script(standardInput.body))
        }
        return result(.uncertain("the shell reads its commands from standard input"))
    }

    /// The commands `find ... -exec CMD ... ;` would run.
    static func findExecInvocations(_ argv: [JudgedArgument], wrappers: [[JudgedArgument]]) -> [Invocation] {
        var invocations: [Invocation] = []
        var index = 1
        while index < argv.count {
            let text = argv[index].text
            if ["-exec", "-execdir", "-ok", "-okdir"].contains(text) {
                var end = index + 1
                while end < argv.count, argv[end].text != ";", argv[end].text != "+" { end += 1 }
                let inner = Array(argv[(index + 1)..<end])
                if !inner.isEmpty {
                    invocations += unwrap(inner).map { invocation in
                        var invocation = invocation
                        invocation.wrappers = wrappers + invocation.wrappers
                        return invocation
                    }
                }
                index = end + 1
            } else {
                index += 1
            }
        }
        return invocations
    }

    enum OptionScan {
        case index(Int)
        case uncertain(String)
    }

    /// The index of the first argument after the wrapper's own options (`--` ends them).
    static func skipOptions(_ argv: [JudgedArgument], valued: String, longValued: Set<String>) -> OptionScan {
        var index = 1
        while index < argv.count {
            let argument = argv[index]
            guard argument.isCertain else { return .uncertain("an option is an expansion ('\(argument.text)')") }
            let text = argument.text
            if text == "--" { return .index(index + 1) }
            if text.hasPrefix("--") {
                let name = String(text.prefix { $0 != "=" })
                index += longValued.contains(name) && !text.contains("=") ? 2 : 1
                continue
            }
            guard text.hasPrefix("-"), text.count > 1 else { return .index(index) }
            let letters = Array(text.dropFirst())
            var consumed = 1
            for (offset, letter) in letters.enumerated() where valued.contains(letter) {
                if offset == letters.count - 1 { consumed = 2 }
                break
            }
            index += consumed
        }
        return .index(min(index, argv.count))
    }

    static func optionIndex(_ argv: [JudgedArgument], valued: String, longValued: Set<String>) -> Int? {
        if case .index(let index) = skipOptions(argv, valued: valued, longValued: longValued) { return index }
        return nil
    }
}
