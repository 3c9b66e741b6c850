import PartnerCore
import PartnerSystem

/// The optional helper programs Partner uses when they are installed, and what it does without them.
public enum HelperPrograms {
    static let optional: [(id: String, name: String, executable: String, missing: String)] = [
        ("ripgrep", "ripgrep", "rg", "grep_code uses its built-in search; `apt-get install ripgrep` is faster"),
        ("ctags", "universal-ctags", "ctags", "the index falls back to line windows for non-Swift code; `apt-get install universal-ctags`"),
        ("bubblewrap", "bubblewrap", "bwrap", "only `partner bench sandbox` compares against it; `apt-get install bubblewrap`"),
    ]

    /// `partner doctor`'s lines: where each is found (as the tools will find it), or the fallback.
    public static func checks() -> [HealthCheck] {
        optional.map { tool in
            if let path = ExecutableLookup.find(tool.executable) {
                return HealthCheck(id: tool.id, title: tool.name, status: .pass, detail: path, required: false)
            }
            return HealthCheck(id: tool.id, title: tool.name, status: .warn, detail: "not installed", hint: tool.missing,
                               required: false)
        }
    }
}
