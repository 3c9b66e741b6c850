import Foundation

/// Locates and runs the `partner` executable that `swift build` put next to the test bundle.
enum PartnerBinary {
    struct Run {
        let status: Int32
        let standardOutput: Data
        let standardError: Data
    }

    static var url: URL {
        let bundle = Bundle.main.bundleURL
        for candidate in [bundle.deletingLastPathComponent().appendingPathComponent("partner"),
                          bundle.appendingPathComponent("partner")]
        where FileManager.default.isExecutableFile(atPath: candidate.path) {
            return candidate
        }
        // `swift test` runs the bundle from .build/<triple>/debug; fall back to the conventional path.
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(".build/debug/partner")
    }

    static func run(_ arguments: [String], environment: [String: String]? = nil, input: Data? = nil) throws -> Run {
        let process = Process()
        process.executableURL = url
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
