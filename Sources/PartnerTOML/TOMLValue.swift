/// One TOML value and the position where it starts.
public struct TOMLValue: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case string(String)
        case integer(Int64)
        case float(Double)
        case boolean(Bool)
        /// An offset or local date-time, a local date or a local time, kept as written
        /// (validated, but not interpreted).
        case dateTime(String)
        case array([TOMLValue])
        case table(TOMLTable)
    }

    public var kind: Kind
    public var position: TOMLPosition

    public init(_ kind: Kind, at position: TOMLPosition) {
        self.kind = kind
        self.position = position
    }

    /// The TOML name of this value's type, for error messages ("expected a string, found an integer").
    public var typeName: String {
        switch kind {
        case .string: "string"
        case .integer: "integer"
        case .float: "float"
        case .boolean: "boolean"
        case .dateTime: "date-time"
        case .array: "array"
        case .table: "table"
        }
    }

    /// "a string", "an integer", "an array", ...
    public var typeNameWithArticle: String {
        ["integer", "array"].contains(typeName) ? "an \(typeName)" : "a \(typeName)"
    }

    public var stringValue: String? {
        if case .string(let value) = kind { return value }
        return nil
    }

    public var integerValue: Int64? {
        if case .integer(let value) = kind { return value }
        return nil
    }

    /// A float, or an integer read as a float (`timeout = 30` where seconds are expected).
    public var numberValue: Double? {
        switch kind {
        case .float(let value): value
        case .integer(let value): Double(value)
        default: nil
        }
    }

    public var boolValue: Bool? {
        if case .boolean(let value) = kind { return value }
        return nil
    }

    public var arrayValue: [TOMLValue]? {
        if case .array(let value) = kind { return value }
        return nil
    }

    public var tableValue: TOMLTable? {
        if case .table(let value) = kind { return value }
        return nil
    }
}
