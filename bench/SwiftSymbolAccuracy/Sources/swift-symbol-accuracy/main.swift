import Foundation
import SwiftParser
import SwiftSyntax

// Compares declarations found by SwiftSymbolScanner with SwiftSyntax's on every .swift file
// under the given directories. A declaration matches when kind, name and the line of its
// name agree. Variables count only outside function bodies, closures and accessors (the
// scanner indexes members and globals, not locals).

struct Key: Hashable {
    let kind: String
    let name: String
    let line: Int
}

struct Reference {
    let key: Key
    let startLine: Int
    let endLine: Int
}

final class Collector: SyntaxVisitor {
    let converter: SourceLocationConverter
    var found: [Reference] = []

    init(_ tree: SourceFileSyntax, file: String) {
        converter = SourceLocationConverter(fileName: file, tree: tree)
        super.init(viewMode: .sourceAccurate)
    }

    func line(_ position: AbsolutePosition) -> Int { converter.location(for: position).line }

    func add(_ kind: String, _ name: String, at token: some SyntaxProtocol, node: some SyntaxProtocol) {
        let clean = name.replacingOccurrences(of: "`", with: "")
        found.append(Reference(key: Key(kind: kind, name: clean, line: line(token.positionAfterSkippingLeadingTrivia)),
                               startLine: line(node.positionAfterSkippingLeadingTrivia),
                               endLine: line(node.endPositionBeforeTrailingTrivia)))
    }

    override func visit(_ node: ClassDeclSyntax) -> SyntaxVisitorContinueKind { add("class", node.name.text, at: node.name, node: node); return .visitChildren }
    override func visit(_ node: StructDeclSyntax) -> SyntaxVisitorContinueKind { add("struct", node.name.text, at: node.name, node: node); return .visitChildren }
    override func visit(_ node: EnumDeclSyntax) -> SyntaxVisitorContinueKind { add("enum", node.name.text, at: node.name, node: node); return .visitChildren }
    override func visit(_ node: ProtocolDeclSyntax) -> SyntaxVisitorContinueKind { add("protocol", node.name.text, at: node.name, node: node); return .visitChildren }
    override func visit(_ node: ActorDeclSyntax) -> SyntaxVisitorContinueKind { add("actor", node.name.text, at: node.name, node: node); return .visitChildren }
    override func visit(_ node: ExtensionDeclSyntax) -> SyntaxVisitorContinueKind {
        add("extension", node.extendedType.trimmedDescription, at: node.extendedType, node: node); return .visitChildren
    }
    override func visit(_ node: FunctionDeclSyntax) -> SyntaxVisitorContinueKind { add("function", node.name.text, at: node.name, node: node); return .visitChildren }
    override func visit(_ node: InitializerDeclSyntax) -> SyntaxVisitorContinueKind { add("initializer", "init", at: node.initKeyword, node: node); return .visitChildren }
    override func visit(_ node: DeinitializerDeclSyntax) -> SyntaxVisitorContinueKind { add("deinitializer", "deinit", at: node.deinitKeyword, node: node); return .visitChildren }
    override func visit(_ node: SubscriptDeclSyntax) -> SyntaxVisitorContinueKind { add("subscript", "subscript", at: node.subscriptKeyword, node: node); return .visitChildren }
    override func visit(_ node: TypeAliasDeclSyntax) -> SyntaxVisitorContinueKind { add("typealias", node.name.text, at: node.name, node: node); return .visitChildren }
    override func visit(_ node: AssociatedTypeDeclSyntax) -> SyntaxVisitorContinueKind { add("associatedtype", node.name.text, at: node.name, node: node); return .visitChildren }
    override func visit(_ node: MacroDeclSyntax) -> SyntaxVisitorContinueKind { add("macro", node.name.text, at: node.name, node: node); return .visitChildren }
    override func visit(_ node: OperatorDeclSyntax) -> SyntaxVisitorContinueKind { add("operator", node.name.text, at: node.name, node: node); return .visitChildren }
    override func visit(_ node: PrecedenceGroupDeclSyntax) -> SyntaxVisitorContinueKind { add("precedenceGroup", node.name.text, at: node.name, node: node); return .visitChildren }
    override func visit(_ node: EnumCaseElementSyntax) -> SyntaxVisitorContinueKind { add("enumCase", node.name.text, at: node.name, node: node); return .visitChildren }
    override func visit(_ node: VariableDeclSyntax) -> SyntaxVisitorContinueKind {
        if isMemberOrGlobal(node) {
            for binding in node.bindings {
                if let identifier = binding.pattern.as(IdentifierPatternSyntax.self)?.identifier {
                    add("variable", identifier.text, at: identifier, node: node)
                }
            }
        }
        return .visitChildren
    }

