/// A TOML table: its keys in the order they were written, each with the position of the
/// key and of its value. Tables defined with `[header]`, dotted keys or inline `{...}` all
/// end up as values of this type.
public struct TOMLTable: Sendable, Equatable {
    /// One key of a table.
    public struct Entry: Sendable, Equatable {
        public var key: String
        /// Where the key itself is written (for a dotted key `a.b.c`, where `c` is written;
        /// for a table defined by a `[header]`, where its last name is written).
        public var keyPosition: TOMLPosition
        public var value: TOMLValue

        public init(key: String, keyPosition: TOMLPosition, value: TOMLValue) {
            self.key = key
            self.keyPosition = keyPosition
            self.value = value
        }
    }

    /// The keys in the order they first appeared.
    public private(set) var entries: [Entry]
    private var index: [String: Int]

    public init(entries: [Entry] = []) {
        self.entries = []
        self.index = [:]
        for entry in entries { append(entry) }
    }

    /// Adds or replaces a key (replacing keeps the original order).
    public mutating func append(_ entry: Entry) {
        if let existing = index[entry.key] {
            entries[existing] = entry
        } else {
            index[entry.key] = entries.count
            entries.append(entry)
        }
    }

    public subscript(key: String) -> TOMLValue? {
        index[key].map { entries[$0].value }
    }

    public func entry(_ key: String) -> Entry? {
        index[key].map { entries[$0] }
    }

    public var keys: [String] { entries.map(\.key) }

    public var isEmpty: Bool { entries.isEmpty }

    public static func == (lhs: TOMLTable, rhs: TOMLTable) -> Bool { lhs.entries == rhs.entries }
}
