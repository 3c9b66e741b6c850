/// Here-documents: announced by `<<` on a line, read after its newline.
extension ShellLexer {
    /// Announces a here-document whose body starts after the next newline; returns its slot.
    mutating func announceHereDocument(delimiter: ShellWord, stripTabs: Bool) -> Int {
        let slot = nextSlot
        nextSlot += 1
        pending.append((slot, delimiter.text, stripTabs, delimiter.isPlain))
        return slot
    }

    mutating func readPendingHereDocuments() throws {
        let announced = pending
        pending = []
        for document in announced {
            let bodyStart = index
            var lines: [String] = []
            var found = false
            while index < bytes.count {
                var lineEnd = index
                while lineEnd < bytes.count, bytes[lineEnd] != 0x0A { lineEnd += 1 }
                var line = String(decoding: bytes[index..<lineEnd], as: UTF8.self)
                if document.stripTabs { line = String(line.drop { $0 == "\t" }) }
                index = min(lineEnd + 1, bytes.count)
                if line == document.delimiter {
                    found = true
                    break
                }
                lines.append(line)
            }
            guard found else {
                throw error("here-document not terminated: no line '\(document.delimiter)'", at: bodyStart)
            }
            let body = lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n"
            var nested: [ShellCommand] = []
            if document.expands {
                var scanner = ShellLexer(bytes: Array(body.utf8), nestingDepth: nestingDepth + 1)
                var scratch = WordBuilder()
                while let byte = scanner.current {
                    switch byte {
                    case UInt8(ascii: "\\"): scanner.index += 2
                    case UInt8(ascii: "$"): try scanner.lexDollar(into: &scratch, inDoubleQuotes: true)
                    case UInt8(ascii: "`"): try scanner.lexBackquote(into: &scratch, inDoubleQuotes: true)
                    default: scanner.index += 1
                    }
                }
                nested = scratch.nested.map { command in
                    var command = command
                    command.isNested = true
                    return command
                }
            }
            hereDocuments[document.slot] = (ShellHereDocument(body: body, expands: document.expands), nested)
        }
    }
}
