/// The extra colors the audit timeline uses, on top of Terminal's own (same tty/NO_COLOR rule).
extension Terminal {
    static func bold(_ text: String) -> String { auditPaint(text, code: "1") }
    static func blue(_ text: String) -> String { auditPaint(text, code: "34") }
    static func magenta(_ text: String) -> String { auditPaint(text, code: "35") }

    private static func auditPaint(_ text: String, code: String) -> String {
        isColored ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }
}
