import Foundation
import PartnerCore

/// Formats built from special tokens: DeepSeek V3 / V3.1, Kimi K2 and gpt-oss (Harmony).
extension ToolCallFormats {
    /// DeepSeek spells its tokens with fullwidth bars and "▁"; some servers render them in
    /// ASCII. Both become ASCII here.
    static func normalizeDeepSeekTokens(_ text: String) -> String {
        guard text.contains("｜") else { return text }
        var result = text
        for token in ["tool▁calls▁begin", "tool▁calls▁end", "tool▁call▁begin", "tool▁call▁end", "tool▁sep",
                      "end▁of▁sentence", "tool▁outputs▁begin"] {
            result = result.replacingOccurrences(of: "<｜\(token)｜>", with: "<|\(token.replacingOccurrences(of: "▁", with: "_"))|>")
        }
        return result
    }

    /// DeepSeek V3 `<|tool_call_begin|>function<|tool_sep|>NAME\n```json\n{…}\n```<|tool_call_end|>`,
    /// DeepSeek V3.1 `<|tool_call_begin|>NAME<|tool_sep|>{…}<|tool_call_end|>`, and Kimi K2
    /// `<|tool_call_begin|>functions.NAME:0<|tool_call_argument_begin|>{…}<|tool_call_end|>`,
    /// each inside its section tokens.
    static func tokenBlocks(_ text: String) -> Found {
        var found = none
        for (body, whole) in TextScan.blocks(in: text, open: "<|tool_call_begin|>", close: "<|tool_call_end|>") {
            let raw = String(text[whole])
            found.ranges.append(whole)
            let cut = TextScan.prefix(Substring(body), upTo: ["<|tool_calls_end|>", "<|tool_calls_section_end|>"])
            if let separator = cut.range(of: "<|tool_call_argument_begin|>") {
                let label = cut[..<separator.lowerBound].trimmingWhitespace
                found.candidates.append(ToolCallCandidate(
                    name: kimiName(label), arguments: ToolCallCandidate.readArguments(text: String(cut[separator.upperBound...])),
                    id: label, raw: raw, explicit: true))
            } else if let separator = cut.range(of: "<|tool_sep|>") {
                let left = cut[..<separator.lowerBound].trimmingWhitespace
                let right = cut[separator.upperBound...]
                if left == "function" {
                    let newline = right.firstIndex(of: "\n") ?? right.endIndex
                    found.candidates.append(ToolCallCandidate(
                        name: right[..<newline].trimmingWhitespace, arguments: ToolCallCandidate.readArguments(text: String(right[newline...])),
                        raw: raw, explicit: true))
                } else {
                    found.candidates.append(ToolCallCandidate(
                        name: left, arguments: ToolCallCandidate.readArguments(text: String(right)), raw: raw, explicit: true))
                }
            } else {
                found.candidates.append(ToolCallCandidate(name: nil, arguments: .unreadable("the call has no name separator"),
                                                          raw: raw, explicit: true))
            }
        }
        // The section tokens around the calls are markup too.
        for token in ["<|tool_calls_begin|>", "<|tool_calls_end|>", "<|tool_calls_section_begin|>", "<|tool_calls_section_end|>"] {
            var position = text.startIndex
            while let range = text.range(of: token, range: position..<text.endIndex) {
                if !found.ranges.contains(where: { $0.overlaps(range) }) { found.ranges.append(range) }
                position = range.upperBound
            }
        }
        return found
    }

    /// "functions.get_weather:0" → "get_weather".
    static func kimiName(_ label: String) -> String {
        var name = Substring(label)
        if name.hasPrefix("functions.") { name = name.dropFirst("functions.".count) }
        if let colon = name.lastIndex(of: ":"), name[name.index(after: colon)...].allSatisfy(\.isNumber) {
            name = name[..<colon]
        }
        return String(name)
    }

    /// gpt-oss Harmony: `<|channel|>commentary to=functions.NAME <|constrain|>json<|message|>{…}<|call|>`
    /// (the recipient may also come before `<|channel|>`).
    static func harmony(_ text: String) -> Found {
        var found = none
        var position = text.startIndex
        while let marker = text.range(of: "to=functions.", range: position..<text.endIndex) {
            let nameEnd = text[marker.upperBound...].firstIndex { !TextScan.isNameCharacter($0) || $0 == ":" } ?? text.endIndex
            let name = String(text[marker.upperBound..<nameEnd])
            guard let message = text.range(of: "<|message|>", range: nameEnd..<text.endIndex) else {
                found.candidates.append(ToolCallCandidate(name: name, arguments: .unreadable("the call has no <|message|> with arguments"),
                                                          raw: String(text[marker.lowerBound...]), explicit: true))
                found.ranges.append(marker.lowerBound..<text.endIndex)
                break
            }
            let body = TextScan.prefix(text[message.upperBound...], upTo: ["<|call|>", "<|end|>", "<|return|>", "<|start|>"])
            var end = body.endIndex
            for terminator in ["<|call|>", "<|end|>", "<|return|>"] where text[end...].hasPrefix(terminator) {
                end = text.index(end, offsetBy: terminator.count)
            }
            // The header (`<|start|>assistant<|channel|>commentary `) belongs to the call too.
            let headerStart = text.range(of: "<|start|>", options: .backwards, range: position..<marker.lowerBound)?.lowerBound
                ?? text.range(of: "<|channel|>", options: .backwards, range: position..<marker.lowerBound)?.lowerBound
                ?? marker.lowerBound
            let raw = String(text[headerStart..<end])
            found.candidates.append(ToolCallCandidate(name: name, arguments: ToolCallCandidate.readArguments(text: String(body)),
                                                      raw: raw, explicit: true))
            found.ranges.append(headerStart..<end)
            position = end
        }
        return found
    }
}
