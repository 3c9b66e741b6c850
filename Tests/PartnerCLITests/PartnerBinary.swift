import Foundation

/// Locates and runs the `partner` executable that `swift build` put next to the test bundle.
enum PartnerBinary {
    struct Run {
        let status: Int32
        let standardOutput: Data
        let standardError: Data
    }

    static var url: URL { url(of: "partner") }

    /// A program of this package built beside the test bundle: `partner`, or a test helper such
    /// as `partner-audit-writer`.
    static func url(of name: String) -> URL {
        let bundle = Bundle.main.bundleURL
        for candidate in [bundle.deletingLastPathComponent().appendingPathComponent(name),
                          bundle.appendingPathComponent(name)]
        where FileManager.default.isExecutableFile(atPath: candidate.path) {
            return candidate
        }
        // `swift test` runs the bundle from .build/<triple>/debug; fall back to the conventional path.
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(".build/debug/" + name)
    }

    static func run(_ arguments: [String], environment: [String: String]? = nil, input: Data? = nil,
                    program: String = "partner") throws -> Run {
        let process = Process()
        process.executableURL = url(of: program)
        process.arguments = arguments
        if let environment { process.environment = environment }
        let output = Pipe(), errors = Pipe(), standardInput = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = standardInput
        try process.run()
        if let input { standardInput.fileHandleForWriting.write(input) }
        try standardInput.fileHandleForWriting.close()
        // Read both pipes to the end before waiting, so a full pipe never blocks the child.
        let group = DispatchGroup()
        nonisolated(unsafe) var errorData = Data()
        group.enter()
        DispatchQueue.global().async {
            errorData = errors.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, standardOutput: outputData, standardError: errorData)
    }
}
