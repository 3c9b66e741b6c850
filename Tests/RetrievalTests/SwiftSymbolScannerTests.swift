import Testing
@testable import Retrieval

@Suite("Swift symbol scanner")
struct SwiftSymbolScannerTests {
    struct Expected: CustomStringConvertible, Sendable {
        let kind: SwiftDeclaration.Kind
        let name: String
        let container: String?
        let startLine: Int
        let endLine: Int
        var description: String { "\(kind) \(container.map { $0 + "." } ?? "")\(name) \(startLine)-\(endLine)" }
    }

    static let cases: [(String, String, [Expected])] = [
        ("a function with a doc comment", """
            /// Adds.
            func add(_ a: Int, _ b: Int) -> Int {
                return a + b
            }
            """, [Expected(kind: .function, name: "add", container: nil, startLine: 2, endLine: 4)]),
        ("nested types, members, and an extension", """
            public struct Outer<T: Equatable> {
                let value: T
                var computed: Int { 1 }
                enum Inner { case a, b(Int), c = 3 }
                init(value: T) { self.value = value }
            }
            extension Outer.Inner: CustomStringConvertible where T: Hashable {
                var description: String { "" }
            }
            """, [
                Expected(kind: .struct, name: "Outer", container: nil, startLine: 1, endLine: 6),
                Expected(kind: .variable, name: "value", container: "Outer", startLine: 2, endLine: 2),
                Expected(kind: .variable, name: "computed", container: "Outer", startLine: 3, endLine: 3),
                Expected(kind: .enum, name: "Inner", container: "Outer", startLine: 4, endLine: 4),
                Expected(kind: .enumCase, name: "a", container: "Outer.Inner", startLine: 4, endLine: 4),
                Expected(kind: .enumCase, name: "b", container: "Outer.Inner", startLine: 4, endLine: 4),
                Expected(kind: .enumCase, name: "c", container: "Outer.Inner", startLine: 4, endLine: 4),
                Expected(kind: .initializer, name: "init", container: "Outer", startLine: 5, endLine: 5),
                Expected(kind: .extension, name: "Outer.Inner", container: nil, startLine: 7, endLine: 9),
                Expected(kind: .variable, name: "description", container: "Outer.Inner", startLine: 8, endLine: 8),
            ]),
        ("braces inside strings, interpolations, raw and multi-line strings, and comments", """
            func tricky() {
                let a = "{ \\(x.map { "}" }) {"
                let b = #"raw { \\( "#
                let c = \"\"\"
                    } } {
                    \\(call({ 1 }))
                    \"\"\"
                // }
                /* { /* nested } */ } */
            }
            func after() {}
            """, [
                Expected(kind: .function, name: "tricky", container: nil, startLine: 1, endLine: 10),
                Expected(kind: .function, name: "after", container: nil, startLine: 11, endLine: 11),
            ]),
        ("attributes, modifiers, generics and where clauses on several lines", """
            @available(macOS 13, *)
            @inlinable
            public static func make<Value: Sendable>(
                _ value: Value,
                handler: @escaping (Value) -> Void = { _ in }
            ) async throws -> [Value]
                where Value: Hashable
            {
                []
            }
            """, [Expected(kind: .function, name: "make", container: nil, startLine: 1, endLine: 10)]),
        ("protocol requirements without bodies and accessors", """
            protocol Store: AnyObject {
                associatedtype Item
                var count: Int { get }
                func load(_ id: Int) throws -> Item
                subscript(index: Int) -> Item { get set }
                static func == (lhs: Self, rhs: Self) -> Bool
            }
            """, [
                Expected(kind: .protocol, name: "Store", container: nil, startLine: 1, endLine: 7),
                Expected(kind: .associatedtype, name: "Item", container: "Store", startLine: 2, endLine: 2),
                Expected(kind: .variable, name: "count", container: "Store", startLine: 3, endLine: 3),
                Expected(kind: .function, name: "load", container: "Store", startLine: 4, endLine: 4),
                Expected(kind: .subscript, name: "subscript", container: "Store", startLine: 5, endLine: 5),
                Expected(kind: .function, name: "==", container: "Store", startLine: 6, endLine: 6),
            ]),
        ("locals and control flow are not declarations; nested functions are", """
            final class Worker {
                class func shared() -> Worker { Worker() }
                func run() {
                    let local = 1
                    if let value = Optional(local) { print(value) }
                    func helper() {}
                    switch local { case 1: break; default: break }
                }
                deinit {}
            }
            """, [
                Expected(kind: .class, name: "Worker", container: nil, startLine: 1, endLine: 10),
                Expected(kind: .function, name: "shared", container: "Worker", startLine: 2, endLine: 2),
                Expected(kind: .function, name: "run", container: "Worker", startLine: 3, endLine: 8),
                Expected(kind: .function, name: "helper", container: "Worker", startLine: 6, endLine: 6),
                Expected(kind: .deinitializer, name: "deinit", container: "Worker", startLine: 9, endLine: 9),
            ]),
        ("conditional compilation, actors, typealiases and backticks", """
            #if os(Linux)
            actor Cache {
                typealias Key = String
                var `default`: Int = 0
            }
            #else
            struct Cache {}
            #endif
            let actor = 1
            """, [
                Expected(kind: .actor, name: "Cache", container: nil, startLine: 2, endLine: 5),
                Expected(kind: .typealias, name: "Key", container: "Cache", startLine: 3, endLine: 3),
                Expected(kind: .variable, name: "default", container: "Cache", startLine: 4, endLine: 4),
                Expected(kind: .struct, name: "Cache", container: nil, startLine: 7, endLine: 7),
                Expected(kind: .variable, name: "actor", container: nil, startLine: 9, endLine: 9),
            ]),
    ]

