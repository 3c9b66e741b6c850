import Foundation
import PartnerCore

/// The text formats open models use for tool calls. Each extractor finds its format's calls
/// in `text` and returns them with the ranges they occupy, so the parser can remove them
/// before the next extractor looks. Pure functions.
enum ToolCallFormats {
    typealias Found = (candidates: [ToolCallCandidate], ranges: [Range<String.Index>])

    static let none: Found = ([], [])

    /// Hermes / Qwen 2.5 `<tool_call>{json}</tool_call>` (also left open at the end), and
    /// the two formats that reuse the tag with other contents: Qwen3-Coder
    /// `<tool_call><function=NAME><parameter=KEY>value</parameter></function></tool_call>`
    /// and GLM 4.5 `<tool_call>NAME<arg_key>KEY</arg_key><arg_value>value</arg_value></tool_call>`.
    static func toolCallTags(_ text: String) -> Found {
        var found = none
        for (body, whole) in TextScan.blocks(in: text, open: "<tool_call>", close: "</tool_call>") {
            let raw = String(text[whole])
            if body.contains("<invoke name=") {
                found.candidates += invokeCalls(body, raw: raw)
            } else if body.contains("<function=") {
                found.candidates += qwenCoderFunctions(body, raw: raw).candidates
            } else if body.contains("<arg_key>") || isBareName(body) {
                found.candidates.append(glmCall(body, raw: raw))
            } else {
                found.candidates += jsonCalls(in: body, raw: raw)
            }
            found.ranges.append(whole)
        }
        return found
    }

    /// One or more JSON calls written one after another inside explicit markup.
    static func jsonCalls(in body: String, raw: String) -> [ToolCallCandidate] {
        let unfenced = TextScan.unfence(body)
        let scalars = Array(unfenced.unicodeScalars)
        var position = 0
        var candidates: [ToolCallCandidate] = []
        while position < scalars.count {
            while position < scalars.count, " \n\r\t;,".unicodeScalars.contains(scalars[position]) { position += 1 }
            guard position < scalars.count else { break }
            guard let (value, end) = TolerantJSON.parsePrefix(scalars, from: position), end > position else {
                let rest = String(String.UnicodeScalarView(scalars[position...])).trimmingWhitespace
                // Stray closing brackets after a good call (`{…}}`) are a typo, not another call.
                if !candidates.isEmpty, rest.allSatisfy({ "}]) \n\t".contains($0) }) { break }
                candidates.append(ToolCallCandidate(
                    name: nil, arguments: .unreadable("the call is not valid JSON: \(rest.prefix(120))"), raw: raw, explicit: true))
                break
            }
            let calls = ToolCallCandidate.fromJSON(value, raw: raw, explicit: true)
            if calls.isEmpty {
                candidates.append(ToolCallCandidate(
                    name: nil, arguments: .unreadable("the call has no \"name\" and \"arguments\""), raw: raw, explicit: true))
            }
            candidates += calls
            position = end
        }
        return candidates
    }

    /// Qwen3-Coder's `<function=NAME>` blocks with `<parameter=KEY>` values; also Functionary
    /// v3.1 / Llama 3.1's `<function=NAME>{json}</function>`.
    static func qwenCoderFunctions(_ text: String, raw: String? = nil) -> Found {
        var found = none
        for (body, whole) in TextScan.blocks(in: text, open: "<function=", close: "</function>") {
            guard let close = body.firstIndex(of: ">") else { continue }
            let name = body[..<close].trimmingWhitespace
            let inner = String(body[body.index(after: close)...])
            let rawText = raw ?? String(text[whole])
            found.ranges.append(whole)
            if !inner.contains("<parameter=") {
                let jsonText = TextScan.prefix(Substring(inner), upTo: ["</tool_call>"])
                found.candidates.append(ToolCallCandidate(name: name, arguments: ToolCallCandidate.readArguments(text: String(jsonText)),
                                                          raw: rawText, explicit: true))
                continue
            }
            var pairs: [(key: String, value: String)] = []
            for (parameter, _) in TextScan.blocks(in: inner, open: "<parameter=", close: "</parameter>") {
                guard let end = parameter.firstIndex(of: ">") else { continue }
                let key = parameter[..<end].trimmingWhitespace
                let value = TextScan.prefix(parameter[parameter.index(after: end)...], upTo: ["</function>", "</tool_call>"])
                pairs.append((key, trimOneNewline(String(value))))
            }
            found.candidates.append(ToolCallCandidate(name: name, arguments: .text(pairs), raw: rawText, explicit: true))
        }
        return found
    }

