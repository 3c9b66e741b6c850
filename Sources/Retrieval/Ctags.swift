import Foundation
import PartnerSystem

#if canImport(Glibc)
import Glibc
#endif

/// Symbols from Universal Ctags (`ctags --output-format=json --fields=+neKSl`), for the many
/// languages it parses. One ctags process handles a whole batch of files.
public struct Ctags: Sendable {
    public let executable: String

    /// Finds `ctags` as `partner doctor` does (`ExecutableLookup`); nil when it is not
    /// installed, in which case files in other languages than Swift are chunked by line windows.
    public static func locate(environment: [String: String] = ProcessInfo.processInfo.environment) -> Ctags? {
        ExecutableLookup.find("ctags", environment: environment).map(Ctags.init)
    }

    /// One tag of ctags's JSON output.
    struct Tag: Decodable {
        let _type: String
        let name: String?
        let path: String?
        let line: Int?
        let end: Int?
        let kind: String?
        let scope: String?
        let signature: String?
        let language: String?
    }

    static let callableKinds: Set<String> = [
        "function", "method", "member", "procedure", "subroutine", "func", "constructor", "destructor", "singletonMethod",
        "fn", "getter", "setter", "accessor", "prototype",
    ]
    static let containerKinds: Set<String> = [
        "class", "struct", "interface", "module", "namespace", "enum", "union", "trait", "implementation", "impl",
        "object", "protocol", "category", "type", "package", "record", "typedef",
    ]

    /// Runs ctags on `paths` (relative to `root`) and returns each file's symbols and language.
    /// A ctags failure yields no symbols (the files fall back to line windows) rather than an error.
    public func symbols(root: String, paths: [String]) -> [String: (language: String?, symbols: [CodeSymbol])] {
        guard !paths.isEmpty else { return [:] }
        let listPath = NSTemporaryDirectory() + "partner-ctags-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).txt"
        guard FileManager.default.createFile(atPath: listPath, contents: Data(paths.map { (root.hasSuffix("/") ? root : root + "/") + $0 }.joined(separator: "\n").utf8)) else {
            return [:]
        }
        defer { unlink(listPath) }
        let arguments = [executable, "--output-format=json", "--fields=+neKSl", "--extras=-F", "--sort=no",
                         "-f", "-", "-L", listPath]
        guard let output = Self.run(arguments, in: root) else { return [:] }
        let prefix = root.hasSuffix("/") ? root : root + "/"
        var result: [String: (language: String?, symbols: [CodeSymbol])] = [:]
        let decoder = JSONDecoder()
        for line in output.split(separator: 0x0A) {
            guard let tag = try? decoder.decode(Tag.self, from: Data(line)), tag._type == "tag",
                  let name = tag.name, let absolute = tag.path, let lineNumber = tag.line else { continue }
            let path = absolute.hasPrefix(prefix) ? String(absolute.dropFirst(prefix.count)) : absolute
            let kind = tag.kind ?? "symbol"
            let symbol = CodeSymbol(
                name: name, kind: kind, container: tag.scope, signature: tag.signature.map { "\(name)\($0)" },
                startLine: lineNumber, line: lineNumber, endLine: max(lineNumber, tag.end ?? lineNumber),
                isCallable: Self.callableKinds.contains(kind),
                isContainer: Self.containerKinds.contains(kind) && (tag.end ?? lineNumber) > lineNumber)
            result[path, default: (tag.language, [])].symbols.append(symbol)
        }
        return result
    }

    /// Runs ctags with the helpers' environment (no API keys) and returns its standard output,
    /// whatever its exit status, or nil when it cannot start or writes more than `outputLimit` bytes.
    static func run(_ arguments: [String], in directory: String) -> [UInt8]? {
        let launch = HelperLaunch(executable: arguments[0], arguments: Array(arguments.dropFirst()), directory: directory,
                                  standardOutput: .capture(limit: outputLimit, overflow: .stopProgram),
                                  standardError: .discard)
        guard let result = try? HelperProcess.run(launch), !result.standardOutputTruncated else { return nil }
        return result.standardOutput
    }

    /// Far more JSON than any batch of source files yields; past it ctags is stuck on something.
    static let outputLimit = 512 << 20
}
