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
        /// The model's spelling, when it differed from the repository's only in case and the
        /// answer was corrected to `text`.
        public var correctedFrom: String?
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

    /// Tokens kept for the answer, and for the instructions around the map; the map gets the
    /// rest of the context.
    static let answerTokens = 1_024
    static let reservedTokens = answerTokens + 500
    static let mapTokens = 4_000

    public let map: RepositoryMap
    /// Every symbol name the index holds, plain and qualified (`Channel`, `Channel.close`).
    public let symbols: Set<String>
    /// What a path citation may name (files and modules), and a name citation besides the
    /// symbols (a module's last component: `NIOCore`).
    let paths: [String]
    let moduleNames: [String]

    public init(map: RepositoryMap, symbols: Set<String>) {
        paths = map.files.map(\.path) + map.modules.map(\.name)
        moduleNames = map.modules.map { String($0.name.split(separator: "/").last ?? "") }
        self.map = map
        self.symbols = symbols
    }

    /// Asks `client` for suggestions (one request) and checks the answer's citations.
    public func run(focus: String?, client: any ModelClient) async throws -> Outcome {
        // Small models lose the thread in a long prompt, and every token costs prompt time on a
        // laptop: the map gets at most `mapTokens`, the most important part first.
        let budget = max(400, min(Self.mapTokens, client.configuration.contextLength - Self.reservedTokens))
        let (text, complete) = map.rendered(budget: budget)
        let request = ChatRequest(messages: Self.messages(map: text, focus: focus), temperature: 0.2,
                                  maxTokens: Self.answerTokens, stopsRepetition: true)
        let response = try await client.chat(request)
        let (answer, citations) = check(response.message.content)
        return Outcome(answer: answer, citations: citations, mapTokens: text.utf8.count / RepositoryMap.charactersPerToken, mapComplete: complete,
                       promptTokens: response.usage?.promptTokens, completionTokens: response.usage?.completionTokens)
    }

    static func messages(map: String, focus: String?) -> [ChatMessage] {
        let system = """
            You review the architecture of a code repository from its map: observations, modules with the \
            modules they import, cycles, the largest and most depended-on files, tests, and files with their \
            key symbols. Suggest what should change in how the code is built: boundaries between modules, \
            cycles to break, files that do too much, code in the wrong place, missing tests. Start from the \
            map's observations. Write each suggestion as one numbered item that begins with the file or module \
            it is about in backticks, exactly as the map writes it, then the evidence from the map and the \
            change you propose. Cite symbols by their names in backticks. Cite only what the map shows. \
            At most seven items, most important first.
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
        var seen: Set<String> = []
        var marked = ""
        var rest = Substring(answer)
        while let open = rest.firstIndex(of: "`") {
            let afterOpen = rest.index(after: open)
            guard let close = rest[afterOpen...].firstIndex(of: "`") else { break }
            let span = String(rest[afterOpen..<close])
            marked += rest[..<afterOpen]
            rest = rest[rest.index(after: close)...]
            guard let citation = classify(span) else {
                marked += span + "`"
                continue
            }
            marked += (citation.correctedFrom == nil ? span : citation.text) + "`"
            if seen.insert(citation.correctedFrom ?? citation.text).inserted { citations.append(citation) }
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
            if text.hasSuffix("/") { text.removeLast() }
            if paths.contains(text) { return Citation(text: text, kind: .path, exists: true) }
            // A bare file name is found when one file has it.
            let named = text.contains("/") ? [] : map.files.map(\.path).filter { $0.hasSuffix("/" + text) }
            if named.count == 1 { return Citation(text: text, kind: .path, exists: true) }
            return Self.caseCorrected(text, among: paths, kind: .path)
        }
        if let parenthesis = text.firstIndex(of: "(") { text = String(text[..<parenthesis]) }
        guard let first = text.first, first.isLetter || first == "_",
              text.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." }),
              !Self.keywords.contains(text) else { return nil }
        if symbols.contains(text) || moduleNames.contains(text) { return Citation(text: text, kind: .symbol, exists: true) }
        return Self.caseCorrected(text, among: Array(symbols) + moduleNames, kind: .symbol)
    }

    /// `text` spelled as the one candidate it equals ignoring case, or a citation that does not exist.
    static func caseCorrected(_ text: String, among candidates: [String], kind: Citation.Kind) -> Citation {
        let lowered = text.lowercased()
        let matches = Set(candidates.filter { $0.lowercased() == lowered })
        if matches.count == 1, let match = matches.first {
            return Citation(text: match, kind: kind, exists: true, correctedFrom: text)
        }
        return Citation(text: text, kind: kind, exists: false)
    }

    /// Words of the languages the map reads that a review writes in backticks without citing
    /// anything (`import`, `struct`).
    static let keywords: Set<String> = [
        "import", "from", "include", "use", "mod", "struct", "class", "enum", "protocol", "extension", "func", "def",
        "fn", "let", "var", "const", "static", "public", "private", "internal", "async", "await", "throws", "try",
        "return", "self", "Self", "super", "crate", "init", "deinit", "nil", "null", "None", "true", "false", "main",
    ]
}
