/// Finds where the comment (and decorator) block directly above a definition starts, for
/// languages whose symbols come from ctags, which reports only the definition's own line.
enum LeadingComment {
    static let hashCommentLanguages: Set<String> = [
        "Python", "Ruby", "Sh", "Perl", "YAML", "Make", "CMake", "R", "Elixir", "TOML", "Tcl", "Nim", "Crystal",
        "PowerShell", "Zsh", "Bash",
    ]
    static let dashCommentLanguages: Set<String> = ["SQL", "Lua", "Haskell", "Ada", "Eiffel", "VHDL"]

    /// The first line (1-based) of the comment block ending at `line - 1`, or `line` if none.
    static func start(lines: [Substring], line: Int, language: String?) -> Int {
        var current = line - 1
        while current >= 1 && current <= lines.count {
            let trimmed = lines[current - 1].drop { $0 == " " || $0 == "\t" }
            if trimmed.isEmpty { break }
            let isComment = trimmed.hasPrefix("//") || trimmed.hasPrefix("/*") || trimmed.hasPrefix("*")
                || trimmed.hasPrefix("@")
                || (trimmed.hasPrefix("#") && hashCommentLanguages.contains(language ?? ""))
                || (trimmed.hasPrefix("--") && dashCommentLanguages.contains(language ?? ""))
                || (trimmed.hasPrefix(";") && language == "Lisp")
            if !isComment { break }
            current -= 1
        }
        return current + 1
    }
}
