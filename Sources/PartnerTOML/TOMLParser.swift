/// A recursive-descent TOML 1.0 parser over UTF-8 bytes. This file reads the document's
/// structure (key/value pairs, headers, keys); `TOMLParser+Values.swift` reads values.
struct TOMLParser {
    let bytes: [UInt8]
    let file: String
    var index = 0
    /// How deeply arrays and inline tables are nested at `index` (bounded to keep recursion safe).
    var depth = 0
    static let maximumDepth = 128
    private var lineStarts: [Int] = [0]

    init(bytes: [UInt8], file: String) {
        self.bytes = bytes
        self.file = file
        for (offset, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") {
            lineStarts.append(offset + 1)
        }
    }

    // MARK: Positions and errors

    func position(at offset: Int) -> TOMLPosition {
        var low = 0, high = lineStarts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if lineStarts[middle] <= offset { low = middle } else { high = middle - 1 }
        }
        var column = 1
        var cursor = lineStarts[low]
        while cursor < offset && cursor < bytes.count {
            if bytes[cursor] & 0xC0 != 0x80 { column += 1 }
            cursor += 1
        }
        if cursor < offset { column += offset - cursor }
        return TOMLPosition(file: file, line: low + 1, column: column)
    }

    var here: TOMLPosition { position(at: index) }

    func error(_ reason: String, hint: String, at offset: Int? = nil) -> TOMLError {
        TOMLError(position: position(at: offset ?? index), reason: reason, hint: hint)
    }

    // MARK: Bytes

    var atEnd: Bool { index >= bytes.count }
    var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    func peek(_ offset: Int = 0) -> UInt8? {
        index + offset < bytes.count ? bytes[index + offset] : nil
    }

    func isAt(_ text: String) -> Bool {
        let needle = Array(text.utf8)
        guard index + needle.count <= bytes.count else { return false }
        return Array(bytes[index..<index + needle.count]) == needle
    }

    mutating func skipWhitespace() {
        while let byte = current, byte == 0x20 || byte == 0x09 { index += 1 }
    }

    /// Skips a comment if one starts here; control characters other than tab are not allowed in it.
    mutating func skipComment() throws {
        guard current == UInt8(ascii: "#") else { return }
        while let byte = current, byte != 0x0A {
            if byte == 0x0D, peek(1) == 0x0A { return }
            if (byte < 0x20 && byte != 0x09) || byte == 0x7F {
                throw error("control character U+\(hex(byte)) in a comment", hint: "remove it; only tab is allowed")
            }
            index += 1
        }
    }

    /// Consumes a newline (LF or CRLF) if one is here.
    mutating func skipNewline() throws -> Bool {
        if current == 0x0A { index += 1; return true }
        if current == 0x0D {
            guard peek(1) == 0x0A else {
                throw error("carriage return not followed by a line feed", hint: "use LF or CRLF line endings")
            }
            index += 2
            return true
        }
        return false
    }

    /// Whitespace, comments and newlines between array elements.
    mutating func skipBlank() throws {
        while true {
            skipWhitespace()
            try skipComment()
            if try !skipNewline() { return }
        }
    }

    /// After a key/value pair or a header: only whitespace and a comment may follow on the line.
    mutating func expectEndOfLine(after what: String) throws {
        skipWhitespace()
        try skipComment()
        if atEnd { return }
        if try !skipNewline() {
            throw error("unexpected text after \(what)", hint: "put each key/value pair and each [table] header on its own line")
        }
    }

    // MARK: Document

    mutating func parseDocument() throws -> TOMLTable {
        let root = TOMLTableBuilder(origin: .header, position: position(at: 0))
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
        var table = root
        while true {
            try skipBlank()
            guard let byte = current else { break }
            if byte == UInt8(ascii: "[") {
                table = try parseHeader(root: root)
            } else {
                try parseKeyValue(into: table)
                try expectEndOfLine(after: "a value")
            }
        }
        return root.build()
    }

    // MARK: Keys

    struct KeyPart {
        let name: String
        let position: TOMLPosition
    }

    /// A simple or dotted key: `a`, `"quoted key"`, `'literal'`, `a.b."c"`.
    mutating func parseKey() throws -> [KeyPart] {
        var parts: [KeyPart] = []
        while true {
            skipWhitespace()
            let start = index
            guard let byte = current else {
                throw error("expected a key", hint: "write `key = value`")
            }
            let name: String
            if byte == UInt8(ascii: "\"") {
                if isAt("\"\"\"") { throw error("a key cannot be a multi-line string", hint: "use \"key\" with single quotes marks") }
                name = try parseBasicString()
            } else if byte == UInt8(ascii: "'") {
                if isAt("'''") { throw error("a key cannot be a multi-line string", hint: "use 'key'") }
                name = try parseLiteralString()
            } else if isBareKeyByte(byte) {
                while let next = current, isBareKeyByte(next) { index += 1 }
                name = String(decoding: bytes[start..<index], as: UTF8.self)
            } else {
                throw error("expected a key, found \(describe(byte))",
                            hint: "bare keys use A-Z a-z 0-9 _ -; quote any other key: \"my key\" = 1")
            }
            parts.append(KeyPart(name: name, position: position(at: start)))
            if parts.count > Self.maximumDepth {
                throw error("the key has more than \(Self.maximumDepth) parts", hint: "use fewer dotted parts", at: start)
            }
            skipWhitespace()
            guard current == UInt8(ascii: ".") else { return parts }
            index += 1
        }
    }

    func isBareKeyByte(_ byte: UInt8) -> Bool {
        (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39)
            || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
    }

    func describe(_ byte: UInt8) -> String {
        switch byte {
        case 0x0A, 0x0D: "the end of the line"
        case 0x20..<0x7F: "'\(Character(Unicode.Scalar(byte)))'"
        default: "byte 0x\(hex(byte))"
        }
    }

    func hex(_ byte: UInt8) -> String {
        let digits = String(byte, radix: 16, uppercase: true)
        return digits.count == 1 ? "0" + digits : digits
    }

    // MARK: Key/value pairs

    /// `key = value`, stored into `table` (dotted keys create or extend sub-tables).
    mutating func parseKeyValue(into table: TOMLTableBuilder) throws {
        let key = try parseKey()
        skipWhitespace()
        guard current == UInt8(ascii: "=") else {
            if atEnd || current == 0x0A || current == 0x0D {
                throw error("expected '=' after the key '\(dotted(key))'", hint: "write `\(dotted(key)) = value`")
            }
            throw error("expected '=' after the key '\(dotted(key))', found \(describe(current!))",
                        hint: "keys with spaces or special characters must be quoted: \"\(dotted(key)) ...\" = value")
        }
        index += 1
        skipWhitespace()
        let value = try parseValue()
        var target = table
        for part in key.dropLast() {
            target = try descendForDottedKey(part, in: target, fullKey: key)
        }
        let last = key.last!
        if let existing = target.items[last.name] {
            throw error("duplicate key '\(dotted(key))' (first defined at \(existing.keyPosition))",
                        hint: "a key may be defined only once in a table; remove one of the definitions",
                        at: offsetOf(last.position))
        }
        target.set(last.name, .value(value, keyPosition: last.position))
    }

    private mutating func descendForDottedKey(_ part: KeyPart, in table: TOMLTableBuilder, fullKey: [KeyPart]) throws
        -> TOMLTableBuilder
    {
        switch table.items[part.name] {
        case nil:
            let child = TOMLTableBuilder(origin: .dotted, position: part.position)
            table.set(part.name, .table(child, keyPosition: part.position))
            return child
        case .table(let child, _) where child.origin == .dotted:
            return child
        case .table(let child, _):
            throw error("the dotted key '\(dotted(fullKey))' extends the table '\(part.name)' defined at \(child.position)",
                        hint: "add the key under that table's [header] instead", at: offsetOf(part.position))
        case .tableArray(_, let keyPosition):
            throw error("'\(part.name)' is an array of tables (defined at \(keyPosition)); a dotted key cannot extend it",
                        hint: "add the key inside a [[\(part.name)]] section", at: offsetOf(part.position))
        case .value(let value, let keyPosition):
            let what = value.tableValue != nil ? "an inline table, which cannot be extended" : value.typeNameWithArticle
            throw error("'\(part.name)' is already defined as \(what) at \(keyPosition)",
                        hint: "use a different key, or put all of its keys in one place", at: offsetOf(part.position))
        }
    }

    // MARK: Headers

    /// `[a.b]` or `[[a.b]]`; returns the table that following keys go into.
    mutating func parseHeader(root: TOMLTableBuilder) throws -> TOMLTableBuilder {
        let start = index
        let isArray = isAt("[[")
        index += isArray ? 2 : 1
        let key = try parseKey()
        skipWhitespace()
        if isArray {
            guard isAt("]]") else { throw error("expected ']]' to close the array-of-tables header", hint: "write [[name]]") }
            index += 2
        } else {
            guard current == UInt8(ascii: "]") else { throw error("expected ']' to close the table header", hint: "write [name]") }
            index += 1
        }
        try expectEndOfLine(after: "the header")
        var table = root
        for part in key.dropLast() {
            table = try descendForHeader(part, in: table, fullKey: key)
        }
        let last = key.last!
        let headerPosition = position(at: start)
        let existing = table.items[last.name]
        if isArray {
            let element = TOMLTableBuilder(origin: .arrayElement, position: headerPosition)
            switch existing {
            case nil:
                let array = TOMLTableArrayBuilder(position: headerPosition)
                array.tables.append(element)
                table.set(last.name, .tableArray(array, keyPosition: last.position))
            case .tableArray(let array, _):
                array.tables.append(element)
            case .some(let item):
                throw error("[[\(dotted(key))]] redefines '\(last.name)', already defined at \(item.keyPosition) as something other than an array of tables",
                            hint: "use a different name, or use [[\(dotted(key))]] for every element", at: start)
            }
            return element
        }
        switch existing {
        case nil:
            let child = TOMLTableBuilder(origin: .header, position: headerPosition)
            table.set(last.name, .table(child, keyPosition: last.position))
            return child
        case .table(let child, _) where child.origin == .implicit:
            child.origin = .header
            return child
        case .table(let child, _) where child.origin == .dotted:
            throw error("the table [\(dotted(key))] was already created by dotted keys at \(child.position)",
                        hint: "define its keys in one place: either dotted keys or the [header]", at: start)
        case .some(let item):
            throw error("duplicate table [\(dotted(key))] (first defined at \(item.keyPosition))",
                        hint: "a table may be defined only once; merge the two sections", at: start)
        }
    }

    private mutating func descendForHeader(_ part: KeyPart, in table: TOMLTableBuilder, fullKey: [KeyPart]) throws
        -> TOMLTableBuilder
    {
        switch table.items[part.name] {
        case nil:
            let child = TOMLTableBuilder(origin: .implicit, position: part.position)
            table.set(part.name, .table(child, keyPosition: part.position))
            return child
        case .table(let child, _):
            return child
        case .tableArray(let array, _):
            return array.tables[array.tables.count - 1]
        case .value(let value, let keyPosition):
            let what = value.tableValue != nil ? "an inline table, which cannot be extended" : value.typeNameWithArticle
            throw error("'\(part.name)' in [\(dotted(fullKey))] is already defined as \(what) at \(keyPosition)",
                        hint: "rename the table or the key", at: offsetOf(part.position))
        }
    }

    // MARK: Helpers

    func dotted(_ key: [KeyPart]) -> String {
        key.map { part in
            part.name.utf8.allSatisfy(isBareKeyByte) && !part.name.isEmpty ? part.name : "\"\(part.name)\""
        }.joined(separator: ".")
    }

    /// The byte offset of a position produced by this parser (positions are only kept as
    /// line/column, so this walks the line again).
    func offsetOf(_ position: TOMLPosition) -> Int {
        var offset = lineStarts[position.line - 1]
        var column = 1
        while column < position.column && offset < bytes.count {
            offset += 1
            while offset < bytes.count && bytes[offset] & 0xC0 == 0x80 { offset += 1 }
            column += 1
        }
        return offset
    }
}