    func isMemberOrGlobal(_ node: some SyntaxProtocol) -> Bool {
        var current = node.parent
        while let parent = current {
            if parent.is(MemberBlockSyntax.self) || parent.is(SourceFileSyntax.self) { return true }
            if parent.is(CodeBlockSyntax.self) || parent.is(ClosureExprSyntax.self) || parent.is(AccessorBlockSyntax.self) {
                return false
            }
            current = parent.parent
        }
        return true
    }
}

func swiftFiles(under directory: String) -> [String] {
    guard let enumerator = FileManager.default.enumerator(atPath: directory) else { return [] }
    var files: [String] = []
    while let path = enumerator.nextObject() as? String {
        if path.hasPrefix(".build") || path.contains("/.build/") || path.hasPrefix(".git/") { continue }
        if path.hasSuffix(".swift") { files.append(directory + "/" + path) }
    }
    return files.sorted()
}

var arguments = Array(CommandLine.arguments.dropFirst())
let verbose = arguments.contains("--verbose")
arguments.removeAll { $0 == "--verbose" }
guard !arguments.isEmpty else {
    print("usage: swift-symbol-accuracy [--verbose] DIR...")
    exit(2)
}

var truePositives: [String: Int] = [:], falsePositives: [String: Int] = [:], falseNegatives: [String: Int] = [:]
var endMatched = 0, endCompared = 0, startMatched = 0, startCompared = 0
var fileCount = 0, lineCount = 0
var scannerSeconds = 0.0, parserSeconds = 0.0
var examples: [String] = []

for directory in arguments {
    for file in swiftFiles(under: directory) {
        guard let data = FileManager.default.contents(atPath: file) else { continue }
        let bytes = [UInt8](data)
        fileCount += 1
        lineCount += bytes.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }

        var start = DispatchTime.now().uptimeNanoseconds
        let tree = Parser.parse(source: String(decoding: bytes, as: UTF8.self))
        let collector = Collector(tree, file: file)
        collector.walk(tree)
        parserSeconds += Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9

        start = DispatchTime.now().uptimeNanoseconds
        let scanned = SwiftSymbolScanner.declarations(in: bytes)
        scannerSeconds += Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9

        var expected: [Key: [Reference]] = [:]
        for reference in collector.found { expected[reference.key, default: []].append(reference) }
        for declaration in scanned {
            let key = Key(kind: declaration.kind.rawValue, name: declaration.name, line: declaration.nameLine)
            if var matches = expected[key], !matches.isEmpty {
                let reference = matches.removeFirst()
                expected[key] = matches
                truePositives[key.kind, default: 0] += 1
                startCompared += 1
                if reference.startLine == declaration.startLine { startMatched += 1 }
                if declaration.kind.isTypeLike || declaration.kind.isFunctionLike {
                    endCompared += 1
                    if reference.endLine == declaration.endLine {
                        endMatched += 1
                    } else if verbose && examples.count < 60 {
                        examples.append("END \(file):\(key.line) \(key.kind) \(key.name): parser \(reference.endLine), scanner \(declaration.endLine)")
                    }
                }
            } else {
                falsePositives[key.kind, default: 0] += 1
                if verbose && examples.count < 60 { examples.append("FP  \(file):\(key.line) \(key.kind) \(key.name)") }
            }
        }
        for (key, missed) in expected where !missed.isEmpty {
            falseNegatives[key.kind, default: 0] += missed.count
            if verbose && examples.count < 60 { examples.append("FN  \(file):\(key.line) \(key.kind) \(key.name)") }
        }
    }
}

func ratio(_ numerator: Int, _ denominator: Int) -> String {
    denominator == 0 ? "  -   " : String(format: "%.4f", Double(numerator) / Double(denominator))
}

let kinds = Set(truePositives.keys).union(falsePositives.keys).union(falseNegatives.keys).sorted()
print("\(fileCount) files, \(lineCount) lines; scanner \(String(format: "%.2f", scannerSeconds)) s, SwiftSyntax \(String(format: "%.2f", parserSeconds)) s")
print("kind              found   expected  precision  recall")
var allTP = 0, allFP = 0, allFN = 0
for kind in kinds {
    let tp = truePositives[kind, default: 0], fp = falsePositives[kind, default: 0], fn = falseNegatives[kind, default: 0]
    allTP += tp; allFP += fp; allFN += fn
    print(kind.padding(toLength: 16, withPad: " ", startingAt: 0), String(format: "%7d  %8d", tp + fp, tp + fn),
          "  ", ratio(tp, tp + fp), "   ", ratio(tp, tp + fn))
}
print("all             ", String(format: "%7d  %8d", allTP + allFP, allTP + allFN), "  ", ratio(allTP, allTP + allFP), "   ",
      ratio(allTP, allTP + allFN))
print("start line (first attribute/modifier) agrees on \(ratio(startMatched, startCompared)) of matched declarations")
print("end line agrees on \(ratio(endMatched, endCompared)) of matched types and functions (\(endCompared))")
for example in examples { print(example) }
