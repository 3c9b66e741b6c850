import ArgumentParser
import Foundation
import Policy

/// `partner policy lint FILE...`: validates policy files, each on its own.
struct PolicyLint: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Validate policy files: syntax, keys, types, patterns and inline examples.",
        discussion: "Exit status: 0 when every file is valid, 2 otherwise."
    )

    @Flag(help: "Print the results as JSON.")
    var json = false

    @Argument(help: ArgumentHelp("Policy files to check.", valueName: "FILE"))
    var files: [String]

    struct Result: Encodable {
        let file: String
        let valid: Bool
        let error: String?
        let code: String?
    }

    func validate() throws {
        if files.isEmpty { throw ValidationError("give at least one policy file: partner policy lint .partner/policy.toml") }
    }

    func run() throws {
        var results: [Result] = []
        for file in files {
            do {
                _ = try PolicyLoader.lint(path: file)
                results.append(Result(file: file, valid: true, error: nil, code: nil))
            } catch {
                results.append(Result(file: file, valid: false, error: error.message, code: error.code.rawValue))
            }
        }
        if json {
            try Terminal.printJSON(results)
        } else {
            for result in results {
                if let error = result.error {
                    Terminal.printError(Terminal.red("✗ ") + error)
                } else {
                    print(Terminal.green("✓ ") + "\(result.file): valid")
                }
            }
        }
        if results.contains(where: { !$0.valid }) { throw ExitCode(2) }
    }
}
