import Foundation
import Retrieval

#if canImport(Glibc)
import Glibc
import Synchronization
#endif

/// Shows a refresh's progress: a bar with files/s and ETA on a terminal (standard error),
/// a plain line every few seconds otherwise, or one JSON object per line with `--json`.
final class IndexProgressPrinter: Sendable {
    enum Style { case bar, lines, json }

    /// When the listing came, when a line was last printed, whether a bar is on screen. Held
    /// while an event prints, so that lines never interleave.
    private struct Shown {
        var started = Date()
        var lastPrint = Date.distantPast
        var barShown = false
    }

    let style: Style
    private let shown = Mutex(Shown())

    init(json: Bool) {
        if json {
            style = .json
        } else {
            style = isatty(STDERR_FILENO) == 1 ? .bar : .lines
        }
    }

    func handle(_ event: IndexEvent) {
        shown.withLock { shown in
            switch style {
            case .json: emitJSON(event)
            case .bar, .lines: emitText(event, &shown)
            }
        }
    }

    private func emitText(_ event: IndexEvent, _ shown: inout Shown) {
        switch event {
        case .listed(let root, let files, let changed):
            shown.started = Date()
            write("Indexing \(root): \(files) files, \(changed) to index\n")
        case .indexed(let done, let total, _):
            let elapsed = Date().timeIntervalSince(shown.started)
            let rate = elapsed > 0 ? Double(done) / elapsed : 0
            let remaining = rate > 0 ? Double(total - done) / rate : 0
            if style == .bar {
                let width = 30
                let filled = total > 0 ? width * done / total : width
                let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
                write("\r\(bar) \(done)/\(total) files  \(Int(rate)) files/s  ETA \(Self.duration(remaining))  ")
                shown.barShown = true
            } else if Date().timeIntervalSince(shown.lastPrint) >= 2 || done == total {
                shown.lastPrint = Date()
                write("indexed \(done)/\(total) files, \(Int(rate)) files/s, ETA \(Self.duration(remaining))\n")
            }
        case .embedded(let done, let total):
            if style == .bar {
                write("\rembedded \(done)/\(total) chunks                              ")
                shown.barShown = true
            } else if Date().timeIntervalSince(shown.lastPrint) >= 2 || done == total {
                shown.lastPrint = Date()
                write("embedded \(done)/\(total) chunks\n")
            }
        case .finished:
            if shown.barShown { write("\n") }
        }
    }

    private func emitJSON(_ event: IndexEvent) {
        var object: [String: Any] = [:]
        switch event {
        case .listed(let root, let files, let changed):
            object = ["event": "listed", "root": root, "files": files, "changed": changed]
        case .indexed(let done, let total, let path):
            object = ["event": "indexed", "done": done, "total": total, "path": path]
        case .embedded(let done, let total):
            object = ["event": "embedded", "done": done, "total": total]
        case .finished(let summary):
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            guard let data = try? encoder.encode(summary),
                  var decoded = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else { return }
            decoded["event"] = "finished"
            object = decoded
        }
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else { return }
        FileHandle.standardOutput.write(data + Data("\n".utf8))
    }

    private func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "?" }
        if seconds < 60 { return "\(Int(seconds.rounded()))s" }
        return "\(Int(seconds) / 60)m\(Int(seconds) % 60)s"
    }
}
