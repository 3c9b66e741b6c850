import Foundation

/// Splits a byte stream into lines (LF or CRLF) as pieces arrive, however the network cut
/// them: a line split across two pieces comes out whole, and a multi-byte UTF-8 character is
/// never cut.
struct LineSplitter {
    private var buffer = Data()

    mutating func append(_ data: Data) -> [String] {
        buffer.append(data)
        var lines: [String] = []
        while let newline = buffer.firstIndex(of: 0x0A) {
            var line = buffer[buffer.startIndex..<newline]
            if line.last == 0x0D { line = line.dropLast() }
            lines.append(String(decoding: line, as: UTF8.self))
            buffer = Data(buffer[buffer.index(after: newline)...])
        }
        return lines
    }

    /// The last line when the stream ended without a newline.
    mutating func finish() -> String? {
        defer { buffer = Data() }
        return buffer.isEmpty ? nil : String(decoding: buffer, as: UTF8.self)
    }
}

/// Server-sent events: `data:` lines accumulate until a blank line ends the event.
struct ServerSentEventDecoder {
    private var lines = LineSplitter()
    private var data: [String] = []

    /// The data of every event completed by `piece`.
    mutating func append(_ piece: Data) -> [String] {
        var events: [String] = []
        for line in lines.append(piece) { handle(line, into: &events) }
        return events
    }

    mutating func finish() -> [String] {
        var events: [String] = []
        if let line = lines.finish() { handle(line, into: &events) }
        if !data.isEmpty { events.append(data.joined(separator: "\n")) }
        data = []
        return events
    }

    private mutating func handle(_ line: String, into events: inout [String]) {
        if line.isEmpty {
            if !data.isEmpty { events.append(data.joined(separator: "\n")) }
            data = []
        } else if line.hasPrefix("data:") {
            var value = line.dropFirst(5)
            if value.first == " " { value = value.dropFirst() }
            data.append(String(value))
        }
        // `event:`, `id:`, `retry:` and `:` comments carry nothing Chat Completions needs.
    }
}
