import PartnerCore

/// Pythonic tool calls (Llama 3.2 / 4 and others): `[get_weather(city="Paris", days=3), now()]`.
/// Values are Python literals: strings in either quote, numbers, True/False/None, lists, dicts.
enum Pythonic {
    struct Call {
        var name: String
        var arguments: ToolCallCandidate.Arguments
    }

    /// The calls when `text` is exactly one bracketed list of calls (surrounding space allowed).
    static func parseList(_ text: String) -> [Call]? {
        let scalars = Array(text.unicodeScalars)
        guard let (calls, end) = parseList(scalars, from: 0) else { return nil }
        var position = end
        while position < scalars.count, scalars[position].properties.isWhitespace { position += 1 }
        return position == scalars.count ? calls : nil
    }

    /// A bracketed list of calls starting at `start` (after optional space), and where it ends.
    static func parseList(_ scalars: [Unicode.Scalar], from start: Int) -> ([Call], Int)? {
        var position = start
        func skipSpace() {
            while position < scalars.count, scalars[position].properties.isWhitespace { position += 1 }
        }
        skipSpace()
        guard position < scalars.count, scalars[position] == "[" else { return nil }
        position += 1
        var calls: [Call] = []
        while true {
            skipSpace()
            guard position < scalars.count else { return nil }
            if scalars[position] == "]" { position += 1; break }
            if scalars[position] == "," && !calls.isEmpty { position += 1; continue }
            guard let (call, end) = parseCall(scalars, from: position) else { return nil }
            calls.append(call)
            position = end
        }
        return calls.isEmpty ? nil : (calls, position)
    }

    /// `name(key=value, …)` at `start`.
    static func parseCall(_ scalars: [Unicode.Scalar], from start: Int) -> (Call, Int)? {
        var position = start
        func skipSpace() {
            while position < scalars.count, scalars[position].properties.isWhitespace { position += 1 }
        }
        func identifier() -> String? {
            let begin = position
            while position < scalars.count,
                  scalars[position].properties.isAlphabetic || scalars[position] == "_" || scalars[position] == "."
                    || ("0"..."9").contains(scalars[position]) || (scalars[position] == "-" && position > begin) {
                position += 1
            }
            guard position > begin, !("0"..."9").contains(scalars[begin]) else { return nil }
            return String(String.UnicodeScalarView(scalars[begin..<position]))
        }
        guard let name = identifier() else { return nil }
        skipSpace()
        guard position < scalars.count, scalars[position] == "(" else { return nil }
        position += 1
        var arguments: [String: JSONValue] = [:]
        while true {
            skipSpace()
            guard position < scalars.count else { return nil }
            if scalars[position] == ")" { position += 1; break }
            if scalars[position] == "," && !arguments.isEmpty { position += 1; continue }
            guard let key = identifier() else { return nil }
            skipSpace()
            guard position < scalars.count, scalars[position] == "=" else { return nil }
            position += 1
            guard let (value, end) = TolerantJSON.parsePrefix(scalars, from: position), end > position else { return nil }
            arguments[key] = value
            position = end
        }
        return (Call(name: name, arguments: .json(.object(arguments))), position)
    }
}