    /// `<invoke name="NAME"><parameter name="KEY">value</parameter></invoke>` (Kimi's and
    /// MiniMax's XML fallback); values become the schema's types.
    static func invokeCalls(_ body: String, raw: String) -> [ToolCallCandidate] {
        TextScan.blocks(in: body, open: "<invoke name=", close: "</invoke>").map { invoke, _ in
            let nameEnd = invoke.firstIndex(of: ">") ?? invoke.endIndex
            let name = invoke[..<nameEnd].trimmingCharacters(in: CharacterSet(charactersIn: "\"' \n"))
            var pairs: [(key: String, value: String)] = []
            for (parameter, _) in TextScan.blocks(in: invoke, open: "<parameter name=", close: "</parameter>") {
                guard let end = parameter.firstIndex(of: ">") else { continue }
                let key = parameter[..<end].trimmingCharacters(in: CharacterSet(charactersIn: "\"' \n"))
                pairs.append((key, trimOneNewline(String(parameter[parameter.index(after: end)...]))))
            }
            return ToolCallCandidate(name: name, arguments: .text(pairs), raw: raw, explicit: true)
        }
    }

    /// GLM's call of a tool without arguments: the name alone (`<tool_call>git_status\n</tool_call>`).
    static func isBareName(_ body: String) -> Bool {
        let name = body.trimmingWhitespace
        return !name.isEmpty && name.allSatisfy(TextScan.isNameCharacter)
    }

    /// GLM 4.5 / 4.6: the name, then `<arg_key>` / `<arg_value>` pairs (none for a tool without arguments).
    static func glmCall(_ body: String, raw: String) -> ToolCallCandidate {
        let nameEnd = body.range(of: "<arg_key>")?.lowerBound ?? body.endIndex
        let name = body[..<nameEnd].trimmingWhitespace
        let keys = TextScan.blocks(in: body, open: "<arg_key>", close: "</arg_key>")
        let values = TextScan.blocks(in: body, open: "<arg_value>", close: "</arg_value>")
        guard keys.count == values.count else {
            return ToolCallCandidate(name: name, arguments: .unreadable("its <arg_key> and <arg_value> tags do not pair up"),
                                     raw: raw, explicit: true)
        }
        let pairs = zip(keys, values).map { (key: $0.body.trimmingWhitespace, value: $1.body) }
        return ToolCallCandidate(name: name, arguments: .text(pairs), raw: raw, explicit: true)
    }

    static func trimOneNewline(_ text: String) -> String {
        var value = Substring(text)
        if value.hasPrefix("\n") { value = value.dropFirst() }
        if value.hasSuffix("\n") { value = value.dropLast() }
        return String(value)
    }

    /// Llama 3.x: `<|python_tag|>{"name": …, "parameters": …}`, several calls joined with "; ",
    /// up to `<|eom_id|>` or `<|eot_id|>`.
    static func pythonTag(_ text: String) -> Found {
        guard let tag = text.range(of: "<|python_tag|>") else { return none }
        let body = TextScan.prefix(text[tag.upperBound...], upTo: ["<|eom_id|>", "<|eot_id|>"])
        var end = body.endIndex
        for terminator in ["<|eom_id|>", "<|eot_id|>"] where text[end...].hasPrefix(terminator) {
            end = text.index(end, offsetBy: terminator.count)
        }
        let raw = String(text[tag.lowerBound..<end])
        let trimmed = body.trimmingWhitespace
        // Llama 4 and 3.2 may put pythonic calls after the tag as well.
        if trimmed.hasPrefix("[") && !trimmed.hasPrefix("[{"), let calls = Pythonic.parseList(trimmed) {
            return (calls.map { ToolCallCandidate(name: $0.name, arguments: $0.arguments, raw: raw, explicit: true) },
                    [tag.lowerBound..<end])
        }
        return (jsonCalls(in: String(body), raw: raw), [tag.lowerBound..<end])
    }

    /// Llama 4: `<|python_start|>[f(a=1)]<|python_end|>`.
    static func pythonStart(_ text: String) -> Found {
        var found = none
        for (body, whole) in TextScan.blocks(in: text, open: "<|python_start|>", close: "<|python_end|>") {
            let raw = String(text[whole])
            found.ranges.append(whole)
            if let calls = Pythonic.parseList(body.trimmingWhitespace) {
                found.candidates += calls.map { ToolCallCandidate(name: $0.name, arguments: $0.arguments, raw: raw, explicit: true) }
            } else {
                found.candidates += jsonCalls(in: body, raw: raw)
            }
        }
        return found
    }

