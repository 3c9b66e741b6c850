import Agent
import Foundation
import Models
import PartnerCore
import ScriptedModelServer
import Testing

@Suite("Summaries of older turns")
struct SummaryTests {
    /// A write_file call whose content (in the assistant's message, which eliding tool results
    /// cannot shorten) weighs about `kilobytes` KB.
    static func bigWrite(_ id: String, _ path: String, kilobytes: Int) -> ScriptedStep {
        // Lines that differ (the streaming repetition check stops an answer that repeats itself).
        var content = ""
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
        while content.utf8.count < kilobytes * 1024 {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            content += "let c\(content.utf8.count) = \(seed % 1_000_000_007) // \(String(seed, radix: 36))\n"
        }
        return .turn(.toolCalls([ToolCall(id: id, name: "write_file", arguments: ["path": .string(path), "content": .string(content)])]))
    }

    @Test("when eliding is not enough, older turns are replaced by the model's summary, recorded, and the task and latest turn stay")
    func summarizes() async throws {
        let summary = "Wrote Sources/One.swift with constants; Sources/Two.swift is next."
        let fixture = try AgentFixture(steps: [
            Self.bigWrite("a", "Sources/One.swift", kilobytes: 8),
            Self.bigWrite("b", "Sources/Two.swift", kilobytes: 8),
            .turn(.text(summary)),
            .turn(.text("Both files are written.")),
        ])
        let events = EventLog()
        let settings = AgentSettings(toolProfile: .compact)
        let (outcome, session) = try await fixture.run("Write the constants files One and Two", settings: settings,
                                                       contextLength: 5_500, events: events)
        #expect(outcome.status == .completed, "\(outcome)")
        #expect(outcome.answer == "Both files are written.")

        // The third request was the summary's: its own instructions and the older turns as text.
        let chats = fixture.server.requests.filter { $0.path.hasSuffix("chat/completions") }
        #expect(chats.count == 4)
        let summaryRequest = String(decoding: chats[2].body, as: UTF8.self)
        #expect(summaryRequest.contains("You summarise the earlier part of a coding session"))
        #expect(summaryRequest.contains("write_file("), "the older call is in the transcript")
        // The request after it carries the summary, the task and the latest call, not the first one.
        let after = String(decoding: chats[3].body, as: UTF8.self)
        #expect(after.contains("Summary of the earlier turns"))
        #expect(after.contains(summary))
        #expect(after.contains("Write the constants files One and Two"))
        #expect(after.contains("Sources/Two.swift") && !after.contains("\"id\":\"a\""), "the first call went into the summary")

        let notices = try fixture.events(session).compactMap { $0.decodedPayload(as: AgentNoticeEvent.self) }
        #expect(notices.contains { $0.kind == .summary && $0.message == summary })
        #expect(events.events.contains { if case .compacted(_, let summarized, _) = $0 { summarized == 2 } else { false } })
        #expect(fixture.read("Sources/Two.swift")?.isEmpty == false)

        // A resume rebuilds the conversation as the loop had it: the summary in it, not the summary request.
        let resumed = try ResumedSession(id: session, events: try fixture.events(session))
        #expect(!resumed.conversation.contains { $0.content.hasPrefix("You summarise the earlier part") })
        #expect(resumed.conversation.contains { $0.content.contains(summary) && $0.role == .user })
        #expect(resumed.conversation.last?.content == "Both files are written.")
        // Cut right after the summary (Partner killed there): the conversation before it, not the summary request's.
        let recorded = try fixture.events(session)
        let cut = try #require(recorded.firstIndex { $0.decodedPayload(as: AgentNoticeEvent.self)?.kind == .summary })
        let early = try ResumedSession(id: session, events: Array(recorded[...cut]))
        #expect(early.conversation.first?.content.hasPrefix("Write the constants files One and Two") == true)
        #expect(!early.conversation.contains { $0.content.hasPrefix("[assistant]") || $0.content == summary })

        // A replay makes the same summary request at the same point and is served the recorded summary.
        let (report, _) = try await ReplayTests.replay(fixture, session: session)
        #expect(report.matches, "\(report)")
        #expect(report.responsesServed == 4, "three turns and the summary")
        #expect(fixture.server.requests.filter { $0.path.hasSuffix("chat/completions") }.count == 4, "the replay asked no server")
    }

    @Test("a conversation that fits is never summarised")
    func fitsWithoutSummary() async throws {
        let fixture = try AgentFixture(steps: [Self.bigWrite("a", "Sources/One.swift", kilobytes: 2), .turn(.text("Done."))])
        let (outcome, session) = try await fixture.run("Write the constants file One", settings: AgentSettings(toolProfile: .compact))
        #expect(outcome.status == .completed)
        #expect(fixture.server.requests.filter { $0.path.hasSuffix("chat/completions") }.count == 2)
        #expect(try fixture.events(session).compactMap { $0.decodedPayload(as: AgentNoticeEvent.self) }.allSatisfy { $0.kind != .summary })
    }
}
