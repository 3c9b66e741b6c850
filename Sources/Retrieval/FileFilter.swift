/// Decides which files are worth indexing. Pure: paths and bytes in, a verdict out.
public struct FileFilter: Sendable {
    /// Why a file is left out of the index. Each is counted in the refresh summary.
    public enum SkipReason: String, Sendable, Codable, CaseIterable {
        case symlink, vendored, generated, binary, tooLarge = "too_large", invalidUTF8 = "invalid_utf8"
        case enormousLines = "enormous_lines", unreadable, empty
    }

    /// Files above this size are skipped (default 1 MiB).
    public var maximumFileBytes: Int
    /// Files with a line longer than this are skipped as minified or data (default 8 KiB).
    public var maximumLineBytes: Int

    public init(maximumFileBytes: Int = 1 << 20, maximumLineBytes: Int = 8 << 10) {
        self.maximumFileBytes = maximumFileBytes
        self.maximumLineBytes = maximumLineBytes
    }

    /// Directories whose contents are third-party or build output, at any depth.
    static let vendoredDirectories: Set<String> = [
        ".git", ".partner", ".build", ".swiftpm", "node_modules", "vendor", "Vendor", "vendored", "third_party",
        "third-party", "thirdparty", "Pods", "Carthage", "DerivedData", "__pycache__", ".venv", "venv",
        ".tox", ".mypy_cache", ".pytest_cache", ".gradle", ".idea", ".next", "bower_components",
        "dist", "_build", ".cache",
    ]

    static let binaryExtensions: Set<String> = [
        "png", "jpg", "jpeg", "gif", "bmp", "ico", "icns", "webp", "tiff", "psd", "pdf", "zip", "gz", "tgz", "bz2",
        "xz", "zst", "7z", "rar", "tar", "jar", "war", "class", "so", "dylib", "dll", "a", "o", "obj", "exe", "bin",
        "wasm", "woff", "woff2", "ttf", "otf", "eot", "mp3", "mp4", "mov", "avi", "wav", "flac", "ogg", "sqlite",
        "sqlite3", "db", "pyc", "pyo", "der", "p12", "pfx", "keystore", "car", "nib", "xcassets", "mlmodel",
    ]

    static let generatedFileNames: Set<String> = [
        "package-lock.json", "yarn.lock", "pnpm-lock.yaml", "Cargo.lock", "Gemfile.lock", "poetry.lock",
        "Package.resolved", "composer.lock", "go.sum", "Podfile.lock", "flake.lock",
    ]

    /// A verdict from the path alone, before reading the file.
    public func skipReason(forPath path: String) -> SkipReason? {
        let components = path.split(separator: "/")
        for component in components.dropLast() where Self.vendoredDirectories.contains(String(component)) {
            return .vendored
        }
        guard let fileName = components.last else { return .unreadable }
        let name = String(fileName)
        if Self.generatedFileNames.contains(name) { return .generated }
        let lowered = name.lowercased()
        if lowered.hasSuffix(".min.js") || lowered.hasSuffix(".min.css") || lowered.hasSuffix(".pb.swift")
            || lowered.hasSuffix(".pb.go") || lowered.hasSuffix("_pb2.py") || lowered.hasSuffix(".pb.h")
            || lowered.hasSuffix(".pb.cc") || lowered.hasSuffix(".map") {
            return .generated
        }
        if let dot = lowered.lastIndex(of: "."), Self.binaryExtensions.contains(String(lowered[lowered.index(after: dot)...])) {
            return .binary
        }
        return nil
    }

    /// A verdict from the content. `bytes` is the whole file.
    public func skipReason(forContent bytes: [UInt8]) -> SkipReason? {
        if bytes.isEmpty { return .empty }
        if bytes.count > maximumFileBytes { return .tooLarge }
        // Binary: a NUL byte in the first 8 KiB (what git itself checks).
        if bytes.prefix(8_192).contains(0) { return .binary }
        var lineLength = 0
        for byte in bytes {
            if byte == 0x0A {
                lineLength = 0
            } else {
                lineLength += 1
                if lineLength > maximumLineBytes { return .enormousLines }
            }
        }
        if Self.hasGeneratedMarker(bytes) { return .generated }
        return nil
    }

    /// `@generated` or `DO NOT EDIT` (the Go and Facebook conventions, upper case) in the first
    /// lines. Files that only say "do not edit directly" in prose are kept: in projects such as
    /// swift-syntax they are the code people search for.
    static func hasGeneratedMarker(_ bytes: [UInt8]) -> Bool {
        var end = 0, newlines = 0
        while end < bytes.count && end < 2_048 {
            if bytes[end] == 0x0A {
                newlines += 1
                if newlines == 5 { break }
            }
            end += 1
        }
        let head = String(decoding: bytes[0..<end], as: UTF8.self)
        return head.contains("@generated") || head.contains("DO NOT EDIT")
    }
}