    /// Mistral's `[TOOL_CALLS]` in its three generations: `[TOOL_CALLS] [{"name", "arguments"}]`
    /// (v3 tokenizer), `[TOOL_CALLS]NAME[ARGS]{json}` (v11), and
    /// `[TOOL_CALLS]NAME[CALL_ID]ID[ARGS]{json}` (v13).
    static func mistral(_ text: String) -> Found {
        guard let first = text.range(of: "[TOOL_CALLS]") else { return none }
        var candidates: [ToolCallCandidate] = []
        let region = text[first.lowerBound...]
        let segments = region.components(separatedBy: "[TOOL_CALLS]").dropFirst()
        for segment in segments {
            var rest = Substring(segment)
            let raw = "[TOOL_CALLS]" + segment
            while !rest.trimmingWhitespace.isEmpty {
                let trimmed = rest.drop { $0.isWhitespace }
                if trimmed.hasPrefix("[") || trimmed.hasPrefix("{") {
                    let scalars = Array(String(trimmed).unicodeScalars)
                    guard let (value, _) = TolerantJSON.parsePrefix(scalars) else {
                        candidates.append(ToolCallCandidate(name: nil, arguments: .unreadable("the call list is not valid JSON"),
                                                            raw: raw, explicit: true))
                        break
                    }
                    candidates += ToolCallCandidate.fromJSON(value, raw: raw, explicit: true)
                    break
                }
                guard let args = trimmed.range(of: "[ARGS]") else {
                    // Servers that drop special tokens when decoding leave `NAME{json}`.
                    if let brace = trimmed.firstIndex(of: "{"), !trimmed[..<brace].isEmpty,
                       trimmed[..<brace].allSatisfy(TextScan.isNameCharacter),
                       let (value, end) = TolerantJSON.parsePrefix(Array(String(trimmed[brace...]).unicodeScalars)) {
                        candidates.append(ToolCallCandidate(name: String(trimmed[..<brace]), arguments: ToolCallCandidate.readArguments(value),
                                                            raw: raw, explicit: true))
                        rest = Substring(String(String.UnicodeScalarView(Array(String(trimmed[brace...]).unicodeScalars)[end...])))
                        continue
                    }
                    candidates.append(ToolCallCandidate(name: trimmed.trimmingWhitespace,
                                                        arguments: .unreadable("the call has no [ARGS] section"), raw: raw, explicit: true))
                    break
                }
                var name = String(trimmed[..<args.lowerBound])
                var id: String?
                if let callID = name.range(of: "[CALL_ID]") {
                    id = name[callID.upperBound...].trimmingWhitespace
                    name = String(name[..<callID.lowerBound])
                }
                let scalars = Array(String(trimmed[args.upperBound...]).unicodeScalars)
                guard let (value, end) = TolerantJSON.parsePrefix(scalars) else {
                    candidates.append(ToolCallCandidate(name: name.trimmingWhitespace,
                                                        arguments: .unreadable("its [ARGS] are not valid JSON"), id: id, raw: raw, explicit: true))
                    break
                }
                candidates.append(ToolCallCandidate(name: name.trimmingWhitespace, arguments: ToolCallCandidate.readArguments(value),
                                                    id: id, raw: raw, explicit: true))
                rest = Substring(String(String.UnicodeScalarView(scalars[end...])))
            }
        }
        return (candidates, [first.lowerBound..<text.endIndex])
    }

    /// Functionary v3: `>>>NAME\n{json}` (`>>>all` is prose), and v2's
    /// `<|recipient|>NAME\n<|content|>{json}`.
    static func functionary(_ text: String) -> Found {
        let marker = text.contains("<|recipient|>") ? "<|recipient|>" : ">>>"
        var starts: [String.Index] = []
        var position = text.startIndex
        while let range = text.range(of: marker, range: position..<text.endIndex) {
            starts.append(range.lowerBound)
            position = range.upperBound
        }
        guard !starts.isEmpty else { return none }
        var found = none
        for (index, start) in starts.enumerated() {
            let end = index + 1 < starts.count ? starts[index + 1] : text.endIndex
            let segment = text[text.index(start, offsetBy: marker.count)..<end]
            let newline = segment.firstIndex(of: "\n") ?? segment.endIndex
            let name = segment[..<newline].trimmingWhitespace
            // `>>>all` introduces text for the user; anything that is not a plain name (a Python
            // prompt like `>>> print(x)`) is not a call.
            guard name != "all", !name.isEmpty, name.allSatisfy(TextScan.isNameCharacter) else { continue }
            var body = String(segment[newline...]).replacingOccurrences(of: "<|content|>", with: "")
            body = String(TextScan.prefix(Substring(body), upTo: ["<|from|>", "<|stop|>", "<|eot_id|>"]))
            found.candidates.append(ToolCallCandidate(name: name, arguments: ToolCallCandidate.readArguments(text: body),
                                                      raw: String(text[start..<end]), explicit: true))
            found.ranges.append(start..<end)
        }
        return found
    }
}
