/// The mutable tree the parser builds while it reads; it remembers how each table came to
/// exist, because TOML's rules on redefinition depend on it.
final class TOMLTableBuilder {
    enum Origin {
        /// Created as a parent of a `[a.b.c]` header; may still be defined by its own header.
        case implicit
        /// Defined by a `[header]`: may not be defined again.
        case header
        /// Created by a dotted key `a.b = 1`: may be extended by dotted keys of the same table.
        case dotted
        /// An element of an array of tables `[[a]]`.
        case arrayElement
    }

    enum Item {
        case value(TOMLValue, keyPosition: TOMLPosition)
        case table(TOMLTableBuilder, keyPosition: TOMLPosition)
        case tableArray(TOMLTableArrayBuilder, keyPosition: TOMLPosition)

        var keyPosition: TOMLPosition {
            switch self {
            case .value(_, let position), .table(_, let position), .tableArray(_, let position): position
            }
        }
    }

    var origin: Origin
    let position: TOMLPosition
    private(set) var order: [String] = []
    private(set) var items: [String: Item] = [:]

    init(origin: Origin, position: TOMLPosition) {
        self.origin = origin
        self.position = position
    }

    func set(_ key: String, _ item: Item) {
        if items[key] == nil { order.append(key) }
        items[key] = item
    }

    /// The finished, immutable table.
    func build() -> TOMLTable {
        var table = TOMLTable()
        for key in order {
            switch items[key]! {
            case .value(let value, let keyPosition):
                table.append(.init(key: key, keyPosition: keyPosition, value: value))
            case .table(let builder, let keyPosition):
                table.append(.init(key: key, keyPosition: keyPosition,
                                   value: TOMLValue(.table(builder.build()), at: builder.position)))
            case .tableArray(let array, let keyPosition):
                let elements = array.tables.map { TOMLValue(.table($0.build()), at: $0.position) }
                table.append(.init(key: key, keyPosition: keyPosition,
                                   value: TOMLValue(.array(elements), at: array.position)))
            }
        }
        return table
    }
}

/// An array of tables defined by `[[name]]` headers: later headers append to it.
final class TOMLTableArrayBuilder {
    let position: TOMLPosition
    var tables: [TOMLTableBuilder] = []

    init(position: TOMLPosition) {
        self.position = position
    }
}
