import PartnerCore

/// Encodes a `Codable` value straight into a `JSONValue`, without producing and re-parsing
/// JSON text (which cost most of an append's time). Follows `JSONEncoder`'s default shape:
/// absent optionals are omitted, enums with raw values encode as their raw value, dictionaries
/// with String or Int keys become objects, non-finite numbers become null.
enum JSONValueEncoder {
    static func encode<Value: Encodable>(_ value: Value) throws -> JSONValue {
        if let json = value as? JSONValue { return json }
        let node = Node()
        try value.encode(to: NodeEncoder(node: node, codingPath: []))
        return node.resolved
    }

    /// One place in the tree being built.
    final class Node {
        var value: JSONValue?
        var members: [String: Node]?
        var elements: [Node]?

        var resolved: JSONValue {
            if let members { return .object(members.mapValues(\.resolved)) }
            if let elements { return .array(elements.map(\.resolved)) }
            return value ?? .object([:])
        }

        func makeObject() {
            if members == nil { members = [:] }
        }

        func makeArray() {
            if elements == nil { elements = [] }
        }
    }

    struct NodeEncoder: Encoder {
        let node: Node
        let codingPath: [any CodingKey]
        var userInfo: [CodingUserInfoKey: Any] { [:] }

        func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
            node.makeObject()
            return KeyedEncodingContainer(Keyed<Key>(node: node, codingPath: codingPath))
        }

        func unkeyedContainer() -> any UnkeyedEncodingContainer {
            node.makeArray()
            return Unkeyed(node: node, codingPath: codingPath)
        }

