import Foundation
import PartnerCore

/// The formats without markup, tried only when no tagged call was found: ```json fences,
/// bare JSON objects or lists anywhere in the text, and pythonic call lists. None of them is
/// explicit: a name that is not a declared tool means the JSON was just prose.
extension ToolCallFormats {
    static func fenced(_ text: String) -> Found {
        var found = none
        for (body, whole) in TextScan.blocks(in: text, open: "```", close: "```") {
            var content = Substring(body)
            if let newline = content.firstIndex(of: "\n"), content[..<newline].allSatisfy({ $0.isLetter }) {
                content = content[content.index(after: newline)...]   // the language tag
            }
            guard let value = TolerantJSON.parse(String(content)) else { continue }
            let calls = ToolCallCandidate.fromJSON(value, raw: String(text[whole]), explicit: false)
            guard !calls.isEmpty else { continue }
            found.candidates += calls
            found.ranges.append(whole)
        }
        return found
    }

    /// Every JSON object or list in the text that reads as a call, and every pythonic list.
    static func bare(_ text: String) -> Found {
        var found = none
        let scalars = Array(text.unicodeScalars)
        // Map scalar offsets back to String indices for the ranges.
        var indices: [String.Index] = []
        indices.reserveCapacity(scalars.count + 1)
        var index = text.unicodeScalars.startIndex
        while index < text.unicodeScalars.endIndex {
            indices.append(index)
            index = text.unicodeScalars.index(after: index)
        }
        indices.append(text.endIndex)
        var position = 0
        var attempts = 0
        while position < scalars.count, attempts < 50_000 {
            let scalar = scalars[position]
            guard scalar == "{" || scalar == "[", couldStartCall(scalars, at: position) else { position += 1; continue }
            attempts += 1
            if scalar == "[", let (calls, end) = Pythonic.parseList(scalars, from: position) {
                let range = indices[position]..<indices[end]
                found.candidates += calls.map {
                    ToolCallCandidate(name: $0.name, arguments: $0.arguments, raw: String(text[range]), explicit: false)
                }
                found.ranges.append(range)
                position = end
                continue
            }
            if let (value, end) = TolerantJSON.parsePrefix(scalars, from: position), end > position {
                let range = indices[position]..<indices[end]
                let calls = ToolCallCandidate.fromJSON(value, raw: String(text[range]), explicit: false)
                if !calls.isEmpty {
                    found.candidates += calls
                    found.ranges.append(range)
                    position = end
                    continue
                }
            }
            position += 1
        }
        return found
    }
}

/// Cheap look-ahead so that code full of braces is not parsed at every brace: a call object
/// starts with a key (`{"name"`, `{'name'`, `{name`), a call list with an object or a name.
private func couldStartCall(_ scalars: [Unicode.Scalar], at position: Int) -> Bool {
    var next = position + 1
    while next < scalars.count, scalars[next].properties.isWhitespace { next += 1 }
    guard next < scalars.count else { return false }
    let scalar = scalars[next]
    if scalar == "\"" || scalar == "'" { return true }
    if scalars[position] == "[" && scalar == "{" { return true }
    return scalar.properties.isAlphabetic || scalar == "_"
}

/// Removes what a model thought before answering: `<think>…</think>` (also left open, and
/// a lone `</think>` whose opening tag was in the prompt), `<thinking>`, Magistral's
/// `[THINK]…[/THINK]`, and Harmony's analysis channel.
enum Reasoning {
    static func strip(_ text: String) -> String {
        var result = text
        for (open, close) in [("<think>", "</think>"), ("<thinking>", "</thinking>"), ("[THINK]", "[/THINK]")] {
            if let lone = result.range(of: close), result.range(of: open, range: result.startIndex..<lone.lowerBound) == nil {
                result = String(result[lone.upperBound...])
            }
            let ranges = TextScan.blocks(in: result, open: open, close: close).map(\.whole)
            result = TextScan.removing(ranges, from: result)
        }
        var analysis: [Range<String.Index>] = []
        var position = result.startIndex
        while let start = result.range(of: "<|channel|>analysis<|message|>", range: position..<result.endIndex) {
            let header = result.range(of: "<|start|>", options: .backwards, range: position..<start.lowerBound)
            let from = header.map { result[$0.upperBound..<start.lowerBound].trimmingWhitespace == "assistant" ? $0.lowerBound : start.lowerBound }
                ?? start.lowerBound
            var end = result.endIndex
            if let close = result.range(of: "<|end|>", range: start.upperBound..<result.endIndex) { end = close.upperBound }
            else if let next = result.range(of: "<|start|>", range: start.upperBound..<result.endIndex) { end = next.lowerBound }
            analysis.append(from..<end)
            position = end
        }
        return TextScan.removing(analysis, from: result)
    }
}
