import CPartnerShims
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
        guard let output = Self.run(arguments) else { return [:] }
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

    /// Spawns `arguments` in `directory` and returns its standard output, or nil if it fails.
    /// posix_spawn + waitpid: Foundation's Process polls and adds ~50 ms per run.
    static func run(_ arguments: [String]) -> [UInt8]? {
        var pipe: [Int32] = [0, 0]
        // O_CLOEXEC from the start: a process spawned concurrently by another thread must not
        // inherit the write end, or the read below would wait for that process to exit too.
        guard partner_pipe_cloexec(&pipe) == 0 else { return nil }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addclose(&actions, pipe[0])
        posix_spawn_file_actions_adddup2(&actions, pipe[1], 1)
        posix_spawn_file_actions_addclose(&actions, pipe[1])
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        partner_spawn_file_actions_addclosefrom(&actions, 3)
        var cArguments = arguments.map { strdup($0) } + [nil]
        defer { for pointer in cArguments { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, arguments[0], &actions, nil, &cArguments, environ)
        close(pipe[1])
        guard spawned == 0 else {
            close(pipe[0])
            return nil
        }
        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(pipe[0], $0.baseAddress, $0.count) }
            if count > 0 {
                output.append(contentsOf: buffer[0..<count])
            } else if count < 0 && errno == EINTR {
                continue
            } else {
                break
            }
        }
        close(pipe[0])
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return output
    }
}
