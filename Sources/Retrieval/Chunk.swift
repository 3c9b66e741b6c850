/// A piece of a file that is indexed and returned as one search result: a function or
/// method with its doc comment, the header of a type, or a window of lines.
public struct Chunk: Sendable, Hashable {
    public var startLine: Int
    public var endLine: Int
    /// The innermost symbol the lines belong to (qualified name), nil for plain windows.
    public var symbol: String?
    public var kind: String?
    public var signature: String?
    public var text: String

    public init(startLine: Int, endLine: Int, symbol: String?, kind: String?, signature: String?, text: String) {
        self.startLine = startLine
        self.endLine = endLine
        self.symbol = symbol
        self.kind = kind
        self.signature = signature
        self.text = text
    }
}