        func singleValueContainer() -> any SingleValueEncodingContainer {
            Single(node: node, codingPath: codingPath)
        }
    }

    static func number(_ value: Double) -> JSONValue { value.isFinite ? .number(value) : .null }

    static func child<Value: Encodable>(_ value: Value, codingPath: [any CodingKey]) throws -> Node {
        let node = Node()
        if let json = value as? JSONValue {
            node.value = json
        } else {
            try value.encode(to: NodeEncoder(node: node, codingPath: codingPath))
        }
        return node
    }

    struct Keyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let node: Node
        let codingPath: [any CodingKey]

        private func set(_ value: JSONValue, _ key: Key) {
            let child = Node()
            child.value = value
            node.members![key.stringValue] = child
        }

        mutating func encodeNil(forKey key: Key) throws { set(.null, key) }
        mutating func encode(_ value: Bool, forKey key: Key) throws { set(.bool(value), key) }
        mutating func encode(_ value: String, forKey key: Key) throws { set(.string(value), key) }
        mutating func encode(_ value: Double, forKey key: Key) throws { set(number(value), key) }
        mutating func encode(_ value: Float, forKey key: Key) throws { set(number(Double(value)), key) }
        mutating func encode(_ value: Int, forKey key: Key) throws { set(.number(Double(value)), key) }
        mutating func encode(_ value: Int8, forKey key: Key) throws { set(.number(Double(value)), key) }
        mutating func encode(_ value: Int16, forKey key: Key) throws { set(.number(Double(value)), key) }
        mutating func encode(_ value: Int32, forKey key: Key) throws { set(.number(Double(value)), key) }
        mutating func encode(_ value: Int64, forKey key: Key) throws { set(.number(Double(value)), key) }
        mutating func encode(_ value: UInt, forKey key: Key) throws { set(.number(Double(value)), key) }
        mutating func encode(_ value: UInt8, forKey key: Key) throws { set(.number(Double(value)), key) }
        mutating func encode(_ value: UInt16, forKey key: Key) throws { set(.number(Double(value)), key) }
        mutating func encode(_ value: UInt32, forKey key: Key) throws { set(.number(Double(value)), key) }
        mutating func encode(_ value: UInt64, forKey key: Key) throws { set(.number(Double(value)), key) }

        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
            node.members![key.stringValue] = try child(value, codingPath: codingPath + [key])
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
            -> KeyedEncodingContainer<NestedKey>
        {
            let child = Node()
            child.makeObject()
            node.members![key.stringValue] = child
            return KeyedEncodingContainer(Keyed<NestedKey>(node: child, codingPath: codingPath + [key]))
        }

        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
            let child = Node()
            child.makeArray()
            node.members![key.stringValue] = child
            return Unkeyed(node: child, codingPath: codingPath + [key])
        }

        mutating func superEncoder() -> any Encoder {
            let child = Node()
            node.members!["super"] = child
            return NodeEncoder(node: child, codingPath: codingPath)
        }

        mutating func superEncoder(forKey key: Key) -> any Encoder {
            let child = Node()
            node.members![key.stringValue] = child
            return NodeEncoder(node: child, codingPath: codingPath + [key])
        }
    }

    struct IndexKey: CodingKey {
        let intValue: Int?
        var stringValue: String { String(intValue ?? 0) }
        init(_ index: Int) { intValue = index }
        init?(stringValue: String) { nil }
        init?(intValue: Int) { self.intValue = intValue }
    }

    struct Unkeyed: UnkeyedEncodingContainer {
        let node: Node
        let codingPath: [any CodingKey]
        var count: Int { node.elements!.count }

        private func append(_ value: JSONValue) {
            let child = Node()
            child.value = value
            node.elements!.append(child)
        }

        mutating func encodeNil() throws { append(.null) }
        mutating func encode(_ value: Bool) throws { append(.bool(value)) }
        mutating func encode(_ value: String) throws { append(.string(value)) }
        mutating func encode(_ value: Double) throws { append(number(value)) }
        mutating func encode(_ value: Float) throws { append(number(Double(value))) }
        mutating func encode(_ value: Int) throws { append(.number(Double(value))) }
        mutating func encode(_ value: Int64) throws { append(.number(Double(value))) }
        mutating func encode(_ value: UInt64) throws { append(.number(Double(value))) }

        mutating func encode<T: Encodable>(_ value: T) throws {
            node.elements!.append(try child(value, codingPath: codingPath + [IndexKey(count)]))
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type)
            -> KeyedEncodingContainer<NestedKey>
        {
            let child = Node()
            child.makeObject()
            node.elements!.append(child)
            return KeyedEncodingContainer(Keyed<NestedKey>(node: child, codingPath: codingPath + [IndexKey(count)]))
        }

        mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
            let child = Node()
            child.makeArray()
            node.elements!.append(child)
            return Unkeyed(node: child, codingPath: codingPath + [IndexKey(count)])
        }

        mutating func superEncoder() -> any Encoder {
            let child = Node()
            node.elements!.append(child)
            return NodeEncoder(node: child, codingPath: codingPath)
        }
    }

    struct Single: SingleValueEncodingContainer {
        let node: Node
        let codingPath: [any CodingKey]

        mutating func encodeNil() throws { node.value = .null }
        mutating func encode(_ value: Bool) throws { node.value = .bool(value) }
        mutating func encode(_ value: String) throws { node.value = .string(value) }
        mutating func encode(_ value: Double) throws { node.value = number(value) }
        mutating func encode(_ value: Float) throws { node.value = number(Double(value)) }
        mutating func encode(_ value: Int) throws { node.value = .number(Double(value)) }
        mutating func encode(_ value: Int8) throws { node.value = .number(Double(value)) }
        mutating func encode(_ value: Int16) throws { node.value = .number(Double(value)) }
        mutating func encode(_ value: Int32) throws { node.value = .number(Double(value)) }
        mutating func encode(_ value: Int64) throws { node.value = .number(Double(value)) }
        mutating func encode(_ value: UInt) throws { node.value = .number(Double(value)) }
        mutating func encode(_ value: UInt8) throws { node.value = .number(Double(value)) }
        mutating func encode(_ value: UInt16) throws { node.value = .number(Double(value)) }
        mutating func encode(_ value: UInt32) throws { node.value = .number(Double(value)) }
        mutating func encode(_ value: UInt64) throws { node.value = .number(Double(value)) }

        mutating func encode<T: Encodable>(_ value: T) throws {
            if let json = value as? JSONValue {
                node.value = json
            } else {
                try value.encode(to: NodeEncoder(node: node, codingPath: codingPath))
            }
        }
    }
}
