import Foundation
import PartnerCore
import ScriptedModelServer
import Testing

/// `partner review`, in the same repository and scripted server setting as `partner run`.
extension AgentCLITests {
    @Test("review --map-only prints the map without a model; --json gives the same map as data")
    func reviewMapOnly() throws {
        try Data("import Foundation\n\nstruct Loud {\n    func say() -> String { shout(\"hi\") }\n}\n".utf8)
            .write(to: URL(fileURLWithPath: repository + "/Sources/Loud.swift"))
        let text = try partner(["review", "--map-only", repository])
        #expect(text.status == 0, "\(text.err)")
        #expect(text.out.hasPrefix("# Repository map: 2 source files"), "\(text.out)")
        #expect(text.out.contains("- Sources/Shout.swift (3 lines): shout:1"), "\(text.out)")
        let json = try partner(["review", "--map-only", "--json", repository])
        let map = try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [String: Any]
        #expect((map?["files"] as? [[String: Any]])?.compactMap { $0["path"] as? String } == ["Sources/Loud.swift", "Sources/Shout.swift"])
        #expect(!FileManager.default.fileExists(atPath: log), "a map without a model records nothing")

        let small = try partner(["review", "--map-only", "--budget", "20", repository])
        #expect(small.status != 0)
        #expect(small.err.contains("--budget must be at least 100"), "\(small.err)")
    }

    @Test("review asks the model with the map, flags citations that do not exist, and records the session")
    func reviewWithModel() throws {
        let server = try ScriptedModelServer(steps: [
            .turn(.text("""
                1. Split `Sources/Shout.swift`: `shout` does two things.
                2. Move `Loudness.level` into `Sources/Volume.swift`.
                Run `swift test` afterwards. Keep `sources` flat; `import` it nowhere.
                """)),
        ])
        defer { server.stop() }
        let review = try partner(["review", "--focus", "naming", "--json", repository], server: server)
        #expect(review.status == 0, "\(review.err)")
        let output = try JSONSerialization.jsonObject(with: Data(review.out.utf8)) as? [String: Any]
        let citations = (output?["citations"] as? [[String: Any]]) ?? []
        let verdicts = Dictionary(uniqueKeysWithValues: citations.compactMap { citation in
            (citation["text"] as? String).map { ($0, citation["exists"] as? Bool ?? true) }
        })
        #expect(verdicts == ["Sources/Shout.swift": true, "shout": true, "Loudness.level": false, "Sources/Volume.swift": false,
                             "Sources": true],
                "`swift test` is a command and `import` a keyword, not citations")
        #expect(citations.contains { $0["text"] as? String == "Sources" && $0["correctedFrom"] as? String == "sources" })
        let answer = output?["answer"] as? String ?? ""
        #expect(answer.contains("`Loudness.level` [not in the repository]"), "\(answer)")
        #expect(!answer.contains("`shout` [not in the repository]"))
        #expect(answer.contains("Keep `Sources` flat"), "a citation wrong only in case is corrected: \(answer)")

        // The request carried the map and the focus.
        let request = server.requests.last { $0.path.hasSuffix("chat/completions") }
        let body = request.map { String(decoding: $0.body, as: UTF8.self) } ?? ""
        #expect(body.contains("Repository map:") && body.contains("Focus the review on: naming"))

        let recorded = try sessions()
        #expect(recorded.count == 1)
        #expect(recorded.first?["command"] as? String == "review")
        #expect(recorded.first?["outcome"] as? String == "completed")
        let verify = try partner(["audit", "verify"])
        #expect(verify.status == 0, "\(verify.out)\(verify.err)")
    }
}
