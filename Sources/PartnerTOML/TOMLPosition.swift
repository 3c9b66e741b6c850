/// Where a key or value starts in a TOML file: 1-based line and column (columns count
/// Unicode scalars, so a tab or an `é` is one column).
public struct TOMLPosition: Sendable, Hashable, Codable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `file:line:column`, the form editors and compilers understand.
    public var description: String { "\(file):\(line):\(column)" }
}
