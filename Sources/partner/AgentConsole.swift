import Agent
import Foundation
import PartnerCore
import Tools

/// Shows the loop's progress on standard error: index progress, retrieved files, each tool
/// call with the first line of its result, and the model's prose between calls. The final
/// answer is the command's own output and goes to standard output.
final class AgentConsole: @unchecked Sendable {
    private let verbose: Bool
    private let progress = IndexProgressPrinter(json: false)
    private let lock = NSLock()
    private let isTerminal = isatty(STDERR_FILENO) == 1
    /// A "thinking" line is on screen, to be erased by whatever comes next.
    private var thinkingShown = false

    init(verbose: Bool) {
        self.verbose = verbose
    }

    func handle(_ event: AgentEvent) {
        if case .text = event { return } // the "writing" line shows progress; the text comes with the answer
        lock.lock()
        defer { lock.unlock() }
        eraseThinking()
        switch event {
        case .indexing(let indexing):
            progress.handle(indexing)
        case .indexed(let summary):
            if let summary, summary.filesIndexed > 0 || summary.filesRemoved > 0 {
                Terminal.printError(Terminal.dim("index: \(summary.filesIndexed) file(s) indexed, \(summary.totalFiles) in all"))
            }
        case .generating(let turn, let characters):
            if isTerminal {
                FileHandle.standardError.write(Data(Terminal.dim("… the model is writing (turn \(turn)): \(characters) characters").utf8))
                thinkingShown = true
            }
        case .thinking(let turn):
            // Local models can take a while; on a terminal, say that the wait is the model's.
            if isTerminal {
                FileHandle.standardError.write(Data(Terminal.dim("… the model is thinking (turn \(turn))").utf8))
                thinkingShown = true
            }
        case .said(let text):
            Terminal.printError(text)
        case .toolCall(let call):
            Terminal.printError(Terminal.dim("→ \(call.name)" + (call.name == "update_plan" ? "" : " " + Self.brief(call.arguments))))
        case .toolResult(let call, let result) where call.name == "update_plan" && !result.isError:
            // The plan is for the person watching: show all of it.
            for line in result.text.split(separator: "\n").dropFirst() { Terminal.printError("  " + line) }
        case .toolResult(_, let result):
            Terminal.printError(result.isError ? Terminal.red("  ✗ " + Self.summary(of: result, verbose: verbose))
                                : Terminal.dim("  ✓ ") + Self.summary(of: result, verbose: verbose))
        case .notice(let text):
            Terminal.printError(Terminal.yellow("! ") + text)
        case .compacted(let elided, let summarized, let contextTokens):
            var what = "\(elided) earlier tool result(s) elided"
            if summarized > 0 { what += ", \(summarized) earlier message(s) summarised by the model," }
            Terminal.printError(Terminal.yellow("! ") + what + " to fit the \(contextTokens)-token context")
        case .text:
            break
        }
    }

    /// Erases the "thinking" line, if shown: before the answer is printed.
    func settle() {
        lock.withLock { eraseThinking() }
    }

    private func eraseThinking() {
        guard thinkingShown else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
        thinkingShown = false
    }

    /// A result in one line: a command's status and last line of output ("exit 0 in 0.1 s — OK"),
    /// anything else's first line and how many follow; all of it when verbose.
    static func summary(of result: ToolResult, verbose: Bool) -> String {
        if verbose { return result.text }
        let lines = result.text.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.count >= 2, lines[0].hasPrefix("$ ") {
            let last = lines.dropFirst(2).last { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
            return String(lines[1]) + (last.map { " — " + $0.prefix(100) } ?? "")
        }
        return String(lines.first ?? "") + (lines.count > 1 ? Terminal.dim("  (+\(lines.count - 1) lines)") : "")
    }

    /// A call's arguments on one line, long strings shortened.
    static func brief(_ arguments: JSONValue) -> String {
        guard let object = arguments.objectValue else { return arguments.canonicalText }
        return object.keys.sorted().map { key in
            var value = object[key]!.stringValue ?? object[key]!.canonicalText
            value = value.replacingOccurrences(of: "\n", with: "⏎")
            if value.count > 60 { value = String(value.prefix(57)) + "…" }
            return "\(key)=\(value)"
        }.joined(separator: " ")
    }
}
