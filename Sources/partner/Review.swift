import Agent
import ArgumentParser
import Audit
import Foundation
import Models
import PartnerCore
import Retrieval
import Tools

/// `partner review [PATH]`: architectural suggestions grounded in the repository map.
struct Review: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Map how a repository is built, and ask the model what should change in its architecture.",
        discussion: """
            The map comes from the repository's index (refreshed first): modules and the modules they import \
            (Swift, Python, JavaScript/TypeScript, Go, Rust and C imports), import cycles, the most depended-on \
            and largest files, where tests live, and files with their key symbols. With --map-only it is printed \
            and no model is asked. Otherwise it is fitted to the model's context (most important part first) and \
            the model's suggestions must cite files and symbols; a citation that does not exist in the repository \
            is marked "[not in the repository]". The model's request and answer are recorded in the audit log \
            as a session of their own.

            Exit status: 0 on success, 2 for invalid flags or model settings, 3 when the index, the model server \
            or the audit log cannot be had.
            """
    )

    @Argument(help: "The repository to review (default: the current directory).")
    var path: String = "."

    @Option(help: "What the review should look at (a module, a concern: \"error handling\", \"the storage layer\").")
    var focus: String?

    @Flag(name: .customLong("map-only"), help: "Print the repository map; ask no model.")
    var mapOnly = false

    @Option(help: ArgumentHelp("With --map-only: cut the map to about this many tokens, most important first.",
                               valueName: "TOKENS"))
    var budget: Int?

    @Flag(help: "Print JSON: the map with --map-only, else the answer with its checked citations and the session.")
    var json = false

    @Option(name: .customLong("db"), help: "The index database file (default: REPO/.partner/index.sqlite).")
    var database: String?

    @Option(help: "The audit log to record in (default: the policy's, else ~/.local/share/partner/audit.sqlite).")
    var audit: String?

    @OptionGroup var model: ModelOptions
    @OptionGroup var selection: PolicySelection

    struct Output: Encodable {
        let session: String
        let answer: String
        let citations: [ArchitectureReview.Citation]
        let mapTokens: Int
        let mapComplete: Bool
        let promptTokens: Int?
        let completionTokens: Int?
    }

    func validate() throws {
        if let budget, budget < 100 { throw ValidationError("--budget must be at least 100 tokens") }
        if budget != nil && !mapOnly { throw ValidationError("--budget applies to --map-only; a review fits the map to the model's context") }
    }

    func run() async throws {
        let review: ArchitectureReview
        do {
            let index = try RetrievalIndex.open(repository: path, configuration: .init(databasePath: database))
            _ = try await index.refresh()
            review = ArchitectureReview(map: try await index.repositoryMap(), symbols: try await index.symbolNames())
        } catch {
            Terminal.printError(Terminal.red("error: ") + "\(error)")
            throw ExitCode(AgentLaunch.fatalExit)
        }
        if mapOnly {
            if json { try Terminal.printJSON(review.map) } else { print(review.map.render(budget: budget), terminator: "") }
            return
        }

        let configuration = try AgentLaunch.modelConfiguration(model)
        let policy = try selection.load()
        let (client, _) = await ModelClients.connect(configuration)
        let task = "architectural review" + (focus.map { ": \($0)" } ?? "")
        let (log, session) = try AgentLaunch.beginSession(auditPath: audit, policy: policy) {
            var start = AuditSessionStart.forCommand("review", task: task, policy: policy, workspace: review.map.root,
                                                     extra: ["model": client.configuration.auditRecord])
            start.modelEndpoint = client.configuration.baseURL
            start.modelName = client.configuration.model
            return start
        }
        Terminal.printError(Terminal.dim("model \(client.configuration.model): context \(client.configuration.contextLength) tokens; "
                                         + "map of \(review.map.files.count) files"))
        do {
            let outcome = try await review.run(focus: focus, client: AuditedModelClient(client, session: session))
            try session.record(kind: "review_citations", payload: try JSONValue(encoding: outcome.citations))
            let unknown = outcome.unknownCitations.count
            _ = try session.end(outcome: .completed, summary: "\(outcome.citations.count) citation(s), \(unknown) not in the repository",
                                exitCode: 0)
            try? log.close()
            if json {
                try Terminal.printJSON(Output(session: session.id, answer: outcome.answer, citations: outcome.citations,
                                              mapTokens: outcome.mapTokens, mapComplete: outcome.mapComplete,
                                              promptTokens: outcome.promptTokens, completionTokens: outcome.completionTokens))
                return
            }
            print(outcome.answer)
            let checked = "\(outcome.citations.count) citation(s) checked against the repository"
            if unknown == 0 {
                Terminal.printError(Terminal.green("✓ ") + checked + ", all found")
            } else {
                Terminal.printError(Terminal.yellow("! ") + checked + "; not in the repository: "
                                    + outcome.unknownCitations.map { "`\($0.text)`" }.joined(separator: ", "))
            }
            if !outcome.mapComplete {
                Terminal.printError(Terminal.dim("the map was cut to fit the model's context (≈\(outcome.mapTokens) tokens); "
                                                 + "--map-only prints all of it"))
            }
            Terminal.printError(Terminal.dim("audit session \(session.id)"))
        } catch {
            Terminal.printError(Terminal.red("fatal: ") + "\(error)")
            _ = try? session.end(outcome: .error, summary: "\(error)", exitCode: Int(AgentLaunch.fatalExit))
            try? log.close()
            throw ExitCode(AgentLaunch.fatalExit)
        }
    }
}
