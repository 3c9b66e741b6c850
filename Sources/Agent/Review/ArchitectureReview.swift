import Foundation
import Models
import PartnerCore
import Retrieval

/// `partner review`: the model's architectural suggestions for a repository, grounded in the
/// repository map rather than in whatever files it would open. The map is fitted to the
/// model's context; the answer must cite files and symbols in backticks, and every citation is
/// checked against the repository: one that does not exist is flagged, in the text and in the
/// list of citations.
public struct ArchitectureReview: Sendable {
    public struct Citation: Sendable, Codable, Equatable {
        public enum Kind: String, Sendable, Codable { case path, symbol }
        public var text: String
        public var kind: Kind
        public var exists: Bool
    }

    public struct Outcome: Sendable, Codable {
        /// The answer, with each citation that does not exist marked `[not in the repository]`.
        public var answer: String
        public var citations: [Citation]
        /// The map's size as sent, in estimated tokens, and whether it had to be cut.
        public var mapTokens: Int
        public var mapComplete: Bool
        public var promptTokens: Int?
        public var completionTokens: Int?

        public var unknownCitations: [Citation] { citations.filter { !$0.exists } }
    }

    /// Tokens kept for the instructions and the answer; the map gets the rest of the context.
    static let reservedTokens = 1_600
    static let answerTokens = 1_024

    public let map: RepositoryMap
    /// Every symbol name the index holds, plain and qualified (`Channel`, `Channel.close`).
    public let symbols: Set<String>

    public init(map: RepositoryMap, symbols: Set<String>) {
        self.map = map
        self.symbols = symbols
    }

    /// Asks `client` for suggestions (one request) and checks the answer's citations.
    public func run(focus: String?, client: any ModelClient) async throws -> Outcome {
        let budget = max(400, client.configuration.contextLength - Self.reservedTokens)
        let full = map.render()
        let text = map.render(budget: budget)
        let request = ChatRequest(messages: Self.messages(map: text, focus: focus), temperature: 0.2,
                                  maxTokens: Self.answerTokens, stopsRepetition: true)
        let response = try await client.chat(request)
        let (answer, citations) = check(response.message.content)
        return Outcome(answer: answer, citations: citations, mapTokens: text.utf8.count / 4, mapComplete: text == full,
                       promptTokens: response.usage?.promptTokens, completionTokens: response.usage?.completionTokens)
    }

    static func messages(map: String, focus: String?) -> [ChatMessage] {
        let system = """
            You review the architecture of a code repository. You see its map: modules with the modules \
            they import, import cycles, the most depended-on and largest files, where tests are, and files \
            with their key symbols (name:line). Suggest what should change in how the code is built: \
            boundaries between modules, cycles to break, files that do too much, code that is in the wrong \
            place, missing tests. Ground every suggestion in the map: cite each file as its path and each \
            symbol as its name, in backticks (`Sources/App/Server.swift`, `Server.start`). Cite only files, \
            modules and symbols that appear in the map. Give at most seven suggestions, most important first, \
            each as a short heading, the evidence from the map, and the change you propose.
            """
        var user = "Repository map:\n\n" + map
        if let focus, !focus.isEmpty { user += "\nFocus the review on: \(focus)\n" }
        return [ChatMessage(role: .system, content: system), ChatMessage(role: .user, content: user)]
    }

    /// The answer with unknown citations marked, and every citation with whether it exists.
    /// A citation is a backticked path (with a `/` or a source file's extension, an optional
    /// `:line` after it) or a backticked identifier (`Name`, `Type.member`, `call()`); other
    /// backticked text (code, commands) is not a citation.
    public func check(_ answer: String) -> (String, [Citation]) {
        var citations: [Citation] = []
        var seen: [String: Bool] = [:]
        var marked = ""
        var rest = Substring(answer)
        while let open = rest.firstIndex(of: "`") {
            let afterOpen = rest.index(after: open)
            guard let close = rest[afterOpen...].firstIndex(of: "`") else { break }
            let span = String(rest[afterOpen..<close])
            marked += rest[..<rest.index(after: close)]
            rest = rest[rest.index(after: close)...]
            guard let citation = classify(span) else { continue }
            if seen[citation.text] == nil {
                seen[citation.text] = citation.exists
                citations.append(citation)
            }
            if !citation.exists { marked += " [not in the repository]" }
        }
        marked += rest
        return (marked, citations)
    }

    func classify(_ span: String) -> Citation? {
        var text = span.trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty, !text.contains(" ") else { return nil }
        if text.contains("/") || SourceLanguage(path: text) != nil {
            // `path:12` or `path:12-30`: the file is what is cited.
            if let colon = text.lastIndex(of: ":"), text[text.index(after: colon)...].allSatisfy({ $0.isNumber || $0 == "-" }) {
                text = String(text[..<colon])
            }
            if text.hasPrefix("./") { text.removeFirst(2) }
            let exists = map.contains(path: text)
                || (!text.contains("/") && map.files.contains { $0.path.hasSuffix("/" + text) || $0.path == text })
            return Citation(text: text, kind: .path, exists: exists)
        }
        if let parenthesis = text.firstIndex(of: "(") { text = String(text[..<parenthesis]) }
        guard let first = text.first, first.isLetter || first == "_",
              text.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." }) else { return nil }
        let moduleNames = Set(map.modules.map { String($0.name.split(separator: "/").last ?? "") })
        return Citation(text: text, kind: .symbol, exists: symbols.contains(text) || moduleNames.contains(text))
    }
}
