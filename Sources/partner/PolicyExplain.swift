import ArgumentParser
import Foundation
import Policy

/// `partner policy explain`: every effective value and the file:line it came from.
struct PolicyExplain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Show the effective merged policy, each value with the file:line it came from."
    )

    @OptionGroup var selection: PolicySelection

    @Flag(help: "Print the values as JSON.")
    var json = false

    struct Report: Encodable {
        let files: [String]
        let values: [Policy.ExplainedValue]
    }

    func run() throws {
        let policy = try selection.load()
        let values = policy.explanation()
        if json {
            try Terminal.printJSON(Report(files: policy.files, values: values))
            return
        }
        print(Terminal.dim("# layers: built-in ← " + policy.files.joined(separator: " ← ")))
        let width = min(values.map { $0.key.count + $0.value.count + 3 }.max() ?? 0, 72)
        for value in values {
            let assignment = "\(value.key) = \(value.value)"
            let padding = String(repeating: " ", count: max(1, width - assignment.count + 1))
            var origin = "# \(value.source)"
            if let lockedBy = value.lockedBy { origin += ", locked by \(lockedBy)" }
            print(assignment + padding + Terminal.dim(origin))
        }
    }
}