    @Test("finds declarations with kind, container and line range", arguments: cases)
    func declarations(name: String, source: String, expected: [Expected]) {
        let found = SwiftSymbolScanner.declarations(in: source).map {
            Expected(kind: $0.kind, name: $0.name, container: $0.container, startLine: $0.startLine, endLine: $0.endLine)
        }
        #expect(found.map(\.description) == expected.map(\.description), "\(name)")
    }

    @Test("doc comments are attached and signatures collapse whitespace")
    func documentation() throws {
        let source = """
            import Foundation

            /// Reads
            /// everything.
            @discardableResult
            public func readAll(
                from handle: Int
            ) -> [UInt8] { [] }
            """
        let declaration = try #require(SwiftSymbolScanner.declarations(in: source).first)
        #expect(declaration.commentStartLine == 3)
        #expect(declaration.hasDocumentation)
        #expect(declaration.startLine == 5)
        #expect(declaration.nameLine == 6)
        #expect(declaration.signature == "public func readAll( from handle: Int ) -> [UInt8]")
    }

    @Test("unterminated strings and comments do not crash or hang", arguments: [
        "func f() { let s = \"abc\n}\nfunc g() {}",
        "/* never closed func f() {}",
        "let s = \"\"\"\n never closed",
        "func",
        "}}}} func f() {",
        "#\"\"\"\n",
        "@",
    ])
    func malformed(source: String) {
        _ = SwiftSymbolScanner.declarations(in: source)
    }
}

@Suite("Swift scanner regressions found against SwiftSyntax")
struct SwiftScannerRegressionTests {
    @Test("a one-line raw string holding a quote is not a multi-line string")
    func rawQuote() {
        let source = """
            func a() -> Bool { return x == #\"""# }
            func b() {}
            """
        #expect(SwiftSymbolScanner.declarations(in: source).map(\.name) == ["a", "b"])
        #expect(SwiftSymbolScanner.declarations(in: source).map(\.endLine) == [1, 2])
    }

    @Test("extensions of sugared types are found", arguments: [
        ("extension [Int] {\n  var sum: Int { 0 }\n}", "[Int]"),
        ("extension [String: Int]: P where Key == String {}", "[String: Int]"),
        ("extension Optional<Int> {}", "Optional<Int>"),
    ])
    func sugaredExtension(source: String, name: String) {
        #expect(SwiftSymbolScanner.declarations(in: source).first?.name == name)
    }
}

extension SwiftScannerRegressionTests {
    @Test("commas inside generic arguments of a type annotation separate no bindings")
    func genericAnnotation() {
        let source = """
            struct S {
                let sequence:
                    Producer<
                        Element,
                        Never
                    >
                var a = 1, b: Int
            }
            """
        let names = SwiftSymbolScanner.declarations(in: source).filter { $0.kind == .variable }.map(\.name)
        #expect(names == ["sequence", "a", "b"])
    }

    @Test("an inheritance clause may continue on the next line with an attribute")
    func inheritanceContinues() {
        let source = """
            final class Handler: Base<Int>,
                @unchecked Sendable
            {
                func f() {}
            }
            """
        let declarations = SwiftSymbolScanner.declarations(in: source)
        #expect(declarations.first?.endLine == 5)
        #expect(declarations.last?.container == "Handler")
    }
}

extension SwiftScannerRegressionTests {
    @Test("a requirement ending in a generic type ends before the next attribute")
    func requirementEndsAtGeneric() {
        let source = """
            protocol Channel {
                func setOption(_ value: Int) -> Future<Void>

                @preconcurrency
                func getOption() -> Future<Int>
            }
            """
        let functions = SwiftSymbolScanner.declarations(in: source).filter { $0.kind == .function }
        #expect(functions.map(\.endLine) == [2, 5])
    }
}
