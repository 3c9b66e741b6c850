/// A named definition in a source file (function, method, type, property, ...), from the
/// Swift scanner or from Universal Ctags.
public struct CodeSymbol: Sendable, Hashable, Codable {
    public var name: String
    /// The kind as the extractor names it: `function`, `method`, `class`, `struct`, ...
    public var kind: String
    /// Enclosing types or scopes joined with dots; nil at file scope.
    public var container: String?
    public var signature: String?
    /// First line of the definition including its leading comment (1-based).
    public var startLine: Int
    /// Line of the name itself.
    public var line: Int
    public var endLine: Int
    /// True for definitions whose body is code (functions, methods, initialisers).
    public var isCallable: Bool
    /// True for types, extensions, classes, modules: definitions that hold members.
    public var isContainer: Bool

    public init(name: String, kind: String, container: String?, signature: String?, startLine: Int, line: Int,
                endLine: Int, isCallable: Bool, isContainer: Bool) {
        self.name = name
        self.kind = kind
        self.container = container
        self.signature = signature
        self.startLine = startLine
        self.line = line
        self.endLine = endLine
        self.isCallable = isCallable
        self.isContainer = isContainer
    }

    /// `Container.name`, or the name alone at file scope.
    public var qualifiedName: String {
        guard let container, !container.isEmpty else { return name }
        return "\(container).\(name)"
    }
}

extension CodeSymbol {
    /// Converts a Swift scanner declaration.
    init(_ declaration: SwiftDeclaration) {
        self.init(name: declaration.name, kind: declaration.kind.rawValue, container: declaration.container,
                  signature: declaration.signature,
                  startLine: min(declaration.commentStartLine ?? declaration.startLine, declaration.startLine),
                  line: declaration.nameLine, endLine: max(declaration.endLine, declaration.nameLine),
                  isCallable: declaration.kind.isFunctionLike, isContainer: declaration.kind.isTypeLike)
    }
}
